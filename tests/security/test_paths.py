"""Paths: ids are slugs, writes stay in the output folder, symlinks out of the workspace refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.write import UnsafePathError, safe_target
from briefgen.cli import cli


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def test_option_file_symlinked_outside_is_refused_and_never_read(workspace, tmp_path):
    root = workspace()
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-very-secret\n")
    os.symlink(secret, root / "options" / "leak.yaml")
    result = run("check", "-w", str(root))
    assert result.exit_code == 1
    assert "options/leak.yaml:1:1: is a symlink that leads outside the workspace" in result.output
    assert "hunter2" not in result.output and "password" not in result.output


def test_symlinked_folders_and_templates_are_refused(workspace, tmp_path):
    root = workspace()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "brief.html.j2").write_text("{{ brief.title }}")
    os.symlink(elsewhere, root / "templates")
    os.symlink("/etc/passwd", root / "briefs" / "passwd.yaml")
    result = run("build", "-w", str(root), "-f", "html")
    assert result.exit_code == 1
    assert "templates:1:1: is a symlink that leads outside the workspace" in result.output
    assert "briefs/passwd.yaml:1:1: is a symlink" in result.output
    assert "root:" not in result.output  # /etc/passwd was not read
    assert not (root / "output").exists()


def test_symlink_inside_the_workspace_is_fine(workspace):
    root = workspace()
    (root / "options" / "opt-b.yaml").rename(root / "opt-b.yaml")
    os.symlink(root / "opt-b.yaml", root / "options" / "opt-b.yaml")
    assert run("check", "-w", str(root)).exit_code == 0


def test_committed_output_symlinks_are_not_followed(workspace, tmp_path):
    root = workspace()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (root / "output").mkdir()
    os.symlink(victim, root / "output" / "brief-x.html")
    assert run("build", "-w", str(root), "-f", "html").exit_code == 0
    assert victim.read_text() == "keep me"
    assert not (root / "output" / "brief-x.html").is_symlink()
    # An output folder that is itself a symlink out of the workspace is refused.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root2 = workspace(root=tmp_path / "ws2")
    os.symlink(elsewhere, root2 / "output")
    result = run("build", "-w", str(root2), "-f", "html")
    assert result.exit_code == 1
    assert "output:1:1: the output folder is a symlink that leads outside" in result.output
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["../x.html", "/etc/x", "a/b.html", "..", "", "x\\..\\y"])
def test_safe_target_refuses_anything_but_a_plain_name(tmp_path: Path, name):
    with pytest.raises(UnsafePathError):
        safe_target(tmp_path, name)
    assert safe_target(tmp_path, "brief.html") == tmp_path.resolve() / "brief.html"


def test_ids_must_be_slugs(workspace):
    from tests import conftest

    brief = conftest.BRIEF_X.replace("id: brief-x", "id: ../../etc/cron.d/x")
    root = workspace(briefs={"brief-x": brief})
    result = run("build", "-w", str(root), "-f", "html")
    assert result.exit_code == 1
    assert "brief-x.yaml:1:5: id: must be a slug" in result.output
    assert not (root / "output").exists()


def _opened_during(action) -> list[str]:
    """The paths opened (audit event "open": open() and os.open()) while action runs."""
    import sys

    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if event == "open" and active[0] and isinstance(args[0], str | bytes | os.PathLike):
            seen.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)  # audit hooks stay for the process: switched off below
    try:
        action()
    finally:
        active[0] = False
    return seen


@pytest.mark.parametrize("where", ["assets/leak.png", "assets/deep/leak.css",
                                   "templates/leak.css", "options/leak.yaml"])
def test_a_symlink_out_of_the_workspace_is_refused_before_it_is_read(workspace, tmp_path,
                                                                    monkeypatch, where):
    from briefgen.build.cache import up_to_date
    from briefgen.common.diagnostics import InputError
    from tests.helpers.builds import run_build

    root = workspace()
    run_build(root)
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2")
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret, link)
    assert up_to_date(root, root / "output", [], ["html"], True, None) is None
    opened = _opened_during(lambda: up_to_date(root, root / "output", [], ["html"], True, None))
    assert not [p for p in opened if os.path.realpath(p) == str(secret.resolve())]

    def full_build() -> None:
        with pytest.raises(InputError):
            run_build(root)

    opened = _opened_during(full_build)
    assert not [p for p in opened if os.path.realpath(p) == str(secret.resolve())]
    monkeypatch.chdir(root)
    result = run("build", "-f", "html")
    assert result.exit_code == 1
    assert f"{where}:1:1: is a symlink that leads outside the workspace" in result.output


def test_a_symlink_to_a_device_in_assets_is_reported_not_read(workspace):
    root = workspace()
    assert run("build", "-w", str(root), "-f", "html").exit_code == 0
    (root / "assets").mkdir()
    os.symlink("/dev/zero", root / "assets" / "zero.png")
    os.mkfifo(root / "assets" / "pipe.css")  # inside the workspace, but no file: never opened
    result = run("build", "-w", str(root), "-f", "html")  # would hang reading either
    assert result.exit_code == 1, result.output
    assert "assets/zero.png:1:1: is a symlink that leads outside the workspace (to /dev/zero)" \
        in result.output


def test_files_checked_before_reading_are_read_only_if_still_regular(tmp_path):
    """The renderer's fetcher and Markdown images read a path they resolved and checked;
    a FIFO or symlink swapped in since is refused, never waited on or followed."""
    import stat

    from briefgen.common.paths import read_resolved_file

    regular = tmp_path / "logo.png"
    regular.write_bytes(b"png")
    os.mkfifo(tmp_path / "pipe.png")
    os.symlink("/etc/passwd", tmp_path / "link.png")
    assert read_resolved_file(regular) == b"png"
    for name in ("pipe.png", "link.png"):
        with pytest.raises(OSError):
            read_resolved_file(tmp_path / name)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.png").st_mode)
