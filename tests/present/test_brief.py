"""The view of a brief, through the HTML it renders (more in test_charts.py and
test_record.py): what the summary and the robustness section say when the ranking is not
the usual one (options tied first, a recommendation that is not first, no recommendation,
a baseline that leads), and how the weights are printed. Each from a concrete workspace,
rendered as the build renders it."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.inputs.loader import load_workspace
from briefgen.output.render import render_html
from briefgen.present.brief import present
from tests.conftest import BRIEF_X

# Alpha is strong on A, Charlie on B, Bravo middling on both: at 50/50 all three total
# the same. Below a 50 % weight on A Charlie leads alone, above it Alpha; Bravo never.
TIE_BRIEF = """\
id: brief-x
title: Tie
date: 2025-06-05
author: Policy Office
classification: OFFICIAL
audience: Minister
question: Which?
context: Some context.
baseline: keep
criteria:
  - {id: a, name: Reach, description: Reach., weight: 1, direction: benefit}
  - {id: b, name: Speed, description: Speed., weight: 1, direction: benefit}
"""


def scored(oid: str, title: str, a: int, b: int, kind: str = "option") -> str:
    return (f"id: {oid}\ntitle: {title}\nsummary: S.\ndescription: D.\nlead: L\n"
            f"actions: [Act]\nkind: {kind}\nscores:\n"
            f"  a: {{value: {a}, rationale: r., sources: [s]}}\n"
            f"  b: {{value: {b}, rationale: r., sources: [s]}}\n"
            "sources: [{id: s, title: Source, publisher: Agency}]\n")


TIED_OPTIONS = {
    "keep": scored("keep", "Keep things as they are", 1, 1, "business-as-usual"),
    "alpha": scored("alpha", "Alpha plan", 5, 1),
    "bravo": scored("bravo", "Bravo plan", 3, 3),
    "charlie": scored("charlie", "Charlie plan", 1, 5),
}


@pytest.fixture
def text(workspace: Callable[..., Path]) -> Callable[..., str]:
    """The brief-x HTML of a workspace as a reader sees it: the words, one space apart."""

    def run(options: dict[str, str] | None = None, brief: str = BRIEF_X) -> str:
        root = workspace(options=options, briefs={"brief-x": brief})
        ws, report = load_workspace(root)
        assert report.errors == []
        b = ws.briefs["brief-x"]
        page = render_html(present(ws, b, inputs=ws.input_digest(b)), root)
        page = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S)
        page = re.sub(r"</?(strong|em|a|span)\b[^>]*>", "", page)  # inline: no word break
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())

    return run


def test_options_tied_first_are_named_and_no_margin_is_claimed(text) -> None:
    page = text(TIED_OPTIONS, TIE_BRIEF)
    tied = ("Alpha plan, Bravo plan and Charlie plan are tied first at the stated weights: "
            "any change to one weight that favours one of them puts it first alone.")
    # In the summary's box, the robustness section and "What would have to be true".
    assert page.count(tied) == 3
    assert "No change of less than" not in page
    assert "within 10 percentage points of changing the leader" not in page
    assert "stays first." not in page.split("What would have to be true")[-1]
    # The rival that leads beyond the end is named (Bravo ties at 50 % too, but never
    # leads), and the margin to a tie is no change at all.
    assert ("Reach 50 % 50 %–100 % Charlie plan below 50 % none: stays first at 100 % "
            "0.0 points") in page
    assert "Speed 50 % 0 %–50 % none: stays first at 0 % Charlie plan above 50 % 0.0 points" in page


def test_tied_options_share_the_first_rank_in_rank_acceptability(text) -> None:
    page = text(TIED_OPTIONS, TIE_BRIEF)
    table = page.split("Share of weightings in which each option takes each rank")[1]
    # Alpha leads above 50 % of weight on A, Charlie below: half the draws each.
    first, third = map(int, re.search(r"Alpha plan (\d+) % 0 % (\d+) % 0 %", table).groups())
    assert 45 <= first <= 55 and first + third == 100
    assert "Bravo plan 0 % 100 % 0 % 0 %" in table


def recommend(option: str) -> str:
    return BRIEF_X + f"recommendation: {{option: {option}, text: We recommend it.}}\n"


def test_the_summary_says_where_the_recommended_option_ranks(text) -> None:
    first = text(brief=recommend("opt-a"))  # opt-a ranks first
    assert "The scores support the recommendation; they do not make it." in first
    second = text(brief=recommend("opt-b"))  # opt-b, the baseline, ranks second of two
    assert ("The recommended option, Option B, ranks 2 of 2 on these weights: the "
            "recommendation rests on more than the scores.") in second
    assert "support the recommendation" not in second


def test_without_a_recommendation_the_summary_says_nothing_of_one(text) -> None:
    page = text()
    assert "recommendation" not in page.split("Executive summary")[-1].split("Context")[0]


def test_a_leading_baseline_is_named_once(text) -> None:
    options = {"opt-b": scored("opt-b", "Keep things as they are", 5, 5, "business-as-usual"),
               "opt-a": scored("opt-a", "Option A", 1, 1)}
    brief = TIE_BRIEF.replace("baseline: keep", "baseline: opt-b")
    page = text(options, brief)
    assert ("On the weights below, the baseline, Keep things as they are, ranks first "
            "with 100.0 points.") in page
    assert "ranks 1 of" not in page


def test_the_worked_example_adds_up_by_hand_with_the_weights_as_printed(text) -> None:
    # Weights 3, 2, 2, 1 are 37.5, 25, 25 and 12.5 %: printed whole (38, 25, 25, 13) the
    # example's products summed to 75.4 against a stated 75.0.
    brief = TIE_BRIEF.replace(
        "  - {id: b, name: Speed, description: Speed., weight: 1, direction: benefit}\n",
        "  - {id: b, name: Speed, description: Speed., weight: 2, direction: benefit}\n"
        "  - {id: c, name: Cost, description: Cost., weight: 2, direction: benefit}\n"
        "  - {id: d, name: Risk, description: Risk., weight: 1, direction: benefit}\n"
    ).replace("weight: 1, direction: benefit}\n  - {id: b", "weight: 3, direction: benefit}\n"
              "  - {id: b", 1)
    options = {o: scored(o, o.title(), 4, 5).replace(
        "sources: [s]}\n" + "sources:", "sources: [s]}\n"
        "  c: {value: 4, rationale: r., sources: [s]}\n"
        "  d: {value: 0, rationale: r., sources: [s]}\nsources:") for o in ("keep", "alpha")}
    options["keep"] = options["keep"].replace("value: 4", "value: 1")
    page = text(options, brief)
    example = re.search(r"Worked example: Alpha scores (.*?) = ([\d.]+) points", page)
    assert example, page
    products = re.findall(r"([\d.]+) × ([\d.]+)\s?%", example.group(1))
    assert [w for _, w in products] == ["37.5", "25.0", "25.0", "12.5"]
    by_hand = sum(float(v) * float(w) / 100 for v, w in products)
    assert abs(by_hand - float(example.group(2))) <= 0.05
    assert "Reach. 0–5 points, higher is better 37.5 %" in page  # the criteria table too


def test_one_criterion_is_singular(text) -> None:
    brief = TIE_BRIEF.replace(
        "  - {id: b, name: Speed, description: Speed., weight: 1, direction: benefit}\n", "")
    options = {o: scored(o, o.title(), 4 if o == "alpha" else 1, 0).replace(
        "  b: {value: 0, rationale: r., sources: [s]}\n", "") for o in ("keep", "alpha")}
    page = text(options, brief)
    assert "2 compared on 1 criterion" in page and "1 criteria" not in page


def test_a_tied_rank_heads_its_option_without_a_stray_full_stop(workspace) -> None:
    from briefgen.output.render import render_markdown

    root = workspace(options=TIED_OPTIONS, briefs={"brief-x": TIE_BRIEF})
    ws, _ = load_workspace(root)
    b = ws.briefs["brief-x"]
    md = render_markdown(present(ws, b, inputs=ws.input_digest(b), draw_charts=False), root)
    assert "### 1= Alpha plan" in md and "### 4. Keep things as they are" in md
    assert "1=." not in md


def test_one_option_gets_no_robustness_analysis(text) -> None:
    # It printed "ranks first in 100 % of 10,000 random weightings" and "No change ...
    # puts another option first" about the only option there is.
    page = text({"keep": TIED_OPTIONS["keep"]}, TIE_BRIEF)
    assert "How robust is the ranking" not in page
    assert "How firm is the ranking?" not in page
    assert "random weightings" not in page


def test_one_criterion_gets_a_sentence_not_an_empty_stability_table(text) -> None:
    brief = TIE_BRIEF.replace(
        "  - {id: b, name: Speed, description: Speed., weight: 1, direction: benefit}\n", "")
    options = {o: TIED_OPTIONS[o].replace("  b: {value: 1, rationale: r., sources: [s]}\n", "")
               .replace("  b: {value: 3, rationale: r., sources: [s]}\n", "")
               .replace("  b: {value: 5, rationale: r., sources: [s]}\n", "")
               for o in ("keep", "alpha", "bravo")}
    page = text(options, brief)
    section = page.split("How robust is the ranking")[-1]
    assert ("There is one criterion only: its weight cannot change, so no weight can change "
            "the ranking.") in section
    assert "Stability intervals of the weights" not in section


def test_no_timeline_chart_when_no_option_gives_a_timeline(workspace) -> None:
    root = workspace(options=TIED_OPTIONS, briefs={"brief-x": TIE_BRIEF})
    ws, _ = load_workspace(root)
    b = ws.briefs["brief-x"]
    view = present(ws, b, inputs=ws.input_digest(b))
    assert view.extras is not None and "timeline" not in view.extras.charts
    assert "totals" in view.extras.charts  # the other charts are still drawn
