"""briefgen.output.docx: the Word output, read back with python-docx, scanned for anything
unsafe, built twice for identical bytes, and opened by LibreOffice."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from briefgen.build.pipeline import Publish, build, load_valid_workspace

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_JA = ROOT / "docs" / "examples" / "ja"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BRIEF = "fifth-round-offers"
BRIEF_JA = "rare-earth-offer"
FETCHING_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|DDE|DDEAUTO|LINK|IMPORT|"
                             r"DATABASE|HYPERLINK)\b")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example brief and memo in English, and the Japanese example (a draft)."""
    base = tmp_path_factory.mktemp("docx")
    root = base / "en"
    for folder in ("options", "briefs"):
        shutil.copytree(ROOT / folder, root / folder)
    ws, _ = load_valid_workspace(root)
    out = root / "output"
    first = build(ws, [], ["docx", "html"], out)
    build(ws, [], ["docx"], out, publish=Publish(template="memo"))
    ja_root = base / "ja"
    shutil.copytree(EXAMPLE_JA, ja_root)
    ja_ws, _ = load_valid_workspace(ja_root)
    build(ja_ws, [], ["docx"], ja_root / "output")
    build(ja_ws, [], ["docx"], ja_root / "output", publish=Publish(template="memo"))
    assert first.built == [BRIEF]
    return {"brief": out / f"{BRIEF}.docx", "memo": out / f"{BRIEF}-memo.docx",
            "html": out / f"{BRIEF}.html",
            "ja": ja_root / "output" / f"{BRIEF_JA}.docx",
            "ja-memo": ja_root / "output" / f"{BRIEF_JA}-memo.docx", "root": root}


