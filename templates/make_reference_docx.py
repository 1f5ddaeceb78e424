"""Make templates/reference.docx: the styles of briefgen's Word output.

    python templates/make_reference_docx.py        # rewrites templates/reference.docx

The Word writer (briefgen/output/docx.py) opens this document, empties its body
and writes the brief into it, so everything a reader sees that is not the text
comes from here: fonts (Latin and East Asian), sizes, colours, the headings'
spacing, the table style, the header and footer styles, paper and margins.

A workspace can put its own templates/reference.docx in its place (made with
this script, or saved from Word with the same style names); see docs/themes.md.
Kept as a script so the default can be reviewed as code and rebuilt the same
way every time: the output is byte-identical from run to run.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

LATIN = "Arial"  # Liberation Sans has the same metrics where Arial is missing
# The method note's formulas: italic serif, as the HTML and PDF set them. Times New Roman is
# on every Windows and macOS; LibreOffice elsewhere substitutes Liberation Serif or DejaVu
# Serif, which carry the symbols used (Σ √ ≥ − ×).
FORMULA = "Times New Roman"
CODE = "Courier New"  # LibreOffice substitutes Liberation Mono or DejaVu Sans Mono
EAST_ASIAN = "Noto Sans CJK JP"  # Japanese text; Word on Windows falls back to Yu Gothic
NAVY = RGBColor(0x14, 0x36, 0x5D)
INK = RGBColor(0x1B, 0x1F, 0x24)
MUTED = RGBColor(0x5B, 0x64, 0x70)
RULE = "B8C0CA"
HEAD_FILL = "E8EDF3"
OUT = Path(__file__).with_name("reference.docx")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def fonts(style_or_rpr, size: float | None = None) -> None:
    """Explicit Latin and East Asian fonts (no theme fonts, which vary by Office version)."""
    rpr = style_or_rpr.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rfonts = parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
                       f'w:cs="{LATIN}" w:eastAsia="{EAST_ASIAN}"/>')
    rpr.insert(0, rfonts)
    if size is not None:
        style_or_rpr.font.size = Pt(size)


def paragraph_style(doc, name: str, base: str, size: float, *, bold: bool = False,
                    italic: bool = False, color: RGBColor = INK, before: float = 0,
                    after: float = 4, keep_next: bool = False):
    styles = doc.styles
    style = (styles[name] if name in [s.name for s in styles]
             else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH))
    style.base_style = styles[base] if base else None
    fonts(style, size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    return style


def character_style(doc, name: str, font: str, *, italic: bool = False):
    """A character style that sets only the Latin font (Japanese text keeps the paragraph's)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    rpr = style.element.get_or_add_rPr()
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{font}" w:hAnsi="{font}" '
                            f'w:cs="{font}"/>'))
    style.font.italic = italic
    return style


def table_style(doc) -> None:
    """'Brief Table': thin grey rules, a shaded bold header row, cells with a little room."""
    xml = f"""<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">
  <w:name w:val="Brief Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr><w:tblBorders>
    <w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:left w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:right w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:insideV w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
  </w:tblBorders>
  <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>
    <w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/></w:tcPr></w:tblStylePr>
</w:style>"""
    doc.styles.element.append(parse_xml(xml))


def build() -> bytes:
    doc = Document()
    styles = doc.styles
    # Document defaults: every run not otherwise styled.
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
                            f'w:cs="{LATIN}" w:eastAsia="{EAST_ASIAN}"/>'))
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB" w:eastAsia="ja-JP"/>'))

    normal = paragraph_style(doc, "Normal", "", 10, after=6)
    normal.paragraph_format.line_spacing = 1.15
    paragraph_style(doc, "Title", "Normal", 22, bold=True, color=NAVY, after=10)
    title = styles["Title"].element
    for border in title.findall(qn("w:pPr") + "/" + qn("w:pBdr")):
        border.getparent().remove(border)
    paragraph_style(doc, "Subtitle", "Normal", 11, color=MUTED, after=4)
    paragraph_style(doc, "Heading 1", "Normal", 15, bold=True, color=NAVY, before=18, after=6,
                    keep_next=True)
    paragraph_style(doc, "Heading 2", "Normal", 12.5, bold=True, color=NAVY, before=14, after=4,
                    keep_next=True)
    paragraph_style(doc, "Heading 3", "Normal", 11, bold=True, color=INK, before=10, after=3,
                    keep_next=True)
    paragraph_style(doc, "TOC Heading", "Heading 1", 15, bold=True, color=NAVY, before=6)
    paragraph_style(doc, "Header", "Normal", 8, color=MUTED, after=0)
    paragraph_style(doc, "Footer", "Normal", 8, color=MUTED, after=0)
    paragraph_style(doc, "Caption", "Normal", 9, italic=True, color=MUTED, before=2, after=8)
    paragraph_style(doc, "Quote", "Normal", 10, italic=True, color=INK, after=6)
    marking = paragraph_style(doc, "Marking", "Header", 9, bold=True, color=INK)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph_style(doc, "Table Text", "Normal", 9, after=0)
    paragraph_style(doc, "Table Text Small", "Normal", 8, after=0)
    source = paragraph_style(doc, "Source", "Normal", 9, after=3)
    source.paragraph_format.left_indent = Mm(8)
    source.paragraph_format.first_line_indent = Mm(-8)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        paragraph_style(doc, name, "Normal", 10, after=2)
    for level in (1, 2, 3):
        # Word knows its built-in contents styles by the names "toc 1".."toc 3" (lower
        # case) and uses them when it updates the contents field.
        toc = paragraph_style(doc, f"toc {level}", "Normal", 10, after=2)
        toc.paragraph_format.left_indent = Mm(5 * (level - 1))
        toc.element.set(qn("w:styleId"), f"TOC{level}")
        toc.element.attrib.pop(qn("w:customStyle"), None)
    table_style(doc)
    character_style(doc, "Formula", FORMULA, italic=True)
    character_style(doc, "Code", CODE)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.header_distance = section.footer_distance = Mm(9)

    props = doc.core_properties
    props.author = props.last_modified_by = "briefgen"
    props.title = "briefgen reference document"
    props.comments = "Styles for briefgen's Word output; see docs/themes.md."
    props.revision = 1
    props.keywords = props.subject = props.category = ""

    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    raw = io.BytesIO()
    doc.save(raw)
    return _clean_zip(raw.getvalue())


def _clean_zip(data: bytes) -> bytes:
    """Fixed timestamps and order; no thumbnail (a picture of python-docx's own sample)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            content = src.read(name)
            if name == "docProps/thumbnail.jpeg":
                continue
            if name == "_rels/.rels":
                content = _drop_rel(content, "thumbnail")
            if name == "[Content_Types].xml":
                content = content.replace(
                    b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()


def _drop_rel(rels: bytes, kind: str) -> bytes:
    from lxml import etree

    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Type", "").endswith("/" + kind):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    target.write_bytes(build())
    print(f"wrote {target}")
