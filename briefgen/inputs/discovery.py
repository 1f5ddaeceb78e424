"""Find the workspace a command is run in, the way git finds its repository.

A workspace is the nearest folder, from the current one upward, that holds
``briefgen.toml``, ``options/`` or ``briefs/``: run inside ``options/`` (or any
folder below the workspace), briefgen finds the workspace above. The search
stops at the top of a git work tree, so a stray ``options/`` folder above the
repository is never picked up. Kept free of pydantic and YAML: every command
runs it.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_FILE = "briefgen.toml"
MARKERS = ("options", "briefs")
YAML_SUFFIXES = (".yaml", ".yml")


def is_source_name(name: str) -> bool:
    """Whether a file in options/ or briefs/ is read as one: a .yaml or .yml name that is
    not hidden (macOS's ._name.yaml copies, editors' lock and backup files)."""
    return not name.startswith(".") and Path(name).suffix in YAML_SUFFIXES


def is_workspace(folder: Path) -> bool:
    """Whether ``folder`` holds briefgen.toml, options/ or briefs/."""
    return (folder / CONFIG_FILE).is_file() or any((folder / m).is_dir() for m in MARKERS)


def find_workspace(start: Path) -> Path | None:
    """The nearest workspace at or above ``start``, or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_workspace(folder):
            return folder
        if (folder / ".git").exists():  # the top of a repository: look no further
            return None
    return None
