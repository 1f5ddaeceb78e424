"""Checks that keep an untrusted workspace from reaching outside itself.

Option and brief files may come from outside contributors through pull
requests, so a workspace is input like any other: these checks turn what
would reach outside it (a symlink out of the workspace, a link or image that
would be dropped) into located diagnostics that ``briefgen check`` shows.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefgen.common.diagnostics import Diagnostic, Location, Severity
from briefgen.common.fieldpath import FieldPath, format_path
from briefgen.common.markdown import refusals, stray_emphasis
from briefgen.common.paths import READ_FOLDERS, display_path
from briefgen.inputs.load import SourceFile, iter_paths
from briefgen.inputs.workspace import Kind, Workspace


def _marks_markdown(item: Any) -> bool:
    extra = getattr(item, "json_schema_extra", None)
    return isinstance(extra, dict) and extra.get("contentMediaType") == "text/markdown"


def _has_markdown(annotation: Any) -> bool:
    """True when the type is Markdown text, also inside Optional or the text-or-bilingual
    union (LocalMarkdown), whose metadata pydantic does not lift onto the field."""
    return any(_marks_markdown(arg) or _has_markdown(arg)
               for arg in typing.get_args(annotation))


def _is_markdown(model: type[BaseModel], name: str) -> bool:
    field = model.model_fields[name]
    return _marks_markdown(field) or any(_marks_markdown(m) for m in field.metadata) \
        or _has_markdown(field.annotation)


def markdown_fields(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """(path, text) of every Markdown field in a validated model, however deeply nested."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if isinstance(child, str) and _is_markdown(type(value), name):
                yield (*path, name), child
            else:
                yield from markdown_fields(child, (*path, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from markdown_fields(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from markdown_fields(item, (*path, key))


def markdown_warnings(source: SourceFile, instance: BaseModel, root: Path) -> list[Diagnostic]:
    """A located warning for each link or image a Markdown field holds that is not output."""
    out = []
    for path, text in markdown_fields(instance):
        for refusal in refusals(text, root):
            out.append(Diagnostic(source.locate(path), refusal.message(), field=format_path(path),
                                  severity=Severity.WARNING, code=f"refused-{refusal.kind}",
                                  hint="see docs/security.md"))
        for context in stray_emphasis(text):
            out.append(Diagnostic(
                source.locate(path),
                f"'**' is printed as two asterisks in {context!r}: Markdown closes bold "
                "after punctuation only before a space or more punctuation",
                field=format_path(path), severity=Severity.WARNING, code="stray-emphasis",
                hint="put the punctuation outside the bold, as in **25**%に, or the next "
                     "letter inside it, as in **25%に**"))
    return out


def outside(path: Path, root: Path) -> Path | None:
    """Where ``path`` really leads when that is outside ``root`` (symlinks followed), else None."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop; a NUL in the name
        return path
    return None if target.is_relative_to(root.resolve()) else target


def symlink_escapes(root: Path, display: Any) -> list[Diagnostic]:
    """An error for each file or folder briefgen reads that is a symlink leading outside root.

    ``display`` turns a path into the form the user sees (relative to the current folder).
    """
    root = root.resolve()
    out: list[Diagnostic] = []
    for name in READ_FOLDERS:
        folder = root / name
        if not (folder.is_symlink() or folder.exists()):
            continue
        candidates = [folder]
        if folder.is_dir() and outside(folder, root) is None:
            for dirpath, dirnames, filenames in os.walk(folder):  # does not follow symlinks
                base = Path(dirpath)
                candidates.extend(base / n for n in (*dirnames, *filenames))
        for path in candidates:
            if not path.is_symlink():
                continue
            target = outside(path, root)
            if target is not None:
                out.append(Diagnostic(
                    Location(display(path)),
                    f"is a symlink that leads outside the workspace (to {target})",
                    code="symlink-escape",
                    hint="replace the link with the file itself, inside the workspace"))
    return out


def _url_needles(url: str) -> list[list[str]]:
    """Forms in which a URL WeasyPrint asked for may be written in a file, surest first."""
    from urllib.parse import unquote, urlsplit

    exact = list(dict.fromkeys([url, unquote(url)]))
    parts = urlsplit(url)
    name = Path(unquote(parts.path)).name if parts.scheme == "file" else ""
    return [exact, [name]] if len(name) >= 3 else [exact]


def locate_url(url: str, ws: Workspace, brief_id: str) -> tuple[Location, str]:
    """Where a URL the PDF renderer refused was written: (location, field).

    Looks in the string fields of the brief and of the options it compares
    (their Markdown is where contributors write links and images), then in the
    workspace's own templates, for the URL itself and then for its file name
    (a relative URL reaches WeasyPrint resolved); else points at the brief.
    """
    brief = ws.briefs[brief_id]
    keys: list[tuple[Kind, str]] = [("brief", brief_id)]
    keys += [("option", i) for i in ws.option_ids(brief)]
    templates = ws.root / "templates"
    template_files = sorted(p for p in templates.rglob("*") if p.is_file()) \
        if templates.is_dir() else []
    for needles in _url_needles(url):
        for key in keys:
            source: SourceFile | None = ws.sources.get(key)
            if source is None:
                continue
            for path, value in iter_paths(source.data):
                if isinstance(value, str) and any(n in value for n in needles):
                    return source.locate(path), format_path(path)
        for file in template_files:
            try:
                lines = file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for lineno, line in enumerate(lines, 1):
                for needle in needles:
                    if (column := line.find(needle)) >= 0:
                        return Location(display_path(file), lineno, column + 1), ""
    return ws.source("brief", brief_id).locate(()), ""
