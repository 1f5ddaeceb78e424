"""Finding the workspace from any folder inside it, the way git finds a repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.inputs.discovery import CONFIG_FILE, find_workspace, is_workspace


@pytest.fixture
def ws(workspace: Callable[..., Path]) -> Path:
    return workspace()


def test_found_from_inside_options_and_a_nested_folder(ws: Path) -> None:
    nested = ws / "options" / "drafts" / "2025"
    nested.mkdir(parents=True)
    assert find_workspace(ws) == ws.resolve()
    assert find_workspace(ws / "options") == ws.resolve()
    assert find_workspace(nested) == ws.resolve()


def test_a_folder_with_only_briefgen_toml_is_a_workspace(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text('paper = "letter"\n')
    (tmp_path / "notes").mkdir()
    assert find_workspace(tmp_path / "notes") == tmp_path.resolve()


def test_the_search_stops_at_the_top_of_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "options").mkdir()  # a stray folder above the repository
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "notes").mkdir()
    assert find_workspace(repo / "notes") is None
    assert find_workspace(tmp_path / "options") == tmp_path.resolve()


def test_a_file_named_options_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "options").write_text("not a folder")
    assert not is_workspace(tmp_path)
