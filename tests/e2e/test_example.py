"""End to end: the example workspace builds, and the PDF and HTML carry the ranked matrix."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.analysis.scores import analyse
from briefgen.cli import cli
from briefgen.inputs.loader import load_workspace


class MatrixRows(HTMLParser):
    """Collects the text of each cell of <table class="matrix">, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.depth = 0
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "matrix" in (dict(attrs).get("class") or "").split():
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth = 0
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.conftest import ROOT

    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", "--workspace", str(ROOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return ROOT, out


def expected_ranking(root: Path):
    ws, report = load_workspace(root)
    assert report.errors == []
    brief = ws.briefs["fifth-round-offers"]
    analysis = analyse(brief, [ws.options[i] for i in ws.option_ids(brief)])
    return ws, brief, analysis


def test_example_checks_clean_without_warnings(monkeypatch) -> None:
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output


def test_html_matrix_lists_options_in_rank_order(built: tuple[Path, Path]) -> None:
    root, out = built
    ws, brief, analysis = expected_ranking(root)
    parser = MatrixRows()
    parser.feed((out / "fifth-round-offers.html").read_text(encoding="utf-8"))
    header, *rows = parser.rows
    assert header[:2] == ["Rank", "Option"]
    assert header[-1] == "Weighted total"
    assert len(header) == 3 + len(brief.criteria)
    assert len(rows) == len(analysis.ranking) == 6
    for row, result in zip(rows, analysis.ranking, strict=True):
        assert row[0].rstrip("= tied") == str(result.rank)
        assert row[1].startswith(ws.options[result.option].title)
        assert row[-1] == f"{result.total:.1f}" or row[-1].startswith(f"{result.total:.1f} ")


def test_html_is_self_contained(built: tuple[Path, Path]) -> None:
    html = (built[1] / "fifth-round-offers.html").read_text(encoding="utf-8")
    assert "<style>" in html
    assert not re.search(r"<(link|script|img)\b", html)
    assert not re.search(r"""\b(src|href)=["']?(https?:)?//""", html.split("<main", 1)[0])


def test_pdf_carries_every_option_and_the_ranked_matrix(built: tuple[Path, Path]) -> None:
    root, out = built
    ws, brief, analysis = expected_ranking(root)
    reader = PdfReader(out / "fifth-round-offers.pdf")
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    text = " ".join(pages)
    for result in analysis.ranking:
        assert ws.options[result.option].title in text
    # the matrix page holds each option's title and total, in rank order
    # the matrix caption, not the contents on page 1, which also names the section
    matrix_page = next(p for p in pages if "Options in rank order." in p)
    positions = [matrix_page.find(ws.options[r.option].title) for r in analysis.ranking]
    assert -1 not in positions and positions == sorted(positions)
    for result in analysis.ranking:
        assert f"{result.total:.1f}" in matrix_page
    # every page is marked and numbered "Page N of M"
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in page
        assert brief.classification.upper() in page.upper()
    # headings become bookmarks
    titles = [item.title for item in _flatten(reader.outline)]
    assert "Executive summary" in titles and "Comparison matrix" in titles


def _flatten(outline: list) -> list:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items
