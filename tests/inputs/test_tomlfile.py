"""Reading TOML with the line and column of every key and value: tomllib reads the data,
a scanner of the text it accepted finds where each part starts."""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.common.diagnostics import InputError
from briefgen.inputs.load import iter_paths
from briefgen.inputs.tomlfile import parse_toml

RICH = '''\
# a comment with = and [brackets]
title = "a # not a comment" # a comment
"quoted key" = 'lit]eral'
dotted.key = 1979-05-27 07:32:00Z
multi = """
line one "quoted" ""
"""""
lit = \'\'\'x\'\'\'
array = [
  1, # one
  [2, 3],
  { a = 1, b.c = "x" },
]

[table]
k = true
[table.sub]
"k.2" = -1.5e3

[[items]]
name = "first"
[[items]]
name = "second"
[items.detail]
x = 1
'''


def test_locator_finds_every_key_and_value() -> None:
    source = parse_toml(RICH, "rich.toml")
    missing = [p for p, _ in iter_paths(source.data) if p not in source.values]
    assert missing == []
    at = {path: (loc.line, loc.column) for path, loc in source.values.items()}
    assert at[("title",)] == (2, 9)
    assert at[("quoted key",)] == (3, 16)
    assert source.keys[("quoted key",)].column == 1
    assert at[("dotted", "key")] == (4, 14)
    assert at[("multi",)] == (5, 9)
    assert at[("lit",)] == (8, 7)
    assert at[("array", 0)] == (10, 3)
    assert at[("array", 1, 1)] == (11, 7)
    assert at[("array", 2, "b", "c")] == (12, 18)
    assert (source.keys[("array", 2, "b")].line, source.keys[("array", 2, "b")].column) \
        == (12, 12)
    assert at[("table", "k")] == (16, 5)
    assert at[("table", "sub", "k.2")] == (18, 9)
    assert at[("items", 0, "name")] == (21, 8)
    assert at[("items", 1, "name")] == (23, 8)
    assert at[("items", 1, "detail", "x")] == (25, 5)
    assert source.data == tomllib.loads(RICH)


def test_a_syntax_error_raises_located() -> None:
    with pytest.raises(InputError) as caught:
        parse_toml('paper = "a4"\n[x\n', "b.toml")
    assert [d.text() for d in caught.value.diagnostics] == [
        "b.toml:2:3: invalid TOML: expected ']' at the end of a table declaration"]


# Any config-like document: each value is located exactly where its text starts.

_KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
_SCALARS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(-10**6, 10**6), st.booleans())


def _written(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[tuple[str | int, ...], str]]:
    """A TOML text and, for each value's path, the text the value is written as."""
    lines: list[str] = []
    expected: dict[tuple[str | int, ...], str] = {}
    for key in draw(st.lists(_KEYS, unique=True, max_size=6)):
        pad = draw(st.sampled_from(["", " ", "  "]))
        comment = draw(st.sampled_from(["", " # a comment = [x]", "  #"]))
        if draw(st.booleans()):
            value = draw(_SCALARS)
            expected[(key,)] = _written(value)
            lines.append(f"{key}{pad}={pad}{_written(value)}{comment}")
        else:
            items = draw(st.lists(_SCALARS, max_size=4))
            sep = draw(st.sampled_from([", ", ",\n  ", " ,"]))
            for i, item in enumerate(items):
                expected[(key, i)] = _written(item)
            text = "[" + sep.join(_written(i) for i in items) + "]"
            expected[(key,)] = text
            lines.append(f"{key}{pad}={pad}{text}{comment}")
        if draw(st.booleans()):
            lines.append("# between the keys")
    return "\n".join(lines) + "\n", expected


@settings(max_examples=150, deadline=None)
@given(documents())
def test_every_value_is_located_where_its_text_starts(
        document: tuple[str, dict[tuple[str | int, ...], str]]) -> None:
    text, expected = document
    source = parse_toml(text, "x.toml")
    lines = text.split("\n")
    for path, written in expected.items():
        loc = source.values[path]
        at = lines[loc.line - 1][loc.column - 1:]
        assert at.startswith(written.split("\n")[0]), (path, loc, text)
        key = source.keys[path[:1]]
        assert lines[key.line - 1][key.column - 1:].startswith(str(path[0]))
