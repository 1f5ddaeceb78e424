"""Handling levels (issue 16): where each part of a file stands, and the rules on marks.

A brief declares its levels, lowest first (``levels:``). Any option, brief, list item or
brief section that is a ``Marked`` model may carry ``level:`` and ``tags:``; any other
field or list item gets a level through its file's ``field_levels`` (by field path). A
part's effective level is the highest of its own mark and its parent's: unmarked content
inherits, and a mark can only raise it. An option's parent is the brief it is built into.

This module only reads validated models: the edition filter (briefgen.present.editions)
and the leak check (briefgen.build.leaks) walk the same parts with ``portions``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefgen.common.diagnostics import Diagnostic, Severity
from briefgen.common.fieldpath import FieldPath
from briefgen.common.suggest import suggest
from briefgen.inputs.models import Bilingual, Brief, Level, Marked, Option
from briefgen.inputs.workspace import Kind, Workspace

_PART = re.compile(r"\.?([a-z0-9_-]+)|\[(\d+)\]")
BUILTIN_TEMPLATES = ("brief", "memo", "press-lines")


def parse_path(text: str) -> FieldPath:
    """``benefits[2]`` -> ("benefits", 2); ``cost.basis`` -> ("cost", "basis")."""
    return tuple(int(m.group(2)) if m.group(2) is not None else m.group(1)
                 for m in _PART.finditer(text))


def declared(brief: Brief) -> list[Level]:
    """The brief's levels, lowest first, each with its portion mark (its name's initials
    when the brief gives none)."""
    out = []
    for item in brief.levels:
        if isinstance(item, Level):
            out.append(item)
        else:
            initials = "".join(w[0] for w in re.split(r"[\s_-]+", item) if w) or item[:1]
            out.append(Level(name=item, mark=initials.upper()))
    return out


@dataclass(frozen=True)
class Ladder:
    """The order of a brief's levels: compare names, find the highest."""

    names: tuple[str, ...]
    marks: Mapping[str, str]

    @classmethod
    def of(cls, brief: Brief) -> Ladder:
        levels = declared(brief)
        return cls(tuple(lv.name for lv in levels), {lv.name: lv.mark for lv in levels})

    @property
    def lowest(self) -> str | None:
        return self.names[0] if self.names else None

    def rank(self, name: str | None) -> int:
        """0 for the lowest (and for no level); an undeclared name counts as the highest,
        so a typo never releases anything (check reports it)."""
        if name is None:
            return 0
        return self.names.index(name) if name in self.names else len(self.names)

    def top(self, *names: str | None) -> str | None:
        known = [n for n in names if n is not None]
        return max(known, key=self.rank) if known else self.lowest

    def above(self, name: str | None, limit: str) -> bool:
        return self.rank(name) > self.rank(limit)


@dataclass(frozen=True)
class Portion:
    """One part of a file with its effective level and tags (inherited ones included)."""

    kind: Kind
    ident: str
    path: FieldPath
    level: str | None
    tags: frozenset[str]
    value: Any  # the model, list or plain value at path


def portions(kind: Kind, ident: str, model: BaseModel, ladder: Ladder,
             base: str | None = None, base_tags: frozenset[str] = frozenset()
             ) -> Iterator[Portion]:
    """Every part of ``model`` (itself first, then depth first), with its effective level:
    the top of its own mark(s) and its parent's. ``base`` is the level of what holds the
    file (the brief, for an option)."""
    field_levels = {parse_path(k): v for k, v in getattr(model, "field_levels", {}).items()}

    def walk(node: Any, path: FieldPath, level: str | None, tags: frozenset[str]
             ) -> Iterator[Portion]:
        own = [field_levels.get(path)]
        if isinstance(node, Marked):
            own.append(node.level)
            tags = tags | frozenset(node.tags)
        if any(own):
            level = ladder.top(level, *own)
        yield Portion(kind, ident, path, level, tags, node)
        if isinstance(node, Bilingual):
            return  # one text in two languages: a leaf
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                if name in ("level", "tags", "field_levels", "levels", "editions"):
                    continue
                yield from walk(getattr(node, name), (*path, name), level, tags)
        elif isinstance(node, list | tuple):
            for i, item in enumerate(node):
                yield from walk(item, (*path, i), level, tags)
        elif isinstance(node, dict):
            for key, item in node.items():
                yield from walk(item, (*path, key), level, tags)

    yield from walk(model, (), base, base_tags)


def texts(value: Any) -> list[str]:
    """Every piece of text in a value: each language of a bilingual text, every string of a
    list or model (ids and fixed choices included; the leak check decides what counts)."""
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, Bilingual):
        out.extend(t for t in (value.en, value.ja) if isinstance(t, str))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("level", "tags", "field_levels", "levels", "editions"):
                out.extend(texts(getattr(value, name)))
    elif isinstance(value, list | tuple):
        for item in value:
            out.extend(texts(item))
    elif isinstance(value, dict):
        for item in value.values():
            out.extend(texts(item))
    return out


def brief_level(brief: Brief) -> str | None:
    ladder = Ladder.of(brief)
    return ladder.top(brief.level, brief.field_levels.get(""))


# --- rules -----------------------------------------------------------------------


