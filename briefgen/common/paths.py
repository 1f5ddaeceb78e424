"""Paths as users see them, and where the built-in theme lives."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The folders of a workspace briefgen reads from (templates/ and assets/ may hold a
# theme and the images Markdown fields show): never a place to write outputs to.
READ_FOLDERS = ("options", "briefs", "templates", "assets")


def input_folder_holding(path: Path, root: Path) -> str | None:
    """The workspace folder briefgen reads from (options/, ...) that holds ``path`` or is
    it, else None: an output written there would mix with, or replace, the user's files."""
    target = path.resolve()
    for name in READ_FOLDERS:
        if target.is_relative_to((root / name).resolve()):
            return name
    return None


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def read_resolved_file(path: Path) -> bytes:
    """The bytes of ``path``, a path already resolved and checked to lie where it may:
    opened without following a symlink put there since, and without blocking, and read
    only if it is a regular file (OSError otherwise), so a FIFO or device swapped in
    between the check and the read can neither hang the build nor feed it."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read()


def builtin_templates() -> Path:
    """The default theme: inside the installed package, or templates/ in a source checkout."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def cache_dir() -> Path:
    """This machine's briefgen cache: $BRIEFGEN_CACHE_DIR, else briefgen/ in $XDG_CACHE_HOME
    or ~/.cache. It holds the manifest secret, drawn charts and laid-out PDF parts; any of it
    may be deleted at any time."""
    folder = os.environ.get("BRIEFGEN_CACHE_DIR")
    if folder:
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen"


def repository_root(start: Path) -> Path | None:
    """The folder CI annotations are relative to: ``$GITHUB_WORKSPACE`` when set (GitHub
    Actions), else the top of the git work tree holding ``start``, else None."""
    env = os.environ.get("GITHUB_WORKSPACE")
    if env:
        return Path(env).resolve()
    try:
        found = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"],
                               capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):  # no git on the machine
        return None
    top = found.stdout.strip()
    return Path(top).resolve() if found.returncode == 0 and top else None
