"""The pipeline end to end: load -> validate -> analyse -> render -> write.

The CLI calls these functions; they never print and never exit, so tests and
other tools can drive a build the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefgen.analysis.scores import analyse
from briefgen.build import cache
from briefgen.build import manifest as manifests
from briefgen.build.outputs import (
    MANIFEST_OWNER,
    PlannedOutput,
    collisions,
    variant_text,
)
from briefgen.build.progress import BriefDone
from briefgen.build.write import (
    UnsafePathError,
    clean_stale_temps,
    safe_target,
    write_atomic,
)
from briefgen.common.diagnostics import Diagnostic, InputError, Location, Severity, visible
from briefgen.common.environment import EnvironmentProblem
from briefgen.common.paths import display_path
from briefgen.common.suggest import suggest
from briefgen.inputs.load import DEFAULT_LIMITS, Limits
from briefgen.inputs.loader import load_workspace
from briefgen.inputs.models import Brief
from briefgen.inputs.workspace import Workspace
from briefgen.output.pdf import server
from briefgen.output.render import (
    BRIEF_TEMPLATE,
    builtin_templates,
    environment,
    render_html,
    render_markdown,
    template_dirs,
)
from briefgen.present.brief import present
from briefgen.present.charts import take_missing_glyphs

FORMATS = ("html", "pdf", "md", "json", "docx")
# Briefs comparing at least this many options have their PDF laid out in parts (in
# parallel, and kept in the cache: see briefgen.output.pdf.split.PartCache). From 30
# options up the parallel layout alone pays; from 5 (the example's 29 pages) the parts
# pay in the edit loop: a changed option lays out its part again, not the whole brief
# (cold, the parts cost about a quarter more CPU than one pass, which two cores repay).
SPLIT_MIN_OPTIONS = 5


@dataclass(frozen=True)
class Publish:
    """How to publish: the layout, the paper, the PDF variant and the language."""

    template: str = "brief"  # brief or memo, or any <name>.html.j2 of the theme
    paper: str = "a4"  # a4 or letter
    pdf_variant: str | None = None  # None, pdf/a-3b or pdf/ua-1
    lang: str | None = None  # en or ja: overrides each brief's language (--lang)
    edition: str | None = None  # an edition the brief declares (briefgen.build.editions)


def source_date(brief: Brief) -> datetime:
    """The one date a build may use: SOURCE_DATE_EPOCH when set, else the brief's date."""
    return epoch_date() or datetime(brief.date.year, brief.date.month, brief.date.day)


def epoch_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a date, None when unset; EnvironmentProblem when unusable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    # reproducible-builds.org: a value that is not a whole number of seconds is an error,
    # not a reason to fall back silently to another date.
    try:
        if not epoch.isascii() or not epoch.isdigit():
            raise ValueError(epoch)
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise EnvironmentProblem(
            f"SOURCE_DATE_EPOCH={visible(epoch)!s} is not a date briefgen can use: it must be "
            "whole seconds since 1970-01-01 UTC, before the year 10000 (unset it to use "
            "the brief's date)") from None


def _named_template(fmt: str, template: str) -> str:
    return "brief" if fmt == "json" else template  # the JSON export has no layout


def output_name(brief_id: str, fmt: str, template: str, lang: str | None = None,
                edition: str | None = None) -> str:
    """fifth-round-offers.pdf for the brief, fifth-round-offers-memo.pdf for the memo, and
    fifth-round-offers-ja.pdf with --lang ja, so that a brief's languages sit side by side
    instead of the last build overwriting the other. An edition's files are
    fifth-round-offers.official.pdf (see briefgen.present.editions.edition_stem)."""
    if edition is not None:
        from briefgen.present.editions import edition_stem

        return f"{edition_stem(brief_id, edition, lang)}.{fmt}"
    stem = cache.entry_id(brief_id, _named_template(fmt, template), lang)
    return f"{stem}.{fmt}"


def edition_attachments(workspace: Workspace, brief: Brief, plan: Any) -> list[Any]:
    """An edition's archival PDF carries the edition's data (its JSON export), never the
    YAML files, which hold every part of every level."""
    from briefgen.output.export import to_json
    from briefgen.output.pdf.weasy import SourceAttachment
    from briefgen.present.editions import edition_analysis

    name = output_name(brief.id, "json", "brief", None, plan.edition.name)
    data = to_json(workspace, brief, edition_analysis(
        analyse(brief, [workspace.options[i] for i in workspace.option_ids(brief)]), plan),
        plan.figures)
    return [SourceAttachment(name=name, data=data.encode("utf-8"),
                             date=source_date(brief),
                             description="briefgen edition data")]


