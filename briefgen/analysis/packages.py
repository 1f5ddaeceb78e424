"""Packages: bundles of options scored with the same weights and ranked alongside them.

Pure functions, no I/O. Each criterion says how a package is scored on it
(``Criterion.package_rule``; by default ``best`` for a benefit criterion and
``worst`` for a cost criterion):

* best:  the package's 0-100 value is the highest of its members' values; the
  package does as well as its best part and no better (no synergy is assumed);
* worst: the lowest of its members' values; the package is as costly, slow or
  risky as its worst part;
* sum:   the members' raw scores are added above the scale's bottom L,
  ``x = L + sum_i (x_i - L)``, then put on the 0-100 scale and capped at its ends;
  for quantities that add up (money, tonnes, jobs).

A member not scored on a criterion counts as 0 points under best and worst and
adds nothing under sum. Low and high ends are combined by the same rule. The
package's total is the weighted sum of its combined values, so it is compared
with single options on the same footing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.analysis.scores import Analysis, Cell, normalise, rank
from briefgen.inputs.models import Brief, Criterion, Option, Package


@dataclass(frozen=True)
class Entry:
    """A single option or a package in the combined ranking."""

    id: str
    is_package: bool
    members: tuple[str, ...]
    cells: Mapping[str, Cell]
    total: float
    total_low: float
    total_high: float
    rank: int = 0
    tied_with: tuple[str, ...] = ()


def _combine_cell(criterion: Criterion, weight: float, members: Sequence[Option],
                  cells: Sequence[Cell]) -> Cell:
    scored = [c for c in cells if c.value is not None]
    if not scored:
        return Cell(criterion.id, None, None, None, None, 0.0, not_scored="no member scored")
    rule = criterion.combine
    if rule == "sum":
        bottom = criterion.scale.min

        def added(part: str) -> float:
            total = bottom
            for option in members:
                score = option.scores.get(criterion.id)
                if score is None or score.value is None:
                    continue
                x = getattr(score, part)
                total += (x if x is not None else score.value) - bottom
            return total

        raw = added("value")
        ends = [normalise(added("low"), criterion), normalise(added("high"), criterion)]
        value = normalise(raw, criterion)
        return Cell(criterion.id, raw, value, min(ends), max(ends), weight * value)
    pick = max if rule == "best" else min
    values = [c.value or 0.0 for c in cells]
    chosen = cells[values.index(pick(values))]
    low = pick(c.low or 0.0 for c in cells)
    high = pick(c.high or 0.0 for c in cells)
    value = chosen.value or 0.0
    return Cell(criterion.id, chosen.raw, value, low, high, weight * value)


def score_package(package: Package, brief: Brief, analysis: Analysis,
                  options: Mapping[str, Option]) -> Entry:
    members = [options[i] for i in package.options]
    rows = [analysis.result(i).cells for i in package.options]
    cells = {c.id: _combine_cell(c, analysis.weights[c.id], members, [r[c.id] for r in rows])
             for c in brief.criteria}
    w = analysis.weights
    total = sum(cell.contribution for cell in cells.values())
    low = sum(w[c] * (cell.low or 0.0) for c, cell in cells.items())
    high = sum(w[c] * (cell.high or 0.0) for c, cell in cells.items())
    return Entry(package.id, True, tuple(package.options), cells, total, low, high)


def rank_with_packages(brief: Brief, analysis: Analysis,
                       options: Mapping[str, Option]) -> tuple[Entry, ...]:
    """Options and packages in one ranking, best first (ties by id, as for options)."""
    entries = {r.option: Entry(r.option, False, (r.option,), r.cells, r.total, r.total_low,
                               r.total_high) for r in analysis.ranking}
    for package in brief.packages:
        entries[package.id] = score_package(package, brief, analysis, options)
    ranked = rank({k: e.total for k, e in entries.items()})
    return tuple(Entry(e.id, e.is_package, e.members, e.cells, e.total, e.total_low,
                       e.total_high, position, tied)
                 for oid, position, tied in ranked for e in [entries[oid]])
