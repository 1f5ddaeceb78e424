"""The command line: a thin shell over the pipeline in briefgen.build.

Exit codes: 0 success, 1 invalid input (every problem printed with
file:line:column), 2 usage error, 3 a bug in briefgen itself.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from briefgen import __version__
from briefgen.diagnostics import FORMATTERS, Diagnostic, InputError, Severity

EXIT_INVALID = 1
EXIT_BUG = 3


class BriefgenGroup(click.Group):
    """Maps input problems to exit 1 and briefgen's own bugs to exit 3."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _print_diagnostics(exc.diagnostics)
            _summary(exc.diagnostics)
            ctx.exit(EXIT_INVALID)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception:
            if ctx.obj and ctx.obj.get("debug"):
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


workspace_option = click.option(
    "--workspace", "-w", "workspace", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True,
    help="The workspace folder, holding options/ and briefs/.")


@click.group(cls=BriefgenGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="""\b
Examples:
  briefgen check                 validate every option and brief file
  briefgen build                 build every brief as HTML and PDF into output/
  briefgen build fifth-round-offers --format pdf
  briefgen list                  options of each brief with their ranks
""")
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show a traceback when briefgen itself fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn policy option files into decision-ready comparison briefs (HTML and PDF)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command(epilog="""\b
Examples:
  briefgen build
  briefgen build fifth-round-offers --format html
  briefgen build --workspace ../negotiations --out public/briefs
  briefgen build --template memo --paper letter     # one-page decision memo
  briefgen build --format pdf --pdf-variant pdf/a-3b # archival, with its YAML inside
  briefgen build --format md --format json          # for mail, pull requests, tools
""")
@click.argument("brief_ids", nargs=-1, metavar="[BRIEF_ID]...")
@click.option("--format", "-f", "formats", type=click.Choice(["html", "pdf", "md", "json"]),
              multiple=True, help="Output format; repeat for several. Default: html and pdf.")
@click.option("--template", "-t", "template", type=click.Choice(["brief", "memo"]),
              default="brief", show_default=True,
              help="brief: the full comparison brief; memo: a one-page decision memo "
                   "(written as BRIEF_ID-memo.*).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF and of printing the HTML.")
@click.option("--pdf-variant", "pdf_variant", type=click.Choice(["pdf/a-3b", "pdf/ua-1"]),
              default=None, help="pdf/a-3b: archival, with the brief's YAML files attached; "
                                 "pdf/ua-1: accessible. Default: a tagged PDF 1.7.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder. Default: output/ in the workspace.")
@workspace_option
def build(brief_ids: tuple[str, ...], formats: tuple[str, ...], template: str, paper: str,
          pdf_variant: str | None, out_dir: Path | None, workspace: Path) -> None:
    """Build briefs (all of them unless BRIEF_ID is given) into the output folder."""
    from briefgen.build import Publish, load_valid_workspace
    from briefgen.build import build as run_build

    ws, warnings = load_valid_workspace(workspace)
    _print_diagnostics(warnings)
    try:
        from briefgen.build import select_briefs

        select_briefs(ws, brief_ids)
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="BRIEF_ID") from None
    out = out_dir if out_dir is not None else ws.root / "output"
    result = run_build(ws, brief_ids, formats or ("html", "pdf"), out,
                       on_written=lambda p: click.echo(f"wrote {_shown(p)}", err=True),
                       publish=Publish(template=template, paper=paper, pdf_variant=pdf_variant))
    _print_diagnostics(result.warnings)
    if not ws.briefs:
        click.echo("No briefs to build: add one under briefs/.", err=True)


def _shown(path: Path) -> str:
    from briefgen.workspace import display_path

    return display_path(path)


@cli.command(epilog="""\b
Examples:
  briefgen check
  briefgen check --format github   # annotations on a pull request
  briefgen check --strict          # warnings fail too
""")
@workspace_option
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="How to print problems.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(workspace: Path, fmt: str, strict: bool) -> None:
    """Validate every option and brief file and report every problem."""
    from briefgen.workspace import load_workspace

    ws, report = load_workspace(workspace)
    problems = report.sorted()
    _print_diagnostics(problems, fmt, err=False)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if fmt == "text":
        if problems:
            _summary(problems)
        else:
            click.echo(f"OK: {_count(len(ws.options), 'option')} and "
                       f"{_count(len(ws.briefs), 'brief')} are valid.", err=True)
    if failed:
        sys.exit(EXIT_INVALID)


@cli.command(name="list", epilog="""\b
Examples:
  briefgen list
  briefgen list fifth-round-offers
""")
@click.argument("brief_ids", nargs=-1, metavar="[BRIEF_ID]...")
@workspace_option
def list_(brief_ids: tuple[str, ...], workspace: Path) -> None:
    """List each brief's options with their weighted totals and ranks."""
    from briefgen.analysis import analyse
    from briefgen.build import load_valid_workspace, select_briefs

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


def main() -> None:
    cli(prog_name="briefgen")
