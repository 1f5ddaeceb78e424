"""output/manifest.json: every output with its sha256 and the inputs it came from.

The manifest is also the incremental cache: each brief's entry keeps the key
its outputs were built with (see briefgen.build.cache). A sharded CI build writes one
manifest per shard; ``briefgen manifest merge`` joins them and refuses entries
that disagree.

Shape::

    {"manifest": 1, "generator": "briefgen 0.1.0",
     "outputs": {"x.pdf": {"sha256": ..., "brief": "x", "format": "pdf",
                           "inputs": [{"path": "briefs/x.yaml", "sha256": ...}, ...]}},
     "briefs": {"x": {"brief": "x", "key": ..., "fingerprint": ..., "settings": {...},
                      "inputs": [...], "outputs": {"x.pdf": sha256, ...},
                      "seal": ...}}}

A manifest is a hint, never an authority: it may be committed, copied from
another machine or edited by hand. Reading one keeps only well-formed entries
(each one dropped is reported), names only plain files inside the output
folder, and opens nothing but a regular file. A brief's entry counts towards
"up to date" only with a valid *seal*: an HMAC over its key, fingerprint,
settings and output hashes made with a secret kept outside the output folder
(in briefgen's cache folder, see ``secret_path``). So an entry written by hand,
or an output edited together with its sha256 in the manifest, is rebuilt, and
so is everything after a manifest from another machine: the seal is this
machine's, and merged manifests carry none.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.build.regular import HEX64, plain_name, read_regular
from briefgen.common.diagnostics import Diagnostic, InputError, Location
from briefgen.common.paths import cache_dir

MANIFEST_VERSION = 1
MAX_MANIFEST_BYTES = 100_000_000
_SECRET: bytes | None = None


def empty_manifest() -> dict[str, Any]:
    return {"manifest": MANIFEST_VERSION, "generator": f"briefgen {__version__}",
            "outputs": {}, "briefs": {}}


def secret_path() -> Path:
    """Where this machine's manifest secret lives: $BRIEFGEN_CACHE_DIR, else briefgen/ in
    $XDG_CACHE_HOME or ~/.cache."""
    return cache_dir() / "manifest-key"


def _secret() -> bytes:
    """This machine's secret; one for this process alone (so that no earlier build is
    trusted) when it can be neither read nor made."""
    global _SECRET
    if _SECRET is None:
        path = secret_path()
        try:
            try:
                _SECRET = read_regular(path, 1024)
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
                fresh = secrets.token_bytes(32)
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:  # another build made it just now: use theirs
                    _SECRET = read_regular(path, 1024)
                else:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(fresh)
                    _SECRET = fresh
        except (OSError, ValueError):
            _SECRET = secrets.token_bytes(32)
        if len(_SECRET) < 16:
            _SECRET = secrets.token_bytes(32)
    return _SECRET


def seal(entry_id: str, entry: dict[str, Any]) -> str:
    """The HMAC that vouches for a brief's entry: only this machine's builds can make it."""
    fields = {name: entry.get(name)
              for name in ("brief", "key", "fingerprint", "settings", "outputs")}
    message = json.dumps([entry_id, fields], sort_keys=True).encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def trusted(entry_id: str, entry: Any) -> bool:
    """True when the entry was written, as it is, by a build on this machine."""
    return (isinstance(entry, dict) and isinstance(entry.get("seal"), str)
            and hmac.compare_digest(entry["seal"], seal(entry_id, entry)))


def _inputs_ok(inputs: Any) -> bool:
    return isinstance(inputs, list) and all(
        isinstance(i, dict) and isinstance(i.get("path"), str) and isinstance(i.get("sha256"), str)
        for i in inputs)


def _hashes_ok(outputs: Any) -> bool:
    return isinstance(outputs, dict) and all(
        plain_name(name) and isinstance(sha, str) and HEX64.fullmatch(sha)
        for name, sha in outputs.items())


def _brief_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "is not a mapping"
    for name in ("key", "fingerprint"):
        if not isinstance(entry.get(name), str) or not HEX64.fullmatch(entry[name]):
            return f"has no valid {name}"
    if not isinstance(entry.get("settings"), dict):
        return "has no settings"
    if not _inputs_ok(entry.get("inputs")):
        return "has malformed inputs"
    if not _hashes_ok(entry.get("outputs")):
        return "names an output that is not a plain file name with a sha256"
    if "brief" in entry and not isinstance(entry["brief"], str):
        return "has a malformed brief id"
    if "seal" in entry and not isinstance(entry["seal"], str):
        return "has a malformed seal"
    return None


def _output_problem(name: Any, entry: Any) -> str | None:
    if not plain_name(name):
        return "is not a plain file name inside the output folder"
    if not isinstance(entry, dict):
        return "is not a mapping"
    if not isinstance(entry.get("sha256"), str) or not HEX64.fullmatch(entry["sha256"]):
        return "has no valid sha256"
    if not isinstance(entry.get("brief"), str) or not isinstance(entry.get("format"), str):
        return "has no brief or format"
    if not _inputs_ok(entry.get("inputs")):
        return "has malformed inputs"
    return None


def read_manifest(path: Path, problems: list[str] | None = None) -> dict[str, Any] | None:
    """The manifest at path with its well-formed entries, or None when it is missing,
    unreadable, not a regular file, not JSON or of another version.

    Each reason to ignore the manifest or one of its entries is appended to
    problems, for the build to report as a warning (a missing manifest is none).
    """
    report = problems if problems is not None else []
    try:
        data = json.loads(read_regular(path, MAX_MANIFEST_BYTES))
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # the output folder is a file: writing will say so
    except OSError as exc:
        report.append(f"ignored: cannot read it as a regular file "
                      f"({exc.strerror or exc})")
        return None
    except (ValueError, RecursionError) as exc:
        report.append(f"ignored: not valid JSON ({str(exc)[:120]})")
        return None
    if not isinstance(data, dict) or data.get("manifest") != MANIFEST_VERSION:
        report.append(f"ignored: not a briefgen manifest (version {MANIFEST_VERSION})")
        return None
    clean = {key: value for key, value in data.items() if key not in ("outputs", "briefs")}
    for section in ("briefs", "outputs"):
        entries = data.get(section, {})
        if not isinstance(entries, dict):
            report.append(f"ignored {section!r}: not a mapping")
            entries = {}
        kept: dict[str, Any] = {}
        for name, entry in entries.items():
            problem = (_brief_problem(entry) if section == "briefs"
                       else _output_problem(name, entry))
            if problem is not None:
                what = "brief" if section == "briefs" else "output"
                report.append(f"ignored the entry for {what} {str(name)[:80]!r}: it {problem}")
            else:
                kept[name] = entry
        clean[section] = kept
    return clean


def set_brief(manifest: dict[str, Any], brief_id: str, *, key: str, fingerprint: str,
              settings: dict[str, Any], inputs: list[dict[str, str]],
              outputs: dict[str, str], brief: str | None = None) -> None:
    """Record (or replace) one entry (brief_id: the brief and its variant, trade-memo-ja)
    and its outputs; brief is the brief's own id (trade), so later builds know whose
    files these are."""
    drop_brief(manifest, brief_id)
    entry = {"brief": brief or brief_id, "key": key, "fingerprint": fingerprint,
             "settings": settings,
             "inputs": inputs, "outputs": dict(sorted(outputs.items()))}
    entry["seal"] = seal(brief_id, entry)
    manifest["briefs"][brief_id] = entry
    for name, sha in outputs.items():
        manifest["outputs"][name] = {"sha256": sha, "brief": brief_id,
                                     "format": name.rsplit(".", 1)[-1], "inputs": inputs}


def refresh(manifest: dict[str, Any], brief_id: str, fingerprint: str) -> None:
    """Record that a trusted, up-to-date entry holds for the workspace as it is now."""
    entry = manifest["briefs"][brief_id]
    entry["fingerprint"] = fingerprint
    entry["seal"] = seal(brief_id, entry)


def copy_brief(source: dict[str, Any], target: dict[str, Any], brief_id: str) -> None:
    """Put source's entry for brief_id, and its outputs' records, into target."""
    drop_brief(target, brief_id)
    entry = source["briefs"][brief_id]
    target["briefs"][brief_id] = entry
    for name in entry.get("outputs", {}):
        if name in source["outputs"]:
            target["outputs"][name] = source["outputs"][name]


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder while a build writes into it.

    The lock is flock(2) on the folder itself, so no lock file is left behind and
    a killed build's lock goes with its process. Where there is no flock (Windows)
    or the folder cannot be made or opened, the build goes on unlocked: writing
    will report the folder's problem.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def drop_brief(manifest: dict[str, Any], brief_id: str) -> None:
    old = manifest["briefs"].pop(brief_id, None)
    if old:
        for name in old.get("outputs", {}):
            manifest["outputs"].pop(name, None)


def dumps(manifest: dict[str, Any]) -> str:
    ordered = dict(manifest)
    ordered["outputs"] = dict(sorted(manifest["outputs"].items()))
    ordered["briefs"] = dict(sorted(manifest["briefs"].items()))
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def merge(paths: Sequence[Path]) -> dict[str, Any]:
    """Join shard manifests; raise InputError when two of them disagree on an entry.

    The same entry in two manifests (equal in every field) is fine: shards
    that overlap by accident still merge when they built the same bytes. Seals
    are left out: each shard's machine made its own, and a merged manifest is
    a record of what was built, never proof that a later build may skip it.
    """
    merged = empty_manifest()
    seen: dict[tuple[str, str], Path] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        found: list[str] = []
        data = read_manifest(path, found)
        problems.extend(Diagnostic(Location(str(path)), text, code="manifest") for text in found)
        if data is None:
            if not found:
                problems.append(Diagnostic(Location(str(path)), "no such file", code="manifest"))
            continue
        for section in ("outputs", "briefs"):
            for name, entry in data[section].items():
                if section == "briefs":
                    entry = {k: v for k, v in entry.items() if k != "seal"}
                if name in merged[section] and merged[section][name] != entry:
                    what = "output" if section == "outputs" else "brief"
                    problems.append(Diagnostic(
                        Location(str(path)),
                        f"conflicting entry for {what} {name!r} (also in {seen[(section, name)]})",
                        code="manifest-conflict",
                        hint="the shards were built from different inputs or settings"))
                    continue
                merged[section][name] = entry
                seen.setdefault((section, name), path)
    if problems:
        raise InputError(problems)
    return merged
