"""Money and large numbers as readers say them."""

from __future__ import annotations

import pytest

from briefgen.language.formatting import money, money_range, short_number


@pytest.mark.parametrize(("value", "text"), [
    (9e12, "9 trillion"),
    (1.45e12, "1.45 trillion"),
    (4.5e9, "4.5 billion"),
    (12.34e9, "12.3 billion"),
    (580e9, "580 billion"),
    (999.6e6, "1 billion"),
    (12_500, "12,500"),
    (0, "0"),
])
def test_short_number(value: float, text: str) -> None:
    assert short_number(value) == text


def test_money_and_ranges_share_the_unit_when_they_can() -> None:
    assert money(9e12, "JPY") == "JPY 9 trillion"
    assert money_range(2e9, 6e9, "USD") == "USD 2–6 billion"
    assert money_range(5e8, 2e9, "USD") == "USD 500 million–2 billion"
