"""Find, load and validate every option and brief file of a workspace.

A workspace is a folder with ``options/`` (one YAML file per option) and
``briefs/`` (one YAML file per brief). Loading it runs stages 1 and 2 of the
pipeline for every file and then the cross-file rules, collecting every
problem so that one run reports them all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from briefgen.common.diagnostics import Diagnostic, InputError, Location, Report
from briefgen.inputs.load import DEFAULT_LIMITS, Limits, SourceFile, load_file
from briefgen.inputs.models import Brief, Option
from briefgen.inputs.placeholders import find_placeholders
from briefgen.inputs.validate import validate_source

Kind = Literal["option", "brief"]
FOLDERS: dict[Kind, str] = {"option": "options", "brief": "briefs"}
YAML_SUFFIXES = (".yaml", ".yml")


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
        from briefgen.inputs.localize import localize

        return replace(self, options={k: localize(v, lang) for k, v in self.options.items()},
                       briefs={k: localize(v, lang) for k, v in self.briefs.items()})

    def source(self, kind: Kind, ident: str) -> SourceFile:
        return self.sources[(kind, ident)]

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

    def input_digest(self, brief: Brief) -> InputDigest:
        """The sha256 of a brief's inputs; see InputDigest. Reads the files' bytes."""
        files = []
        for path in self.input_paths(brief):
            rel = path.relative_to(self.root).as_posix()
            files.append((rel, hashlib.sha256(path.read_bytes()).hexdigest()))
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


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def discover(root: Path, kind: Kind) -> list[Path]:
    folder = root / FOLDERS[kind]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def load_workspace(root: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Workspace, Report]:
    """Load and validate every file; the report holds every problem found."""
    from briefgen.inputs.rules import check_rules

    root = root.resolve()
    workspace = Workspace(root)
    report = Report()
    if not (root / "options").is_dir() and not (root / "briefs").is_dir():
        report.add(Diagnostic(Location(display_path(root)),
                              "not a briefgen workspace: no options/ or briefs/ folder",
                              code="workspace", hint="run briefgen in your workspace, "
                              "pass --workspace DIR, or create one with briefgen init"))
        return workspace, report
    from briefgen.inputs.safety import markdown_warnings, outside, symlink_escapes

    report.extend(symlink_escapes(root, display_path))
    models: dict[Kind, type[Option] | type[Brief]] = {"option": Option, "brief": Brief}
    for kind, model in models.items():
        for path in discover(root, kind):
            display = display_path(path)
            if outside(path, root) is not None:  # reported above; never read what it points to
                workspace.broken.add((kind, path.stem))
                continue
            try:
                source = load_file(path, display, limits)
            except InputError as exc:
                report.extend(exc.diagnostics)
                workspace.broken.add((kind, path.stem))
                continue
            report.extend(source.warnings)
            report.extend(find_placeholders(source))
            instance, problems = validate_source(source, model)
            report.extend(problems)
            if instance is None:
                workspace.broken.add((kind, path.stem))
                continue
            report.extend(markdown_warnings(source, instance, root))
            key = (kind, instance.id)
            if instance.id != path.stem:
                report.add(Diagnostic(source.locate(("id",)),
                                      f"id {instance.id!r} does not match the file name "
                                      f"{path.name!r}", field="id", code="id-mismatch",
                                      hint=f"rename the file to {instance.id}.yaml or set id: "
                                      f"{path.stem}"))
                continue
            if key in workspace.sources:
                first = workspace.sources[key].path
                report.add(Diagnostic(source.locate(("id",)),
                                      f"duplicate {kind} id {instance.id!r} (also in {first})",
                                      field="id", code="duplicate-id"))
                continue
            workspace.sources[key] = source
            workspace.paths[key] = path
            if isinstance(instance, Option):
                workspace.options[instance.id] = instance
            else:
                workspace.briefs[instance.id] = instance
    report.extend(check_rules(workspace))
    return workspace, report