def planned_outputs(brief_id: str, formats: Sequence[str], template: str = "brief",
                    lang: str | None = None, edition: str | None = None) -> list[PlannedOutput]:
    """The files a build of one brief writes, each with the variant that names it."""
    return [PlannedOutput(output_name(brief_id, fmt, template, lang, edition), brief_id,
                          variant_text(_named_template(fmt, template), lang, edition=edition))
            for fmt in formats]


def _recorded_outputs(manifest: dict[str, Any], workspace: Workspace) -> list[PlannedOutput]:
    """The outputs this machine's earlier builds recorded, for briefs that still exist."""
    found = []
    for ident, entry in manifest["briefs"].items():
        brief_id, settings = entry.get("brief"), entry.get("settings", {})
        if brief_id not in workspace.briefs or not manifests.trusted(ident, entry):
            continue
        template, lang = settings.get("template", "brief"), settings.get("lang")
        if not isinstance(template, str) or not isinstance(lang, str | None):
            continue
        for name in entry.get("outputs", {}):
            fmt = name.rsplit(".", 1)[-1]
            found.append(PlannedOutput(name, brief_id,
                                       variant_text(_named_template(fmt, template), lang)))
    return found


def check_collisions(workspace: Workspace, planned: Sequence[PlannedOutput],
                     claimed: Sequence[PlannedOutput], out_dir: Path) -> None:
    """Raise InputError, at each brief's id, for every file two outputs would share."""
    problems = []
    for mine, other in collisions(planned, claimed):
        def described(item: PlannedOutput) -> str:
            if item.brief_id == MANIFEST_OWNER:
                return item.describe()
            path = workspace.paths.get(("brief", item.brief_id))
            return f"{item.describe()} ({display_path(path) if path else 'its brief file'})"

        problems.append(workspace.problem(
            "brief", mine.brief_id, ("id",),
            f"{display_path(out_dir / mine.name)} would be written by {described(mine)} "
            f"and by {described(other)}: one would silently replace the other",
            code="output-collision",
            hint="rename one of the briefs (its file and its id), or build one of them "
                 "with --out into another folder"))
    if problems:
        raise InputError(problems)


def source_attachments(workspace: Workspace, brief: Brief) -> list[Any]:
    """The brief's YAML files, read here, for embedding in an archival PDF."""
    from briefgen.output.pdf.weasy import SourceAttachment

    when = source_date(brief)
    return [SourceAttachment(name=path.relative_to(workspace.root).as_posix(),
                             data=path.read_bytes(), date=when,
                             description="briefgen source file")
            for path in workspace.input_paths(brief)]


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    manifest: Path | None = None


def _manifest_warnings(path: Path, problems: list[str], most: int = 5) -> list[Diagnostic]:
    """At most a few warnings for what was ignored in the manifest: it is only a hint."""
    shown = [Diagnostic(Location(display_path(path)), text, severity=Severity.WARNING,
                        code="manifest", hint="the briefs it named are rebuilt")
             for text in problems[:most]]
    if len(problems) > most:
        shown.append(Diagnostic(Location(display_path(path)),
                                f"and {len(problems) - most} more entries ignored",
                                severity=Severity.WARNING, code="manifest"))
    return shown


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


def input_labels(workspace: Workspace, brief_id: str) -> list[str]:
    """Workspace-relative paths of the files a brief's outputs are made from."""
    return [p.relative_to(workspace.root).as_posix()
            for p in workspace.input_paths(workspace.briefs[brief_id])]


@dataclass
class _Job:
    """What a worker needs to render one brief; inherited by forked workers, never pickled."""

    workspace: Workspace
    formats: Sequence[str]
    allowed_roots: list[Path]
    split: bool
    jobs: int
    publish: Publish = field(default_factory=Publish)


@dataclass
class _Rendered:
    brief_id: str
    files: dict[str, bytes | str]  # format -> content
    refused: list[Any]  # briefgen.output.pdf.weasy.Refused
    seconds: float
    missing_glyphs: list[str] = field(default_factory=list)  # no font could draw them


def _wants_split(job: _Job, brief_id: str) -> bool:
    brief = job.workspace.briefs[brief_id]
    # Archival and accessible variants need the tags and attachments of a single pass.
    return (job.split and "pdf" in job.formats and job.publish.pdf_variant is None
            and len(job.workspace.option_ids(brief)) >= SPLIT_MIN_OPTIONS)


