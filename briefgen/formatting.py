"""Numbers, money and dates as a reader says them ("JPY 9 trillion", "5 June 2025")."""

from __future__ import annotations

from datetime import date

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def short_number(value: float) -> str:
    """9e12 -> '9 trillion', 1.45e12 -> '1.45 trillion', 12_500 -> '12,500'.

    Large sums keep three significant figures, as people read them out.
    """
    for size, word in _SCALES:
        if abs(value) >= size * 0.9995:  # 999.6 million reads as 1 billion
            scaled = value / size
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            text = f"{scaled:,.{digits}f}"
            if digits:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {word}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def money(value: float, currency: str) -> str:
    return f"{currency} {short_number(value)}"


def money_range(low: float, high: float, currency: str) -> str:
    lo, hi = short_number(low), short_number(high)
    lo_num, _, lo_word = lo.partition(" ")
    hi_num, _, hi_word = hi.partition(" ")
    if lo_word == hi_word:  # "USD 2-6 billion", not "USD 2 billion-6 billion"
        return f"{currency} {lo_num}–{hi_num}{' ' + hi_word if hi_word else ''}"
    return f"{currency} {lo}–{hi}"


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def percent(share: float, digits: int = 0) -> str:
    return f"{100 * share:.{digits}f} %"


def points(value: float) -> str:
    """A 0-100 value with one decimal, the precision the brief shows everywhere."""
    return f"{value:.1f}"


def scale_number(value: float) -> str:
    return f"{value:g}"
