"""The PDF server: layouts fork from a process that imported and warmed WeasyPrint, the
results and errors come back whole, and only the process that started it uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.common.environment import EnvironmentProblem
from briefgen.output.pdf import server, split


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


def test_only_the_process_that_started_it_uses_it(started: None) -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a forked brief worker: it has no server of its own
        os.write(write, b"none" if server.context() is None else b"some")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 4) == b"none"
    assert server.call(os.getpid) != os.getpid()  # here it still works


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
