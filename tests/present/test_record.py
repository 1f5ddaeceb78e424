"""The brief as a decision record (issue 8): each rule with a concrete file, and what
the brief shows. HTML only: the PDF path is covered once in test_cli."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.inputs.loader import load_workspace
from briefgen.output.render import render_html
from briefgen.present.brief import present
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B

# BRIEF_X has 20 lines: whatever a test appends starts on line 21.

OPTION_C = """\
id: opt-c
title: Option C
summary: Do C.
description: C plan.
lead: Ministry of C
actions: [Act on C]
scores:
  leverage: {value: 5, rationale: Most leverage., sources: [report-c]}
  cost: {value: 4, rationale: Dear., sources: [report-c]}
sources: [{id: report-c, title: Report on C, publisher: Agency}]
"""


@pytest.fixture
def problems(workspace: Callable[..., Path], monkeypatch) -> Callable[..., list[str]]:
    """Every diagnostic (errors and warnings) of a workspace, as printed."""

    def run(**files: dict[str, str]) -> list[str]:
        root = workspace(**files)
        monkeypatch.chdir(root)
        _, report = load_workspace(root)
        return [d.text() for d in report.sorted()]

    return run


@pytest.fixture
def html(workspace: Callable[..., Path]) -> Callable[..., str]:
    """The brief-x HTML of a workspace, as the build renders it."""

    def run(**files: dict[str, str]) -> str:
        root = workspace(**files)
        ws, report = load_workspace(root)
        assert report.errors == []
        brief = ws.briefs["brief-x"]
        return render_html(present(ws, brief, inputs=ws.input_digest(brief)), root)

    return run


def text_of(page: str, section: str) -> str:
    """The text of one <section id=...> of the page, tags stripped."""
    match = re.search(rf'<section id="{section}".*?</section>', page, re.S)
    assert match, f"no section {section!r}"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()
    return html_lib.unescape(text)


# --- stages and versions ---------------------------------------------------------


def test_version_must_be_quoted_text(problems) -> None:
    brief = BRIEF_X + "version: 1.2\nstatus: final\n"
    assert problems(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:21:10: version: expected text, got the number 1.2 "
        "(write '1.2' in quotes to keep it as text)"]


def test_status_is_one_of_the_stages(problems) -> None:
    brief = BRIEF_X + "status: approved\n"
    assert problems(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:21:9: status: expected one of 'draft', 'consultation', 'final', "
        "'decided' or 'superseded', got the text 'approved'"]


def test_draft_is_watermarked_until_final(html) -> None:
    draft = html(briefs={"brief-x": BRIEF_X + 'version: "0.3"\nstatus: consultation\n'})
    assert '<div class="watermark watermark-draft" aria-hidden="true">Draft</div>' in draft
    assert "For consultation</span> · version 0.3" in draft
    final = html(briefs={"brief-x": BRIEF_X + 'version: "1.0"\nstatus: final\n'})
    assert 'class="watermark' not in final
    assert ">Final</span> · version 1.0" in final
    superseded = html(briefs={"brief-x": BRIEF_X + "status: superseded\n"})
    assert ('<div class="watermark watermark-superseded" aria-hidden="true">Superseded</div>'
            in superseded)


def test_changes_annex_only_when_there_are_changes(html) -> None:
    assert 'id="changes"' not in html()
    brief = BRIEF_X + ('version: "1.1"\nchanges:\n'
                       '  - {version: "1.1", date: 2025-06-07, summary: Added option C.}\n'
                       '  - {version: "1.0", date: 2025-06-05, summary: First issue.}\n')
    assert text_of(html(briefs={"brief-x": brief}), "changes") == (
        "Annex: What changed since the previous version Versions of this brief; this is "
        "version 1.1 Version Date What changed 1.1 7 June 2025 Added option C. "
        "1.0 5 June 2025 First issue.")


# --- short list ------------------------------------------------------------------


def test_short_list_needs_business_as_usual_baseline_and_do_minimum(problems) -> None:
    a = OPTION_A.replace("kind: do-minimum\n", "")
    b = OPTION_B.replace("kind: business-as-usual\n", "kind: option\n")
    assert problems(options={"opt-a": a, "opt-b": b}) == [
        "briefs/brief-x.yaml:1:1: warning: options: the short list has no do-minimum option "
        "(set kind: do-minimum in the option file of the least that meets the core need, "
        "and compare it here)",
        "briefs/brief-x.yaml:9:11: warning: baseline: no business-as-usual baseline: the "
        "baseline 'opt-b' is of kind 'option' (set kind: business-as-usual in "
        "options/opt-b.yaml, or make the business-as-usual option the baseline)",
    ]


def test_set_aside_options_leave_the_ranking(problems, html) -> None:
    brief = BRIEF_X + "set_aside:\n  - {option: opt-c, reason: Outside our remit.}\n"
    c = OPTION_C.replace("  cost: {value: 4, rationale: Dear., sources: [report-c]}\n", "")
    files = {"options": {"opt-a": OPTION_A, "opt-b": OPTION_B, "opt-c": c},
             "briefs": {"brief-x": brief}}
    assert problems(**files) == []  # no missing-score error for the set-aside option
    page = html(**files)
    assert "Option C" not in text_of(page, "summary")
    assert "Option C" not in text_of(page, "matrix")
    assert 'id="option-opt-c"' not in page
    assert text_of(page, "set-aside") == (
        "Annex: Options considered and set aside These options were considered and are not "
        "ranked or scored in this brief. Option Reason for setting it aside Option C Do C. "
        "Outside our remit.")


def test_set_aside_must_name_a_known_option_other_than_the_baseline(problems) -> None:
    brief = BRIEF_X + ("set_aside:\n  - {option: opt-bb, reason: Typo.}\n"
                       "  - {option: opt-b, reason: Not wanted.}\n")
    assert problems(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:9:11: baseline: baseline 'opt-b' is not among the brief's "
        "options (add it to options)",
        "briefs/brief-x.yaml:22:14: set_aside[0].option: unknown option 'opt-bb' "
        "(did you mean 'opt-b'?)",
        "briefs/brief-x.yaml:23:14: set_aside[1].option: the baseline 'opt-b' cannot be set "
        "aside: the other options are measured against it (choose another baseline or keep "
        "this option)",
    ]


# --- bottom line up front ------------------------------------------------------------


def test_bluf_of_five_lines_is_refused_with_the_rule(problems) -> None:
    brief = BRIEF_X + "bluf: |\n  One.\n  Two.\n\n  Three.\n  Four.\n  Five.\n"
    assert problems(briefs={"brief-x": brief}) == [
        "briefs/brief-x.yaml:21:7: bluf: bottom line up front is 5 lines long: a BLUF has at "
        "most 4 lines (non-empty lines of text) and at most 440 characters in all (4 x 110, "
        "line breaks not counted)"]


def test_bluf_over_the_character_budget_is_refused(problems) -> None:
    brief = BRIEF_X + f"bluf: {'word ' * 90}end\n"
    (found,) = problems(briefs={"brief-x": brief})
    assert found.startswith("briefs/brief-x.yaml:21:7: bluf: bottom line up front is 453 "
                            "characters long: a BLUF has at most 4 lines")


def test_bluf_opens_the_brief_after_the_title_block(html) -> None:
    page = html(briefs={"brief-x": BRIEF_X + "bluf: |\n  Choose A.\n  B is the baseline.\n"})
    assert page.index("</header>") < page.index('id="bluf"') < page.index('id="decision"')
    assert text_of(page, "bluf") == "Bottom line Choose A. B is the baseline."


# --- positions and dissent ------------------------------------------------------------


def test_positions_and_dissent_are_shown(html) -> None:
    a = OPTION_A + ("positions:\n  - {stakeholder: Ministry of Finance, stance: opposes, "
                    "note: Too dear}\n  - {stakeholder: Industry body, stance: supports}\n")
    brief = BRIEF_X + ("recommendation:\n  option: opt-a\n  text: Choose A.\n  dissent:\n"
                       "    - {who: Ministry of Finance, note: A costs too much.}\n")
    page = html(options={"opt-a": a, "opt-b": OPTION_B}, briefs={"brief-x": brief})
    assert ('<span class="stance stance-opposes">Opposes</span></td><td>Too dear</td>'
            in page)
    rec = page[page.index('class="recommendation"'):]
    rec = rec[:rec.index("</div>")]  # the dissent sits inside the recommendation box
    assert ('<aside class="dissent" aria-label="Dissent">\n  <p class="dissent-label">Dissent'
            '</p>\n  <p><strong>Ministry of Finance:</strong> A costs too much.</p>' in rec)


def test_position_stance_is_checked(problems) -> None:
    a = OPTION_A + "positions:\n  - {stakeholder: MOF, stance: against}\n"
    assert problems(options={"opt-a": a, "opt-b": OPTION_B}) == [
        "options/opt-a.yaml:14:32: positions[0].stance: expected one of 'supports', "
        "'opposes' or 'neutral', got the text 'against'"]


# --- objectives ---------------------------------------------------------------------

OBJECTIVES = """\
objectives:
  - {id: relief, name: Tariff relief, threshold: Car tariff at 2.5 % or less}
  - {id: supply, name: Secure supply, threshold: Twelve months of stock}
