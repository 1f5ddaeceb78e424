"""Column widths for wide tables, from what their columns hold.

WeasyPrint's automatic table layout sizes columns by their content's widest unbreakable
run, and a table with many criteria then grows past the page (the comparison matrix of 12
criteria ran 270 px off an A4 page) or starves the option column. Tables whose columns are
known (a label column, then one column per criterion) are laid out fixed in print instead,
with the widths computed here: each column gets a share in proportion to what it must
show, in characters, within bounds that keep every column readable. Templates emit them
as ``<col>`` widths; the CSS makes those tables ``table-layout: fixed``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LABEL_LINES = 2  # a row's label (an option's title) should wrap onto at most this many lines
LABEL_MIN, LABEL_MAX = 18.0, 34.0  # percent of the table's width for the label column
NUMBER_CHARS = 6  # the widest number a cell shows, "100 %" or "4 (3-5)", in characters
HEAD_WORD_MAX = 12  # a longer word in a column heading is hyphenated, not given room
# A character of a bold table heading, as a share of an A4 or Letter text block's width (about
# 100 characters of it), and what a cell's padding takes: enough that a short column's
# words ("Rank", "Weighted") are never broken in the middle, as "Ran-k" was.
CHAR_PERCENT = 1.0
CELL_PADDING_CHARS = 2.5


@dataclass(frozen=True)
class Widths:
    """Percentages of the table's width: leading fixed columns, the label, each data
    column, and trailing fixed columns. They add up to 100."""

    lead: tuple[float, ...]
    label: float
    data: tuple[float, ...]
    trail: tuple[float, ...]

    @property
    def all(self) -> tuple[float, ...]:
        return (*self.lead, self.label, *self.data, *self.trail)


def wide(ch: str) -> bool:
    """Whether a character is set about twice as wide as a Latin letter (CJK)."""
    return unicodedata.east_asian_width(ch) in "WF"


def _width(text: str) -> int:
    """Width in characters: a CJK character is about two Latin ones."""
    return sum(2 if wide(ch) else 1 for ch in text)


def _longest_word(text: str) -> int:
    """The widest run a line cannot break: a word, or one CJK character (CJK text breaks
    between any two characters)."""
    runs = "".join(f" {ch} " if wide(ch) else ch for ch in text).split()
    return max((_width(run) for run in runs), default=0)


def fitted(texts: Iterable[str]) -> float:
    """The width (percent of the table) of a narrow column that must show its longest word
    whole: a rank, a total, and their headings."""
    # Whole words, CJK ones too: a two-character heading such as 順位 should not break.
    longest = max((_width(word) for t in texts for word in t.split()), default=0)
    return round((longest + CELL_PADDING_CHARS) * CHAR_PERCENT, 2)


def widths(labels: Sequence[str], heads: Sequence[str], lead: Sequence[float] = (),
           trail: Sequence[float] = ()) -> Widths:
    """Widths for a table of a label column (``labels``: its cells) and one column per
    heading in ``heads``, between fixed ``lead`` and ``trail`` columns (percentages)."""
    free = 100.0 - sum(lead) - sum(trail)
    label_need = max((_width(t) for t in labels), default=10) / LABEL_LINES
    label_need = max(label_need, max((_longest_word(t) for t in labels), default=0))
    # A cell shows a number; its heading wraps (and hyphenates) onto several lines, so a
    # long heading word earns a column some, not all, of its length.
    needs = [NUMBER_CHARS + min(HEAD_WORD_MAX, _longest_word(h)) / 2 for h in heads]
    total = label_need + sum(needs)
    label = min(LABEL_MAX, max(LABEL_MIN, free * label_need / total)) if total else free
    rest = free - label
    data_total = sum(needs)
    data = tuple(round(rest * n / data_total, 2) for n in needs) if data_total else ()
    if not data:
        label = free
    return Widths(tuple(lead), round(label, 2), data, tuple(trail))
