"""The PDF server's preload (see briefgen.output.pdf.server): importing this module
imports WeasyPrint and lays out one small document, so that what every process pays
once (Fontconfig's set-up, the hyphenation dictionary, cffi's C types, WeasyPrint's
first-layout costs) is paid in the server, before the layout processes fork from it.

A failure here is left for the layout itself to report: the server only warms.
"""

from __future__ import annotations

import contextlib

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


def warm_up() -> None:
    from briefgen.output.pdf.weasy import TAGGED, import_weasyprint

    weasyprint = import_weasyprint()
    weasyprint.HTML(string=WARM_UP_HTML).write_pdf(**TAGGED)


with contextlib.suppress(Exception):
    warm_up()
    # What a layout process unpickles: imported here once, not in each process.
    import briefgen.output.pdf.split  # noqa: F401
