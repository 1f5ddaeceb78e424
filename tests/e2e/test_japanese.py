"""Japanese briefs (issue 5, item 7): bilingual fields, labels, locale formats, real glyphs.

The PDF is rendered once per module from docs/examples/ja, a brief with
``language: ja`` whose fields are bilingual; its text is extracted with pypdf and
its fonts' ToUnicode maps are checked for a glyph that fell back to .notdef.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.pipeline import Publish, build, load_valid_workspace
from briefgen.cli import cli
from briefgen.inputs.localize import localize
from briefgen.language.formatting import long_date, money, money_range, percent, short_number
from briefgen.language.labels import catalogue
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B, ROOT

EXAMPLE = ROOT / "docs" / "examples" / "ja"
BRIEF = "rare-earth-offer"


# --- formats --------------------------------------------------------------------


@pytest.mark.parametrize(("value", "currency", "expected"), [
    (9e12, "JPY", "9兆円"),
    (4.5e9, "USD", "45億ドル"),
    (1.23e11, "JPY", "1,230億円"),
    (3.3e12, "JPY", "3.3兆円"),
    (2.5e7, "EUR", "2,500万ユーロ"),
    (9_500, "JPY", "9,500円"),
    (9.99996e11, "JPY", "1兆円"),  # not 10,000億円
])
def test_japanese_money(value: float, currency: str, expected: str) -> None:
    assert money(value, currency, lang="ja") == expected


def test_japanese_ranges_dates_percent_and_english_unchanged() -> None:
    assert money_range(2e12, 6e12, "JPY", lang="ja") == "2～6兆円"
    assert money_range(5e11, 1.2e12, "JPY", lang="ja") == "5,000億～1.2兆円"
    assert short_number(1.5e4, lang="ja") == "1.5万"
    assert long_date(date(2025, 6, 5), lang="ja") == "2025年6月5日"
    assert percent(0.4, lang="ja") == "40%"
    # English as before
    assert money(9e12, "JPY", lang="en") == "JPY 9 trillion"
    assert money_range(2e9, 6e9, "USD", lang="en") == "USD 2–6 billion"
    assert long_date(date(2025, 6, 5), lang="en") == "5 June 2025"
    assert percent(0.4, lang="en") == "40\u00a0%"


def test_every_template_label_has_japanese() -> None:
    used = set()
    for path in (ROOT / "templates").glob("*.j2"):
        used |= set(re.findall(r'\bt\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    assert used, "the templates use t()"
    assert sorted(used - set(catalogue("ja").labels)) == []


# --- bilingual fields -------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_unknown_language_key_is_a_located_error(workspace, monkeypatch) -> None:
    bad = OPTION_A.replace("title: Option A", "title:\n  en: Option A\n  jp: 選択肢A")
    monkeypatch.chdir(workspace(options={"opt-a": bad, "opt-b": OPTION_B}))
    code, err = _run("check")
    assert code == 1
    assert ("options/opt-a.yaml:4:3: title.jp: unknown language 'jp' in a bilingual text "
            "(did you mean 'ja'?" in err)


def test_empty_bilingual_mapping_and_wrong_value_are_located(workspace, monkeypatch) -> None:
    bad = OPTION_A.replace("title: Option A", "title: {}").replace(
        "summary: Do A.", "summary: {ja: [not, text]}")
    monkeypatch.chdir(workspace(options={"opt-a": bad, "opt-b": OPTION_B}))
    code, err = _run("check")
    assert code == 1
    assert "options/opt-a.yaml:2:8: title: give the text in at least one language" in err
    assert "options/opt-a.yaml:3:15: summary.ja: expected text, got a list" in err


def test_localize_picks_the_language_and_falls_back(workspace) -> None:
    brief = BRIEF_X.replace("title: Brief X", "title: {en: Brief X, ja: 資料X}").replace(
        "question: Which option should we choose?", "question: {en: Which option?}")
    ws, _ = load_valid_workspace(workspace(briefs={"brief-x": brief}))
    ja = localize(ws.briefs["brief-x"], "ja")
    assert (ja.title, ja.question) == ("資料X", "Which option?")  # no ja: falls back to en
    assert localize(ws.briefs["brief-x"], "en").title == "Brief X"
    assert ws.briefs["brief-x"].title.ja == "資料X"  # the loaded model is left as it was


# --- the Japanese example, built once -------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ja") / "ws"
    shutil.copytree(EXAMPLE, root)
    ws, warned = load_valid_workspace(root)
    assert warned == []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build(ws, [BRIEF], ["html", "pdf"], root / "output")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == [], "a chart drew a Japanese glyph without a font: " + missing[0][:80] \
        if missing else ""
    build(ws, [BRIEF], ["html"], root / "output", publish=Publish(lang="en"))
    return {"html": root / "output" / f"{BRIEF}.html", "pdf": root / "output" / f"{BRIEF}.pdf",
            "en": root / "output" / f"{BRIEF}-en.html"}


@pytest.fixture(scope="module")
def pdf_text(built: dict[str, Path]) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(built["pdf"]).pages)


def test_japanese_html_has_labels_values_and_lang(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    assert '<html lang="ja">' in html
    for text in ("第5回関税協議におけるレアアース関連の提案", "要旨", "比較表", "評価基準と重み",
                 "2025年6月5日", "9,000億円", "45億ドル", "兆円", "高いほど良い"):
        assert text in html, text


def test_lang_en_picks_english_text_and_labels(built: dict[str, Path]) -> None:
    """--lang en writes its own files next to the brief's own language, not over them."""
    assert built["html"].exists() and "要旨" in built["html"].read_text(encoding="utf-8")
    manifest = json.loads((built["html"].parent / "manifest.json").read_text())
    assert {f"{BRIEF}.html", f"{BRIEF}.pdf", f"{BRIEF}-en.html"} <= set(manifest["outputs"])
    html = built["en"].read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    for text in ("Rare-earth offers for the fifth round of tariff talks", "Executive summary",
                 "5 June 2025", "USD 4.5 billion", "JPY 900 billion"):
        assert text in html, text
    assert "要旨" not in html and "レアアース" not in html


