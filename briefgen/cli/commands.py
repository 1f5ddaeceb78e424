"""The command line: a thin shell over the pipeline in briefgen.build.pipeline.

Exit codes: 0 success, 1 invalid input (every problem printed with
file:line:column), 2 usage error, 3 a bug in briefgen itself, 4 a problem of the
environment (a read-only or full disk, a file where the output folder should be,
a file briefgen may not read, a missing system library): one line names the path
or the package to install.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from pathlib import Path
from typing import Any, ClassVar

import click
import click.shell_completion

from briefgen import __version__
from briefgen.cli.workspace import workspace_option
from briefgen.common import signals
from briefgen.common.diagnostics import FORMATTERS, Diagnostic, InputError, Severity
from briefgen.common.environment import environment_problem, from_os_error
from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template, choices
from briefgen.inputs.discovery import is_source_name

EXIT_INVALID = 1
EXIT_BUG = 3
EXIT_ENVIRONMENT = 4


class BriefgenGroup(click.Group):
    """Maps input problems to exit 1, the machine's problems (disk full, read-only, no
    permission, missing library) to exit 4 and briefgen's own bugs to exit 3."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _print_diagnostics(exc.diagnostics)
            _summary(exc.diagnostics)
            ctx.exit(EXIT_INVALID)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as exc:
            line, status = signals.farewell(exc)
            click.echo(line, err=True)
            ctx.exit(status)
        except Exception as exc:
            debug = bool(ctx.obj and ctx.obj.get("debug"))
            problem = environment_problem(exc)
            if problem is not None:
                if debug:
                    traceback.print_exc()
                click.echo(f"briefgen: {problem}", err=True)
                ctx.exit(EXIT_ENVIRONMENT)
            if debug:
                traceback.print_exc()
            else:
                exc_type, exc_value, _ = sys.exc_info()
                click.echo(
                    f"briefgen {__version__} hit an internal error "
                    f"({exc_type.__name__ if exc_type else 'error'}: {exc_value}).\n"
                    "This is a bug in briefgen, not in your files: please report it to the "
                    "briefgen maintainers with the output of the same command run with --debug.",
                    err=True,
                )
            ctx.exit(EXIT_BUG)


def _print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text",
                       err: bool = True) -> None:
    if diagnostics:
        click.echo(FORMATTERS[fmt](diagnostics), err=err)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _summary(diagnostics: list[Diagnostic]) -> None:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.location.file for d in diagnostics})
    parts = [_count(n, noun) for n, noun in ((errors, "error"), (warnings, "warning")) if n]
    if parts:
        click.echo(f"{' and '.join(parts)} in {_count(files, 'file')}.", err=True)


class ByteSize(click.ParamType):
    """A size in bytes: 2000000, 500k, 2MB or 1.5M (k and M are powers of 1000)."""

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "b": 1, "k": 1000, "kb": 1000,
                                        "m": 1_000_000, "mb": 1_000_000}

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        import re

        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match[2].lower() if match else ""
        if not match or unit not in self._UNITS or float(match[1]) * self._UNITS[unit] < 1:
            self.fail(f"{value!r} is not a size such as 2000000, 500k or 2MB", param, ctx)
        return int(float(match[1]) * self._UNITS[unit])


max_file_size_option = click.option(
    "--max-file-size", type=ByteSize(), default="1MB", show_default=True,
    help="Refuse option and brief files larger than this (e.g. 500k, 2MB).")


def _limits(max_file_size: int) -> Any:
    from dataclasses import replace

    from briefgen.inputs.load import DEFAULT_LIMITS

    return replace(DEFAULT_LIMITS, max_bytes=max_file_size)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    import platform

    click.echo(f"briefgen {__version__}")
    click.echo(f"Python {platform.python_version()}")
    try:
        from briefgen.output.pdf.weasy import engine_versions

        for name, version in engine_versions().items():
            click.echo(f"{name} {version}")
    except (ImportError, OSError) as exc:  # a missing system library: say so, still exit 0
        click.echo(f"WeasyPrint not available: {exc}")
    ctx.exit()


