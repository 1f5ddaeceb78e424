"""Cross-file rules, each reported in the file the user has to change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B


@pytest.fixture
def check(workspace: Callable[..., Path], monkeypatch) -> Callable[..., list[str]]:
    def run(**files: dict[str, str]) -> list[str]:
        root = workspace(**files)
        monkeypatch.chdir(root)
        _, report = load_workspace(root)
        return [d.text() for d in report.errors]

    return run



def problems(root: Path) -> list[str]:
    _, report = load_workspace(root)
    return [d.text() for d in report.sorted()]


def test_unknown_option_in_brief_suggests_the_closest(check) -> None:
    brief = BRIEF_X + "options: [opt-a, opt-bb]\n"
    assert check(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:9:11: baseline: baseline 'opt-b' is not among the brief's options "
        "(add it to options)",
        "briefs/brief-x.yaml:21:18: options[1]: unknown option 'opt-bb' (did you mean 'opt-b'?)",
    ]


def test_unknown_baseline_and_recommendation(check) -> None:
    brief = BRIEF_X.replace("baseline: opt-b", "baseline: status-quo") + (
        "recommendation:\n  option: opt-c\n  text: Choose C.\n")
    assert check(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:9:11: baseline: unknown option 'status-quo' "
        "(there is no options/status-quo.yaml)",
        "briefs/brief-x.yaml:22:11: recommendation.option: unknown option 'opt-c' "
        "(did you mean 'opt-b'?)",
    ]


def test_missing_score_is_an_error_unless_marked_not_scored(check) -> None:
    missing = OPTION_B.replace(
        "  cost: {value: 1, rationale: Very cheap., sources: [report-b]}\n", "")
    assert check(options={"opt-a": OPTION_A, "opt-b": missing}) == [
        "options/opt-b.yaml:9:3: scores: no score for criterion 'cost', which brief 'brief-x' "
        "compares on (add scores.cost with a value, or with not_scored: and the reason)"
    ]
    marked = OPTION_B.replace("{value: 1, rationale: Very cheap., sources: [report-b]}",
                              "{not_scored: No estimate.}")
    assert check(options={"opt-a": OPTION_A, "opt-b": marked}) == []


def test_unknown_criterion_in_scores(check) -> None:
    extra = OPTION_A.replace("  cost:", "  levrage: {value: 1, rationale: x}\n  cost:")
    assert check(options={"opt-a": extra, "opt-b": OPTION_B}) == [
        "options/opt-a.yaml:10:3: scores.levrage: unknown criterion 'levrage' "
        "(did you mean 'leverage'?)"
    ]


def test_duplicate_criterion_ids(check) -> None:
    brief = BRIEF_X.replace("id: cost", "id: leverage")
    found = check(briefs={"brief-x": brief})
    assert found[0] == ("briefs/brief-x.yaml:16:9: criteria[1].id: duplicate criterion id "
                        "'leverage' (also criteria[0])")


def test_id_must_match_file_name_and_be_unique(check) -> None:
    found = check(options={"opt-a": OPTION_A, "opt-b": OPTION_B, "opt-a.yml": OPTION_A,
                           "other": OPTION_B})
    assert found == [
        "options/opt-a.yml:1:5: id: duplicate option id 'opt-a' (also in options/opt-a.yaml)",
        "options/other.yaml:1:5: id: id 'opt-b' does not match the file name 'other.yaml' "
        "(rename the file to opt-b.yaml or set id: other)",
    ]


def test_a_file_name_that_is_no_id_is_not_offered_as_one(check) -> None:
    # "set id: opt-a copy" would be refused in turn: ids are slugs.
    found = check(options={"opt-a": OPTION_A, "opt-b": OPTION_B, "opt-a copy": OPTION_A})
    assert found == [
        "options/opt-a copy.yaml:1:5: id: id 'opt-a' does not match the file name "
        "'opt-a copy.yaml' (rename the file to opt-a.yaml)",
    ]


def test_hidden_files_are_not_read(check) -> None:
    # macOS writes ._name.yaml copies on some disks; they were loaded as options.
    found = check(options={"opt-a": OPTION_A, "opt-b": OPTION_B, "._opt-a": "\x00garbage",
                           ".#opt-b": OPTION_B})
    assert found == []


def test_dependency_cycle_and_unknown_relation(check) -> None:
    a = OPTION_A + "relations:\n  depends_on: [opt-b]\n"
    b = OPTION_B + "relations:\n  depends_on: [opt-a]\n  conflicts_with: [opt-z, opt-b]\n"
    assert check(options={"opt-a": a, "opt-b": b}) == [
        "options/opt-b.yaml:14:16: relations.depends_on[0]: dependency cycle: "
        "opt-a -> opt-b -> opt-a (an option cannot depend on itself through others)",
        "options/opt-b.yaml:15:20: relations.conflicts_with[0]: unknown option 'opt-z' "
        "(did you mean 'opt-b'?)",
        "options/opt-b.yaml:15:27: relations.conflicts_with[1]: an option cannot refer to itself",
    ]


def test_relations_and_sources_named_twice_are_errors_each_reported_once(check) -> None:
    # All passed check, and a self-dependency was reported twice (itself and as a cycle).
    a = OPTION_A + ("relations:\n  depends_on: [opt-a, opt-z, opt-b, opt-b]\n"
                    "  conflicts_with: [opt-b]\n")
    a = a.replace("sources: [{id: report-a,", "sources: [{id: report-a, title: Report on A, "
                  "publisher: Agency}, {id: report-a,")
    b = OPTION_B + "relations:\n  depends_on: [opt-a]\n"
    assert check(options={"opt-a": a, "opt-b": b}) == [
        "options/opt-a.yaml:12:71: sources[1].id: source id 'report-a' is declared twice "
        "(also sources[0]) (give each source its own id)",
        "options/opt-a.yaml:14:16: relations.depends_on[0]: an option cannot refer to itself",
        "options/opt-a.yaml:14:23: relations.depends_on[1]: unknown option 'opt-z' "
        "(did you mean 'opt-b'?)",
        "options/opt-a.yaml:14:37: relations.depends_on[3]: 'opt-b' is already named in "
        "depends_on (name each option once, in one relation)",
        "options/opt-a.yaml:15:20: relations.conflicts_with[0]: 'opt-b' cannot be both "
        "depended on and in conflict (name each option once, in one relation)",
        "options/opt-b.yaml:14:16: relations.depends_on[0]: dependency cycle: "
        "opt-a -> opt-b -> opt-a (an option cannot depend on itself through others)",
    ]


def test_broken_option_does_not_cascade_into_unknown_id_errors(check) -> None:
    broken = OPTION_B.replace("title: Option B", "title: [not, text]")
    found = check(options={"opt-a": OPTION_A, "opt-b": broken})
    assert found == ["options/opt-b.yaml:2:8: title: expected text, got a list"]


def test_recommendation_may_name_a_package(check) -> None:
    brief = BRIEF_X + (
        "packages:\n  - {id: both, title: A and B together, options: [opt-a, opt-b]}\n"
        "recommendation:\n  option: both\n  text: Take both.\n")
    assert check(briefs={"brief-x": brief}) == []
    wrong = brief.replace("option: both", "option: bothh")
    assert check(briefs={"brief-x": wrong}) == [
        "briefs/brief-x.yaml:24:11: recommendation.option: unknown option 'bothh' "
        "(there is no options/bothh.yaml)"]


def test_broken_brief_does_not_cascade_into_unknown_source_errors(check) -> None:
    # opt-a cites a source the brief declares; the brief itself is broken elsewhere.
    brief = BRIEF_X.replace("weight: 3", "weight: -3") + (
        "sources:\n  - {id: shared, title: Shared report, publisher: Agency}\n")
    option = OPTION_A.replace("sources: [report-a]}\n  cost", "sources: [shared]}\n  cost")
    assert check(options={"opt-a": option, "opt-b": OPTION_B}, briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:14:13: criteria[0].weight: must be greater than 0, got -3"]


# --- money and packages -----------------------------------------------------------------

RATES = """\
currency: JPY
horizon_years: 5
exchange_rates:
  - {currency: USD, rate: 150, date: 2025-06-04, source: Bank of Japan}
