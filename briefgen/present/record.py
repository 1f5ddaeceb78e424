"""Stage 4a, continued: the brief as a record of how the choice was made (issue 8).

The view of the stage and version, the bottom line up front, the short list and
the options set aside, stakeholder positions and dissent, objectives, switching
weights, the decision record and the reproducibility note. Like briefgen.present.brief,
all formatting and lookups happen here; the templates only lay things out. No
files are read here: the input digest comes from the workspace layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.scores import Analysis
from briefgen.analysis.sensitivity import StabilityInterval, analyse_sensitivity
from briefgen.analysis.switching import THRESHOLD
from briefgen.inputs.models import DRAFT_STATUSES, Brief, bluf_lines
from briefgen.inputs.workspace import InputDigest, Workspace
from briefgen.language.formatting import long_date
from briefgen.language.labels import label
from briefgen.present.sentences import percentage_points, what_would_have_to_be_true

STATUS_TEXT = {"draft": "Draft", "consultation": "For consultation", "final": "Final",
               "decided": "Decided", "superseded": "Superseded"}
KIND_TEXT = {"business-as-usual": "Business as usual", "do-minimum": "Do minimum",
             "option": "Option"}
STANCE_TEXT = {"supports": "Supports", "opposes": "Opposes", "neutral": "Neutral"}
CONTRIBUTION_TEXT = {"meets": "Meets", "partly": "Partly", "does-not-meet": "Does not meet",
                     None: "Not assessed"}
OUTCOME_TEXT = {"approved": "Approved", "disapproved": "Disapproved", "deferred": "Deferred"}


@dataclass(frozen=True)
class ChangeView:
    version: str
    date_text: str
    summary: str


@dataclass(frozen=True)
class SetAsideView:
    id: str
    title: str
    summary: str | None
    kind_text: str
    reason: str


@dataclass(frozen=True)
class PositionView:
    stakeholder: str
    stance: str  # supports, opposes, neutral: a CSS class
    stance_text: str
    note: str | None


@dataclass(frozen=True)
class ObjectiveCell:
    option_title: str
    level: str  # meets, partly, does-not-meet, none: a CSS class
    text: str
    note: str | None


@dataclass(frozen=True)
class ObjectiveRow:
    id: str
    name: str
    description: str | None
    threshold: str
    cells: tuple[ObjectiveCell, ...]
    met: bool  # at least one compared option meets it


@dataclass(frozen=True)
class DecisionView:
    outcome: str  # approved, disapproved, deferred: a CSS class
    outcome_text: str
    option_title: str | None
    by: str
    date_text: str
    revisit_text: str | None
    note: str | None


@dataclass(frozen=True)
class RecordView:
    status: str
    status_text: str
    version: str | None
    is_draft: bool  # draft or consultation: watermarked DRAFT
    watermark: str | None  # "Draft" until final, "Superseded" once replaced
    bluf: tuple[str, ...]
    changes: tuple[ChangeView, ...]
    set_aside: tuple[SetAsideView, ...]
    kinds: dict[str, str]  # option id -> "Business as usual", "Do minimum", "Option"
    positions: dict[str, tuple[PositionView, ...]]  # option id -> positions
    dissent: tuple[tuple[str, str], ...]  # (who, note)
    objective_titles: tuple[str, ...]  # column heads, options in rank order
    objectives: tuple[ObjectiveRow, ...]
    unmet: tuple[str, ...]  # names of the objectives no compared option meets
    switching: tuple[str, ...]  # "What would have to be true" sentences
    switching_threshold: str  # "10 percentage points"
    decision: DecisionView | None
    proposed: str | None  # what the decision-maker approves: the recommended option's title
    seed: int
    digest: InputDigest | None

    @property
    def digest_command(self) -> str | None:
        if self.digest is None:
            return None
        return "sha256sum " + " ".join(self.digest.paths) + " | sha256sum"


def present_record(ws: Workspace, brief: Brief, analysis: Analysis,
                   inputs: InputDigest | None = None,
                   intervals: Sequence[StabilityInterval] | None = None) -> RecordView:
    """The decision-record part of a brief's view."""
    ranked = [ws.options[r.option] for r in analysis.ranking]
    titles = {o.id: o.title for o in ws.options.values()}

    set_aside = []
    for entry in brief.set_aside:
        option = ws.options.get(entry.option)
        set_aside.append(SetAsideView(
            entry.option, option.title if option else entry.option,
            option.summary if option else None,
            label(KIND_TEXT[option.kind]) if option else "Option", entry.reason))

    rows = []
    for objective in brief.objectives:
        cells = []
        for option in ranked:
            given = option.objectives.get(objective.id)
            level = given.contribution if given else None
            cells.append(ObjectiveCell(option.title, level or "none",
                                       label(CONTRIBUTION_TEXT[level]),
                                       given.note if given else None))
        rows.append(ObjectiveRow(objective.id, objective.name, objective.description,
                                 objective.threshold, tuple(cells),
                                 any(c.level == "meets" for c in cells)))

    switching: Sequence[str] = ()
    if len(analysis.ranking) > 1:
        if intervals is None:
            intervals = analyse_sensitivity(analysis)
        switching = what_would_have_to_be_true(
            intervals, {c.id: c.name for c in brief.criteria}, titles)

    decision = None
    if brief.decision is not None:
        d = brief.decision
        decision = DecisionView(
            d.outcome, label(OUTCOME_TEXT[d.outcome]), titles.get(d.option) if d.option else None,
            d.by, long_date(d.date), long_date(d.revisit_by) if d.revisit_by else None, d.note)

    rec = brief.recommendation
    return RecordView(
        status=brief.status,
        status_text=label(STATUS_TEXT[brief.status]),
        version=brief.version,
        is_draft=brief.status in DRAFT_STATUSES,
        watermark="Draft" if brief.status in DRAFT_STATUSES else (
            "Superseded" if brief.status == "superseded" else None),
        bluf=tuple(bluf_lines(brief.bluf)) if brief.bluf else (),
        changes=tuple(ChangeView(c.version, long_date(c.date), c.summary)
                      for c in brief.changes),
        set_aside=tuple(set_aside),
        kinds={o.id: label(KIND_TEXT[o.kind]) for o in ranked},
        positions={o.id: tuple(PositionView(p.stakeholder, p.stance, label(STANCE_TEXT[p.stance]),
                                            p.note) for p in o.positions) for o in ranked},
        dissent=tuple((d.who, d.note) for d in rec.dissent) if rec else (),
        objective_titles=tuple(o.title for o in ranked),
        objectives=tuple(rows),
        unmet=tuple(r.name for r in rows if not r.met),
        switching=tuple(switching),
        switching_threshold=percentage_points(THRESHOLD * 100),
        decision=decision,
        proposed=(titles.get(rec.option) or next(
            (p.title for p in brief.packages if p.id == rec.option), None))
        if rec and rec.option else None,
        seed=brief.analysis.seed,
        digest=inputs,
    )
