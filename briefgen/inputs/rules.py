"""Cross-file rules: what no single file's model can check on its own.

Each rule returns Diagnostics located in the file a user has to change: an
unknown option id is reported where the brief names it, a missing score where
the option keeps its scores.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from briefgen.common.diagnostics import Diagnostic, Severity
from briefgen.common.fieldpath import FieldPath
from briefgen.common.suggest import suggest
from briefgen.inputs.levels import check_levels
from briefgen.inputs.models import Brief, Cost, Option, OrdinalScale, Package, Source
from briefgen.inputs.record_rules import check_record_rules
from briefgen.inputs.workspace import Kind, Workspace


def check_rules(ws: Workspace) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for brief in ws.briefs.values():
        out.extend(_brief_rules(ws, brief))
    for option in ws.options.values():
        out.extend(_option_rules(ws, option))
    out.extend(_dependency_cycles(ws))
    out.extend(check_record_rules(ws))
    out.extend(check_levels(ws))
    return list(dict.fromkeys(out))  # an option in two briefs: one report per clash


def _brief_rules(ws: Workspace, brief: Brief) -> list[Diagnostic]:
    problems: list[Diagnostic] = []

    def err(path: FieldPath, message: str, code: str, hint: str | None = None) -> None:
        problems.append(ws.problem("brief", brief.id, path, message, code=code, hint=hint))

    def known_option(path: FieldPath, ident: str) -> bool:
        if ident in ws.options:
            return True
        if ("option", ident) not in ws.broken:  # a broken file reports its own errors
            err(path, f"unknown option {ident!r}", "unknown-option",
                suggest(ident, ws.options) or f"there is no options/{ident}.yaml")
        return False

    seen: dict[str, int] = {}
    for i, criterion in enumerate(brief.criteria):
        scale = criterion.scale
        if isinstance(scale, OrdinalScale):
            for point in sorted(p for p in scale.labels if not scale.min <= p <= scale.max):
                problems.append(ws.problem(
                    "brief", brief.id, ("criteria", i, "scale", "labels", str(point)),
                    f"point {point} lies outside the scale's {scale.min} to {scale.max}",
                    code="label-outside", key=True,
                    hint="label the points from min to max, or widen the scale"))
        if criterion.id in seen:
            err(("criteria", i, "id"), f"duplicate criterion id {criterion.id!r} "
                f"(also criteria[{seen[criterion.id]}])", "duplicate-id")
        seen.setdefault(criterion.id, i)

    if brief.options is not None:
        first: dict[str, int] = {}
        for i, ident in enumerate(brief.options):
            if ident in first:
                err(("options", i), f"option {ident!r} is listed twice "
                    f"(also options[{first[ident]}])", "duplicate-id")
            first.setdefault(ident, i)
            known_option(("options", i), ident)
    included = set(ws.option_ids(brief))
    if known_option(("baseline",), brief.baseline) and brief.baseline not in included:
        err(("baseline",), f"baseline {brief.baseline!r} is not among the brief's options",
            "baseline-not-included", "add it to options")
    rec = brief.recommendation
    packages = {p.id for p in brief.packages}
    if rec is not None and rec.option is not None and rec.option not in packages and known_option(
            ("recommendation", "option"), rec.option) and rec.option not in included:
        err(("recommendation", "option"),
            f"recommended option {rec.option!r} is not among the brief's options",
            "recommendation-not-included", "add it to options")

    for ident in sorted(included & set(ws.options)):
        problems.extend(_scores_for_brief(ws, brief, ws.options[ident]))
    problems.extend(_money_rules(ws, brief))
    problems.extend(_package_rules(ws, brief, included))
    problems.extend(_source_title_clashes(ws, brief, included))
    return problems


def _source_title_clashes(ws: Workspace, brief: Brief,
                          included: set[str]) -> Iterator[Diagnostic]:
    """One source id, two titles, in the brief and an option it compares (or two options):
    the brief would list the source twice, and a score citing the id would cite one of them
    at random. Reported at both titles, each naming the other's file:line:column."""
    places: dict[str, list[tuple[Kind, str, FieldPath, str]]] = {}
    holders: list[tuple[Kind, str, list[Source]]] = [("brief", brief.id, brief.sources)]
    holders += [("option", o, ws.options[o].sources) for o in sorted(included)
                if o in ws.options]
    for kind, ident, sources in holders:
        for i, s in enumerate(sources):
            if s.id:
                places.setdefault(s.id, []).append((kind, ident, ("sources", i, "title"),
                                                    s.title))
    for sid, found in places.items():
        for kind, ident, path, title in found:
            for other_kind, other, other_path, other_title in found:
                if other_title.strip() == title.strip():
                    continue
                where = ws.source(other_kind, other).locate(other_path)
                yield ws.problem(
                    kind, ident, path,
                    f"source {sid!r} is titled {title!r} here but {other_title!r} at {where}",
                    code="source-title-clash",
                    hint="give one source one id: use the same title in both places, or "
                         "a different id for a different document")


