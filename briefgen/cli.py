"""The command line: a thin shell over the pipeline in briefgen.build.

Exit codes: 0 success, 1 invalid input (every problem printed with
file:line:column), 2 usage error, 3 a bug in briefgen itself.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any, ClassVar

import click

from briefgen import __version__
from briefgen.diagnostics import FORMATTERS, Diagnostic, InputError, Severity

EXIT_INVALID = 1
EXIT_BUG = 3
ISSUES_URL = "https://github.com/briefgen/briefgen/issues"


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
                    f"This is a bug in briefgen, not in your files: please report it at "
                    f"{ISSUES_URL} with the output of the same command run with --debug.",
                    err=True,
                )
            ctx.exit(EXIT_BUG)


def _print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text",
                       err: bool = True) -> None:
    if diagnostics:
        click.echo(FORMATTERS[fmt](diagnostics), err=err)


def _summary(diagnostics: list[Diagnostic]) -> None:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.location.file for d in diagnostics})
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    if parts:
        click.echo(f"{' and '.join(parts)} in {files} file{'s' * (files != 1)}.", err=True)


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

    from briefgen.load import DEFAULT_LIMITS

    return replace(DEFAULT_LIMITS, max_bytes=max_file_size)


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
""")
@click.argument("brief_ids", nargs=-1, metavar="[BRIEF_ID]...")
@click.option("--format", "-f", "formats", type=click.Choice(["html", "pdf"]), multiple=True,
              help="Output format; repeat for several. Default: html and pdf.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder. Default: output/ in the workspace.")
@workspace_option
@max_file_size_option
def build(brief_ids: tuple[str, ...], formats: tuple[str, ...], out_dir: Path | None,
          workspace: Path, max_file_size: int) -> None:
    """Build briefs (all of them unless BRIEF_ID is given) into the output folder."""
    from briefgen.build import build as run_build
    from briefgen.build import load_valid_workspace

    ws, warnings = load_valid_workspace(workspace, _limits(max_file_size))
    _print_diagnostics(warnings)
    try:
        from briefgen.build import select_briefs

        select_briefs(ws, brief_ids)
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="BRIEF_ID") from None
    out = out_dir if out_dir is not None else ws.root / "output"
    result = run_build(ws, brief_ids, formats or ("html", "pdf"), out,
                       on_written=lambda p: click.echo(f"wrote {_shown(p)}", err=True))
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
@max_file_size_option
def check(workspace: Path, fmt: str, strict: bool, max_file_size: int) -> None:
    """Validate every option and brief file and report every problem."""
    from briefgen.workspace import load_workspace

    ws, report = load_workspace(workspace, _limits(max_file_size))
    problems = report.sorted()
    _print_diagnostics(problems, fmt, err=False)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if fmt == "text":
        if problems:
            _summary(problems)
        else:
            click.echo(f"OK: {len(ws.options)} options and {len(ws.briefs)} briefs are valid.",
                       err=True)
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
