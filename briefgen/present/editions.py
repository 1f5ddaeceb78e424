"""Editions (issue 16): the workspace as one edition of a brief may show it.

A pure step between validation and ``present``: it takes the validated workspace and
returns another one in which every part above the edition's level, and every part
carrying a tag the edition excludes, is gone. Everything after it (the analysis, the
view, every output format, the PDF attachments) sees only the filtered workspace, so no
format can show what another one hides.

Derived figures inherit the highest level of their inputs (``Derived``): an option's
total and its cells' points rest on its scores and on every criterion; the ranks, the
charts, the robustness findings and the package totals rest on every total. When they
rest on a part above the edition's level the edition either withholds them (the default)
or, with ``recompute: true``, ranks on the released scores only, and says so in the
method note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.analysis.scores import Analysis
from briefgen.common.diagnostics import Diagnostic, InputError, Severity
from briefgen.common.fieldpath import FieldPath, format_path
from briefgen.common.suggest import suggest
from briefgen.inputs.levels import Ladder, Portion, portions
from briefgen.inputs.models import LANGUAGES, Bilingual, Brief, Edition, Option
from briefgen.inputs.workspace import Kind, Workspace
from briefgen.language.formatting import use_language
from briefgen.language.labels import label
from briefgen.present import sentences as say
from briefgen.present.brief import BriefView, CellView, OptionView

_DROP = object()

# Fields whose text is a paragraph: with portion_marks, each paragraph starts with its mark.
PARAGRAPH_FIELDS = frozenset({"summary", "description", "context", "question", "text",
                              "rationale", "mitigation", "basis", "note", "benefits",
                              "actions", "risk"})
_NOT_PROSE = re.compile(r"^\s*([-*+]|\d+[.)]|#|>|\||```)")


@dataclass(frozen=True)
class Derived:
    """The level of each derived figure: the highest level of what it is computed from."""

    totals: dict[str, str | None]  # option id -> level of its total and its cells' points
    ranking: str | None  # ranks, order, leader, charts, robustness, switching values
    packages: dict[str, str | None]  # package id -> level of its total and rank
    recommendation: str | None
    # The parts above the edition's level that the ranking rests on, for the messages.
    causes: tuple[Portion, ...] = ()
    weights: str | None = None  # the criteria's normalised weights: every criterion


@dataclass(frozen=True)
class WithheldFigures:
    """The derived figures an edition withholds instead of recomputing them.

    The edition's view and JSON show these as the neutral *Withheld* mark (None in the
    view, null in the JSON); every other figure is exactly the full brief's, because it
    rests only on released parts and the analysis is local to them (a score is put on its
    criterion's fixed scale, an option's total sums its own cells).
    """

    totals: frozenset[str]  # options whose total, range and points are withheld
    scores: frozenset[tuple[str, str]]  # (option, criterion): the score itself is withheld
    ranking: bool  # ranks, order, leader, charts, robustness, switching, package figures
    weights: bool  # the criteria's normalised weights
    order: tuple[str, ...]  # the order that replaces the ranking's: the brief's own
    # Packages whose total is withheld: it rests on a withheld member total or weight.
    # (Their ranks rest on the ranking; a package of released members keeps its total.)
    packages: frozenset[str] = frozenset()


@dataclass
class EditionPlan:
    """One edition of one brief: the filtered workspace and what it leaves out."""

    brief_id: str
    edition: Edition
    ladder: Ladder
    workspace: Workspace  # filtered
    withheld: list[Portion] = field(default_factory=list)  # above the level: never shown
    left_out: list[Portion] = field(default_factory=list)  # excluded by tags (same level)
    released: list[Portion] = field(default_factory=list)  # at or below the level
    derived: Derived | None = None
    recomputed: bool = False  # the ranking uses only the released scores
    figures: WithheldFigures | None = None  # withheld derived figures (not recomputing)

    @property
    def brief(self) -> Brief:
        return self.workspace.briefs[self.brief_id]


def find_edition(brief: Brief, name: str) -> Edition:
    """The brief's edition called ``name``; KeyError with a hint when it has none."""
    for edition in brief.editions:
        if edition.name == name:
            return edition
    names = [e.name for e in brief.editions]
    hint = suggest(name, names) or ("editions of this brief: " + ", ".join(names) if names
                                    else "the brief declares no editions")
    raise KeyError(f"brief {brief.id!r} has no edition {name!r}: {hint}")


