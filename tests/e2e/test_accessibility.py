"""HTML accessibility: semantic structure, and axe-core in headless Chromium.

The axe test needs Chromium and axe-core; .ci/run installs both (axe-core from
the npm registry into .cache/axe, pinned). Elsewhere it skips and says why; in
CI (CI=true) a missing tool is a failure, so the check cannot silently vanish.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.conftest import ROOT
from tests.helpers.axe_run import find_axe, find_chromium, run_axe

BRIEF = "fifth-round-offers"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    for template in ("brief", "memo"):
        result = CliRunner().invoke(cli, ["build", "--workspace", str(ROOT), "--out", str(out),
                                          "--format", "html", "--template", template])
        assert result.exit_code == 0, result.output
    return {"brief": out / f"{BRIEF}.html", "memo": out / f"{BRIEF}-memo.html"}


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.landmarks: list[str] = []
        self.tables = 0
        self.captions = 0
        self.th = 0
        self.table_stack: list[list[int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(tag)
        if tag == "table":
            self.tables += 1
            self.table_stack.append([0, 0])
        elif tag == "caption" and self.table_stack:
            self.table_stack[-1][0] += 1
        elif tag == "th" and self.table_stack:
            self.table_stack[-1][1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.table_stack:
            caption, th = self.table_stack.pop()
            self.captions += caption > 0
            self.th += th > 0


@pytest.mark.parametrize("kind", ["brief", "memo"])
def test_html_is_semantic(pages: dict[str, Path], kind: str) -> None:
    html = pages[kind].read_text(encoding="utf-8")
    outline = Outline()
    outline.feed(html)
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert {"header", "main", "footer"} <= set(outline.landmarks)
    assert outline.landmarks.count("main") == 1
    # only the fact tables of the options have no caption (their heading names them)
    assert outline.captions >= outline.tables - html.count('<table class="facts">')
    assert outline.th == outline.tables
    assert re.search(r'<html lang="[a-z]{2}', html)
    assert '<meta name="viewport"' in html


def _tools() -> tuple[str, Path]:
    chromium, axe = find_chromium(), find_axe()
    missing = [what for what, found in (("chromium", chromium), ("axe-core", axe)) if not found]
    if missing:
        reason = (f"axe check needs {' and '.join(missing)}: apt-get install chromium; "
                  "npm install --prefix .cache/axe axe-core@4.14.1 (or set AXE_CORE_JS); "
                  ".ci/run does both")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert chromium and axe
    return chromium, axe


@pytest.mark.parametrize(("kind", "width"), [("brief", 1280), ("brief", 390), ("memo", 1280)])
def test_no_serious_or_critical_axe_violation(pages: dict[str, Path], kind: str,
                                              width: int) -> None:
    chromium, axe = _tools()
    violations = run_axe(pages[kind], chromium, axe, width=width)
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not grave, "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:5]}"
                                for v in grave)
