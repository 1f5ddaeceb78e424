"""Property tests (hypothesis) of the ranking, sensitivity and rank acceptability."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.analysis.acceptability import analyse_acceptability
from briefgen.analysis.scores import analyse
from briefgen.analysis.sensitivity import analyse_sensitivity, values_of
from briefgen.inputs.models import AnalysisSettings
from tests.helpers.mcda import brief, criterion, option, with_zero_weight

FAST = AnalysisSettings(draws=500, seed=7)
settings.register_profile("briefgen", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("briefgen")


@st.composite
def problems(draw, min_options=2):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(min_options, 5))
    weights = draw(st.lists(st.integers(1, 20), min_size=n, max_size=n))
    directions = draw(st.lists(st.sampled_from(["benefit", "cost"]), min_size=n, max_size=n))
    scores = draw(st.lists(st.lists(st.integers(0, 5), min_size=n, max_size=n),
                           min_size=m, max_size=m))
    b = brief([criterion(f"c{j}", weights[j], directions[j]) for j in range(n)])
    opts = [option(f"o{i}", {f"c{j}": scores[i][j] for j in range(n)}) for i in range(m)]
    return b, opts


def order(result):
    return [(r.option, r.rank) for r in result.ranking]


@given(problems(), st.floats(0.01, 1000))
def test_scaling_all_weights_changes_no_rank(problem, factor):
    b, opts = problem
    scaled = b.model_copy(update={"criteria": [
        c.model_copy(update={"weight": c.weight * factor}) for c in b.criteria]})
    assert order(analyse(scaled, opts)) == order(analyse(b, opts))


@given(problems(), st.lists(st.integers(0, 5), min_size=5, max_size=5))
def test_a_zero_weight_criterion_changes_nothing(problem, extra):
    b, opts = problem
    widened = [o.model_copy(update={"scores": {**o.scores, "zz": option(
        "x", {"zz": extra[i]}).scores["zz"]}}) for i, o in enumerate(opts)]
    before, after = analyse(b, opts), analyse(with_zero_weight(b, "zz"), widened)
    assert order(after) == order(before)
    assert [r.total for r in after.ranking] == pytest.approx([r.total for r in before.ranking])
    assert after.weights["zz"] == 0.0


@given(problems())
def test_a_dominated_option_never_ranks_first(problem):
    b, opts = problem
    # A copy of the first option, one point worse on the first criterion (which has weight > 0).
    c0 = b.criteria[0]
    best, worst = (5, 0) if c0.direction == "benefit" else (0, 5)
    if opts[0].scores[c0.id].value == worst:
        opts = [opts[0].model_copy(update={"scores": {
            **opts[0].scores, c0.id: option("x", {c0.id: best}).scores[c0.id]}}), *opts[1:]]
    step = -1 if c0.direction == "benefit" else 1
    worse = opts[0].scores[c0.id].value + step
    dominated = option("zz-dominated", {**{c: s.value for c, s in opts[0].scores.items()},
                                        c0.id: worse})
    result = analyse(b, [*opts, dominated])
    assert result.leader.option != "zz-dominated"
    acc = analyse_acceptability(result, FAST)
    assert acc.first_share("zz-dominated") == 0.0


@given(problems())
def test_each_option_takes_one_rank_per_draw_and_ties_share_the_better_one(problem):
    b, opts = problem
    acc = analyse_acceptability(analyse(b, opts), FAST)
    shares = np.array(acc.shares)
    assert shares.sum(axis=1) == pytest.approx(np.ones(len(opts)))
    # In each draw at least r options rank r or better (exactly r without ties, more
    # when tied options share a rank), so the same holds for the shares summed.
    at_or_above = np.cumsum(shares.sum(axis=0))
    assert (at_or_above >= np.arange(1, len(opts) + 1) - 1e-9).all()


@given(problems(), st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_numbers(problem, seed):
    b, opts = problem
    result = analyse(b, opts)
    s = AnalysisSettings(draws=300, seed=seed)
    assert analyse_acceptability(result, s) == analyse_acceptability(result, s)


@given(problems())
def test_the_leader_stays_first_inside_its_stability_interval_and_not_beyond(problem):
    b, opts = problem
    result = analyse(b, opts)
    values = values_of(result)
    leader = result.leader.option

    def leads(k: str, t: float) -> bool:
        wk = result.weights[k]
        w = {c: (t if c == k else x * (1 - t) / (1 - wk)) for c, x in result.weights.items()}
        totals = {o: sum(w[c] * v[c] for c in w) for o, v in values.items()}
        return totals[leader] >= max(totals.values()) - 1e-7

    for i in analyse_sensitivity(result):
        assert i.lower - 1e-9 <= i.weight <= i.upper + 1e-9
        for t in np.linspace(i.lower, i.upper, 7):
            assert leads(i.criterion, float(t))
        if i.upper_rival and i.upper < 1 - 1e-3:
            assert not leads(i.criterion, min(1.0, i.upper + 1e-3))
        if i.lower_rival and i.lower > 1e-3:
            assert not leads(i.criterion, max(0.0, i.lower - 1e-3))


@st.composite
def tied_totals(draw):
    """Totals on a coarse grid (so that many tie, at the top and in the middle), each moved
    by noise well inside the tie tolerance, as weights 1:2 versus 100:200 move them."""
    from briefgen.analysis.scores import TIE_TOLERANCE

    n = draw(st.integers(1, 8))
    grid = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    noise = draw(st.lists(st.floats(-TIE_TOLERANCE / 4, TIE_TOLERANCE / 4), min_size=n,
                          max_size=n))
    return {f"o{i}": g * 12.5 + e for i, (g, e) in enumerate(zip(grid, noise, strict=True))}


@given(tied_totals())
def test_ranks_are_standard_competition_ranks(totals):
    """rank = 1 + the number of options strictly ahead (by more than the tie tolerance):
    1=, 1=, 3; tied options name each other and are listed by id."""
    from briefgen.analysis.scores import TIE_TOLERANCE, rank

    ranked = rank(totals)
    assert sorted(oid for oid, _, _ in ranked) == sorted(totals)
    for oid, position, tied in ranked:
        ahead = sum(1 for o, t in totals.items() if t > totals[oid] + TIE_TOLERANCE)
        assert position == 1 + ahead
        assert set(tied) == {o for o, t in totals.items()
                             if o != oid and abs(t - totals[oid]) <= TIE_TOLERANCE}
    positions = [p for _, p, _ in ranked]
    assert positions == sorted(positions)
    for (a, pa, _), (b, pb, _) in itertools.pairwise(ranked):
        assert pa < pb or a < b  # ties in id order


@given(problems())
def test_analysis_ranks_are_standard_competition_ranks(problem):
    from briefgen.analysis.scores import TIE_TOLERANCE

    result = analyse(*problem)
    for r in result.ranking:
        ahead = sum(1 for o in result.ranking if o.total > r.total + TIE_TOLERANCE)
        assert r.rank == 1 + ahead
        assert bool(r.tied_with) == any(o.rank == r.rank for o in result.ranking if o is not r)


@given(problems())
def test_a_stability_interval_never_switches_at_an_end_of_the_range(problem):
    """A rival that ties the leader only at a weight of exactly 0 % or 100 % never ranks
    first inside the range: no switch there. A rival tied with the leader already ranks
    joint first: no 'would rank first if' for it either."""
    from briefgen.analysis.sensitivity import EDGE

    result = analyse(*problem)
    tied = set(result.leader.tied_with)
    for interval in analyse_sensitivity(result):
        for s in interval.switches:
            assert EDGE < s.threshold < 1 - EDGE
            assert s.rival not in tied
        assert set(interval.tied) <= tied  # identical rivals never cross: not listed
        if interval.lower_rival is None:
            assert interval.lower == 0.0
        if interval.upper_rival is None:
            assert interval.upper == 1.0
