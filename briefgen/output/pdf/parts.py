"""The pieces a split render passes between cutting (split), laying out and joining (join)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from briefgen.output.pdf.weasy import Refused


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

    def dumps(self) -> bytes:
        """For the parts cache: a line of JSON with everything but the PDF, then the PDF.
        Not pickle: the cache is a folder anyone with the account can write to."""
        head = {"page_names": self.page_names, "anchors": self.anchors,
                "printed": self.printed, "bookmarks": self.bookmarks,
                "refused": [[r.url, r.reason] for r in self.refused]}
        return json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n" + self.pdf

    @classmethod
    def loads(cls, data: bytes) -> PartResult:
        """The inverse of dumps; ValueError, KeyError or TypeError when the data is not one."""
        line, pdf = data.split(b"\n", 1)
        head = json.loads(line)
        if not pdf.startswith(b"%PDF-"):
            raise ValueError("not a PDF")
        return cls(pdf, [str(n) for n in head["page_names"]],
                   {str(k): int(v) for k, v in head["anchors"].items()},
                   {str(k): int(v) for k, v in head["printed"].items()},
                   [(int(p), int(lv), str(lb), float(x), float(y), str(st))
                    for p, lv, lb, x, y, st in head["bookmarks"]],
                   [Refused(str(u), str(r)) for u, r in head["refused"]])
