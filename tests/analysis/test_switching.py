"""Switching weights: the weight at which another option would rank first."""

from __future__ import annotations

import random

import pytest

from briefgen.analysis.sensitivity import stability_intervals
from briefgen.analysis.switching import flagged
from briefgen.present.sentences import what_would_have_to_be_true

NAMES = {"security": "Supply-chain security", "cost": "US cost"}
TITLES = {"x": "Alaska LNG", "y": "Rare-earth plan", "z": "Status quo"}


def test_two_options_cross_at_fifty_percent() -> None:
    weights = {"security": 0.45, "cost": 0.55}
    values = {"x": {"security": 0, "cost": 100}, "y": {"security": 100, "cost": 0}}
    intervals = stability_intervals(weights, values, leader="x")
    assert [(i.criterion, i.lower, i.upper, i.lower_rival, i.upper_rival)
            for i in intervals] == [
        ("security", 0.0, pytest.approx(0.5), None, "y"),
        ("cost", pytest.approx(0.5), 1.0, "y", None),
    ]
    assert what_would_have_to_be_true(intervals, NAMES, TITLES) == [
        "Rare-earth plan would rank first if supply-chain security weighed more than 50\u00a0% "
        "(now 45\u00a0%) or US cost less than 50\u00a0% (now 55\u00a0%).",  # one sentence per rival
    ]


def test_far_switching_weights_are_not_flagged() -> None:
    weights = {"security": 0.2, "cost": 0.8}
    values = {"x": {"security": 0, "cost": 100}, "y": {"security": 100, "cost": 0}}
    intervals = stability_intervals(weights, values, leader="x")
    assert [(i.lower, i.upper) for i in intervals] == [(0.0, pytest.approx(0.5)),
                                                     (pytest.approx(0.5), 1.0)]
    assert flagged(intervals) == []  # 30 points away on both criteria
    assert what_would_have_to_be_true(intervals, NAMES, TITLES, threshold=0.35) != []


def test_dominant_leader_and_single_criterion_have_no_switch() -> None:
    values = {"x": {"security": 90, "cost": 90}, "y": {"security": 10, "cost": 20}}
    intervals = stability_intervals({"security": 0.5, "cost": 0.5}, values, leader="x")
    assert all(i.lower_rival is None and i.upper_rival is None for i in intervals)
    assert stability_intervals({"security": 1.0}, values, leader="x") == ()


def _first(values: dict[str, dict[str, float]], weights: dict[str, float], k: str,
           t: float) -> str:
    """The option ranked first when criterion k weighs t and the others are rescaled."""
    w = {c: (t if c == k else wc * (1 - t) / (1 - weights[k])) for c, wc in weights.items()}
    return max(values, key=lambda o: sum(w[c] * values[o][c] for c in w))


def test_intervals_match_a_brute_force_ranking() -> None:
    rng = random.Random(7)
    for _ in range(50):
        raw = {c: rng.uniform(0.1, 1) for c in "abc"}
        weights = {c: r / sum(raw.values()) for c, r in raw.items()}
        values = {o: {c: rng.uniform(0, 100) for c in "abc"} for o in "pqrs"}
        leader = _first(values, weights, "a", weights["a"])
        for iv in stability_intervals(weights, values, leader):
            k = iv.criterion
            assert iv.lower <= iv.weight <= iv.upper
            assert _first(values, weights, k, (iv.lower + iv.upper) / 2) == leader
            if iv.upper_rival:
                assert _first(values, weights, k, min(1.0, iv.upper + 1e-6)) == iv.upper_rival
            if iv.lower_rival:
                assert _first(values, weights, k, max(0.0, iv.lower - 1e-6)) == iv.lower_rival
