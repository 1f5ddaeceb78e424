"""Money in the brief's currency: conversion at the stated rate and the total over the horizon."""

from __future__ import annotations

import pytest

from briefgen.analysis.money import cost_in_brief
from briefgen.inputs.models import Cost
from tests.helpers.mcda import brief, criterion


def test_conversion_and_horizon_total():
    b = brief([criterion("c", 1)], **{"currency": "JPY", "horizon_years": 5, "exchange_rates": [
        {"currency": "USD", "rate": 150.0, "date": "2025-06-04", "source": "BoJ"}]})
    yearly = cost_in_brief(b, Cost(amount=4.5e9, low=2e9, high=6e9, currency="USD",
                                   period="per-year", basis="x"))
    assert yearly.converted.central == pytest.approx(675e9)
    assert yearly.horizon_total.central == pytest.approx(3.375e12)
    assert (yearly.horizon_total.low, yearly.horizon_total.high) == pytest.approx((1.5e12, 4.5e12))
    once = cost_in_brief(b, Cost(amount=3e11, currency="JPY", period="one-off", basis="x"))
    assert once.rate is None and once.horizon_total.central == 3e11
