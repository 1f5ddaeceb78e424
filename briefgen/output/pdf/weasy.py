"""Stage 4c: HTML to PDF with WeasyPrint, which may reach nothing outside.

WeasyPrint is imported here only, and this module only when a PDF is made:
its import alone costs more than validating a whole workspace.

By default WeasyPrint requests http(s) URLs, embeds any local file a
``file://`` URL, a ``../`` path or a symlink points to, and attaches arbitrary
files to the PDF for ``<link rel=attachment>`` and ``<a rel=attachment>``.
SafeFetcher allows only:

* ``file:`` URLs of regular files inside the allowed folders (the built-in
  theme, the workspace's templates/ and assets/), after resolving ``..`` and
  symlinks, and never a hidden file or folder (``.git``, ``.env``);
* ``data:`` URIs up to MAX_DATA_URI characters;

and only while the document is laid out: once layout is done the fetcher is
closed, so the attachments WeasyPrint fetches while writing the PDF are refused.
Everything refused is skipped and recorded in a FetchLog for the caller to report.
"""

from __future__ import annotations

import base64
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefgen.common.environment import EnvironmentProblem
from briefgen.common.paths import read_resolved_file

MAX_DATA_URI = 2_000_000
# The PDF variants briefgen offers: archival with attachments, and accessible (tagged).
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")

# The system libraries WeasyPrint loads through cffi: what each is called, and the package
# that installs it on Debian/Ubuntu and on Fedora/Homebrew.
_LIBRARIES = {
    "pango": ("Pango", "libpango-1.0-0", "pango"),
    "pangoft2": ("Pango", "libpangoft2-1.0-0", "pango"),
    "gobject": ("GLib", "libglib2.0-0", "glib2"),
    "harfbuzz": ("HarfBuzz", "libharfbuzz0b", "harfbuzz"),
    "fontconfig": ("Fontconfig", "libfontconfig1", "fontconfig"),
}
_INSTALL_DOCS = "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"


def missing_library(exc: OSError) -> EnvironmentProblem:
    """What to install when WeasyPrint's import fails to load a system library."""
    text = str(exc)
    match = re.search(r"library '([^']+)'", text) or re.search(r"(lib[\w.+-]+)", text)
    library = match[1] if match else ""
    stem = re.sub(r"^lib|[-.]\d.*$|\.so.*$|\.dylib$|\.dll$", "", library).lower()
    stem = re.sub(r"-[\d.]+$", "", stem)
    if stem in _LIBRARIES:
        name, debian, other = _LIBRARIES[stem]
        install = f"install {debian} (Debian/Ubuntu) or {other} (Fedora, Homebrew)"
    else:
        name = library or "a system library"
        install = "install Pango and its libraries"
    return EnvironmentProblem(f"WeasyPrint could not load {name}: {install}; see "
                              f"{_INSTALL_DOCS} (the system said: {text})")


