"""The layout check on small documents made to trip each finding on a known page."""

from __future__ import annotations

from pathlib import Path

from briefgen.output.pdf.layout_check import check_html

# A6 with 10 mm margins: a content area of 85 x 128 mm (about 321 x 484 px).
PAGE = "<style>@page { size: A6; margin: 10mm } table { width: 100% } tr { height: 30px }" \
       "</style>"


def rows(n: int) -> str:
    return "".join(f"<tr><td>{i}</td></tr>" for i in range(1, n + 1))


def check(body: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    return [(f.page, f.code, f.text()) for f in check_html(PAGE + body, tmp_path, [])]


def test_a_clean_document_has_no_findings(tmp_path: Path) -> None:
    body = f"<h2>Tables</h2><table><tbody>{rows(5)}</tbody></table><p>Text.</p>"
    assert check(body, tmp_path) == []


def test_a_short_table_forced_across_a_page_break(tmp_path: Path) -> None:
    body = (f"<h2>Tables</h2><div style='height: 330px'></div>"
            f"<table><caption>Five</caption><thead><tr><th>n</th></tr></thead>"
            f"<tbody>{rows(5)}</tbody></table>")
    [(page, code, text)] = check(body, tmp_path)
    assert (page, code) == (1, "table-split")
    assert text == ("page 1: the table \u201cFive\u201d of 5 rows is split across pages 1-2 "
                    "(a table of up to 12 rows that fits on a page should not split) "
                    "(in \u201cTables\u201d)")


def test_a_long_table_split_with_one_row_on_a_side(tmp_path: Path) -> None:
    body = (f"<h2>Long</h2><div style='height: 330px'></div>"
            f"<table><tbody>{rows(14)}</tbody></table>")
    [(page, code, text)] = check(body, tmp_path)
    assert (page, code) == (1, "table-orphan")
    assert "of 14 rows is split between pages 1 and 2 with 2 rows before and 12 after" in text


def test_a_long_table_split_in_the_middle_is_fine(tmp_path: Path) -> None:
    body = (f"<h2>Long</h2><div style='height: 250px'></div>"
            f"<table><tbody>{rows(14)}</tbody></table>")
    assert check(body, tmp_path) == []


def test_a_heading_at_the_bottom_of_a_page(tmp_path: Path) -> None:
    body = ("<h2>First</h2><div style='height: 340px'></div>"
            "<h3 style='break-after: auto'>Lonely heading</h3>"
            "<p style='height: 200px; break-inside: avoid'>Its text.</p>")
    [(page, code, text)] = check(body, tmp_path)
    assert (page, code) == (1, "heading-at-bottom")
    assert text.startswith("page 1: the heading \u201cLonely heading\u201d is the last thing")


def test_an_overflowing_wide_table(tmp_path: Path) -> None:
    body = ("<h2>Intro</h2><p style='break-after: page'>Text.</p>"
            "<h2>Wide</h2><table style='width: 200mm' id='big'><tr><td>wide</td></tr></table>")
    [(page, code, text)] = check(body, tmp_path)
    assert (page, code) == (2, "overflow")
    assert "<table id=big> overflows the page's content area" in text
    assert "past the right edge" in text and text.endswith("(in \u201cWide\u201d)")


def test_a_continued_option_must_be_named(tmp_path: Path) -> None:
    body = ("<article class='option'><h3>Option one</h3>"
            "<div style='height: 380px'></div><p>" + "<br>".join(["line"] * 8) + "</p></article>")
    [(page, code, text)] = check(body, tmp_path)
    assert (page, code) == (2, "option-unnamed")
    assert "continues the option \u201cOption one\u201d but does not name it" in text
    named = ("<style>.option h3 { string-set: option content() } "
             "@page { @top-center { content: string(option) } }</style>") + body
    assert check(named, tmp_path) == []


def test_a_long_name_wrapped_in_the_margin_still_names_its_option(tmp_path: Path) -> None:
    # Found by the corpus: a Japanese title wrapped over two lines of the running header,
    # with no space where it wraps, was not recognised as naming the option.
    title = "選択肢5: エネルギーの調達を含むエネルギーのエネルギーの融資の包括的な対応"
    body = (f"<article class='option'><h3>{title}</h3><div style='height: 250px'></div>"
            "<p>" + "<br>".join(["line"] * 8) + "</p></article>")
    named = ("<style>.option h3 { string-set: option content() } "
             "@page { @top-right { content: string(option); width: 30mm } }</style>") + body
    assert check(named, tmp_path) == []
    unnamed = [code for _, code, _ in check(body, tmp_path)]
    assert unnamed == ["option-unnamed"]  # the same body is continued onto page 2


def test_an_underfilled_page_before_a_block_that_could_have_flowed(tmp_path: Path) -> None:
    # A paragraph longer than a page that asks for more orphans than page 1 has lines left
    # goes to page 2 whole, though it could have started on page 1.
    body = ("<h2>Sparse</h2><p>One line.</p>"
            "<p id='long' style='orphans: 24'>" + "<br>".join(["line"] * 40) + "</p>")
    found = check(body, tmp_path)
    assert [(page, code) for page, code, _ in found] == [(1, "page-underfilled")]
    assert "the page is 1" in found[0][2] and "<p id=long>, which could have flowed" \
        in found[0][2]


def test_an_underfilled_page_before_a_forced_break_or_a_kept_block_is_fine(
        tmp_path: Path) -> None:
    forced = "<h2>Short</h2><p>One line.</p><h2 style='break-before: page'>Next</h2><p>x</p>"
    assert check(forced, tmp_path) == []
    # A heading, then a table kept whole that fits on a page but not in the space left.
    kept = ("<h2>Short</h2><div style='height: 200px'></div><h3>Table</h3>"
            f"<div style='break-inside: avoid'><table><tbody>{rows(12)}</tbody></table></div>")
    assert check(kept, tmp_path) == []
    # A chart cannot split either.
    chart = ("<h2>Short</h2><div style='height: 200px'></div>"
             "<svg xmlns='http://www.w3.org/2000/svg' style='display: block' width='300' "
             "height='400' viewBox='0 0 300 400'><rect width='300' height='400'/></svg>")
    assert check(chart, tmp_path) == []


GLYPH = ("<defs><path id='g1' d='M 0 0 L 3200 0 L 3200 4600 L 0 4600 z'/></defs>")


def svg_text(x: float) -> str:
    """An SVG of 100 x 50 with one glyph drawn as matplotlib does, its origin at x."""
    return ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'"
            " width='100' height='50' viewBox='0 0 100 50'>" + GLYPH +
            "<g id='chart-text_1'><!-- Label -->"
            f"<g transform='translate({x} 30) scale(0.1 -0.1)'>"
            "<use xlink:href='#g1'/><use xlink:href='#g1' x='60'/></g></g></svg>")


