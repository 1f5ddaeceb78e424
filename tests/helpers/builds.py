"""Two-brief workspaces and small build helpers for the tests of briefgen.build."""

from __future__ import annotations

from pathlib import Path

from briefgen.build.pipeline import build, load_valid_workspace
from tests.conftest import BRIEF_X, OPTION_B

OPTION_C = OPTION_B.replace("id: opt-b", "id: opt-c").replace("Option B", "Option C")
BRIEF_Y = BRIEF_X.replace("id: brief-x", "id: brief-y").replace(
    "baseline: opt-b", "baseline: opt-c\noptions: [opt-a, opt-c]")
BRIEF_X_AB = BRIEF_X.replace("baseline: opt-b", "baseline: opt-b\noptions: [opt-a, opt-b]")


def run_build(root: Path, **kwargs: object):
    ws, _ = load_valid_workspace(root)
    formats = kwargs.pop("formats", ("html",))
    return build(ws, [], formats, root / "output", **kwargs)  # type: ignore[arg-type]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
