"""Cross-file rules for the brief as a decision record (issue 8).

The short list (business-as-usual baseline, do-minimum option, options set aside),
the objectives each option is assessed against, the decision once taken, and the
evidence behind every score. Like the rules in briefgen.inputs.rules, each problem is
reported in the file the user has to change.
"""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.common.diagnostics import Diagnostic, Severity
from briefgen.common.fieldpath import FieldPath
from briefgen.common.suggest import suggest
from briefgen.inputs.models import Brief, Option
from briefgen.inputs.workspace import Workspace

WARNING = Severity.WARNING


def check_record_rules(ws: Workspace) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for brief in ws.briefs.values():
        out.extend(_short_list(ws, brief))
        out.extend(_objectives(ws, brief))
        out.extend(_decision(ws, brief))
    for option in ws.options.values():
        out.extend(_option_objectives(ws, option))
        out.extend(_score_evidence(ws, option))
    return out


def _short_list(ws: Workspace, brief: Brief) -> Iterator[Diagnostic]:
    def at(path: FieldPath, message: str, code: str, hint: str | None = None,
           severity: Severity = Severity.ERROR, key: bool = False) -> Diagnostic:
        return ws.problem("brief", brief.id, path, message, code=code, hint=hint,
                   severity=severity, key=key)

    rec = brief.recommendation.option if brief.recommendation else None
    first: dict[str, int] = {}
    for i, entry in enumerate(brief.set_aside):
        path = ("set_aside", i, "option")
        ident = entry.option
        if ident in first:
            yield at(path, f"option {ident!r} is set aside twice (also set_aside[{first[ident]}])",
                     "duplicate-id")
            continue
        first[ident] = i
        if ident not in ws.options:
            if ("option", ident) not in ws.broken:
                yield at(path, f"unknown option {ident!r}", "unknown-option",
                         suggest(ident, ws.options) or f"there is no options/{ident}.yaml")
        elif ident == brief.baseline:
            yield at(path, f"the baseline {ident!r} cannot be set aside: the other options are "
                     "measured against it", "baseline-set-aside",
                     "choose another baseline or keep this option")
        elif ident == rec:
            yield at(path, f"the recommended option {ident!r} cannot be set aside",
                     "recommendation-set-aside", "recommend a compared option")

    included = ws.option_ids(brief)
    baseline = ws.options.get(brief.baseline)
    if baseline is not None and brief.baseline in included and \
            baseline.kind != "business-as-usual":
        yield at(("baseline",), f"no business-as-usual baseline: the baseline {brief.baseline!r} "
                 f"is of kind {baseline.kind!r}", "no-business-as-usual",
                 f"set kind: business-as-usual in options/{brief.baseline}.yaml, or make the "
                 "business-as-usual option the baseline", WARNING)
    complete = all(i in ws.options for i in included) and not any(
        kind == "option" for kind, _ in ws.broken)  # a broken option may be the do-minimum
    if included and complete and not any(ws.options[i].kind == "do-minimum" for i in included):
        yield at(("options",), "the short list has no do-minimum option", "no-do-minimum",
                 "set kind: do-minimum in the option file of the least that meets the core "
                 "need, and compare it here", WARNING, key=True)


def _objectives(ws: Workspace, brief: Brief) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, objective in enumerate(brief.objectives):
        if objective.id in seen:
            yield ws.problem("brief", brief.id, ("objectives", i, "id"),
                      f"duplicate objective id {objective.id!r} "
                      f"(also objectives[{seen[objective.id]}])", code="duplicate-id")
        seen.setdefault(objective.id, i)
    if not brief.objectives:
        return
    for ident in ws.option_ids(brief):
        option = ws.options.get(ident)
        if option is None:
            continue
        for objective in brief.objectives:
            if objective.id not in option.objectives:
                path: FieldPath = ("objectives",) if option.objectives else ("id",)
                yield ws.problem("option", option.id, path,
                          f"no contribution stated for objective {objective.id!r}, which "
                          f"brief {brief.id!r} sets", code="missing-contribution",
                          hint=f"add objectives.{objective.id} with contribution: meets, "
                          "partly or does-not-meet", severity=WARNING)


def _option_objectives(ws: Workspace, option: Option) -> Iterator[Diagnostic]:
    if not option.objectives or any(kind == "brief" for kind, _ in ws.broken):
        return  # a broken brief reports its own errors; its objectives are unknown
    briefs = [b for b in ws.briefs.values() if option.id in ws.option_ids(b)] or list(
        ws.briefs.values())
    known = {o.id for b in briefs for o in b.objectives}
    for oid in option.objectives:
        if oid not in known:
            hint = suggest(oid, known) or ("objectives: " + ", ".join(sorted(known)) if known
                                           else "the brief sets no objectives")
            yield ws.problem("option", option.id, ("objectives", oid),
                      f"unknown objective {oid!r}", code="unknown-objective", hint=hint,
                      key=True)


def _decision(ws: Workspace, brief: Brief) -> Iterator[Diagnostic]:
    def err(path: FieldPath, message: str, code: str, hint: str | None = None) -> Diagnostic:
        return ws.problem("brief", brief.id, path, message, code=code, hint=hint)

    decision = brief.decision
    if decision is None:
        if brief.status == "decided":
            yield err(("status",), "a decided brief must record its decision",
                      "missing-decision", "add decision: with outcome, by and date")
        return
    if brief.status not in ("decided", "superseded"):
        yield err(("decision",), f"a decision is recorded but the status is {brief.status!r}",
                  "decision-status", "set status: decided")
    if decision.option is not None:
        if decision.option not in ws.options:
            if ("option", decision.option) not in ws.broken:
                yield err(("decision", "option"), f"unknown option {decision.option!r}",
                          "unknown-option", suggest(decision.option, ws.options))
        elif decision.option not in ws.option_ids(brief):
            yield err(("decision", "option"),
                      f"decided option {decision.option!r} is not among the brief's compared "
                      "options", "decision-not-included")
    if decision.revisit_by is not None and decision.revisit_by <= decision.date:
        yield err(("decision", "revisit_by"),
                  f"revisit date {decision.revisit_by.isoformat()} is not after the decision "
                  f"date {decision.date.isoformat()}", "revisit-before-decision")


def _score_evidence(ws: Workspace, option: Option) -> Iterator[Diagnostic]:
    for cid, score in option.scores.items():
        if score.scored and not score.sources:
            yield ws.problem("option", option.id, ("scores", cid), "score cites no sources",
                      code="score-without-source",
                      hint="add sources: [id, ...] naming the sources it rests on; an error "
                      "under check --strict", severity=WARNING)
