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

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

BRIEFS = {f"brief-{c}": BRIEF_X.replace("id: brief-x", f"id: brief-{c}") for c in "abcdefgh"}


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    """True while pid runs (a zombie waiting for its reaper counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in "ZX"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


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
        workers = [c for c in _children(proc.pid)
                   if _alive(c) and _cmdline(c) == _cmdline(proc.pid)]
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
        left = [p for p in pids if _alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


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
            if _alive(pid):
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


def _handles(pid: int, sig: int) -> bool:
    """True once pid has its own handler for sig (the SigCgt mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) >> (sig - 1) & 1)


# Delays after briefgen installs its handlers: importing click and the pipeline (where
# pydantic builds the models), loading, the first layouts. Measured on 2 cores, a PDF
# build of the default workspace takes about 1.5 s, so the later ones may find it done.
MOMENTS = [round(0.1 * n, 1) for n in range(13)]


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_at_any_moment_ends_with_one_line(
        workspace: Callable[..., Path], sig: int, status: int) -> None:
    root = workspace()
    for moment in MOMENTS:
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "-f", "pdf", "--force"],
            cwd=root, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent)})
        deadline = time.monotonic() + 30
        while not _handles(proc.pid, signal.SIGTERM) and proc.poll() is None:
            assert time.monotonic() < deadline, "briefgen never installed its handlers"
            time.sleep(0.005)
        time.sleep(moment)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        _out, err = proc.communicate(timeout=60)
        quiet = "Traceback" not in err and "panicked" not in err and "Exception" not in err
        said = proc.returncode != 130 or err.strip().endswith("Interrupted.")
        if proc.returncode not in (status, 0) or not quiet or not said:
            pytest.fail(f"signalled {moment} s in: exit {proc.returncode}\n{err}")
    _no_temporary_files_after_the_next_build(root)


def test_ctrl_c_ends_a_watch_as_it_is_meant_to_end(workspace: Callable[..., Path]) -> None:
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
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    text = log.read_text()
    assert proc.returncode == 0, text
    assert text.strip().endswith("Stopped watching."), text
    assert "KeyboardInterrupt" not in text and "Traceback" not in text, text