"""
USD_COST = """\
cost:
  amount: 4500000000
  currency: USD
  period: per-year
  basis: Estimate
"""


def test_missing_rate_is_an_error_at_the_options_cost_currency(workspace):
    root = workspace(options={"opt-a": OPTION_A + USD_COST, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + "currency: JPY\n"})
    _, report = load_workspace(root)
    [error] = [d for d in report.errors if d.code == "missing-rate"]
    assert error.location.file.endswith("opt-a.yaml")
    assert error.field == "cost.currency"
    text = (root / "options" / "opt-a.yaml").read_text().splitlines()
    assert "currency: USD" in text[error.location.line - 1]
    assert "USD" in error.message and "JPY" in error.message


def test_rates_given_make_the_workspace_valid(workspace):
    root = workspace(options={"opt-a": OPTION_A + USD_COST, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + RATES})
    _, report = load_workspace(root)
    assert not report.errors


def test_package_with_conflicting_options_is_an_error(workspace):
    conflicting = OPTION_A + "relations: {conflicts_with: [opt-b]}\n"
    package = "packages:\n  - {id: both, title: Both, options: [opt-a, opt-b]}\n"
    root = workspace(options={"opt-a": conflicting, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + package})
    _, report = load_workspace(root)
    [error] = [d for d in report.errors if d.code == "package-conflict"]
    assert error.field == "packages[0].options[1]"
    assert "opt-a" in error.message and "opt-b" in error.message


# --- scores and the brief's scales --------------------------------------------------------


def test_score_out_of_scale(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace(options={"opt-a": OPTION_A.replace("value: 4", "value: 7"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:9:21: scores.leverage.value: must be between 0 and 5, got 7 "
        "(criterion 'leverage' of brief 'brief-x' is scored from 0 to 5)"
    ]


def test_one_source_id_with_two_titles_is_an_error_at_both(workspace, monkeypatch) -> None:
    brief = BRIEF_X + ("sources: [{id: report-a, title: Another report, publisher: Agency}]\n")
    root = workspace(briefs={"brief-x": brief})
    monkeypatch.chdir(root)
    clashes = [d.text() for d in load_workspace(root)[1].errors
               if d.code == "source-title-clash"]
    assert clashes == [
        "briefs/brief-x.yaml:21:33: sources[0].title: source 'report-a' is titled "
        "'Another report' here but 'Report on A' at options/opt-a.yaml:12:33 (give one "
        "source one id: use the same title in both places, or a different id for a "
        "different document)",
        "options/opt-a.yaml:12:33: sources[0].title: source 'report-a' is titled "
        "'Report on A' here but 'Another report' at briefs/brief-x.yaml:21:33 (give one "
        "source one id: use the same title in both places, or a different id for a "
        "different document)",
    ]


def test_two_options_with_one_source_id_and_two_titles(workspace, monkeypatch) -> None:
    b = OPTION_B.replace("id: report-b, title: Report on B", "id: report-a, title: Report on B")
    b = b.replace("sources: [report-b]", "sources: [report-a]")
    root = workspace(options={"opt-a": OPTION_A, "opt-b": b})
    monkeypatch.chdir(root)
    clashes = {d.location.file for d in load_workspace(root)[1].errors
               if d.code == "source-title-clash"}
    assert clashes == {"options/opt-a.yaml", "options/opt-b.yaml"}


def test_the_same_source_with_the_same_title_twice_is_fine(workspace, monkeypatch) -> None:
    brief = BRIEF_X + ("sources: [{id: report-a, title: Report on A, publisher: Agency}]\n")
    root = workspace(briefs={"brief-x": brief})
    monkeypatch.chdir(root)
    assert not [d for d in load_workspace(root)[1].errors if d.code == "source-title-clash"]


def test_a_fraction_on_an_ordinal_scale_is_a_warning_naming_the_whole_points(
        workspace: Callable[..., Path], monkeypatch) -> None:
    # 1.5 passed silently, though ordinal scales are whole points with labels.
    root = workspace(options={"opt-a": OPTION_A.replace("leverage: {value: 4,",
                                                        "leverage: {value: 1.5,"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    _, report = load_workspace(root)
    assert report.errors == []
    assert [d.text() for d in report.warnings] == [
        "options/opt-a.yaml:9:21: warning: scores.leverage.value: 1.5 is not a point of the "
        "scale: criterion 'leverage' of brief 'brief-x' is scored in whole points (write 1 "
        "or 2, or give a range with low: and high:)",
    ]


def test_a_cycle_is_located_at_its_own_item_after_an_unknown_one(check) -> None:
    # The cycle's place was counted among known options only: it pointed at 'opt-z'.
    a = OPTION_A + "relations:\n  depends_on: [opt-b]\n"
    b = OPTION_B + "relations:\n  depends_on: [opt-z, opt-a]\n"
    found = check(options={"opt-a": a, "opt-b": b})
    assert ("options/opt-b.yaml:14:23: relations.depends_on[1]: dependency cycle: "
            "opt-a -> opt-b -> opt-a (an option cannot depend on itself through others)"
            in found), found


@pytest.mark.parametrize(("labels", "expected"), [
    # Reported at the scale's first line, with pydantic's internal name ".ordinal".
    ("{0: none, 7: clear}", "briefs/brief-x.yaml:17:25: criteria[0].scale.labels.7: point 7 "
     "lies outside the scale's 0 to 5 (label the points from min to max, or widen the scale)"),
    # '+0', '-0' and '05' became points 0, 0 and 5: a label vanished without a word.
    ("{+0: none, -0: clear, 05: decisive}", "briefs/brief-x.yaml:17:15: "
     "criteria[0].scale.labels: write each point as a plain whole number, found '+0'"),
])
def test_scale_labels_are_checked_where_they_are_written(workspace: Callable[..., Path],
                                                         monkeypatch, labels: str,
                                                         expected: str) -> None:
    brief = BRIEF_X.replace("    weight: 3\n", "    weight: 3\n    scale:\n      kind: ordinal\n"
                            f"      labels: {labels}\n", 1)
    root = workspace(briefs={"brief-x": brief})
    monkeypatch.chdir(root)
    _, report = load_workspace(root)
    assert [d.text() for d in report.errors] == [expected]
