"""output/manifest.json: every output with its sha256 and the inputs it came from.

The manifest is also the incremental cache: each brief's entry keeps the key
its outputs were built with (see briefgen.build.cache). A sharded CI build writes one
manifest per shard; ``briefgen manifest merge`` joins them and refuses entries
that disagree.

Shape::

    {"manifest": 1, "generator": "briefgen 0.1.0",
     "outputs": {"x.pdf": {"sha256": ..., "brief": "x", "format": "pdf",
                           "inputs": [{"path": "briefs/x.yaml", "sha256": ...}, ...]}},
     "briefs": {"x": {"key": ..., "fingerprint": ..., "settings": {...},
                      "inputs": [...], "outputs": {"x.pdf": sha256, ...}}}}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.common.diagnostics import Diagnostic, InputError, Location

MANIFEST_VERSION = 1


def empty_manifest() -> dict[str, Any]:
    return {"manifest": MANIFEST_VERSION, "generator": f"briefgen {__version__}",
            "outputs": {}, "briefs": {}}


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at path, or None when it is missing, unreadable or of another version."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("manifest") != MANIFEST_VERSION:
        return None
    if not isinstance(data.get("outputs"), dict) or not isinstance(data.get("briefs"), dict):
        return None
    return data


def set_brief(manifest: dict[str, Any], brief_id: str, *, key: str, fingerprint: str,
              settings: dict[str, Any], inputs: list[dict[str, str]],
              outputs: dict[str, str]) -> None:
    """Record (or replace) one brief and its outputs."""
    drop_brief(manifest, brief_id)
    manifest["briefs"][brief_id] = {"key": key, "fingerprint": fingerprint, "settings": settings,
                                    "inputs": inputs, "outputs": dict(sorted(outputs.items()))}
    for name, sha in outputs.items():
        manifest["outputs"][name] = {"sha256": sha, "brief": brief_id,
                                     "format": name.rsplit(".", 1)[-1], "inputs": inputs}


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
    that overlap by accident still merge when they built the same bytes.
    """
    merged = empty_manifest()
    seen: dict[tuple[str, str], Path] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        data = read_manifest(path)
        if data is None:
            problems.append(Diagnostic(Location(str(path)),
                                       f"not a briefgen manifest (version {MANIFEST_VERSION})",
                                       code="manifest"))
            continue
        for section in ("outputs", "briefs"):
            for name, entry in data[section].items():
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
