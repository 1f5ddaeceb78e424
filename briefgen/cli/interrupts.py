"""Ctrl-C and SIGTERM, at any moment of a run: unwind, print one line, exit 130 or 143.

Python raises a signal's exception wherever the main thread happens to be, and two
places cannot take it:
- pydantic's schema building, in Python code called back from pydantic-core's Rust. The
  pydantic-core releases our floor allows (2.23) turn an exception there into a Rust
  panic, which prints its own backtrace and reaches the user as exit 1. Models are built
  while briefgen's modules are imported, and again when one is first used.
- the import system: an import cut in the middle leaves a half-initialised module
  behind (the next import of it fails: exit 3, "a bug in briefgen"), and an exception in
  its module-lock callback is printed and dropped ("Exception ignored in"), so the
  Ctrl-C is lost and the build goes on.
Both happen in the first second of every command, so a Ctrl-C there is not rare. The
handler below waits while either is on the stack, and delivers the signal again a
moment later: each lasts well under a second.

Stdlib only: installed before the rest of the command line is imported.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

RETRY_SECONDS = 0.02


def install() -> None:
    """Handle SIGINT (as KeyboardInterrupt) and SIGTERM (as SystemExit(143)) in this
    process; both unwind the stack, so writes in progress remove their temporary files."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    if _cannot_unwind(frame):
        _deliver_later(signum)
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    # SIGTERM (a CI timeout, systemd, kill): the shell's status for it, 128 + 15.
    raise SystemExit(128 + signum)


HOLD = ("pydantic", "pydantic_core", "importlib._bootstrap", "importlib._bootstrap_external")


def _cannot_unwind(frame: FrameType | None) -> bool:
    """True while one of HOLD's modules (or a package of them) runs on the stack."""
    while frame is not None:
        module = frame.f_globals.get("__name__")
        if isinstance(module, str) and any(
                module == held or module.startswith(held + ".") for held in HOLD):
            return True
        frame = frame.f_back
    return False


def _deliver_later(signum: int) -> None:
    timer = threading.Timer(RETRY_SECONDS, os.kill, (os.getpid(), signum))
    timer.daemon = True
    timer.start()
