"""The pieces a split render passes between cutting (split), laying out and joining (join)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Part:
    html: str
    own_ids: set[str]
    stubs: set[str] = field(default_factory=set)  # empty anchors for targets in other parts
    carry: str = ""  # the cover, carried hidden for the running headers


@dataclass
class PartResult:
    pdf: bytes
    page_names: list[str]  # each page's named page ('' for none), for the number overlay
    anchors: dict[str, int]  # every anchor laid out in the part -> its page index there
    printed: dict[str, int]  # anchor -> page number the part printed for it (target-counter)
    bookmarks: list[tuple[int, int, str, float, float, str]]  # page, level, label, x, y, state
    refused: list[Any]  # briefgen.output.pdf.weasy.Refused

    @property
    def pages(self) -> int:
        return len(self.page_names)
