"""Stage 1: YAML files become data with a location for every node, or located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.common.diagnostics import InputError, Severity
from briefgen.inputs.load import DEFAULT_LIMITS, Limits, load_file, parse_yaml


def errors_of(text: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "f.yaml", limits)
    return [d.text() for d in info.value.diagnostics]


def test_locations_of_values_and_keys() -> None:
    src = parse_yaml("title: A\nscores:\n  lev:\n    value: 7\n", "f.yaml")
    assert src.data == {"title": "A", "scores": {"lev": {"value": 7}}}
    loc = src.locate(("scores", "lev", "value"))
    assert (loc.line, loc.column) == (4, 12)
    key = src.locate(("scores", "lev"), key=True)
    assert (key.line, key.column) == (3, 3)
    # a path below a scalar falls back to the nearest ancestor that exists
    assert src.locate(("scores", "lev", "value", "deeper")) == loc


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    assert errors_of("title: A\nsummary: s\ntitle: B\n") == [
        "f.yaml:3:1: title: duplicate key 'title' (first defined at line 1) "
        "(each key may appear once)"
    ]


def test_yaml_1_1_words_stay_text_and_dates_stay_text() -> None:
    src = parse_yaml("a: NO\nb: on\nc: yes\nd: 2025-06-05\ne: 1.10\nf: true\ng: ~\n", "f.yaml")
    assert src.data == {"a": "NO", "b": "on", "c": "yes", "d": "2025-06-05", "e": 1.1,
                        "f": True, "g": None}


def test_quoted_numbers_stay_text() -> None:
    assert parse_yaml("a: '012'\nb: \"1.10\"\n", "f.yaml").data == {"a": "012", "b": "1.10"}


def test_leading_zero_number_is_refused_with_a_hint() -> None:
    assert errors_of("code: 012\n") == [
        "f.yaml:1:7: code: ambiguous number 012 (write 12 for the number, or quote it as "
        "'012' for text)"
    ]


def test_tab_indentation_gets_a_clear_message() -> None:
    (message,) = errors_of("a:\n\tb: 1\n")
    assert message.startswith("f.yaml:2:1: invalid YAML: a tab character is used for indentation")
    assert "spaces only" in message


def test_a_raw_control_character_is_located_at_itself() -> None:
    # It was '1:1' with the parser's own two lines ('in "<unicode string>", position 356').
    assert errors_of("id: a\ntitle: Keep \x01the plan\n") == [
        "f.yaml:2:13: invalid YAML: a control character (U+0001) is not allowed in a file "
        "(delete it: most editors do not show it)"
    ]


@pytest.mark.parametrize("written", [r"\e]0;pwned\a\e[2J", r"\x00", r"\u0085", r"\x7f"])
def test_an_escaped_control_character_in_text_is_refused_and_never_printed(written) -> None:
    # Accepted before, it reached the terminal (an escape sequence in a CI log) and the HTML.
    (message,) = errors_of(f'id: a\ntitle: "Keep {written} the plan"\n')
    assert message.startswith("f.yaml:2:8: title: a control character (U+00")
    assert "is not allowed in text" in message
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in message)


def test_a_control_character_in_a_key_is_refused() -> None:
    (message,) = errors_of('"ti\\atle": A\n')
    assert message.startswith("f.yaml:1:1: a control character (U+0007)")


def test_explicit_tags_are_refused() -> None:
    (message,) = errors_of("a: !!python/object:os.system echo\n")
    assert message.startswith("f.yaml:1:4: a: YAML tags are not allowed")


def test_several_documents_are_refused() -> None:
    (message,) = errors_of("a: 1\n---\nb: 2\n")
    assert "more than one YAML document" in message
    assert message.startswith("f.yaml:2:1:")


def test_empty_file_and_non_mapping() -> None:
    assert errors_of("") == ["f.yaml:1:1: the file is empty (expected a mapping of fields)"]
    assert errors_of("- a\n- b\n") == ["f.yaml:1:1: expected a mapping of fields, found a list"]


def test_bom_is_a_warning_and_the_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: A\n")
    src = load_file(path, "a.yaml")
    assert src.data == {"title": "A"}
    (warning,) = src.warnings
    assert warning.severity is Severity.WARNING
    assert warning.text() == ("a.yaml:1:1: warning: the file starts with a byte-order mark (BOM) "
                              "(save it as UTF-8 without BOM)")


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"title: A\nsummary: caf" + b"\xe9\n")
    with pytest.raises(InputError) as info:
        load_file(path, "a.yaml")
    assert info.value.diagnostics[0].text() == (
        "a.yaml:2:13: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)")


def test_billion_laughs_is_stopped_by_the_node_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (message,) = errors_of("\n".join(lines) + "\n")
    assert "more than 200000 values" in message
    assert "alias" in message


def test_recursive_alias_is_refused() -> None:
    assert errors_of("a: &x [*x]\n") == [
        "f.yaml:1:8: the alias *x refers to a value that contains it "
        "(an alias cannot repeat its own parent)"]


def test_long_strings_and_big_files_are_refused(tmp_path: Path) -> None:
    (message,) = errors_of("a: " + "x" * 50 + "\n", Limits(max_string=10))
    assert message == "f.yaml:1:4: a: text longer than 10 characters (50)"
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n")
    with pytest.raises(InputError) as info:
        load_file(path, "big.yaml", Limits(max_bytes=50))
    assert info.value.diagnostics[0].text().startswith(
        "big.yaml:1:1: the file is 104 bytes, over the limit of 50")


@pytest.mark.parametrize(("codec", "bom", "name"), [
    ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    ("utf-16-le", b"\xff\xfe", "UTF-16 (little-endian)"),
    ("utf-16-be", b"\xfe\xff", "UTF-16 (big-endian)"),
])
@pytest.mark.parametrize("with_bom", [True, False])
def test_wide_encodings_are_named_right(tmp_path: Path, codec: str, bom: bytes, name: str,
                                        with_bom: bool) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes((bom if with_bom else b"") + "title: A\n".encode(codec))
    with pytest.raises(InputError) as info:
        load_file(path, "a.yaml")
    assert info.value.diagnostics[0].text() == (
        f"a.yaml:1:1: the file is {name}; briefgen reads UTF-8 only (save it as UTF-8)")


@pytest.mark.parametrize(("text", "expected"), [
    # Each was reported where the scanner gave up: the end of the file, the next line.
    ('id: a\ntitle: "Keep the current\nsummary: s\nlead: x\n',
     "f.yaml:2:8: invalid YAML: the quoted text that starts here is never closed"),
    ("id: a\ntitle:Keep\nsummary: s\n",
     "f.yaml:2:1: invalid YAML: this line has no ': ' between its field and its value"),
    ("id: a\nactions: [a, b\nsummary: s\n",
     "f.yaml:2:10: invalid YAML: the list opened here is never closed (close it with ']')"),
    ("id: a\ntitle: *foo\n", "f.yaml:2:8: invalid YAML: the alias *foo names no anchor"),
    ("id: a\nscores:\n  a: 1\n b: 2\n",
     "f.yaml:4:2: invalid YAML: this line's indentation does not match the lines around it"),
])
def test_a_syntax_error_is_located_where_the_writer_must_look(text: str, expected: str) -> None:
    (message,) = errors_of(text)
    assert message.startswith(expected), message