def _complete_brief_ids(ctx: click.Context, _param: click.Parameter,
                        incomplete: str) -> list[click.shell_completion.CompletionItem]:
    """Offer the ids of the workspace's briefs: the names of briefs/*.yaml."""
    folder = Path(ctx.params.get("workspace") or ".") / "briefs"
    try:
        names = sorted({p.stem for p in folder.iterdir() if is_source_name(p.name)})
    except OSError:  # no briefs/ folder here: nothing to offer
        return []
    return [click.shell_completion.CompletionItem(n) for n in names if n.startswith(incomplete)]


brief_ids_argument = click.argument("brief_ids", nargs=-1, metavar="[BRIEF_ID]...",
                                    shell_complete=_complete_brief_ids)

@click.group(cls=BriefgenGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="""\b
Examples:
  briefgen check                 validate every option and brief file
  briefgen build                 build every brief as HTML and PDF into output/
  briefgen build fifth-round-offers --format pdf
  briefgen list                  options of each brief with their ranks
  briefgen init my-briefs        start a new workspace
  briefgen new option alaska-lng
  briefgen watch --serve         rebuild on save, reload the browser
  briefgen diff --rev main --format markdown

\b
Shell completion (bash; zsh and fish likewise):
  eval "$(_BRIEFGEN_COMPLETE=bash_source briefgen)"

\b
Exit codes:
  0  success
  1  invalid input: every problem printed with file:line:column
  2  usage error
  3  a bug in briefgen: run again with --debug and please report it
  4  environment: a read-only or full disk, a file briefgen may not read,
     a missing system library; the message names the path or package
""")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version,
              help="Show the versions of briefgen, Python, WeasyPrint and Pango, and exit.")
