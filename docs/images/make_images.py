"""Make the pictures of the example brief that README.md shows.

    python docs/images/make_images.py

Builds the example workspace's PDF into a temporary folder and renders two of its
pages as PNG next to this script: page 1 (title block, bottom line, decision and
ranking) and the page that starts the comparison matrix. Needs poppler-utils
(pdftoppm, pdftotext). Run it after a change to how the brief looks, and commit
the pictures with the change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BRIEF = "fifth-round-offers"
RESOLUTION = 70  # dots per inch: legible in a README, a few hundred KB a page


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def matrix_page(pdf: Path) -> int:
    """The first page after the contents whose text starts the comparison matrix."""
    for page in range(2, page_count(pdf) + 1):
        text = page_text(pdf, page)
        if "Comparison matrix" in text and "Contents" not in text:
            return page
    raise SystemExit("no page of the PDF holds the comparison matrix")


def render(pdf: Path, page: int, name: str) -> Path:
    stem = HERE / name
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(RESOLUTION), "-f", str(page),
                    "-l", str(page), str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def main() -> None:
    for tool in ("pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for folder in ("options", "briefs"):
            shutil.copytree(ROOT / folder, work / folder)
        subprocess.run([sys.executable, "-m", "briefgen", "build", "--format", "pdf", "--quiet",
                        "--workspace", str(work)], check=True)
        pdf = work / "output" / f"{BRIEF}.pdf"
        for page, name in ((1, "brief-page-1"), (matrix_page(pdf), "brief-matrix")):
            print(render(pdf, page, name).relative_to(ROOT))


if __name__ == "__main__":
    main()
