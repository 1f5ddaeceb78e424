"""Stage 4b: render a brief's view to HTML through Jinja templates.

Templates are looked up first in the workspace's own ``templates/`` folder,
then in the built-in theme, so a workspace can override any template or
stylesheet by name. Every template runs in Jinja's sandbox with autoescaping
on: workspace templates may come from contributors, and data never becomes
markup unless it went through the Markdown sanitiser.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from briefgen.common import filecache
from briefgen.common.diagnostics import Diagnostic, InputError, Location
from briefgen.common.markdown import images_from, to_html
from briefgen.common.paths import builtin_templates
from briefgen.language.formatting import use_language
from briefgen.language.labels import joiner, t
from briefgen.present.brief import BriefView

BRIEF_TEMPLATE = "brief.html.j2"
TEMPLATES = ("brief", "memo")  # html/pdf layouts shipped with the default theme
PAPER_SIZES = {"a4": "A4", "letter": "letter"}  # --paper value -> CSS @page size


def template_dirs(workspace: Path | None) -> list[Path]:
    dirs = []
    if workspace is not None and (workspace / "templates").is_dir():
        dirs.append(workspace / "templates")
    dirs.append(builtin_templates())
    return dirs


MAX_PRODUCT = 1_000_000  # longest text or list a template may make with '*'


class BriefSandbox(SandboxedEnvironment):
    """Jinja's sandbox, also bounding '**' and '*': ``{{ 10**10**10 }}`` or ``'x' * 10**10``
    would otherwise hang or exhaust memory (even while compiling, by constant folding)."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int) and abs(right) > 1000:
                raise SecurityError("'**' with an exponent over 1000 is not allowed")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int) \
                        and len(seq) * count > MAX_PRODUCT:
                    raise SecurityError(f"'*' may not make anything longer than {MAX_PRODUCT:,}")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)


DEFAULT_PREFIX = "default"


