"""Stage 4b: render a brief's view to HTML through Jinja templates.

Templates are looked up first in the workspace's own ``templates/`` folder,
then in the built-in theme, so a workspace can override any template or
stylesheet by name. Every template runs in Jinja's sandbox with autoescaping
on: workspace templates may come from contributors, and data never becomes
markup unless it went through the Markdown sanitiser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from briefgen.markdown import to_html
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


@cache
def environment(dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
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
    env = environment(tuple(template_dirs(workspace)))
    return env.get_template(template).render(view=view, brief=view.brief)
