"""Problems found in user input, each tied to a place in a file.

Every stage (load, validate, cross-file rules) reports through these types, so
the CLI can print them one way: ``file:line:column: field: message``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path

# C0 and C1 control characters and DEL, but tab and line breaks: invisible in an editor,
# and on a terminal (or a CI log) an escape sequence can rewrite what the reader sees.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text with every control character written as its code point (\\u001b): a message
    that quotes a file's content never sends a terminal an escape sequence."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """A 1-based line and column in a file, as editors count them."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR
    code: str = "invalid"
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.field)

    def text(self) -> str:
        prefix = f"{self.location}: "
        if self.severity is Severity.WARNING:
            prefix += "warning: "
        body = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            body += f" ({self.hint})"
        return visible(prefix + body)


class InputError(Exception):
    """Raised when user input stops a stage; carries every problem found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: d.sort_key)
        super().__init__("\n".join(d.text() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Diagnostic]]]:
        # Rebuilt from the diagnostics, not the message, when a build worker sends it back.
        return (type(self), (self.diagnostics,))


@dataclass
class Report:
    """Diagnostics gathered over a whole run, so one run shows every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda d: d.sort_key)


def format_text(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.text() for d in diagnostics)


def format_json(diagnostics: list[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["severity"] = str(d.severity)
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _escape_annotation(value: str, *, is_property: bool = False) -> str:
    # GitHub's workflow-command escaping: %, CR and LF always; : and , in properties.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        loc = d.location
        props = ",".join(
            [
                f"file={_escape_annotation(loc.file, is_property=True)}",
                f"line={loc.line}",
                f"col={loc.column}",
                f"title={_escape_annotation(d.field or d.code, is_property=True)}",
            ]
        )
        message = f"{d.field}: {d.message}" if d.field else d.message
        if d.hint:
            message += f" ({d.hint})"
        lines.append(visible(f"::{d.severity} {props}::{_escape_annotation(message)}"))
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def relative_to_root(diagnostics: list[Diagnostic], root: Path | None) -> list[Diagnostic]:
    """The same problems with each file named relative to ``root``.

    GitHub places an annotation only when its file is relative to the repository
    root, while briefgen names files relative to the current folder: run from a
    subfolder (a workspace inside a larger repository), the two differ. Files
    outside ``root`` keep their name.
    """
    if root is None:
        return diagnostics
    cwd = Path.cwd()
    out = []
    for d in diagnostics:
        try:
            rel = (cwd / d.location.file).resolve().relative_to(root).as_posix()
        except ValueError:
            out.append(d)
            continue
        out.append(replace(d, location=replace(d.location, file=rel)))
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def format_step_summary(diagnostics: list[Diagnostic], checked: str) -> str:
    """A Markdown report for a CI job's summary page.

    GitHub shows at most ten annotations of each kind per step; the summary lists
    every problem, so none is lost on a large change.
    """
    if not diagnostics:
        return f"### briefgen check\n\nNo problems: {checked}.\n"
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    lines = [
        "### briefgen check",
        "",
        f"{_count(errors, 'error')} and {_count(len(diagnostics) - errors, 'warning')} in "
        f"{checked}.",
        "",
        "| where | severity | field | problem |",
        "|---|---|---|---|",
    ]
    for d in diagnostics:
        problem = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"| `{_cell(str(d.location))}` | {d.severity} | {_cell(d.field or '')} "
                     f"| {_cell(problem)} |")
    return "\n".join(lines) + "\n"