class _WorkspaceLoader(FileSystemLoader):
    """A workspace's templates folder: a file that is not UTF-8 is the user's to fix, at
    the first byte that is not (Jinja's loader raises a bare UnicodeDecodeError)."""

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            from briefgen.common.paths import display_path

            path = next(Path(d, *template.split("/")) for d in self.searchpath
                        if Path(d, *template.split("/")).is_file())
            before = path.read_bytes()[:exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            raise InputError([Diagnostic(
                Location(display_path(path), line, column),
                f"the template is not UTF-8 text: byte 0x{exc.object[exc.start]:02x} "
                "cannot be read", code="encoding",
                hint="save it as UTF-8 in your editor")]) from None


def _loader(dirs: tuple[Path, ...]) -> BaseLoader:
    """The workspace's templates, then the built-in theme; the built-in theme also as
    ``default/<name>``, so a workspace's brief.html.j2 can extend default/brief.html.j2."""
    builtin = FileSystemLoader(str(builtin_templates()))
    return ChoiceLoader([*(_WorkspaceLoader(str(d)) for d in dirs),
                         PrefixLoader({DEFAULT_PREFIX: builtin})])


class _CompiledTemplates(BytecodeCache):
    """Templates compiled by an earlier run, from this machine's cache (common.filecache).

    Compiling the theme's templates costs a build about 0.2 s, every time. Jinja keys a
    template by its name and file and checks its source; the compiled code also depends
    on the environment's options (escaping, whitespace control, the sandbox's
    intercepted operators) and on Jinja's and Python's versions, so the key holds them.
    """

    def __init__(self, options: dict[str, Any]) -> None:
        import sys

        import jinja2

        self.context = filecache.digest("jinja", jinja2.__version__, sys.version,
                                        sorted(BriefSandbox.intercepted_binops), options)

    def _key(self, bucket: Bucket) -> str:
        return filecache.digest(self.context, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = filecache.get("templates", self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        filecache.put("templates", self._key(bucket), bucket.bytecode_to_string())


def _sandbox(dirs: tuple[Path, ...], *, autoescape: bool) -> SandboxedEnvironment:
    options = {"autoescape": autoescape, "undefined": "StrictUndefined", "trim_blocks": True,
               "lstrip_blocks": True, "keep_trailing_newline": True}
    env = BriefSandbox(
        loader=_loader(dirs),
        bytecode_cache=_CompiledTemplates(options),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The words of every output, HTML or Markdown, come from the same catalogues.
    env.globals["t"] = t
    env.globals["joiner"] = joiner
    return env


def _names(dirs: tuple[Path, ...]) -> tuple[str, ...]:
    """Every file name under the workspace's template folders (not the built-in theme's,
    which does not change while briefgen runs)."""
    builtin = builtin_templates()
    found = []
    for folder in dirs:
        if folder == builtin:
            continue
        for dirpath, _dirnames, filenames in os.walk(folder):
            found += [os.path.join(dirpath, name) for name in filenames]
    return tuple(sorted(found))


def environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    """The HTML environment for a template path. Jinja notices a changed template file
    by its modification time, but not a new one that overrides a built-in template it
    already loaded (a long ``watch``): so a new environment whenever the workspace's
    template files are others."""
    return _environment(dirs, _names(dirs))


def markdown_environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    """Like environment(), but writes Markdown: no HTML autoescaping, md_escape for data."""
    return _markdown_environment(dirs, _names(dirs))


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], _names: tuple[str, ...]) -> SandboxedEnvironment:
    env = _sandbox(dirs, autoescape=True)
    env.filters["markdown"] = to_html
    return env


@lru_cache(maxsize=8)
def _markdown_environment(dirs: tuple[Path, ...],
                          _names: tuple[str, ...]) -> SandboxedEnvironment:
    env = _sandbox(dirs, autoescape=False)
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
    dirs = tuple(template_dirs(workspace))
    context = {"view": view, "brief": view.brief, "paper": PAPER_SIZES[paper],
               "lang": view.language}
    with _located(workspace), images_from(workspace), use_language(view.language):
        tpl = environment(dirs).get_template(template)
        draft = tpl.render(**context, toc=())
        toc = table_of_contents(draft)
        return tpl.render(**context, toc=toc) if toc else draft


@contextmanager
def _located(workspace: Path | None) -> Iterator[None]:
    """Turn an error raised in the workspace's own templates into a located InputError."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:
        problem = template_problem(exc, workspace)
        if problem is None:  # raised in briefgen's own templates or code: a bug
            raise
        raise InputError([problem]) from exc


def template_problem(exc: BaseException, workspace: Path | None) -> Diagnostic | None:
    """A located error when ``exc`` comes from the workspace's own templates, else None.

    Jinja gives template frames the template's file name and line, so the
    innermost frame inside templates/ of the workspace is where the user must look.
    """
    if workspace is None or not (workspace / "templates").is_dir():
        return None
    from briefgen.common.paths import display_path

    folder = (workspace / "templates").resolve()

    def ours(filename: str | None) -> bool:
        return bool(filename) and Path(str(filename)).resolve().is_relative_to(folder)

    file, line = None, 1
    if isinstance(exc, TemplateSyntaxError) and ours(exc.filename):
        file, line = exc.filename, exc.lineno or 1
    else:
        tb = exc.__traceback__
        while tb is not None:
            if ours(tb.tb_frame.f_code.co_filename):
                file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if file is None:
        return None
    if isinstance(exc, SecurityError):
        message = f"the template sandbox refused this: {str(exc).rstrip('.')}"
        hint = "templates may lay out the brief's data, not reach Python internals"
    elif isinstance(exc, TemplateSyntaxError):
        message, hint = f"template syntax error: {exc.message}", None
    elif isinstance(exc, TemplateNotFound):
        message = f"template {exc.name!r} not found"
        hint = "templates are looked up in templates/ and then in the built-in theme"
    else:
        message, hint = f"template error: {type(exc).__name__}: {exc}", None
    return Diagnostic(Location(display_path(Path(file)), line, 1), message, code="template",
                      hint=hint)


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
    with _located(workspace), use_language(view.language):
        return env.get_template(template).render(view=view, brief=view.brief,
                                                 lang=view.language)


def render_prose(view: BriefView, workspace: Path | None, name: str,
                 **context: Any) -> str:
    """One of the per-language prose partials (templates/lang/<lang>/<name>.html.j2, else
    the English one), rendered as the HTML brief includes it.

    The Word writer reads these too, so a sentence of the method note or the robustness
    section is written, translated and overridden by a theme in one place for every format.
    ``context`` gives the names the including template sets (``r``, ``mv``)."""
    dirs = tuple(template_dirs(workspace))
    names = [f"lang/{view.language}/{name}.html.j2", f"lang/en/{name}.html.j2"]
    with _located(workspace), use_language(view.language):
        tpl = environment(dirs).select_template(names)
        return tpl.render(view=view, brief=view.brief, lang=view.language, **context)
