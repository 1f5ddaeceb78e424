"""The PDF server: layouts fork from a process that imported and warmed WeasyPrint, the
results and errors come back whole, and only the process that started it uses it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.common.environment import EnvironmentProblem
from briefgen.output.pdf import server, split
from tests.helpers.procs import alive, children


@pytest.fixture()
def started() -> Iterator[None]:
    server.start()
    yield
    server.stop()


def test_call_runs_in_another_process_and_returns_the_result(started: None) -> None:
    assert server.context() is not None
    assert server.call(os.getpid) != os.getpid()
    assert server.call(sorted, [3, 1, 2]) == [1, 2, 3]
    assert server.call(round, 2.25, ndigits=1) == 2.2  # keyword arguments travel too


def test_the_layout_process_starts_with_weasyprint_imported_and_warm(started: None) -> None:
    code = ("__import__('sys').modules.get('weasyprint') is not None and "
            "'briefgen.output.pdf.split' in __import__('sys').modules")
    assert server.call(eval, code) is True


def test_an_error_in_the_layout_process_is_raised_in_the_caller(started: None) -> None:
    with pytest.raises(ValueError, match="invalid literal for int"):
        server.call(int, "not a number")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_interrupted_call_ends_its_layout_process_quietly(
        started: None, capfd: pytest.CaptureFixture[str]) -> None:
    from multiprocessing import forkserver

    assert server.call(os.getpid) != os.getpid()  # warm: the interrupt lands in the wait
    server_pid = forkserver._forkserver._forkserver_pid

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    began = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            server.call(time.sleep, 60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - began < 30  # not left to finish its minute
    deadline = time.monotonic() + 10
    while [pid for pid in children(server_pid) if alive(pid)]:
        assert time.monotonic() < deadline, "the layout process outlived the interrupt"
        time.sleep(0.05)
    assert server.call(os.getpid) != os.getpid()  # the server still serves
    assert "Traceback" not in capfd.readouterr().err


def test_only_the_process_that_started_it_uses_it(started: None) -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a forked brief worker: it has no server of its own
        os.write(write, b"none" if server.context() is None else b"some")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 4) == b"none"
    assert server.call(os.getpid) != os.getpid()  # here it still works


def test_stop_removes_the_socket_at_once_and_leaves_no_thread_behind() -> None:
    # The socket file goes before stop() returns: a removal left to a thread raced this
    # process's exit, which deletes the socket's folder (a FileNotFoundError printed after
    # a Ctrl-C). And no thread is left running: brief workers fork only from a process
    # with one thread (parallel.can_fork), and the pipeline stops the server just before.
    from multiprocessing import forkserver

    threads = set(threading.enumerate())  # other tests' may still run
    server.start()
    address = forkserver._forkserver._forkserver_address
    pid = forkserver._forkserver._forkserver_pid
    assert address and Path(address).exists() and pid
    server.stop()
    assert not Path(address).exists()
    assert set(threading.enumerate()) <= threads
    deadline = time.monotonic() + 30
    while pid in server._stopped:  # ends on its own; reaped by a later start() or stop()
        assert time.monotonic() < deadline, "the server outlived stop()"
        time.sleep(0.05)
        server._reap()
    server.start()
    try:
        assert forkserver._forkserver._forkserver_pid not in (None, pid)
        assert server.call(os.getpid) != os.getpid()
    finally:
        server.stop()


def test_without_a_server_call_runs_here() -> None:
    server.stop()
    assert server.context() is None
    assert server.call(os.getpid) == os.getpid()


def test_a_missing_library_in_a_layout_process_is_the_environments_problem() -> None:
    class Task:
        def __call__(self, conn: object) -> None:
            raise EnvironmentProblem("WeasyPrint could not load Pango: install libpango")

    mine, theirs = split.multiprocessing.Pipe()
    split._worker(Task(), theirs)
    with pytest.raises(EnvironmentProblem, match="install libpango"):
        split._receive(mine)


def test_weasyprint_imports_by_searching_when_the_direct_names_fail(tmp_path: Path) -> None:
    """The fast import opens libraries only by the names WeasyPrint lists; where none of
    them opens (a system whose libraries only the search finds), the import is done
    again with the search, and WeasyPrint's error message from the first try is not
    printed."""
    code = (
        "import ctypes.util, cffi\n"
        "real = cffi.FFI.dlopen\n"
        "def dlopen(self, name, flags=0):\n"
        "    if ctypes.util.find_library('c') is None:  # the fast path is on: fail it\n"
        "        raise OSError(f'cannot load library {name!r}')\n"
        "    return real(self, name, flags)\n"
        "cffi.FFI.dlopen = dlopen\n"
        "from briefgen.output.pdf.weasy import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "print(weasyprint.HTML(string='<p>x</p>').write_pdf()[:5])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "b'%PDF-'\n"


def test_a_server_that_cannot_start_leaves_the_layouts_to_this_process(monkeypatch) -> None:
    from multiprocessing import forkserver

    server.stop()

    def refuse() -> None:
        raise OSError("no socket for the fork server")

    monkeypatch.setattr(forkserver, "ensure_running", refuse)
    server.start()
    assert server.context() is None
    assert server.call(os.getpid) == os.getpid()


def test_a_script_without_the_main_guard_runs_once(tmp_path: Path) -> None:
    """Processes a fork server makes import the __main__ module again; a script that calls
    briefgen at module level (no ``if __name__ == "__main__"``) must not run again in
    each layout process, building along."""
    import shutil

    root = Path(__file__).resolve().parents[3]
    for folder in ("options", "briefs"):  # six options: a split render, many processes
        shutil.copytree(root / folder, tmp_path / "ws" / folder)
    runs = tmp_path / "runs.txt"
    script = tmp_path / "make_brief.py"
    script.write_text(
        "import sys\n"
        f"open({str(runs)!r}, 'a').write('ran\\n')\n"
        "from briefgen.cli import main\n"
        f"sys.argv = ['briefgen', 'build', '-w', {str(tmp_path / 'ws')!r}, '-f', 'pdf', '-q']\n"
        "main()\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env={**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert runs.read_text() == "ran\n"
    assert (tmp_path / "ws" / "output" / "fifth-round-offers.pdf").read_bytes()[:5] == b"%PDF-"
