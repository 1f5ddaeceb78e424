"""The field reference in docs/writing-options.md is generated from the models and kept current."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.authoring.fielddocs import render_reference, updated
from briefgen.cli import cli
from briefgen.inputs.models import MODELS
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "writing-options.md"


def test_committed_field_reference_matches_the_models() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert updated(text) == text, "run: python -m briefgen docs --write"


def test_reference_lists_every_field() -> None:
    reference = render_reference()
    for model in MODELS.values():
        for name in model.model_fields:
            assert f"| `{name}` |" in reference


def test_docs_check_command(tmp_path: Path) -> None:
    stale = tmp_path / "guide.md"
    stale.write_text(GUIDE.read_text().replace("| `lead` |", "| `leed` |"))
    runner = CliRunner()
    assert runner.invoke(cli, ["docs", "--check", "--file", str(stale)]).exit_code == 1
    assert runner.invoke(cli, ["docs", "--write", "--file", str(stale)]).exit_code == 0
    assert stale.read_text() == GUIDE.read_text()
