"""Money in the brief's currency, packages of options, and their located errors."""

from __future__ import annotations

import pytest

from briefgen.analysis.money import cost_in_brief
from briefgen.analysis.packages import rank_with_packages
from briefgen.analysis.scores import analyse
from briefgen.inputs.loader import load_workspace
from briefgen.inputs.models import Cost
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B
from tests.helpers.mcda import brief, criterion, option

RATES = """\
currency: JPY
horizon_years: 5
exchange_rates:
  - {currency: USD, rate: 150, date: 2025-06-04, source: Bank of Japan}
"""
USD_COST = """\
cost:
  amount: 4500000000
  currency: USD
  period: per-year
  basis: Estimate
"""


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


def test_missing_rate_is_an_error_at_the_options_cost_currency(workspace):
    root = workspace(options={"opt-a": OPTION_A + USD_COST, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + "currency: JPY\n"})
    _, report = load_workspace(root)
    [error] = [d for d in report.errors if d.code == "missing-rate"]
    assert error.location.file.endswith("opt-a.yaml")
    assert error.field == "cost.currency"
    text = (root / "options" / "opt-a.yaml").read_text().splitlines()
    assert "currency: USD" in text[error.location.line - 1]
    assert "USD" in error.message and "JPY" in error.message


def test_rates_given_make_the_workspace_valid(workspace):
    root = workspace(options={"opt-a": OPTION_A + USD_COST, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + RATES})
    _, report = load_workspace(root)
    assert not report.errors


def test_package_with_conflicting_options_is_an_error(workspace):
    conflicting = OPTION_A + "relations: {conflicts_with: [opt-b]}\n"
    package = "packages:\n  - {id: both, title: Both, options: [opt-a, opt-b]}\n"
    root = workspace(options={"opt-a": conflicting, "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X + package})
    _, report = load_workspace(root)
    [error] = [d for d in report.errors if d.code == "package-conflict"]
    assert error.field == "packages[0].options[1]"
    assert "opt-a" in error.message and "opt-b" in error.message


def test_package_rules_best_worst_and_capped_sum():
    b = brief([criterion("gain", 2), criterion("risk", 1, "cost"),
               criterion("money", 1, "cost", {"kind": "quantity", "unit": "bn", "min": 0,
                                              "max": 10}, package_rule="sum")],
              packages=[{"id": "p", "title": "P", "options": ["o0", "o1"]}])
    opts = {"o0": option("o0", {"gain": 4, "risk": 1, "money": 3}),
            "o1": option("o1", {"gain": 2, "risk": 3, "money": 9})}
    result = analyse(b, list(opts.values()))
    entries = {e.id: e for e in rank_with_packages(b, result, opts)}
    p = entries["p"]
    assert p.is_package and p.members == ("o0", "o1")
    assert p.cells["gain"].value == pytest.approx(80.0)  # best member: 4 of 5
    assert p.cells["risk"].value == pytest.approx(40.0)  # worst member: 3 on a cost scale
    assert p.cells["money"].value == 0.0  # 3 + 9 = 12 bn, capped at the scale's worst end
    # V = 0.5 x 80 + 0.25 x 40 + 0.25 x 0 = 50
    assert p.total == pytest.approx(50.0)
    assert sorted(e.rank for e in entries.values()) == [1, 2, 3]
