"""Rank acceptability (SMAA): weight draws, tie-breaking, speed, and weights around the stated ones.

The properties that hold for any problem are in tests/properties/test_analysis.py.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from briefgen.analysis.acceptability import analyse_acceptability, ranks_of, smaa, uniform_simplex
from briefgen.analysis.scores import analyse
from briefgen.inputs.models import AnalysisSettings
from tests.helpers.mcda import brief, criterion, option


def test_uniform_simplex_draws_sum_to_one_with_mean_one_over_n():
    w = uniform_simplex(np.random.default_rng(1), 20_000, 4)
    assert np.allclose(w.sum(axis=1), 1.0) and (w >= 0).all()
    assert w.mean(axis=0) == pytest.approx(np.full(4, 0.25), abs=0.01)


def test_ranks_break_exact_ties_in_column_order():
    assert ranks_of(np.array([[1.0, 1.0, 0.5], [0.2, 0.9, 0.9]])).tolist() == [[1, 2, 3],
                                                                               [3, 1, 2]]


def test_ten_thousand_draws_take_well_under_a_second():
    rng = np.random.default_rng(0)
    values = rng.random((8, 8)) * 100
    low, high = values - 10, values + 10
    started = time.perf_counter()
    shares, _, _ = smaa(values, low, high, np.full(8, 1 / 8), AnalysisSettings())
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, elapsed
    assert shares.sum() == pytest.approx(8.0)


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
