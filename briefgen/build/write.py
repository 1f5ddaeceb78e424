"""Stage 5, write: outputs land whole or not at all.

Each file is written to a temporary file in the same folder, flushed to disk
and renamed into place, so a reader (or a crashed build) never sees half a PDF
and a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from briefgen.common.environment import from_os_error


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
    """Write path whole or not at all; any refusal of the file system (read-only, full,
    a file where the folder should be) raises EnvironmentProblem naming path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _fault("open", path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise from_os_error(exc, "write", path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            _fault("write", path)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        _fault("replace", path)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise from_os_error(exc, "write", path) from exc
        raise


def _fault(step: str, path: Path) -> None:
    """Test-only hook: BRIEFGEN_FAULT=STEP:ERRNO[:NAME] makes a step of write_atomic fail
    as a full or read-only disk would, so tests (which run as root, whom permission bits
    do not stop) can check how briefgen reports it. STEP is open (creating the temporary
    file), write or replace; ERRNO a name such as ENOSPC, EROFS or EACCES; with NAME only
    files of that name fail. Example: BRIEFGEN_FAULT=write:ENOSPC:brief-x.pdf."""
    spec = os.environ.get("BRIEFGEN_FAULT")
    if not spec:
        return
    where, _, rest = spec.partition(":")
    code, _, name = rest.partition(":")
    if where == step and (not name or name == path.name):
        number = getattr(errno, code, errno.EIO)
        raise OSError(number, os.strerror(number))