@click.option("--debug", is_flag=True, help="Show a traceback when briefgen itself fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn policy option files into decision-ready comparison briefs (HTML and PDF)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _shard_option(ctx: click.Context, param: click.Parameter,
                  value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    from briefgen.build.cache import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command(epilog="""\b
Examples:
  briefgen build
  briefgen build fifth-round-offers --format html
  briefgen build --workspace ../negotiations --out public/briefs
  briefgen build --template memo --paper letter     # one-page decision memo
  briefgen build --format pdf --pdf-variant pdf/a-3b # archival, with its YAML inside
  briefgen build --format md --format json          # for mail, pull requests, tools
  briefgen build --format docx                      # Word, for a private office to edit
  briefgen build --lang ja                          # Japanese text, labels and formats
  briefgen build --jobs 4 --quiet
  briefgen build --shard 2/4     # CI matrix job 2 of 4; join with briefgen manifest merge
  briefgen build --edition official  # BRIEF.official.*: only what is OFFICIAL or lower
  briefgen build --edition all       # every edition each brief declares
""")
@brief_ids_argument
@click.option("--edition", "editions", metavar="NAME", multiple=True,
              help="Build this edition of each brief that declares it (BRIEF.NAME.pdf, ...) "
                   "instead of the brief itself; 'all' builds every declared edition. "
                   "Repeat for several. See docs/editions.md.")
@click.option("--format", "-f", "formats", type=click.Choice(choices(BuildFormat)),
              multiple=True, help="Output format; repeat for several. Default: html and pdf.")
@click.option("--template", "-t", "template", type=click.Choice(choices(Template)),
              default="brief", show_default=True,
              help="brief: the full comparison brief; memo: a one-page decision memo "
                   "(written as BRIEF_ID-memo.*).")
@click.option("--paper", type=click.Choice(choices(Paper)), default="a4", show_default=True,
              help="Paper size of the PDF, of printing the HTML and of the Word document "
                   "(a workspace's own reference.docx keeps its own).")
@click.option("--pdf-variant", "pdf_variant", type=click.Choice(choices(PdfVariant)),
              default=None, help="pdf/a-3b: archival, with the brief's YAML files attached; "
                                 "pdf/ua-1: accessible. Default: a tagged PDF 1.7.")
@click.option("--lang", "lang", type=click.Choice(choices(Language)), default=None,
              help="Language of the labels, number and date formats, and of the text picked "
                   "from bilingual fields ({en: ..., ja: ...}). Default: each brief's "
                   "language (en unless it says language: ja). With --lang the files are "
                   "named for it (BRIEF-ja.pdf), next to the brief's own.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder. Default: output/ in the workspace.")
@workspace_option
@max_file_size_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Build in this many processes. Default: the number of CPUs.")
@click.option("--force", is_flag=True,
              help="Rebuild every brief, even those whose outputs are up to date.")
@click.option("--shard", metavar="K/N", callback=_shard_option, default=None,
              help="Build only share K of N of the briefs (round-robin over sorted ids).")
@click.option("--quiet", "-q", is_flag=True, help="Print no progress (problems still show).")
@click.option("--split/--no-split", default=True, show_default=True,
              help="Lay out long briefs' PDFs in parallel parts, tagged like a single pass "
                   "and much faster.")
def build(brief_ids: tuple[str, ...], editions: tuple[str, ...], formats: tuple[str, ...],
          template: str, paper: str, pdf_variant: str | None, lang: str | None,
          out_dir: Path | None, workspace: Path, max_file_size: int, jobs: int | None,
          force: bool, shard: tuple[int, int] | None, quiet: bool, split: bool) -> None:
    """Build briefs (all of them unless BRIEF_ID is given) into the output folder.

    Briefs whose inputs, templates and settings have not changed since the last
    build, and whose outputs are intact, are skipped (output/manifest.json keeps
    track); --force rebuilds them.
    """
    from briefgen.build.cache import up_to_date
    from briefgen.build.progress import choose_mode

    fmts = formats or ("html", "pdf")
    mode = choose_mode(quiet)
    _refuse_input_folder(out_dir, workspace)
    # Publish's fields, and the settings the no-op check hashes
    publish: dict[str, Any] = {"template": template, "paper": paper, "pdf_variant": pdf_variant,
                               "lang": lang}
    if not force and not editions:
        # The no-op path: hashes only, no YAML parsing, no pydantic, Jinja or WeasyPrint.
        root = workspace.resolve()
        out = out_dir if out_dir is not None else root / "output"
        current = up_to_date(root, out, brief_ids, fmts, split, shard, publish)
        if current is not None:
            if mode != "quiet":
                import os  # not _shown: briefgen.inputs.workspace would import pydantic

                click.echo(f"Up to date: {_count(len(current), 'brief')} in "
                           f"{os.path.relpath(out)} (--force rebuilds).", err=True)
            return

    if "pdf" in fmts:
        # Before the imports below: WeasyPrint's import runs on another core meanwhile.
        from briefgen.output.pdf import server

        server.start()
        click.get_current_context().call_on_close(server.stop)  # not left to other commands
    from briefgen.build.cache import shard_select
    from briefgen.build.parallel import cpu_count
    from briefgen.build.pipeline import Publish, load_valid_workspace, select_briefs
    from briefgen.build.pipeline import build as run_build
    from briefgen.build.progress import Progress

    ws, warnings = load_valid_workspace(workspace, _limits(max_file_size))
    _print_diagnostics(warnings)
    try:
        selected = select_briefs(ws, brief_ids)
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="BRIEF_ID") from None
    if shard is not None:
        selected = shard_select(selected, shard)
    out = out_dir if out_dir is not None else ws.root / "output"
    if editions:
        from briefgen.build.editions import build_editions, edition_groups

        try:
            groups = edition_groups(ws, brief_ids, editions)
        except KeyError as exc:
            raise click.BadParameter(exc.args[0], param_hint="--edition") from None
        selected = [b for _, _, briefs in groups for b in briefs]
        if shard is not None:
            selected = shard_select(selected, shard)
    progress = Progress(len(selected), mode, _shown)
    try:
        if editions:
            result = build_editions(ws, brief_ids, editions, fmts, out,
                                    jobs=jobs or cpu_count(), force=force, shard=shard,
                                    split=split, on_brief=progress,
                                    publish=Publish(**publish))
        else:
            result = run_build(ws, brief_ids, fmts, out, jobs=jobs or cpu_count(),
                               force=force, shard=shard, split=split, on_brief=progress,
                               publish=Publish(**publish))
    finally:
        progress.close()
    _print_diagnostics(result.warnings)
    if not ws.briefs:
        click.echo("No briefs to build: add one under briefs/.", err=True)
    elif mode != "quiet":
        click.echo(f"Built {len(result.built)}, {len(result.skipped)} up to date; manifest "
                   f"{_shown(result.manifest) if result.manifest else 'not written'}.", err=True)


@cli.group(epilog="""\b
Examples:
  briefgen manifest merge shard-*/manifest.json -o output/manifest.json
""")
def manifest() -> None:
    """Work with build manifests (output/manifest.json)."""