def import_weasyprint() -> Any:
    """The weasyprint module; EnvironmentProblem naming the package to install when a
    system library it needs (Pango, GLib, HarfBuzz, Fontconfig) is missing."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    try:
        with _direct_library_names():
            import weasyprint
    except OSError:
        try:  # the slow, sure way: cffi may find the library through ctypes.util
            import weasyprint
        except OSError as exc:
            raise missing_library(exc) from None
    return weasyprint


@contextmanager
def _direct_library_names() -> Iterator[None]:
    """While WeasyPrint loads its libraries, open each only by the names it lists.

    WeasyPrint tries several names per library ("libpango-1.0-0", ..., "libpango-1.0.so.0")
    and cffi runs ctypes.util.find_library for each that does not open as given; on
    Linux every such lookup starts ``ldconfig`` or a compiler in a subprocess, about a
    fifth of the import (0.2 s) before the name that opens directly is reached. On a
    system where only the search finds a library, the import fails here and
    import_weasyprint imports again with the search (WeasyPrint's own error message,
    which it prints to stdout, is held back the first time).
    """
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = search


# Text that is hyphenated and justified, a table, a chart's text and a tagged, subset
# font: the paths every brief's layout takes.
WARM_UP_HTML = (
    '<html lang="en"><head><style>@page{size:A4;margin:2cm}body{font-family:"DejaVu Sans",'
    "sans-serif;hyphens:auto;text-align:justify}table{border-collapse:collapse;width:100%}"
    "</style></head><body><main><h2 id=a>Warm-up</h2><p>Internationalisation of the "
    "negotiating position, with safeguards.</p><table><caption>Table</caption><thead><tr>"
    "<th scope=col>Criterion</th><th scope=col>Score</th></tr></thead><tbody><tr><th "
    "scope=row>Supply</th><td>4</td></tr></tbody></table><svg width=40 height=20 "
    'viewBox="0 0 40 20"><text x=2 y=12 font-family="DejaVu Sans" font-size=8>Chart</text>'
    '<path d="M0 0L10 10"/></svg><p><a href="#a">Link</a></p></main></body></html>')


_warm = False


def warm_up() -> None:
    """Import WeasyPrint and lay out one small document, once per process: what every
    process pays once (Fontconfig's set-up, the hyphenation dictionary, cffi's C types,
    the first layout's costs) is then paid before layout processes fork from this one."""
    global _warm
    weasyprint = import_weasyprint()
    if not _warm:
        weasyprint.HTML(string=WARM_UP_HTML).write_pdf(**TAGGED)
        _warm = True


@dataclass(frozen=True)
class SourceAttachment:
    """A file embedded in the PDF: bytes briefgen read itself, never a path WeasyPrint opens."""

    name: str  # the name a PDF reader shows, e.g. "options/alaska-lng.yaml"
    data: bytes
    date: datetime  # from the brief or SOURCE_DATE_EPOCH, so the PDF stays reproducible
    media_type: str = "application/yaml"
    description: str | None = None


@dataclass(frozen=True)
class Refused:
    url: str
    reason: str

    def __str__(self) -> str:
        shown = self.url if len(self.url) <= 120 else self.url[:117] + "..."
        return f"{shown} ({self.reason})"


@dataclass
class FetchLog:
    """URLs WeasyPrint asked for and was refused, to report to the user."""

    refused: list[Refused] = field(default_factory=list)


def check_url(url: str, roots: Iterable[Path]) -> tuple[Path | None, str | None]:
    """For a URL WeasyPrint wants: the file to serve (None for data:), or why it is refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        if len(url) > MAX_DATA_URI:
            return None, f"data: URI over {MAX_DATA_URI:,} characters"
        return None, None
    if scheme != "file":
        return None, "network access is off" if scheme in ("http", "https", "ftp") \
            else f"{scheme or 'relative'} URLs are not allowed"
    if parts.netloc not in ("", "localhost"):
        return None, "file URLs on another host are not allowed"
    raw = Path(unquote(parts.path))
    if any(part.startswith(".") and part not in (".", "..") for part in raw.parts):
        return None, "hidden files and folders are not served"
    path = raw.resolve()  # follows symlinks and removes ..
    inside = [root for root in roots if path.is_relative_to(root)]
    if not inside:
        return None, "outside the theme and the workspace's templates/ and assets/"
    if any(part.startswith(".") for part in path.relative_to(inside[0]).parts):
        return None, "hidden files and folders are not served"
    if not path.is_file():
        return None, "no such file"
    return path, None


def _fetcher(allowed_roots: Iterable[Path], log: FetchLog) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [r.resolve() for r in allowed_roots]

    class SafeFetcher(URLFetcher):
        """Serves small data: URIs and files inside the allowed folders; refuses the rest."""

        closed = False
        # briefgen's own attachments (data: URLs it built from bytes it read): the only
        # URLs served once layout is done.
        attachments: frozenset[str] = frozenset()

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if self.closed:
                if url in self.attachments:
                    return super().fetch(url, headers)
                return self._refuse(url, "PDF attachments are not allowed")
            path, why = check_url(url, roots)
            if why is not None:
                return self._refuse(url, why)
            if path is None:  # a small data: URI, decoded by urllib's DataHandler
                return super().fetch(url, headers)
            try:
                body = read_resolved_file(path)
            except OSError:
                return self._refuse(url, "not a regular file")
            return URLFetcherResponse(path.as_uri(), body=body)

        def _refuse(self, url: str, why: str) -> URLFetcherResponse:
            log.refused.append(Refused(url, why))
            raise ValueError(f"briefgen refused {url[:120]}: {why}")

    return SafeFetcher()


class _QuietRefusals(logging.Filter):
    """Drops WeasyPrint's own log lines about fetches briefgen refused (it reports them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "briefgen refused" not in record.getMessage()


TAGGED = {"pdf_tags": True}  # every PDF briefgen writes is tagged for assistive technology


def safe_fetcher(allowed_roots: Iterable[Path]) -> tuple[Any, FetchLog]:
    """A fetcher that reaches only the allowed folders, and the log of what it refused;
    WeasyPrint's own lines about those refusals are silenced, since briefgen reports them."""
    logger = logging.getLogger("weasyprint")
    logger.setLevel(logging.ERROR)
    if not any(isinstance(f, _QuietRefusals) for f in logger.filters):
        logger.addFilter(_QuietRefusals())
    log = FetchLog()
    return _fetcher(allowed_roots, log), log


def html_to_pdf(html: str, base_dir: Path, allowed_roots: Iterable[Path],
                variant: str | None = None,
                attachments: Sequence[SourceAttachment] = ()) -> tuple[bytes, FetchLog]:
    """Render HTML to PDF bytes; return them with the list of refused fetches.

    ``variant`` is one of PDF_VARIANTS or None (a tagged PDF 1.7). Attachments go in as
    data: URLs through the same fetcher, so their media type does not depend on the
    machine's MIME database and no path is ever opened by WeasyPrint.
    """
    weasyprint = import_weasyprint()

    if variant is not None and variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}")

    fetcher, log = safe_fetcher(allowed_roots)
    document = weasyprint.HTML(
        string=html,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    options: dict[str, Any] = dict(TAGGED)
    if variant is not None:
        options["pdf_variant"] = variant
    document = document.render(**options)
    urls = [f"data:{a.media_type};base64,{base64.b64encode(a.data).decode('ascii')}"
            for a in attachments]
    files = [
        weasyprint.Attachment(
            url=url, url_fetcher=fetcher, name=a.name, description=a.description,
            created=a.date, modified=a.date, relationship="Source")
        for url, a in zip(urls, attachments, strict=True)]
    # Layout is done: from now on only briefgen's own attachments are served, so a
    # <link rel=attachment> in the content can never embed a file.
    fetcher.attachments = frozenset(urls)
    fetcher.closed = True
    pdf = document.write_pdf(attachments=files, **options)
    return pdf, log


def engine_versions() -> dict[str, str]:
    """The versions of what lays out and draws the PDF: WeasyPrint and the Pango it loaded.

    A PDF's look depends on them as much as on briefgen's own version, so bug
    reports need them. Imports WeasyPrint (about 0.6 s).
    """
    import weasyprint
    from weasyprint.text.ffi import pango

    number = int(pango.pango_version())  # major * 10000 + minor * 100 + micro
    return {"WeasyPrint": weasyprint.__version__,
            "Pango": f"{number // 10000}.{number // 100 % 100}.{number % 100}"}
