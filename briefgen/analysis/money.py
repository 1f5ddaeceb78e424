"""Costs in the brief's currency: conversion with stated rates and totals over the horizon.

Pure functions, no I/O. The rules, stated in the brief's method note:

* an amount in currency C is converted with the brief's rate for C:
  ``amount x rate`` (rate = units of the brief's currency per unit of C);
  an amount already in the brief's currency is left as it is;
* total over the horizon of H years: a per-year cost counts ``H x amount``,
  a one-off cost counts once (no discounting);
* a package costs the sum of its members' totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.inputs.models import Brief, Cost, ExchangeRate


@dataclass(frozen=True)
class Amount:
    """A central amount with its low-high range, in one currency."""

    currency: str
    central: float
    low: float
    high: float

    def __add__(self, other: Amount) -> Amount:
        assert self.currency == other.currency
        return Amount(self.currency, self.central + other.central, self.low + other.low,
                      self.high + other.high)

    def scaled(self, factor: float, currency: str | None = None) -> Amount:
        return Amount(currency or self.currency, self.central * factor, self.low * factor,
                      self.high * factor)

    @property
    def is_range(self) -> bool:
        return self.high - self.low > 1e-9 * max(1.0, abs(self.high))


@dataclass(frozen=True)
class CostInBrief:
    """An option's cost as given, converted, and totalled over the horizon."""

    given: Amount
    period: str  # one-off or per-year
    rate: ExchangeRate | None  # None when no conversion was needed
    converted: Amount | None  # in the brief's currency; None when it has none or no rate
    horizon_total: Amount | None  # converted (or given) x horizon; None without a horizon


def amount_of(cost: Cost) -> Amount:
    if cost.amount is not None:
        central = cost.amount
    else:
        assert cost.low is not None and cost.high is not None  # Cost's validator sees to it
        central = (cost.low + cost.high) / 2
    low = cost.low if cost.low is not None else central
    high = cost.high if cost.high is not None else central
    return Amount(cost.currency, central, low, high)


def cost_in_brief(brief: Brief, cost: Cost) -> CostInBrief:
    given = amount_of(cost)
    rate = None
    converted: Amount | None = None
    if brief.currency is None:
        converted = None
    elif cost.currency == brief.currency:
        converted = given
    else:
        rate = brief.rate_for(cost.currency)
        if rate is not None:
            converted = given.scaled(rate.rate, brief.currency)
    basis = converted if brief.currency is not None else given
    total = None
    if brief.horizon_years is not None and basis is not None:
        total = basis.scaled(brief.horizon_years) if cost.period == "per-year" else basis
    return CostInBrief(given, cost.period, rate, converted, total)


def combined(totals: Iterable[Amount | None]) -> Amount | None:
    """The sum of several totals, or None when any is missing or the currencies differ."""
    items = list(totals)
    amounts = [t for t in items if t is not None]
    if not items or len(amounts) < len(items):
        return None
    if len({t.currency for t in amounts}) != 1:
        return None
    out = amounts[0]
    for t in amounts[1:]:
        out = out + t
    return out
