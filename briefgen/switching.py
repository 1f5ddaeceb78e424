"""What would have to be true: switching weights of each criterion. Pure functions.

For criterion k, set its weight to t and rescale the other weights in proportion,
``w_j(t) = w_j (1 - t) / (1 - w_k)``. Each option's total is then a straight line
in t, ``V_i(t) = t v_ik + (1 - t) R_i`` with ``R_i = sum_{j != k} w_j v_ij / (1 - w_k)``.
With b the option ranked first at the stated weights, a rival a crosses b at
``t* = dR / (dR - dv)``, where ``dR = R_b - R_a`` and ``dv = v_bk - v_ak``: for
slope ``dv - dR > 0`` b stays ahead for t >= t*, for a negative slope for t <= t*,
and a zero slope never crosses. The weight stability interval of k is
``[max(0, max t* over positive slopes), min(1, min t* over negative slopes)]``;
the rival crossing at each end is the option that would then rank first.

A criterion is flagged when an end of its interval lies within ``threshold``
(10 percentage points by default) of its stated weight; each flagged criterion
gives one sentence. The interface is two functions, so the intervals can come
from another module (briefgen.sensitivity) and only the sentences from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.formatting import percent

THRESHOLD = 0.10  # flag criteria whose switching weight is within 10 percentage points
_EPS = 1e-12


@dataclass(frozen=True)
class Interval:
    """The weights of one criterion over which the leader stays first."""

    criterion: str
    weight: float  # the stated, normalised weight
    low: float  # leader stays first for low <= t <= high
    high: float
    low_rival: str | None  # who ranks first below low (None: nobody, low is 0)
    high_rival: str | None  # who ranks first above high (None: nobody, high is 1)


@dataclass(frozen=True)
class Switch:
    """A flagged criterion: the nearest weight at which another option ranks first."""

    criterion: str
    weight: float
    at: float  # the switching weight t*
    rival: str
    direction: str  # "more" (weight rises above at) or "less" (falls below at)


def stability_intervals(weights: Mapping[str, float],
                        values: Mapping[str, Mapping[str, float]],
                        leader: str) -> list[Interval]:
    """The weight stability interval of every criterion, in the order of ``weights``.

    ``weights``: normalised weights by criterion id (summing to 1); ``values``: each
    option's 0-100 value by criterion id (not scored counts as 0); ``leader``: the
    option ranked first at these weights. A criterion with weight 1 has no interval.
    """
    out = []
    for k, w_k in weights.items():
        if w_k >= 1 - _EPS:
            continue

        def rest(option: str, k: str = k, w_k: float = w_k) -> float:
            return sum(w * values[option].get(j, 0.0) for j, w in weights.items()
                       if j != k) / (1 - w_k)

        r_b, v_b = rest(leader), values[leader].get(k, 0.0)
        low, low_rival, high, high_rival = 0.0, None, 1.0, None
        for rival in sorted(values):
            if rival == leader:
                continue
            d_r = r_b - rest(rival)
            d_v = v_b - values[rival].get(k, 0.0)
            slope = d_v - d_r
            if abs(slope) < _EPS:
                continue
            t = d_r / (d_r - d_v)
            if slope > 0 and t > low + _EPS:
                low, low_rival = t, rival
            elif slope < 0 and t < high - _EPS:
                high, high_rival = t, rival
        out.append(Interval(k, w_k, low, high, low_rival if low > 0 else None,
                            high_rival if high < 1 else None))
    return out


def flagged(intervals: list[Interval], threshold: float = THRESHOLD) -> list[Switch]:
    """The criteria whose switching weight lies within ``threshold`` of the stated weight,
    each with its nearest switching point (the higher one when both are as near)."""
    out = []
    for iv in intervals:
        ends = []
        if iv.high_rival is not None and iv.high - iv.weight < threshold:
            ends.append((iv.high - iv.weight, Switch(iv.criterion, iv.weight, iv.high,
                                                     iv.high_rival, "more")))
        if iv.low_rival is not None and iv.weight - iv.low < threshold:
            ends.append((iv.weight - iv.low, Switch(iv.criterion, iv.weight, iv.low,
                                                    iv.low_rival, "less")))
        if ends:
            out.append(min(ends, key=lambda e: e[0])[1])
    return out


def _in_sentence(name: str) -> str:
    """'Supply-chain security' -> 'supply-chain security'; 'US leverage' stays."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def sentence(switch: Switch, criterion_name: str, option_title: str) -> str:
    """'Alaska LNG would rank first if supply-chain security weighed more than 34 % (now 25 %).'"""
    return (f"{option_title} would rank first if {_in_sentence(criterion_name)} weighed "
            f"{switch.direction} than {percent(switch.at)} (now {percent(switch.weight)}).")


def what_would_have_to_be_true(intervals: list[Interval], criterion_names: Mapping[str, str],
                               option_titles: Mapping[str, str],
                               threshold: float = THRESHOLD) -> list[str]:
    """One sentence per flagged criterion, in the order of the intervals."""
    return [sentence(s, criterion_names[s.criterion], option_titles[s.rival])
            for s in flagged(intervals, threshold)]