@manifest.command(name="merge", epilog="""\b
Examples:
  briefgen manifest merge shard-1/manifest.json shard-2/manifest.json -o output/manifest.json
""")
@click.argument("manifests", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write the merged manifest.")
def manifest_merge(manifests: tuple[Path, ...], out: Path) -> None:
    """Join the manifests of sharded builds; conflicting entries are an error (exit 1)."""
    from briefgen.build.manifest import dumps, merge
    from briefgen.build.write import write_atomic

    merged = merge(manifests)
    if out.exists() and not _is_manifest(out):
        raise click.BadParameter(f"{_shown(out)} exists and is not a briefgen manifest: "
                                 "refusing to replace it", param_hint="--out")
    write_atomic(out, dumps(merged))
    click.echo(f"Merged {_count(len(manifests), 'manifest')}: "
               f"{_count(len(merged['outputs']), 'output')} of "
               f"{_count(len(merged['briefs']), 'brief')} into {_shown(out)}.", err=True)


def _refuse_input_folder(out_dir: Path | None, workspace: Path) -> None:
    """An output folder among the files briefgen reads (--out options, or out = "briefs"
    in briefgen.toml) would mix outputs with them: a usage error, before any work."""
    from briefgen.common.paths import input_folder_holding

    if out_dir is not None and (name := input_folder_holding(out_dir, workspace)):
        raise click.BadParameter(f"{_shown(out_dir)} is inside the workspace's {name}/ "
                                 "folder, which briefgen reads: outputs would mix with your "
                                 "files (the default is output/)", param_hint="--out")


def _is_manifest(path: Path) -> bool:
    import json

    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "manifest" in data


def _shown(path: Path) -> str:
    from briefgen.common.paths import display_path

    return display_path(path)


@cli.command(epilog="""\b
Examples:
  briefgen check
  briefgen check --format github   # annotations on a pull request
  briefgen check --strict          # warnings fail too
  briefgen check options/alaska-lng.yaml   # only this file's problems
  briefgen check --layout          # also lay each brief out and check its pages
""")
@click.argument("files", nargs=-1,
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="[FILE]...")
@workspace_option
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="How to print problems.")
@click.option("--strict/--no-strict", default=False,
              help="Treat warnings as errors (default: strict in briefgen.toml, else off).")
@click.option("--layout", is_flag=True,
              help="Also lay out each brief's PDF and report split short tables, headings "
                   "at a page's foot, overflowing boxes, unnamed option pages, pages left "
                   "mostly empty, chart text cut off and a ranking at a glance off page 1 "
                   "(slow).")
@click.option("--paper", type=click.Choice(choices(Paper)), default="a4", show_default=True,
              help="Paper size for --layout.")
@click.option("--lang", "lang", type=click.Choice(choices(Language)), default=None,
              help="Language for --layout (default: each brief's own).")
@max_file_size_option
def check(files: tuple[Path, ...], workspace: Path, fmt: str, strict: bool,
          layout: bool, paper: str, lang: str | None, max_file_size: int) -> None:
    """Validate every option and brief file and report every problem.

    With FILE arguments, the whole workspace is still checked (cross-file rules
    need it) but only problems in those files are reported. With --layout, each
    valid brief is also laid out as its PDF would be and every page is checked;
    findings are reported at <brief>.pdf:<page> and fail the check.
    """
    from briefgen.inputs.loader import load_workspace

    ws, report = load_workspace(workspace, _limits(max_file_size))
    if not report.errors and any(b.editions for b in ws.briefs.values()):
        from briefgen.present.editions import edition_problems

        report.extend(edition_problems(ws))  # an edition empty, or with no ranking left
    wanted: set[str] = set()
    if files:
        from briefgen.common.diagnostics import Report
        from briefgen.common.paths import display_path

        wanted = {display_path(f.resolve()) for f in files}
        from briefgen.inputs.config import CONFIG_FILE

        for f in files:
            folders = (ws.root / "options", ws.root / "briefs")
            is_config = f.resolve() == (ws.root / CONFIG_FILE).resolve()
            if not is_config and not {f.resolve().parent, f.absolute().parent.resolve()} \
                    & set(folders):
                raise click.BadParameter(
                    f"{_shown(f)} is not in options/ or briefs/ of the workspace "
                    f"{_shown(ws.root)} nor its {CONFIG_FILE}, so nothing in it is checked",
                    param_hint="FILE")
        report = Report([d for d in report.items if d.location.file in wanted])
    if layout and not report.errors:
        report.extend(_layout_findings(ws, paper, lang))
    problems = report.sorted()
    if fmt == "github":
        _github_report(problems, workspace, f"{_count(len(ws.options), 'option')} and "
                       f"{_count(len(ws.briefs), 'brief')}")
    else:
        _print_diagnostics(problems, fmt, err=False)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if fmt == "text":
        if problems:
            _summary(problems)
        elif files:  # the other files were not reported on: say nothing of them
            click.echo(f"OK: {', '.join(sorted(wanted))} "
                       f"{'is' if len(wanted) == 1 else 'are'} valid.", err=True)
        else:
            click.echo(f"OK: {_count(len(ws.options), 'option')} and "
                       f"{_count(len(ws.briefs), 'brief')} are valid.", err=True)
    if failed:
        sys.exit(EXIT_INVALID)