def test_svg_text_outside_the_viewbox(tmp_path: Path) -> None:
    # Each glyph is 50 x 72 units (3200 / 64, 4600 / 64): at scale 0.1, two glyphs span
    # 11 px, so text from x = 95 reaches 106 in a viewBox 100 wide.
    assert check(f"<h2>Chart</h2>{svg_text(10)}", tmp_path) == []
    [(page, code, text)] = check(f"<h2>Chart</h2>{svg_text(95)}", tmp_path)
    assert (page, code) == (1, "svg-text-outside")
    assert text == ("page 1: the chart draws its text \u201cLabel\u201d outside its viewBox, "
                    "where it is cut off (in \u201cChart\u201d)")


def test_the_ranking_at_a_glance_belongs_on_page_1(tmp_path: Path) -> None:
    glance = (f"<h2>Summary</h2><div style='break-inside: avoid'><table class='glance'>"
              f"<tbody>{rows(5)}</tbody></table></div>")
    assert check(glance, tmp_path) == []
    pushed = "<h2>Title</h2><div style='height: 400px'></div>" + glance
    found = check(pushed, tmp_path)
    assert (2, "glance-off-page-1") in [(page, code) for page, code, _ in found]
    # A ranking of more than eight options may go on over the page.
    long = (f"<div style='height: 400px'></div>"
            f"<table class='glance'><tbody>{rows(9)}</tbody></table>")
    assert "glance-off-page-1" not in [code for _, code, _ in check(long, tmp_path)]


def svg_label(x: float, anchor: str = "start", transform: str = "") -> str:
    """An SVG of 100 x 50 with one label as a <text> element, as charts draw them."""
    return ("<svg xmlns='http://www.w3.org/2000/svg' width='100' height='50' "
            "viewBox='0 0 100 50'><g" + (f" transform='{transform}'" if transform else "") + ">"
            f"<text style=\"font-size: 10px; font-family: 'DejaVu Sans'; text-anchor: {anchor}\""
            f" x='{x}' y='20'>Label</text></g></svg>")


def test_svg_text_elements_outside_the_viewbox(tmp_path: Path) -> None:
    # "Label" in DejaVu Sans at 10 px is about 27 px wide.
    assert check(f"<h2>Chart</h2>{svg_label(10)}", tmp_path) == []
    assert check(f"<h2>Chart</h2>{svg_label(98, 'end')}", tmp_path) == []
    for label in (svg_label(80), svg_label(10, "middle"),
                  svg_label(10, transform="translate(-20 0)"),
                  svg_label(40, transform="rotate(-90 40 20)")):
        [(page, code, text)] = check(f"<h2>Chart</h2>{label}", tmp_path)
        assert (page, code) == (1, "svg-text-outside"), label
        assert "draws its text \u201cLabel\u201d outside its viewBox" in text


def test_long_urls_code_and_wide_tables_from_option_files_stay_on_the_page(workspace) -> None:
    # A pasted URL, a long line of code and a nine-column Markdown table ran off the page.
    from click.testing import CliRunner

    from briefgen.cli import cli
    from tests.conftest import OPTION_A, OPTION_B

    url = "https://example.org/reports/" + "x" * 150
    table = ("| " + " | ".join(f"Column {c}" for c in "ABCDEFGHI") + " |\n|"
             + "---|" * 9 + "\n| " + "longcellvalue" * 6 + " | b | c | d | e | f | g | h | i |")
    description = (f"See {url} for the data.\n\n{table}\n\n```\nreturn 'a code block with a "
                   + "very long line that goes on " * 6 + "'\n```\n")
    option = OPTION_A.replace("description: A plan with **bold** ideas.",
                              "description: |\n" + "".join(
                                  f"  {line}\n" for line in description.splitlines()))
    option += f"benefits: ['Published at {url}']\n"
    root = workspace(options={"opt-a": option, "opt-b": OPTION_B})
    result = CliRunner().invoke(cli, ["check", "--layout", "-w", str(root)])
    assert "overflows" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_check_layout_prints_no_library_warning_for_a_glyph_no_font_has(workspace) -> None:
    # Measuring chart labels printed matplotlib's raw "UserWarning: Glyph 129412 ...".
    import subprocess
    import sys

    from tests.conftest import OPTION_A, OPTION_B

    root = workspace(options={"opt-a": OPTION_A.replace("title: Option A",
                                                        "title: Option \N{UNICORN FACE} A"),
                              "opt-b": OPTION_B})
    done = subprocess.run([sys.executable, "-m", "briefgen", "check", "--layout"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "UserWarning" not in done.stdout + done.stderr
