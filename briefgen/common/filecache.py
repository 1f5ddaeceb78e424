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
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from briefgen.common.paths import cache_dir

_KEY = re.compile(r"[0-9a-f]{64}")


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
    return value if check == hashlib.sha256(value).hexdigest().encode() else None


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
        pass
