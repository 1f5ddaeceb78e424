"""Where the example's build spends its time, per element: the next regression in minutes.

    python benchmarks/profile.py [--workspace DIR] [--repeat 3]

Builds the example's HTML (the Python side, timed in a fresh process), then lays
out variants of that HTML with WeasyPrint, each in a fresh process (median of
``--repeat`` runs): the whole page, and the page without its charts (<svg>),
without its tables, without its contents (<nav class="toc">). What a variant
saves is that element's share of the layout; what is left over is text, fonts
and everything else.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
VARIANTS = {
    "charts": re.compile(r"<svg\b.*?</svg>", re.S),
    "tables": re.compile(r"<table\b.*?</table>", re.S),
    "contents": re.compile(r'<nav class="toc".*?</nav>', re.S),
}
LAYOUT = ("import sys, weasyprint; weasyprint.HTML(string=open(sys.argv[1]).read(), "
          "base_url=sys.argv[2]).write_pdf(pdf_tags=True)")


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-profile-") as scratch:
        tmp = Path(scratch)
        ws = tmp / "ws"
        for folder in ("options", "briefs", "templates", "assets"):
            if (args.workspace / folder).is_dir():
                shutil.copytree(args.workspace / folder, ws / folder)
        build = [PY, "-m", "briefgen", "build", "-w", str(ws), "-f", "html", "--force", "-q",
                 "-o", str(tmp / "out")]
        python = statistics.median(timed(build) for _ in range(args.repeat))
        [html_path] = sorted((tmp / "out").glob("*.html"))[:1]
        html = html_path.read_text(encoding="utf-8")
        base = ws.as_uri() + "/"

        def layout(text: str, name: str) -> float:
            path = tmp / f"{name}.html"
            path.write_text(text, encoding="utf-8")
            return statistics.median(timed([PY, "-c", LAYOUT, str(path), base])
                                     for _ in range(args.repeat))

        whole = layout(html, "whole")
        bare = layout("<html><body></body></html>", "empty")  # Python and WeasyPrint start-up
        shares = {name: max(0.0, whole - layout(pattern.sub("", html), name))
                  for name, pattern in VARIANTS.items()}
    total = python + whole
    print(f"{html_path.name}: {len(html) / 1024:.0f} KB of HTML, {html.count('<')} tags")
    print(f"{'element':<28}{'seconds':>8}{'share':>8}")
    rows = [("Python side (HTML build)", python),
            *((f"layout: {n}", s) for n, s in shares.items()),
            ("layout: start-up", bare),
            ("layout: text and the rest", max(0.0, whole - bare - sum(shares.values())))]
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>8.2f}{seconds / total:>8.0%}")
    print(f"{'total (HTML + layout)':<28}{total:>8.2f}")


if __name__ == "__main__":
    main()