"""


def test_unknown_objective_is_an_error_and_a_missing_one_a_warning(problems) -> None:
    a = OPTION_A + "objectives:\n  relief: {contribution: meets}\n  suply: {contribution: partly}\n"
    assert problems(options={"opt-a": a, "opt-b": OPTION_B},
                    briefs={"brief-x": BRIEF_X + OBJECTIVES}) == [
        "options/opt-a.yaml:14:3: warning: objectives: no contribution stated for objective "
        "'supply', which brief 'brief-x' sets (add objectives.supply with contribution: meets, "
        "partly or does-not-meet)",
        "options/opt-a.yaml:15:3: objectives.suply: unknown objective 'suply' "
        "(did you mean 'supply'?)",
        "options/opt-b.yaml:1:5: warning: id: no contribution stated for objective 'relief', "
        "which brief 'brief-x' sets (add objectives.relief with contribution: meets, partly or "
        "does-not-meet)",
        "options/opt-b.yaml:1:5: warning: id: no contribution stated for objective 'supply', "
        "which brief 'brief-x' sets (add objectives.supply with contribution: meets, partly or "
        "does-not-meet)",
    ]


def test_duplicate_objective_id(problems) -> None:
    brief = BRIEF_X + OBJECTIVES.replace("id: supply", "id: relief")
    assert "briefs/brief-x.yaml:23:10: objectives[1].id: duplicate objective id 'relief' " \
           "(also objectives[0])" in problems(briefs={"brief-x": brief})


def test_objectives_table_names_the_objectives_no_option_meets(html) -> None:
    a = OPTION_A + ("objectives:\n  relief: {contribution: partly, note: Cars only}\n"
                    "  supply: {contribution: meets}\n")
    b = OPTION_B + ("objectives:\n  relief: {contribution: does-not-meet}\n"
                    "  supply: {contribution: does-not-meet}\n")
    page = html(options={"opt-a": a, "opt-b": b}, briefs={"brief-x": BRIEF_X + OBJECTIVES})
    assert text_of(page, "objectives") == (
        "Objectives Expected contribution of each option to each objective; options in rank "
        "order Objective and threshold Option A Option B Tariff relief Threshold: Car tariff "
        "at 2.5 % or less Partly Cars only Does not meet Secure supply Threshold: Twelve "
        "months of stock Meets Does not meet No option meets this objective: Tariff relief.")


# --- evidence --------------------------------------------------------------------------


def test_score_without_source_warns_and_fails_strict(workspace, monkeypatch) -> None:
    a = OPTION_A.replace("Cheap., sources: [report-a]}", "Cheap.}")
    monkeypatch.chdir(workspace(options={"opt-a": a, "opt-b": OPTION_B}))
    expected = ("options/opt-a.yaml:10:9: warning: scores.cost: score cites no sources "
                "(add sources: [id, ...] naming the sources it rests on; an error under "
                "check --strict)\n")
    relaxed = CliRunner().invoke(cli, ["check"])
    assert (relaxed.exit_code, relaxed.stdout) == (0, expected)
    strict = CliRunner().invoke(cli, ["check", "--strict"])
    assert (strict.exit_code, strict.stdout) == (1, expected)


# --- decision record ---------------------------------------------------------------------

DECISION = """\
status: decided
decision:
  outcome: approved
  option: opt-a
  by: Minister
  date: 2025-06-10
  revisit_by: 2025-12-01
  note: Subject to the Cabinet Office's review.
