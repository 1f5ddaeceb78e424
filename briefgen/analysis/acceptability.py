"""Rank acceptability (SMAA-2): how often each option takes each rank over many weightings.

numpy is imported by this module only, and this module only when a brief is
built (``briefgen check`` never needs it). Pure functions, no I/O.

Method (Lahdelma and Salminen 2001; analysis-methods.md):

* weights uniform on the simplex: draw n-1 uniforms, sort them, add 0 and 1,
  and take the gaps (the same law as Dirichlet(1, ..., 1)); or, around the stated
  weights w, Dirichlet(kappa w), with mean w and Var(w_j) = w_j (1 - w_j) / (kappa + 1);
* optionally each 0-100 score is drawn uniformly between its low and high ends;
* V_i = sum_j w_j v_ij; rank_i = 1 + #{a : V_a > V_i}: options tied in a draw share
  the better rank, as in the main ranking ("1="), so two options identical on every
  criterion both rank first in every draw, and no option id decides a share;
* acceptability b_i^r = share of draws in which option i has rank r;
* central weight vector of i = mean of the weights of the draws where i ranks (joint)
  first;
* confidence factor of i = share of draws (of scores) in which i ranks first when
  the weights are fixed at i's central weight vector; every option's factor is
  computed on the same score draws (common random numbers).

Every draw comes from ``numpy.random.default_rng(seed)``, so the same seed gives the
same numbers. The Monte Carlo standard error of a share b is about
sqrt(b (1 - b) / N).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefgen.analysis.scores import Analysis
from briefgen.inputs.models import AnalysisSettings

_TIE = 1e-9
SHOWN_RANKS = 5  # ranks reported one by one; the rest are one group, as SMAA reports do


def rank_groups(ranks: int, shown: int = SHOWN_RANKS) -> tuple[tuple[int, int], ...]:
    """The ranks as reported, first and last of each group: (1, 1) ... (5, 5), (6, ranks).

    Past a handful of ranks a column (or a chart band) per rank is unreadable: a
    120-option brief printed 120 rank columns that ran off the page.
    """
    if ranks <= shown + 1:
        return tuple((r, r) for r in range(1, ranks + 1))
    return (*((r, r) for r in range(1, shown + 1)), (shown + 1, ranks))


def grouped_shares(shares: Sequence[float],
                   groups: Sequence[tuple[int, int]]) -> tuple[float, ...]:
    """One option's shares summed over each group of ranks from ``rank_groups``."""
    return tuple(float(sum(shares[first - 1:last])) for first, last in groups)


@dataclass(frozen=True)
class Acceptability:
    options: tuple[str, ...]  # in the order of the rows below
    criteria: tuple[str, ...]
    shares: tuple[tuple[float, ...], ...]  # shares[i][r]: option i at rank r + 1
    central_weights: tuple[tuple[float, ...] | None, ...]  # None: never ranks first
    confidence: tuple[float | None, ...]
    draws: int
    seed: int
    weights_mode: str
    score_ranges: bool  # scores were drawn within their ranges

    def first_share(self, option: str) -> float:
        return self.shares[self.options.index(option)][0]

    def standard_error(self, share: float) -> float:
        return float(np.sqrt(share * (1.0 - share) / self.draws))


def uniform_simplex(rng: np.random.Generator, draws: int, n: int) -> np.ndarray:
    """``draws`` weight vectors uniform on the n-simplex, by sorted-uniform gaps."""
    cuts = np.sort(rng.random((draws, n - 1)), axis=1)
    edges = np.concatenate([np.zeros((draws, 1)), cuts, np.ones((draws, 1))], axis=1)
    return np.diff(edges, axis=1)


