"""Stage 5: the brief as a Word document (.docx) a private office can edit and file.

Written from the presentation layer's view (BriefView), like the HTML, never by
converting the HTML: real Heading 1-3 paragraphs (so Word's navigation pane and
the contents field work), tables whose header row repeats on every page and whose
rows do not split, lists, bold and italic from the Markdown fields, a numbered
list of sources that citations link to, the classification marking in the
header and footer of every page, "Page N of M" fields, a DRAFT watermark while
the brief is a draft, the charts as PNG pictures with their text alternative,
and the decision record with boxes to tick.

The prose the HTML brief takes from the per-language partials (templates/lang/<lang>/:
the summary's analysis note, the robustness and switching prose, the method note with
its formulas, reproducibility) is rendered from those same partials and written as Word
paragraphs, lists and runs, so every format says the same thing in one wording. Formulas
stay text, in the reference's "Formula" character style with real subscripts and
superscripts, rather than Office Math (OMML): text reads the same in Word and
LibreOffice (which turns OMML into embedded formula objects with their own font and
baseline), can be edited with tracked changes like any sentence, and copies into e-mail.

Styles (fonts, colours, spacing, margins, the header and footer styles) come from
``reference.docx``, found like the HTML templates: the workspace's
templates/reference.docx first, else the default theme's (made by
templates/make_reference_docx.py). Every word the writer adds is a label from
briefgen.language.labels or text from the view.

The output is deterministic (fixed zip timestamps and member order, core
properties from the brief's date or SOURCE_DATE_EPOCH, sequential ids) and safe:
no external relationships but hyperlinks to http(s)/mailto sources, no macros,
no fields that fetch anything; Markdown links follow the HTML's rules.

python-docx is imported inside ``render_docx`` only, so ``briefgen check`` and
the other formats never pay for it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.common import markdown
from briefgen.common.diagnostics import Diagnostic, InputError, Location
from briefgen.common.paths import builtin_templates, display_path
from briefgen.language.formatting import use_language
from briefgen.language.labels import joiner, label
from briefgen.output.render import render_prose, template_dirs
from briefgen.present.brief import BriefView, OptionView
from briefgen.present.findings import ChartView

REFERENCE = "reference.docx"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes
CHECKBOX = "☐"
EAST_ASIAN_FALLBACK = "Noto Sans CJK JP"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Relationship types the writer never leaves in a package, wherever they come from
# (a workspace's reference.docx included): macros, attached templates, OLE objects,
# frames, subdocuments and the like. Hyperlinks are the only external targets kept.
UNSAFE_PARTS = re.compile(r"(vbaProject|vbaData|activeX|embeddings/|oleObject|"
                          r"attachedTemplate|thumbnail)", re.IGNORECASE)
WIDE_MATRIX = 5  # criteria beyond which the comparison matrix gets a landscape page
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLACE = re.compile(r"\{(\w+)\}")
# The prose partials' block elements; everything else is inline (see _Writer.prose).
_BLOCKS = frozenset({"p", "ol", "ul", "li", "h2", "h3", "h4", "div", "section", "table"})
FORMULA_NOWRAP = 32  # formulas up to this many characters are kept on one line, as in HTML


@dataclass(frozen=True)
class _Marks:
    """How the text inside a prose element looks: the inline elements around it."""

    bold: bool = False
    italic: bool = False
    sub: bool = False
    sup: bool = False
    code: bool = False
    formula: bool = False
    nowrap: bool = False
    link: Any = None  # the w:hyperlink runs go into

    def inside(self, element: Any) -> _Marks:
        tag, classes = element.tag, str(element.get("class") or "").split()
        formula = "formula" in classes
        return replace(
            self, bold=self.bold or tag in ("strong", "b"),
            italic=self.italic or tag in ("em", "i", "var", "cite"),
            sub=self.sub or tag == "sub", sup=self.sup or tag == "sup",
            code=self.code or tag in ("code", "kbd", "samp"),
            formula=self.formula or formula,
            nowrap=self.nowrap or (formula and len(" ".join(element.text_content().split()))
                                   <= FORMULA_NOWRAP))

    def linked(self, link: Any) -> _Marks:
        return replace(self, link=link)


def reference_docx(workspace: Path | None) -> Path:
    """The reference document: the workspace's templates/reference.docx, else the theme's."""
    for folder in template_dirs(workspace):
        candidate = folder / REFERENCE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no {REFERENCE} in {', '.join(map(str, template_dirs(workspace)))}")


PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # as the PDF's @page size


def _is_the_themes(path: Path) -> bool:
    return path.resolve().is_relative_to(builtin_templates().resolve())


def _set_paper(document: Any, paper: str) -> None:
    from docx.shared import Mm

    width, height = (Mm(v) for v in PAPER_MM[paper])
    for section in document.sections:
        portrait = section.page_width <= section.page_height
        section.page_width, section.page_height = (width, height) if portrait else (height,
                                                                                     width)


def _open_reference(path: Path, opener: Callable[[str], Any]) -> Any:
    """The reference document, opened; a workspace's that Word cannot be is the user's to
    replace, named as such (python-docx raises a KeyError or a zip error from inside)."""
    from docx.opc.exceptions import OpcError

    try:
        return opener(str(path))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        if _is_the_themes(path):
            raise  # the theme's own: a bug
        detail = ("not a zip package" if isinstance(exc, OpcError | zipfile.BadZipFile)
                  else str(exc.args[0]) if exc.args else type(exc).__name__)
        raise InputError([Diagnostic(
            Location(display_path(path)), f"not a Word document (.docx): {detail}",
            code="reference-docx", hint="save it from Word as a .docx, or remove it to use "
            "the default theme's")]) from None


def output_stem(view: BriefView, template: str) -> str:
    return view.brief.id if template == "brief" else f"{view.brief.id}-{template}"


def render_docx(view: BriefView, workspace: Path | None = None, template: str = "brief",
                when: datetime | None = None, paper: str | None = None) -> bytes:
    """The brief (or, with template="memo", the decision memo) as .docx bytes.

    ``when`` is the one date written into the package (its core properties); by
    default the brief's date. ``paper`` (a4, letter) sets the page size of the default
    theme's reference document; a workspace's own reference.docx keeps its page size,
    as its office set it.
    """
    from docx import Document

    when = when or datetime(view.brief.date.year, view.brief.date.month, view.brief.date.day)
    with use_language(view.language):
        reference = reference_docx(workspace)
        document = _open_reference(reference, Document)
        if paper is not None and _is_the_themes(reference):
            _set_paper(document, paper)
        writer = _Writer(document, view, workspace)
        if template == "memo":
            writer.memo()
        else:
            writer.brief()
        writer.finish(when)
        raw = io.BytesIO()
        document.save(raw)
    return _repack(raw.getvalue())


def _clean(text: object) -> str:
    """Text as Word may hold it: no control characters XML cannot carry."""
    return _XML_INVALID.sub("", str(text))


def _label(text: str, **values: object) -> str:
    found = label(text)
    return found.format(**{k: _clean(v) for k, v in values.items()}) if values else found


def _figure(value: str | int | None) -> str:
    """A figure as printed; the neutral mark when an edition withholds it (None)."""
    return label("Withheld") if value is None else str(value)


class _Writer:
    """Appends the brief to an emptied reference document."""

    def __init__(self, document: Any, view: BriefView, workspace: Path | None = None) -> None:
        from docx.oxml.ns import qn

        self.doc = document
        self.view = view
        self.workspace = workspace
        self.ja = view.language == "ja"
        self.qn = qn
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.style_names = {s.name for s in document.styles}
        self.east_asian = self._east_asian_font()
        self.bookmark_id = 0
        section = document.sections[0]
        self.text_width = int(section.page_width - section.left_margin - section.right_margin)
        self.max_chart_height = int(
            (section.page_height - section.top_margin - section.bottom_margin) * 0.45)
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the TOC
        self.toc_paragraph: Any = None

    # -- small pieces --------------------------------------------------------------------

    def _east_asian_font(self) -> str:
        """The East Asian font the reference document's Normal style (or defaults) names."""
        styles = self.doc.styles.element
        qn = self.qn
        for rfonts in [*styles.iterfind(f".//{qn('w:style')}[@{qn('w:styleId')}='Normal']"
                                        f"//{qn('w:rFonts')}"),
                       *styles.iterfind(f"{qn('w:docDefaults')}//{qn('w:rFonts')}")]:
            if rfonts.get(qn("w:eastAsia")):
                return str(rfonts.get(qn("w:eastAsia")))
        return EAST_ASIAN_FALLBACK

    def style(self, name: str, fallback: str = "Normal") -> str:
        """``name`` if the reference document has it (Word's built-in "toc 1" is lower case),
        else ``fallback``."""
        for candidate in (name, name.lower()):
            if candidate in self.style_names:
                return candidate
        return fallback

    def para(self, text: str = "", style: str = "Normal", container: Any = None, *,
             bold: bool = False, italic: bool = False) -> Any:
        container = container if container is not None else self.doc
        p = container.add_paragraph(style=self.style(style))
        if text:
            self.run(p, text, bold=bold, italic=italic)
        return p

    def run(self, p: Any, text: str, *, bold: bool = False, italic: bool = False,
            into: Any = None) -> Any:
        r = p.add_run(_clean(text))
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        if self.ja:
            rpr = r._r.get_or_add_rPr()
            rfonts = rpr.get_or_add_rFonts()
            rfonts.set(self.qn("w:eastAsia"), self.east_asian)
            from docx.oxml import OxmlElement

            lang = OxmlElement("w:lang")
            lang.set(self.qn("w:eastAsia"), "ja-JP")
            rpr.append(lang)
        if into is not None:  # move the run inside a hyperlink
            into.append(r._r)
        return r

    def bookmark(self, p: Any, name: str) -> None:
        from docx.oxml import OxmlElement

        start = OxmlElement("w:bookmarkStart")
        start.set(self.qn("w:id"), str(self.bookmark_id))
        start.set(self.qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(self.qn("w:id"), str(self.bookmark_id))
        self.bookmark_id += 1
        ppr = p._p.pPr
        p._p.insert(1 if ppr is not None else 0, start)
        p._p.append(end)

    def hyperlink(self, p: Any, *, anchor: str | None = None, url: str | None = None) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import OxmlElement

        link = OxmlElement("w:hyperlink")
        if anchor is not None:
            link.set(self.qn("w:anchor"), anchor)
        else:
            assert url is not None and markdown.link_problem(url) is None
            link.set(self.qn("r:id"), p.part.relate_to(url, RT.HYPERLINK, is_external=True))
        link.set(self.qn("w:history"), "1")
        p._p.append(link)
        return link

    def link_run(self, p: Any, text: str, *, anchor: str | None = None,
                 url: str | None = None, bold: bool = False) -> None:
        from docx.shared import RGBColor

        link = self.hyperlink(p, anchor=anchor, url=url)
        r = self.run(p, text, bold=bold, into=link)
        r.font.color.rgb = RGBColor(0x1F, 0x4E, 0x8C)
        r.font.underline = url is not None

    def field(self, p: Any, instruction: str, shown: str = "", *, dirty: bool = False) -> None:
        """A complex field: Word computes it (PAGE, NUMPAGES, TOC); ``shown`` until then."""
        from docx.oxml import OxmlElement

        def char(kind: str) -> None:
            r = self.run(p, "")
            fld = OxmlElement("w:fldChar")
            fld.set(self.qn("w:fldCharType"), kind)
            if kind == "begin" and dirty:
                fld.set(self.qn("w:dirty"), "true")
            r._r.append(fld)

        char("begin")
        r = self.run(p, "")
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = f" {instruction} "
        r._r.append(instr)
        char("separate")
        self.run(p, shown)
        char("end")

    def heading(self, text: str, level: int, anchor: str | None = None) -> Any:
        """A Word heading; ``anchor``: the HTML section's id, which prose links point to."""
        p = self.para(style=f"Heading {level}")
        self.run(p, text)
        name = f"_Toc_{len(self.headings) + 1}"
        self.bookmark(p, name)
        if anchor:
            self.bookmark(p, anchor)
        self.headings.append((level, text, name))
        return p

    def cites(self, p: Any, numbers: Sequence[int]) -> None:
        for i, n in enumerate(numbers):
            if i:
                self.run(p, " ")
            self.link_run(p, f"[{n}]", anchor=f"source_{n}")

    def bullets(self, items: Iterable[str], numbered: bool = False) -> None:
        style = "List Number" if numbered else "List Bullet"
        num_id = self._restart(style) if numbered else None
        for item in items:
            p = self.para(item, style)
            if num_id is not None:
                self._number(p, num_id)

    def _restart(self, style: str) -> int | None:
        """A fresh w:num for a numbered list, so each list counts from 1."""
        try:
            numbering = self.doc.part.numbering_part.element
            num_pr = self.doc.styles[style].element.pPr.numPr
            abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        except (AttributeError, KeyError, NotImplementedError):
            return None
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def _number(self, p: Any, num_id: int, level: int = 0) -> None:
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    # -- tables --------------------------------------------------------------------------

    def table(self, headers: Sequence[str] | None, rows: Sequence[Sequence[Any]],
              widths: Sequence[float] | None = None, *, small: bool = False,
              caption: str | None = None) -> Any:
        """A table in the reference's 'Brief Table' style: a header row that repeats on
        each page (w:tblHeader), rows that never split across pages (w:cantSplit). A cell
        is a str, or a function that fills the cell's first paragraph."""
        from docx.oxml import OxmlElement
        from docx.shared import Emu

        ncols = len(headers) if headers else len(rows[0])
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.style("Brief Table", "Table Grid") if (
            "Brief Table" in self.style_names or "Table Grid" in self.style_names) else None
        cell_style = self.style("Table Text Small" if small else "Table Text")
        weights = list(widths or [1.0] * ncols)
        total = sum(weights)
        col_widths = [Emu(int(self.text_width * w / total)) for w in weights]
        for col, width in zip(table.columns, col_widths, strict=True):
            col.width = width
        all_rows = ([list(headers)] if headers else []) + [list(r) for r in rows]
        for index, values in enumerate(all_rows):
            row = table.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            cant = OxmlElement("w:cantSplit")
            tr_pr.append(cant)
            if headers and index == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for cell, value, width in zip(row.cells, values, col_widths, strict=True):
                cell.width = width
                p = cell.paragraphs[0]
                p.style = cell_style
                if callable(value):
                    value(p, cell)
                elif value:
                    self.run(p, str(value), bold=bool(headers and index == 0))
                # Word keeps a row with the next while its paragraphs keep with the next: a
                # header row always; every row of a table without one (the facts tables:
                # short, and read as one block with the heading above them) but the last.
                if (headers and index == 0) or (not headers and index < len(all_rows) - 1):
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        tbl_pr = table._tbl.tblPr
        look = tbl_pr.find(self.qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        look.set(self.qn("w:firstRow"), "1" if headers else "0")
        look.set(self.qn("w:val"), "0020" if headers else "0000")
        if caption:
            self.para(caption, "Caption")
        else:
            self.para("", "Table Text")  # Word merges adjacent tables without a paragraph
        return table

    def orientation(self, *, landscape: bool) -> None:
        """Start a new section on a new page, turned sideways or back; the header and footer
        carry over (linked to the first section's)."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        previous = self.doc.sections[-1]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = previous.page_width, previous.page_height
        if landscape != (width > height):
            section.page_width, section.page_height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        self.text_width = int(section.page_width - section.left_margin - section.right_margin)
        self.max_chart_height = int(
            (section.page_height - section.top_margin - section.bottom_margin) * 0.45)

    def chart(self, chart: ChartView | None) -> None:
        """A chart as a PNG picture with its text alternative as alt text, and its caption."""
        if chart is None or not chart.png:
            return
        from docx.shared import Emu

        p = self.para()
        p.paragraph_format.keep_with_next = True
        run = self.run(p, "")
        # The text block's width, unless that makes the chart taller than half the page.
        px_w, px_h = int.from_bytes(chart.png[16:20], "big"), int.from_bytes(chart.png[20:24],
                                                                               "big")
        width = min(self.text_width, int(self.max_chart_height * px_w / max(px_h, 1)))
        shape = run.add_picture(io.BytesIO(chart.png), width=Emu(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("name", chart.id)
        doc_pr.set("descr", _clean(chart.alt))
        self.para(chart.caption, "Caption")

    # -- Markdown fields -----------------------------------------------------------------

    def markdown(self, text: str | None, style: str = "Normal") -> None:
        """A Markdown field, from markdown-it's tokens: paragraphs, lists, bold, italic and
        allowed links; everything else (headings, code, tables, quotes) as plain text."""
        lists: list[tuple[bool, int | None]] = []  # (numbered, numId) of each open list
        item_started = False
        p: Any = None
        bold_block = False
        for token in markdown.tokens(text):
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                numbered = kind == "ordered_list_open"
                depth = len(lists) + 1
                name = ("List Number" if numbered else "List Bullet") + (
                    f" {depth}" if depth > 1 else "")
                lists.append((numbered, self._restart(self.style(name, "List Number"))
                              if numbered else None))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_started = True
            elif kind in ("paragraph_open", "heading_open"):
                if lists and item_started:
                    numbered, num_id = lists[-1]
                    depth = len(lists)
                    name = ("List Number" if numbered else "List Bullet") + (
                        f" {depth}" if depth > 1 else "")
                    p = self.para(style=self.style(name, "List Bullet" if not numbered
                                                   else "List Number"))
                    if num_id is not None:
                        self._number(p, num_id)
                    item_started = False
                elif lists:
                    p = self.para(style=self.style("List Continue"))
                else:
                    p = self.para(style=style)
                bold_block = kind == "heading_open"
            elif kind == "inline":
                if p is None:
                    p = self.para(style=style)
                self.inline(p, token.children or [], bold=bold_block)
            elif kind in ("paragraph_close", "heading_close"):
                p, bold_block = None, False
            elif kind in ("fence", "code_block", "html_block"):
                self.para(token.content.rstrip("\n"), style)
            elif kind == "tr_open":
                p = self.para(style=style)
            elif kind in ("th_open", "td_open") and p is not None and p.runs:
                self.run(p, "\t")
            elif kind == "tr_close":
                p = None

    def inline(self, p: Any, children: Sequence[Any], *, bold: bool = False) -> None:
        strong = 1 if bold else 0
        em = 0
        links: list[Any] = []  # the open w:hyperlink, or None for a link shown as text
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline", "html_inline"):
                self.run(p, child.content, bold=strong > 0, italic=em > 0,
                         into=next((x for x in reversed(links) if x is not None), None))
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                em += 1
            elif kind == "em_close":
                em -= 1
            elif kind == "softbreak":
                self.run(p, " ")
            elif kind == "hardbreak":
                self.run(p, "").add_break()
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                ok = markdown.link_problem(href) is None and not href.startswith("#")
                links.append(self.hyperlink(p, url=href) if ok else None)
            elif kind == "link_close" and links:
                links.pop()
            elif kind == "image":  # pictures in fields are shown as their alt text
                self.run(p, child.content, bold=strong > 0, italic=em > 0)

    # -- prose partials ------------------------------------------------------------------

    def prose(self, name: str, *, bullets: bool = False, **context: Any) -> None:
        """A per-language prose partial (templates/lang/<lang>/<name>.html.j2), the same text
        the HTML brief shows. The partials are briefgen's (or the theme's) own short HTML,
        so only a few elements occur: paragraphs, lists, headings and the inline marks
        below; anything else is kept as its text. ``bullets``: loose list items (a partial
        that the HTML includes inside a <ul>) become bullets."""
        from lxml import html

        root = html.fragment_fromstring(render_prose(self.view, self.workspace, name,
                                                     **context), create_parent="div")
        self._blocks(root, "List Bullet" if bullets else None)

    def _blocks(self, element: Any, loose_style: str | None) -> None:
        loose: list[Any] = []  # text and inline elements between blocks: one paragraph

        def flush() -> None:
            if any(not isinstance(x, str) or x.strip() for x in loose):
                p = self.para(style=loose_style or "Normal")
                self._inline_parts(p, loose, _Marks())
            loose.clear()

        if element.text:
            loose.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif child.tag in _BLOCKS:
                flush()
                self._block(child, loose_style)
            else:
                loose.append(child)
            if child.tail:
                loose.append(child.tail)
        flush()

    def _block(self, element: Any, loose_style: str | None) -> None:
        tag = element.tag
        if tag in ("h2", "h3", "h4"):
            self.heading(" ".join(element.text_content().split()), int(tag[1]) - 1)
        elif tag in ("ol", "ul"):
            num_id = self._restart("List Number") if tag == "ol" else None
            for item in element:
                if not isinstance(item.tag, str):
                    continue
                p = self.para(style="List Number" if tag == "ol" else "List Bullet")
                if num_id is not None:
                    self._number(p, num_id)
                self._inline_parts(p, [item], _Marks(), outer=True)
        elif tag == "li":
            p = self.para(style=loose_style or "List Bullet")
            self._inline_parts(p, [element], _Marks(), outer=True)
        elif tag == "p":
            p = self.para(style="Caption" if "note" in element.get("class", "").split()
                          else "Normal")
            self._inline_parts(p, [element], _Marks(), outer=True)
        else:  # div, section: their blocks in turn
            self._blocks(element, loose_style)

    def _inline_parts(self, p: Any, parts: Sequence[Any], marks: _Marks, *,
                      outer: bool = False) -> None:
        """Text and inline elements as runs; white space collapsed as a browser does."""
        runs: list[Any] = []

        def text(value: str, m: _Marks) -> None:
            value = re.sub(r"\s+", " ", value)
            if m.nowrap:
                value = value.replace(" ", "\u00a0")
            if not value:
                return
            if runs and runs[-1].text.endswith(" ") and value.startswith(" "):
                value = value[1:]
            if value:
                runs.append(self._marked_run(p, value, m))

        def walk(element: Any, m: _Marks) -> None:
            if element.text:
                text(element.text, m)
            for child in element:
                if isinstance(child.tag, str):
                    inline(child, m)
                if child.tail:
                    text(child.tail, m)

        def inline(element: Any, m: _Marks) -> None:
            if element.tag == "br":
                runs.append(self.run(p, ""))
                runs[-1].add_break()
                return
            inner = m.inside(element)
            if element.tag == "a":
                href = str(element.get("href") or "")
                if href.startswith("#"):  # a section of this brief; see _drop_dead_links
                    inner = inner.linked(self.hyperlink(p, anchor=href[1:]))
                elif markdown.link_problem(href) is None:
                    inner = inner.linked(self.hyperlink(p, url=href))
            walk(element, inner)

        for part in parts:
            if isinstance(part, str):
                text(part, marks)
            elif outer:
                walk(part, marks)
            else:
                inline(part, marks)
        # The partial's line breaks and indentation are layout, not text.
        if runs:
            runs[0].text = runs[0].text.lstrip()
            runs[-1].text = runs[-1].text.rstrip()

    def _marked_run(self, p: Any, value: str, m: _Marks) -> Any:
        r = self.run(p, value, bold=m.bold, italic=m.italic and not m.formula, into=m.link)
        if m.link is not None:
            from docx.shared import RGBColor

            r.font.color.rgb = RGBColor(0x1F, 0x4E, 0x8C)
        if m.formula:
            if "Formula" in self.style_names:
                r.style = self.doc.styles["Formula"]
            else:  # a department's reference.docx without it: as the HTML shows formulas
                r.italic = True
        if m.code:
            if "Code" in self.style_names:
                r.style = self.doc.styles["Code"]
            else:
                r.font.name = "Courier New"
        if m.sub:
            r.font.subscript = True
        if m.sup:
            r.font.superscript = True
        return r

    # -- the page ------------------------------------------------------------------------

    def header_footer(self) -> None:
        """The marking at the top and bottom of every page, the watermark, page N of M."""
        brief = self.view.brief
        section = self.doc.sections[0]
        section.different_first_page_header_footer = False
        header = section.header
        header.is_linked_to_previous = False
        for p in list(header.paragraphs):
            p._p.getparent().remove(p._p)
        top = self.para(brief.classification, "Marking", header, bold=True)
        record = self.view.record
        if record and record.watermark:
            self.watermark(top, label(record.watermark).upper())
        footer = section.footer
        footer.is_linked_to_previous = False
        for p in list(footer.paragraphs):
            p._p.getparent().remove(p._p)
        pages = self.para("", "Footer", footer)
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        text = _label("Page {page} of {pages}")
        pos = 0
        for match in _PLACE.finditer(text):
            if match.start() > pos:
                self.run(pages, text[pos:match.start()])
            name = match.group(1)
            self.field(pages, "PAGE" if name == "page" else "NUMPAGES", "1")
            pos = match.end()
        if pos < len(text):
            self.run(pages, text[pos:])
        self.para(brief.classification, "Marking", footer, bold=True)

    def watermark(self, p: Any, text: str) -> None:
        """Word's own kind of text watermark: a VML WordArt shape behind the text, anchored
        in the header so it is on every page; LibreOffice reads it too."""
        from docx.oxml import parse_xml

        safe = (_clean(text).replace("&", "&amp;").replace('"', "&quot;")
                .replace("<", "&lt;").replace(">", "&gt;"))
        font = self.east_asian if self.ja else "Arial"
        xml = (
            f'<w:r xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr>'
            '<w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
            'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
            '<v:path textpathok="t" o:connecttype="custom"/>'
            '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
            '</v:shapetype>'
            '<v:shape id="BriefgenWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;'
            'rotation:315;z-index:-251657216;mso-position-horizontal:center;'
            'mso-position-horizontal-relative:margin;mso-position-vertical:center;'
            'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d0d4da" '
            'stroked="f"><v:fill opacity=".5"/>'
            f'<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" '
            f'string="{safe}"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
            '</w:pict></w:r>')
        p._p.append(parse_xml(xml))

    def toc(self) -> None:
        """A contents field (TOC \\o "1-3" \\h): Word fills in the page numbers when it
        updates fields (it is marked dirty, so on opening); until then it lists the
        headings, each linked to its place."""
        self.para(label("Contents"), "TOC Heading")
        self.toc_paragraph = self.para()

    def _fill_toc(self) -> None:
        from docx.oxml import OxmlElement

        if self.toc_paragraph is None:
            return
        first = self.toc_paragraph
        entries = [(lvl, text, name) for lvl, text, name in self.headings if lvl <= 2]
        # begin + instruction + separate in the first paragraph, one paragraph per
        # entry, end in the last: the shape Word itself writes.
        anchor = first
        first.style = self.style("TOC 1")

        def char(p: Any, kind: str) -> None:
            r = self.run(p, "")
            fld = OxmlElement("w:fldChar")
            fld.set(self.qn("w:fldCharType"), kind)
            if kind == "begin":
                fld.set(self.qn("w:dirty"), "true")
            r._r.append(fld)

        char(first, "begin")
        r = self.run(first, "")
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = ' TOC \\o "1-3" \\h \\z \\u '
        r._r.append(instr)
        char(first, "separate")
        for i, (level, text, name) in enumerate(entries):
            if i == 0:
                p = first
            else:
                p = self.doc.add_paragraph(style=self.style(f"TOC {level}"))
                anchor._p.addnext(p._p)
                anchor = p
            p.style = self.style(f"TOC {level}")
            self.link_run(p, text, anchor=name)
        char(anchor, "end")

    def finish(self, when: datetime) -> None:
        self._fill_toc()
        self._drop_dead_links()
        self.header_footer()
        brief = self.view.brief
        props = self.doc.core_properties
        props.title = _clean(brief.title)
        props.author = props.last_modified_by = _clean(brief.author)
        props.subject = _clean(brief.question)[:255]
        props.category = _clean(brief.classification)
        props.comments = self.view.generator
        props.keywords = ""
        props.language = "ja-JP" if self.ja else "en-GB"
        props.created = props.modified = when
        props.revision = 1
        props.identifier = brief.id
        props.version = _clean(self.view.record.version or "") if self.view.record else ""
        props.content_status = self.view.record.status_text if self.view.record else ""

    def _drop_dead_links(self) -> None:
        """A prose link to a section this brief does not have (a theme's partial may name
        any) keeps its text and loses the link, as Word would jump nowhere."""
        body = self.doc.element.body
        marks = {b.get(self.qn("w:name")) for b in body.iter(self.qn("w:bookmarkStart"))}
        for link in list(body.iter(self.qn("w:hyperlink"))):
            anchor = link.get(self.qn("w:anchor"))
            if anchor is not None and anchor not in marks:
                for run in list(link):
                    link.addprevious(run)
                link.getparent().remove(link)

    # -- the brief -----------------------------------------------------------------------

    def cover(self, kind: str) -> None:
        brief = self.view.brief
        self.para(kind, "Subtitle")
        self.para(brief.title, "Title")

    def brief(self) -> None:
        view, brief, record = self.view, self.view.brief, self.view.record
        self.cover(label("Options brief"))
        meta: list[list[Any]] = [
            [label("Date"), view.date_text],
            [label("From"), brief.author],
            [label("For"), brief.audience],
            [label("Options"), _label("{options} compared on {criteria} criteria",
                                      options=len(view.options), criteria=len(view.criteria))],
        ]
        if record:
            status = record.status_text + (
                " · " + _label("version {version}", version=record.version)
                if record.version else "")
            meta.append([label("Status"), status])
        self.table(None, [[self._bold(k), v] for k, v in meta], [1, 4])
        self.toc()

        if record and record.bluf:
            self.heading(label("Bottom line"), 1)
            for line in record.bluf:
                self.para(line)
        self.heading(label("Decision required"), 1)
        self.para(brief.question, bold=True)

        self.heading(label("Executive summary"), 1)
        self.table([label("Rank"), label("Option"), label("Weighted total")],
                   [[_figure(v.rank_text), self._option_cell(v), self._total(v)]
                    for v in view.options],
                   [0.7, 5, 1.6],
                   caption=label("Ranking at a glance: weighted total out of 100, higher is "
                                 "better"))
        self.recommendation(dissent=True)
        if not view.ranking_withheld:
            self.prose("summary")
        if view.extras and not view.ranking_withheld:
            r = view.extras.robustness
            self.para(label("How firm is the ranking?"), bold=True)
            self.bullets([r.range_text])
            self.prose("summary_robustness", bullets=True, r=r)

        if record and record.objectives:
            self.heading(label("Objectives"), 1)
            self.table([label("Objective and threshold"), *record.objective_titles],
                       [[self._objective(row), *[
                           c.text + (f" — {c.note}" if c.note else "") for c in row.cells]]
                        for row in record.objectives],
                       [2.2] + [1.0] * len(record.objective_titles),
                       small=len(record.objective_titles) > 4,
                       caption=label("Expected contribution of each option to each "
                                     "objective; options in the brief's order"
                                     if view.ranking_withheld else
                                     "Expected contribution of each option to each "
                                     "objective; options in rank order"))
            if record.unmet:
                p = self.para()
                self.run(p, label("No option meets this objective" if len(record.unmet) == 1
                                  else "No option meets these objectives") + joiner("colon"),
                         bold=True)
                self.run(p, " " + "; ".join(record.unmet) + joiner("stop"))
            else:
                self.para(label("Every objective is met by at least one option."), "Caption")

        self.heading(label("Context"), 1)
        self.markdown(brief.context)
        if view.brief_source_numbers:
            p = self.para(label("Sources:") + " ")
            self.cites(p, view.brief_source_numbers)

        self.heading(label("Criteria and weights"), 1)
        self.table([label("Criterion"), label("What it measures"), label("Scale"),
                    label("Weight")],
                   [[self._bold(c.name), c.description,
                     f"{c.scale_text}, {c.direction_text}" + "".join(
                         f"\n{pt} {text}" for pt, text in c.labels), _figure(c.weight_text)]
                    for c in view.criteria],
                   [1.6, 3, 2.2, 0.8],
                   caption=label("What the options are compared on; weights are normalised "
                                 "to 100 %"))

        wide = len(view.criteria) > WIDE_MATRIX
        if wide:  # a page turned sideways, as a private office would lay out a wide table
            self.orientation(landscape=True)
        self.heading(label("Comparison matrix"), 1)
        self.matrix()
        if wide:  # the chart is drawn for a portrait page: it follows on one
            self.orientation(landscape=False)
        if view.extras:
            self.chart(view.extras.charts.get("totals"))
        if view.ranking_withheld:
            self.para(label("Charts resting on withheld figures are left out of this "
                            "edition."), "Caption")
        if view.extras and view.extras.packages:
            self.heading(label("Packages ranked with the single options"), 2, "packages")
            self.table([label("Rank"), label("Option or package"), label("Members"),
                        label("Weighted total"), label("Combined cost")],
                       [[_figure(p.rank_text),
                         p.title + (f" ({label('Package')})" if p.is_package else "")
                         + (f"\n{p.note}" if p.note else ""), p.members_text,
                         _figure(p.total_text)
                         + (f" ({p.range_text})" if p.range_text else ""),
                         p.cost_text or "–"] for p in view.extras.packages],
                       [0.7, 2.4, 2.4, 1.1, 1.6],
                       caption=label("A package is scored on each criterion by the rule in "
                                     "the method note and ranked on the same weights as the "
                                     "single options; its cost is the sum of its members' "
                                     "costs."))
        if view.interactions:
            self.heading(label("Interactions between options"), 2)
            self.bullets(view.interactions)

        if view.extras and not view.ranking_withheld:
            self.robustness()
        if view.extras:
            self.costs()

        if record and len(view.options) > 1:
            self.heading(label("What would have to be true"), 1, "switching")
            if record.switching:
                self.bullets(record.switching)
                self.prose("switching-note")
            else:
                self.prose("switching-none")

        self.heading(label("The options"), 1)
        for v in view.options:
            self.option(v)

        self.heading(label("Method note"), 1, "method")
        self.prose("method")
        if view.extras:
            self.prose("method_analysis", r=view.extras.robustness, mv=view.extras.money)
        if record:
            self.heading(label("Reproducing these figures"), 2)
            self.prose("reproducibility", r=record)

        self.sources()

        if record and record.set_aside:
            self.heading(label("Annex: Options considered and set aside"), 1)
            self.table([label("Option"), label("Reason for setting it aside")],
                       [[s.title + (f"\n{s.summary}" if s.summary else ""), s.reason]
                        for s in record.set_aside], [2, 3],
                       caption=label("These options were considered and are not ranked or "
                                     "scored in this brief."))
        if record and record.changes:
            self.heading(label("Annex: What changed since the previous version"), 1)
            self.table([label("Version"), label("Date"), label("What changed")],
                       [[c.version, c.date_text, c.summary] for c in record.changes],
                       [0.8, 1.4, 4],
                       caption=_label("Versions of this brief; this is version {version}",
                                      version=record.version) if record.version
                       else label("Versions of this brief"))
        if record:
            self.heading(label("Decision record"), 1)
            self.decision_record()

    def _bold(self, text: str) -> Callable[[Any, Any], None]:
        return lambda p, cell: self.run(p, text, bold=True)

    def _option_cell(self, v: OptionView) -> Callable[[Any, Any], None]:
        def fill(p: Any, cell: Any) -> None:
            self.link_run(p, v.option.title, anchor=self._option_anchor(v))
            badges = [label("Recommended")] * v.is_recommended + [label("Baseline")] * (
                v.is_baseline)
            if badges:
                self.run(p, "  " + " · ".join(badges), italic=True)
        return fill

    def _option_anchor(self, v: OptionView) -> str:
        return f"option_{v.rank or 0}_{self.view.options.index(v) + 1}"

    def _total(self, v: OptionView) -> str:
        return _figure(v.total_text) + (f" ({v.total_range_text})" if v.total_range_text
                                        else "")

    def _objective(self, row: Any) -> Callable[[Any, Any], None]:
        def fill(p: Any, cell: Any) -> None:
            self.run(p, row.name, bold=True)
            if row.description:
                self.run(p, "").add_break()
                self.run(p, row.description)
            self.run(p, "").add_break()
            self.run(p, f"{label('Threshold:')} {row.threshold}", italic=True)
        return fill

    def recommendation(self, *, dissent: bool) -> None:
        view, brief = self.view, self.view.brief
        if not brief.recommendation:
            return
        heading = (f"{label('Recommendation:')} {view.recommended_title}"
                   if view.recommended_title else label("Recommendation"))
        self.para(heading, bold=True)
        if dissent and view.record and view.record.dissent:
            p = self.para(label("Dissent"), italic=True)
            for who, note in view.record.dissent:
                p = self.para()
                self.run(p, f"{who}: ", bold=True)
                self.run(p, note)
        self.markdown(brief.recommendation.text)

    def matrix(self) -> None:
        view = self.view
        many = len(view.criteria) > 5
        headers = [label("Rank"), label("Option"),
                   *[c.name + (" †" if c.direction == "cost" else "")
                     + (f" ({c.unit})" if c.unit else "") + f" {_figure(c.weight_text)}"
                     for c in view.criteria], label("Weighted total")]
        rows = []
        for v in view.options:
            rank = _figure(v.rank_text)
            cells = [_figure(c.number_text) + (f" ({c.range_text})" if c.range_text else "")
                     if c.scored else "n/s" for c in v.cells]
            rows.append([rank, self._option_cell(v), *cells, self._total(v)])
        caption = (label("Options in the brief's order. Scores as given on each criterion's "
                         "scale, with the weight below each criterion; † lower is better. The "
                         "weighted total is out of 100") if view.ranking_withheld else
                   label("Options in rank order. Scores as given on each criterion's scale, "
                         "with the weight below each criterion; † lower is better. The "
                         "weighted total is out of 100"))
        if any(v.total_range_text for v in view.options):
            caption += label("; small figures show the range from the scores' low and high "
                             "ends")
        caption += joiner("stop")
        self.table(headers, rows, [0.7, 2.4, *[1.0] * len(view.criteria), 1.1],
                   small=many, caption=caption)
        if view.not_scored_count:
            self.para(label("n/s: not scored; the option gets no points on that criterion "
                            "(see its section for why)."), "Caption")

    def robustness(self) -> None:
        assert self.view.extras is not None
        r = self.view.extras.robustness
        self.heading(label("How robust is the ranking"), 1, "robustness")
        self.heading(label("Score ranges"), 2)
        self.para(r.range_text)
        self.heading(label("Weight sensitivity"), 2)
        self.prose("robustness-intervals", r=r)
        self.chart(r.charts.get("stability"))

        def criterion(s: Any) -> Callable[[Any, Any], None]:
            def fill(p: Any, _: Any) -> None:
                self.run(p, s.criterion, bold=True)
                if s.flagged:
                    self.run(p, f" {label('flag')}", italic=True)
            return fill

        self.table([label("Criterion"), label("Weight"),
                    _label("{leader} first while the weight is in", leader=r.leader),
                    label("Takes over below"), label("Takes over above"),
                    label("Smallest change")],
                   [[criterion(s), s.weight_text, s.interval_text, s.below_text, s.above_text,
                     s.margin_text] for s in r.stability], [1.6, 0.8, 1.2, 1.6, 1.6, 0.9],
                   small=True,
                   caption=label("Stability intervals of the weights (switching values)"))
        self.heading(label("Rank acceptability"), 2)
        self.prose("robustness-acceptability", r=r)
        self.chart(r.charts.get("acceptability"))
        self.table([label("Option"), *r.rank_headers, label("Confidence factor")],
                   [[a.title, *a.shares_text, a.confidence_text] for a in r.acceptability],
                   [2.4, *[0.8] * len(r.rank_headers), 1.0], small=len(r.rank_headers) > 5,
                   caption=label("Share of weightings in which each option takes each rank"))
        self.table([label("Option"), *r.criteria_names],
                   [[a.title, *a.central_text] for a in r.acceptability],
                   [2.4, *[1.0] * len(r.criteria_names)], small=len(r.criteria_names) > 5,
                   caption=label("Central weights: the average weights under which each "
                                 "option ranks first (– : never first)"))

    def costs(self) -> None:
        extras = self.view.extras
        assert extras is not None
        money = extras.money
        if not (money.costs or extras.charts):
            return
        self.heading(label("Costs, timing and risks"), 1)
        if money.costs:
            headers = [label("Option"), label("As given")]
            if money.converted_column:
                headers.append(_label("In {currency}", currency=money.currency))
            if money.total_column:
                headers.append(_label("Over {horizon}", horizon=money.horizon_text))
            rows = []
            for c in money.costs:
                row = [c.title, c.given_text]
                if money.converted_column:
                    row.append(f"{c.converted_text}\n{c.rate_text or ''}".strip()
                               if c.converted_text else label("as given"))
                if money.total_column:
                    row.append(c.total_text or "–")
                rows.append(row)
            caption = label("Costs as given")
            if money.converted_column:
                caption += _label(" and in {currency}", currency=money.currency)
            if money.total_column:
                caption += _label(", with the total over {horizon} (per-year cost × years + "
                                  "one-off cost)", horizon=money.horizon_text)
            self.table(headers, rows, [2, *[1.5] * (len(headers) - 1)], caption=caption)
        if money.rates:
            self.table([label("Currency"), label("Rate"), label("Date"), label("Source")],
                       [[self._bold(r.currency), r.rate_text, r.date_text, r.source]
                        for r in money.rates], [1, 1.4, 1.2, 3.4],
                       caption=label("Exchange rates used"))
        if extras.charts.get("timeline"):
            self.heading(label("Time to effect"), 2)
            self.chart(extras.charts.get("timeline"))
        if extras.charts.get("risks"):
            self.heading(label("Risks"), 2)
            self.chart(extras.charts.get("risks"))

    def option(self, v: OptionView) -> None:
        view, record = self.view, self.view.record
        p = self.heading(f"{v.heading_rank} {v.option.title}" if v.heading_rank
                         else v.option.title, 2)
        self.bookmark(p, self._option_anchor(v))
        summary = self.para(v.option.summary)
        summary.paragraph_format.keep_with_next = True
        badges = [label("Recommended")] * v.is_recommended + [label("Baseline")] * v.is_baseline
        if badges:
            self.run(summary, "  " + " · ".join(badges), bold=True)
        count = len(view.options)
        if v.rank is None:
            total = (_label("{total} of 100", total=v.total_text) if v.total_text is not None
                     else label("Withheld"))
        elif v.tied_with:
            total = (_label("{total} / 100 (range {range}), joint rank {rank} of {count}",
                            total=v.total_text, range=v.total_range_text, rank=v.rank,
                            count=count)
                     if v.total_range_text else
                     _label("{total} / 100, joint rank {rank} of {count}", total=v.total_text,
                            rank=v.rank, count=count))
        else:
            total = (_label("{total} / 100 (range {range}), rank {rank} of {count}",
                            total=v.total_text, range=v.total_range_text, rank=v.rank,
                            count=count)
                     if v.total_range_text else
                     _label("{total} / 100, rank {rank} of {count}", total=v.total_text,
                            rank=v.rank, count=count))
        facts: list[list[Any]] = [[label("Weighted total"), total],
                                  [label("Status"), v.status_text]]
        if record:
            facts.append([label("Short list"), record.kinds[v.option.id]])
        facts.append([label("Lead"), v.option.lead])
        if v.option.counterparts:
            facts.append([label("Counterparts"), "; ".join(v.option.counterparts)])
        if v.cost_text:
            facts.append([label("Cost"), "\n".join(filter(None, [
                v.cost_text, v.cost_note, v.option.cost.basis if v.option.cost else None]))])
        if v.timeline_text:
            facts.append([label("Timeline"), "\n".join(filter(None, [
                v.timeline_text, v.option.timeline.note if v.option.timeline else None]))])
        self.table(None, [[self._bold(k), val] for k, val in facts], [1.3, 4])
        self.markdown(v.option.description)
        self.heading(label("Actions"), 3)
        self.bullets(v.option.actions, numbered=True)
        if v.option.benefits:
            self.heading(label("Expected benefits"), 3)
            self.bullets(v.option.benefits)
        if v.risks:
            self.table([label("Risk"), label("Likelihood"), label("Impact"), label("Mitigation")],
                       [[f"{label(r.rating)}: {r.risk}", r.likelihood, r.impact, r.mitigation]
                        for r in v.risks], [2.4, 1, 1, 2.4],
                       caption=label("Risks (likelihood and impact on five-point scales)"))
        if v.depends_on or v.conflicts_with:
            self.heading(label("Relations to other options"), 3)
            for ref, what in [*[(r, "Depends on") for r in v.depends_on],
                              *[(r, "Conflicts with") for r in v.conflicts_with]]:
                p = self.para(style="List Bullet")
                self.run(p, label(what) + " ")
                if ref.included:
                    target = next(o for o in view.options if o.option.id == ref.id)
                    self.link_run(p, ref.title, anchor=self._option_anchor(target))
                else:
                    self.run(p, f"{ref.title} ({label('not compared here')})")
        if record and record.positions.get(v.option.id):
            self.table([label("Stakeholder"), label("Position"), label("Note")],
                       [[pos.stakeholder, pos.stance_text, pos.note or ""]
                        for pos in record.positions[v.option.id]], [1.8, 1, 3.2],
                       caption=label("Positions of ministries, agencies and other "
                                     "stakeholders"))

        def rationale(cell: Any) -> Callable[[Any, Any], None]:
            def fill(p: Any, _: Any) -> None:
                if cell.text is None:  # the score itself is withheld in this edition
                    self.run(p, label("Withheld"), italic=True)
                elif cell.scored:
                    self.run(p, cell.rationale or label("No rationale given."))
                else:
                    self.run(p, f"{label('Not scored:')} {cell.reason}")
                if cell.source_numbers:
                    self.run(p, " ")
                    self.cites(p, cell.source_numbers)
            return fill

        self.table([label("Criterion"), label("Score"), label("Points"), label("Rationale")],
                   [[c.criterion.name,
                     _figure(c.text) + (f" ({c.range_text})" if c.range_text else ""),
                     _figure(c.contribution_text), rationale(c)] for c in v.cells],
                   [1.6, 1, 0.7, 4],
                   caption=label("Scores and rationale"))
        if v.source_numbers:
            p = self.para(label("Sources:") + " ")
            self.cites(p, v.source_numbers)

    def sources(self) -> None:
        self.heading(label("Sources"), 1)
        if not self.view.sources:
            self.para(label("No sources cited."))
        for s in self.view.sources:
            p = self.para(style="Source")
            self.run(p, f"[{s.number}]\t", bold=True)
            self.bookmark(p, f"source_{s.number}")
            self.run(p, s.title + joiner("words") + s.publisher)
            if s.note:
                self.run(p, " " + s.note, italic=True)
            url = s.source.url
            if url:
                self.run(p, " ")
                if markdown.link_problem(url) is None and not url.startswith("#"):
                    self.link_run(p, url, url=url)
                else:
                    self.run(p, url)

    def decision_record(self) -> None:
        record, brief = self.view.record, self.view.brief
        assert record is not None
        if record.decision:
            d = record.decision
            outcome = d.outcome_text + (f": {d.option_title}" if d.option_title else "")
            self.para(outcome, bold=True)
            rows = [[label("Decided by"), d.by], [label("Date"), d.date_text],
                    [label("Revisit by"), d.revisit_text or label("No date set")]]
            self.table(None, [[self._bold(k), v] for k, v in rows], [1.3, 4])
            if d.note:
                self.para(d.note)
            return
        proposal = (f"{label('Recommended:')} {record.proposed}" if record.proposed
                    else brief.question)
        self.para(proposal, bold=True)
        ticks = [[f"{CHECKBOX} {label(x)}", ""] for x in
                 ("Approved", "Approved with changes", "Disapproved", "Discuss")]
        lines = [[self._bold(label(x)), ""] for x in
                 ("Comments", "Name", "Signature", "Date", "Revisit by")]
        table = self.table(None, [*ticks, *lines], [1.6, 4])
        for row in table.rows[len(ticks):]:
            row.height = 500_000 if row is table.rows[len(ticks)] else 300_000
        self.para(_label("For {audience}. Tick one box, sign and date; return to {author}.",
                         audience=brief.audience, author=brief.author), "Caption")

    # -- the memo ------------------------------------------------------------------------

    def memo(self) -> None:
        view, brief = self.view, self.view.brief
        self.cover(label("Decision memo"))
        self.para(" · ".join([view.date_text, _label("From {author}", author=brief.author),
                              _label("For {audience}", audience=brief.audience)]), "Subtitle")
        self.para(_label("Scores, rationale, method and sources are in the full comparison "
                         "brief, {file}.", file=f"{brief.id}.docx"), "Caption")
        self.heading(label("Decision required"), 1)
        self.para(brief.question, bold=True)
        if view.record and view.record.bluf:
            self.heading(label("Bottom line"), 1)
            for line in view.record.bluf:
                self.para(line)
        self.heading(label("The options"), 1)

        def option(v: OptionView) -> Callable[[Any, Any], None]:
            def fill(p: Any, cell: Any) -> None:
                self.run(p, v.option.title, bold=True)
                badges = [label("Recommended")] * v.is_recommended + [label("Baseline")] * (
                    v.is_baseline)
                if badges:
                    self.run(p, "  " + " · ".join(badges), italic=True)
                self.run(p, "").add_break()
                self.run(p, v.option.summary)
            return fill

        self.table([label("Rank"), label("Option"), label("Total"), label("Cost")],
                   [[_figure(v.rank_text), option(v), _figure(v.total_text),
                     v.cost_text or "–"] for v in view.options], [0.6, 4.4, 0.8, 1.8], small=True,
                   caption=_label("Options in the brief's order; weighted total out of 100 "
                                  "on {criteria} criteria" if view.ranking_withheld else
                                  "Options in rank order; weighted total out of 100 on "
                                  "{criteria} criteria", criteria=len(view.criteria)))
        if brief.recommendation:
            heading = (f"{label('Recommendation:')} {view.recommended_title}"
                       if view.recommended_title else label("Recommendation"))
            self.heading(heading, 1)
            self.markdown(brief.recommendation.text)
        if view.top_risks:
            self.heading(label("Top risks"), 1)
            self.table([label("Risk"), label("Option"), label("Mitigation")],
                       [[f"{label(r.rating)}: {r.risk}", v.option.title, r.mitigation]
                        for v, r in view.top_risks[:3]], [2.4, 1.6, 2.4], small=True,
                       caption=label("The gravest risks across the options (likelihood × "
                                     "impact)"))


def _repack(data: bytes) -> bytes:
    """The package rewritten the same way every time: members in a fixed order with a fixed
    timestamp, and nothing unsafe carried over from a reference document (see UNSAFE_PARTS)."""
    from lxml import etree

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            if UNSAFE_PARTS.search(name):
                continue
            content = src.read(name)
            if name.endswith(".rels"):
                root = etree.fromstring(content)
                for rel in list(root):
                    external = rel.get("TargetMode") == "External"
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if UNSAFE_PARTS.search(rel.get("Target", "")) or UNSAFE_PARTS.search(kind) \
                            or (external and (kind != "hyperlink" or markdown.link_problem(
                                rel.get("Target", "")) is not None)):
                        root.remove(rel)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            elif name == "[Content_Types].xml":
                root = etree.fromstring(content)
                for entry in list(root):
                    if UNSAFE_PARTS.search(entry.get("PartName", "")) or "macroEnabled" in (
                            entry.get("ContentType", "")):
                        root.remove(entry)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            elif name == "word/settings.xml":
                root = etree.fromstring(content)
                for tag in ("attachedTemplate", "rsids", "docVars"):
                    for element in root.findall(f"{{{W_NS}}}{tag}"):
                        root.remove(element)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()
