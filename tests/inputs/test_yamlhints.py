"""YAML as people expect it: each surprise with a concrete file, its message and place."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B


def problems(ws: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--workspace", str(ws)])
    assert "Traceback" not in result.output
    return result.exit_code, [line.split("/ws/", 1)[-1] for line in result.stdout.splitlines()]


def with_option_a(workspace, text: str | bytes) -> Path:
    ws = workspace()
    target = ws / "options" / "opt-a.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return ws


@pytest.mark.parametrize("word", ["NO", "on", "yes", "off", "y"])
def test_yaml11_booleans_stay_text(workspace, word: str) -> None:
    ws = with_option_a(workspace, OPTION_A + f"counterparts: [{word}]\n")
    assert problems(ws) == (0, [])


def test_version_number_in_text_field_gets_a_quote_hint(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("summary: Do A.", "summary: 1.10"))
    assert problems(ws) == (1, [
        "options/opt-a.yaml:3:10: summary: expected text, got the number 1.1 (unquoted, 1.10 "
        "is read as the number 1.1: write '1.10' in quotes to keep it as written)"])


def test_boolean_in_text_field(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("summary: Do A.", "summary: true"))
    assert problems(ws)[1] == [
        "options/opt-a.yaml:3:10: summary: expected text, got the boolean true (unquoted, "
        "true is read as a boolean: write 'true' in quotes for text)"]


def test_leading_zero_is_refused(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("summary: Do A.", "summary: 012"))
    assert problems(ws)[1] == [
        "options/opt-a.yaml:3:10: summary: ambiguous number 012 (write 12 for the number, or "
        "quote it as '012' for text)"]


def test_yes_in_a_number_field(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("{value: 4,", "{value: yes,"))
    assert problems(ws)[1] == [
        "options/opt-a.yaml:9:21: scores.leverage.value: expected a number, got the text 'yes' "
        "('yes' is text here (briefgen reads YAML 1.2, where yes/no/on/off are not booleans); "
        "write a number)"]


def test_thousands_separator_in_a_number_field(workspace) -> None:
    text = OPTION_A + "cost: {amount: 1_000, currency: EUR, period: one-off, basis: Quote}\n"
    ws = with_option_a(workspace, text)
    assert problems(ws)[1] == [
        "options/opt-a.yaml:13:16: cost.amount: expected a number, got the text '1_000' "
        "(write 1000 without separators)"]


def test_year_alone_as_a_source_date(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("date: 2025-06-05", "date: 2025"))
    code, lines = problems(ws)
    assert code == 1
    assert lines == ["options/opt-a.yaml:12:71: sources[0].date: expected text, got the number "
                     "2025 (write '2025' in quotes to keep it as text)"]


@pytest.mark.parametrize(("date", "message"), [
    ("05/06/2025", "expected an ISO date written YYYY-MM-DD"),
    ("2025-02-30", "'2025-02-30' is not a real calendar date"),
])
def test_brief_dates_are_iso(workspace, date: str, message: str) -> None:
    ws = workspace(briefs={"brief-x": BRIEF_X.replace("date: 2025-06-05", f"date: {date}")})
    assert problems(ws)[1] == [f"briefs/brief-x.yaml:3:7: date: {message}"]


def test_duplicate_key(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("lead: Ministry of A",
                                                   "lead: Ministry of A\nlead: Again"))
    assert problems(ws)[1] == [
        "options/opt-a.yaml:6:1: lead: duplicate key 'lead' (first defined at line 5) "
        "(each key may appear once)"]


def test_tab_indentation(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("  - Act on A", "\t- Act on A"))
    code, lines = problems(ws)
    assert code == 1
    assert lines[0].startswith("options/opt-a.yaml:7:1: invalid YAML: a tab character is used "
                               "for indentation (YAML indents with spaces only)")


def test_bom_is_a_warning(workspace) -> None:
    ws = with_option_a(workspace, b"\xef\xbb\xbf" + OPTION_A.encode())
    assert problems(ws) == (0, ["options/opt-a.yaml:1:1: warning: the file starts with a "
                                "byte-order mark (BOM) (save it as UTF-8 without BOM)"])


def test_non_utf8_bytes(workspace) -> None:
    ws = with_option_a(workspace, OPTION_A.replace("Do A.", "Do \xe9.").encode("latin-1"))
    assert problems(ws)[1] == ["options/opt-a.yaml:3:13: byte 0xe9 is not valid UTF-8 "
                               "(save the file as UTF-8)"]


def test_other_files_are_still_checked_when_one_does_not_parse(workspace) -> None:
    ws = workspace(options={"opt-a": "id: [", "opt-b": OPTION_B.replace("lead:", "laed:")})
    _, lines = problems(ws)
    assert any(line.startswith("options/opt-a.yaml:") for line in lines)
    assert any(line.startswith("options/opt-b.yaml:5:1: laed: unknown field") for line in lines)
