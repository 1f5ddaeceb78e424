"""Property tests (hypothesis) of the number formats: no negative zero, ever."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefgen.language.formatting import (
    fixed,
    money,
    percent,
    points,
    scale_number,
    short_number,
    use_language,
)
from briefgen.present import sentences as say

NEAR_ZERO = st.one_of(st.just(-0.0), st.floats(-0.05, 0.05, allow_nan=False))


def _no_negative_zero(text: str) -> bool:
    """True unless ``text`` holds a minus sign followed only by zeros (e.g. '-0.0\u00a0%')."""
    import re

    return not re.search(r"-0(?:[.,]0*)?(?![\d.,]*[1-9])", text)


@given(NEAR_ZERO, st.integers(0, 3))
def test_a_value_that_rounds_to_zero_has_no_sign(value, digits):
    text = fixed(value, digits)
    assert not text.startswith("-") or any(ch in "123456789" for ch in text)


@given(NEAR_ZERO, st.sampled_from(["en", "ja"]))
def test_no_function_prints_minus_zero(value, lang):
    with use_language(lang):
        texts = [points(value), percent(value / 100), percent(value / 100, 1),
                 scale_number(value), short_number(value), money(value, "USD"),
                 say.points_change(value), say.percentage_points(value),
                 say.weight_interval(value / 100, 0.5)]
    for text in texts:
        assert _no_negative_zero(text), text


def test_the_examples_of_negative_zero() -> None:
    assert points(-0.0) == "0.0"
    assert points(-0.04) == "0.0"
    assert percent(-0.001) == "0\u00a0%"
    assert say.points_change(-0.01) == "0.0 points"
    assert scale_number(-0.0) == "0"
    assert points(-0.06) == "-0.1"


SHARES = st.floats(0, 1, allow_nan=False)


@given(SHARES, SHARES, st.sampled_from(["en", "ja"]))
def test_two_different_numbers_compared_never_print_alike(a, b, lang):
    """A comparison sentence ('more than X (now Y)', 'X–Y', 'X points, which B (up to Y)')
    prints its two numbers apart whenever they differ by more than rounding at 4 decimals
    can hide."""
    import re

    from briefgen.analysis.sensitivity import RangeVerdict
    from briefgen.language.formatting import percent_pair, points_pair

    if abs(a - b) < 1e-6:
        return
    with use_language(lang):
        x, y = percent_pair(a, b)
        assert x != y
        x, y = points_pair(100 * a, 100 * b)
        assert x != y
        more = a > b
        text = say.rank_first_if("A", [("Cost", more, a, b)])
        at, now = re.findall(r"\d+(?:\.\d+)?", text)[:2]
        assert at != now
        low, high = sorted((100 * a, 100 * b))
        verdict = RangeVerdict("a", low, (("b", high),))
        found = re.findall(r"\d+(?:\.\d+)?", say.range_verdict(verdict, {"a": "A", "b": "B"},
                                                                has_ranges=True))
        assert found[0] != found[1]
