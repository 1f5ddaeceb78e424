"""Ctrl-C and SIGTERM, at any moment of a run: unwind, say so in one line, exit 130 or 143.

The command line installs the handler below first thing. Both signals unwind the stack
as exceptions (KeyboardInterrupt, and Terminated for SIGTERM), so writes in progress
remove their temporary files and worker processes are stopped.

Python raises a signal's exception wherever the main thread happens to be, and some
places cannot take it:
- pydantic's schema building, in Python code called back from pydantic-core's Rust.
  pydantic-core 2.23 (the floor our pydantic>=2.9 allows) turns an exception there into
  a Rust panic: a backtrace and exit 1, seen in CI. Models are built while briefgen's
  modules are imported, and again when one is first used.
- the import system: an import cut in the middle leaves a half-initialised module
  behind (the next import of it fails: exit 3, "a bug in briefgen"), and an exception in
  its module-lock callback is printed and dropped ("Exception ignored in"), so the
  Ctrl-C is lost and the build goes on.
- a ``held()`` block: sending a process's description to the PDF server, which a cut
  would leave half-read by the server's child.
Both of the first happen in the first second of every command, so a Ctrl-C there is not
rare. The handler keeps such a signal pending: a thread has it look again every 20 ms
while pydantic or the import system is on the stack, and a ``held()`` block raises it
as it ends. A
second Ctrl-C (or SIGTERM) while one is pending raises at once, wherever that is: the
user insists.

Stdlib only: installed before the rest of the command line is imported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

RETRY_SECONDS = 0.02
# Modules during whose code a signal waits. The import system's frames are named
# _frozen_importlib until the importlib package is first imported, then importlib._bootstrap.
HOLD = ("pydantic", "pydantic_core", "importlib._bootstrap", "importlib._bootstrap_external",
        "_frozen_importlib", "_frozen_importlib_external")


class Terminated(SystemExit):
    """SIGTERM (a CI job's timeout, systemd, kill): exit 128 + 15, as the shell reports it."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


class _State:
    def __init__(self) -> None:
        self.pending: int | None = None  # received, not raised yet
        self.retry = False  # the next delivery is our own look-again, not another signal
        self.holds = 0  # held() blocks open in the main thread
        self.last: int | None = None  # the last signal received


_state = _State()


def install() -> None:
    """Handle SIGINT and SIGTERM in this process as described above (main thread only)."""
    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)


def last_signal() -> int | None:
    """The last SIGINT or SIGTERM received, for code that only sees a KeyboardInterrupt
    (watchfiles turns any exception a handler raises into one)."""
    return _state.last


def farewell(exc: KeyboardInterrupt | Terminated) -> tuple[str, int]:
    """The one line to print and the exit status, for a signal that unwound a command."""
    if isinstance(exc, Terminated):
        return "Terminated.", 128 + signal.SIGTERM
    return "Interrupted.", 128 + signal.SIGINT


def exception_for(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Keep Ctrl-C and SIGTERM from raising inside the block; one received meanwhile is
    raised as the block ends. Elsewhere than the main thread signals never raise: there it
    does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state.holds += 1
    try:
        yield
    finally:
        _state.holds -= 1
        if not _state.holds and _state.pending is not None:
            signum, _state.pending = _state.pending, None
            raise exception_for(signum)


def _handle(signum: int, frame: FrameType | None) -> None:
    _state.last = signum
    retry, _state.retry = _state.retry, False
    if retry and _state.pending is None:  # raised meanwhile, at the end of a held() block
        return
    if _state.pending is not None and not retry:  # a second signal: the user insists
        _state.pending = None
        raise exception_for(signum)
    if _state.holds or _cannot_unwind(frame):
        if _state.pending is None:
            _state.pending = signum
            # A held() block raises it as it ends; outside one, the looks raise it once
            # the stack allows (inside one, they find it still held, and change nothing).
            threading.Thread(target=_look_again, args=(signum,), daemon=True).start()
        return
    _state.pending = None
    raise exception_for(signum)


def deliver_pending() -> None:
    """Raise the pending signal now, if there is one and no held() block is open: where
    the caller knows it can unwind, rather than wherever the next look lands."""
    if _state.pending is not None and not _state.holds:
        signum, _state.pending = _state.pending, None
        raise exception_for(signum)


def _look_again(signum: int) -> None:
    # A loop, not one look: a look can be lost (sent while the process ignores the
    # signal for a moment, as server.start() does around the server's spawn).
    while _state.pending == signum:
        time.sleep(RETRY_SECONDS)
        if _state.pending == signum:
            _state.retry = True
            os.kill(os.getpid(), signum)


def _cannot_unwind(frame: FrameType | None) -> bool:
    """True while one of HOLD's modules (or a module of its package) runs on the stack."""
    while frame is not None:
        module = frame.f_globals.get("__name__")
        if isinstance(module, str) and any(
                module == held or module.startswith(held + ".") for held in HOLD):
            return True
        frame = frame.f_back
    return False
