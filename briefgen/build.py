"""The pipeline end to end: load -> validate -> analyse -> render -> write.

The CLI calls these functions; they never print and never exit, so tests and
other tools can drive a build the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from briefgen.diagnostics import Diagnostic, InputError, Location, Severity
from briefgen.load import DEFAULT_LIMITS, Limits
from briefgen.models import Brief
from briefgen.present import present
from briefgen.render import builtin_templates, render_html, render_markdown, template_dirs
from briefgen.validate import suggest
from briefgen.workspace import Workspace, display_path, load_workspace
from briefgen.write import UnsafePathError, safe_target, write_atomic

FORMATS = ("html", "pdf", "md", "json")


@dataclass(frozen=True)
class Publish:
    """How to publish: the layout, the paper and the PDF variant."""

    template: str = "brief"  # brief or memo, or any <name>.html.j2 of the theme
    paper: str = "a4"  # a4 or letter
    pdf_variant: str | None = None  # None, pdf/a-3b or pdf/ua-1
    lang: str | None = None  # en or ja: overrides each brief's language (--lang)


def source_date(brief: Brief) -> datetime:
    """The one date a build may use: SOURCE_DATE_EPOCH when set, else the brief's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime(brief.date.year, brief.date.month, brief.date.day)


def output_name(brief_id: str, fmt: str, template: str) -> str:
    """fifth-round-offers.pdf for the brief, fifth-round-offers-memo.pdf for the memo."""
    suffix = "" if template == "brief" or fmt == "json" else f"-{template}"
    return f"{brief_id}{suffix}.{fmt}"


def source_attachments(workspace: Workspace, brief: Brief) -> list:
    """The brief's YAML files, read here, for embedding in an archival PDF."""
    from briefgen.pdf import SourceAttachment

    when = source_date(brief)
    return [SourceAttachment(name=path.relative_to(workspace.root).as_posix(),
                             data=path.read_bytes(), date=when,
                             description="briefgen source file")
            for path in workspace.input_paths(brief)]


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def load_valid_workspace(
    root: Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[Workspace, list[Diagnostic]]:
    """Load a workspace; raise InputError with every problem if any file is invalid."""
    workspace, report = load_workspace(root, limits)
    if report.errors:
        raise InputError(report.sorted())
    return workspace, report.warnings


def select_briefs(workspace: Workspace, brief_ids: Sequence[str]) -> list[str]:
    """The briefs to build, in a stable order; unknown ids raise KeyError with a hint."""
    if not brief_ids:
        return sorted(workspace.briefs)
    for ident in brief_ids:
        if ident not in workspace.briefs:
            hint = suggest(ident, workspace.briefs) or (
                "briefs here: " + ", ".join(sorted(workspace.briefs)) if workspace.briefs
                else "this workspace has no briefs")
            raise KeyError(f"unknown brief {ident!r}: {hint}")
    return list(dict.fromkeys(brief_ids))


def build(
    workspace: Workspace,
    brief_ids: Sequence[str],
    formats: Sequence[str],
    out_dir: Path,
    on_written: Callable[[Path], None] | None = None,
    publish: Publish = Publish(),
) -> BuildResult:
    """Render each brief to each format, then write the files atomically into out_dir.

    Every brief is rendered before anything is written, so a brief that fails to
    render leaves every previous output as it was.
    """
    from briefgen.safety import locate_url, outside

    result = BuildResult()
    # The theme, and the workspace's own templates/ and assets/: never the whole
    # workspace, which in CI is a checkout holding .git/ (and its credentials).
    allowed_roots = [*template_dirs(workspace.root), builtin_templates(),
                     workspace.root / "assets"]
    default_out = workspace.root / "output"
    if out_dir == default_out and (escape := outside(default_out, workspace.root)) is not None:
        raise InputError([Diagnostic(
            Location(display_path(default_out)),
            f"the output folder is a symlink that leads outside the workspace (to {escape})",
            code="symlink-escape", hint="remove it, or pass --out to choose the folder")])
    pending: list[tuple[Path, bytes | str]] = []
    for brief_id in select_briefs(workspace, brief_ids):
        brief = workspace.briefs[brief_id]
        view = present(workspace, brief, inputs=workspace.input_digest(brief),
                       lang=publish.lang)
        rendered: dict[str, bytes | str] = {}
        if "html" in formats or "pdf" in formats:
            html = render_html(view, workspace.root, f"{publish.template}.html.j2",
                               paper=publish.paper)
            if "html" in formats:
                rendered["html"] = html
        if "md" in formats:
            rendered["md"] = render_markdown(view, workspace.root, f"{publish.template}.md.j2")
        if "json" in formats:
            from briefgen.export import to_json

            rendered["json"] = to_json(workspace, brief)
        if "pdf" in formats:
            from briefgen.pdf import html_to_pdf  # imports WeasyPrint: only when a PDF is due

            attachments = (source_attachments(workspace, brief)
                           if publish.pdf_variant == "pdf/a-3b" else [])
            pdf, log = html_to_pdf(html, workspace.root, allowed_roots,
                                   variant=publish.pdf_variant, attachments=attachments)
            rendered["pdf"] = pdf
            for refused in log.refused:
                location, field_name = locate_url(refused.url, workspace, brief_id)
                result.warnings.append(Diagnostic(
                    location, f"refused to fetch {refused} for {brief_id}.pdf",
                    field=field_name, severity=Severity.WARNING, code="fetch-refused",
                    hint="see docs/security.md"))
        for fmt in FORMATS:
            if fmt in rendered:
                try:
                    target = safe_target(out_dir, output_name(brief_id, fmt, publish.template))
                except UnsafePathError as exc:
                    raise InputError([Diagnostic(Location(display_path(out_dir)), str(exc),
                                                 code="unsafe-path")]) from None
                pending.append((target, rendered[fmt]))
    for target, data in pending:
        write_atomic(target, data)
        result.written.append(target)
        if on_written:
            on_written(target)
    return result
