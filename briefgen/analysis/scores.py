"""Stage 3, analyse: normalised weighted-sum scores and ranks. Pure functions, no I/O.

The method (UK "Multi-criteria analysis: a manual", 2009: scoring on a common scale, sec. 5.6;
the linear additive model, sec. 4.7 and Appendix 4):

* each score x on criterion j is put on a common 0-100 scale between the
  criterion's scale bounds L and U: ``v = 100 (x - L) / (U - L)`` for a benefit
  criterion and ``v = 100 (U - x) / (U - L)`` for a cost criterion, clipped to
  [0, 100];
* weights are normalised to sum to 1: ``w_j = s_j / sum_k s_k``;
* an option's total is ``V = sum_j w_j v_j``; a criterion marked "not scored"
  contributes 0, the value of the worst point on its scale;
* options are ranked by V, highest first; equal totals (to 1e-9) are ordered by
  option id and reported as ties, with standard competition ranks: tied options
  share the best rank of their group and the next option's rank counts every
  option ahead of it (1=, 1=, 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefgen.inputs.models import Brief, Criterion, Option

TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """One option on one criterion."""

    criterion: str
    raw: float | None
    value: float | None  # 0-100, None when not scored
    low: float | None  # 0-100 pessimistic, from the score's low/high
    high: float | None
    contribution: float  # weight x value, in points of the 0-100 total
    not_scored: str | None = None


@dataclass(frozen=True)
class OptionResult:
    option: str
    cells: dict[str, Cell]
    total: float
    total_low: float
    total_high: float
    rank: int
    tied_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    weights: dict[str, float]  # normalised, sum to 1
    ranking: tuple[OptionResult, ...]  # best first

    def result(self, option_id: str) -> OptionResult:
        return next(r for r in self.ranking if r.option == option_id)

    @property
    def leader(self) -> OptionResult:
        return self.ranking[0]


def normalised_weights(criteria: list[Criterion]) -> dict[str, float]:
    total = sum(c.weight for c in criteria)
    if not math.isfinite(total):  # weights near the float limit (1e308) overflow the sum
        largest = max(c.weight for c in criteria)
        scaled = {c.id: c.weight / largest for c in criteria}
        total = sum(scaled.values())
        return {ident: w / total for ident, w in scaled.items()}
    return {c.id: c.weight / total for c in criteria}


def normalise(x: float, criterion: Criterion) -> float:
    """A raw score on the criterion's scale, as 0-100 where 100 is best."""
    lo, hi = criterion.scale.min, criterion.scale.max
    share = (x - lo) / (hi - lo)
    if criterion.direction == "cost":
        share = 1.0 - share
    return 100.0 * min(1.0, max(0.0, share))


def score_cell(option: Option, criterion: Criterion, weight: float) -> Cell:
    score = option.scores.get(criterion.id)
    if score is None or score.value is None:
        reason = score.not_scored if score is not None else "no score"
        return Cell(criterion.id, None, None, None, None, 0.0, not_scored=reason)
    value = normalise(score.value, criterion)
    ends = [normalise(score.low if score.low is not None else score.value, criterion),
            normalise(score.high if score.high is not None else score.value, criterion)]
    return Cell(criterion.id, score.value, value, min(ends), max(ends), weight * value)


def rank(totals: dict[str, float]) -> list[tuple[str, int, tuple[str, ...]]]:
    """(id, rank, ids tied with it), best first; ties ordered by id.

    Totals within TIE_TOLERANCE of the first member of a group are one tie, so
    that rounding noise (weights 1:2 versus 100:200) never reorders options. Ranks
    are standard competition ranks: 1 + the number of options in better groups.
    """
    by_total = sorted(totals, key=lambda oid: -totals[oid])
    groups: list[list[str]] = []
    for oid in by_total:
        if groups and totals[groups[-1][0]] - totals[oid] <= TIE_TOLERANCE:
            groups[-1].append(oid)
        else:
            groups.append([oid])
    out = []
    ahead = 0
    for group in groups:
        members = sorted(group)
        for oid in members:
            out.append((oid, ahead + 1, tuple(other for other in members if other != oid)))
        ahead += len(group)
    return out


def analyse(brief: Brief, options: list[Option]) -> Analysis:
    """Score and rank the options of a brief on its criteria."""
    weights = normalised_weights(brief.criteria)
    cells = {
        o.id: {c.id: score_cell(o, c, weights[c.id]) for c in brief.criteria} for o in options
    }
    totals = {oid: sum(cell.contribution for cell in row.values()) for oid, row in cells.items()}
    results = []
    for oid, position, tied in rank(totals):
        row = cells[oid]
        low = sum(weights[c] * (cell.low or 0.0) for c, cell in row.items())
        high = sum(weights[c] * (cell.high or 0.0) for c, cell in row.items())
        results.append(OptionResult(oid, row, totals[oid], low, high, position, tied))
    return Analysis(weights, tuple(results))
