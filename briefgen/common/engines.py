"""The versions of what draws briefgen's outputs, read without importing any of it.

Outputs depend on the renderers (WeasyPrint, Pango, matplotlib, python-docx) and the
installed fonts as much as on briefgen itself, so caches key on them: the build's
no-op check (briefgen.build.cache) and the laid-out PDF parts
(briefgen.output.pdf.split). Importing WeasyPrint to ask its version would cost
about 0.6 s; these read metadata, one C function and file sizes instead.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# The packages that draw a PDF, besides the Pango library and the fonts.
PDF_PACKAGES = ("weasyprint", "pydyf")

# How WeasyPrint names the Pango library on each system (see weasyprint/text/ffi.py).
PANGO_LIBRARIES = ("libpango-1.0.so.0", "libpango-1.0.so", "libpango-1.0.0.dylib",
                   "libpango-1.0-0.dll", "pango-1.0-0")


@functools.cache
def _dist_infos() -> dict[str, str]:
    """{normalised distribution name: version} from the *.dist-info folder names on
    sys.path: one listdir per folder, where importlib.metadata costs about 20 ms."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                dist, _, version = name[:-len(".dist-info")].partition("-")
                found.setdefault(dist.lower().replace("-", "_").replace(".", "_"), version)
    return found


@functools.cache
def package_version(name: str) -> str:
    """A distribution's installed version, read from its metadata (the package is not
    imported); "missing" when it is not installed. Cached: a running process keeps
    using the version it loaded, whatever is installed meanwhile."""
    version = _dist_infos().get(name.lower().replace("-", "_").replace(".", "_"))
    if version:
        return version
    from importlib import metadata  # an egg-info or unusual install: the slow, sure way

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


@functools.cache
def pango_version() -> str:
    """The version of the Pango library WeasyPrint loads (a few ms, no WeasyPrint import)."""
    import ctypes

    for name in PANGO_LIBRARIES:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.pango_version.restype = ctypes.c_int
        number = int(library.pango_version())
        return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return "missing"


def font_dirs() -> list[Path]:
    """The folders fontconfig (and macOS) read fonts from by default."""
    home = Path(os.path.expanduser("~"))
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    dirs = [data_home / "fonts", home / ".fonts", *(Path(d) / "fonts" for d in data_dirs if d)]
    if sys.platform == "darwin":
        dirs += [home / "Library" / "Fonts", Path("/Library/Fonts"),
                 Path("/System/Library/Fonts")]
    return list(dict.fromkeys(dirs))


def fonts_fingerprint(dirs: Sequence[Path] | None = None) -> str:
    """A hash of every installed font file's path, size and modification time (well
    under a millisecond for a few hundred fonts): a font added, removed or upgraded
    can change which glyphs an output draws with."""
    digest = hashlib.sha256()
    for folder in dirs if dirs is not None else font_dirs():
        found = []
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n")
        digest.update("".join(sorted(found)).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]
