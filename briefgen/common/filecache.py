"""A small content-addressed store in this machine's briefgen cache (see paths.cache_dir).

Stages keep here what is costly to make and a pure function of what it is made
from: drawn charts (briefgen.present.charts) and laid-out PDF parts
(briefgen.output.pdf.split). The caller's key is a hash of everything the value
depends on, so an entry never goes stale, it is only no longer asked for.

The cache is an optimisation and never a reason to fail: an entry that cannot be
read is a miss, one that cannot be written is skipped. Writes are atomic (a
temporary file renamed into place), so a build killed mid-write leaves no torn
entry for the next one, and each entry starts with the sha256 of what follows,
so one damaged on disk (or edited by hand, carelessly) is a miss too.

It does not grow without bound: reading an entry marks it used (its modification
time), and once a day a write drops what was not used for MAX_AGE_DAYS and, past
MAX_BYTES, the entries used least recently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from briefgen.common.paths import cache_dir

_KEY = re.compile(r"[0-9a-f]{64}")
KINDS = ("charts", "pdfparts", "templates")  # what stages store; see prune()
MAX_BYTES = 500 * 2**20  # the example's entries are about 1 MB; a busy month, 100 MB
MAX_AGE_DAYS = 60
PRUNE_EVERY = 86400  # seconds


def digest(*parts: Any) -> str:
    """The sha256 of JSON-able parts (tuples count as lists, numpy arrays too), as a key."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    raise TypeError(f"cannot key on {type(value).__name__}")


def _path(kind: str, key: str) -> Path | None:
    if not (kind.isalnum() and _KEY.fullmatch(key)):
        return None
    return cache_dir() / kind / key[:2] / key


def get(kind: str, key: str) -> bytes | None:
    """The bytes stored under ``key``, or None."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    check, _, value = data.partition(b"\n")
    if check != hashlib.sha256(value).hexdigest().encode():
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # its modification time says when it was last used: see prune()
    return value


def put(kind: str, key: str, data: bytes) -> None:
    """Store ``data`` under ``key``; quietly nothing when the cache cannot be written."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return
    prune()


def prune(limit: int | None = None, *, now: float | None = None) -> None:
    """Keep the cache under ``limit`` bytes (MAX_BYTES), dropping the entries used least
    recently, and drop any unused for MAX_AGE_DAYS; at most once every PRUNE_EVERY
    seconds (a stamp file records the last time), so a build pays one stat for it."""
    now = time.time() if now is None else now
    root = cache_dir()
    stamp = root / ".pruned"
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return
    except OSError:
        pass
    limit = MAX_BYTES if limit is None else limit
    entries = []
    for kind in KINDS:
        for folder, _dirs, files in os.walk(root / kind):
            for name in files:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    info = os.stat(path)
                    entries.append((info.st_mtime, info.st_size, path))
    entries.sort(reverse=True)  # the most recently used first
    kept = 0
    for used, size, path in entries:
        kept += size
        if kept > limit or now - used > MAX_AGE_DAYS * 86400:
            with contextlib.suppress(OSError):
                os.unlink(path)
    with contextlib.suppress(OSError):
        stamp.touch()
