"""The machine's problems exit 4 with one line naming the path or package, never "a bug".

A full or read-only disk, a file where the output folder should be, an option
file briefgen may not read, an unwritable merge target, a missing Pango: each
used to exit 3 and ask for a bug report. The tests run as root, whom
permission bits do not stop, so refusals are made with briefgen's test-only
BRIEFGEN_FAULT hook (see briefgen.build.write) in a subprocess, or by
patching open() in-process; the cases root meets too (a file in the folder's
place) are made for real.
"""

from __future__ import annotations

import builtins
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import BRIEF_X

BUG = "This is a bug in briefgen"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def assert_environment(result: subprocess.CompletedProcess[str] | object, *needles: str) -> str:
    code = getattr(result, "returncode", getattr(result, "exit_code", None))
    output = (getattr(result, "stdout", "") or "") + (getattr(result, "stderr", "") or "")
    if not output:
        output = getattr(result, "output", "")
    assert code == 4, output
    assert BUG not in output and "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("briefgen: ")]
    assert len(lines) == 1, output
    for needle in needles:
        assert needle in lines[0], output
    return output


def test_disk_full_while_writing_an_output_exits_4_and_names_it(workspace):
    root = workspace()
    result = run("build", "-f", "html", cwd=root, env={"BRIEFGEN_FAULT": "write:ENOSPC"})
    output = assert_environment(result, "cannot write output/brief-x.html",
                                "No space left on device")
    # The progress line must not claim a file that was never written.
    assert "wrote" not in output, output
    assert not (root / "output" / "brief-x.html").exists()
    assert not [p for p in (root / "output").iterdir() if p.name.endswith(".tmp")]


def test_disk_full_on_the_manifest_keeps_the_previous_manifest(workspace):
    root = workspace()
    assert run("build", "-f", "html", cwd=root).returncode == 0
    before = (root / "output" / "manifest.json").read_bytes()
    (root / "briefs" / "brief-x.yaml").write_text(
        (root / "briefs" / "brief-x.yaml").read_text().replace("Brief X", "Brief X2"))
    result = run("build", "-f", "html", cwd=root,
                 env={"BRIEFGEN_FAULT": "replace:ENOSPC:manifest.json"})
    assert_environment(result, "cannot write output/manifest.json", "No space left on device")
    assert (root / "output" / "manifest.json").read_bytes() == before


def test_read_only_output_folder_exits_4_naming_the_file(workspace):
    root = workspace()
    result = run("build", "-f", "html", cwd=root, env={"BRIEFGEN_FAULT": "open:EROFS"})
    assert_environment(result, "cannot write output/brief-x.html", "Read-only file system")


def test_permission_denied_in_output_folder_exits_4(workspace):
    root = workspace()
    result = run("build", "-f", "md", cwd=root, env={"BRIEFGEN_FAULT": "open:EACCES"})
    assert_environment(result, "cannot write output/brief-x.md", "Permission denied")


def test_output_being_a_regular_file_exits_4(workspace):
    root = workspace()
    (root / "output").write_text("not a folder\n")
    result = run("build", "-f", "html", cwd=root)
    assert_environment(result, "cannot write output/", "output")
    assert (root / "output").read_text() == "not a folder\n"


def test_debug_shows_the_traceback_of_an_environment_problem(workspace):
    root = workspace()
    (root / "output").write_text("not a folder\n")
    result = run("--debug", "build", "-f", "html", cwd=root)
    assert result.returncode == 4
    assert "Traceback (most recent call last)" in result.stderr
    assert BUG not in result.stderr


def _deny_reading(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """chmod 000 the file, and make open() refuse it as it would for anyone but root."""
    victim.chmod(0)
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file).resolve() == victim.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def guarded_os_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file).resolve() == victim.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: guarded_open(self, "rb").__enter__().read())


@pytest.mark.parametrize("command", [["check"], ["build", "-f", "html"]])
@pytest.mark.parametrize("with_manifest", [False, True])
def test_unreadable_option_file_exits_4_naming_it(workspace, monkeypatch, command,
                                                  with_manifest):
    root = workspace()
    monkeypatch.chdir(root)
    if with_manifest:  # the no-op check hashes every file before anything else reads them
        assert CliRunner().invoke(cli, ["build", "-f", "html"]).exit_code == 0
    victim = root / "options" / "opt-a.yaml"
    try:
        _deny_reading(monkeypatch, victim)
        result = CliRunner().invoke(cli, command)
    finally:
        victim.chmod(0o644)
    assert result.exit_code == 4, result.output
    assert "options/opt-a.yaml" in result.output and "Permission denied" in result.output
    assert BUG not in result.output and "Traceback" not in result.output


def test_unwritable_manifest_merge_target_exits_4(workspace, tmp_path):
    root = workspace()
    assert run("build", "-f", "html", cwd=root).returncode == 0
    shard = root / "output" / "manifest.json"
    result = run("manifest", "merge", str(shard), "-o", "merged.json", cwd=tmp_path,
                 env={"BRIEFGEN_FAULT": "open:EACCES"})
    assert_environment(result, "cannot write merged.json", "Permission denied")
    # And for real: the target's folder is a regular file.
    (tmp_path / "blocked").write_text("")
    result = run("manifest", "merge", str(shard), "-o", "blocked/merged.json", cwd=tmp_path)
    assert_environment(result, "cannot write blocked/merged.json")


FAKE_WEASYPRINT = """\
raise OSError(
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object "
    "file: No such file or directory.  Additionally, ctypes.util.find_library() did not "
    "manage to locate a library called 'libpango-1.0-0'")
"""


@pytest.mark.parametrize("briefs", [1, 2])  # one renders in place; two import it to fork
def test_missing_pango_names_the_package_to_install(workspace, tmp_path, briefs):
    fake = tmp_path / "fake-site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAKE_WEASYPRINT)
    extra = {"brief-y": BRIEF_X.replace("id: brief-x", "id: brief-y")} if briefs == 2 else {}
    root = workspace(briefs={"brief-x": BRIEF_X, **extra})
    path = os.pathsep.join(filter(None, [str(fake.parent), os.environ.get("PYTHONPATH")]))
    result = run("build", "-f", "pdf", "--jobs", "2", cwd=root, env={"PYTHONPATH": path})
    assert_environment(result, "WeasyPrint could not load Pango",
                       "install libpango-1.0-0 (Debian/Ubuntu)")
    assert not (root / "output" / "brief-x.pdf").exists()


def test_exit_code_4_is_documented_in_help_readme_and_module():
    import briefgen.cli.commands as commands

    assert commands.EXIT_ENVIRONMENT == 4
    assert "4 a problem of the environment" in " ".join(commands.__doc__.split())
    help_text = CliRunner().invoke(cli, ["--help"]).output
    for code in "01234":
        assert f"\n    {code}  " in help_text, help_text
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert "2 usage error, 3 a bug in briefgen" in readme
    assert "4 a problem of the environment" in readme


@pytest.mark.parametrize("command", [["init", "blocked/ws"], ["schema", "--out", "blocked/s"],
                                     ["new", "option", "zed", "-w", "ws"]])
def test_authoring_commands_blocked_by_a_file_exit_4(tmp_path, command):
    (tmp_path / "blocked").write_text("")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "briefs").mkdir()
    (tmp_path / "ws" / "options").write_text("")  # a file where the folder should be
    result = run(*command, cwd=tmp_path)
    assert_environment(result, "cannot write", "is a file, not a folder")
