"""briefgen build --edition: which builds run, and where their files go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.editions import edition_groups
from briefgen.cli import cli
from briefgen.inputs.loader import load_workspace
from tests.helpers.editions import MARKED


def test_all_means_every_declared_edition(workspace: Callable[..., Path]) -> None:
    ws, _ = load_workspace(workspace(**MARKED))
    assert edition_groups(ws, [], ["all"]) == [("official", "brief", ["brief-x"]),
                                               ("press", "press-lines", ["brief-x"])]
    with pytest.raises(KeyError, match=r"no edition .oficial.*official"):
        edition_groups(ws, ["brief-x"], ["oficial"])


def test_cli_builds_editions_beside_the_brief_without_collisions(
        workspace: Callable[..., Path]) -> None:
    root = workspace(**MARKED)
    runner = CliRunner()
    for args in (["build", "-f", "html", "-f", "md"],
                 ["build", "--edition", "all", "-f", "html", "-f", "md"]):
        result = runner.invoke(cli, [*args, "--workspace", str(root), "-q"])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (root / "output").iterdir())
    assert names == ["brief-x.html", "brief-x.md", "brief-x.official.html",
                     "brief-x.official.md", "brief-x.press.html", "brief-x.press.md",
                     "manifest.json"]
    press = (root / "output" / "brief-x.press.html").read_text(encoding="utf-8")
    assert "Press lines" in press and "Option A" in press
    import json
    manifest = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert {"brief-x", "brief-x.official", "brief-x.press"} <= set(manifest["briefs"])


def test_cli_refuses_an_unknown_edition(workspace: Callable[..., Path]) -> None:
    result = CliRunner().invoke(cli, ["build", "--edition", "nope", "--workspace",
                                      str(workspace(**MARKED))])
    assert result.exit_code == 2
    assert "no brief declares an edition 'nope'" in result.output