def _xml(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


def _headers_footers(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if re.fullmatch(r"word/(header|footer)\d*\.xml", n)}


def test_headings_use_word_heading_styles(built: dict[str, Path]) -> None:
    doc = Document(str(built["brief"]))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    for section in ("Executive summary", "Comparison matrix", "The options", "Sources",
                    "Decision record"):
        assert section in by_style["Heading 1"]
    assert any(t.startswith("1. ") for t in by_style["Heading 2"])
    assert "Actions" in by_style["Heading 3"]
    assert by_style["Title"] == ["Offers for the fifth round of US-Japan tariff talks"]
    body = etree.tostring(doc.element.body).decode()
    assert 'TOC \\o "1-3"' in body  # the contents field
    assert 'w:dirty="true"' in body  # Word fills in its page numbers on opening


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _docx_text(data: bytes) -> str:
    """Every paragraph of the body, tables included, one per line, white space collapsed."""
    body = Document(io.BytesIO(data)).element.body
    return "\n".join(_words("".join(t.text or "" for t in p.iter(f"{W}t")))
                     for p in body.iter(f"{W}p"))


def _html_headings(html_path: Path) -> list[str]:
    from lxml import html

    main = html.parse(str(html_path)).getroot().find(".//main")
    # Option headings are "1 Title" in HTML (the rank is styled) and "1. Title" in Word.
    return [re.sub(r"^(\d+=?)\.? ", r"\1 ", _words(h.text_content()))
            for h in main.iter("h2", "h3", "h4")]


def test_word_has_the_html_briefs_sections_in_the_same_order(built: dict[str, Path]) -> None:
    doc = Document(str(built["brief"]))
    headings = [re.sub(r"^(\d+=?)\.? ", r"\1 ", p.text) for p in doc.paragraphs
                if p.style.name.startswith("Heading ")]
    assert headings == [h for h in _html_headings(built["html"]) if h != "Contents"]


def test_word_carries_the_html_briefs_prose(built: dict[str, Path]) -> None:
    """The summary's analysis note, the robustness section's prose, what would have to be
    true, the whole method note, the objectives' note and every table's caption, sentence
    for sentence as the HTML shows them."""
    from lxml import html

    root = html.parse(str(built["html"])).getroot()
    wanted = [*root.find_class("analysis-note"), *root.find_class("robustness-summary"),
              *root.get_element_by_id("robustness").findall("p"),
              *root.get_element_by_id("switching").iter("p", "li"),
              *root.get_element_by_id("method").iter("p", "li"),
              *root.find_class("unmet-note"), *root.iter("caption")]
    sentences = [s for e in wanted for s in re.split(r"(?<=[.:;])\s+", _words(
        e.text_content())) if len(s) > 12]
    assert len(sentences) > 80
    text = " ".join(_docx_text(built["brief"].read_bytes()).split("\n"))
    missing = [s for s in sentences if s not in text]
    assert missing == []
    for key in ("Central weights: the average weights under which each option ranks first",
                "first while the weight is in", "Worked example:"):
        assert key in text


def test_formulas_have_real_subscripts_and_superscripts(built: dict[str, Path]) -> None:
    """w_j = s_j / Σ_k s_k as runs: the subscripts are subscript runs, in the Formula
    style (italic serif, as in the PDF), kept on one line with no-break spaces."""
    doc = Document(str(built["brief"]))
    weights = next(p for p in doc.paragraphs if p.text.startswith("Weights."))
    formula = [r for r in weights.runs if r.style.name == "Formula"]
    assert "".join(r.text for r in formula) == "wj\u00a0=\u00a0sj\u00a0/\u00a0Σk\u00a0sk"
    assert [r.text for r in formula if r.font.subscript] == ["j", "j", "k", "k"]
    assert doc.styles["Formula"].font.italic
    ranks = next(p for p in doc.paragraphs if p.text.startswith("Rank."))
    assert any(r.text == "−9" and r.font.superscript for r in ranks.runs)  # 10^-9


def test_ties_say_joint_as_the_html_does(workspace) -> None:
    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present
    from tests.conftest import OPTION_A, OPTION_B

    tied = OPTION_A.replace("value: 4, rationale: Strong", "value: 2, rationale: Strong") \
        .replace("value: 2, rationale: Cheap", "value: 1, rationale: Cheap")
    root = workspace(options={"opt-a": tied, "opt-b": OPTION_B})
    ws, _ = load_valid_workspace(root)
    text = _docx_text(render_docx(present(ws, ws.briefs["brief-x"]), root))
    assert "ranks first with 50.0 points (tied with Option B)" in text
    assert "the baseline, Option B, ranks joint 1 of 2." in text
    assert "joint rank 1 of 2" in text


def test_a_themes_prose_partial_is_what_word_shows(workspace) -> None:
    """A workspace's own templates/lang/en/summary.html.j2 changes the Word brief too; a
    link in it to a section the brief lacks keeps its text and loses the link."""
    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present

    root = workspace()
    (root / "templates" / "lang" / "en").mkdir(parents=True)
    (root / "templates" / "lang" / "en" / "summary.html.j2").write_text(
        '<p class="analysis-note">House view: <em>{{ view.leader.option.title }}</em> '
        'leads; see <a href="#nowhere">the annex</a> and <a href="#method">the method</a>.'
        '</p>', encoding="utf-8")
    ws, _ = load_valid_workspace(root)
    data = render_docx(present(ws, ws.briefs["brief-x"]), root)
    doc = Document(io.BytesIO(data))
    note = next(p for p in doc.paragraphs if p.text.startswith("House view:"))
    assert note.text == "House view: Option A leads; see the annex and the method."
    assert [r.text for r in note.runs if r.italic] == ["Option A"]
    body = doc.element.body
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")]
    assert "method" in anchors and "nowhere" not in anchors


def test_tables_repeat_their_header_row_and_rows_do_not_split(built: dict[str, Path]) -> None:
    doc = Document(str(built["brief"]))
    headed = 0
    for table in doc.tables:
        rows = table._tbl.findall(f"{W}tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        if rows[0].find(f"{W}trPr/{W}tblHeader") is not None:
            headed += 1
            assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert headed >= 10
    matrix = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Weighted total"
                  and len(t.columns) > 4)
    assert [row.cells[0].text for row in matrix.rows[1:]] == ["1", "2", "3", "4", "5", "6"]


def _kept(row: object) -> bool:
    return all(p.paragraph_format.keep_with_next for cell in row.cells  # type: ignore[attr-defined]
               for p in cell.paragraphs)


def test_facts_tables_stay_whole_and_header_rows_stay_with_the_first_row(
        built: dict[str, Path]) -> None:
    """An option's facts table keeps with its heading instead of leaving its first row at
    a page's foot; a table with a header row may break, but never right after it."""
    doc = Document(str(built["brief"]))
    facts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Weighted total")
    assert [_kept(r) for r in facts.rows] == [True] * (len(facts.rows) - 1) + [False]
    matrix = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Weighted total"
                  and len(t.columns) > 4)
    assert _kept(matrix.rows[0]) and not any(_kept(r) for r in matrix.rows[1:])
    summary = next(p for p in doc.paragraphs if p.style.name == "Heading 2"
                   and p.text.startswith("1. "))._p.getnext()
    assert summary.pPr.keepNext is not None  # the option's summary keeps with its facts


