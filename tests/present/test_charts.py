"""The analysis in the built brief: charts, robustness, method note; and lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build.pipeline import build, load_valid_workspace
from briefgen.output.render import render_html
from briefgen.present import charts
from briefgen.present.brief import present
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B, ROOT

NASTY = OPTION_A.replace("title: Option A", 'title: "A <script>alert(1)</script> $x$ & co"')
RANGES = OPTION_B.replace("leverage: {value: 2,", "leverage: {value: 2, low: 1, high: 5,")
EXTRA = """\
analysis: {seed: 42, draws: 2000}
packages:
  - {id: a-and-b, title: A and B together, options: [opt-a, opt-b]}
"""
TIMELINE = """\
timeline: {start: now, months_to_effect: 6}
risks:
  - {risk: It fails, likelihood: likely, impact: major, mitigation: Try again}
"""


def test_same_inputs_give_identical_svg_bytes():
    args = (["Option <A>", "B $1$"], ["Leverage", "Cost"], [[30.0, 10.0], [20.0, 5.0]],
            [35.0, 20.0], [45.0, 30.0], "alt <text>")
    first, second = charts.totals_chart(*args), charts.totals_chart(*args)
    assert first.svg.encode() == second.svg.encode()
    assert "<script" not in first.svg and "Date" not in first.svg
    assert "alt &lt;text&gt;" in first.svg  # the title is escaped
    assert 'id="chart-totals-' in first.svg and "<?xml" not in first.svg


def test_brief_html_shows_robustness_packages_and_escaped_charts(workspace):
    root = workspace(options={"opt-a": NASTY + TIMELINE, "opt-b": RANGES},
                     briefs={"brief-x": BRIEF_X + EXTRA})
    ws, _ = load_valid_workspace(root)
    view = present(ws, ws.briefs["brief-x"])
    html = render_html(view, root)
    assert "<script>alert(1)" not in html
    assert "A &lt;script&gt;" in html
    for chart_id in ("chart-totals", "chart-stability", "chart-acceptability", "chart-timeline",
                     "chart-risks"):
        assert f'<figure class="chart" id="{chart_id}-figure">' in html
    assert html.count("<svg ") == 5 and html.count("<figcaption>") == 5
    assert "seed 42" in html and "2,000" in html
    assert "How robust is the ranking" in html and "A and B together" in html
    assert "t* = ΔR / (ΔR − Δv)" in html  # the method note states the formula
    assert view.extras.chart_seconds < 5
    switches = view.extras.robustness.switches
    assert all(s.rival in ws.options for s in switches)


def test_check_imports_neither_numpy_nor_matplotlib(workspace):
    root = workspace()
    code = ("import sys\nfrom click.testing import CliRunner\nfrom briefgen.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['check', '-w', {str(root)!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('numpy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_pdf_embeds_the_charts_as_vectors(workspace, tmp_path):
    pypdf = __import__("pypdf")
    root = workspace(options={"opt-a": OPTION_A + TIMELINE, "opt-b": RANGES})
    ws, _ = load_valid_workspace(root)
    [pdf] = build(ws, ["brief-x"], ["pdf"], tmp_path / "out").written
    reader = pypdf.PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "How robust is the ranking" in text and "seed 20250605" in text
    # Vector charts: no raster images anywhere in the document.
    assert not any(page.images for page in reader.pages)


def test_acceptability_chart_groups_the_tail_of_many_ranks():
    from briefgen.present.charts import acceptability_chart

    n = 9
    shares = [[1.0 if r == i else 0.0 for r in range(n)] for i in range(n)]
    svg = acceptability_chart([f"Option {i}" for i in range(n)], shares, "alt").svg
    # Text is drawn as paths, so count the bands by their legend entries' ids instead.
    few = acceptability_chart(["A", "B"], [[0.7, 0.3], [0.3, 0.7]], "alt").svg
    assert svg.count('id="chart-acceptability-patch_') < n * n
    assert few.count('id="chart-acceptability-patch_') >= 4


def test_acceptability_table_groups_the_tail_of_many_ranks():
    """Ranks past the fifth are one column: 120 rank columns ran off the printed page."""
    from briefgen.analysis.acceptability import grouped_shares, rank_groups
    from briefgen.language.formatting import rank_label, use_language

    assert rank_groups(4) == ((1, 1), (2, 2), (3, 3), (4, 4))
    assert rank_groups(6) == tuple((r, r) for r in range(1, 7))  # a group of one is no group
    assert rank_groups(120) == ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 120))
    shares = [0.5, 0.2, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03]
    assert grouped_shares(shares, rank_groups(8)) == pytest.approx(
        (0.5, 0.2, 0.1, 0.05, 0.05, 0.10))
    assert rank_label(6, 120) == "Rank 6–120"
    with use_language("ja"):
        assert rank_label(6, 120) == "6～120位"
        assert rank_label(2) == "2位"


def test_brief_with_many_options_prints_six_rank_columns(workspace: Callable[..., Path]):
    letters = "abcdefgh"
    options = {f"opt-{c}": OPTION_A.replace("id: opt-a", f"id: opt-{c}")
               .replace("Option A", f"Option {c.upper()}").replace("value: 4", f"value: {i % 6}")
               for i, c in enumerate(letters)}
    root = workspace(options=options, briefs={"brief-x": BRIEF_X.replace("opt-b", "opt-a")})
    ws, _ = load_valid_workspace(root)
    html = render_html(present(ws, ws.briefs["brief-x"], draw_charts=False), ws.root)
    table = html[html.index('<table class="acceptability">'):]
    table = table[:table.index("</table>")]
    headers = [h for h in table.split("<th scope=\"col\" class=\"num\">")[1:]]
    assert [h.split("<")[0] for h in headers] == [
        "Rank 1", "Rank 2", "Rank 3", "Rank 4", "Rank 5", "Rank 6–8", "Confidence factor"]
    assert table.count("<tr>") == 1 + len(letters)


def test_charts_of_many_options_show_the_top_ones_and_say_so(workspace: Callable[..., Path]):
    """A bar per option ran off the printed page past about fifteen options; the charts show
    the highest-ranked ones, their captions say so, and the tables keep every option."""
    from briefgen.present.findings import CHART_ROWS

    n = CHART_ROWS + 2
    options = {f"opt-{i:02d}": OPTION_A.replace("id: opt-a", f"id: opt-{i:02d}")
               .replace("Option A", f"Option {i:02d}").replace("value: 4", f"value: {i % 6}")
               + f"timeline: {{start: On agreement, months_to_effect: {i}}}\n"
               for i in range(n)}
    root = workspace(options=options, briefs={"brief-x": BRIEF_X.replace("opt-b", "opt-00")})
    ws, _ = load_valid_workspace(root)
    view = present(ws, ws.briefs["brief-x"])
    charts_ = view.extras.robustness.charts
    for name in ("totals", "acceptability", "timeline"):
        assert f"The {CHART_ROWS} highest-ranked of {n} options are shown." in \
            charts_[name].caption, name
    assert len(view.extras.robustness.acceptability) == n  # the table has them all
    # The alt text names what the chart draws: the top options, one each.
    assert charts_["acceptability"].alt.count("; ") == CHART_ROWS - 1
    assert charts_["totals"].alt.count("; ") == CHART_ROWS - 1


def test_a_glyph_no_font_has_is_collected_not_warned(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    charts.take_missing_glyphs()
    # filterwarnings=error: matplotlib's own UserWarning would fail this test
    charts.totals_chart(["Option \N{UNICORN FACE}", "B"], ["Leverage"], [[30.0], [20.0]],
                        [25.0, 15.0], [35.0, 25.0], "alt")
    assert charts.take_missing_glyphs() == ["\N{UNICORN FACE}"]
    assert charts.take_missing_glyphs() == []
    # Read back from the cache, the chart still reports what it could not draw.
    charts.totals_chart(["Option \N{UNICORN FACE}", "B"], ["Leverage"], [[30.0], [20.0]],
                        [25.0, 15.0], [35.0, 25.0], "alt")
    assert charts.take_missing_glyphs() == ["\N{UNICORN FACE}"]


def test_missing_glyphs_are_one_located_warning_even_under_quiet(workspace):
    # The same character in the brief's context, which no chart draws, is not where the
    # warning points: it pointed at the first field holding the character.
    root = workspace(options={"opt-a": OPTION_A.replace("title: Option A",
                                                        "title: Option \N{UNICORN FACE} A"),
                              "opt-b": OPTION_B},
                     briefs={"brief-x": BRIEF_X.replace("context: Some context.",
                                                        "context: A \N{UNICORN FACE} context.")})
    result = subprocess.run([sys.executable, "-m", "briefgen", "build", "-f", "html", "-q"],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "UserWarning" not in result.stderr and "savefig" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("options/opt-a.yaml:2:8: warning: title: the charts cannot "
                                    "draw \N{UNICORN FACE} (U+1F984): no installed font has it")


TOTALS_ARGS = (["Option <A> with a name long enough to wrap", "B $1$"], ["Leverage", "Cost"],
               [[30.0, 10.0], [20.0, 5.0]], [35.0, 20.0], [45.0, 30.0], "alt")


def test_labels_are_text_in_the_font_the_chart_was_measured_in():
    svg = charts.totals_chart(*TOTALS_ARGS).svg
    assert f"font-family: {charts.FONT_STACK}" in svg
    assert charts.FONT_STACK.startswith("'DejaVu Sans'")  # what matplotlib measures with
    # Every label is one <text> element, escaped, and no letter is a drawn glyph any more.
    assert ">Option &lt;A&gt; with a name long<" in svg and ">B $1$<" in svg
    assert ">Weighted total (0–100); whiskers: every score at its low or high end<" in svg
    assert "DejaVuSans-" not in svg and "<use xlink:href=\"#chart-totals-DejaVu" not in svg


def _draw_in_fresh_process(cache: Path, months: float) -> tuple[str, bool]:
    code = ("import sys\nfrom briefgen.present import charts\n"
            f"c = charts.timeline_chart(['Option A', 'Option B'], [{months}, None], 'alt')\n"
            "print('matplotlib' in sys.modules)\nprint(c.svg)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)})
    imported, svg = out.stdout.split("\n", 1)
    return svg, imported == "True"


def test_an_unchanged_chart_is_read_back_without_importing_matplotlib(tmp_path):
    drawn, imported = _draw_in_fresh_process(tmp_path / "cache", 12)
    assert imported and "<text" in drawn
    again, imported = _draw_in_fresh_process(tmp_path / "cache", 12)
    assert again == drawn and not imported
    changed, imported = _draw_in_fresh_process(tmp_path / "cache", 18)  # new data: drawn anew
    assert imported and changed != drawn and ">18 months<" in changed


def test_a_damaged_or_tampered_cache_entry_is_drawn_again(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    first = charts.totals_chart(*TOTALS_ARGS)
    [entry] = (tmp_path / "cache" / "charts").glob("*/*")
    for bad in (b"not json", json.dumps({"id": "chart-totals", "alt": "alt", "png": None,
                                          "svg": "<svg><script>alert(1)</script></svg>"}).encode()):
        entry.write_bytes(bad)
        assert charts.totals_chart(*TOTALS_ARGS) == first


def test_the_word_output_gets_its_png_from_the_cache_too(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert charts.totals_chart(*TOTALS_ARGS).png is None
    with charts.rasters():
        drawn = charts.totals_chart(*TOTALS_ARGS)
        assert drawn.png is not None and drawn.png.startswith(b"\x89PNG")
        assert charts.totals_chart(*TOTALS_ARGS) == drawn


def test_a_timeline_chart_of_options_all_effective_at_once() -> None:
    # Every option at 0 months once made matplotlib warn of a singular axis (0 to 0); found
    # by the generated corpus (tests/e2e/test_corpus.py).
    chart = charts.timeline_chart(["Option A", "Option B"], [0, 0], "Timeline")
    assert "<svg" in str(chart.svg)


def test_a_long_name_takes_at_most_three_lines_beside_its_bar() -> None:
    from briefgen.present.charts import label

    # A 150-character title wrapped onto six lines and ran over its neighbours' labels.
    title = ("A realistic option title that goes on and on about the many commitments it "
             "makes to partners, suppliers and the parliamentary committee in charge")
    lines = label(title).split("\n")
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 30 for line in lines)
    # Names that fit are untouched: the example's longest title keeps its three lines.
    assert label("Expand US LNG imports, including support for Alaska LNG").split("\n") == [
        "Expand US LNG imports,", "including support for Alaska", "LNG"]
    # Japanese is about twice as wide a character: half as many per line.
    ja = label("レアアース共同供給計画" * 8).split("\n")
    assert len(ja) == 3 and all(len(line) <= 15 for line in ja) and ja[-1].endswith("…")
