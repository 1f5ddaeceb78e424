"""Numbers, money and dates as a reader says them, in the brief's language.

English: "JPY 9 trillion", "USD 4.5 billion", "5 June 2025", "40 %".
Japanese: "9兆円", "45億ドル", "2025年6月5日", "40%": large numbers in the units
Japanese writes them in (万 = 10^4, 億 = 10^8, 兆 = 10^12). Babel's compact formats
know those units too, but put the currency as a symbol in front ("￥9兆", "$45億")
where Japanese prose writes the unit after the number, so the amounts are composed
here; Babel gives the currency names and the dates.

Every function takes ``lang``; left out, it is the language of the brief being
presented, set once by ``use_language`` in briefgen.present.brief (a context variable,
so the many small helpers of the view model need not pass it along).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache

_LANGUAGE: ContextVar[str] = ContextVar("briefgen_language", default="en")


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Format in ``lang`` inside the block (and only there)."""
    token = _LANGUAGE.set(lang)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def current_language() -> str:
    return _LANGUAGE.get()


def _lang(lang: str | None) -> str:
    return lang or _LANGUAGE.get()


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_JA_UNITS = ((1e12, "兆"), (1e8, "億"), (1e4, "万"))


def fixed(value: float, digits: int = 1, grouping: bool = False) -> str:
    """``value`` with ``digits`` decimals, never '-0.0': a value that rounds to zero has no
    sign (-0.04 -> '0.0'), so no table or sentence prints a negative zero."""
    text = f"{value:,.{digits}f}" if grouping else f"{value:.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]
    return text


def _scaled_text(scaled: float) -> str:
    """Three significant figures, as people read sums out: 1.45, 12.3, 580, 1,230."""
    digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
    text = fixed(scaled, digits, grouping=True)
    return text.rstrip("0").rstrip(".") if digits else text


def _plain_number(value: float) -> str:
    if float(value).is_integer():
        return fixed(value, 0, grouping=True)
    return fixed(value, 2, grouping=True)


def short_number(value: float, lang: str | None = None) -> str:
    """9e12 -> '9 trillion' (ja '9兆'), 4.5e9 -> '4.5 billion' (ja '45億'), 12_500 -> '12,500'
    (ja '1.3万')."""
    if _lang(lang) == "ja":
        return _ja_number(value)
    for size, word in _SCALES:
        if abs(value) >= size * 0.9995:  # 999.6 million reads as 1 billion
            return f"{_scaled_text(value / size)} {word}"
    return _plain_number(value)


def _ja_number(value: float) -> str:
    for i, (size, unit) in enumerate(_JA_UNITS):
        if abs(value) >= size:
            scaled = value / size
            # 9,999.96億 rounds to 10,000億: say 1兆 instead
            if i > 0 and round(abs(scaled)) >= 10_000:
                bigger, bigger_unit = _JA_UNITS[i - 1]
                return f"{_scaled_text(value / bigger)}{bigger_unit}"
            return f"{_scaled_text(scaled)}{unit}"
    return _plain_number(value)


# How Japanese prose names a currency after an amount, where CLDR's name differs:
# newspapers and ministries write 45億ドル, not 45億米ドル.
_JA_CURRENCY_UNITS = {"USD": "ドル"}


@cache
def ja_currency_unit(currency: str) -> str:
    """The word after an amount in Japanese: JPY -> 円, USD -> ドル, EUR -> ユーロ."""
    if currency in _JA_CURRENCY_UNITS:
        return _JA_CURRENCY_UNITS[currency]
    from babel.numbers import get_currency_name

    return get_currency_name(currency, count=2, locale="ja").replace(" ", "")


def currency_unit(currency: str, lang: str | None = None) -> str:
    """The currency's name next to an amount: the ISO code in English (JPY 9 trillion), the
    word in Japanese (9兆円)."""
    return ja_currency_unit(currency) if _lang(lang) == "ja" else currency


