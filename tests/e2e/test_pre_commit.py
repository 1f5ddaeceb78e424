"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit framework.

The hooks are installed as `repo: local` hooks with `language: system`, so the test
needs no network: everything else (which files trigger a hook, what it is given,
whether the commit is refused) is pre-commit's own behaviour on our definitions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("pre_commit")

NARROW_SCALE = """\
    scale: {kind: ordinal, min: 0, max: 3}
"""


def hooks_config() -> str:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        # The published hooks install briefgen with language: python; here the
        # briefgen under test runs in place.
        hook["language"] = "system"
        hook["entry"] = hook["entry"].replace("briefgen", f"{sys.executable} -m briefgen", 1)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=False)


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture
def repo(tmp_path: Path, workspace) -> Path:
    root = workspace(root=tmp_path / "repo")
    (root / ".pre-commit-config.yaml").write_text(hooks_config(), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "config", "user.email", "analyst@example.org")
    git(root, "config", "user.name", "Analyst")
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", "A valid workspace").returncode == 0
    return root


def narrow_leverage_scale(root: Path) -> None:
    brief = root / "briefs" / "brief-x.yaml"
    text = brief.read_text(encoding="utf-8")
    anchor = "    direction: benefit\n"
    brief.write_text(text.replace(anchor, anchor + NARROW_SCALE, 1), encoding="utf-8")


def test_a_brief_change_that_breaks_an_unchanged_option_is_refused(repo: Path) -> None:
    narrow_leverage_scale(repo)  # opt-a scores 4 on leverage, now above the scale's 3
    git(repo, "add", "briefs/brief-x.yaml")
    result = pre_commit(repo, "run", "briefgen-check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "briefgen check" in result.stdout and "Failed" in result.stdout
    assert ("options/opt-a.yaml:9:21: scores.leverage.value: must be between 0 and 3, got 4"
            in result.stdout), result.stdout


def test_a_valid_change_passes_and_unrelated_files_skip_the_hook(repo: Path) -> None:
    option = repo / "options" / "opt-b.yaml"
    option.write_text(option.read_text(encoding="utf-8").replace("B plan.", "The B plan."),
                      encoding="utf-8")
    (repo / "notes.md").write_text("Notes\n", encoding="utf-8")
    git(repo, "add", "-A")
    result = pre_commit(repo, "run", "briefgen-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    git(repo, "commit", "-qm", "Reword B", "--no-verify")
    (repo / "notes.md").write_text("More notes\n", encoding="utf-8")
    git(repo, "add", "-A")
    skipped = pre_commit(repo, "run", "briefgen-check")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout, skipped.stdout
