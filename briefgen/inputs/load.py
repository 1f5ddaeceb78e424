"""Stage 1, load: read one YAML file into plain data plus the location of every node.

PyYAML's C composer gives us the node graph with marks; we build the Python
values ourselves so that:

* scalars follow YAML 1.2's core schema (``on``, ``NO`` and ``y`` stay text;
  ``2025-06-05`` stays text until a model reads it as an ISO date);
* ambiguous numbers such as ``012`` are refused with a hint instead of turning
  into octal or decimal behind the user's back;
* duplicate keys, explicit tags, deep nesting, alias bombs, huge strings and
  huge files are each a located error, never a crash or a memory blow-up.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefgen.common.diagnostics import CONTROL, Diagnostic, InputError, Location, Severity
from briefgen.common.environment import from_os_error
from briefgen.common.fieldpath import FieldPath, format_path

try:  # the C parser is much faster; fall back to the pure-Python one where libyaml is absent
    # (yaml.CParser is not exported by PyYAML's top-level package: import it from cyaml.)
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Loader(_Parser, yaml.resolver.BaseResolver):
    """A composer with no implicit resolvers: every plain scalar arrives as text."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one YAML file may hold; each is a located error when passed."""

    max_bytes: int = 1_000_000
    max_depth: int = 40
    max_nodes: int = 200_000
    max_string: int = 100_000


DEFAULT_LIMITS = Limits()