def derived_levels(ws: Workspace, brief: Brief, ladder: Ladder, limit: str | None = None
                   ) -> Derived:
    """The level of every derived figure of ``brief`` (on the full workspace)."""
    base = ladder.top(brief.level)
    brief_parts = {p.path: p for p in portions("brief", brief.id, brief, ladder)}
    criteria = [brief_parts[("criteria", i)] for i in range(len(brief.criteria))]
    weights = [brief_parts[("criteria",)], *criteria]
    totals: dict[str, str | None] = {}
    causes: list[Portion] = []
    for ident in ws.option_ids(brief):
        option = ws.options[ident]
        parts = {p.path: p for p in portions("option", ident, option, ladder, base)}
        inputs = [parts[()], *weights,
                  *(parts[("scores", c.id)] for c in brief.criteria if c.id in option.scores)]
        totals[ident] = ladder.top(*(p.level for p in inputs))
        if limit is not None:
            causes.extend(p for p in inputs if ladder.above(p.level, limit))
    ranking = ladder.top(*totals.values(), base)
    packages: dict[str, str | None] = {}
    for i, package in enumerate(brief.packages):
        packages[package.id] = ladder.top(brief_parts[("packages", i)].level, ranking,
                                          *(totals.get(m) for m in package.options))
    recommendation = None
    if brief.recommendation is not None:
        named = brief.recommendation.option
        recommendation = ladder.top(brief_parts[("recommendation",)].level,
                                    totals.get(named or "") if named in totals
                                    else packages.get(named or ""))
    unique = {(p.kind, p.ident, p.path): p for p in causes}
    return Derived(totals, ranking, packages, recommendation, tuple(unique.values()),
                   ladder.top(*(p.level for p in weights)))


class _Filter:
    """Rebuilds one file's data without the parts an edition leaves out."""

    def __init__(self, plan: EditionPlan, kind: Kind, ident: str, model: BaseModel,
                 base: str | None, withheld_text: str) -> None:
        self.plan = plan
        self.kind = kind
        self.ident = ident
        self.levels = {p.path: p for p in portions(kind, ident, model, plan.ladder, base)}
        self.withheld_text = withheld_text
        self.model = model

    def leave_out(self, path: FieldPath) -> bool:
        part = self.levels[path]
        edition = self.plan.edition
        if self.plan.ladder.above(part.level, edition.level):
            self.plan.withheld.append(part)
            return True
        if part.tags & set(edition.exclude):
            self.plan.left_out.append(part)
            return True
        return False

    def run(self) -> Any:
        return self.walk(self.model, ())

    def mark(self, path: FieldPath, text: str) -> str:
        if not self.plan.edition.portion_marks:
            return text
        level = self.levels[path].level or self.plan.ladder.lowest
        if level is None:
            return text
        prefix = f"({self.plan.ladder.marks.get(level, level)}) "
        blocks = re.split(r"(\n\s*\n)", text)
        return "".join(b if i % 2 or _NOT_PROSE.match(b) or not b.strip() else prefix + b
                       for i, b in enumerate(blocks))

    def walk(self, node: Any, path: FieldPath) -> Any:
        if self.leave_out(path):
            return _DROP
        self.plan.released.append(self.levels[path])
        prose = any(isinstance(p, str) and p in PARAGRAPH_FIELDS for p in path[-2:])
        if isinstance(node, Bilingual):
            texts = {lang: getattr(node, lang) for lang in LANGUAGES}
            return {lang: (self.mark(path, t) if prose and isinstance(t, str) else t)
                    for lang, t in texts.items()}
        if isinstance(node, str):
            return self.mark(path, node) if prose else node
        if isinstance(node, BaseModel):
            out: dict[str, Any] = {}
            for name, info in type(node).model_fields.items():
                value = getattr(node, name)
                if name in ("field_levels", "editions"):
                    continue  # never content; the filtered file has no need of them
                if name in ("level", "tags", "levels"):
                    out[name] = value
                    continue
                child = self.walk(value, (*path, name))
                if child is _DROP:
                    if not info.is_required():
                        continue
                    if isinstance(value, str | Bilingual):
                        out[name] = self.withheld_text
                        continue
                    return _DROP  # a part without a required field: the whole part goes
                if isinstance(child, list) and not child and value and info.is_required():
                    child = [self.withheld_text]  # a required list (actions) never empties
                out[name] = child
            return out
        if isinstance(node, list | tuple):
            items = [self.walk(item, (*path, i)) for i, item in enumerate(node)]
            return [item for item in items if item is not _DROP]
        if isinstance(node, dict):
            kept = {key: self.walk(item, (*path, key)) for key, item in node.items()}
            return {key: item for key, item in kept.items() if item is not _DROP}
        return node