def test_pdf_text_extracts_as_japanese(pdf_text: str) -> None:
    text = re.sub(r"\s+", "", pdf_text)  # pypdf may break lines anywhere in CJK text
    for label in ("第5回関税協議におけるレアアース関連の提案", "要旨", "求められる決定", "比較表",
                  "各選択肢", "出典", "2025年6月5日", "45億ドル", "兆円", "ページ"):
        assert label in text, label


def _unmapped_glyphs(pdf: Path) -> list[tuple[str, str]]:
    """Glyphs drawn as .notdef (code 0) or as Pango's unknown glyph (0xFFFF), per font.

    WeasyPrint writes a ToUnicode map listing every glyph each font draws, so a
    character no installed font could show appears there under one of those codes.
    """
    import pypdf

    found = []
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbf(?:char|range)(.*?)endbf(?:char|range)", cmap, re.S):
                for line in block.strip().splitlines():
                    codes = re.findall(r"<([0-9a-fA-F]+)>", line)
                    if codes and int(codes[0], 16) in (0, 0xFFFF):
                        found.append((str(font["/BaseFont"]), line.strip()))
    return found


def test_no_glyph_fell_back_to_notdef(built: dict[str, Path]) -> None:
    assert _unmapped_glyphs(built["pdf"]) == []


