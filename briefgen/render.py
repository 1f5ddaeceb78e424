"""Stage 4b: render a brief's view to HTML through Jinja templates.

Templates are looked up first in the workspace's own ``templates/`` folder,
then in the built-in theme, so a workspace can override any template or
stylesheet by name. Every template runs in Jinja's sandbox with autoescaping
on: workspace templates may come from contributors, and data never becomes
markup unless it went through the Markdown sanitiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from briefgen.markdown import to_html
from briefgen.present import BriefView

BRIEF_TEMPLATE = "brief.html.j2"
TEMPLATES = ("brief", "memo")  # html/pdf layouts shipped with the default theme
PAPER_SIZES = {"a4": "A4", "letter": "letter"}  # --paper value -> CSS @page size


def builtin_templates() -> Path:
    """The default theme: inside the installed package, or templates/ in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def template_dirs(workspace: Path | None) -> list[Path]:
    dirs = []
    if workspace is not None and (workspace / "templates").is_dir():
        dirs.append(workspace / "templates")
    dirs.append(builtin_templates())
    return dirs


DEFAULT_PREFIX = "default"


def _loader(dirs: tuple[Path, ...]) -> BaseLoader:
    """The workspace's templates, then the built-in theme; the built-in theme also as
    ``default/<name>``, so a workspace's brief.html.j2 can extend default/brief.html.j2."""
    builtin = FileSystemLoader(str(builtin_templates()))
    return ChoiceLoader([*(FileSystemLoader(str(d)) for d in dirs),
                         PrefixLoader({DEFAULT_PREFIX: builtin})])


@cache
def environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=_loader(dirs),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = to_html
    return env


@cache
def markdown_environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    """Like environment(), but writes Markdown: no HTML autoescaping, md_escape for data."""
    env = SandboxedEnvironment(
        loader=_loader(dirs),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_escape"] = md_escape
    return env


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    text: str
    level: int  # 2 for sections, 3 for the options inside them
    children: tuple[TocEntry, ...] = ()


class _Headings(HTMLParser):
    """Collects the h2 and h3 with an id inside <main>, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[TocEntry] = []
        self._in_main = False
        self._current: tuple[str, int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        elif self._in_main and tag in ("h2", "h3"):
            ident = dict(attrs).get("id")
            if ident:
                self._current = (ident, int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag in ("h2", "h3") and self._current is not None:
            ident, level, parts = self._current
            self.entries.append(TocEntry(ident, " ".join("".join(parts).split()), level))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current[2].append(data)


def table_of_contents(html: str) -> tuple[TocEntry, ...]:
    """The sections of a rendered brief, whichever blocks a theme or a branch adds."""
    parser = _Headings()
    parser.feed(html)
    top: list[TocEntry] = []
    for entry in parser.entries:
        if entry.level == 3 and top:
            top[-1] = replace(top[-1], children=(*top[-1].children, entry))
        elif entry.level == 2:
            top.append(entry)
    return tuple(top)


def render_html(view: BriefView, workspace: Path | None = None,
                template: str = BRIEF_TEMPLATE, paper: str = "a4") -> str:
    """Render a brief; a first pass finds the headings for the table of contents."""
    env = environment(tuple(template_dirs(workspace)))
    tpl = env.get_template(template)
    context = {"view": view, "brief": view.brief, "paper": PAPER_SIZES[paper]}
    draft = tpl.render(**context, toc=())
    toc = table_of_contents(draft)
    return tpl.render(**context, toc=toc) if toc else draft


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def md_escape(value: object) -> str:
    """Plain text as Markdown that shows exactly that text (no emphasis, links or HTML).

    Inline markup characters are escaped everywhere; characters that only start a
    block (#, >, -, +, "1.") are escaped at the start, where the text may begin a line.
    """
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def render_markdown(view: BriefView, workspace: Path | None = None,
                    template: str = "brief.md.j2") -> str:
    env = markdown_environment(tuple(template_dirs(workspace)))
    return env.get_template(template).render(view=view, brief=view.brief)
