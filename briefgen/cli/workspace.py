"""The --workspace option of every command: find the workspace, read its briefgen.toml.

One mechanism serves every command. The option is eager, so click handles it
before the command's other options; its callback finds the workspace (the
folder given, or the nearest one upward from the current folder) and puts the
values of briefgen.toml into the command's ``default_map``. click then fills
each option from, in order: the command line, the default_map (the file), the
option's own default. No command merges settings by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from briefgen.inputs.discovery import CONFIG_FILE, find_workspace
from briefgen.inputs.quickconfig import quick_read

# Which command option each key of briefgen.toml sets: {command: {key: parameter}}.
# Keys a command has no option for do not apply to it (watch builds html only unless
# told, so `formats` is for build alone).
CONFIG_OPTIONS: dict[str, dict[str, str]] = {
    "build": {"paper": "paper", "lang": "lang", "out": "out_dir", "formats": "formats",
              "template": "template", "pdf_variant": "pdf_variant", "jobs": "jobs"},
    "watch": {"out": "out_dir"},
    "check": {"strict": "strict"},
}

# Commands that report briefgen.toml's problems among their own instead of stopping on them.
REPORTS_CONFIG = frozenset({"check"})


def config_defaults(command: str, root: Path) -> dict[str, Any]:
    """The default_map entries briefgen.toml at ``root`` gives ``command``.

    Raises InputError with the file's located problems, unless the command
    reports them itself (briefgen check).
    """
    if not (root / CONFIG_FILE).is_file():
        return {}
    values = quick_read(root)  # a valid file costs no pydantic: no-op builds stay fast
    if values is None:  # a problem (or a key the fast path does not know): the model says
        from briefgen.common.diagnostics import InputError, Severity
        from briefgen.inputs.config import load_config

        config, problems = load_config(root)
        if config is None:
            if command in REPORTS_CONFIG:
                return {}
            raise InputError([d for d in problems if d.severity is Severity.ERROR])
        values = config.model_dump(exclude_none=True)
    if "out" in values:  # relative to the workspace, not to the current folder
        values["out"] = root.resolve() / values["out"]
    return {param: values[key] for key, param in CONFIG_OPTIONS.get(command, {}).items()
            if key in values}


def _resolve(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is None:
        found = find_workspace(Path.cwd())
        value = Path(".") if found is None or found == Path.cwd().resolve() else found
    if ctx.resilient_parsing:  # shell completion: read no files
        return value
    defaults = config_defaults(ctx.command.name or "", value)
    if defaults:
        # A default_map a caller passed in (cli(default_map=...)) is the more explicit one.
        ctx.default_map = {**defaults, **(ctx.default_map or {})}
    return value


workspace_option = click.option(
    "--workspace", "-w", "workspace",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None, is_eager=True, callback=_resolve,
    help=f"The workspace folder, holding options/, briefs/ and {CONFIG_FILE}. Default: the "
         f"nearest folder, from the current one upward, holding {CONFIG_FILE}, options/ or "
         "briefs/.")
