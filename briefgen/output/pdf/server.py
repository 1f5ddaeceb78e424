"""A process with WeasyPrint imported and warmed up, from which PDF layouts are forked.

Importing WeasyPrint costs about 0.4 s and a process's first layout about 0.2 s more
(Fontconfig, the hyphenation dictionary, cffi's C types). A build that will write a
PDF calls start() as soon as it knows, before it loads the workspace: the server pays
those costs on another core while this process validates, analyses and renders the
HTML, and every layout process forked from it starts warm. This process then never
imports WeasyPrint itself.

It is multiprocessing's fork server, whose preload is briefgen.output.pdf.warm. Only
the process that started it uses it (context() is None elsewhere, in a forked brief
worker say): such a process imports and warms WeasyPrint itself before it forks its
layout processes (see split._context).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import types
from collections.abc import Callable
from typing import Any, TypeVar

from briefgen.common import signals

PRELOAD = "briefgen.output.pdf.warm"
T = TypeVar("T")

_owner: int | None = None  # the pid of the process that started the server
_stopped: list[int] = []  # servers stopped but not yet reaped


def start() -> None:
    """Start the server (once per process), where the platform can fork."""
    global _owner
    _reap()
    if _owner == os.getpid() or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload([PRELOAD])
    # Ctrl-C is the build's to handle: the server ignores it from its first instruction
    # (an ignored signal stays ignored across exec), or its preload, interrupted, would
    # print a traceback. It still ends with this process (its pipe to it closes).
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        forkserver.ensure_running()
    except (OSError, RuntimeError):
        # No socket for it, or a main module that would run again in the server (a script
        # without the __main__ guard): layouts fork from this process instead, as slower.
        return
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    _owner = os.getpid()


def context() -> Any | None:
    """The server's multiprocessing context, when this process started it; else None."""
    if _owner != os.getpid():
        return None
    return multiprocessing.get_context("forkserver")


def stop() -> None:
    """Stop the server: this build will not use it (several briefs rendered in forked
    workers), and its warm-up should not take their core."""
    global _owner
    if _owner != os.getpid():
        return
    from multiprocessing import forkserver, util

    _owner = None
    # forkserver's own _stop() waits for the server's interpreter to tear down (about
    # 0.2 s, WeasyPrint loaded) before it removes the socket file. Here the socket goes at
    # once and the server is reaped later, by the next start() or stop(), or by init when
    # this process ends. Not in a thread: a running thread keeps the brief workers from
    # forking (parallel.can_fork), and a removal left to one raced this process's exit,
    # which deletes the socket's folder (a Ctrl-C printed a FileNotFoundError).
    server: Any = forkserver._forkserver  # private attributes, the same in 3.11 to 3.14
    if not all(hasattr(server, name) for name in _PRIVATE):
        server._stop()  # a Python that renamed them: its own stop, which waits
        return
    with server._lock:
        pid, alive, address = (server._forkserver_pid, server._forkserver_alive_fd,
                               server._forkserver_address)
        if pid is None:
            return
        server._forkserver_pid = server._forkserver_alive_fd = None
        server._forkserver_address = None
        os.close(alive)  # the server exits when this pipe closes
        if address and not util.is_abstract_socket_namespace(address):
            with contextlib.suppress(OSError):
                os.unlink(address)
    _stopped.append(pid)
    _reap()


_PRIVATE = ("_lock", "_forkserver_pid", "_forkserver_alive_fd", "_forkserver_address")


def _reap() -> None:
    """Collect the stopped servers that have ended (no waiting for the others)."""
    for pid in list(_stopped):
        try:
            ended, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already, by someone else
            ended = pid
        if ended == pid:
            _stopped.remove(pid)


def launch(process: Any) -> None:
    """Start a process of a fork server without re-running the __main__ module in it.

    multiprocessing has each process the fork server makes import the main module again
    (as __mp_main__): a script that calls briefgen without the ``if __name__ ==
    "__main__"`` guard would run again, build and all, in every layout process. Layout
    processes need nothing from __main__ (their tasks are briefgen's own), so it is left
    out while they are started.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")  # no file, no spec: nothing to run
    try:
        # A Ctrl-C while the process's description is sent would leave the server's child
        # a truncated pickle, and it would print the EOFError: the signal is raised once
        # the process has started (the first start waits for the server's warm-up, under
        # a second; a second Ctrl-C raises at once). The caller then stops the process.
        with signals.held():
            process.start()
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """function(*args, **kwargs) in a process forked from the server, or here without one.

    The arguments and the result travel pickled; an exception raised by the function
    is raised here.
    """
    ctx = context()
    if ctx is None:
        return function(*args, **kwargs)
    mine, theirs = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run, args=(theirs, function, args, kwargs))
    try:
        launch(process)
        theirs.close()
        ok, value = mine.recv()
    except EOFError:
        raise RuntimeError("a PDF layout process died") from None
    except BaseException:  # Ctrl-C, SIGTERM: the layout's result is no longer wanted
        if process.pid is not None:
            process.terminate()
        raise
    finally:
        theirs.close()
        mine.close()
        if process.pid is not None:
            process.join()
    if not ok:
        raise value
    return value


def _run(conn: Any, function: Callable[..., Any], args: tuple[Any, ...],
         kwargs: dict[str, Any]) -> None:
    try:
        message: tuple[bool, Any] = (True, function(*args, **kwargs))
    except BaseException as exc:  # sent back whole, raised in the caller
        message = (False, exc)
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the caller is gone (interrupted): nobody to tell
    except Exception as exc:  # an unpicklable exception: its text still gets through
        conn.send((False, RuntimeError(f"{type(message[1]).__name__}: {message[1]}"
                                       f" ({exc})")))
    conn.close()
