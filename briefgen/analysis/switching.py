"""What would have to be true: the switching values near enough to the stated weights.

The intervals and switching values come from briefgen.analysis.sensitivity (the formulas
are there). A criterion is flagged when one of its switching values lies within
``threshold`` (10 percentage points by default) of its stated weight; the sentences
about them are written in briefgen.present.sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.sensitivity import FLAG_MARGIN, StabilityInterval

THRESHOLD = FLAG_MARGIN


@dataclass(frozen=True)
class Switch:
    """A flagged criterion: the nearest weight at which another option ranks first."""

    criterion: str
    weight: float
    at: float  # the switching weight t*
    rival: str
    direction: str  # "more" (weight rises above at) or "less" (falls below at)


def flagged(intervals: Sequence[StabilityInterval], threshold: float = THRESHOLD) -> list[Switch]:
    """The criteria whose switching weight lies within ``threshold`` of the stated weight,
    each with its nearest switching point (the higher one when both are as near)."""
    out = []
    for iv in intervals:
        near = [s for s in iv.switches if s.change < threshold]
        if near:
            s = min(near, key=lambda s: (s.change, not s.above))
            out.append(Switch(iv.criterion, iv.weight, s.threshold, s.rival,
                              "more" if s.above else "less"))
    return out
