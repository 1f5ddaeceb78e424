"""Column widths from what the columns hold."""

from __future__ import annotations

import pytest

from briefgen.present.columns import (
    CELL_PADDING_CHARS,
    CHAR_PERCENT,
    LABEL_MAX,
    LABEL_MIN,
    fitted,
    widths,
)


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


def test_a_narrow_column_is_wide_enough_for_its_longest_word() -> None:
    # The matrix's rank and total columns were 5 % and 9 %: "Ran-k", "Weighte-d total".
    rank, total = fitted(["Rank", "1=", "6"]), fitted(["Weighted total", "62.0"])
    assert rank >= (4 + CELL_PADDING_CHARS) * CHAR_PERCENT > 5.0
    assert total >= (8 + CELL_PADDING_CHARS) * CHAR_PERCENT > 9.0
    # An edition that withholds the ranking prints its mark there instead.
    assert fitted(["Rank", "Withheld"]) > rank


def test_cjk_is_measured_as_wide_and_breaks_between_characters_except_in_short_columns() -> None:
    # 順位 ("rank") is two wide characters: as wide as four Latin ones, and kept whole.
    assert fitted(["順位"]) == fitted(["Rank"])
    # A Japanese title has no spaces but may break anywhere: it is not one long word that
    # claims the widest label column, as a Latin word of its width would.
    title = "レアアース共同供給計画"
    heads = ["Tariff leverage"] * 8
    assert widths([title], heads).label < widths(["x" * 22], heads).label
