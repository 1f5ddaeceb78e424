"""Build progress on stderr: a bar on a terminal, one line per brief in CI logs, or nothing."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import click

Mode = Literal["bar", "lines", "quiet"]


def choose_mode(quiet: bool, stream: IO[str] | None = None) -> Mode:
    if quiet:
        return "quiet"
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"


@dataclass
class BriefDone:
    """One brief rendered (nothing written yet), built (its files written: sent only once
    they are) or skipped as up to date."""

    brief_id: str
    status: Literal["rendered", "built", "up to date"]
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


class Progress:
    """Receives BriefDone events from the build and shows them in the chosen mode."""

    def __init__(self, total: int, mode: Mode, shown: Any = str) -> None:
        self.total, self.mode, self.done, self._shown = total, mode, 0, shown
        self._bar: Any = None
        if mode == "bar" and total:
            self._bar = click.progressbar(length=total, label="Building briefs", file=sys.stderr,
                                          show_pos=True, item_show_func=lambda s: s)
            self._bar.__enter__()

    def __call__(self, event: BriefDone) -> None:
        # The bar moves as briefs render (the slow part); a line says "wrote" only once the
        # files are on disk, which is after every brief has rendered.
        if self._bar is not None:
            if event.status != "built":
                self.done += 1
                self._bar.update(1, event.brief_id)
        elif self.mode == "lines" and event.status != "rendered":
            self.done += 1
            if event.status == "built":
                files = sorted(event.written, key=lambda p: (p.suffix != ".pdf", p.name))
                detail = "wrote " + ", ".join(self._shown(p) for p in files)
                detail += f" in {event.seconds:.1f} s"
            else:
                detail = "up to date"
            click.echo(f"[{self.done}/{self.total}] {event.brief_id}: {detail}", err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
