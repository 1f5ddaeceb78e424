"""Incremental builds: decide from content hashes which briefs are up to date.

A brief's *key* is a hash of everything its outputs are made from: the brief
file, the option files it includes (and those its options refer to, whose
titles it prints), every template file in the lookup path, briefgen's version,
the build settings (formats, PDF mode) and the versions of what draws the
outputs (matplotlib, WeasyPrint, Pango, python-docx, the installed fonts): after
an upgrade, old renderings are out of date. The key and the sha256 of each
output are kept in the output folder's manifest.json (see briefgen.build.manifest).

This module imports nothing heavy on purpose. When nothing changed at all,
``build`` answers from here and briefgen.build.manifest alone: it hashes the files,
compares with the manifest and stops, without importing pydantic, Jinja or
WeasyPrint and without parsing a single YAML file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.common.engines import (
    PDF_PACKAGES,
    fonts_fingerprint,
    package_version,
    pango_version,
)
from briefgen.common.paths import builtin_templates
from briefgen.inputs.discovery import is_source_name

BUILTIN_PREFIX = "briefgen:templates/"
MANIFEST_NAME = "manifest.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _yaml_files(folder: Path) -> Iterable[os.DirEntry[str]]:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    # Every name the loader reads, whatever it is: hash_inside decides what may be read.
    return [e for e in entries if is_source_name(e.name)]


REFUSED = "refused"  # the "hash" of a file that is not read: outside its root, or not regular


def hash_inside(path: str, root: str) -> str:
    """The sha256 of a regular file that really lies under root (a real path), else
    REFUSED, decided before a byte is read: a symlink out of the workspace (to a
    secret, to /dev/zero) is never opened, and nothing but a regular file is read.
    A refused file still changes the fingerprint, so the no-op check gives way to
    the full build, which reports it."""
    real = os.path.realpath(path)
    if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
        return REFUSED
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError:
        return REFUSED
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return REFUSED
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _tree_files(folder: Path) -> Iterable[tuple[str, str]]:
    """(relative posix path, absolute path) of every file under folder, hidden ones skipped."""
    if not folder.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "__pycache__"))]
        for name in filenames:
            full = os.path.join(dirpath, name)
            if name.startswith("."):
                continue
            found.append((os.path.relpath(full, folder).replace(os.sep, "/"), full))
    return found


@dataclass(frozen=True)
class Scan:
    """The sha256 of every file a build can read, by label, and one fingerprint over all.

    Labels are stable across machines: ``options/x.yaml``, ``briefs/y.yaml``,
    ``templates/brief.css`` (the workspace's own), ``assets/logo.png`` and
    ``briefgen:templates/...`` (the built-in theme).
    """

    files: dict[str, str]
    fingerprint: str

    @property
    def shared(self) -> list[tuple[str, str]]:
        """The files any brief may read: templates, and assets that a theme's CSS or an
        option's Markdown pulls in. Which brief uses which asset is only known once it is
        rendered, so a changed asset rebuilds every brief."""
        return [(label, sha) for label, sha in sorted(self.files.items())
                if label.startswith(("templates/", "assets/", BUILTIN_PREFIX))]

    def as_parsed(self, parsed: dict[str, str]) -> Scan:
        """This scan with the hashes of the bytes the loader parsed in place of those
        read now: a file saved between the two must make the next build rebuild (its
        hash then differs from the one recorded), never leave the manifest vouching
        for text the output does not hold."""
        files = {**self.files, **{label: sha for label, sha in parsed.items()
                                  if label in self.files}}
        return Scan(files, _fingerprint(files))

    def brief_stems(self) -> list[str]:
        return sorted({os.path.splitext(label[len("briefs/"):])[0]
                       for label in self.files if label.startswith("briefs/")})


def scan_workspace(root: Path) -> Scan:
    """Hash the option, brief, template and asset files of a workspace (a few ms per 100
    files)."""
    files: dict[str, str] = {}
    real_root = os.path.realpath(root)
    for folder in ("options", "briefs"):
        for entry in _yaml_files(root / folder):
            files[f"{folder}/{entry.name}"] = hash_inside(entry.path, real_root)
    for folder in ("templates", "assets"):
        for rel, full in _tree_files(root / folder):
            files[f"{folder}/{rel}"] = hash_inside(full, real_root)
    builtin = builtin_templates()
    real_builtin = os.path.realpath(builtin)
    for rel, full in _tree_files(builtin):
        files[BUILTIN_PREFIX + rel] = hash_inside(full, real_builtin)
    return Scan(files, _fingerprint(files))


def _fingerprint(files: dict[str, str]) -> str:
    digest = hashlib.sha256(f"briefgen {__version__}\n".encode())
    for label in sorted(files):
        digest.update(f"{label}\0{files[label]}\n".encode())
    return digest.hexdigest()


# briefgen.build.pipeline.Publish's defaults, spelled out so the no-op path need not import it.
DEFAULT_PUBLISH: dict[str, Any] = {"template": "brief", "paper": "a4", "pdf_variant": None,
                                   "lang": None}


# The packages whose version changes the bytes of an output, by format ("*": every
# format: the charts are drawn by matplotlib, acceptability draws come from numpy).
RENDERERS: dict[str, tuple[str, ...]] = {"*": ("matplotlib", "numpy"),
                                         "pdf": PDF_PACKAGES,
                                         "docx": ("python-docx",)}
def renderer_versions(formats: Sequence[str]) -> dict[str, str]:
    """What draws these formats, by name and version; part of every brief's key."""
    names = [*RENDERERS["*"], *(n for f in sorted(set(formats)) for n in RENDERERS.get(f, ()))]
    versions = {name: package_version(name) for name in names}
    if "pdf" in formats:
        versions["pango"] = pango_version()
    versions["fonts"] = fonts_fingerprint()
    return versions


def build_settings(formats: Sequence[str], split: bool,
                   publish: dict[str, Any] | None = None) -> dict[str, Any]:
    """The build options that change output bytes, with the versions of the renderers;
    part of every brief's key."""
    return {"formats": sorted(set(formats)), "split_long_pdfs": bool(split and "pdf" in formats),
            **DEFAULT_PUBLISH, **(publish or {}), "renderers": renderer_versions(formats)}


def entry_id(brief_id: str, template: str, lang: str | None = None) -> str:
    """The manifest entry of a brief built with a template (the memo has its own) and, with
    --lang, in a language (each has its own); also the stem of the output files' names."""
    parts = [brief_id, *([template] if template != "brief" else []), *([lang] if lang else [])]
    return "-".join(parts)


def brief_key(scan: Scan, input_labels: Sequence[str], settings: dict[str, Any]) -> str:
    digest = hashlib.sha256(f"briefgen {__version__}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True).encode() + b"\n")
    for label in input_labels:
        digest.update(f"{label}\0{scan.files.get(label, 'missing')}\n".encode())
    for label, sha in scan.shared:
        digest.update(f"{label}\0{sha}\n".encode())
    return digest.hexdigest()


def shard_select(brief_ids: Sequence[str], shard: tuple[int, int] | None) -> list[str]:
    """Shard K of N (1-based): round-robin over the sorted ids, so shards differ by at most one.

    The share depends only on the set of brief ids, so every matrix job computes
    the same partition without talking to the others.
    """
    ordered = sorted(brief_ids)
    if shard is None:
        return ordered
    k, n = shard
    return [b for i, b in enumerate(ordered) if i % n == k - 1]


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); ValueError with a message for anything else."""
    try:
        k_text, n_text = text.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise ValueError(f"expected K/N such as 1/4, got {text!r}") from None
    if not 1 <= k <= n:
        raise ValueError(f"shard {k}/{n}: K must be between 1 and N")
    return k, n


def outputs_intact(out_dir: Path, outputs: object) -> bool:
    """True when every recorded output is a regular file in out_dir with the recorded sha256.

    The names come from the manifest, which anyone may have edited: a name that is
    not a plain file name (``../../etc/passwd``, ``/dev/zero``) is never opened, and
    neither is a symlink, FIFO or device; each makes the brief out of date.
    """
    from briefgen.build.regular import plain_name, sha256_regular

    if not isinstance(outputs, dict):
        return False
    for name, sha in outputs.items():
        if not plain_name(name):
            return False
        try:
            if sha256_regular(out_dir / name) != sha:
                return False
        except OSError:
            return False
    return True


def up_to_date(root: Path, out_dir: Path, brief_ids: Sequence[str], formats: Sequence[str],
               split: bool, shard: tuple[int, int] | None,
               publish: dict[str, Any] | None = None) -> list[str] | None:
    """The fast no-op check: the selected briefs if all of them are up to date, else None.

    Up to date means: the manifest records each brief with the fingerprint of
    the whole workspace as it is now (so no file changed, appeared or went away,
    and every file was valid then), the same settings, and outputs that still
    exist with the recorded sha256. Anything else returns None and the caller
    takes the full path (load, validate, per-brief keys).
    """
    from briefgen.build.manifest import read_manifest, trusted

    problems: list[str] = []
    manifest = read_manifest(out_dir / MANIFEST_NAME, problems)
    if manifest is None or problems:
        return None  # the full path reports what is wrong with it
    scan = scan_workspace(root)
    stems = scan.brief_stems()
    if not stems or len(stems) != sum(label.startswith("briefs/") for label in scan.files):
        return None  # no briefs, or x.yaml next to x.yml: let the full path explain
    if brief_ids:
        if any(b not in stems for b in brief_ids):
            return None
        selected = list(dict.fromkeys(brief_ids))
    else:
        selected = shard_select(stems, shard)
    settings = build_settings(formats, split, publish)
    template = (publish or {}).get("template", "brief")
    lang = (publish or {}).get("lang")
    briefs = manifest.get("briefs", {})
    for brief_id in selected:
        ident = entry_id(brief_id, template, lang)
        entry = briefs.get(ident)
        if (entry is None or not trusted(ident, entry)
                or entry.get("fingerprint") != scan.fingerprint
                or entry.get("settings") != settings
                or not outputs_intact(out_dir, entry.get("outputs", {}))):
            return None
    return selected