def money(value: float, currency: str, lang: str | None = None) -> str:
    if _lang(lang) == "ja":
        return f"{_ja_number(value)}{ja_currency_unit(currency)}"
    return f"{currency} {short_number(value, 'en')}"


def _split_unit(text: str, units: tuple[str, ...]) -> tuple[str, str]:
    for unit in units:
        if unit and text.endswith(unit):
            return text[: -len(unit)].rstrip(), unit
    return text, ""


def money_range(low: float, high: float, currency: str, lang: str | None = None) -> str:
    if _lang(lang) == "ja":  # 2～6兆円, not 2兆～6兆円; 5,000億～1.2兆円 across units
        lo, hi = _ja_number(low), _ja_number(high)
        units = tuple(u for _, u in _JA_UNITS)
        lo_num, lo_unit = _split_unit(lo, units)
        _, hi_unit = _split_unit(hi, units)
        first = lo_num if lo_unit == hi_unit else lo
        return f"{first}～{hi}{ja_currency_unit(currency)}"
    lo, hi = short_number(low, "en"), short_number(high, "en")
    lo_num, _, lo_word = lo.partition(" ")
    hi_num, _, hi_word = hi.partition(" ")
    if lo_word == hi_word:  # "USD 2-6 billion", not "USD 2 billion-6 billion"
        return f"{currency} {lo_num}–{hi_num}{' ' + hi_word if hi_word else ''}"
    return f"{currency} {lo}–{hi}"


def long_date(value: date, lang: str | None = None) -> str:
    if _lang(lang) == "ja":
        from babel.dates import format_date

        return format_date(value, format="long", locale="ja")  # 2025年6月5日
    return f"{value.day} {value:%B %Y}"


def percent(share: float, digits: int = 0, lang: str | None = None) -> str:
    # Japanese sets the sign close to the number (40%); English house style has a space,
    # a no-break one, so that a line never ends between "50" and "%".
    space = "" if _lang(lang) == "ja" else "\u00a0"
    return f"{fixed(100 * share, digits)}{space}%"


def distinct(a: float, b: float, digits: int = 0, most: int = 4) -> int:
    """The fewest decimals, at least ``digits``, at which ``a`` and ``b`` print differently,
    so that a comparison never reads 'more than 11 % (now 11 %)' for 11.5 % and 10.5 %.
    ``most`` caps it: numbers that agree to ``most`` decimals are printed at ``most``."""
    while digits < most and fixed(a, digits) == fixed(b, digits):
        digits += 1
    return digits


def percent_pair(a: float, b: float, digits: int = 0,
                 lang: str | None = None) -> tuple[str, str]:
    """Two shares compared in one sentence, each as ``percent`` with the fewest decimals
    (at least ``digits``) that tell them apart: (0.115, 0.105) -> ('11.5 %', '10.5 %')."""
    shown = distinct(100 * a, 100 * b, digits)
    return percent(a, shown, lang), percent(b, shown, lang)


def points_pair(a: float, b: float) -> tuple[str, str]:
    """Two 0-100 values compared in one sentence: one decimal, more if they would print
    alike (50.04 and 49.96 -> '50.04', '49.96')."""
    shown = distinct(a, b, 1)
    return fixed(a, shown), fixed(b, shown)


def points(value: float) -> str:
    """A 0-100 value with one decimal, the precision the brief shows everywhere."""
    return fixed(value, 1)


def scale_number(value: float) -> str:
    return f"{value + 0.0:g}"  # + 0.0 turns -0.0 into 0.0


def rank_label(first: int, last: int | None = None) -> str:
    """'Rank 2', 'Rank 6–120'; in Japanese '2位', '6～120位'."""
    which = str(first) if last is None or last == first else f"{first}–{last}"
    return f"{which.replace('–', '～')}位" if current_language() == "ja" else f"Rank {which}"
