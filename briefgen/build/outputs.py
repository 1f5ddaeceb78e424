"""Which file each output of a build goes to, and which two would be the same file.

Output names are made by joining a brief's id with its variant (``trade`` with
``--template memo`` writes trade-memo.html, with ``--lang ja`` trade-ja.html),
so two different things can ask for one name: brief ``trade`` as a memo and
brief ``trade-memo`` itself. Writing both would silently replace one with the
other and give both one manifest entry. ``collisions`` finds every such pair
among the files a build plans to write and the files others already own (the
other briefs' own outputs, what the manifest records, the manifest itself),
before anything is rendered or written. It knows nothing of how names are
made, so any new kind of output (an edition, say) only has to list its files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MANIFEST_OWNER = ""  # PlannedOutput.brief_id of the build's own manifest.json


@dataclass(frozen=True)
class PlannedOutput:
    """One file in the output folder and what it belongs to."""

    name: str  # a plain file name inside the output folder
    brief_id: str  # MANIFEST_OWNER for the manifest
    variant: str = ""  # how the brief was built, as options: "--template memo --lang ja"

    @property
    def owner(self) -> tuple[str, str]:
        return self.brief_id, self.variant

    def describe(self) -> str:
        if self.brief_id == MANIFEST_OWNER:
            return "the build's manifest"
        return f"brief {self.brief_id}" + (f" built with {self.variant}" if self.variant else "")


def variant_text(template: str, lang: str | None, **more: str | None) -> str:
    """The options that make a variant of a brief, as a user types them ("" for none)."""
    words = [*([f"--template {template}"] if template != "brief" else []),
             *([f"--lang {lang}"] if lang else []),
             *(f"--{key.replace('_', '-')} {value}" for key, value in more.items() if value)]
    return " ".join(words)


def _same_file_key(name: str) -> str:
    # macOS and Windows file systems do not tell Trade.html from trade.html.
    return name.casefold()


def collisions(planned: Iterable[PlannedOutput],
               claimed: Iterable[PlannedOutput] = ()) -> list[tuple[PlannedOutput, PlannedOutput]]:
    """(planned, other) for every file that a planned output shares with an output of a
    different owner, planned too or already claimed: one pair per file, in planned order."""
    by_file: dict[str, list[PlannedOutput]] = {}
    planned = list(planned)
    for item in planned:
        by_file.setdefault(_same_file_key(item.name), []).append(item)
    for item in claimed:
        if (key := _same_file_key(item.name)) in by_file:
            by_file[key].append(item)
    pairs = []
    for items in by_file.values():
        mine = items[0]
        other = next((item for item in items if item.owner != mine.owner), None)
        if other is not None:
            pairs.append((mine, other))
    return pairs