def plan_edition(ws: Workspace, brief_id: str, name: str, lang: str | None = None
                 ) -> EditionPlan:
    """Filter ``ws`` for edition ``name`` of brief ``brief_id``.

    Raises InputError, located in the brief, when what is left cannot make a brief: an
    empty edition, or no ranking left (no criterion, no baseline, fewer than two options).
    Derived figures resting on withheld parts are withheld (``plan.figures``), or
    recomputed on the released scores with ``recompute: true``.
    """
    from briefgen.inputs.localize import brief_language

    brief = ws.briefs[brief_id]
    edition = find_edition(brief, name)
    index = brief.editions.index(edition)
    ladder = Ladder.of(brief)
    with use_language(brief_language(brief, lang)):
        withheld_text = label("Withheld")
    plan = EditionPlan(brief_id, edition, ladder, ws)
    where: FieldPath = ("editions", index)

    def fail(message: str, hint: str, path: FieldPath = where) -> InputError:
        return InputError([ws.problem("brief", brief_id, path, message,
                                      code="edition", hint=hint)])

    base = ladder.top(brief.level)
    if ladder.above(base, edition.level):
        raise fail(f"edition {name!r} would be empty: the whole brief is {base}",
                   f"lower the brief's level, or raise the edition's above {base}")
    derived = derived_levels(ws, brief, ladder, edition.level)
    plan.derived = derived
    rests_on_withheld = ladder.above(derived.ranking, edition.level)
    plan.recomputed = rests_on_withheld and edition.recompute
    if rests_on_withheld and not edition.recompute:
        # Withhold, never recompute silently: the figures resting on withheld parts are
        # marked Withheld, and the options keep the brief's own order (the ranking's
        # would tell where a withheld total stands).
        plan.figures = WithheldFigures(
            totals=frozenset(i for i, level in derived.totals.items()
                             if ladder.above(level, edition.level)),
            scores=frozenset((p.ident, str(p.path[1])) for p in derived.causes
                             if p.kind == "option" and len(p.path) == 2
                             and p.path[0] == "scores"),
            ranking=True, weights=ladder.above(derived.weights, edition.level),
            order=tuple(ws.option_ids(brief)),
            # (A package above the edition's level is not shown at all: see below.)
            packages=frozenset(
                p.id for p in brief.packages if ladder.above(ladder.top(
                    derived.weights, *(derived.totals.get(m) for m in p.options)),
                    edition.level)))

    filtered_brief = _Filter(plan, "brief", brief_id, brief, None, withheld_text).run()
    assert filtered_brief is not _DROP  # the brief's own level was checked above
    criteria_kept = {c["id"] for c in filtered_brief["criteria"]}
    if not criteria_kept:
        raise fail(f"edition {name!r} has no ranking left: every criterion is above "
                   f"{edition.level}", "release at least one criterion")

    compared = ws.option_ids(brief)
    include = set(edition.include)
    options: dict[str, Option] = {}
    for ident, option in ws.options.items():
        if include and ident in compared and ident != brief.baseline \
                and not (include & set(option.tags)):
            continue
        data = _Filter(plan, "option", ident, option, base, withheld_text).run()
        if data is _DROP:
            continue
        scores = data.get("scores", {})
        for cid in list(scores):
            if cid not in criteria_kept:
                del scores[cid]
        for criterion in filtered_brief["criteria"]:
            if criterion["id"] in option.scores and criterion["id"] not in scores:
                # The score is above the edition's level: recomputed as not scored, or
                # withheld with every figure resting on it (WithheldFigures).
                scores[criterion["id"]] = {"not_scored": withheld_text}
        options[ident] = _validate(Option, data, ws, "option", ident)
    kept = set(options)
    if brief.baseline not in kept:
        raise fail(f"edition {name!r} has no ranking left: its baseline "
                   f"{brief.baseline!r} is left out", "release the baseline option")
    objective_ids = {o["id"] for o in filtered_brief.get("objectives", [])}
    for ident, option in list(options.items()):
        relations = option.relations.model_copy(update={
            "depends_on": [i for i in option.relations.depends_on if i in kept],
            "conflicts_with": [i for i in option.relations.conflicts_with if i in kept]})
        options[ident] = option.model_copy(update={
            "relations": relations,
            "objectives": {k: v for k, v in option.objectives.items() if k in objective_ids}})

    filtered_brief["options"] = [i for i in compared if i in kept]
    filtered_brief["set_aside"] = [s for s in filtered_brief.get("set_aside", [])
                                   if s["option"] in kept]
    filtered_brief["packages"] = [p for p in filtered_brief.get("packages", [])
                                  if all(m in kept for m in p["options"])]
    rec = filtered_brief.get("recommendation")
    names = kept | {p["id"] for p in filtered_brief["packages"]}
    if rec is not None and rec.get("option") is not None and (
            rec["option"] not in names
            or ladder.above(derived.recommendation, edition.level)):
        # It names what this edition does not show, or an option whose figures rest on
        # withheld scores (the edition recomputes them; the text argued from the others).
        del filtered_brief["recommendation"]
    decision = filtered_brief.get("decision")
    if decision is not None and decision.get("option") not in (None, *names):
        del filtered_brief["decision"]
    filtered_brief["classification"] = edition.marking or edition.level
    if len(filtered_brief["options"]) < 2:
        raise fail(f"edition {name!r} has no ranking left: it compares "
                   f"{len(filtered_brief['options'])} option", "release more options")
    new_brief = _validate(Brief, filtered_brief, ws, "brief", brief_id)
    plan.workspace = replace(ws, options=options, briefs={brief_id: new_brief})
    return plan