def _layout_findings(ws: Any, paper: str, lang: str | None) -> list[Diagnostic]:
    """Lay out every brief (HTML as the PDF build makes it) and report each page finding."""
    from briefgen.build.pipeline import output_name
    from briefgen.common.diagnostics import Location
    from briefgen.output.pdf.layout_check import check_html  # imports WeasyPrint
    from briefgen.output.render import builtin_templates, render_html, template_dirs
    from briefgen.present.brief import present

    roots = [*template_dirs(ws.root), builtin_templates(), ws.root / "assets"]
    found: list[Diagnostic] = []
    for brief_id in sorted(ws.briefs):
        brief = ws.briefs[brief_id]
        view = present(ws, brief, inputs=ws.input_digest(brief), lang=lang)
        html = render_html(view, ws.root, "brief.html.j2", paper=paper)
        name = output_name(brief_id, "pdf", "brief", lang)
        for finding in check_html(html, ws.root, roots):
            found.append(Diagnostic(Location(name, finding.page), finding.text(),
                                    code=f"layout-{finding.code}"))
    return found


def _github_report(problems: list[Diagnostic], workspace: Path, checked: str) -> None:
    """Annotations with repository-relative paths, and every problem in the job summary."""
    import os

    from briefgen.common.diagnostics import format_step_summary, relative_to_root
    from briefgen.common.paths import repository_root

    located = relative_to_root(problems, repository_root(workspace.resolve()))
    _print_diagnostics(located, "github", err=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(format_step_summary(located, checked))


@cli.command(name="list", epilog="""\b
Examples:
  briefgen list
  briefgen list fifth-round-offers
""")
@brief_ids_argument
@workspace_option
def list_(brief_ids: tuple[str, ...], workspace: Path) -> None:
    """List each brief's options with their weighted totals and ranks."""
    from briefgen.analysis.scores import analyse
    from briefgen.build.pipeline import load_valid_workspace, select_briefs

    ws, warnings = load_valid_workspace(workspace)
    _print_diagnostics(warnings)
    try:
        selected = select_briefs(ws, brief_ids)
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="BRIEF_ID") from None
    for n, brief_id in enumerate(selected):
        brief = ws.briefs[brief_id]
        analysis = analyse(brief, [ws.options[i] for i in ws.option_ids(brief)])
        if n:
            click.echo()
        click.echo(f"{brief.id}: {brief.title}")
        width = max(len(r.option) for r in analysis.ranking)
        for r in analysis.ranking:
            marks = []
            if r.option == brief.baseline:
                marks.append("baseline")
            if brief.recommendation and brief.recommendation.option == r.option:
                marks.append("recommended")
            if r.tied_with:
                marks.append("tied with " + ", ".join(r.tied_with))
            tail = f"  ({'; '.join(marks)})" if marks else ""
            click.echo(f"  {r.rank:>2}. {r.option:<{width}}  {r.total:5.1f}  "
                       f"{ws.options[r.option].title}{tail}")


# --- authoring: init, new, schema, docs, watch, diff ------------------------------


def _scaffolded(result: Any) -> None:
    for path in result.written:
        click.echo(f"wrote {_shown(path)}", err=True)
    for path in result.kept:
        click.echo(f"kept {_shown(path)} (already there; briefgen never overwrites a file)",
                   err=True)


