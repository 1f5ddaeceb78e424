"""The closed sets of values that both files and command-line options take.

Kept free of pydantic so that the command line can offer the same choices as
the models (``click.Choice(choices(Paper))``) without paying for importing
pydantic on every call.
"""

from __future__ import annotations

import typing
from typing import Any, Literal

Language = Literal["en", "ja"]
Paper = Literal["a4", "letter"]
Template = Literal["brief", "memo"]
PdfVariant = Literal["pdf/a-3b", "pdf/ua-1"]
BuildFormat = Literal["html", "pdf", "md", "json", "docx"]


def choices(literal: Any) -> list[str]:
    """The values of a Literal type, in order: ``choices(Paper) == ["a4", "letter"]``."""
    return [str(value) for value in typing.get_args(literal)]
