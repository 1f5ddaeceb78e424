"""Workspace discovery and briefgen.toml on the command line: every command finds the
workspace from any folder inside it, and each option takes the command line's value,
else briefgen.toml's, else the built-in default."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.cli.workspace import CONFIG_OPTIONS
from briefgen.inputs.discovery import CONFIG_FILE


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def received(*args: str) -> dict[str, Any]:
    """The values ``briefgen ARGS`` hands its command, parsed by click exactly as in a real
    run (the workspace option's callback included), without running the command."""
    name, *rest = args
    parent = click.Context(cli, info_name="briefgen", obj={})
    with cli.commands[name].make_context(name, rest, parent=parent) as ctx:
        return ctx.params


@pytest.fixture
def ws(workspace: Callable[..., Path]) -> Path:
    return workspace()


def settings(root: Path, text: str) -> Path:
    (root / CONFIG_FILE).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --- discovery ---------------------------------------------------------------------------


def test_check_run_inside_options_checks_the_workspace_above(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws / "options")
    assert run("check") == (0, "", "OK: 2 options and 1 brief are valid.\n")
    (ws / "options" / "drafts").mkdir()
    monkeypatch.chdir(ws / "options" / "drafts")
    assert run("list")[0] == 0
    assert received("check")["workspace"] == ws.resolve()


def test_problems_found_from_a_subfolder_are_named_from_there(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import OPTION_A, OPTION_B

    ws = workspace(options={"opt-a": OPTION_A, "opt-b": OPTION_B.replace("lead:", "laed:")})
    monkeypatch.chdir(ws / "options")
    code, out, _ = run("check")
    assert code == 1
    assert out.splitlines()[1] == ("opt-b.yaml:5:1: laed: unknown field 'laed' "
                                   "(did you mean 'lead'?)")


def test_in_the_workspace_itself_the_workspace_is_the_current_folder(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws)
    assert received("check")["workspace"] == Path(".")


def test_outside_any_workspace_the_error_is_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check")
    assert code == 1
    assert out.startswith(".:1:1: not a briefgen workspace: no options/ or briefs/ folder")


def test_workspace_flag_wins_and_reads_that_workspace_s_settings(
        workspace: Callable[..., Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    here = settings(workspace(root=tmp_path / "here"), 'paper = "a4"\n')
    there = settings(workspace(root=tmp_path / "there"), 'paper = "letter"\n')
    monkeypatch.chdir(here / "options")
    got = received("build", "--workspace", str(there))
    assert (got["workspace"], got["paper"]) == (there, "letter")


# --- precedence: flag > briefgen.toml > built-in default ---------------------------------

CASES = [
    # (command, parameter, key = value in briefgen.toml, its value, flag, its value, default)
    ("build", "paper", 'paper = "letter"', "letter", ["--paper", "a4"], "a4", "a4"),
    ("build", "lang", 'lang = "ja"', "ja", ["--lang", "en"], "en", None),
    ("build", "template", 'template = "memo"', "memo", ["-t", "brief"], "brief", "brief"),
    ("build", "formats", 'formats = ["md", "json"]', ("md", "json"), ["-f", "html"],
     ("html",), ()),
    ("build", "pdf_variant", 'pdf_variant = "pdf/ua-1"', "pdf/ua-1",
     ["--pdf-variant", "pdf/a-3b"], "pdf/a-3b", None),
    ("build", "jobs", "jobs = 3", 3, ["-j", "1"], 1, None),
    ("check", "strict", "strict = true", True, ["--no-strict"], False, False),
]


@pytest.mark.parametrize(("command", "param", "line", "from_file", "flag", "from_flag",
                          "default"), CASES, ids=[c[1] for c in CASES])
def test_flag_overrides_file_overrides_default(
        ws: Path, monkeypatch: pytest.MonkeyPatch, command: str, param: str, line: str,
        from_file: Any, flag: list[str], from_flag: Any, default: Any) -> None:
    monkeypatch.chdir(ws / "options")
    assert received(command)[param] == default
    settings(ws, line + "\n")
    assert received(command)[param] == from_file
    assert received(command, *flag)[param] == from_flag


def test_out_is_relative_to_the_workspace_and_a_flag_to_the_current_folder(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws / "options")
    assert received("build")["out_dir"] is None  # pipeline default: output/ in the workspace
    settings(ws, 'out = "public/briefs"\n')
    assert received("build")["out_dir"] == ws.resolve() / "public" / "briefs"
    assert received("watch")["out_dir"] == ws.resolve() / "public" / "briefs"
    assert received("build", "--out", "here")["out_dir"] == Path("here")


def test_settings_apply_only_to_the_commands_that_have_the_option(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings(ws, 'out = "public"\nformats = ["pdf"]\n')
    monkeypatch.chdir(ws)
    assert received("schema")["out_dir"] is None  # schema's --out is another folder
    assert received("watch")["formats"] == ()  # watch stays html-only unless told


def test_every_setting_names_a_real_option_of_its_command() -> None:
    from briefgen.inputs.config import Config

    for command, keys in CONFIG_OPTIONS.items():
        params = {p.name for p in cli.commands[command].params}
        assert set(keys.values()) <= params, command
        assert set(keys) <= set(Config.model_fields), command
    used = {key for keys in CONFIG_OPTIONS.values() for key in keys}
    assert used == set(Config.model_fields)  # no key in the file that nothing reads


# --- invalid settings ----------------------------------------------------------------------


def test_a_bad_file_stops_build_with_located_errors(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings(ws, 'paper = "A5"\nformat = ["html"]\n')
    monkeypatch.chdir(ws / "options")
    code, out, err = run("build")
    assert code == 1 and out == ""
    assert err == ("../briefgen.toml:1:9: paper: expected one of 'a4' or 'letter', got the "
                   "text 'A5'\n"
                   "../briefgen.toml:2:1: format: unknown field 'format' "
                   "(did you mean 'formats'?)\n"
                   "2 errors in 1 file.\n")
    assert not (ws / "output").exists()


def test_check_reports_the_file_with_the_other_problems(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import OPTION_A, OPTION_B

    ws = workspace(options={"opt-a": OPTION_A, "opt-b": OPTION_B.replace("lead:", "laed:")})
    settings(ws, '# defaults\nout = "../site"\nstrict = true\n')
    monkeypatch.chdir(ws)
    code, out, err = run("check")
    assert code == 1
    assert out.splitlines() == [
        "briefgen.toml:2:7: out: '../site' leads outside the workspace: name a folder "
        "inside it, without '..'",
        "options/opt-b.yaml:1:1: lead: required field is missing",
        "options/opt-b.yaml:5:1: laed: unknown field 'laed' (did you mean 'lead'?)",
    ]
    assert err == "3 errors in 2 files.\n"
    code, out, _ = run("check", CONFIG_FILE)  # only that file's problems
    assert code == 1 and out.splitlines()[0].startswith("briefgen.toml:2:7: out:")
    assert len(out.splitlines()) == 1
    code, out, _ = run("check", "--format", "json")
    assert json.loads(out)[0]["location"] == {"file": "briefgen.toml", "line": 2, "column": 7}


def test_check_strict_from_the_file(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import OPTION_A, OPTION_B

    ws = workspace(options={"opt-a": OPTION_A.replace("Do A.", '"TODO: say what A does"'),
                            "opt-b": OPTION_B})
    monkeypatch.chdir(ws)
    assert run("check")[0] == 0  # a TODO placeholder is a warning
    settings(ws, "strict = true\n")
    assert run("check")[0] == 1
    assert run("check", "--no-strict")[0] == 0


# --- schema and init -------------------------------------------------------------------------


def test_schema_command_writes_and_prints_the_settings_schema(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws / "briefs")
    code, _, err = run("schema")
    assert code == 0, err
    written = json.loads((ws / "schema" / "briefgen.schema.json").read_text())
    assert written["title"] == "briefgen settings file (briefgen.toml)"
    code, out, _ = run("schema", "--print", "config")
    assert json.loads(out) == written


def test_init_writes_a_settings_file_that_checks(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "new"))
    assert code == 0, err
    text = (tmp_path / "new" / CONFIG_FILE).read_text()
    assert text.startswith("#:schema ./schema/briefgen.schema.json\n")
    assert (tmp_path / "new" / "schema" / "briefgen.schema.json").is_file()
    assert run("check", "-w", str(tmp_path / "new"), "--strict")[0] == 0


# --- end to end: the settings reach the build ----------------------------------------------


def test_a_build_uses_the_file_and_a_flag_beats_it(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings(ws, """\
        paper = "letter"
        formats = ["html"]
        out = "public"
        """)
    monkeypatch.chdir(ws / "options")
    code, _, err = run("build", "--quiet")
    assert code == 0, err
    manifest = json.loads((ws / "public" / "manifest.json").read_text())
    assert manifest["briefs"]["brief-x"]["settings"]["paper"] == "letter"
    assert (ws / "public" / "brief-x.html").is_file() and not (ws / "output").exists()
    code, _, err = run("build", "--quiet", "--paper", "a4")
    assert code == 0, err
    manifest = json.loads((ws / "public" / "manifest.json").read_text())
    assert manifest["briefs"]["brief-x"]["settings"]["paper"] == "a4"


def test_a_noop_build_with_settings_still_imports_no_pydantic(ws: Path) -> None:
    import subprocess
    import sys

    settings(ws, 'formats = ["html"]\nout = "public"\npaper = "letter"\n')
    command = [sys.executable, "-X", "importtime", "-m", "briefgen", "build"]
    subprocess.run(command, check=True, capture_output=True, cwd=ws / "options")
    again = subprocess.run(command, check=True, capture_output=True, text=True,
                           cwd=ws / "options")
    assert "Up to date: 1 brief in ../public" in again.stderr
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines()
                if line.startswith("import time:")}
    assert "briefgen.inputs.quickconfig" in imported
    assert not {"pydantic", "yaml", "jinja2", "weasyprint"} & imported
