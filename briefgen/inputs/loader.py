"""Find, load and validate every option and brief file of a workspace.

A workspace is a folder with ``options/`` (one YAML file per option) and
``briefs/`` (one YAML file per brief), and optionally ``briefgen.toml`` (its
settings, see ``config``). Loading it runs load and validate for
every file and then the cross-file rules, collecting every problem so that one
run reports them all.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.common.diagnostics import Diagnostic, InputError, Location, Report, Severity
from briefgen.common.paths import display_path
from briefgen.inputs.config import load_config
from briefgen.inputs.discovery import is_source_name
from briefgen.inputs.load import DEFAULT_LIMITS, Limits, load_file
from briefgen.inputs.models import SLUG_PATTERN, Brief, Option
from briefgen.inputs.placeholders import find_placeholders
from briefgen.inputs.rules import check_rules
from briefgen.inputs.safety import markdown_warnings, outside, symlink_escapes
from briefgen.inputs.validate import validate_source
from briefgen.inputs.workspace import FOLDERS, YAML_SUFFIXES, Kind, Workspace


def discover(root: Path, kind: Kind) -> list[Path]:
    folder = root / FOLDERS[kind]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if is_source_name(p.name) and p.is_file())


def not_loaded(root: Path, kind: Kind) -> list[Diagnostic]:
    """A warning for each file in options/ or briefs/ that is not read, saying why: a
    file someone meant as an option (x.json, x.YAML) must not just be missing from the
    briefs. Hidden files and Markdown notes (README.md) are left alone."""
    folder = root / FOLDERS[kind]
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if (path.suffix in YAML_SUFFIXES or path.name.startswith(".")
                or path.suffix.lower() in (".md", ".txt") or not path.is_file()):
            continue
        rename = f"{path.stem}.yaml"
        why = ("JSON is valid YAML: rename it to " + rename if path.suffix.lower() == ".json"
               else "rename it to " + rename if path.suffix.lower() in YAML_SUFFIXES
               else f"rename it to {rename} if it is one")
        found.append(Diagnostic(Location(display_path(path)),
                                f"not loaded: only .yaml and .yml files in {FOLDERS[kind]}/ "
                                f"are read as {kind}s", severity=Severity.WARNING,
                                code="not-loaded", hint=why))
    return found


def load_workspace(root: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Workspace, Report]:
    """Load and validate every file; the report holds every problem found."""
    root = root.resolve()
    workspace = Workspace(root)
    report = Report()
    for kind, folder in FOLDERS.items():
        if (root / folder).exists() and not (root / folder).is_dir():
            report.add(Diagnostic(Location(display_path(root / folder)),
                                  f"{folder} is a file, not a folder: briefgen reads each "
                                  f"{kind} from its own file in {folder}/", code="workspace",
                                  hint=f"move it aside and make {folder}/ a folder"))
    if report.errors:
        return workspace, report
    if not (root / "options").is_dir() and not (root / "briefs").is_dir():
        report.add(Diagnostic(Location(display_path(root)),
                              "not a briefgen workspace: no options/ or briefs/ folder",
                              code="workspace", hint="run briefgen in your workspace, "
                              "pass --workspace DIR, or create one with briefgen init"))
        return workspace, report
    report.extend(symlink_escapes(root, display_path))
    report.extend(load_config(root)[1])  # briefgen.toml, when there is one
    models: dict[Kind, type[Option] | type[Brief]] = {"option": Option, "brief": Brief}
    for kind, model in models.items():
        report.extend(not_loaded(root, kind))
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
                                      hint=f"rename the file to {instance.id}.yaml" + (
                                          f" or set id: {path.stem}"
                                          if re.fullmatch(SLUG_PATTERN, path.stem) else "")))
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