"""


def test_decision_must_match_status_and_dates(problems) -> None:
    assert problems(briefs={"brief-x": BRIEF_X + "status: decided\n"}) == [
        "briefs/brief-x.yaml:21:9: status: a decided brief must record its decision "
        "(add decision: with outcome, by and date)"]
    early = DECISION.replace("status: decided", "status: final").replace(
        "2025-12-01", "2025-06-01").replace("option: opt-a", "option: opt-z")
    assert problems(briefs={"brief-x": BRIEF_X + early}) == [
        "briefs/brief-x.yaml:23:3: decision: a decision is recorded but the status is "
        "'final' (set status: decided)",
        "briefs/brief-x.yaml:24:11: decision.option: unknown option 'opt-z' "
        "(did you mean 'opt-b'?)",
        "briefs/brief-x.yaml:27:15: decision.revisit_by: revisit date 2025-06-01 is not after "
        "the decision date 2025-06-10",
    ]


def test_undecided_brief_ends_with_approve_and_disapprove_lines(html) -> None:
    brief = BRIEF_X + "recommendation:\n  option: opt-a\n  text: Choose A.\n"
    page = html(briefs={"brief-x": brief})
    assert page.rindex("</section>") == page.index("</section>", page.index(
        'id="decision-record"'))  # the last section
    record = text_of(page, "decision-record")
    assert record.startswith("Decision record Recommended: Option A Approved Approved with "
                             "changes Disapproved Discuss Comments Name Signature Date")


def test_decided_brief_records_outcome_by_whom_when_and_revisit(html) -> None:
    assert text_of(html(briefs={"brief-x": BRIEF_X + DECISION}), "decision-record") == (
        "Decision record Approved: Option A Decided by Minister Date 10 June 2025 Revisit by "
        "1 December 2025 Subject to the Cabinet Office's review.")


# --- what would have to be true, and reproducibility ----------------------------------------


def test_switching_sentences_for_close_weights(html) -> None:
    # A scores 80 on leverage and 60 on cost, B 40 and 80. With weights 0.7 : 1 (41 % and
    # 59 %) A leads; B overtakes below a third on leverage, or above two thirds on cost.
    close = BRIEF_X.replace("weight: 3", "weight: 0.7")
    assert text_of(html(briefs={"brief-x": close}), "switching") == (
        "What would have to be true Option B would rank first if leverage weighed less than "
        "33 % (now 41 %) or cost more than 67 % (now 59 %). "
        "Each sentence changes one criterion's weight and rescales the others in proportion, "
        "keeping their ratios; a criterion is listed when a change of less than 10 percentage "
        "points would put another option first.")
    assert text_of(html(), "switching") == (  # leverage 75 %: 42 points from the switch
        "What would have to be true No single criterion's weight would have to move by 10 "
        "percentage points or less for another option to rank first: on one weight at a time, "
        "Option A stays first.")


def test_method_note_prints_seed_and_input_hash(html, tmp_path: Path) -> None:
    page = html(briefs={"brief-x": BRIEF_X + "analysis: {seed: 42}\n"})
    root = tmp_path / "ws"  # where the html fixture wrote the workspace
    files = ["briefs/brief-x.yaml", "options/opt-a.yaml", "options/opt-b.yaml"]
    manifest = "".join(f"{hashlib.sha256((root / f).read_bytes()).hexdigest()}  {f}\n"
                       for f in files)
    digest = hashlib.sha256(manifest.encode()).hexdigest()
    method = text_of(page, "method")
    assert "Analysis seed: 42 ." in method
    assert f"Inputs: SHA-256 {digest} ," in method
    assert ("sha256sum briefs/brief-x.yaml options/opt-a.yaml options/opt-b.yaml | sha256sum"
            in method)
