"""briefgen.toml: the build defaults a workspace would otherwise repeat on every call.

The file sits at the workspace root (see ``discovery``). Every key is optional
and stands for a command-line option of the same meaning; a flag given on the
command line wins over the file, and the file wins over briefgen's built-in
default. Unknown keys are errors with a "did you mean", like in option files,
and every problem is located at file:line:column.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from briefgen.common.diagnostics import Diagnostic, InputError, Location, Severity
from briefgen.common.paths import display_path
from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template
from briefgen.inputs.discovery import CONFIG_FILE
from briefgen.inputs.quickconfig import inside_workspace
from briefgen.inputs.safety import outside
from briefgen.inputs.tomlfile import load_toml
from briefgen.inputs.validate import validate_source

__all__ = ["CONFIG_FILE", "Config", "load_config"]


# What inside_workspace refuses, for editors: absolute paths (/x, C:x, \\server), any '..'
# part, control characters, and the workspace itself (., ./); something not blank must
# remain.
_INSIDE_PATTERN = (r"^(?![/\\]|[A-Za-z]:)(?!(?:.*[/\\])?\.\.(?:[/\\]|$))"
                   r"(?![\s\S]*[\x00-\x1f\x7f])(?!(?:\.[/\\]*)+$)(?=.*\S)")


Folder = Annotated[str, AfterValidator(inside_workspace),
                   Field(json_schema_extra={"pattern": _INSIDE_PATTERN})]


def _no_nulls(schema: dict[str, Any]) -> None:
    """TOML has no null: in the schema a key is either absent or holds a value."""
    for prop in schema.get("properties", {}).values():
        branches = [b for b in prop.pop("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:
            prop.update(branches[0])
        elif branches:  # pragma: no cover - no key takes two kinds of value
            prop["anyOf"] = branches
        if prop.get("default", "") is None:
            del prop["default"]


class Config(BaseModel):
    """Defaults for briefgen's commands in this workspace (briefgen.toml at its root).

    Each key stands for the command-line option of the same name, which still
    overrides it: `paper = "letter"` here, `--paper a4` on one call.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              json_schema_extra=_no_nulls)

    paper: Paper | None = Field(
        default=None, description="briefgen build --paper: paper size of the PDF, of "
        "printing the HTML and of the Word document (unless the workspace has its own "
        "templates/reference.docx, whose page size is kept). Default: a4.",
        examples=["letter"])
    lang: Language | None = Field(
        default=None, description="briefgen build --lang: build every brief in this "
        "language (files named like brief-ja.pdf). Default: each brief's own language.",
        examples=["ja"])
    out: Folder | None = Field(
        default=None, description="briefgen build and watch --out: the output folder, "
        "relative to the workspace and inside it. Default: output.",
        examples=["public/briefs"])
    formats: list[BuildFormat] | None = Field(
        default=None, min_length=1, description="briefgen build --format, for each "
        "format: what to build. Default: html and pdf.", examples=[["html", "pdf", "md"]])
    template: Template | None = Field(
        default=None, description="briefgen build --template: brief (the full comparison "
        "brief) or memo (a one-page decision memo). Default: brief.", examples=["memo"])
    pdf_variant: PdfVariant | None = Field(
        default=None, description="briefgen build --pdf-variant: pdf/a-3b (archival, with "
        "the YAML files attached) or pdf/ua-1 (accessible). Default: a tagged PDF 1.7.",
        examples=["pdf/a-3b"])
    jobs: int | None = Field(
        default=None, ge=1, description="briefgen build --jobs: how many processes build "
        "at once. Default: the number of CPUs.", examples=[4])
    strict: bool | None = Field(
        default=None, description="briefgen check --strict: warnings (such as TODO "
        "placeholders) fail the check too. Default: false.", examples=[True])


def load_config(root: Path) -> tuple[Config | None, list[Diagnostic]]:
    """The workspace's briefgen.toml (None when there is none or it is invalid) and its
    problems, each located at file:line:column."""
    root = root.resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, []
    display = display_path(path)
    if outside(path, root) is not None:
        return None, [Diagnostic(Location(display, 1, 1), f"{CONFIG_FILE} is a link to a file "
                                 "outside the workspace; briefgen does not read it",
                                 code="outside")]
    try:
        source = load_toml(path, display)
    except InputError as exc:
        return None, exc.diagnostics
    config, problems = validate_source(source, Config)
    problems = [*source.warnings, *problems]
    # The YAML hint (yes/no are text in YAML 1.2) means nothing in TOML.
    problems = [replace(d, hint="write true or false, without quotes")
                if d.code == "bool_type" else d for d in problems]
    if config is not None and config.out is not None:
        target = outside(root / config.out, root)
        if target is not None:
            problems.append(Diagnostic(source.locate(("out",)),
                                       f"leads outside the workspace (to {target})",
                                       field="out", code="outside",
                                       hint="name a folder inside the workspace"))
    if any(d.severity is Severity.ERROR for d in problems):
        return None, problems
    return config, problems
