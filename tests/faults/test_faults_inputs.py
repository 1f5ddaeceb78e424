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
