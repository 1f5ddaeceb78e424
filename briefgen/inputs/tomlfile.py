"""Read a TOML file (briefgen.toml) into the same located SourceFile as a YAML file.

``tomllib`` (the standard library's reader) gives the data but no positions.
Once tomllib has accepted a file, a small scanner walks the same text and notes
where each key and value starts, so that ``validate`` places TOML problems at
file:line:column exactly as it places YAML ones. The scanner may assume valid
TOML: tomllib has already refused anything else, with a line and column this
module parses out of its message.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from pathlib import Path

from briefgen.common.diagnostics import Diagnostic, InputError, Location, Severity
from briefgen.common.fieldpath import FieldPath
from briefgen.inputs.load import DEFAULT_LIMITS, Limits, SourceFile

_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BARE_VALUE = re.compile(r"[^\s,\]}#]+")  # numbers, booleans, dates and times
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACED_TIME = re.compile(r" \d{2}:")  # a date-time written with a space instead of T


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, display: str) -> Diagnostic:
    message = str(getattr(exc, "msg", None) or exc)
    found = _AT.search(message)
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if found:
        message = message[:found.start()]
        if found[1]:
            line, column = int(found[1]), int(found[2])
    if line is None or column is None:  # "at end of document"
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    hint = None
    here = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
    rest = here[column - 1:]
    if message == "Invalid value" and re.match(r"[A-Za-z]", rest):
        hint = "TOML text goes in quotes: \"" + re.split(r"[\s#,\]}]", rest)[0] + "\""
    elif message.startswith(("Cannot overwrite", "Cannot declare")):
        column = len(here) - len(here.lstrip()) + 1  # at the key, not the end of its line
        hint = "each key and table may be set only once"
    return Diagnostic(Location(display, line, column),
                      f"invalid TOML: {message[:1].lower()}{message[1:]}", code="toml",
                      hint=hint)


class _Scanner:
    """Where each key and value of a valid TOML document starts."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self.i = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.values: dict[FieldPath, Location] = {(): Location(display, 1, 1)}
        self.keys: dict[FieldPath, Location] = {}
        self.latest: dict[FieldPath, int] = {}  # the last element of each array of tables

    def loc(self, i: int) -> Location:
        line = bisect.bisect_right(self.starts, i) - 1
        return Location(self.display, line + 1, i - self.starts[line] + 1)

    def peek(self, n: int = 1) -> str:
        return self.text[self.i:self.i + n]

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t") and self.peek():
            self.i += 1

    def skip_blank(self) -> None:
        """Spaces, newlines and comments."""
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r\n":
                self.i += 1
            elif char == "#":
                end = self.text.find("\n", self.i)
                self.i = len(self.text) if end < 0 else end
            else:
                return

    def skip_string(self) -> str:
        """Move past a string of any of TOML's four kinds; return it as written."""
        start, text = self.i, self.text
        quote = text[self.i]
        if text.startswith(quote * 3, self.i):
            end = self.i + 3
            while not text.startswith(quote * 3, end):
                end += 2 if quote == '"' and text[end] == "\\" else 1
            extra = 0  # up to two quotes may end the content: """a""""" holds a""
            while extra < 2 and text.startswith(quote, end + 3 + extra):
                extra += 1
            self.i = end + 3 + extra
        else:
            end = self.i + 1
            while text[end] != quote:
                end += 2 if quote == '"' and text[end] == "\\" else 1
            self.i = end + 1
        return text[start:self.i]

    def key(self) -> tuple[str, ...]:
        """A dotted key: bare, "basic" or 'literal' parts joined by dots."""
        parts: list[str] = []
        while True:
            self.skip_spaces()
            if self.peek() in ('"', "'"):
                parts.append(tomllib.loads(f"k = {self.skip_string()}")["k"])
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:  # pragma: no cover - tomllib accepted the file
                    raise ValueError(f"no key at {self.loc(self.i)}")
                parts.append(match[0])
                self.i = match.end()
            self.skip_spaces()
            if self.peek() != ".":
                return tuple(parts)
            self.i += 1

    def resolve(self, parts: tuple[str, ...]) -> FieldPath:
        """The data path of a table name: through the last element of arrays of tables."""
        out: FieldPath = ()
        for part in parts:
            out = (*out, part)
            if out in self.latest:
                out = (*out, self.latest[out])
        return out

    def note_key(self, path: FieldPath, where: Location) -> None:
        for n in range(1, len(path) + 1):  # a dotted key also defines its parent tables
            self.keys.setdefault(path[:n], where)
            self.values.setdefault(path[:n], where)

    def value(self, path: FieldPath) -> None:
        self.values[path] = self.loc(self.i)
        char = self.peek()
        if char in ('"', "'"):
            self.skip_string()
        elif char == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_blank()
                if self.peek() == "]":
                    self.i += 1
                    return
                self.value((*path, index))
                index += 1
                self.skip_blank()
                if self.peek() == ",":
                    self.i += 1
        elif char == "{":
            self.i += 1
            while True:
                self.skip_spaces()
                if self.peek() == "}":
                    self.i += 1
                    return
                self.pair(path)
                self.skip_spaces()
                if self.peek() == ",":
                    self.i += 1
        else:
            match = _BARE_VALUE.match(self.text, self.i)
            self.i = match.end() if match else self.i + 1
            if match and _DATE.fullmatch(match[0]) and _SPACED_TIME.match(self.text, self.i):
                self.i = _BARE_VALUE.match(self.text, self.i + 1).end()  # type: ignore[union-attr]

    def pair(self, table: FieldPath) -> None:
        start = self.loc(self.i)
        path = (*table, *self.key())
        self.note_key(path, start)
        self.skip_spaces()
        self.i += 1  # =
        self.skip_spaces()
        self.value(path)

    def scan(self) -> None:
        table: FieldPath = ()
        while True:
            self.skip_blank()
            if self.i >= len(self.text):
                return
            if self.text.startswith("[[", self.i):
                self.i += 2
                self.skip_spaces()
                start = self.loc(self.i)
                *parents, last = self.key()
                array = (*self.resolve(tuple(parents)), last)
                self.latest[array] = self.latest.get(array, -1) + 1
                table = (*array, self.latest[array])
                self.note_key(table, start)
                self.i = self.text.index("]]", self.i) + 2
            elif self.peek() == "[":
                self.i += 1
                self.skip_spaces()
                start = self.loc(self.i)
                table = self.resolve(self.key())
                self.note_key(table, start)
                self.i = self.text.index("]", self.i) + 1
            else:
                self.pair(table)


