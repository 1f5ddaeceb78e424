"""Read files named by the output folder's manifest: regular files only, never followed.

The manifest is a hint anyone can edit (or commit). A name in it may point at
a FIFO, /dev/zero or a symlink to /etc/passwd; reading those would hang,
never end or leak. So a name must be a plain file name inside the output
folder, and the file is opened without following a symlink and without
blocking, then checked to be a regular file before a byte is read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

HEX64 = re.compile(r"[0-9a-f]{64}")


class NotRegular(OSError):
    """The path is a symlink, FIFO, device or folder: briefgen does not read it."""


def plain_name(name: object) -> bool:
    """True for a single file name that stays in its folder (no /, .., NUL or hidden name)."""
    return (isinstance(name, str) and bool(name) and not name.startswith(".")
            and not any(c in name for c in "/\\\0"))


def _open_regular(path: Path) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)  # ELOOP for a symlink; never blocks on a FIFO
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"{path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (OSError otherwise, NotRegular for a special file);
    ValueError when it holds more than limit bytes."""
    with os.fdopen(_open_regular(path), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path} is over {limit:,} bytes")
    return data


def sha256_regular(path: Path) -> str:
    """The sha256 of a regular file; OSError for anything else."""
    with os.fdopen(_open_regular(path), "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
