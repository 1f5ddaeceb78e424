"""Stage 2: model validation, every problem located at file:line:column with the field.

The rules of particular fields are tested in test_models.py, the cross-file
rules (a score outside its brief's scale) in test_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B


def problems(root: Path) -> list[str]:
    _, report = load_workspace(root)
    return [d.text() for d in report.sorted()]


def test_valid_workspace_has_no_problems(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace()
    monkeypatch.chdir(root)
    assert problems(root) == []


def test_unknown_key_suggests_the_right_one(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace(options={"opt-a": OPTION_A.replace("summary:", "sumary:"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:1:1: summary: required field is missing",
        "options/opt-a.yaml:3:1: sumary: unknown field 'sumary' (did you mean 'summary'?)",
    ]


def test_wrong_types_say_what_was_expected_and_found(workspace: Callable[..., Path],
                                                     monkeypatch) -> None:
    bad = OPTION_A.replace("value: 4", 'value: "4"').replace("title: Option A", "title: 1.10")
    root = workspace(options={"opt-a": bad, "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:2:8: title: expected text, got the number 1.1 "
        "(unquoted, 1.10 is read as the number 1.1: write '1.10' in quotes to keep it as "
        "written)",
        "options/opt-a.yaml:9:21: scores.leverage.value: expected a number, got the text '4' "
        "(write 4 without quotes)",
    ]


def test_literal_choices_suggest_the_closest(workspace: Callable[..., Path], monkeypatch) -> None:
    bad = BRIEF_X.replace("direction: cost", "direction: costs")
    root = workspace(briefs={"brief-x": bad})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "briefs/brief-x.yaml:20:16: criteria[1].direction: expected one of 'benefit' or 'cost', "
        "got the text 'costs' (did you mean 'cost'?)"
    ]


def test_every_problem_in_every_file_in_one_run(workspace: Callable[..., Path],
                                                 monkeypatch) -> None:
    root = workspace(
        options={"opt-a": OPTION_A.replace("lead:", "leed:"), "opt-b": OPTION_B + "colour: red\n"},
        briefs={"brief-x": BRIEF_X.replace("audience:", "audiance:")},
    )
    monkeypatch.chdir(root)
    found = problems(root)
    assert [p.split(":")[0] for p in found] == [
        "briefs/brief-x.yaml", "briefs/brief-x.yaml",
        "options/opt-a.yaml", "options/opt-a.yaml", "options/opt-b.yaml"]
    assert "options/opt-b.yaml:13:1: colour: unknown field 'colour'" in found[-1]


def test_an_unknown_field_does_not_hide_the_files_other_problems(
        workspace: Callable[..., Path], monkeypatch) -> None:
    # 'kidn:' alone was reported; the score off its scale and the unknown source only
    # after the typo was fixed.
    option = (OPTION_A.replace("kind: do-minimum", "kidn: do-minimum")
              .replace("leverage: {value: 4,", "leverage: {value: 9,")
              .replace("cost: {value: 2, rationale: Cheap., sources: [report-a]}",
                       "cost: {value: 2, rationale: Cheap., sources: [nope]}"))
    root = workspace(options={"opt-a": option, "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    found = [p for p in problems(root) if p.startswith("options/")]
    assert found == [
        "options/opt-a.yaml:9:21: scores.leverage.value: must be between 0 and 5, got 9 "
        "(criterion 'leverage' of brief 'brief-x' is scored from 0 to 5)",
        "options/opt-a.yaml:10:49: scores.cost.sources[0]: unknown source 'nope' "
        "(declare it under sources: with this id)",
        "options/opt-a.yaml:11:1: kidn: unknown field 'kidn' (did you mean 'kind'?)",
    ]


def test_a_currency_in_small_letters_says_what_a_currency_code_is(
        workspace: Callable[..., Path], monkeypatch) -> None:
    # It read "does not have the expected form".
    root = workspace(briefs={"brief-x": BRIEF_X + "currency: eur\n"})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "briefs/brief-x.yaml:21:11: currency: must be a three-letter currency code in capitals "
        "(ISO 4217), got the text 'eur' (write EUR)"]


def test_a_field_in_other_capitals_or_cut_short_is_suggested(
        workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace(options={"opt-a": OPTION_A.replace("title:", "TITLE:")
                              .replace("description:", "desc:"), "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    found = problems(root)
    assert any("unknown field 'TITLE' (did you mean 'title'?)" in p for p in found), found
    assert any("unknown field 'desc' (did you mean 'description'?)" in p for p in found), found


def test_an_amount_past_any_budget_is_refused(workspace: Callable[..., Path],
                                              monkeypatch) -> None:
    # amount: 1e300 at a rate of 1e308 printed "JPY inf trillion".
    root = workspace(options={"opt-a": OPTION_A + "cost: {amount: 1.0e300, currency: JPY, "
                              "period: one-off, basis: A typo.}\n", "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:13:16: cost.amount: must be at most "
        "1,000,000,000,000,000,000, got 1e+300"]


def test_a_key_that_is_no_id_is_reported_at_the_key(workspace: Callable[..., Path],
                                                   monkeypatch) -> None:
    # It was reported at the value below, as "scores.Cost_X.[key]".
    root = workspace(options={"opt-a": OPTION_A.replace("  cost: {value: 2,",
                                                        "  Cost_X: {value: 2,"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root)[0] == (
        "options/opt-a.yaml:10:3: scores.Cost_X: must be a slug (lower-case letters, digits, "
        "'-' or '_'), got the text 'Cost_X'")