def parse_toml(text: str, display: str) -> SourceFile:
    """Parse TOML text; raise InputError with the located syntax error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([_syntax_error(exc, text, display)]) from None
    scanner = _Scanner(text, display)
    scanner.scan()
    return SourceFile(display, data, scanner.values, scanner.keys)


def load_toml(path: Path, display: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Read and parse one TOML file; every problem is a located InputError."""
    display = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(Location(display, 1, 1),
                                     f"cannot read the file: {exc.strerror}", code="io")]) from None
    if len(raw) > limits.max_bytes:
        raise InputError([Diagnostic(Location(display, 1, 1),
                                     f"the file is {len(raw):,} bytes, over the limit of "
                                     f"{limits.max_bytes:,}", code="limit")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise InputError([Diagnostic(Location(display, line, column),
                                     "the file is not UTF-8 text", code="encoding",
                                     hint="save it as UTF-8")]) from None
    bom = text.startswith("\ufeff")  # Windows editors add one; TOML parsers refuse it
    source = parse_toml(text.removeprefix("\ufeff").replace("\r\n", "\n"), display)
    if bom:
        source.warnings.append(Diagnostic(Location(display, 1, 1), "the file starts with a "
                                          "byte-order mark (BOM)", severity=Severity.WARNING,
                                          code="bom", hint="save it as UTF-8 without BOM"))
    return source
