"""The command line offers exactly the values the models accept."""

from __future__ import annotations

import typing

import click

from briefgen.cli import cli
from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template, choices
from briefgen.inputs.config import Config


def test_choices_keep_their_order() -> None:
    assert choices(Paper) == ["a4", "letter"]
    assert choices(BuildFormat) == ["html", "pdf", "md", "json", "docx"]


def test_build_options_and_settings_take_the_same_values() -> None:
    params = {p.name: p for p in cli.commands["build"].params}
    for name, literal in (("paper", Paper), ("lang", Language), ("template", Template),
                          ("pdf_variant", PdfVariant), ("formats", BuildFormat)):
        param_type = params[name].type
        assert isinstance(param_type, click.Choice)
        assert list(param_type.choices) == choices(literal), name
        setting = Config.model_fields[name].annotation
        expected = list[literal] if name == "formats" else literal  # type: ignore[valid-type]
        assert expected in typing.get_args(setting), name