@cli.command(epilog="""\b
Examples:
  briefgen init                  make a workspace in the current folder
  briefgen init negotiations     make one in negotiations/
  cd negotiations && briefgen build
""")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".",
                metavar="[DIR]")
def init(directory: Path) -> None:
    """Create a workspace in DIR that checks and builds at once.

    It holds options/ and briefs/ with one sample of each, JSON Schema for
    editors in schema/, a commented briefgen.toml for the workspace's build
    defaults, a .gitignore for output/ and a CI workflow example.
    Existing files are kept, never overwritten.
    """
    from briefgen.authoring.scaffold import init_workspace

    try:
        result = init_workspace(directory)
    except OSError as exc:
        raise from_os_error(exc, "write in", directory) from None
    _scaffolded(result)
    click.echo(f"Next: cd {_shown(directory)} && briefgen check && briefgen build", err=True)


@cli.group(epilog="""\b
Examples:
  briefgen new option alaska-lng
  briefgen new brief fifth-round-offers
""")
def new() -> None:
    """Write a commented starting file for an option or a brief.

    The file validates at once; its TODO placeholders are reported by
    `briefgen check` (and fail it under --strict) until they are filled in.
    """


def _new(kind: str, ident: str, workspace: Path) -> None:
    from briefgen.authoring import scaffold

    maker = scaffold.new_option if kind == "option" else scaffold.new_brief
    try:
        result = maker(workspace, ident)
    except scaffold.InvalidId as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    except scaffold.ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise from_os_error(exc, f"write {kind} {ident} in", workspace) from None
    _scaffolded(result)


@new.command(name="option", epilog="""\b
Examples:
  briefgen new option alaska-lng
  briefgen new option rare-earth-plan --workspace ../negotiations
""")
@click.argument("ident", metavar="ID")
@workspace_option
def new_option(ident: str, workspace: Path) -> None:
    """Write options/ID.yaml, scored on every criterion with placeholders."""
    _new("option", ident, workspace)


@new.command(name="brief", epilog="""\b
Examples:
  briefgen new brief fifth-round-offers
""")
@click.argument("ident", metavar="ID")
@workspace_option
def new_brief(ident: str, workspace: Path) -> None:
    """Write briefs/ID.yaml, with the criteria of an existing brief when there is one."""
    _new("brief", ident, workspace)


@cli.command(epilog="""\b
Examples:
  briefgen schema                      write schema/option.schema.json, brief.schema.json
                                       and briefgen.schema.json (for briefgen.toml)
  briefgen schema --out .vscode/schema
  briefgen schema --print option       print one schema to standard output
""")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the schema files. Default: schema/ in the workspace.")
@click.option("--print", "print_kind", type=click.Choice(["option", "brief", "config"]),
              default=None,
              help="Print one schema instead of writing files.")
@workspace_option
def schema(out_dir: Path | None, print_kind: str | None, workspace: Path) -> None:
    """Write JSON Schema for option and brief files and briefgen.toml, for editor
    completion and checking.

    Files made by `briefgen init` and `briefgen new` point at schema/ with a
    `# yaml-language-server: $schema=...` line (`#:schema ...` in briefgen.toml).
    """
    from briefgen.authoring.schema import DEFAULT_SCHEMA_DIR, schema_text, write_schemas

    if print_kind:
        click.echo(schema_text(print_kind), nl=False)
        return
    target = out_dir if out_dir is not None else workspace / DEFAULT_SCHEMA_DIR
    try:
        written = write_schemas(target)
    except OSError as exc:
        raise from_os_error(exc, "write in", target) from None
    for path in written:
        click.echo(f"wrote {_shown(path)}", err=True)


@cli.command(hidden=True, epilog="""\b
Examples:
  briefgen docs --check
  briefgen docs --write
""")
@click.option("--write", "mode", flag_value="write", help="Regenerate the field reference.")
@click.option("--check", "mode", flag_value="check", default=True,
              help="Fail when the committed guide does not match the models.")
