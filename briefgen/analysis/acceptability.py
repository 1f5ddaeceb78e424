"""Rank acceptability (SMAA-2): how often each option takes each rank over many weightings.

numpy is imported by this module only, and this module only when a brief is
built (``briefgen check`` never needs it). Pure functions, no I/O.

Method (Lahdelma and Salminen 2001; analysis-methods.md):

* weights uniform on the simplex: draw n-1 uniforms, sort them, add 0 and 1,
  and take the gaps (the same law as Dirichlet(1, ..., 1)); or, around the stated
  weights w, Dirichlet(kappa w), with mean w and Var(w_j) = w_j (1 - w_j) / (kappa + 1);
* optionally each 0-100 score is drawn uniformly between its low and high ends;
* V_i = sum_j w_j v_ij; rank_i = 1 + #{a : V_a > V_i}; exact ties are broken in
  the order of option ids, as in the main ranking, so each draw has one option per rank;
* acceptability b_i^r = share of draws in which option i has rank r;
* central weight vector of i = mean of the weights of the draws where i ranks first;
* confidence factor of i = share of draws (of scores) in which i ranks first when
  the weights are fixed at i's central weight vector.

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

    rank_i = 1 + #{a : V_a > V_i}, plus the number of options tied with i that
    come before it in order, so ties are broken by the column order.
    """
    m = totals.shape[1]
    ahead = totals[:, None, :] > totals[:, :, None] + _TIE  # [k, i, a]: a beats i
    tied = np.abs(totals[:, None, :] - totals[:, :, None]) <= _TIE
    before = np.tril(np.ones((m, m), dtype=bool), k=-1)  # [i, a]: a comes before i
    ranks: np.ndarray = 1 + ahead.sum(axis=2) + (tied & before[None]).sum(axis=2)
    return ranks


def smaa(
    values: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    weights: np.ndarray,
    settings: AnalysisSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shares (m, m), central weights (m, n) with NaN rows, confidence (m) with NaN).

    values, low, high: (m, n) arrays of 0-100 scores; weights: the stated (n,) weights.
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
    if vary:
        x = low + (high - low) * rng.random((draws, m, n))
        totals = np.einsum("kmn,kn->km", x, w)
    else:
        totals = w @ values.T
    ranks = ranks_of(totals)
    shares = np.stack([(ranks == r).mean(axis=0) for r in range(1, m + 1)], axis=1)

    central = np.full((m, n), np.nan)
    confidence = np.full(m, np.nan)
    first = ranks == 1
    for i in range(m):
        if first[:, i].any():
            central[i] = w[first[:, i]].mean(axis=0)
    for i in range(m):
        if np.isnan(central[i, 0]):
            continue
        if vary:
            xs = low + (high - low) * rng.random((draws, m, n))
            conf_totals = xs @ central[i]
        else:
            conf_totals = (values @ central[i])[None, :]
        confidence[i] = (ranks_of(conf_totals)[:, i] == 1).mean()
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
    """SMAA-2 over the options of an analysis; rows in option-id order (the tie order)."""
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
