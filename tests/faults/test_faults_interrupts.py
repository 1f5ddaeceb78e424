"""Interrupts: Ctrl-C, SIGTERM and SIGKILL of a `build --jobs 2`.

Workers must die with their parent at once, print nothing (no tracebacks from
the pool's processes), and any temporary file a killed build leaves behind is
removed by the next build. Each test runs the real CLI in its own process group
and watches its worker processes through /proc (so: Linux only).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BRIEF_X
from tests.helpers.procs import alive, children, cmdline, handles

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

BRIEFS = {f"brief-{c}": BRIEF_X.replace("id: brief-x", f"id: brief-{c}") for c in "abcdefgh"}


def _start(root: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A --jobs 2 PDF build of eight briefs, once both its workers run.

    Workers are the build's forks, so they share its command line; the PDF layout
    server, which the build may start first, runs another."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "-f", "pdf", "--jobs", "2", "--force"],
        cwd=root, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent)})
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [c for c in children(proc.pid)
                   if alive(c) and cmdline(c) == cmdline(proc.pid)]
        if len(workers) >= 2:
            time.sleep(0.3)  # let them get to work
            return proc, workers
        time.sleep(0.05)
    proc.kill()
    _out, err = proc.communicate()
    pytest.fail(f"the build never ran two workers: {err}")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def _no_temporary_files_after_the_next_build(root: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "briefgen", "build", "-f", "html"],
                            cwd=root, text=True, capture_output=True, timeout=120,
                            env={**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent)})
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (root / "output").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(workspace: Callable[..., Path], sig: int) -> None:
    root = workspace(briefs=BRIEFS)
    proc, workers = _start(root)
    os.kill(proc.pid, sig)
    try:
        assert _gone_within(workers, 3) == [], "workers outlived their parent"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    _out, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Error" not in err, err
    assert proc.returncode in (-signal.SIGKILL, 128 + signal.SIGTERM), (proc.returncode, err)
    _no_temporary_files_after_the_next_build(root)


def test_ctrl_c_stops_the_build_without_tracebacks(workspace: Callable[..., Path]) -> None:
    root = workspace(briefs=BRIEFS)
    proc, workers = _start(root)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().endswith("Interrupted."), err
    assert _gone_within(workers, 3) == []
    _no_temporary_files_after_the_next_build(root)


# Delays after briefgen installs its handlers: importing click and the pipeline (where
# pydantic builds the models), loading, the first layouts. Measured on 2 cores, a PDF
# build of the default workspace takes about 1.5 s, so the later ones may find it done.
MOMENTS = [round(0.1 * n, 1) for n in range(13)]


@pytest.mark.parametrize(("sig", "status", "line"), [
    (signal.SIGINT, 130, "Interrupted."), (signal.SIGTERM, 143, "Terminated.")])
def test_an_interrupt_at_any_moment_ends_with_one_line(
        workspace: Callable[..., Path], sig: int, status: int, line: str) -> None:
    root = workspace()
    stopped = 0
    for moment in MOMENTS:
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "-f", "pdf", "--force"],
            cwd=root, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent)})
        deadline = time.monotonic() + 30
        while not handles(proc.pid, signal.SIGTERM) and proc.poll() is None:
            assert time.monotonic() < deadline, "briefgen never installed its handlers"
            time.sleep(0.005)
        time.sleep(moment)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        _out, err = proc.communicate(timeout=60)
        quiet = "Traceback" not in err and "panicked" not in err and "Exception" not in err
        said = proc.returncode != status or err.strip().endswith(line)
        if proc.returncode not in (status, 0) or not quiet or not said:
            pytest.fail(f"signalled {moment} s in: exit {proc.returncode}\n{err}")
        stopped += proc.returncode == status
    # Exit 0 is right for a build that finished first; most must have been stopped.
    assert stopped >= len(MOMENTS) // 2, f"only {stopped} of {len(MOMENTS)} runs stopped"
    _no_temporary_files_after_the_next_build(root)


@pytest.mark.parametrize(("sig", "status", "line"), [
    (signal.SIGINT, 0, "Stopped watching."),  # how a watch is meant to end
    (signal.SIGTERM, 143, "Terminated."),  # a service manager's stop: not a success
])
def test_a_watch_ends_on_ctrl_c_and_sigterm_with_one_line(
        workspace: Callable[..., Path], sig: int, status: int, line: str) -> None:
    root = workspace()
    log = root.parent / "watch.err"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "watch"], cwd=root, text=True,
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            env={**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent)})
        deadline = time.monotonic() + 60
        while "Built" not in log.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        time.sleep(0.5)  # into watchfiles' wait for changes
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)
    text = log.read_text()
    assert proc.returncode == status, text
    assert text.strip().endswith(line), text
    assert "KeyboardInterrupt" not in text and "Traceback" not in text, text
