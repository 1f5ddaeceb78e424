"""Sensitivity to the weights, against worked examples with hand-computed answers.

The weighted-sum examples with published answers are in test_scores.py.
"""

from __future__ import annotations

import pytest

from briefgen.analysis.scores import analyse
from briefgen.analysis.sensitivity import analyse_sensitivity, switching_values, top_rank_survives
from tests.helpers import mcda
from tests.helpers.mcda import brief, criterion, option

PERCENT = {"kind": "quantity", "unit": "points", "min": 0, "max": 100}


def hand_example(w1: float, w2: float):
    """Two criteria; A = (100, 0), B = (0, 100), C = (60, 30) on the 0-100 scale."""
    b = brief([criterion("c1", w1, scale=PERCENT), criterion("c2", w2, scale=PERCENT)],
              baseline="a")
    opts = [option("a", {"c1": 100, "c2": 0}), option("b", {"c1": 0, "c2": 100}),
            option("c", {"c1": 60, "c2": 30})]
    return analyse(b, opts)


def test_stability_interval_by_hand():
    """Weights 65/35. On c1: R_a = 0, R_b = 100, R_c = 30 (the other criterion alone).

    vs b: dR = -100, dv = 100, slope 200 > 0, t* = -100 / -200 = 0.5
    vs c: dR = -30, dv = 40, slope 70 > 0, t* = -30 / -70 = 0.4286
    so a stays first for c1's weight in [0.5, 1]; b takes over below 50 %.
    On c2: R_a = 100, R_b = 0, R_c = 60; vs b t* = 0.5 (slope < 0), vs c t* = 40/70 = 0.5714:
    a stays first for c2's weight in [0, 0.5]; b takes over above 50 %.
    """
    result = hand_example(65, 35)
    assert result.leader.option == "a"
    c1, c2 = analyse_sensitivity(result)
    assert (c1.lower, c1.upper, c1.lower_rival, c1.upper_rival) == pytest.approx(
        (0.5, 1.0, "b", None))
    assert (c2.lower, c2.upper, c2.lower_rival, c2.upper_rival) == pytest.approx(
        (0.0, 0.5, None, "b"))
    assert not c1.flagged and not c2.flagged
    assert c1.switches[0].change == pytest.approx(0.15)


def test_flags_a_change_under_ten_points_and_names_the_new_leader():
    result = hand_example(55, 45)
    switches = switching_values(analyse_sensitivity(result))
    flagged = [s for s in switches if s.flagged]
    assert {(s.criterion, s.rival, s.above) for s in flagged} == {("c1", "b", False),
                                                                  ("c2", "b", True)}
    assert all(s.threshold == pytest.approx(0.5) for s in flagged)
    # And it is true: just past the threshold, b leads.
    assert hand_example(49, 51).leader.option == "b"


def test_top_rank_survival_rule():
    b = brief([criterion("c1", 1, scale=PERCENT)], baseline="x")
    safe = analyse(b, [option("x", {"c1": (70, 80, 90)}), option("y", {"c1": (50, 60, 70)})])
    assert top_rank_survives(safe).survives
    risky = analyse(b, [option("x", {"c1": (60, 80, 90)}), option("y", {"c1": (50, 60, 70)})])
    verdict = top_rank_survives(risky)
    assert not verdict.survives and verdict.challengers == (("y", 70.0),)


def test_a_tie_only_at_a_weight_of_zero_is_not_a_switch() -> None:
    # with c1 weighing nothing, a and b score alike (R_a = R_b); a leads for any weight > 0
    b = mcda.brief([mcda.criterion("c1", 1), mcda.criterion("c2", 1), mcda.criterion("c3", 1)],
                   baseline="a")
    opts = [mcda.option("a", {"c1": 5, "c2": 1, "c3": 2}),
            mcda.option("b", {"c1": 0, "c2": 2, "c3": 1})]
    interval = analyse_sensitivity(analyse(b, opts))[0]
    assert (interval.lower, interval.lower_rival, interval.switches) == (0.0, None, ())


def test_a_leader_tied_for_first_is_not_told_a_rival_would_rank_first() -> None:
    b = mcda.brief([mcda.criterion("c1", 1), mcda.criterion("c2", 1)], baseline="a")
    opts = [mcda.option("a", {"c1": 5, "c2": 1}), mcda.option("b", {"c1": 1, "c2": 5})]
    result = analyse(b, opts)
    assert result.leader.tied_with == ("b",)
    assert all(not i.switches for i in analyse_sensitivity(result))


@pytest.mark.parametrize("order", [("b", "c"), ("c", "b")])
def test_of_rivals_crossing_at_the_same_weight_the_one_that_then_leads_is_named(order) -> None:
    """A = (100, 20), B = (60, 60), C = (20, 100) at 50/50: all total 60. On c1 below
    50 % C leads (100 - 80t > 60 > 60 + 0t); B crosses at 50 % too but never leads, and
    was named when its id came first."""
    b = brief([criterion("c1", 1, scale=PERCENT), criterion("c2", 1, scale=PERCENT)],
              baseline="a")
    scores = {"b": {"c1": 60, "c2": 60}, "c": {"c1": 20, "c2": 100}}
    opts = [option("a", {"c1": 100, "c2": 20}), *(option(o, scores[o]) for o in order)]
    c1, c2 = analyse_sensitivity(analyse(b, opts))
    assert (c1.lower, c1.lower_rival, c1.upper, c1.upper_rival) == (
        pytest.approx(0.5), "c", 1.0, None)
    assert (c2.lower, c2.lower_rival, c2.upper, c2.upper_rival) == (
        0.0, None, pytest.approx(0.5), "c")