def edition_stem(brief_id: str, edition: str, lang: str | None = None) -> str:
    """fifth-round-offers.official (and fifth-round-offers.official.ja with --lang ja): the
    stem of an edition's files and its manifest entry. Ids and edition names are slugs,
    which never hold a dot, so no edition's files can be another brief's, memo's or
    edition's."""
    return ".".join([brief_id, edition, *([lang] if lang else [])])


def edition_analysis(analysis: Analysis, plan: EditionPlan) -> Analysis:
    """The analysis an edition presents: the brief's order instead of the ranking's when
    the ranking is withheld, so no table, section or chart places a withheld total. The
    figures themselves are not recomputed; those resting on withheld parts are masked by
    ``edition_view``."""
    if plan.figures is None or not plan.figures.ranking:
        return analysis
    position = {ident: i for i, ident in enumerate(plan.figures.order)}
    return replace(analysis, ranking=tuple(sorted(analysis.ranking,
                                                  key=lambda r: position[r.option])))


def _cell(cell: CellView, option: str, figures: WithheldFigures) -> CellView:
    if (option, cell.criterion.id) in figures.scores:
        return replace(cell, text=None, number_text=None, range_text=None, value_text=None,
                       contribution_text=None, scored=True, rationale=None, reason=None)
    if option in figures.totals:
        return replace(cell, value_text=None, contribution_text=None)
    return cell


def _option(v: OptionView, figures: WithheldFigures) -> OptionView:
    ident = v.option.id
    cells = tuple(_cell(c, ident, figures) for c in v.cells)
    if figures.weights:
        cells = tuple(replace(c, criterion=replace(c.criterion, weight_text=None))
                      for c in cells)
    withheld = ident in figures.totals
    return replace(v, cells=cells,
                   total_text=None if withheld else v.total_text,
                   total_range_text=None if withheld else v.total_range_text,
                   rank=None if figures.ranking else v.rank,
                   tied_with=() if figures.ranking else v.tied_with)


