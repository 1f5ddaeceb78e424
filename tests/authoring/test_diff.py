"""diff: fields and scores per option, ranking per brief, between folders or git revisions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import OPTION_A, OPTION_B


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def old_and_new(workspace, tmp_path: Path) -> tuple[Path, Path]:
    old = workspace(root=tmp_path / "old")
    new_b = OPTION_B.replace("{value: 2, rationale: Some leverage.,",
                             "{value: 5, rationale: Now strong.,")
    new_a = OPTION_A.replace("title: Option A", "title: Option A, revised") + \
        "benefits: [Faster]\n"
    new = workspace(options={"opt-a": new_a, "opt-b": new_b, "opt-c": OPTION_B.replace(
        "opt-b", "opt-c")}, root=tmp_path / "new")
    return old, new


def test_diff_folders_text(old_and_new) -> None:
    old, new = old_and_new
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Options:",
        "  opt-a (changed)",
        "    title: 'Option A' -> 'Option A, revised'",
        "    benefits: added ['Faster']",
        "  opt-b (changed)",
        "    score leverage: 2 -> 5",
        "    scores.leverage.rationale: 'Some leverage.' -> 'Now strong.'",
        "  opt-c (added)",
        "Briefs:",
        "  brief-x (changed)",
        "    ranking:",
        "      1. opt-b 95.0 (was 50.0, up from 2.)",
        "      2. opt-a 75.0 (was 75.0, down from 1.)",
        "      3. opt-c 50.0 (new)",
    ]


def test_diff_markdown(old_and_new) -> None:
    old, new = old_and_new
    out = run("diff", str(old), str(new), "--format", "markdown").stdout
    assert "| 1 | `opt-b` | 95.0 | 50.0 | ▲ 1 (was 2) |" in out
    assert "| 3 | `opt-c` | 50.0 | - | new |" in out
    assert "| `leverage` | 2 | 5 |" in out
    assert "- `title` 'Option A' -> 'Option A, revised'" in out


def test_no_changes(workspace, tmp_path: Path) -> None:
    a = workspace(root=tmp_path / "a")
    b = workspace(root=tmp_path / "b")
    out = run("diff", str(a), str(b)).stdout.strip()
    assert out == "No changes to options, scores or rankings."


def test_invalid_file_is_noted_not_reported_as_removed(workspace, tmp_path: Path) -> None:
    old = workspace(root=tmp_path / "old")
    new = workspace(options={"opt-a": OPTION_A, "opt-b": "id: opt-b\n"}, root=tmp_path / "new")
    out = run("diff", str(old), str(new)).stdout
    assert "removed" not in out
    assert "left out on the new side because they do not validate: options/opt-b" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_against_a_git_revision(workspace, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    ws = workspace(root=repo / "policy")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e",
                        *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    path = ws / "options" / "opt-b.yaml"
    path.write_text(path.read_text().replace("{value: 1,", "{value: 3,"))
    result = run("diff", "--rev", "HEAD", "--workspace", str(ws))
    assert result.exit_code == 0, result.output
    assert "    score cost: 1 -> 3" in result.stdout
    bad = run("diff", "--rev", "no-such-branch", "--workspace", str(ws))
    assert bad.exit_code == 2
    assert "unknown git revision 'no-such-branch'" in bad.stderr


def test_usage_errors(tmp_path: Path) -> None:
    assert run("diff").exit_code == 2
    assert run("diff", str(tmp_path), str(tmp_path), "--rev", "HEAD").exit_code == 2
    result = run("diff", str(tmp_path), str(tmp_path))
    assert result.exit_code == 2 and "not a briefgen workspace" in result.stderr


def test_rev_outside_git(workspace, tmp_path: Path) -> None:
    result = run("diff", "--rev", "HEAD", "--workspace", str(workspace()))
    assert result.exit_code == 2
    assert "Error: git rev-parse failed" in result.stderr


def test_extract_files_keeps_folders_and_files_and_nothing_that_leaves_the_folder(
        tmp_path: Path) -> None:
    """What Python's filter="data" (3.11.4+) would refuse never lands outside the folder,
    on any 3.11: a git archive is extracted by briefgen itself."""
    import io
    import tarfile

    from briefgen.authoring.diff import extract_files

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        def add(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE,
                link: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type, info.size, info.linkname = kind, len(data), link
            tar.addfile(info, io.BytesIO(data) if data else None)
        add("options", kind=tarfile.DIRTYPE)
        add("options/opt-a.yaml", b"id: opt-a\n")
        add("briefs/brief-x.yaml", b"id: brief-x\n")  # its folder has no entry of its own
        add("../escaped.yaml", b"bad")
        add("/tmp/absolute.yaml", b"bad")
        add("options/link.yaml", kind=tarfile.SYMTYPE, link="/etc/passwd")
        add("options/hard.yaml", kind=tarfile.LNKTYPE, link="options/opt-a.yaml")
    dest = tmp_path / "out"
    dest.mkdir()
    with tarfile.open(fileobj=io.BytesIO(raw.getvalue())) as tar:
        extract_files(tar, dest)
    found = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*"))
    assert found == ["briefs", "briefs/brief-x.yaml", "options", "options/opt-a.yaml"]
    assert (dest / "options" / "opt-a.yaml").read_bytes() == b"id: opt-a\n"
    assert not (tmp_path / "escaped.yaml").exists()


def test_an_option_that_fails_a_rule_is_not_ranked(workspace, tmp_path: Path) -> None:
    # A score of 9 on a 0-5 scale passes the models but not check: diff ranked it anyway.
    old = workspace(root=tmp_path / "old")
    off_scale = OPTION_B.replace("{value: 2, rationale: Some leverage.,",
                                 "{value: 9, rationale: Off the scale.,")
    new = workspace(options={"opt-a": OPTION_A, "opt-b": off_scale}, root=tmp_path / "new")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "ranking of brief 'brief-x' not compared: some of its options do not validate" \
        in result.stdout
    assert "left out on the new side because they do not validate: options/opt-b" \
        in result.stdout
    assert "up from" not in result.stdout and "down from" not in result.stdout