def _money_rules(ws: Workspace, brief: Brief) -> Iterator[Diagnostic]:

    seen: dict[str, int] = {}
    for i, rate in enumerate(brief.exchange_rates):
        path = ("exchange_rates", i, "currency")
        if brief.currency is None:
            yield ws.problem("brief", brief.id, path, "an exchange rate needs the brief's currency",
                      code="no-currency", hint="add currency: with the brief's currency")
        elif rate.currency == brief.currency:
            yield ws.problem("brief", brief.id, path,
                      f"{rate.currency} is the brief's own currency", code="self-rate",
                      hint="remove this rate", severity=Severity.WARNING)
        if rate.currency in seen:
            yield ws.problem("brief", brief.id, path, f"second rate for {rate.currency} "
                      f"(also exchange_rates[{seen[rate.currency]}])", code="duplicate-rate")
        seen.setdefault(rate.currency, i)
    for ident in ws.option_ids(brief):
        option = ws.options.get(ident)
        if option is None or option.cost is None or not missing_rate(brief, option.cost):
            continue
        yield ws.problem("option", ident, ("cost", "currency"),
                  f"no exchange rate from {option.cost.currency} to {brief.currency} in brief "
                  f"{brief.id!r}", code="missing-rate",
                  hint=f"add to the brief's exchange_rates: {{currency: {option.cost.currency}, "
                  "rate: ..., date: YYYY-MM-DD, source: ...}")


def _package_rules(ws: Workspace, brief: Brief, included: set[str]) -> Iterator[Diagnostic]:

    def at(path: FieldPath, message: str, code: str, hint: str | None = None) -> Diagnostic:
        return ws.problem("brief", brief.id, path, message, code=code, hint=hint)

    ids: dict[str, int] = {}
    for i, package in enumerate(brief.packages):
        if package.id in ids:
            yield at(("packages", i, "id"), f"duplicate package id {package.id!r} "
                     f"(also packages[{ids[package.id]}])", "duplicate-id")
        elif package.id in ws.options:
            yield at(("packages", i, "id"), f"package id {package.id!r} is also an option's id",
                     "duplicate-id", "give the package its own id")
        ids.setdefault(package.id, i)
        first: dict[str, int] = {}
        for j, member in enumerate(package.options):
            path = ("packages", i, "options", j)
            if member in first:
                yield at(path, f"option {member!r} is listed twice in the package", "duplicate-id")
            elif member not in ws.options:
                if ("option", member) not in ws.broken:
                    yield at(path, f"unknown option {member!r}", "unknown-option",
                             suggest(member, ws.options))
            elif member not in included:
                yield at(path, f"option {member!r} is not among the brief's options",
                         "package-not-included", "add it to options")
            first.setdefault(member, j)
        for a, b in conflicts_within(package, ws.options):
            yield at(("packages", i, "options", package.options.index(b)),
                     f"package {package.id!r} joins {a!r} and {b!r}, which conflict",
                     "package-conflict", "a package cannot hold options that cannot both be "
                     "chosen; drop one or remove the conflict")


def _scores_for_brief(ws: Workspace, brief: Brief, option: Option) -> Iterator[Diagnostic]:
    for criterion in brief.criteria:
        score = option.scores.get(criterion.id)
        if score is None:
            yield ws.problem("option", option.id, ("scores",) if option.scores else ("id",),
                      f"no score for criterion {criterion.id!r}, which brief {brief.id!r} "
                      "compares on", code="missing-score",
                      hint=f"add scores.{criterion.id} with a value, or with not_scored: "
                      "and the reason")
            continue
        scale = criterion.scale
        for part in ("value", "low", "high"):
            number = getattr(score, part)
            path = ("scores", criterion.id, part)
            if (number is not None and isinstance(scale, OrdinalScale)
                    and scale.min <= number <= scale.max and not float(number).is_integer()):
                yield ws.problem("option", option.id, path,
                          f"{number:g} is not a point of the scale: criterion "
                          f"{criterion.id!r} of brief {brief.id!r} is scored in whole points",
                          code="between-points", severity=Severity.WARNING,
                          hint=f"write {int(number)} or {int(number) + 1}, or give a range "
                          "with low: and high:")
            if number is None or scale.min <= number <= scale.max:
                continue
            bounds = f"{scale.min:g} and {scale.max:g}"
            span = f"from {scale.min:g} to {scale.max:g}"
            if isinstance(scale, OrdinalScale):
                yield ws.problem("option", option.id, path,
                          f"must be between {bounds}, got {number:g}", code="out-of-scale",
                          hint=f"criterion {criterion.id!r} of brief {brief.id!r} is scored "
                          f"{span}")
            else:
                yield ws.problem("option", option.id, path,
                          f"{number:g} {scale.unit} lies outside the scale, which runs "
                          f"{span}; the brief clips it", code="out-of-scale",
                          severity=Severity.WARNING)