def test_notdef_check_catches_a_missing_glyph(tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = tmp_path / "tofu.pdf"
    HTML(string="<p style='font-family: \"Noto Sans CJK JP\"'>a \U0010FFFD b</p>").write_pdf(pdf)
    assert _unmapped_glyphs(pdf) != []


def test_japanese_text_uses_a_japanese_font(built: dict[str, Path]) -> None:
    import pypdf

    names = {str(ref.get_object()["/BaseFont"]) for page in pypdf.PdfReader(built["pdf"]).pages
             for ref in page["/Resources"].get("/Font", {}).values()}
    assert any("CJK-JP" in name or "CJKjp" in name for name in names), names


# --- computed prose, captions, charts and method note ----------------------------------


def _section(html: str, anchor: str) -> str:
    """The HTML of the <section id=anchor>, up to the next section."""
    start = html.index(f'<section id="{anchor}"')
    end = html.find("<section ", start + 1)
    return html[start:end if end > 0 else len(html)]


def test_japanese_robustness_and_method_have_no_english_prose(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    english = [
        "No score carries a low-high range",  # range verdict
        "random weightings",  # acceptability text, chart caption
        "percentage points",  # flag margin, standard error
        "none: stays first at",  # stability rows
        "first while the weight is in",
        "Weights were drawn",
        "Rank 1",  # acceptability table header and chart legend
        "No single criterion's weight would have to move",  # what would have to be true
        "Analysis seed:", "To check, run in the workspace",  # reproducibility
        "Options in rank order. Scores as given",  # matrix caption
        "Weighted totals, stacked", "Bars: the range", "Months from the start",  # captions
        "Each risk as a numbered marker", "Weighted total (0",  # caption, chart axis
        "normalised weighted sum", "How the robustness of the ranking is tested",  # method
        "Worked example", "The stability interval is",
        "Approved with changes",  # decision box
    ]
    assert [e for e in english if e in html] == []
    for anchor in ("robustness", "method"):
        prose = re.sub(r"<code>.*?</code>|<svg.*?</svg>|<[^>]+>", " ", _section(html, anchor),
                       flags=re.S)
        # an English sentence would be three English words in a row
        assert not re.search(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b", prose), anchor
    japanese = [
        "下限・上限の幅を持つ評点がないため、加重合計にも幅はない。",
        "通りの重み付けのうち、レアアース共同供給計画が首位となるのは76%",
        "なし（0%でも首位）", "なし（100%でも首位）",
        "新たな提案なしで協議を継続（23%未満）",
        "レアアース共同供給計画が首位となる重みの範囲",
        "10ポイント", "<th scope=\"col\" class=\"num\">1位</th>",
        "いずれの評価基準も、重みを10ポイント以下動かすだけでは",  # what would have to be true
        "分析のシード値：", "確認するには、ワークスペースで次を実行する",
        "選択肢は順位順。評点は各評価基準の尺度による値",  # matrix caption
        "正規化した加重和", "順位の頑健性の検証方法", "t* = ΔR / (ΔR − Δv)",  # method
        "計算例：日本の負担（記載の重み33.3%）",
        "修正の上承認",
        "加重合計（0～100）",  # chart axis, drawn as text in the SVG
    ]
    assert [j for j in japanese if j not in html] == []


def test_japanese_switching_sentences(monkeypatch) -> None:
    from briefgen.language.formatting import use_language
    from briefgen.present.sentences import rank_first_if

    assert rank_first_if("Alaska LNG", [("Supply-chain security", True, 0.34, 0.25)]) == (
        "Alaska LNG would rank first if supply-chain security weighed more than "
        "34\u00a0% (now 25\u00a0%).")
    with use_language("ja"):
        assert rank_first_if("アラスカLNG", [("供給網の安全保障", True, 0.34, 0.25)]) == (
            "供給網の安全保障の重みが34%を上回れば（現在25%）、アラスカLNGが首位となる。")
        assert rank_first_if("現状維持", [("費用", False, 0.3, 0.5)]).startswith(
            "費用の重みが30%を下回れば")


def test_markdown_variants_speak_japanese(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefgen.cli import cli

    out = tmp_path / "md"
    for template in ("brief", "memo"):
        result = CliRunner().invoke(cli, ["build", "-w", str(EXAMPLE), "--out", str(out),
                                          "--format", "md", "--template", template, "-q"])
        assert result.exit_code == 0, result.output
    brief = (out / "rare-earth-offer.md").read_text(encoding="utf-8")
    memo = (out / "rare-earth-offer-memo.md").read_text(encoding="utf-8")
    assert "## 求められる決定" in brief and "件中1位" in brief
    assert memo.startswith("# 決定メモ:") and "**（推奨）**" in memo
    for english in ("Decision required", "Weighted total", "Top risks", "(recommended)"):
        assert english not in brief + memo, english


def test_japanese_method_note_has_no_stray_spaces(built: dict[str, Path]) -> None:
    """A line break in a template between two Japanese sentences prints as a space."""
    html = built["html"].read_text(encoding="utf-8")
    method = html[html.index('<section id="method"'):html.index('<section id="sources"')]
    assert "順位受容性" in method  # the analysis part of the note is there too
    assert re.findall(r"[。、]\s+(?=[^\s<])", method) == []
    sources = html[html.index('<ol class="sources">'):]
    assert "China。Central News Agency" in sources  # no space after a Japanese full stop
