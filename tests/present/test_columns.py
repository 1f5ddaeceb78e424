"""Column widths from what the columns hold."""

from __future__ import annotations

import pytest

from briefgen.present.columns import LABEL_MAX, LABEL_MIN, widths


def test_the_widths_add_up_to_the_whole_table() -> None:
    w = widths(["Joint rare-earth and critical-minerals response plan"],
               ["Tariff leverage", "Cost to Japan", "Time to effect"], lead=(5.0,), trail=(9.0,))
    assert w.lead == (5.0,) and w.trail == (9.0,)
    assert sum(w.all) == pytest.approx(100.0, abs=0.05)
    assert len(w.all) == 1 + 1 + 3 + 1


def test_a_long_heading_word_earns_its_column_more_room_than_a_short_one() -> None:
    w = widths(["An option"], ["Cost", "Administrative burden"])
    assert w.data[1] > w.data[0]


def test_the_label_column_stays_readable_with_many_columns_and_never_hogs_the_table() -> None:
    many = widths(["Option 25: financing partner timetable"] * 30, ["Tariff leverage"] * 12,
                  lead=(5.0,), trail=(9.0,))
    assert many.label == LABEL_MIN
    few = widths(["A very long option title " * 6], ["Cost"])
    assert few.label == LABEL_MAX
    assert sum(few.all) == pytest.approx(100.0, abs=0.05)


def test_a_table_with_no_data_columns_gives_the_label_all_the_room() -> None:
    assert widths(["An option"], []).all == (100.0,)