def _render(job: _Job, brief_id: str) -> _Rendered:
    """Render one brief to each format (in a worker process, or here)."""
    started = time.perf_counter()
    take_missing_glyphs()  # what an earlier brief left: not this one's
    workspace = job.workspace
    publish = job.publish
    plan = None
    if publish.edition is not None:
        from briefgen.present.editions import plan_edition

        plan = plan_edition(workspace, brief_id, publish.edition, publish.lang)
        workspace = plan.workspace  # every format below sees only the edition's parts
    brief = workspace.briefs[brief_id]
    analysis = None
    if plan is not None:
        from briefgen.present.editions import edition_analysis

        analysis = edition_analysis(
            analyse(brief, [workspace.options[i] for i in workspace.option_ids(brief)]), plan)
    if "docx" in job.formats:
        from briefgen.present.charts import rasters

        with rasters():  # Word cannot show SVG: the charts come as PNG too
            view = present(workspace, brief, analysis, inputs=workspace.input_digest(brief),
                           lang=publish.lang)
    else:
        view = present(workspace, brief, analysis, inputs=workspace.input_digest(brief),
                       lang=publish.lang)
    if plan is not None:
        from briefgen.present.editions import edition_view

        view = edition_view(view, plan)
    files: dict[str, bytes | str] = {}
    refused: list[Any] = []
    html = ""
    if "html" in job.formats or "pdf" in job.formats:
        html = render_html(view, workspace.root, f"{publish.template}.html.j2",
                           paper=publish.paper)
    if "html" in job.formats:
        files["html"] = html
    if "md" in job.formats:
        files["md"] = render_markdown(view, workspace.root, f"{publish.template}.md.j2")
    if "json" in job.formats:
        from briefgen.output.export import to_json

        files["json"] = to_json(workspace, brief, analysis,
                                plan.figures if plan is not None else None)
    if "docx" in job.formats:
        from briefgen.output.docx import render_docx  # imports python-docx: only when due

        files["docx"] = render_docx(view, workspace.root, publish.template,
                                    when=source_date(brief), paper=publish.paper)
    if "pdf" in job.formats:
        if _wants_split(job, brief_id):
            from briefgen.output.pdf.split import render_split

            pdf, log = render_split(html, workspace.root, job.allowed_roots, job.jobs)
        else:
            from briefgen.output.pdf.weasy import (
                html_to_pdf,  # imports WeasyPrint: only when a PDF is due
            )

            attachments = ([] if publish.pdf_variant != "pdf/a-3b"
                           else source_attachments(workspace, brief) if plan is None
                           else edition_attachments(workspace, brief, plan))
            pdf, log = server.call(html_to_pdf, html, workspace.root, job.allowed_roots,
                                   variant=publish.pdf_variant, attachments=attachments)
        files["pdf"] = pdf
        refused = list(log.refused)
    return _Rendered(brief_id, files, refused, time.perf_counter() - started,
                     take_missing_glyphs())


def _missing_glyphs(workspace: Workspace, brief_id: str, chars: list[str]) -> Diagnostic:
    """A warning at the first field, among the brief's files, holding a character that
    the charts could not draw."""
    from briefgen.common.fieldpath import format_path
    from briefgen.inputs.load import iter_paths

    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:10])
    message = (f"the charts cannot draw {shown}: no installed font has "
               f"{'it' if len(chars) == 1 else 'them'}, so "
               f"{'it shows' if len(chars) == 1 else 'they show'} as an empty box")
    hint = ("install a font that covers it (the fonts-noto packages cover most scripts), "
            "or leave it out of option and criterion names")
    brief = workspace.briefs[brief_id]
    kinds = [("brief", brief_id), *(("option", o) for o in workspace.option_ids(brief))]
    for kind, ident in kinds:
        source = workspace.sources.get((kind, ident))  # type: ignore[arg-type]
        if source is None:
            continue
        for path, value in iter_paths(source.data):
            # Only what the charts draw: option titles and criterion names.
            drawn = (path[:1] == ("title",) if kind == "option"
                     else len(path) >= 3 and path[0] == "criteria" and path[2] == "name")
            if drawn and isinstance(value, str) and any(c in value for c in chars):
                return Diagnostic(source.locate(path), message, field=format_path(path),
                                  severity=Severity.WARNING, code="missing-glyph", hint=hint)
    return workspace.problem("brief", brief_id, (), message, code="missing-glyph",
                             severity=Severity.WARNING, hint=hint)