@click.option("--file", "doc", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/writing-options.md"), show_default=True)
def docs(mode: str, doc: Path) -> None:
    """Regenerate or check the field reference in docs/writing-options.md."""
    from briefgen.authoring.fielddocs import updated

    try:
        text = doc.read_text(encoding="utf-8")
        fresh = updated(text)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if mode == "write":
        if fresh != text:
            doc.write_text(fresh, encoding="utf-8")
            click.echo(f"updated {doc}", err=True)
    elif fresh != text:
        click.echo(f"{doc} is out of date: run briefgen docs --write", err=True)
        sys.exit(EXIT_INVALID)


@cli.command(epilog="""\b
Examples:
  briefgen watch                       rebuild every affected brief as HTML on save
  briefgen watch fifth-round-offers --serve
  briefgen watch --serve --port 8080 --format html --format pdf
""")
@brief_ids_argument
@click.option("--format", "-f", "formats", type=click.Choice(["html", "pdf"]), multiple=True,
              help="Output format; repeat for several. Default: html (fast).")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder. Default: output/ in the workspace.")
@click.option("--serve", is_flag=True,
              help="Serve the output folder on 127.0.0.1 and reload pages after each build.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@workspace_option
def watch(brief_ids: tuple[str, ...], formats: tuple[str, ...], out_dir: Path | None,
          serve: bool, port: int, workspace: Path) -> None:
    """Rebuild the affected briefs whenever an option, brief or template file changes.

    Problems are printed and the watch goes on; stop it with Ctrl-C. With
    --format html --format pdf the HTML is written first (a served page reloads)
    and the PDF follows in the background.
    """
    from briefgen.build import watch as live

    root = workspace.resolve()
    if not (root / "options").is_dir() and not (root / "briefs").is_dir():
        raise click.ClickException(f"{_shown(root)} is not a briefgen workspace: no options/ or "
                                   "briefs/ folder (pass --workspace DIR, or briefgen init)")
    _refuse_input_folder(out_dir, root)
    builder = live.Builder(root, out_dir or root / "output", formats or ("html",), brief_ids,
                           echo=lambda line: click.echo(line, err=True))
    if serve:
        try:
            server = live.serve(builder, port)
        except OSError as exc:
            raise click.ClickException(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}") \
                from None
        click.echo(f"Serving {_shown(builder.out_dir)} at "
                   f"http://127.0.0.1:{server.server_address[1]}/BRIEF_ID.html "
                   "(folders are not listed)", err=True)
    click.echo(f"Watching {_shown(root)} for changes; Ctrl-C to stop.", err=True)
    live.watch(builder)


@cli.command(epilog="""\b
Examples:
  briefgen diff ../before .            compare two workspace folders
  briefgen diff --rev main             compare with the workspace on branch main
  briefgen diff --rev HEAD~1 --format markdown > comment.md
""")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False, exists=True,
                                                      path_type=Path), metavar="[OLD NEW]")
@click.option("--rev", default=None, help="Compare the workspace with this git revision.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True)
@workspace_option
def diff(folders: tuple[Path, ...], rev: str | None, fmt: str, workspace: Path) -> None:
    """Show what changed per option (fields, scores) and per brief (ranking).

    Give two workspace folders OLD NEW, or --rev REV to compare the workspace
    with a git revision of it.
    """
    from briefgen.authoring import diff as review

    if rev is not None and folders:
        raise click.UsageError("give either OLD NEW or --rev REV, not both")
    if rev is None and len(folders) != 2:
        raise click.UsageError("give two workspace folders OLD NEW, or --rev REV")
    try:
        result = (review.diff_revision(workspace, rev) if rev is not None
                  else review.diff_folders(*folders))
    except review.DiffError as exc:  # what was asked cannot be compared: a usage error
        raise click.UsageError(str(exc)) from None
    click.echo(review.FORMATS[fmt](result))


def main() -> None:
    import atexit

    signals.install()  # again, for callers of this function rather than briefgen.cli.main
    try:
        cli(prog_name="briefgen")
        status = 0
    except SystemExit as done:
        if isinstance(done, signals.Terminated):
            click.echo(signals.farewell(done)[0], err=True)
        status = _exit_status(done.code)
    except KeyboardInterrupt as exc:  # outside a command: while click parses, say
        line, status = signals.farewell(exc)
        click.echo(line, err=True)
    # Every output is written and closed by now. Tearing the interpreter down (each module,
    # a heap of laid-out PDF and pydantic objects: about 0.2 s after a build) would only
    # keep the shell waiting; the exit handlers still run.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (briefgen ... | head) has taken all it wanted.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The process status for SystemExit(code), as the interpreter would exit with it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
