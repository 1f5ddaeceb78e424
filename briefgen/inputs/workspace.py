"""A workspace's validated files, and the fingerprint of what each brief is built from.

briefgen.inputs.loader fills a Workspace; every later stage reads from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from briefgen.common.diagnostics import Diagnostic, Severity
from briefgen.common.fieldpath import FieldPath, format_path
from briefgen.inputs.discovery import YAML_SUFFIXES as YAML_SUFFIXES
from briefgen.inputs.load import SourceFile
from briefgen.inputs.localize import localize
from briefgen.inputs.models import Brief, Option

Kind = Literal["option", "brief"]
FOLDERS: dict[Kind, str] = {"option": "options", "brief": "briefs"}


@dataclass
class Workspace:
    """The validated content of a workspace, with the source of every file."""

    root: Path
    options: dict[str, Option] = field(default_factory=dict)
    briefs: dict[str, Brief] = field(default_factory=dict)
    sources: dict[tuple[Kind, str], SourceFile] = field(default_factory=dict)
    paths: dict[tuple[Kind, str], Path] = field(default_factory=dict)
    # Files that failed to load or validate, by file stem: rules that refer to them
    # stay quiet, since the file's own errors already explain the problem.
    broken: set[tuple[Kind, str]] = field(default_factory=set)

    def localized(self, lang: str) -> Workspace:
        """The same workspace with every bilingual text resolved to ``lang``."""
        return replace(self, options={k: localize(v, lang) for k, v in self.options.items()},
                       briefs={k: localize(v, lang) for k, v in self.briefs.items()})

    def source(self, kind: Kind, ident: str) -> SourceFile:
        return self.sources[(kind, ident)]

    def problem(self, kind: Kind, ident: str, path: FieldPath, message: str, *, code: str,
                hint: str | None = None, key: bool = False,
                severity: Severity = Severity.ERROR) -> Diagnostic:
        """A diagnostic at ``path`` in the file of option or brief ``ident``: how every
        cross-file rule reports, so each problem lands in the file a user has to change."""
        return Diagnostic(self.source(kind, ident).locate(path, key=key), message,
                          field=format_path(path), code=code, hint=hint, severity=severity)

    def option_ids(self, brief: Brief) -> list[str]:
        """The options a brief compares: its list, or every option (sorted) when it has none,
        less the options it sets aside."""
        aside = set(self.set_aside_ids(brief))
        if brief.options is not None:
            return [i for i in dict.fromkeys(brief.options) if i not in aside]
        return [i for i in sorted(self.options) if i not in aside]

    def set_aside_ids(self, brief: Brief) -> list[str]:
        """The options a brief considered and set aside, in the brief's order."""
        return list(dict.fromkeys(s.option for s in brief.set_aside))

    def input_paths(self, brief: Brief) -> list[Path]:
        """Every file whose content reaches a brief's outputs, for the build cache, the
        inputs hash and PDF attachments: the brief, the options it compares, the options
        it sets aside, and the options those it compares depend on or conflict with
        (their titles are printed)."""
        compared = self.option_ids(brief)
        related = [r for i in compared if i in self.options
                   for r in (*self.options[i].relations.depends_on,
                             *self.options[i].relations.conflicts_with)]
        ids = [i for i in dict.fromkeys([*compared, *self.set_aside_ids(brief), *related])
               if ("option", i) in self.paths]
        return [self.paths[("brief", brief.id)], *(self.paths[("option", i)] for i in ids)]

    def parsed(self) -> dict[str, tuple[str, int]]:
        """{workspace-relative path: (sha256, size) of the bytes that were parsed} of every
        loaded option and brief file."""
        return {self.paths[key].relative_to(self.root).as_posix(): (source.sha256, source.size)
                for key, source in self.sources.items() if key in self.paths and source.sha256}

    def parsed_sha256(self) -> dict[str, str]:
        return {rel: sha for rel, (sha, _size) in self.parsed().items()}

    def input_digest(self, brief: Brief) -> InputDigest:
        """The sha256 of a brief's inputs, as they were parsed; see InputDigest."""
        parsed = self.parsed_sha256()
        files = []
        for path in self.input_paths(brief):
            rel = path.relative_to(self.root).as_posix()
            digest = parsed.get(rel) or hashlib.sha256(path.read_bytes()).hexdigest()
            files.append((rel, digest))
        return InputDigest.of(files)


@dataclass(frozen=True)
class InputDigest:
    """A fingerprint of every file a brief is built from.

    Definition: take the files of Workspace.input_paths (the brief, and every option
    file it compares, sets aside, or names through its options' relations);
    sort them by path relative to the workspace (forward slashes, by code point); write
    one line per file, ``<sha256 of the file's bytes in hex>  <path>`` followed by a
    newline (the format of ``sha256sum``); the digest is the sha256 of those lines. So
    ``sha256sum <the files in that order> | sha256sum``, run in the workspace, gives it.
    """

    sha256: str
    files: tuple[tuple[str, str], ...]  # (path relative to the workspace, sha256), sorted

    @classmethod
    def of(cls, files: list[tuple[str, str]]) -> InputDigest:
        ordered = tuple(sorted(files))
        manifest = "".join(f"{digest}  {rel}\n" for rel, digest in ordered)
        return cls(hashlib.sha256(manifest.encode("utf-8")).hexdigest(), ordered)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(rel for rel, _ in self.files)