def check_levels(ws: Workspace) -> list[Diagnostic]:
    """Every level used is declared; field_levels name real fields; editions are
    well-formed (unique names, known template); a tag an edition names is used."""
    out: list[Diagnostic] = []
    marks: dict[tuple[Kind, str], _Marks] = {
        ("option", i): _file_marks(ws, "option", i, m) for i, m in ws.options.items()}
    marks.update({("brief", i): _file_marks(ws, "brief", i, m) for i, m in ws.briefs.items()})
    used_tags = {t for m in marks.values() for t in m.tags}
    for brief in ws.briefs.values():
        out.extend(_brief_levels(ws, brief, used_tags, marks))
    return list(dict.fromkeys(out))


_MARK_KEYS = frozenset({"level", "tags", "field_levels"})


def _marked(ws: Workspace, kind: Kind, ident: str) -> bool:
    """Whether the file holds any mark, from its keys alone: most files hold none, and
    walking every model of a large workspace would cost check a sixth of its time."""
    source = ws.sources.get((kind, ident))
    return source is None or any(path and path[-1] in _MARK_KEYS for path in source.values)


@dataclass(frozen=True)
class _Marks:
    levels: tuple[tuple[FieldPath, str], ...]  # (path of the level key, level)
    paths: frozenset[FieldPath]  # every part's path, when field_levels needs them
    tags: frozenset[str]


def _file_marks(ws: Workspace, kind: Kind, ident: str, model: Brief | Option) -> _Marks:
    if not _marked(ws, kind, ident):
        return _Marks((), frozenset(), frozenset())
    parts = list(portions(kind, ident, model, Ladder((), {})))
    levels = tuple(((*p.path, "level"), p.value.level) for p in parts
                   if isinstance(p.value, Marked) and p.value.level is not None)
    tags = frozenset(t for p in parts if isinstance(p.value, Marked) for t in p.value.tags)
    return _Marks(levels, frozenset(p.path for p in parts), tags)


def _brief_levels(ws: Workspace, brief: Brief, used_tags: set[str],
                  file_marks: Mapping[tuple[Kind, str], _Marks]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    ladder = Ladder.of(brief)
    names = set(ladder.names)

    def err(kind: Kind, ident: str, path: FieldPath, message: str, code: str,
            hint: str | None = None, severity: Severity = Severity.ERROR,
            key: bool = False) -> None:
        problems.append(ws.problem(kind, ident, path, message, code=code, hint=hint,
                                   severity=severity, key=key))

    seen: set[str] = set()
    for i, level in enumerate(declared(brief)):
        if level.name in seen:
            err("brief", brief.id, ("levels", i), f"level {level.name!r} is declared twice",
                "duplicate-level")
        seen.add(level.name)

    def known(kind: Kind, ident: str, path: FieldPath, name: str) -> None:
        if name in names:
            return
        if not names:
            hint = (f"declare the levels, lowest first, in briefs/{brief.id}.yaml: "
                    f"levels: [OFFICIAL, {name}]")
        else:
            hint = suggest(name, names) or "levels declared: " + ", ".join(ladder.names)
        err(kind, ident, path, f"level {name!r} is not declared in brief {brief.id!r}",
            "undeclared-level", hint)

    def marks(kind: Kind, ident: str, model: Brief | Option) -> None:
        found = file_marks[(kind, ident)]
        for path, name in found.levels:
            known(kind, ident, path, name)
        paths = found.paths
        for text, name in model.field_levels.items():
            known(kind, ident, ("field_levels", text), name)
            if parse_path(text) not in paths:
                err(kind, ident, ("field_levels", text),
                    f"{text!r} is not a field of this file", "unknown-field-path",
                    "write the path as in messages: cost.basis, benefits[2], "
                    "scores.tariff_leverage", key=True)

    marks("brief", brief.id, brief)
    for ident in ws.option_ids(brief):
        if ident in ws.options:
            marks("option", ident, ws.options[ident])

    templates = _workspace_templates(ws.root)
    edition_names: set[str] = set()
    for i, edition in enumerate(brief.editions):
        if edition.name in edition_names:
            err("brief", brief.id, ("editions", i, "name"),
                f"edition {edition.name!r} is declared twice", "duplicate-edition")
        edition_names.add(edition.name)
        known("brief", brief.id, ("editions", i, "level"), edition.level)
        if edition.template not in (*BUILTIN_TEMPLATES, *templates):
            err("brief", brief.id, ("editions", i, "template"),
                f"no template {edition.template!r}", "unknown-template",
                f"use brief or memo, or add templates/{edition.template}.html.j2")
        for field_name in ("include", "exclude"):
            for j, tag in enumerate(getattr(edition, field_name)):
                if tag not in used_tags:
                    err("brief", brief.id, ("editions", i, field_name, j),
                        f"no option or part carries the tag {tag!r}", "unused-tag",
                        suggest(tag, used_tags) or "add tags: [" + tag + "] to what it is for",
                        severity=Severity.WARNING)
    return problems


def _workspace_templates(root: Path) -> set[str]:
    folder = root / "templates"
    if not folder.is_dir():
        return set()
    return {p.name.removesuffix(".html.j2") for p in folder.glob("*.html.j2")}
