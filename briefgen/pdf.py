"""Stage 4c: HTML to PDF with WeasyPrint, which may reach nothing outside.

WeasyPrint is imported here only, and this module only when a PDF is made:
its import alone costs more than validating a whole workspace.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_DATA_URI = 2_000_000
# The PDF variants briefgen offers: archival with attachments, and accessible (tagged).
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


@dataclass(frozen=True)
class SourceAttachment:
    """A file embedded in the PDF: bytes briefgen read itself, never a path WeasyPrint opens."""

    name: str  # the name a PDF reader shows, e.g. "options/alaska-lng.yaml"
    data: bytes
    date: datetime  # from the brief or SOURCE_DATE_EPOCH, so the PDF stays reproducible
    media_type: str = "application/yaml"
    description: str | None = None


@dataclass
class FetchLog:
    """URLs WeasyPrint asked for and was refused, to report to the user."""

    refused: list[str] = field(default_factory=list)


def _fetcher(allowed_roots: Iterable[Path], log: FetchLog) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [r.resolve() for r in allowed_roots]

    class SafeFetcher(URLFetcher):
        """Serves small data: URIs and files inside the allowed folders; refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme == "data":
                if len(url) > MAX_DATA_URI:
                    return self._refuse(url, "data: URI over the size limit")
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()  # follows symlinks
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
                return self._refuse(url, "outside the workspace and theme")
            return self._refuse(url, "network access is off")

        def _refuse(self, url: str, why: str) -> URLFetcherResponse:
            log.refused.append(f"{url[:120]} ({why})")
            raise ValueError(f"briefgen refused {url[:120]}: {why}")

    return SafeFetcher()


def html_to_pdf(html: str, base_dir: Path, allowed_roots: Iterable[Path],
                variant: str | None = None,
                attachments: Sequence[SourceAttachment] = ()) -> tuple[bytes, FetchLog]:
    """Render HTML to PDF bytes; return them with the list of refused fetches.

    ``variant`` is one of PDF_VARIANTS or None (a tagged PDF 1.7). Attachments go in as
    data: URLs through the same fetcher, so their media type does not depend on the
    machine's MIME database and no path is ever opened by WeasyPrint.
    """
    import weasyprint

    if variant is not None and variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}")

    log = FetchLog()
    # WeasyPrint logs every refused fetch as a warning; briefgen reports them itself.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = _fetcher(allowed_roots, log)
    document = weasyprint.HTML(
        string=html,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    files = [
        weasyprint.Attachment(
            url=f"data:{a.media_type};base64,{base64.b64encode(a.data).decode('ascii')}",
            url_fetcher=fetcher, name=a.name, description=a.description,
            created=a.date, modified=a.date, relationship="Source")
        for a in attachments]
    options: dict[str, Any] = {"pdf_tags": True}
    if variant is not None:
        options["pdf_variant"] = variant
    pdf = document.write_pdf(attachments=files, **options)
    return pdf, log
