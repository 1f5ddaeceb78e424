"""The edition filter: what an edition keeps, what it withholds, and when it cannot be built."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.analysis.scores import analyse
from briefgen.common.diagnostics import InputError
from briefgen.inputs.levels import Ladder
from briefgen.inputs.loader import load_workspace
from briefgen.inputs.workspace import Workspace
from briefgen.present.editions import derived_levels, edition_problems, plan_edition
from tests.helpers.editions import MARKED, SECRET_RISK


def _load(root: Path) -> Workspace:
    ws, report = load_workspace(root)
    assert not report.errors, report.sorted()
    return ws


def test_an_edition_drops_every_part_above_its_level(workspace: Callable[..., Path]) -> None:
    ws = _load(workspace(**MARKED))
    plan = plan_edition(ws, "brief-x", "official")
    option = plan.workspace.options["opt-a"]
    assert [r.risk for r in option.risks] == ["(O) Partners see the offer as too small to matter"]
    assert option.benefits == ["(O) Narrows the surplus visibly and quickly"]  # portion mark
    assert [p.stance for p in option.positions] == ["supports"]
    assert plan.brief.recommendation is None
    assert plan.brief.classification == "OFFICIAL"  # the edition's level, by default
    assert SECRET_RISK in {r.risk for r in ws.options["opt-a"].risks}  # the input untouched


def test_figures_resting_only_on_released_parts_are_unchanged(
        workspace: Callable[..., Path]) -> None:
    ws = _load(workspace(**MARKED))
    plan = plan_edition(ws, "brief-x", "official")
    full = analyse(ws.briefs["brief-x"], [ws.options[i] for i in ("opt-a", "opt-b")])
    edition = analyse(plan.brief, [plan.workspace.options[i] for i in ("opt-a", "opt-b")])
    assert [(r.option, r.total, r.rank) for r in edition.ranking] == \
        [(r.option, r.total, r.rank) for r in full.ranking]
    assert not plan.recomputed


def test_derived_figures_inherit_the_level_of_their_inputs(
        workspace: Callable[..., Path]) -> None:
    option = MARKED["options"]["opt-a"].replace(
        "  cost: {value: 2,", "  cost: {level: CONFIDENTIAL, value: 2,")
    ws = _load(workspace(options={**MARKED["options"], "opt-a": option},
                         briefs=MARKED["briefs"]))
    brief = ws.briefs["brief-x"]
    derived = derived_levels(ws, brief, Ladder.of(brief), "OFFICIAL")
    assert derived.totals == {"opt-a": "CONFIDENTIAL", "opt-b": "OFFICIAL"}
    assert derived.ranking == "CONFIDENTIAL"
    assert derived.recommendation == "CONFIDENTIAL"  # it names opt-a
    assert [c.path for c in derived.causes] == [("scores", "cost")]


def test_withheld_scores_stop_the_edition_unless_it_recomputes(
        workspace: Callable[..., Path]) -> None:
    option = MARKED["options"]["opt-a"].replace(
        "  cost: {value: 2,", "  cost: {level: CONFIDENTIAL, value: 2,")
    root = workspace(options={**MARKED["options"], "opt-a": option}, briefs=MARKED["briefs"])
    ws = _load(root)
    with pytest.raises(InputError) as caught:
        plan_edition(ws, "brief-x", "official")
    [problem] = caught.value.diagnostics
    assert problem.field == "editions[0].level"
    assert "rest on parts above OFFICIAL" in problem.message
    assert "opt-a.yaml:10:9 scores.cost, CONFIDENTIAL" in problem.message  # the cause, located
    assert "recompute: true" in (problem.hint or "")

    brief = MARKED["briefs"]["brief-x"].replace("    portion_marks: true\n",
                                                "    recompute: true\n")
    ws = _load(workspace(options={**MARKED["options"], "opt-a": option},
                         briefs={"brief-x": brief}))
    plan = plan_edition(ws, "brief-x", "official")
    assert plan.recomputed
    score = plan.workspace.options["opt-a"].scores["cost"]
    assert score.value is None and score.not_scored == "Withheld"


def test_a_released_recommendation_naming_a_recomputed_option_is_left_out(
        workspace: Callable[..., Path]) -> None:
    option = MARKED["options"]["opt-a"].replace(
        "  cost: {value: 2,", "  cost: {level: CONFIDENTIAL, value: 2,")
    brief = (MARKED["briefs"]["brief-x"].replace("  level: CONFIDENTIAL\n  text:", "  text:")
             .replace("    portion_marks: true\n", "    recompute: true\n"))
    ws = _load(workspace(options={**MARKED["options"], "opt-a": option},
                         briefs={"brief-x": brief}))
    assert ws.briefs["brief-x"].recommendation is not None
    assert plan_edition(ws, "brief-x", "official").brief.recommendation is None


def test_check_reports_an_edition_with_no_ranking_left(workspace: Callable[..., Path]) -> None:
    option_b = MARKED["options"]["opt-b"] + "level: CONFIDENTIAL\n"
    brief = MARKED["briefs"]["brief-x"].replace("    portion_marks: true\n",
                                                "    recompute: true\n")
    ws = _load(workspace(options={**MARKED["options"], "opt-b": option_b},
                         briefs={"brief-x": brief}))
    problems = edition_problems(ws)
    assert any("no ranking left: its baseline 'opt-b' is left out" in p.message
               and p.field == "editions[0]" for p in problems)


def test_check_reports_an_edition_that_would_be_empty(workspace: Callable[..., Path]) -> None:
    brief = MARKED["briefs"]["brief-x"] + "level: CONFIDENTIAL\n"
    ws = _load(workspace(options=MARKED["options"], briefs={"brief-x": brief}))
    [first, *_] = edition_problems(ws)
    assert "edition 'official' would be empty: the whole brief is CONFIDENTIAL" in first.message
    assert first.location.file.endswith("briefs/brief-x.yaml")


def test_include_keeps_only_the_tagged_options_and_the_baseline(
        workspace: Callable[..., Path]) -> None:
    ws = _load(workspace(**MARKED))
    plan = plan_edition(ws, "brief-x", "press")
    assert plan.brief.options == ["opt-a", "opt-b"]  # opt-a is tagged press; opt-b the baseline
