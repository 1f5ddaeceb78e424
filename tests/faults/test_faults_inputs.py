"""Never silent: a file named on the command line, a huge weight and a stray option file."""

from __future__ import annotations

import re

from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import BRIEF_X, OPTION_A


def test_check_of_a_missing_file_is_a_usage_error_naming_it(workspace, monkeypatch):
    monkeypatch.chdir(workspace())
    result = CliRunner().invoke(cli, ["check", "nothere.yaml"])
    assert result.exit_code == 2, result.output
    assert "nothere.yaml" in result.output and "does not exist" in result.output
    assert "OK" not in result.output


def test_check_of_a_file_outside_the_workspace_folders_is_a_usage_error(workspace,
                                                                       monkeypatch, tmp_path):
    stray = tmp_path / "stray.yaml"
    stray.write_text(OPTION_A)
    monkeypatch.chdir(workspace())
    result = CliRunner().invoke(cli, ["check", str(stray)])
    assert result.exit_code == 2, result.output
    assert "stray.yaml is not in options/ or briefs/" in result.output
    assert "OK" not in result.output
    # A file of the workspace is still fine.
    assert CliRunner().invoke(cli, ["check", "options/opt-a.yaml"]).exit_code == 0


def test_weights_near_the_float_limit_do_not_overflow_to_zero(workspace, monkeypatch):
    def listing(weight: str) -> str:
        brief = re.sub(r"weight: \d+", f"weight: {weight}", BRIEF_X)
        monkeypatch.chdir(workspace(briefs={"brief-x": brief}))
        result = CliRunner().invoke(cli, ["list"])
        assert result.exit_code == 0, result.output
        return result.output

    huge = listing("1.0e308")
    assert huge == listing("1")  # equal weights either way: 50 % each
    assert "  0.0  " not in huge, huge


def test_an_option_file_that_is_not_yaml_is_a_located_warning(workspace, monkeypatch):
    root = workspace()
    (root / "options" / "opt-c.json").write_text('{"id": "opt-c", "title": "Option C"}\n')
    (root / "options" / "opt-d.YAML").write_text("id: opt-d\n")
    (root / "options" / ".gitkeep").write_text("")
    (root / "options" / "README.md").write_text("Notes.\n")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert ("options/opt-c.json:1:1: warning: not loaded: only .yaml and .yml files in "
            "options/ are read as options (JSON is valid YAML: rename it to opt-c.yaml)"
            ) in result.output
    assert "options/opt-d.YAML:1:1: warning: not loaded" in result.output
    assert ".gitkeep" not in result.output and "README" not in result.output
    assert CliRunner().invoke(cli, ["check", "--strict"]).exit_code == 1
