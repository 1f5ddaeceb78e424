"""Nothing lost: atomic writes, failed builds keep old outputs, inputs are never modified."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.write import write_atomic
from briefgen.cli import cli
from briefgen.common.environment import EnvironmentProblem


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Content hash and mtime of every file under ``folder``."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                          p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def two_briefs(workspace):
    from tests import conftest

    return workspace(briefs={"brief-x": conftest.BRIEF_X,
                             "brief-y": conftest.BRIEF_X.replace("id: brief-x", "id: brief-y")})


def test_failed_build_leaves_previous_outputs_unchanged(workspace):
    root = two_briefs(workspace)
    assert run("build", "-w", str(root), "-f", "html").exit_code == 0
    before = snapshot(root / "output")
    assert set(before) == {"brief-x.html", "brief-y.html", "manifest.json"}
    # brief-x renders fine, brief-y's render fails: nothing is written, not even brief-x.
    (root / "templates").mkdir()
    (root / "templates" / "brief.html.j2").write_text(
        '{% if brief.id == "brief-y" %}{{ brief.nothing_here }}{% endif %}NEW {{ brief.id }}')
    result = run("build", "-w", str(root), "-f", "html")
    assert result.exit_code == 1
    assert "brief.html.j2:1:1: template error: UndefinedError" in result.output
    assert snapshot(root / "output") == before
    assert not any(p.name.endswith(".tmp") for p in (root / "output").iterdir())


def test_write_is_atomic_when_the_disk_fails(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(EnvironmentProblem, match="No space left on device"):
        write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_check_and_build_never_modify_inputs(workspace):
    root = two_briefs(workspace)
    (root / "options" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    before = snapshot(root)
    assert run("check", "-w", str(root)).exit_code == 1
    assert run("build", "-w", str(root), "-f", "html").exit_code == 1
    (root / "options" / "broken.yaml").unlink()
    before = snapshot(root)
    assert run("check", "-w", str(root)).exit_code == 0
    assert run("build", "-w", str(root), "-f", "html").exit_code == 0
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith("output")} == before
