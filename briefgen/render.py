"""Stage 4b: render a brief's view to HTML through Jinja templates.

Templates are looked up first in the workspace's own ``templates/`` folder,
then in the built-in theme, so a workspace can override any template or
stylesheet by name. Every template runs in Jinja's sandbox with autoescaping
on: workspace templates may come from contributors, and data never becomes
markup unless it went through the Markdown sanitiser.
"""

from __future__ import annotations

import operator
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from briefgen.diagnostics import Diagnostic, InputError, Location
from briefgen.markdown import images_from, to_html
from briefgen.present import BriefView

BRIEF_TEMPLATE = "brief.html.j2"


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


@cache
def environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    env = BriefSandbox(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = to_html
    return env


def render_html(view: BriefView, workspace: Path | None = None,
                template: str = BRIEF_TEMPLATE) -> str:
    dirs = tuple(template_dirs(workspace))
    try:
        with images_from(workspace):
            return environment(dirs).get_template(template).render(view=view, brief=view.brief)
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
    from briefgen.workspace import display_path

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
