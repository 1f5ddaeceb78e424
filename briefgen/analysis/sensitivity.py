"""Weight sensitivity: over what range of one criterion's weight does the leader stay first?

Pure functions, no I/O, no numpy (``briefgen check`` must not pay for it).

For criterion k, set its weight to t and rescale the others in proportion,
``w_j(t) = w_j (1 - t) / (1 - w_k)``. Each option's total is then a straight line
in t: ``V_i(t) = t v_ik + (1 - t) R_i`` with
``R_i = sum_{j != k} w_j v_ij / (1 - w_k)``. For the leader b and a rival a,
with ``dR = R_b - R_a`` and ``dv = v_bk - v_ak``, the lines cross at
``t* = dR / (dR - dv)``; the slope of b's lead is ``dv - dR``:

* slope > 0: b stays ahead of a for t >= t*;
* slope < 0: b stays ahead of a for t <= t*;
* slope = 0: a never overtakes b along this weight.

The stability interval is ``[max(0, max t* over positive slopes),
min(1, min t* over negative slopes)]``; the rival that sets each end is the one
that takes over beyond it. Undefined when ``w_k = 1`` (a single criterion).

Two edge cases are not switches. A crossing at t* = 0 or 1 (to within EDGE) is a
tie at the very end of the range, reached only by a weight of exactly 0 % or 100 %:
the rival never ranks first inside the range, so the interval reaches that end and
no rival is named there. A rival tied with the leader at the stated weights
already ranks (joint) first: it still bounds the interval (beyond that end it
ranks first alone), but it is no switch, so no one is told it "would rank first
if ...".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.analysis.scores import TIE_TOLERANCE, Analysis

FLAG_MARGIN = 0.10  # a change of less than 10 percentage points that changes the leader
_EPS = 1e-12
EDGE = 1e-9  # a crossing this close to a weight of 0 or 1 is at the end of the range


@dataclass(frozen=True)
class SwitchingValue:
    """'<rival> would rank first if <criterion> weighed more (or less) than <threshold>'."""

    criterion: str
    rival: str
    above: bool  # True: rival leads when the weight exceeds threshold; False: falls below it
    threshold: float  # a weight, 0-1
    change: float  # |threshold - current weight|, 0-1

    @property
    def flagged(self) -> bool:
        return self.change < FLAG_MARGIN


@dataclass(frozen=True)
class StabilityInterval:
    """The range of one criterion's weight over which the leader stays first."""

    criterion: str
    weight: float  # the stated weight, normalised
    leader: str
    lower: float
    upper: float
    lower_rival: str | None  # takes over below ``lower``; None when lower is 0 and no one does
    upper_rival: str | None  # takes over above ``upper``
    tied: tuple[str, ...] = ()  # rivals tied with the leader at the stated weights

    @property
    def switches(self) -> tuple[SwitchingValue, ...]:
        """The weights at which a rival would rank first; none for a rival that already
        ranks joint first."""
        out = []
        if self.lower_rival is not None and self.lower_rival not in self.tied:
            out.append(SwitchingValue(self.criterion, self.lower_rival, False, self.lower,
                                      self.weight - self.lower))
        if self.upper_rival is not None and self.upper_rival not in self.tied:
            out.append(SwitchingValue(self.criterion, self.upper_rival, True, self.upper,
                                      self.upper - self.weight))
        return tuple(out)

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.switches)


def stability_interval(
    weights: Mapping[str, float],
    values: Mapping[str, Mapping[str, float]],
    leader: str,
    criterion: str,
) -> StabilityInterval | None:
    """The stability interval of ``criterion``'s weight for ``leader``; None if w_k = 1.

    ``weights`` are normalised (sum to 1); ``values[option][criterion]`` are 0-100.
    """
    wk = weights[criterion]
    if 1.0 - wk <= _EPS:
        return None

    def rest(option: str) -> float:
        row = values[option]
        return sum(w * row[c] for c, w in weights.items() if c != criterion) / (1.0 - wk)

    r_b, v_b = rest(leader), values[leader][criterion]
    lower, upper = 0.0, 1.0
    lower_rival: str | None = None
    upper_rival: str | None = None
    lower_slope = upper_slope = 0.0
    tied: list[str] = []
    for rival in sorted(values):
        if rival == leader:
            continue
        d_r = r_b - rest(rival)
        d_v = v_b - values[rival][criterion]
        slope = d_v - d_r
        if abs(slope) <= _EPS:
            continue
        if abs(wk * d_v + (1.0 - wk) * d_r) <= TIE_TOLERANCE:
            tied.append(rival)  # it already ranks (joint) first: it bounds, never switches
        t_star = d_r / (d_r - d_v)
        if t_star <= EDGE or t_star >= 1.0 - EDGE:
            continue  # only a weight of exactly 0 % or 100 % would tie them
        # Rivals that cross at the same weight: beyond it, the one whose lead grows
        # fastest (the steepest) ranks first, so it is the one named.
        if slope > 0 and (t_star > lower + EDGE
                          or (t_star > lower - EDGE and slope > lower_slope)):
            lower, lower_rival, lower_slope = max(lower, t_star), rival, slope
        elif slope < 0 and (t_star < upper - EDGE
                            or (t_star < upper + EDGE and -slope > upper_slope)):
            upper, upper_rival, upper_slope = min(upper, t_star), rival, -slope
    return StabilityInterval(criterion, wk, leader, lower, upper, lower_rival, upper_rival,
                             tuple(tied))


def stability_intervals(
    weights: Mapping[str, float],
    values: Mapping[str, Mapping[str, float]],
    leader: str,
    criteria: Sequence[str] | None = None,
) -> tuple[StabilityInterval, ...]:
    """One interval per criterion (in order), skipping a criterion whose weight is 1."""
    out = []
    for c in criteria or list(weights):
        interval = stability_interval(weights, values, leader, c)
        if interval is not None:
            out.append(interval)
    return tuple(out)


def values_of(analysis: Analysis) -> dict[str, dict[str, float]]:
    """The 0-100 values of an analysis; a criterion not scored counts as 0."""
    return {r.option: {c: (cell.value or 0.0) for c, cell in r.cells.items()}
            for r in analysis.ranking}


def analyse_sensitivity(analysis: Analysis) -> tuple[StabilityInterval, ...]:
    return stability_intervals(analysis.weights, values_of(analysis), analysis.leader.option)


def switching_values(intervals: Sequence[StabilityInterval]) -> tuple[SwitchingValue, ...]:
    """Every weight change that would put another option first, smallest change first."""
    return tuple(sorted((s for i in intervals for s in i.switches),
                        key=lambda s: (s.change, s.criterion, s.rival)))


@dataclass(frozen=True)
class RangeVerdict:
    """Whether the top rank survives the score ranges.

    Rule: the leader keeps first place for certain when its pessimistic total
    (every score at its low end) is at least every rival's optimistic total (every
    score at its high end). Otherwise the rivals whose optimistic total exceeds the
    leader's pessimistic total could overtake it.
    """

    leader: str
    leader_low: float
    challengers: tuple[tuple[str, float], ...]  # (rival, its optimistic total), best first

    @property
    def survives(self) -> bool:
        return not self.challengers


def top_rank_survives(analysis: Analysis) -> RangeVerdict:
    lead = analysis.leader
    challengers = sorted(((r.option, r.total_high) for r in analysis.ranking[1:]
                          if r.total_high > lead.total_low + 1e-9),
                         key=lambda p: (-p[1], p[0]))
    return RangeVerdict(lead.option, lead.total_low, tuple(challengers))
