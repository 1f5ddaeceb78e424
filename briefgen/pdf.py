"""Stage 4c: HTML to PDF with WeasyPrint, which may reach nothing outside.

WeasyPrint is imported here only, and this module only when a PDF is made:
its import alone costs more than validating a whole workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_DATA_URI = 2_000_000


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


def html_to_pdf(html: str, base_dir: Path, allowed_roots: Iterable[Path]) -> tuple[bytes, FetchLog]:
    """Render HTML to PDF bytes; return them with the list of refused fetches."""
    import weasyprint

    log = FetchLog()
    # WeasyPrint logs every refused fetch as a warning; briefgen reports them itself.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(
        string=html,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=_fetcher(allowed_roots, log),
    )
    pdf = document.write_pdf(pdf_tags=True)
    return pdf, log