def _withhold(view: BriefView, figures: WithheldFigures) -> BriefView:
    """The view with every figure resting on withheld parts set to None (printed as the
    neutral Withheld mark) and every section resting on the ranking left out."""
    options = tuple(_option(v, figures) for v in view.options)
    by_id = {v.option.id: v for v in options}
    criteria = tuple(replace(c, weight_text=None) for c in view.criteria) \
        if figures.weights else view.criteria
    extras = view.extras
    if extras is not None and figures.ranking:
        # The ranks rest on the ranking; a total is withheld when it rests on a withheld
        # option total or weight. Rows in the brief's order: options, then packages.
        withheld = {p.title for p in view.brief.packages if p.id in figures.packages}
        withheld |= {v.option.title for v in options if v.total_text is None}
        packages = [replace(p, rank=None, tied=False) if p.title not in withheld else
                    replace(p, rank=None, tied=False, range_text=None, total_text=None)
                    for p in extras.packages]
        order = {v.option.title: i for i, v in enumerate(options)}
        packages.sort(key=lambda p: (p.is_package, order.get(p.title, 0)))
        # The whole robustness analysis rests on the ranking (its leader, its rivals):
        # emptied, not only hidden by the templates, so no template can print it.
        robustness = replace(extras.robustness, charts={}, leader="", range_text="",
                             stability=(), switches=(), switch_sentences=(),
                             flagged_sentences=(), flagged_criteria=(), acceptability=(),
                             acceptability_text="", leader_first_share_text="",
                             worked_switch_text=None)
        extras = replace(extras, charts={}, packages=tuple(packages), robustness=robustness)
    record = view.record
    if record is not None and figures.ranking:
        record = replace(record, switching=())
    withheld_cells = sum((v.option.id, c.criterion.id) in figures.scores
                         for v in view.options for c in v.cells)
    return replace(view, options=options, criteria=criteria,
                   baseline=by_id[view.baseline.option.id],
                   leader=by_id[view.leader.option.id],
                   recommended=by_id.get(view.recommended.option.id)
                   if view.recommended else None,
                   extras=extras, record=record, ranking_withheld=figures.ranking,
                   not_scored_count=view.not_scored_count - withheld_cells)


def edition_view(view: BriefView, plan: EditionPlan) -> BriefView:
    """The view of an edition: its figures resting on withheld parts withheld, and its own
    method note when it withholds them or ranks on released scores only."""
    if plan.figures is not None:
        with use_language(view.language):
            note = say.edition_withheld(plan.edition.level)
        return replace(_withhold(view, plan.figures), edition_note=note)
    if not plan.recomputed:
        return view
    with use_language(view.language):
        note = say.edition_recomputed(plan.edition.level)
    return replace(view, edition_note=note)


def _validate(model: type[Brief] | type[Option], data: Any, ws: Workspace, kind: Kind,
              ident: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = tuple(first["loc"])
        raise InputError([ws.problem(kind, ident, path, "an edition leaves this part "
                                     f"incomplete: {first['msg']}", code="edition",
                                     hint="mark the whole part, not only some of its "
                                          "fields")]) from None


def edition_problems(ws: Workspace) -> list[Diagnostic]:
    """For briefgen check: every declared edition that cannot be built, located."""
    out: list[Diagnostic] = []
    for brief_id, brief in sorted(ws.briefs.items()):
        for edition in brief.editions:
            try:
                plan = plan_edition(ws, brief_id, edition.name)
            except InputError as exc:
                out.extend(exc.diagnostics)
                continue
            if plan.figures is not None and plan.derived is not None:
                # Builds, but with its totals or ranks withheld: say which part causes it,
                # so the analyst can decide whether that is what the edition should show.
                # Every cause, up to three: naming one left an analyst who removed it
                # to find the next on the following run.
                causes = plan.derived.causes
                named = [f"{ws.source(c.kind, c.ident).locate(c.path)} "
                         f"{format_path(c.path) or c.ident}, {c.level}" for c in causes[:3]]
                more = f"; and {len(causes) - 3} more" if len(causes) > 3 else ""
                at = f" ({'; '.join(named)}{more})" if named else ""
                index = brief.editions.index(edition)
                out.append(ws.problem(
                    "brief", brief_id, ("editions", index, "level"),
                    f"edition {edition.name!r} withholds its ranks and the totals resting "
                    f"on parts above {edition.level}{at}", code="edition",
                    hint="set recompute: true to rank on the released scores only, or mark "
                         "the scores and criteria at the edition's level",
                    severity=Severity.WARNING))
    return out
