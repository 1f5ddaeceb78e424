"""Run one function over many items in forked worker processes.

WeasyPrint's import costs about 0.6 s and its first render about 0.2 s more, so
the parent imports it (and compiles the templates) before forking: every
worker starts warm, and the pages it shares with the parent are never copied.
Fork is POSIX-only, and forking a process that runs other threads can copy a
lock some thread holds and hang the child: elsewhere, with other threads
running (briefgen used as a library, say, next to a server thread), or with
one job, the items run in this process. The output is the same either way.

Workers die with their parent and print nothing. Ctrl-C reaches the whole
process group, so workers ignore SIGINT and leave it to the parent, which stops
them; on Linux each worker asks the kernel for SIGKILL when its parent dies
(PR_SET_PDEATHSIG), so a build killed with SIGTERM or SIGKILL takes its workers
along at once; elsewhere a thread in each worker notices the parent is gone
within half a second.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

_task: Callable[[Any], Any] | None = None


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True when forking is available and safe: POSIX, and no other Python thread running."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class WorkerError(RuntimeError):
    """An exception from a worker that could not travel back as itself."""


def _call(item: Any) -> tuple[bool, Any]:
    """(True, result) or (False, exception): the pool only ever carries values it can unpickle.

    An exception that fails to unpickle in the parent kills multiprocessing's
    result thread and leaves the build waiting forever; such an exception is
    replaced by a WorkerError holding its traceback.
    """
    assert _task is not None
    try:
        return True, _task(item)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            return False, WorkerError("".join(traceback.format_exception(exc)))
        return False, exc


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with(parent: int) -> None:
    """In a worker: be killed as soon as the process that forked it is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C, quietly
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # Pool.terminate: end at once, silently
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
    if not armed:
        def watch_parent() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch_parent, daemon=True).start()


def run_forked(task: Callable[[Any], Any], items: Sequence[Any], jobs: int,
               warm_up: Iterable[Callable[[], object]] = ()) -> Iterator[Any]:
    """Yield task(item) for each item as workers finish them (in completion order)."""
    global _task
    jobs = max(1, min(jobs, len(items)))
    for step in warm_up:
        step()
    if jobs == 1 or not can_fork():
        yield from (task(item) for item in items)
        return
    _task = task
    gc.collect()
    gc.freeze()  # keep the parent's objects out of the workers' collections: fewer copied pages
    try:
        with multiprocessing.get_context("fork").Pool(
                jobs, initializer=_die_with, initargs=(os.getpid(),)) as pool:
            for ok, value in pool.imap_unordered(_call, items):
                if not ok:
                    raise value
                yield value
    finally:
        gc.unfreeze()
        _task = None