def _option_rules(ws: Workspace, option: Option) -> Iterator[Diagnostic]:
    def at(path: FieldPath, message: str, code: str, hint: str | None = None,
           severity: Severity = Severity.ERROR, key: bool = False) -> Diagnostic:
        return ws.problem("option", option.id, path, message, code=code, hint=hint,
                   severity=severity, key=key)

    briefs = [b for b in ws.briefs.values() if option.id in ws.option_ids(b)] or list(
        ws.briefs.values())
    criteria = {c.id for b in briefs for c in b.criteria}
    # A brief that failed to load may declare the criteria and sources an option cites:
    # its own errors explain the problem, so don't bury them under "unknown" ones here.
    briefs_complete = not any(kind == "brief" for kind, _ in ws.broken)
    if ws.briefs and briefs_complete:
        for cid in option.scores:
            if cid not in criteria:
                yield at(("scores", cid), f"unknown criterion {cid!r}", "unknown-criterion",
                         suggest(cid, criteria) or "criteria: " + ", ".join(sorted(criteria)),
                         key=True)

    seen: dict[str, str] = {}  # option id -> the relation that first names it
    for relation in ("depends_on", "conflicts_with"):
        for i, other in enumerate(getattr(option.relations, relation)):
            path = ("relations", relation, i)
            if other == option.id:
                yield at(path, "an option cannot refer to itself", "self-reference")
            elif other in seen:
                yield at(path, f"{other!r} is already named in {seen[other]}"
                         if seen[other] == relation else
                         f"{other!r} cannot be both depended on and in conflict",
                         "relation-twice", "name each option once, in one relation")
            elif other not in ws.options and ("option", other) not in ws.broken:
                yield at(path, f"unknown option {other!r}", "unknown-option",
                         suggest(other, ws.options))
            seen.setdefault(other, relation)

    declared: dict[str, int] = {}
    for i, source in enumerate(option.sources):
        if source.id and source.id in declared:
            yield at(("sources", i, "id"), f"source id {source.id!r} is declared twice "
                     f"(also sources[{declared[source.id]}])", "duplicate-source",
                     "give each source its own id")
        elif source.id:
            declared[source.id] = i

    source_ids = {s.id for s in option.sources if s.id}
    source_ids |= {s.id for b in briefs for s in b.sources if s.id}
    for cid, score in option.scores.items():
        for i, sid in enumerate(score.sources):
            if sid not in source_ids and briefs_complete:
                yield at(("scores", cid, "sources", i), f"unknown source {sid!r}",
                         "unknown-source", suggest(sid, source_ids)
                         or "declare it under sources: with this id")
        if score.scored and score.rationale is None:
            yield at(("scores", cid), "score has no rationale", "no-rationale",
                     "say why, in a sentence or two", Severity.WARNING)
    if not option.sources:
        yield at(("id",), "option cites no sources", "no-sources",
                 "add sources: with at least one entry", Severity.WARNING)


def _dependency_cycles(ws: Workspace) -> Iterator[Diagnostic]:
    # An option naming itself is reported once, as a self-reference (_option_rules).
    # Each edge keeps its place in depends_on, where a cycle is reported.
    graph = {oid: [(i, d) for i, d in enumerate(o.relations.depends_on)
                   if d in ws.options and d != oid]
             for oid, o in ws.options.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> Iterator[Diagnostic]:
        state[node] = 1
        trail.append(node)
        for i, nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield ws.problem("option", node, ("relations", "depends_on", i),
                              "dependency cycle: " + " -> ".join(cycle), code="cycle",
                              hint="an option cannot depend on itself through others")
            elif nxt not in state:
                yield from visit(nxt, trail)
        trail.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            yield from visit(node, [])


def missing_rate(brief: Brief, cost: Cost) -> bool:
    """True when the brief states a currency, the cost is in another, and no rate is given."""
    return (brief.currency is not None and cost.currency != brief.currency
            and brief.rate_for(cost.currency) is None)


def conflicts_within(package: Package, options: Mapping[str, Option]) -> list[tuple[str, str]]:
    """Pairs of members that conflict (either side may declare it), in package order."""
    pairs = []
    ids = package.options
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            oa, ob = options.get(a), options.get(b)
            if (oa is not None and b in oa.relations.conflicts_with) or \
                    (ob is not None and a in ob.relations.conflicts_with):
                pairs.append((a, b))
    return pairs
