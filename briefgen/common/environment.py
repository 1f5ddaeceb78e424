"""Problems of the machine briefgen runs on, not of the input and not of briefgen.

A read-only or full disk, a path that is a file where a folder should be, a
file briefgen may not read, a system library WeasyPrint cannot load: the
user fixes these in their environment, so the CLI prints one line naming the
path (or the missing package) and exits 4 instead of calling them a bug.

Any stage raises EnvironmentProblem when it knows what it was doing (writing
an output, say); ``environment_problem`` turns any other OSError from the file
system into one, so the CLI handles the whole class in one place.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

# Errors that say something about the machine even without a file name.
_MACHINE_ERRNOS = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EMFILE, errno.ENFILE,
    errno.ENOMEM, errno.EACCES, errno.EPERM,
})


class EnvironmentProblem(Exception):
    """One line for the user: what briefgen could not do, where, and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _shown(path: str | os.PathLike[str] | bytes) -> str:
    text = os.fsdecode(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return rel if not rel.startswith(".." + os.sep) and rel != ".." else text


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _file_in_the_way(path: str | os.PathLike[str]) -> Path | None:
    """The first of path and its parents that exists and is not a folder."""
    for candidate in (Path(path), *Path(path).parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def from_os_error(exc: OSError, action: str, path: str | os.PathLike[str] | None = None,
                  ) -> EnvironmentProblem:
    """'cannot <action> <path>: <reason>' for an OSError; path defaults to the error's own."""
    where = path if path is not None else exc.filename
    if where is None:
        return EnvironmentProblem(f"cannot {action}: {_reason(exc)}")
    reason = _reason(exc)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        blocker = _file_in_the_way(exc.filename if exc.filename is not None else where)
        if blocker is not None and blocker != Path(where):
            reason = f"{_shown(blocker)} is a file, not a folder"
    return EnvironmentProblem(f"cannot {action} {_shown(where)}: {reason}")


def environment_problem(exc: BaseException) -> EnvironmentProblem | None:
    """The EnvironmentProblem an exception stands for, or None when it may be a bug.

    An OSError counts when it names a file (the file system refused something
    there) or is one of the errors that only the machine causes (disk full,
    read-only file system, no permission, out of file handles).
    """
    if isinstance(exc, EnvironmentProblem):
        return exc
    if not isinstance(exc, OSError):
        return None
    if exc.filename is not None:
        return from_os_error(exc, "access")
    if exc.errno in _MACHINE_ERRNOS:
        return EnvironmentProblem(f"the system refused: {_reason(exc)}")
    return None
