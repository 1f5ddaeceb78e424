"""A build killed at every step of every write, and builds running side by side.

BRIEFGEN_FAULT=kill:N (see briefgen.build.write) sends SIGKILL to the build at
the Nth step (create the temporary file, write it, rename it) of any file it
writes, outputs and manifest alike. After each kill: every output is either
the previous one, byte for byte, or the new one, complete; every manifest entry
that remains is true of the files on disk; and the next build finishes the job
and leaves no temporary file. Concurrent builds, of different briefs and of the
same ones, lose no manifest entry and leave one that tells the truth.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build.manifest import read_manifest
from briefgen.build.write import TEMP_SUFFIX, clean_stale_temps
from tests.conftest import BRIEF_X

BRIEF_Y = BRIEF_X.replace("id: brief-x", "id: brief-y").replace("Brief X", "Brief Y")


def run(root: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent / "cache")}
    env.pop("BRIEFGEN_FAULT", None)
    if fault:
        env["BRIEFGEN_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "briefgen", "build", "-f", "html", "-f", "json",
                           *args], cwd=root, text=True, capture_output=True, timeout=120,
                          env=env)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def assert_truthful(out: Path) -> None:
    """Every entry the manifest keeps (sealed or not) matches the files on disk."""
    manifest = read_manifest(out / "manifest.json")
    if manifest is None:
        return
    for ident, entry in manifest["briefs"].items():
        for name, sha in entry["outputs"].items():
            assert (out / name).is_file(), (ident, name)
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, (ident, name)
    for name, record in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == record["sha256"], name


def test_a_build_killed_at_any_write_step_loses_nothing(workspace: Callable[..., Path],
                                                        tmp_path: Path) -> None:
    root = workspace(briefs={"brief-x": BRIEF_X, "brief-y": BRIEF_Y})
    out = root / "output"
    assert run(root).returncode == 0
    before = snapshot(out)
    brief = root / "briefs" / "brief-x.yaml"
    brief.write_text(brief.read_text().replace("Brief X", "Brief X2"))
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    assert run(reference).returncode == 0
    after = {name: data for name, data in snapshot(reference / "output").items()
             if name != "manifest.json"}
    assert after["brief-x.html"] != before["brief-x.html"]

    step = 0
    while True:
        step += 1
        assert step < 40, "the build never finished"
        shutil.rmtree(out)
        out.mkdir()
        for name, data in before.items():
            (out / name).write_bytes(data)
        killed = run(root, fault=f"kill:{step}")
        if killed.returncode == 0:
            break  # every step survived: the loop has been through them all
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        for name in after:
            assert (out / name).read_bytes() in (before[name], after[name]), (step, name)
        assert_truthful(out)
        again = run(root)
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        final = snapshot(out)
        assert {n: d for n, d in final.items() if n != "manifest.json"} == after, step
        assert_truthful(out)
    assert "Up to date: 2 briefs" in run(root).stderr
    assert step > 9  # a temporary file, its write and its rename, for 3 files at least


def test_concurrent_builds_keep_every_entry(workspace: Callable[..., Path]) -> None:
    root = workspace(briefs={"brief-x": BRIEF_X, "brief-y": BRIEF_Y})
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(root.parent / "cache")}
    for round_ in range(3):
        for name in ("brief-x", "brief-y"):
            path = root / "briefs" / f"{name}.yaml"
            path.write_text(path.read_text().replace("context: Some context",
                                                     f"context: Round {round_}"))
        # two different briefs, and the same brief twice, at once
        procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-f", "html",
                                   *brief], cwd=root, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for brief in (["brief-x"], ["brief-y"], ["brief-x"])]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        manifest = read_manifest(root / "output" / "manifest.json")
        assert manifest is not None
        assert sorted(manifest["briefs"]) == ["brief-x", "brief-y"], round_
        assert_truthful(root / "output")
        result = subprocess.run([sys.executable, "-m", "briefgen", "build", "-f", "html"],
                                cwd=root, env=env, text=True, capture_output=True, timeout=120)
        assert "Up to date: 2 briefs" in result.stderr, (round_, result.stderr)


def test_only_the_temporary_files_of_dead_builds_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    names = {
        "dead": f".brief-x.html.{dead_pid}.ab12cd34{TEMP_SUFFIX}",
        "live": f".brief-x.html.{os.getppid()}.ab12cd34{TEMP_SUFFIX}",
        "mine": f".brief-x.html.{os.getpid()}.ab12cd34{TEMP_SUFFIX}",
        "odd": f".brief-x.html.nopid{TEMP_SUFFIX}",
        "output": "brief-x.html",
        "user": ".notes.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_text("x")
    os.mkfifo(tmp_path / f".pipe.{dead_pid}.zz{TEMP_SUFFIX}")
    removed = clean_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == sorted([names["dead"], names["odd"]])
    left = {p.name for p in tmp_path.iterdir()}
    assert {names["live"], names["mine"], names["output"], names["user"]} <= left
    # a day later even a live process's file is stale (its id has been reused)
    old = clean_stale_temps(tmp_path, now=(tmp_path / names["live"]).stat().st_mtime + 90000)
    assert [p.name for p in old] == [names["live"]]


@pytest.mark.parametrize("step", [2, 3])
def test_the_temporary_file_of_a_killed_build_goes_with_the_next_build(
        workspace: Callable[..., Path], step: int) -> None:
    root = workspace()
    killed = run(root, fault=f"kill:{step}")  # mid-write of the first output
    assert killed.returncode == -signal.SIGKILL
    assert [p for p in (root / "output").iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert run(root).returncode == 0
    assert [p.name for p in (root / "output").iterdir() if p.name.startswith(".")] == []
