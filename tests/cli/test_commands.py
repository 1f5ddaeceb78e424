"""The command line: exit codes, messages, and what lands in the output folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import OPTION_A, OPTION_B


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_ok(workspace: Callable[..., Path], monkeypatch) -> None:
    monkeypatch.chdir(workspace())
    code, out, err = run("check")
    assert code == 0
    assert out == ""
    assert "OK: 2 options and 1 brief are valid." in err


def test_check_reports_every_problem_and_exits_1(workspace: Callable[..., Path],
                                                 monkeypatch) -> None:
    bad_a = OPTION_A.replace("value: 4", "value: 7")
    bad_b = OPTION_B.replace("lead:", "leader:")
    monkeypatch.chdir(workspace(options={"opt-a": bad_a, "opt-b": bad_b}))
    code, out, err = run("check")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("options/opt-a.yaml:9:21: scores.leverage.value: must be between")
    assert lines[1] == "options/opt-b.yaml:1:1: lead: required field is missing"
    assert lines[2].startswith("options/opt-b.yaml:5:1: leader: unknown field 'leader'")
    assert "3 errors in 2 files." in err
    assert "Traceback" not in out + err


def test_check_github_annotations(workspace: Callable[..., Path], monkeypatch) -> None:
    monkeypatch.chdir(workspace(options={"opt-a": OPTION_A.replace("value: 4", "value: 7"),
                                         "opt-b": OPTION_B}))
    code, out, _ = run("check", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=options/opt-a.yaml,line=9,col=21,"
                          "title=scores.leverage.value::scores.leverage.value: must be between")


def test_build_writes_html_and_pdf(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace()
    monkeypatch.chdir(root)
    code, _, err = run("build")
    assert code == 0, err
    assert (root / "output" / "brief-x.html").read_text().startswith("<!DOCTYPE html>")
    assert (root / "output" / "brief-x.pdf").read_bytes().startswith(b"%PDF-")
    assert "wrote output/brief-x.pdf" in err


def test_build_one_format_into_another_folder(workspace: Callable[..., Path],
                                              tmp_path: Path) -> None:
    root = workspace()
    out = tmp_path / "site"
    code, _, err = run("build", "brief-x", "--format", "html", "--out", str(out),
                       "--workspace", str(root))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["brief-x.html", "manifest.json"]


def test_build_refuses_invalid_input_and_writes_nothing(workspace: Callable[..., Path],
                                                        monkeypatch) -> None:
    root = workspace(options={"opt-a": OPTION_A.replace("title: Option A", "title:"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    code, _, err = run("build")
    assert code == 1
    assert "options/opt-a.yaml:2:7: title: expected text, got nothing (null)" in err
    assert not (root / "output").exists()


def test_usage_errors_exit_2(workspace: Callable[..., Path], monkeypatch) -> None:
    monkeypatch.chdir(workspace())
    code, _, err = run("build", "brief-y")
    assert code == 2
    assert "unknown brief 'brief-y': did you mean 'brief-x'?" in err
    assert run("build", "--format", "odt")[0] == 2
    assert run("frobnicate")[0] == 2


def test_a_workspace_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    # It was exit 1 and 'nonexist:1:1: not a briefgen workspace', as if a file were wrong.
    code, _, err = run("check", "-w", str(tmp_path / "nonexist"))
    assert code == 2
    assert "Directory" in err and "nonexist' does not exist" in err


@pytest.mark.parametrize("folder", ["options", "briefs"])
def test_a_file_where_a_folder_of_files_belongs_is_an_error(workspace: Callable[..., Path],
                                                            folder: str) -> None:
    # briefs as a file gave "OK: 2 options and 0 briefs are valid" and "No briefs to build".
    root = workspace()
    shutil.rmtree(root / folder)
    (root / folder).write_text("x\n", encoding="utf-8")
    for command in ("check", "build"):
        code, out, err = run(command, "-w", str(root))
        assert code == 1, out + err
        assert f"{folder}:1:1: {folder} is a file, not a folder" in out + err


@pytest.mark.parametrize("out", ["options", "briefs/html", "templates"])
def test_outputs_never_go_into_a_folder_briefgen_reads(workspace: Callable[..., Path],
                                                       out: str) -> None:
    # --out options wrote the HTML and manifest.json among the option files.
    root = workspace()
    before = sorted(p.name for p in (root / "options").iterdir())
    code, _, err = run("build", "-w", str(root), "-f", "html", "-o", str(root / out))
    assert code == 2
    assert f"is inside the workspace's {out.split('/')[0]}/ folder, which briefgen reads" in err
    assert sorted(p.name for p in (root / "options").iterdir()) == before
    (root / "briefgen.toml").write_text(f'out = "{out}"\n', encoding="utf-8")
    assert run("build", "-w", str(root), "-f", "html")[0] == 2  # from briefgen.toml too


def test_manifest_merge_never_replaces_a_file_that_is_not_a_manifest(
        workspace: Callable[..., Path]) -> None:
    root = workspace()
    assert run("build", "-w", str(root), "-f", "html")[0] == 0
    option = root / "options" / "opt-a.yaml"
    before = option.read_bytes()
    code, _, err = run("manifest", "merge", str(root / "output" / "manifest.json"),
                       "-o", str(option))
    assert code == 2 and "is not a briefgen manifest: refusing to replace it" in err
    assert option.read_bytes() == before
    merged = root / "output" / "merged.json"
    assert run("manifest", "merge", str(root / "output" / "manifest.json"), "-o",
               str(merged))[0] == 0
    assert run("manifest", "merge", str(root / "output" / "manifest.json"), "-o",
               str(merged))[0] == 0  # a manifest may be replaced


def test_not_a_workspace(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check")
    assert code == 1
    assert "not a briefgen workspace: no options/ or briefs/ folder" in out


def test_list_shows_ranks(workspace: Callable[..., Path], monkeypatch) -> None:
    monkeypatch.chdir(workspace())
    code, out, _ = run("list")
    assert code == 0
    assert out.splitlines() == [
        "brief-x: Brief X",
        "   1. opt-a   75.0  Option A",
        "   2. opt-b   50.0  Option B  (baseline)",
    ]


def test_internal_error_exits_3_without_traceback(workspace: Callable[..., Path],
                                                  monkeypatch) -> None:
    monkeypatch.chdir(workspace())

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("briefgen.analysis.scores.analyse", boom)
    code, _, err = run("list")
    assert code == 3
    assert "internal error (RuntimeError: boom)" in err
    assert "please report" in err
    assert "Traceback" not in err
    code, _, err = run("--debug", "list")
    assert code == 3
    assert "Traceback" in err


def test_python_dash_m_and_help_have_examples() -> None:
    result = subprocess.run([sys.executable, "-m", "briefgen", "--help"], capture_output=True,
                            text=True, check=True)
    assert "Examples:" in result.stdout
    assert "build" in result.stdout and "check" in result.stdout


def test_check_and_help_never_import_weasyprint(workspace: Callable[..., Path]) -> None:
    root = workspace()
    code = (
        "import sys\n"
        "from briefgen.cli.commands import cli\n"
        "for args in (['--help'], ['check', '-w', sys.argv[1]], ['list', '-w', sys.argv[1]]):\n"
        "    try:\n"
        "        cli(args)\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code in (0, None), exc.code\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in ('weasyprint', 'matplotlib', 'docx'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"



def test_check_layout_reports_findings_at_the_pdf_page(workspace: Callable[..., Path],
                                                       monkeypatch) -> None:
    from briefgen.output.pdf import layout_check

    monkeypatch.chdir(workspace())
    code, out, err = run("check", "--layout")
    assert code == 0, out + err
    found = [layout_check.Finding(3, "table-split", "the table of 5 rows is split", "Costs")]
    monkeypatch.setattr(layout_check, "check_html", lambda *args: found)
    code, out, err = run("check", "--layout", "--paper", "letter")
    assert code == 1
    assert out.splitlines() == ["brief-x.pdf:3:1: page 3: the table of 5 rows is split "
                                "(in \u201cCosts\u201d)"]


def test_the_exit_status_is_the_interpreters_for_each_kind_of_exit(capsys) -> None:
    """main() ends the process itself (no interpreter tear-down): the status must still be
    what ``sys.exit`` would give."""
    from briefgen.cli.commands import _exit_status

    assert _exit_status(None) == 0
    assert _exit_status(2) == 2
    assert _exit_status(256 + 4) == 4
    assert _exit_status("briefgen: stopped") == 1
    assert capsys.readouterr().err == "briefgen: stopped\n"


def test_a_build_run_as_a_program_exits_with_its_status_and_its_output_flushed(
        workspace: Callable[..., Path]) -> None:
    root = workspace()
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", "-w", str(root), "-f",
                           "html"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Built 1, 0 up to date" in done.stderr  # the last line, flushed before the exit
    bad = subprocess.run([sys.executable, "-m", "briefgen", "build", "no-such-brief", "-w",
                          str(root)], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown brief 'no-such-brief'" in bad.stderr
