"""Stage 5, write: outputs land whole or not at all.

Each file is written to a temporary file in the same folder, flushed to disk
and renamed into place, so a reader (or a crashed build) never sees half a PDF
and a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class UnsafePathError(ValueError):
    pass


def safe_target(out_dir: Path, name: str) -> Path:
    """The path of ``name`` inside ``out_dir``, refusing anything that would land outside.

    ``name`` must be a single plain file name. The last component is not
    resolved: if it is a symlink (one committed to the repository, say), the
    rename in write_atomic replaces the link itself and never writes where it points.
    """
    root = out_dir.resolve()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise UnsafePathError(f"refusing to write {name!r}: not a plain file name")
    target = root / name
    if target.parent != root or (target.is_dir() and not target.is_symlink()):
        raise UnsafePathError(f"refusing to write {name!r} outside {out_dir}")
    return target


def write_atomic(path: Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
