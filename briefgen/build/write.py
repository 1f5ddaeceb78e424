"""Stage 5, write: outputs land whole or not at all.

Each file is written to a temporary file in the same folder, flushed to disk
and renamed into place, so a reader (or a crashed build) never sees half a PDF
and a failed build leaves the previous outputs as they were.

A build killed mid-write (SIGKILL, power cut) leaves its temporary file behind.
Its name says whose it is, ``.NAME.PID.RANDOM.briefgen-tmp``, so the next build
removes those of processes that are gone (``clean_stale_temps``) and never
touches the one a concurrent build is writing.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import time
from pathlib import Path

from briefgen.common.environment import from_os_error

TEMP_SUFFIX = ".briefgen-tmp"
STALE_AFTER = 24 * 3600  # seconds: older temporary files go whatever their process id says


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
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                   dir=path.parent)
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def clean_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed builds left in folder; return them.

    Only briefgen's own (named by write_atomic) and only when the process that
    made one is gone or the file is over a day old; a FIFO or folder with such a
    name is left alone. Nothing here raises: a file that cannot go stays.
    """
    removed = []
    now = time.time() if now is None else now
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
            continue
        parts = name[:-len(TEMP_SUFFIX)].rsplit(".", 2)  # [.NAME, PID, RANDOM]
        pid_text = parts[1] if len(parts) == 3 else ""
        path = folder / name
        try:
            info = os.lstat(path)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                continue
            pid = int(pid_text) if pid_text.isdigit() else 0
            if pid == os.getpid() or (pid and _alive(pid) and now - info.st_mtime < STALE_AFTER):
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


_steps_seen = 0


def _fault(step: str, path: Path) -> None:
    """Test-only hook: BRIEFGEN_FAULT=STEP:ERRNO[:NAME] makes a step of write_atomic fail
    as a full or read-only disk would, so tests (which run as root, whom permission bits
    do not stop) can check how briefgen reports it. STEP is open (creating the temporary
    file), write or replace; ERRNO a name such as ENOSPC, EROFS or EACCES; with NAME only
    files of that name fail. Example: BRIEFGEN_FAULT=write:ENOSPC:brief-x.pdf.

    BRIEFGEN_FAULT=kill:N kills the process with SIGKILL at the Nth step of any write
    (counting open, write and replace of every file), as a crash or ``kill -9`` would:
    no cleanup, no finally."""
    global _steps_seen
    spec = os.environ.get("BRIEFGEN_FAULT")
    if not spec:
        return
    where, _, rest = spec.partition(":")
    if where == "kill" and rest.isdigit():
        _steps_seen += 1
        if _steps_seen == int(rest):
            os.kill(os.getpid(), signal.SIGKILL)
        return
    code, _, name = rest.partition(":")
    if where == step and (not name or name == path.name):
        number = getattr(errno, code, errno.EIO)
        raise OSError(number, os.strerror(number))
