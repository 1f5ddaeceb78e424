"""briefgen in a GitHub Actions job: annotations, the job summary, the install step.

GitHub places an annotation on a pull request's line only when the file is named
relative to the repository root, and shows at most ten annotations of each kind
per step; a workspace often sits in a subfolder of its repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from briefgen import __version__
from briefgen.cli import cli

ROOT = Path(__file__).resolve().parents[2]

BAD_SCORE = """\
id: opt-a
title: Option A
summary: Do A.
description: A plan.
lead: Ministry of A
actions: [Act on A]
kind: do-minimum
scores:
  leverage: {value: 9, rationale: Strong., sources: [report-a]}
  cost: {value: 2, rationale: Cheap., sources: [report-a]}
sources: [{id: report-a, title: Report on A, publisher: Agency}]
"""

BASELINE = """\
id: opt-b
title: Option B
summary: Do B.
description: B plan.
lead: Ministry of B
actions: [Act on B]
kind: business-as-usual
scores:
  leverage: {value: 2, rationale: Some., sources: [report-b]}
  cost: {value: 1, rationale: Cheap., sources: [report-b]}
sources: [{id: report-b, title: Report on B, publisher: Agency}]
"""


@pytest.fixture
def repo_with_workspace(tmp_path: Path, workspace) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    root = workspace(options={"opt-a": BAD_SCORE, "opt-b": BASELINE},
                     root=repo / "policy" / "trade")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo, root


def test_annotations_name_files_from_the_repository_root(
    repo_with_workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, root = repo_with_workspace
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = CliRunner().invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=policy/trade/options/opt-a.yaml,line=9,col=21,"
        "title=scores.leverage.value::scores.leverage.value: must be between 0 and 5, got 9"
    ), result.stdout


def test_github_workspace_wins_over_git(
    repo_with_workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, root = repo_with_workspace
    monkeypatch.chdir(root / "options")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "policy"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = CliRunner().invoke(cli, ["check", "--format", "github", "--workspace", ".."])
    assert "file=trade/options/opt-a.yaml,line=9,col=21" in result.stdout, result.stdout


def test_every_problem_goes_to_the_step_summary(
    repo_with_workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, workspace
) -> None:
    repo, root = repo_with_workspace
    # Twelve bad options: more than the ten annotations GitHub shows per step.
    options = {f"opt-{i:02d}": BAD_SCORE.replace("opt-a", f"opt-{i:02d}") for i in range(12)}
    workspace(options={**options, "opt-b": BASELINE}, root=root)
    summary = repo / "summary.md"
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = CliRunner().invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### briefgen check\n\n13 errors and 0 warnings in 14 options")
    for i in range(12):
        assert f"| `policy/trade/options/opt-{i:02d}.yaml:9:21` | error | scores.leverage.value |" \
            in text


def test_a_clean_workspace_says_so_in_the_summary(
    tmp_path: Path, workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace()
    summary = tmp_path / "summary.md"
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 0, result.output
    assert summary.read_text(encoding="utf-8") == (
        "### briefgen check\n\nNo problems: 2 options and 1 brief.\n")


def workflow_steps(text: str) -> tuple[dict, list[dict]]:
    doc = yaml.safe_load(text)
    return doc.get("env", {}), [s for job in doc["jobs"].values() for s in job["steps"]]


def test_init_workflow_installs_the_release_that_wrote_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    env, steps = workflow_steps((tmp_path / "ws/.github/workflows/briefs.yml").read_text())
    spec = Requirement(env["BRIEFGEN"])
    assert spec.name == "briefgen"
    assert spec.url == f"git+https://github.com/briefgen/briefgen@v{__version__}"
    runs = [s.get("run", "") for s in steps]
    assert 'pip install "$BRIEFGEN"' in runs
    assert not any(re.search(r"pip install briefgen\b", r) for r in runs)
    assert any("briefgen diff --rev" in r and "$GITHUB_STEP_SUMMARY" in r for r in runs)


def test_documented_workflow_installs_through_one_variable() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    env, steps = workflow_steps(block)
    assert Requirement(env["BRIEFGEN"]).name == "briefgen"
    installs = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert installs and all(r == 'pip install "$BRIEFGEN"' for r in installs)


def test_readme_install_names_the_release_the_workflow_pins() -> None:
    """README's Install commands and the workflow init writes install the same release, and
    the venv route puts the command on PATH before it is used."""
    from briefgen.authoring.scaffold import INSTALL_SPEC

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    specs = re.findall(r'"(briefgen @ [^"]+)"', install)
    assert specs and set(specs) == {INSTALL_SPEC}
    block = install.split("```sh", 1)[1].split("```", 1)[0]
    assert block.index('export PATH="$HOME/.briefgen/bin:$PATH"') < block.index(
        "briefgen init")