@dataclass
class SourceFile:
    """The data of one YAML file and where each value and key sits in it."""

    path: str
    data: Any
    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    # The text as written of each plain scalar read as a number, boolean or null,
    # so that hints can quote it ("1.10" read as the number 1.1).
    raw: dict[FieldPath, str] = field(default_factory=dict)
    # The sha256 of exactly the bytes parsed: the build cache and the manifest record this,
    # never a second read, which a save in between would make disagree with the output.
    sha256: str = ""
    size: int = 0  # of those bytes

    def locate(self, path: FieldPath, *, key: bool = False) -> Location:
        """The location of the value (or key) at ``path``, else its nearest ancestor's."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Location(self.path, 1, 1))


def _loc(display: str, node: Node | Event) -> Location:
    mark = node.start_mark
    assert mark is not None  # the parser marks every event and node it makes
    return Location(display, mark.line + 1, mark.column + 1)


def _error(loc: Location, message: str, field_path: FieldPath = (), hint: str | None = None,
           code: str = "yaml") -> Diagnostic:
    return Diagnostic(loc, message, field=format_path(field_path), code=code, hint=hint)


class _Builder:
    def __init__(self, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.nodes = 0
        self.errors: list[Diagnostic] = []
        self.values: dict[FieldPath, Location] = {}
        self.keys: dict[FieldPath, Location] = {}
        self.raw: dict[FieldPath, str] = {}

    def build(self, node: Node, path: FieldPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise InputError([_error(
                _loc(self.display, node),
                f"more than {self.limits.max_nodes} values (aliases included); "
                "the file is too large or expands an alias too often",
                path, code="limit")])
        if depth > self.limits.max_depth:
            raise InputError([_error(
                _loc(self.display, node),
                f"nested deeper than {self.limits.max_depth} levels", path, code="limit")])
        self.values.setdefault(path, _loc(self.display, node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            self.check_tag(node, _SEQ_TAG, path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.check_tag(node, _MAP_TAG, path)
            return self.mapping(node, path, depth)
        raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover

    def check_tag(self, node: Node, expected: str, path: FieldPath) -> None:
        if node.tag != expected:
            self.errors.append(_error(
                _loc(self.display, node), f"YAML tags are not allowed, found {node.tag!r}", path,
                hint="remove the tag"))

    def mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.errors.append(_error(_loc(self.display, key_node),
                                          "a key must be plain text, found a list or mapping",
                                          path))
                continue
            key = key_node.value
            if self.control(key, key_node, path):
                continue
            key_loc = _loc(self.display, key_node)
            if key in out:
                first = self.keys[(*path, key)]
                self.errors.append(_error(
                    key_loc, f"duplicate key {key!r} (first defined at line {first.line})",
                    (*path, key), code="duplicate-key", hint="each key may appear once"))
                continue
            self.keys[(*path, key)] = key_loc
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out

    def control(self, text: str, node: Node, path: FieldPath) -> bool:
        """Refuse a control character (written as an escape such as "\\e" or "\\x07": YAML
        refuses them as raw bytes): invisible in an editor, and an escape sequence in any
        terminal or CI log that shows the text."""
        found = CONTROL.search(text)
        if found is None:
            return False
        self.errors.append(_error(
            _loc(self.display, node),
            f"a control character (U+{ord(found.group()):04X}) is not allowed in text",
            path, code="control", hint="remove it; break lines with a new line, not an escape"))
        return True

    def scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        text: str = node.value
        if self.control(text, node, path):
            return ""
        if len(text) > self.limits.max_string:
            self.errors.append(_error(
                _loc(self.display, node),
                f"text longer than {self.limits.max_string} characters ({len(text)})",
                path, code="limit"))
            return ""
        if node.tag != _STR_TAG:
            self.errors.append(_error(_loc(self.display, node),
                                      f"YAML tags are not allowed, found {node.tag!r}", path,
                                      hint="remove the tag"))
            return text
        if node.style:  # quoted or block scalars are always text
            return text
        value = self.plain(text, node, path)
        if not isinstance(value, str):
            self.raw[path] = text
        return value

    def plain(self, text: str, node: ScalarNode, path: FieldPath) -> Any:
        if text in _NULLS:
            return None
        if text in _TRUES:
            return True
        if text in _FALSES:
            return False
        if _LEADING_ZERO.fullmatch(text):
            self.errors.append(_error(
                _loc(self.display, node), f"ambiguous number {text}", path, code="ambiguous",
                hint=f"write {int(text)} for the number, or quote it as '{text}' for text"))
            return text
        if _INT.fullmatch(text):
            return int(text)
        if _OCT.fullmatch(text):
            return int(text[2:], 8)
        if _HEX.fullmatch(text):
            return int(text[2:], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return -math.inf if text.startswith("-") else math.inf
        if _NAN.fullmatch(text):
            return math.nan
        return text


def wide_encoding(raw: bytes) -> str | None:
    """"UTF-32" or "UTF-16" (with the byte order) when raw looks like one, by its
    byte-order mark or, without one, by where the NUL bytes of ASCII text fall; else None.
    UTF-32's little-endian mark begins with UTF-16's, so it is tested first."""
    marks = ((b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
             (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
             (b"\xff\xfe", "UTF-16 (little-endian)"), (b"\xfe\xff", "UTF-16 (big-endian)"))
    for mark, name in marks:
        if raw.startswith(mark):
            return name
    head = raw[:4]
    if len(head) == 4 and b"\x00" in head:
        if head[1:] == b"\x00\x00\x00":
            return "UTF-32 (little-endian)"
        if head[:3] == b"\x00\x00\x00":
            return "UTF-32 (big-endian)"
        if head[1] == 0 and head[3] == 0:
            return "UTF-16 (little-endian)"
        if head[0] == 0 and head[2] == 0:
            return "UTF-16 (big-endian)"
    return None


def _decode(raw: bytes, display: str) -> tuple[str, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warnings.append(Diagnostic(Location(display, 1, 1),
                                   "the file starts with a byte-order mark (BOM)",
                                   severity=Severity.WARNING, code="bom",
                                   hint="save it as UTF-8 without BOM"))
    elif (encoding := wide_encoding(raw)) is not None:
        raise InputError([Diagnostic(Location(display, 1, 1),
                                     f"the file is {encoding}; briefgen reads UTF-8 only",
                                     code="encoding", hint="save it as UTF-8")])
    try:
        return raw.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError([Diagnostic(
            Location(display, line, column),
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", code="encoding",
            hint="save the file as UTF-8")]) from None


def _yaml_problem(exc: yaml.MarkedYAMLError, display: str, text: str,
                  limits: Limits = DEFAULT_LIMITS) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip()
    hint = None
    lines = text.splitlines()
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:column].count("\t")):
        problem = "a tab character is used for indentation"
        hint = "YAML indents with spaces only"
    elif "expected a single document" in problem or "but found another document" in problem:
        problem = "the file holds more than one YAML document"
        hint = "keep one option or brief per file, without '---' separators"
    elif "found duplicate anchor" in problem:
        hint = "each anchor name may be defined once"
    elif context.startswith("while scanning a quoted scalar") and exc.context_mark:
        # Reported at the end of the file, where the scanner gave up: the quote is the news.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        problem = "the quoted text that starts here is never closed"
        hint = "end it with the same quote mark it opens with"
    elif context.startswith("while scanning a simple key") and exc.context_mark:
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        problem = "this line has no ': ' between its field and its value"
        hint = "write 'field: value', with a space after the colon"
    elif context.startswith("while parsing a flow") and exc.context_mark:
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        opened = "list" if "sequence" in context else "mapping"
        problem = f"the {opened} opened here is never closed"
        hint = f"close it with '{']' if opened == 'list' else '}'}'"
    elif "found undefined alias" in problem:
        name = re.match(r"\*([^\s,\]}]+)", lines[line - 1][column - 1:]) \
            if 0 < line <= len(lines) else None
        problem = f"the alias *{name.group(1)} names no anchor" if name else problem
        hint = "define the anchor (&name) before it, or quote the text if '*' is meant"
    elif "did not find expected key" in problem:
        problem = "this line's indentation does not match the lines around it"
        hint = "indent the fields of one mapping by the same number of spaces"
    elif "maximum nesting depth" in problem:
        # PyYAML >= 6.0.4 stops at 1000 levels while scanning ahead, before briefgen's
        # own (lower) depth limit sees the events: report it the same way.
        return Diagnostic(Location(display, line, column),
                          f"nested deeper than {limits.max_depth} levels", code="limit")
    return Diagnostic(Location(display, line, column), f"invalid YAML: {problem}", code="yaml",
                      hint=hint)


def _prescan(text: str, display: str, limits: Limits) -> None:
    """Check depth and node count (aliases expanded) on the event stream, before composing.

    PyYAML's composers recurse once per nesting level: the C one crashes the
    process (a segfault) and the Python one raises RecursionError on a deeply
    nested file. The event parser keeps its own stack, so walking the events
    first bounds depth and size in linear time, whatever the file holds. An
    alias counts as the whole subtree of its anchor, so a billion-laughs file
    is refused at the first alias that takes the total over the limit.
    """
    loader = _Loader(text)
    # One entry per open collection: [anchor, total when it opened, is mapping, children seen]
    stack: list[list[Any]] = []
    sizes: dict[str, int] = {}
    total = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, CollectionEndEvent):
                anchor, start, _, _ = stack.pop()
                if anchor is not None:
                    sizes[anchor] = total - start + 1
                continue
            if not isinstance(event, ScalarEvent | AliasEvent | CollectionStartEvent):
                continue
            is_key = False
            if stack:
                parent = stack[-1]
                is_key = parent[2] and parent[3] % 2 == 0
                parent[3] += 1
            if isinstance(event, AliasEvent):
                assert event.anchor is not None  # an alias always names its anchor
                if any(entry[0] == event.anchor for entry in stack):
                    raise InputError([Diagnostic(
                        _loc(display, event),
                        f"the alias *{event.anchor} refers to a value that contains it",
                        code="yaml", hint="an alias cannot repeat its own parent")])
                total += sizes.get(event.anchor, 1)
            elif not is_key:
                total += 1
            if isinstance(event, CollectionStartEvent):
                stack.append([event.anchor, total, isinstance(event, MappingStartEvent), 0])
                if len(stack) > limits.max_depth + 1:
                    raise InputError([Diagnostic(
                        _loc(display, event), f"nested deeper than {limits.max_depth} levels",
                        code="limit")])
            elif isinstance(event, ScalarEvent) and event.anchor is not None:
                sizes[event.anchor] = 1
            if total > limits.max_nodes:
                raise InputError([Diagnostic(
                    _loc(display, event),
                    f"more than {limits.max_nodes} values (aliases included); "
                    "the file is too large or expands an alias too often",
                    code="limit", hint="an alias (*name) counts as a copy of everything "
                    "its anchor (&name) holds")])
    finally:
        loader.dispose()


def parse_yaml(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Parse YAML text; raise InputError naming each problem with its location."""
    try:
        _prescan(text, display, limits)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_problem(exc, display, text, limits)]) from None
    except yaml.reader.ReaderError as exc:  # a raw control character, not allowed in YAML
        before = text[:exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError([Diagnostic(
            Location(display, line, column),
            f"invalid YAML: a control character (U+{ord(char):04X}) is not allowed in a file",
            code="yaml", hint="delete it: most editors do not show it")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Location(display, 1, 1), f"invalid YAML: {exc}",
                                     code="yaml")]) from None
    if node is None:
        raise InputError([Diagnostic(Location(display, 1, 1), "the file is empty",
                                     code="empty", hint="expected a mapping of fields")])
    builder = _Builder(display, limits)
    data = builder.build(node, (), 0)
    if builder.errors:
        raise InputError(builder.errors)
    if not isinstance(data, dict):
        raise InputError([Diagnostic(_loc(display, node),
                                     f"expected a mapping of fields, found {type_name(data)}",
                                     code="type")])
    return SourceFile(display, data, builder.values, builder.keys, raw=builder.raw)


def load_file(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceFile:
    """Read and parse one YAML file (stage 1 of the pipeline)."""
    display = display or str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise InputError([Diagnostic(
                Location(display, 1, 1),
                f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}",
                code="limit", hint="split it, or raise the limit with --max-file-size")])
        raw = path.read_bytes()
    except OSError as exc:  # the file is there but may not be read: the machine's problem
        raise from_os_error(exc, "read", display) from None
    text, warnings = _decode(raw, display)
    source = parse_yaml(text, display, limits)
    source.warnings.extend(warnings)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    source.size = len(raw)
    return source


def type_name(value: Any) -> str:
    """How a YAML reader would name the kind of a value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def iter_paths(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) pair below ``data``, depth first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from iter_paths(value, (*path, i))