def ranks_of(totals: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of each option in each draw; totals has shape (draws, m).

    rank_i = 1 + #{a : V_a > V_i}: tied options share the better rank. Totals are
    compared on a grid of ``_TIE`` (closer totals are tied) and ranked by a sort:
    memory grows with draws x options, not draws x options^2.
    """
    k, m = totals.shape
    grid = np.round(totals / _TIE)
    order = np.argsort(-grid, axis=1, kind="stable")
    ordered = np.take_along_axis(grid, order, axis=1)
    # In sorted order, a place starts a new rank where its total differs from the one
    # before; a tied place keeps the rank of the first of its run.
    starts = np.ones((k, m), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    places = np.where(starts, np.arange(1, m + 1), 0)
    ranks = np.empty((k, m), dtype=np.int64)
    np.put_along_axis(ranks, order, np.maximum.accumulate(places, axis=1), axis=1)
    return ranks


def firsts_of(totals: np.ndarray) -> np.ndarray:
    """Which options rank (joint) first in each draw: a (draws, m) array of booleans."""
    grid = np.round(totals / _TIE)
    firsts: np.ndarray = grid == grid.max(axis=1, keepdims=True)
    return firsts


# Upper bound on the elements of one block of draws (draws x options x criteria when
# scores vary, draws x options otherwise): about 16 MB of float64 per array, whatever
# the number of options or draws.
BLOCK_ELEMENTS = 2_000_000


def blocks(draws: int, per_draw: int) -> list[tuple[int, int]]:
    """Consecutive [start, stop) ranges of draws whose arrays stay within BLOCK_ELEMENTS."""
    size = max(1, BLOCK_ELEMENTS // max(1, per_draw))
    return [(start, min(draws, start + size)) for start in range(0, draws, size)]


def smaa(
    values: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    weights: np.ndarray,
    settings: AnalysisSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shares (m, m), central weights (m, n) with NaN rows, confidence (m) with NaN).

    values, low, high: (m, n) arrays of 0-100 scores; weights: the stated (n,) weights.
    The draws are taken in blocks (see ``blocks``) in the order a single draw of
    them all would take them, so the numbers do not depend on the block size.
    """
    m, n = values.shape
    rng = np.random.default_rng(settings.seed)
    draws = settings.draws
    if n == 1:
        w = np.ones((draws, 1))
    elif settings.weights == "around-stated":
        w = rng.dirichlet(settings.concentration * weights, size=draws)
    else:
        w = uniform_simplex(rng, draws, n)
    vary = settings.score_ranges and bool(np.any(high > low))
    counts = np.zeros((m, m), dtype=np.int64)  # counts[i, r - 1]: draws with i at rank r
    first = np.zeros((draws, m), dtype=bool)  # first[d, i]: i ranks (joint) first in draw d
    cells = np.arange(m) * m
    for start, stop in blocks(draws, m * n if vary else m):
        if vary:
            x = low + (high - low) * rng.random((stop - start, m, n))
            totals = np.einsum("kmn,kn->km", x, w[start:stop])
        else:
            totals = w[start:stop] @ values.T
        ranks = ranks_of(totals)
        counts += np.bincount((cells + ranks - 1).ravel(), minlength=m * m).reshape(m, m)
        first[start:stop] = ranks == 1
    shares = counts / draws

    central = np.full((m, n), np.nan)
    for i in range(m):
        if first[:, i].any():
            central[i] = w[first[:, i]].mean(axis=0)
    leaders = [i for i in range(m) if not np.isnan(central[i, 0])]
    confidence = np.full(m, np.nan)
    if not vary:
        for i in leaders:
            confidence[i] = float(firsts_of((values @ central[i])[None, :])[0, i])
        return shares, central, confidence
    # One set of score draws serves every leader's central weights (common random
    # numbers): drawing a set per leader made a 500-option brief take minutes.
    firsts = np.zeros(m, dtype=np.int64)
    for start, stop in blocks(draws, m * n):
        xs = (low + (high - low) * rng.random((stop - start, m, n))).reshape(-1, n)
        for i in leaders:
            firsts[i] += int(firsts_of((xs @ central[i]).reshape(stop - start, m))[:, i].sum())
    confidence[leaders] = firsts[leaders] / draws
    return shares, central, confidence


def matrices(analysis: Analysis, order: Sequence[str]) -> tuple[np.ndarray, ...]:
    """values, low, high (m, n) and weights (n,) of an analysis; not scored counts as 0."""
    criteria = list(analysis.weights)
    rows = {r.option: r for r in analysis.ranking}

    def grid(part: str) -> np.ndarray:
        return np.array([[getattr(rows[o].cells[c], part) or 0.0 for c in criteria]
                         for o in order], dtype=float)

    weights = np.array([analysis.weights[c] for c in criteria], dtype=float)
    return grid("value"), grid("low"), grid("high"), weights


def analyse_acceptability(analysis: Analysis, settings: AnalysisSettings) -> Acceptability:
    """SMAA-2 over the options of an analysis; rows in option-id order."""
    order = sorted(r.option for r in analysis.ranking)
    values, low, high, weights = matrices(analysis, order)
    shares, central, confidence = smaa(values, low, high, weights, settings)
    vary = settings.score_ranges and bool(np.any(high > low))
    return Acceptability(
        options=tuple(order),
        criteria=tuple(analysis.weights),
        shares=tuple(tuple(float(s) for s in row) for row in shares),
        central_weights=tuple(None if np.isnan(row[0]) else tuple(float(x) for x in row)
                              for row in central),
        confidence=tuple(None if np.isnan(c) else float(c) for c in confidence),
        draws=settings.draws,
        seed=settings.seed,
        weights_mode=settings.weights,
        score_ranges=vary,
    )