def _warm_up(job: _Job) -> list[Callable[[], Any]]:
    """Work done once in the parent before forking, so no worker repeats it."""
    template = f"{job.publish.template}.html.j2" if job.publish.template else BRIEF_TEMPLATE
    steps: list[Callable[[], Any]] = [
        lambda: environment(tuple(template_dirs(job.workspace.root))).get_template(template)]
    if "pdf" in job.formats:
        from briefgen.output.pdf.weasy import warm_up

        if job.jobs > 1:  # the briefs fork from here, WeasyPrint imported: no server
            server.stop()
        steps.append(warm_up)  # once here, not in each brief's worker (split._context)
    if "docx" in job.formats:
        steps.append(lambda: __import__("docx"))
    return steps


def build(
    workspace: Workspace,
    brief_ids: Sequence[str],
    formats: Sequence[str],
    out_dir: Path,
    on_written: Callable[[Path], None] | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    split: bool = True,
    on_brief: Callable[[BriefDone], None] | None = None,
    publish: Publish = Publish(),
) -> BuildResult:
    """Render the briefs that are out of date, then write the files atomically into out_dir.

    Every brief is rendered before anything is written, so a brief that fails to
    render leaves every previous output as it was.

    A brief is up to date when out_dir/manifest.json holds the same key for it
    (see briefgen.build.cache) and its outputs still have the recorded sha256; force
    rebuilds it anyway. ``shard=(k, n)`` keeps share k of n of the selected
    briefs. Briefs render in ``jobs`` forked processes; long ones have their
    PDF laid out in parallel parts instead (``split``). The manifest lists
    every output with its sha256 and inputs.
    """
    from briefgen.build.parallel import run_forked
    from briefgen.inputs.safety import locate_url, outside

    epoch_date()  # a SOURCE_DATE_EPOCH that cannot be used stops the build before any work
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

    def target_for(name: str) -> Path:
        try:
            return safe_target(out_dir, name)
        except UnsafePathError as exc:
            raise InputError([Diagnostic(Location(display_path(out_dir)), str(exc),
                                         code="unsafe-path")]) from None

    selected = select_briefs(workspace, brief_ids)
    if shard is not None:
        selected = cache.shard_select(selected, shard)
    scan = cache.scan_workspace(workspace.root).as_parsed(workspace.parsed_sha256())
    # Without an edition the settings are those the CLI's no-op check hashes (cache.up_to_date).
    settings = cache.build_settings(formats, split, {
        k: v for k, v in asdict(publish).items() if k != "edition" or v is not None})
    manifest_path = target_for(cache.MANIFEST_NAME)
    manifest_problems: list[str] = []
    manifest = (manifests.read_manifest(manifest_path, manifest_problems)
                or manifests.empty_manifest())
    result.warnings.extend(_manifest_warnings(manifest_path, manifest_problems))
    # Before anything is rendered or written: no two outputs may be the same file.
    check_collisions(
        workspace,
        [o for b in selected
         for o in planned_outputs(b, formats, publish.template, publish.lang, publish.edition)],
        [PlannedOutput(cache.MANIFEST_NAME, MANIFEST_OWNER),
         *(o for b in sorted(workspace.briefs) for o in planned_outputs(b, formats)),
         *_recorded_outputs(manifest, workspace)],
        out_dir)
    # One manifest entry per brief and template (the memo's outputs sit beside the brief's).
    entries = {b: (output_name(b, "x", publish.template, publish.lang, publish.edition)[:-2]
                   if publish.edition else cache.entry_id(b, publish.template, publish.lang))
               for b in selected}
    keys: dict[str, str] = {}
    inputs: dict[str, list[dict[str, str]]] = {}
    todo: list[str] = []
    for brief_id in selected:
        labels = input_labels(workspace, brief_id)
        keys[brief_id] = cache.brief_key(scan, labels, settings)
        inputs[brief_id] = [{"path": label, "sha256": scan.files.get(label, "")}
                            for label in [*labels, *(t for t, _ in scan.shared)]]
        entry = manifest["briefs"].get(entries[brief_id])
        # The manifest is a hint: its entry counts only when this machine sealed it, for
        # the key recomputed here from the real inputs, and with outputs that hash the same.
        if (not force and entry is not None and manifests.trusted(entries[brief_id], entry)
                and entry.get("key") == keys[brief_id]
                and cache.outputs_intact(out_dir, entry.get("outputs", {}))):
            manifests.refresh(manifest, entries[brief_id], scan.fingerprint)
            result.skipped.append(brief_id)
        else:
            todo.append(brief_id)

    job = _Job(workspace, formats, allowed_roots, split, max(1, jobs), publish)
    long_briefs = [b for b in todo if _wants_split(job, b)]
    short_briefs = [b for b in todo if b not in long_briefs]
    if on_brief:
        for brief_id in result.skipped:
            on_brief(BriefDone(brief_id, "up to date"))
    rendered: list[_Rendered] = []

    def target(brief_id: str, fmt: str) -> Path:
        return target_for(output_name(brief_id, fmt, publish.template, publish.lang,
                                      publish.edition))

    def finished(item: _Rendered) -> None:
        rendered.append(item)
        if on_brief:
            on_brief(BriefDone(item.brief_id, "rendered", seconds=item.seconds))

    for brief_id in long_briefs:  # each already uses every job for its parts
        finished(_render(job, brief_id))
    for item in run_forked(lambda b: _render(job, b), short_briefs, job.jobs,
                           warm_up=_warm_up(job) if len(short_briefs) > 1 else ()):
        finished(item)
    rendered.sort(key=lambda r: r.brief_id)
    if publish.edition is not None:
        # Not skippable: nothing of an edition is written until every output is clean.
        from briefgen.build.leaks import check_edition

        for item in rendered:
            names = {fmt: target(item.brief_id, fmt).name for fmt in item.files}
            check_edition(workspace, item.brief_id, publish, item.files, names.__getitem__)

    for item in rendered:
        if item.missing_glyphs:
            result.warnings.append(_missing_glyphs(workspace, item.brief_id,
                                                   item.missing_glyphs))

    def write_brief(item: _Rendered, current: dict[str, Any]) -> None:
        outputs: dict[str, str] = {}
        written: list[Path] = []
        for fmt in FORMATS:
            if fmt in item.files:
                path = target(item.brief_id, fmt)
                data = item.files[fmt]
                payload = data.encode("utf-8") if isinstance(data, str) else data
                write_atomic(path, payload)
                outputs[path.name] = cache.sha256_bytes(payload)
                written.append(path)
                if on_written:
                    on_written(path)
        for refused in item.refused:
            location, field_name = locate_url(refused.url, workspace, item.brief_id)
            result.warnings.append(Diagnostic(
                location, f"refused to fetch {refused} for {target(item.brief_id, 'pdf').name}",
                field=field_name, severity=Severity.WARNING, code="fetch-refused",
                hint="see docs/security.md"))
        manifests.set_brief(current, entries[item.brief_id], brief=item.brief_id,
                            key=keys[item.brief_id],
                            fingerprint=scan.fingerprint, settings=settings,
                            inputs=inputs[item.brief_id], outputs=outputs)
        result.built.append(item.brief_id)
        result.written.extend(written)
        if on_brief:  # only now: "wrote" must never show before the write succeeded
            on_brief(BriefDone(item.brief_id, "built", written, item.seconds))

    if not selected:
        return result
    # The write phase holds the output folder's lock: a concurrent build (of the same
    # briefs or of others) writes before or after this one, never in between, and the
    # manifest is re-read under the lock so neither loses the other's entries.
    with manifests.locked(out_dir):
        clean_stale_temps(out_dir)
        current = manifests.read_manifest(manifest_path) or manifests.empty_manifest()
        for other in [b for b in current["briefs"] if b not in entries.values()]:
            if not cache.outputs_intact(out_dir, current["briefs"][other].get("outputs", {})):
                manifests.drop_brief(current, other)
        for brief_id in result.skipped:
            ident = entries[brief_id]
            theirs = current["briefs"].get(ident)
            ours = manifest["briefs"][ident]
            if theirs is None or (theirs.get("key"), theirs.get("outputs")) == (
                    ours["key"], ours["outputs"]):
                manifests.copy_brief(manifest, current, ident)
        # First forget what is about to be replaced: a build killed while writing
        # outputs leaves a manifest that claims nothing it cannot show.
        replaced = [entries[item.brief_id] for item in rendered
                    if entries[item.brief_id] in current["briefs"]]
        if replaced:
            for ident in replaced:
                manifests.drop_brief(current, ident)
            write_atomic(manifest_path, manifests.dumps(current))
        for item in rendered:
            write_brief(item, current)
        write_atomic(manifest_path, manifests.dumps(current))
    result.manifest = manifest_path
    return result
