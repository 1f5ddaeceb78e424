"""Accept a valid briefgen.toml without pydantic: the fast path every command takes.

Every command reads briefgen.toml, and validating it with the pydantic model
(``config.Config``) costs more than a build with nothing to do. ``quick_read``
accepts a file only when every key is known and every value plainly valid, by
the same value sets (``choices``) and the same folder rule
(``inside_workspace``) as the model. Anything else, a problem or a key it does
not know, gives None, and the caller validates with the model, which explains
each problem at file:line:column. A property test holds that whatever this
accepts, the model accepts with the same values.
"""

from __future__ import annotations

import posixpath
import tomllib
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import Any

from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template, choices
from briefgen.inputs.discovery import CONFIG_FILE

_MAX_BYTES = 100_000  # larger files take the slow path, which applies the real limit


def inside_workspace(value: str) -> str:
    """A folder below the workspace, written relative to it; nothing that leads out.

    Raises ValueError saying what is wrong (config.Config reports it, located).
    """
    if not value.strip():
        raise ValueError("must name a folder inside the workspace, got empty text")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):  # no file system takes a NUL
        raise ValueError("must name a folder inside the workspace, got a control character")
    if value.startswith(("/", "\\")) or PureWindowsPath(value).drive:
        raise ValueError(f"must be relative to the workspace, got the absolute path {value!r}")
    parts = value.replace("\\", "/").split("/")
    if ".." in parts:
        if posixpath.normpath("/".join(parts)).startswith(".."):
            raise ValueError(f"{value!r} leads outside the workspace: name a folder inside "
                             "it, without '..'")
        # It comes back in (output/../output), but a '..' is refused all the same: the
        # folder is then named one way only.
        raise ValueError(f"{value!r} has a '..' part: name the folder without it")
    if all(part in ("", ".") for part in parts):
        raise ValueError("must name a folder inside the workspace, not the workspace itself")
    return value


def _one_of(literal: Any) -> Callable[[Any], bool]:
    allowed = choices(literal)
    return lambda value: isinstance(value, str) and value in allowed


def _folder(value: Any) -> bool:
    try:
        return isinstance(value, str) and bool(inside_workspace(value))
    except ValueError:
        return False


def _formats(value: Any) -> bool:
    allowed = choices(BuildFormat)
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, str) and v in allowed for v in value)


# One check per key of config.Config; a key missing here only means the slow path.
CHECKS: dict[str, Callable[[Any], bool]] = {
    "paper": _one_of(Paper),
    "lang": _one_of(Language),
    "out": _folder,
    "formats": _formats,
    "template": _one_of(Template),
    "pdf_variant": _one_of(PdfVariant),
    "jobs": lambda value: type(value) is int and value >= 1,
    "strict": lambda value: type(value) is bool,
}


def quick_read(root: Path) -> dict[str, Any] | None:
    """The settings of ``root``/briefgen.toml when the file is plainly valid, else None."""
    path = root / CONFIG_FILE
    base = root.resolve()
    try:
        if not path.resolve().is_relative_to(base) or path.stat().st_size > _MAX_BYTES:
            return None
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (OSError, RuntimeError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if any(key not in CHECKS or not CHECKS[key](value) for key, value in data.items()):
        return None
    if "out" in data and not (base / data["out"]).resolve().is_relative_to(base):
        return None  # a link leading outside: the model's check says so, located
    return data
