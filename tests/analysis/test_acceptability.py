"""Rank acceptability (SMAA): weight draws, ties, speed, and weights around the stated ones.

The properties that hold for any problem are in tests/properties/test_analysis.py.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from briefgen.analysis import acceptability
from briefgen.analysis.acceptability import analyse_acceptability, ranks_of, smaa, uniform_simplex
from briefgen.analysis.scores import analyse
from briefgen.inputs.models import AnalysisSettings
from tests.helpers.mcda import brief, criterion, option


def test_uniform_simplex_draws_sum_to_one_with_mean_one_over_n():
    w = uniform_simplex(np.random.default_rng(1), 20_000, 4)
    assert np.allclose(w.sum(axis=1), 1.0) and (w >= 0).all()
    assert w.mean(axis=0) == pytest.approx(np.full(4, 0.25), abs=0.01)


def test_tied_options_share_the_better_rank():
    assert ranks_of(np.array([[1.0, 1.0, 0.5], [0.2, 0.9, 0.9]])).tolist() == [[1, 1, 3],
                                                                               [3, 1, 1]]


def test_options_tied_on_every_criterion_both_rank_first_in_every_draw():
    # One criterion: every draw is the same weighting, and A and B tie in all of them.
    # Breaking the tie by id made A first in 100 % and B second in 100 %.
    b = brief([criterion("c1", 1)])
    opts = [option("a", {"c1": 4}), option("b", {"c1": 4}), option("c", {"c1": 1})]
    result = analyse_acceptability(analyse(b, opts), AnalysisSettings(draws=200))
    assert result.first_share("a") == result.first_share("b") == 1.0
    assert result.shares[result.options.index("c")][2] == 1.0  # third: two are ahead
    assert result.central_weights[0] == result.central_weights[1] == (1.0,)
    assert result.confidence[0] == result.confidence[1] == 1.0


def test_shares_of_each_option_sum_to_one():
    rng = np.random.default_rng(0)
    values = rng.random((8, 8)) * 100
    low, high = values - 10, values + 10
    shares, _, _ = smaa(values, low, high, np.full(8, 1 / 8), AnalysisSettings())
    assert shares.sum(axis=1) == pytest.approx(np.ones(8))


def test_around_stated_weights_concentrate_the_central_weights():
    b = brief([criterion("c1", 3), criterion("c2", 1)])
    opts = [option("o0", {"c1": 5, "c2": 0}), option("o1", {"c1": 0, "c2": 5})]
    result = analyse(b, opts)
    wide = analyse_acceptability(result, AnalysisSettings(weights="uniform"))
    near = analyse_acceptability(result, AnalysisSettings(weights="around-stated",
                                                          concentration=200))
    # Uniform: o0 first whenever w1 > 1/2, half the time. Near 75/25: nearly always.
    assert wide.first_share("o0") == pytest.approx(0.5, abs=0.02)
    assert near.first_share("o0") > 0.99
    assert wide.central_weights[0] == pytest.approx((0.75, 0.25), abs=0.01)


# --- memory: linear in the options, whatever the draws ------------------------
# Ranking every draw by comparing all pairs of options held draws x options^2
# booleans (15 GB for 300 options); ranks now come from a sort, draws come in blocks.


def brute_force_ranks(totals: np.ndarray) -> np.ndarray:
    """The definition: 1 + the number of options ahead."""
    ahead = totals[:, None, :] > totals[:, :, None]
    return 1 + ahead.sum(axis=2)


@pytest.mark.parametrize("seed", range(5))
def test_ranks_follow_the_definition_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct totals, so most draws have ties at the top and in the middle.
    totals = rng.integers(0, 4, size=(200, 9)).astype(float) * 12.5
    assert np.array_equal(ranks_of(totals), brute_force_ranks(totals))


def test_totals_closer_than_the_tie_tolerance_are_tied() -> None:
    totals = np.array([[50.0, 50.0 + 1e-13, 49.0], [50.0 + 1e-13, 50.0, 49.0]])
    assert ranks_of(totals).tolist() == [[1, 1, 3], [1, 1, 3]]


def example_scores(m: int, n: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    values = rng.random((m, n)) * 100
    return values, np.clip(values - 5, 0, 100), np.clip(values + 5, 0, 100), np.ones(n) / n


@pytest.mark.parametrize("ranges", [False, True])
def test_results_do_not_depend_on_the_block_size(ranges: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    values, low, high, weights = example_scores(12, 4)
    settings = AnalysisSettings(draws=500, score_ranges=ranges)
    whole = smaa(values, low, high, weights, settings)
    monkeypatch.setattr(acceptability, "BLOCK_ELEMENTS", 37)  # many small, uneven blocks
    blocked = smaa(values, low, high, weights, settings)
    for a, b in zip(whole, blocked, strict=True):
        assert np.array_equal(a, b, equal_nan=True)


def peak_bytes(m: int) -> int:
    values, low, high, weights = example_scores(m, 12)
    tracemalloc.start()
    smaa(values, low, high, weights, AnalysisSettings(draws=2_000, score_ranges=True))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_grows_linearly_with_the_options() -> None:
    small, large = peak_bytes(100), peak_bytes(400)
    # Quadrupling the options at most about quadruples the memory (it was 16x), and a
    # 400-option brief stays far below a gigabyte.
    assert large < 5 * small, (small, large)
    assert large < 200 * 2**20, large
