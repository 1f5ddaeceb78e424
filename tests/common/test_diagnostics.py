"""briefgen check: every problem in one run, located, sorted, in three formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.common.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    format_github,
    format_step_summary,
)
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def check(ws: Path, *args: str) -> tuple[int, str, str]:
    return run("check", "--workspace", str(ws), *args)


def lines_for(out: str, name: str) -> list[str]:
    return [line for line in out.splitlines() if name in line]


def test_valid_workspace(workspace) -> None:
    code, out, err = check(workspace())
    assert code == 0
    assert out == ""
    assert "OK: 2 options and 1 brief are valid." in err


def test_every_problem_in_every_file_sorted_by_file_and_line(workspace) -> None:
    bad_a = OPTION_A.replace("lead: Ministry of A", "laed: Ministry of A")
    bad_b = OPTION_B.replace("  cost: {value: 1", "  cots: {value: 1")
    ws = workspace(options={"opt-a": bad_a, "opt-b": bad_b})
    code, out, _ = check(ws)
    assert code == 1
    lines = out.splitlines()
    files = [line.split(":")[0] for line in lines]
    assert files == sorted(files)
    a = lines_for(out, "opt-a.yaml")
    assert any(":5:1: laed: unknown field 'laed' (did you mean 'lead'?)" in x for x in a)
    assert any(": lead: required field is missing" in x for x in a)
    b = lines_for(out, "opt-b.yaml")
    assert any(":10:3: scores.cots: unknown criterion 'cots' (did you mean 'cost'?)" in x
               for x in b)
    assert any("no score for criterion 'cost'" in x for x in b)


@pytest.mark.parametrize(("option", "where", "message"), [
    (OPTION_A.replace("value: 4,", "value: 9,"), ":9:21: scores.leverage.value",
     "must be between 0 and 5, got 9"),
    (OPTION_A.replace("value: 4,", "value: '4',"), ":9:21: scores.leverage.value",
     "expected a number, got the text '4' (write 4 without quotes)"),
    (OPTION_A.replace("id: opt-a", "id: opt-z"), ":1:5: id",
     "id 'opt-z' does not match the file name 'opt-a.yaml'"),
    (OPTION_A.replace("  - Act on A\n", "  - Act on A\nrelations: {depends_on: [opt-c]}\n"),
     ":8:26: relations.depends_on[0]", "unknown option 'opt-c'"),
    (OPTION_A.replace("sources: [report-a]}\n  cost", "sources: [rep-a]}\n  cost"),
     ":9:63: scores.leverage.sources[0]", "unknown source 'rep-a' (did you mean 'report-a'?)"),
    (OPTION_A.replace("status", "x").replace("description:", "status: propsed\ndescription:"),
     ":4:9: status", "expected one of 'draft', 'proposed', 'agreed' or 'rejected', got the "
     "text 'propsed' (did you mean 'proposed'?)"),
], ids=["out-of-scale", "quoted-number", "id-mismatch", "unknown-option", "unknown-source",
        "literal-did-you-mean"])
def test_option_rules_are_located(workspace, option: str, where: str, message: str) -> None:
    code, out, _ = check(workspace(options={"opt-a": option, "opt-b": OPTION_B}))
    assert code == 1
    assert f"opt-a.yaml{where}: {message}" in out


def test_unknown_option_in_brief_suggests_the_closest(workspace) -> None:
    brief = BRIEF_X.replace("baseline: opt-b", "baseline: opt-bb")
    code, out, _ = check(workspace(briefs={"brief-x": brief}))
    assert code == 1
    assert "brief-x.yaml:9:11: baseline: unknown option 'opt-bb' (did you mean 'opt-b'?)" in out


def test_warnings_show_and_fail_only_under_strict(workspace) -> None:
    option = OPTION_B.replace("{value: 2, rationale: Some leverage., sources: [report-b]}",
                              "{value: 2, sources: [report-b]}")
    option = option.replace("sources: [{id: report-b, title: Report on B, publisher: Agency}]",
                            "sources: []").replace(", sources: [report-b]", "")
    ws = workspace(options={"opt-a": OPTION_A, "opt-b": option})
    code, out, err = check(ws)
    assert code == 0
    assert "opt-b.yaml:1:5: warning: id: option cites no sources" in out
    assert "opt-b.yaml:9:13: warning: scores.leverage: score has no rationale" in out
    assert "opt-b.yaml:9:13: warning: scores.leverage: score cites no sources" in out
    assert "4 warnings in 1 file." in err
    assert check(ws, "--strict")[0] == 1


def test_placeholder_warns_and_fails_under_strict(workspace) -> None:
    option = OPTION_A.replace("summary: Do A.", "summary: 'TODO: one sentence'")
    ws = workspace(options={"opt-a": option, "opt-b": OPTION_B})
    code, out, _ = check(ws)
    assert code == 0
    assert ("opt-a.yaml:3:10: warning: summary: placeholder left in: 'TODO: one sentence' "
            "(replace the TODO text)") in out
    assert check(ws, "--strict")[0] == 1


def test_json_format(workspace) -> None:
    ws = workspace(options={"opt-a": OPTION_A.replace("lead:", "laed:"), "opt-b": OPTION_B})
    code, out, _ = check(ws, "--format", "json")
    assert code == 1
    rows = json.loads(out)
    unknown = next(r for r in rows if r["code"] == "unknown-field")
    assert unknown["location"]["line"] == 5 and unknown["location"]["column"] == 1
    assert unknown["location"]["file"].endswith("opt-a.yaml")
    assert unknown["severity"] == "error" and unknown["field"] == "laed"
    assert unknown["hint"] == "did you mean 'lead'?"


def test_github_format_prints_workflow_annotations(workspace, monkeypatch) -> None:
    ws = workspace(options={"opt-a": OPTION_A.replace("lead:", "laed:"), "opt-b": OPTION_B})
    monkeypatch.chdir(ws)
    code, out, _ = run("check", "--format", "github")
    assert code == 1
    assert ("::error file=options/opt-a.yaml,line=5,col=1,title=laed::laed: unknown field "
            "'laed' (did you mean 'lead'?)") in out.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in out.splitlines())


def test_github_annotation_escaping() -> None:
    d = Diagnostic(Location("a,b:c.yaml", 3, 4), "50% done\nnext", field="x",
                   severity=Severity.WARNING)
    assert format_github([d]) == ("::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=x::"
                                  "x: 50%25 done%0Anext")


def test_step_summary_counts_in_words() -> None:
    one = [Diagnostic(Location("options/a.yaml", 1, 1), "bad", field="x"),
           Diagnostic(Location("options/a.yaml", 2, 1), "odd", severity=Severity.WARNING)]
    assert "\n1 error and 1 warning in 2 options.\n" in format_step_summary(one, "2 options")
    assert "\n2 errors and 0 warnings in" in format_step_summary([one[0], one[0]], "x")


def test_check_files_reports_only_those_files(workspace, monkeypatch) -> None:
    ws = workspace(options={"opt-a": OPTION_A.replace("lead:", "laed:"),
                            "opt-b": OPTION_B.replace("lead:", "laed:")})
    monkeypatch.chdir(ws)
    code, out, _ = run("check", "options/opt-b.yaml")
    assert code == 1
    assert "opt-b.yaml" in out and "opt-a.yaml" not in out
    code, out, err = run("check", "briefs/brief-x.yaml")
    assert code == 0 and out == ""
    # Not "OK: 2 options and 1 brief are valid": both options are broken.
    assert "OK: briefs/brief-x.yaml is valid." in err and "options" not in err


def test_not_a_workspace(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path)
    assert code == 1
    assert "not a briefgen workspace" in out


def test_a_message_never_prints_a_control_character() -> None:
    from briefgen.common.diagnostics import Diagnostic, Location, format_github

    d = Diagnostic(Location("options/a.yaml", 2, 8), "unknown field 'x\x1b[2Jy\x07'",
                   field="title")
    assert d.text() == "options/a.yaml:2:8: title: unknown field 'x\\u001b[2Jy\\u0007'"
    assert "\x1b" not in format_github([d]) and "\\u001b[2J" in format_github([d])
