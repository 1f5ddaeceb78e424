"""The findings view: columns that carry no information are left out."""

from __future__ import annotations

from briefgen.present.findings import CostRow, MoneyView


def _money(*rows: CostRow) -> MoneyView:
    return MoneyView(currency="JPY", horizon_text="10 years", rates=(), costs=rows,
                     cost_notes={})


def test_a_currency_column_that_would_say_as_given_on_every_row_is_dropped() -> None:
    given = _money(CostRow("A", "JPY 9 trillion", None, None, None),
                   CostRow("B", "JPY 1 trillion", None, None, None))
    assert given.converted_column is None
    assert given.total_column is None


def test_a_column_with_something_in_one_row_stays() -> None:
    mixed = _money(CostRow("A", "JPY 9 trillion", None, None, None),
                   CostRow("B", "USD 4.5 billion", "JPY 650 billion", "144.5 JPY per USD",
                           "JPY 6.5 trillion"))
    assert mixed.converted_column == "JPY"
    assert mixed.total_column == "10 years"