def test_header_and_footer_hold_the_marking_and_page_n_of_m(built: dict[str, Path]) -> None:
    doc = Document(str(built["brief"]))
    section = doc.sections[0]
    assert "CONFIDENTIAL" in section.header.paragraphs[0].text
    footer = "".join(p.text for p in section.footer.paragraphs)
    assert "CONFIDENTIAL" in footer and "Page" in footer and " of " in footer
    parts = "".join(_headers_footers(built["brief"]).values())
    assert " PAGE " in parts and " NUMPAGES " in parts
    assert "BriefgenWatermark" not in parts  # the example is final: no watermark


def test_core_properties_come_from_the_brief(built: dict[str, Path]) -> None:
    props = Document(str(built["brief"])).core_properties
    assert props.author == props.last_modified_by == "Economic Security and Trade Policy Unit"
    assert props.created == props.modified == datetime(2025, 6, 5, tzinfo=UTC)
    assert props.revision == 1 and props.last_printed is None
    assert props.title.startswith("Offers for the fifth round")


def test_charts_are_pictures_with_their_text_alternative(built: dict[str, Path]) -> None:
    body = _xml(built["brief"], "word/document.xml")
    pictures = body.findall(".//{*}docPr")
    assert len(pictures) >= 4
    assert all(len(p.get("descr", "")) > 20 for p in pictures)
    assert len({p.get("id") for p in pictures}) == len(pictures)
    with zipfile.ZipFile(built["brief"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert media and all(n.endswith(".png") for n in media)


def test_citations_link_to_numbered_sources(built: dict[str, Path]) -> None:
    body = _xml(built["brief"], "word/document.xml")
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")} - {None}
    cited = {a for a in anchors if a.startswith("source_")}
    assert cited and cited <= marks
    assert anchors <= marks  # every internal link lands somewhere
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "☐ Approved" in text
    sources = [p.text for p in Document(str(built["brief"])).paragraphs
               if p.style.name == "Source"]
    assert sources[0].startswith("[1]\t") and sources[-1].startswith(f"[{len(sources)}]\t")


def test_markdown_fields_become_runs_lists_and_safe_links(workspace) -> None:
    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present

    root = workspace()
    path = root / "options" / "opt-a.yaml"
    text = path.read_text().replace(
        "description: A plan with **bold** ideas.",
        'description: "A plan with **bold** and *italic* ideas. <script>alert(1)</script> '
        '[bad](javascript:alert(1)) [good](https://example.org/g) ![pic](http://x.test/p.png)'
        '\\n\\n1. first\\n2. second\\n\\n- dot"')
    path.write_text(text)
    ws, _ = load_valid_workspace(root)
    view = present(ws, ws.briefs["brief-x"])
    data = render_docx(view, root)
    doc = Document(io.BytesIO(data))
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.text == "bold" and r.bold for r in runs)
    assert any(r.text == "italic" and r.italic for r in runs)
    styles = {p.style.name for p in doc.paragraphs if p.text in ("first", "second", "dot")}
    assert styles == {"List Number", "List Bullet"}
    body = Document(io.BytesIO(data)).element.body
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "<script>alert(1)</script>" in text  # shown as text, never as markup
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "https://example.org/g" in rels
    assert "javascript" not in rels and "x.test" not in rels


def _scan(data: bytes) -> list[str]:
    """Everything in a package that could fetch, run or attach something."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if re.search(r"vba|activeX|embeddings|oleObject|\.bin$", name, re.I):
                problems.append(f"part {name}")
            content = z.read(name)
            if name.endswith(".rels"):
                for rel in etree.fromstring(content):
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if rel.get("TargetMode") == "External" and not (
                            kind == "hyperlink"
                            and re.match(r"(https?|mailto):", rel.get("Target", ""))):
                        problems.append(f"external {kind} {rel.get('Target')} in {name}")
                    if kind in ("attachedTemplate", "oleObject", "frame", "subDocument",
                                "aFChunk", "package", "control"):
                        problems.append(f"relationship {kind} in {name}")
            elif name.endswith(".xml"):
                root = etree.fromstring(content)
                for instr in root.iter(f"{W}instrText"):
                    if FETCHING_FIELDS.search(instr.text or ""):
                        problems.append(f"field {instr.text!r} in {name}")
                for simple in root.iter(f"{W}fldSimple"):
                    if FETCHING_FIELDS.search(simple.get(f"{W}instr", "")):
                        problems.append(f"field {simple.get(f'{W}instr')!r} in {name}")
                for tag in ("attachedTemplate", "altChunk", "subDoc", "frameset", "object",
                            "control"):
                    if root.find(f".//{W}{tag}") is not None:
                        problems.append(f"<w:{tag}> in {name}")
                if root.find(".//{urn:schemas-microsoft-com:vml}imagedata") is not None:
                    problems.append(f"VML image in {name}")
    return problems


def test_no_macros_links_to_files_or_fetching_fields(built: dict[str, Path]) -> None:
    for key in ("brief", "memo", "ja", "ja-memo"):
        assert _scan(built[key].read_bytes()) == [], key


def test_unsafe_parts_of_a_reference_document_are_dropped(workspace, tmp_path: Path) -> None:
    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present

    root = workspace()
    (root / "templates").mkdir()
    builtin = ROOT / "templates" / "reference.docx"
    hostile = io.BytesIO()
    with zipfile.ZipFile(builtin) as src, zipfile.ZipFile(hostile, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/settings.xml":
                content = content.replace(
                    b"<w:zoom", b'<w:attachedTemplate r:id="rIdT"/><w:zoom', 1)
            if name == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/word/vbaProject.'
                                          b'bin" ContentType="application/vnd.ms-office.'
                                          b'vbaProject"/></Types>')
            dst.writestr(name, content)
        dst.writestr("word/_rels/settings.xml.rels",
                     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                     'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/attachedTemplate" '
                     'Target="file:///C:/evil.dotm" TargetMode="External"/></Relationships>')
        dst.writestr("word/vbaProject.bin", b"\0macro")
    (root / "templates" / "reference.docx").write_bytes(hostile.getvalue())
    ws, _ = load_valid_workspace(root)
    data = render_docx(present(ws, ws.briefs["brief-x"]), root)
    assert _scan(data) == []
    assert b"evil" not in b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n)
                                   for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_same_inputs_give_identical_bytes(built: dict[str, Path], tmp_path: Path) -> None:
    """A second build in a fresh process (another hash seed) writes the same bytes."""
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-m", "briefgen", "build", "--format", "docx", "--quiet",
                    "--jobs", "1", "--workspace", str(built["root"]), "--out", str(out)],
                   check=True, env=env)
    assert (out / f"{BRIEF}.docx").read_bytes() == built["brief"].read_bytes()
    with zipfile.ZipFile(built["brief"]) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_docx_goes_through_the_manifest_and_the_cache(built: dict[str, Path]) -> None:
    import json

    manifest = json.loads((built["root"] / "output" / "manifest.json").read_text())
    assert f"{BRIEF}.docx" in manifest["briefs"][BRIEF]["outputs"]
    assert f"{BRIEF}-memo.docx" in manifest["briefs"][f"{BRIEF}-memo"]["outputs"]
    ws, _ = load_valid_workspace(built["root"])
    again = build(ws, [], ["docx", "html"], built["root"] / "output")
    assert again.skipped == [BRIEF] and again.built == []


def test_japanese_runs_carry_an_east_asian_font_and_the_draft_watermark(
        built: dict[str, Path]) -> None:
    body = _xml(built["ja"], "word/document.xml")
    fonts = {f.get(f"{W}eastAsia") for f in body.iter(f"{W}rFonts")}
    assert "Noto Sans CJK JP" in fonts
    parts = _headers_footers(built["ja"])
    joined = "".join(parts.values())
    assert "BriefgenWatermark" in joined and 'string="草案"' in joined
    assert "ページ" in joined and "取扱注意" in joined
    doc = Document(str(built["ja"]))
    assert "要旨" in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def test_memo_is_short_and_has_the_options_table(built: dict[str, Path]) -> None:
    doc = Document(str(built["memo"]))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Decision required", "Bottom line"]
    assert "Top risks" in headings
    assert len(doc.tables[0].rows) == 7  # header and six options


def test_reference_docx_script_makes_the_shipped_file(tmp_path: Path) -> None:
    target = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(ROOT / "templates" / "make_reference_docx.py"),
                    str(target)], check=True, capture_output=True)
    assert target.read_bytes() == (ROOT / "templates" / "reference.docx").read_bytes()


def _libreoffice_pdf(docx: Path, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=240)
    return out / (docx.stem + ".pdf")


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page. Lines broken after a hyphen, and the spaces LibreOffice puts
    between Japanese and Latin letters, are layout: compare without white space."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


def _pdf_text(docx: Path, out: Path) -> str:
    return "".join(_pdf_pages(_libreoffice_pdf(docx, out)))


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed; .ci/run "
                           "installs libreoffice-writer-nogui and poppler-utils")
@pytest.mark.parametrize("key", ["brief", "ja"])
def test_libreoffice_opens_it_with_every_option_in_rank_order(
        built: dict[str, Path], key: str, tmp_path: Path) -> None:
    from briefgen.present.brief import present

    root = built["root"] if key == "brief" else built["ja"].parent.parent
    ws, _ = load_valid_workspace(root)
    view = present(ws, next(iter(ws.briefs.values())), draw_charts=False)
    text = _pdf_text(built[key], tmp_path)
    positions = []
    for v in view.options:
        heading = re.sub(r"\s+", "", f"{v.rank}. {v.option.title}")
        assert heading in text, heading
        positions.append(text.index(heading))
    assert positions == sorted(positions)
    assert re.sub(r"\s+", "", view.brief.classification) in text


def test_jobs_and_shards_write_the_same_docx(workspace, tmp_path: Path) -> None:
    from tests.conftest import BRIEF_X

    root = workspace(briefs={"brief-x": BRIEF_X,
                             "brief-y": BRIEF_X.replace("id: brief-x", "id: brief-y")})
    ws, _ = load_valid_workspace(root)
    serial = build(ws, [], ["docx"], tmp_path / "serial", jobs=1)
    forked = build(ws, [], ["docx"], tmp_path / "forked", jobs=2)
    assert serial.built == forked.built == ["brief-x", "brief-y"]
    for name in ("brief-x.docx", "brief-y.docx"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "forked" / name
                                                             ).read_bytes()
    shard = build(ws, [], ["docx"], tmp_path / "shard", shard=(2, 2))
    assert shard.built == ["brief-y"]
    assert [p.name for p in shard.written] == ["brief-y.docx"]


def test_source_date_epoch_sets_the_documents_dates(workspace, tmp_path: Path,
                                                    monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    ws, _ = load_valid_workspace(workspace())
    build(ws, [], ["docx"], tmp_path / "out")
    props = Document(str(tmp_path / "out" / "brief-x.docx")).core_properties
    assert props.created == props.modified == datetime(2026, 1, 1, tzinfo=UTC)
    assert props.author == "Policy Office"


def test_a_reference_docx_without_briefgens_styles_still_works(workspace) -> None:
    """A department's template saved from Word has none of briefgen's own styles (Brief
    Table, Marking, Source, Formula, Code): the writer falls back to Word's built-in ones
    and still shows formulas in italic with their subscripts."""
    from docx import Document as NewDocument

    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present

    root = workspace()
    (root / "templates").mkdir()
    NewDocument().save(str(root / "templates" / "reference.docx"))
    ws, _ = load_valid_workspace(root)
    doc = Document(io.BytesIO(render_docx(present(ws, ws.briefs["brief-x"]), root)))
    assert "Formula" not in {s.name for s in doc.styles}
    weights = next(p for p in doc.paragraphs if p.text.startswith("Weights."))
    subscripts = [r for r in weights.runs if r.font.subscript]
    assert subscripts and all(r.italic for r in subscripts)
    assert "Method note" in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def test_a_workspace_reference_docx_styles_the_output(workspace) -> None:
    from briefgen.output.docx import reference_docx, render_docx
    from briefgen.present.brief import present

    root = workspace()
    assert reference_docx(root) == ROOT / "templates" / "reference.docx"
    (root / "templates").mkdir()
    house = io.BytesIO()
    with zipfile.ZipFile(ROOT / "templates" / "reference.docx") as src, \
            zipfile.ZipFile(house, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/styles.xml":
                content = content.replace(b"14365D", b"8B0000")  # headings in dark red
                content = content.replace(b'"Arial"', b'"Georgia"')  # a serif house font
            dst.writestr(name, content)
    (root / "templates" / "reference.docx").write_bytes(house.getvalue())
    assert reference_docx(root) == root / "templates" / "reference.docx"
    ws, _ = load_valid_workspace(root)
    data = render_docx(present(ws, ws.briefs["brief-x"]), root)
    styles = Document(io.BytesIO(data)).styles
    assert str(styles["Heading 1"].font.color.rgb) == "8B0000"
    assert styles["Normal"].font.name == styles["Heading 1"].font.name == "Georgia"


@pytest.mark.skipif(any(shutil.which(t) is None for t in ("soffice", "pdftotext", "pdfimages")),
                    reason="LibreOffice (soffice) or poppler-utils is not installed; .ci/run "
                           "installs libreoffice-writer-nogui and poppler-utils")
@pytest.mark.parametrize(("key", "page_of"), [("brief", "Page{}of{}"), ("memo", "Page{}of{}"),
                                              ("ja", "{}/{}ページ")])
def test_libreoffice_shows_the_marking_and_the_page_number_on_every_page(
        built: dict[str, Path], key: str, page_of: str, tmp_path: Path) -> None:
    from briefgen.present.brief import present

    root = built["root"] if key != "ja" else built["ja"].parent.parent
    ws, _ = load_valid_workspace(root)
    view = present(ws, next(iter(ws.briefs.values())), draw_charts=False)
    marking = re.sub(r"\s+", "", view.brief.classification)
    pdf = _libreoffice_pdf(built[key], tmp_path)
    pages = _pdf_pages(pdf)
    assert len(pages) > (1 if key == "memo" else 5)
    for number, page in enumerate(pages, 1):
        # header first; the footer's marking and "Page N of M" last, in either order
        foot = page_of.format(number, len(pages))
        assert page.startswith(marking), number
        assert page.endswith((marking + foot, foot + marking)), number
    if key != "memo":  # the charts: pictures LibreOffice drew, not lost on the way
        images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True,
                                capture_output=True, text=True).stdout.splitlines()[2:]
        assert len(images) >= 4, images
        contents = pages[0]  # the contents field's entries, one per option among them
        assert all(re.sub(r"\s+", "", f"{v.rank}. {v.option.title}") in contents
                   for v in view.options)


@pytest.mark.parametrize("content", [b"\xff\xfe", b"PK\x05\x06" + b"\x00" * 18])
def test_a_workspace_reference_docx_that_is_not_one_is_the_users_error(workspace,
                                                                      content) -> None:
    # It was exit 3, "a bug in briefgen", with python-docx's PackageNotFoundError or a
    # KeyError for '[Content_Types].xml'.
    from click.testing import CliRunner

    from briefgen.cli import cli

    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "reference.docx").write_bytes(content)
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "docx"])
    assert result.exit_code == 1, result.output
    assert "templates/reference.docx:1:1: not a Word document (.docx): " in result.output
    assert "save it from Word as a .docx" in result.output
    assert not (root / "output" / "brief-x.docx").exists()


def test_letter_paper_reaches_the_word_document_unless_the_office_template_sets_its_own(
        workspace) -> None:
    # paper = "letter" gave a Letter PDF and an A4 .docx.
    from docx import Document as NewDocument
    from docx.shared import Mm

    from briefgen.output.docx import render_docx
    from briefgen.present.brief import present

    root = workspace()
    ws, _ = load_valid_workspace(root)
    view = present(ws, ws.briefs["brief-x"], draw_charts=False)
    letter = Document(io.BytesIO(render_docx(view, root, paper="letter"))).sections[0]
    assert (round(letter.page_width.mm, 1), round(letter.page_height.mm, 1)) == (215.9, 279.4)
    a4 = Document(io.BytesIO(render_docx(view, root, paper="a4"))).sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)
    (root / "templates").mkdir()
    office = NewDocument()
    office.sections[0].page_width, office.sections[0].page_height = Mm(250), Mm(353)  # B4
    office.save(str(root / "templates" / "reference.docx"))
    own = Document(io.BytesIO(render_docx(view, root, paper="letter"))).sections[0]
    assert (round(own.page_width.mm), round(own.page_height.mm)) == (250, 353)
