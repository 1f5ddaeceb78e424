"""Check a brief's print layout: what a reader of the PDF would notice, found in the boxes.

WeasyPrint lays the HTML out into pages (``weasyprint.HTML(...).render()`` gives a
Document); each page keeps its tree of boxes in ``page._page_box`` (a PageBox whose
children are the page-margin boxes and the root element's box). Every box knows the
element it was made for (``box.element``, the same object on every page it lands
on), its position and size in CSS pixels (``border_box_x()``, ``border_width()`` ...)
and its kind (``weasyprint.formatting_structure.boxes``: TableBox, TableRowGroupBox
with ``is_header``/``is_footer``, TableRowBox, LineBox, ReplacedBox ...). From these:

* ``table-split``: a table of up to SHORT_TABLE body rows laid out on more than one page;
* ``table-orphan``: a longer table split with fewer than MIN_ROWS body rows on one side;
* ``heading-at-bottom``: a heading (h1-h6 or a table caption) is the last thing on a page;
* ``overflow``: a box reaching outside the page's content area (a wide table, a long URL);
* ``option-unnamed``: a page that continues an option's section (``.option``)
  but shows neither the option's heading nor its name in the page margin.

WeasyPrint's box tree is not public API: this module reads it (tested against
WeasyPrint 70) and nothing else in briefgen does. It is imported only for
``briefgen check --layout``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

SHORT_TABLE = 12  # body rows: a table this short should never split
MIN_ROWS = 3  # body rows a split table should keep on each side
MIN_FILL = 0.25  # ... unless its rows there fill this share of the page (tall rows)
TOLERANCE = 1.0  # CSS px: rounding, hairline borders
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Finding:
    page: int  # 1-based
    code: str
    message: str
    section: str  # the heading of the section it belongs to ("" before the first)

    def text(self) -> str:
        where = f" (in \u201c{self.section}\u201d)" if self.section else ""
        return f"page {self.page}: {self.message}{where}"


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _sections(root: Any) -> dict[Any, str]:
    """Each element -> the text of the h2 or h3 that last came before or contains it."""
    owner: dict[Any, str] = {}
    current = ""
    heading_of: dict[Any, str] = {}
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h2", "h3"):
            current = _text(element)
            heading_of[element] = current
        owner[element] = current
    # A heading's own descendants (an <a> inside an h3) belong to it.
    for heading, text in heading_of.items():
        for element in heading.iter():
            owner[element] = text
    return owner


def _in_flow(page_box: Any) -> Iterator[Any]:
    """The boxes of a page's content, without the margin boxes and out-of-flow boxes."""
    from weasyprint.formatting_structure import boxes

    def visit(box: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox):
            return
        style = getattr(box, "style", None)
        if style is not None and style["position"] in ("absolute", "fixed"):
            return
        if style is not None and style["visibility"] != "visible" and not box.children:
            return
        yield box
        for child in getattr(box, "children", ()):
            yield from visit(child)

    for child in page_box.children:
        yield from visit(child)


def _body_rows(table_element: Any) -> int:
    rows = 0
    for group in table_element:
        tag = group.tag if isinstance(group.tag, str) else ""
        if tag == "tbody":
            rows += sum(1 for row in group if row.tag == "tr")
        elif tag == "tr":
            rows += 1
    return rows


def check_document(document: Any) -> list[Finding]:
    """The findings of a rendered WeasyPrint Document, in page order."""
    from weasyprint.formatting_structure import boxes

    pages = document.pages
    if not pages:
        return []
    html_box = next((b for b in pages[0]._page_box.children
                     if not isinstance(b, boxes.MarginBox)), None)
    if html_box is None:
        return []
    root = html_box.element
    section = _sections(root)
    option_of: dict[Any, str] = {}
    for element in root.iter():
        if "option" in (element.get("class") or "").split():
            heading = next((h for h in element.iter() if h.tag == "h3"), None)
            name = _text(heading) if heading is not None else ""
            for inner in element.iter():
                option_of[inner] = name

    findings: list[Finding] = []
    table_pages: dict[Any, dict[int, set[Any]]] = {}
    table_fill: dict[Any, dict[int, float]] = {}  # share of the page's height in body rows
    for number, page in enumerate(pages, start=1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        right, bottom = left + page_box.width, top + page_box.height
        last: Any = None  # the element of the last line or replaced box on the page
        overflowing: set[Any] = set()
        first_option: str | None = None
        shows_heading: set[str] = set()
        for box in _in_flow(page_box):
            element = getattr(box, "element", None)
            if isinstance(box, boxes.TableRowGroupBox):
                if box.is_header or box.is_footer:
                    continue
                table = _parent_map(root).get(box.element)
                if table is not None and table.tag != "table":
                    table = None  # a row group made for rows right under <table>
                if box.element is not None and box.element.tag == "table":
                    table = box.element
                rows = {row.element for row in box.children
                        if isinstance(row, boxes.TableRowBox)}
                table_pages.setdefault(table, {}).setdefault(number, set()).update(rows)
                fill = table_fill.setdefault(table, {})
                fill[number] = fill.get(number, 0.0) + box.border_height() / page_box.height
            if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or (
                    not getattr(box, "children", ()) and box.height and box.height > 0):
                last = (box, element)
            if element is not None and element in option_of and first_option is None \
                    and isinstance(box, boxes.LineBox):
                first_option = option_of[element]
            if element is not None and element.tag == "h3" and element in option_of:
                shows_heading.add(option_of[element])
            if element is None or element in overflowing or isinstance(
                    box, (boxes.PageBox, boxes.LineBox)):
                continue
            if box.element_tag in ("html", "body"):
                continue
            x, y = box.border_box_x(), box.border_box_y()
            too_wide = x + box.border_width() > right + TOLERANCE or x < left - TOLERANCE
            too_tall = y + box.border_height() > bottom + TOLERANCE
            if (too_wide or too_tall) and not (overflowing & _ancestors(element, root)):
                overflowing.add(element)
                how = []
                if too_wide:
                    how.append(f"{x + box.border_width() - right:.0f}px past the right edge"
                               if x + box.border_width() > right + TOLERANCE
                               else f"{left - x:.0f}px past the left edge")
                if too_tall:
                    how.append(f"{y + box.border_height() - bottom:.0f}px below the bottom")
                findings.append(Finding(
                    number, "overflow",
                    f"<{box.element_tag}{_describe(element)}> overflows the page's content "
                    f"area ({', '.join(how)})", section.get(element, "")))
        if last is not None and number < len(pages):
            _line, element = last
            heading = _heading_of(element, root)
            if heading is not None:
                findings.append(Finding(
                    number, "heading-at-bottom",
                    f"the heading \u201c{_text(heading)}\u201d is the last thing on the page",
                    section.get(heading, "")))
        if first_option and first_option not in shows_heading \
                and not _margin_names(page_box, first_option):
            findings.append(Finding(
                number, "option-unnamed",
                f"the page continues the option \u201c{first_option}\u201d but does not "
                "name it", first_option))

    for table, by_page in table_pages.items():
        if len(by_page) < 2 or table is None:
            continue
        total = _body_rows(table)
        numbers = sorted(by_page)
        name = _table_name(table)
        first = numbers[0]
        fill = table_fill[table]
        if total <= SHORT_TABLE and sum(fill.values()) <= 1.0:
            findings.append(Finding(
                first, "table-split",
                f"the table{name} of {total} rows is split across pages "
                f"{first}-{numbers[-1]} (a table of up to {SHORT_TABLE} rows that fits on a "
                "page should not split)", section.get(table, "")))
            continue
        # A long (or taller than a page) table may split, but each side of a break keeps
        # MIN_ROWS rows, or at least a quarter of the page when its rows are tall.
        for before, after in pairwise(numbers):
            above, below = len(by_page[before]), len(by_page[after])
            short_above = above < MIN_ROWS and fill[before] < MIN_FILL
            short_below = below < MIN_ROWS and fill[after] < MIN_FILL
            if short_above or short_below:
                findings.append(Finding(
                    before, "table-orphan",
                    f"the table{name} of {total} rows is split between pages {before} and "
                    f"{after} with {above} row{'s' * (above != 1)} before and {below} "
                    f"after (at least {MIN_ROWS} each side)", section.get(table, "")))
    findings.sort(key=lambda f: (f.page, f.code, f.message))
    return findings


def _ancestors(element: Any, root: Any) -> set[Any]:
    parents = _parent_map(root)
    found: set[Any] = set()
    while element in parents:
        element = parents[element]
        found.add(element)
    return found


_PARENTS: dict[int, tuple[Any, dict[Any, Any]]] = {}


def _parent_map(root: Any) -> dict[Any, Any]:
    cached = _PARENTS.get(id(root))
    if cached is not None and cached[0] is root:
        return cached[1]
    parents = {child: parent for parent in root.iter() for child in parent}
    _PARENTS.clear()
    _PARENTS[id(root)] = (root, parents)
    return parents


def _heading_of(element: Any, root: Any) -> Any:
    """The heading (or caption) an element is, or is inside of; else None."""
    if element is None:
        return None
    parents = _parent_map(root)
    while element is not None:
        if element.tag in HEADINGS or element.tag == "caption":
            return element
        element = parents.get(element)
    return None


def _describe(element: Any) -> str:
    bits = ""
    if element.get("id"):
        bits += f" id={element.get('id')}"
    if element.get("class"):
        bits += f" class=\"{element.get('class')}\""
    return bits


def _table_name(table: Any) -> str:
    caption = next((c for c in table if c.tag == "caption"), None)
    return f" \u201c{_text(caption)}\u201d" if caption is not None else ""


def _margin_names(page_box: Any, name: str) -> bool:
    from weasyprint.formatting_structure import boxes

    for margin in page_box.children:
        if isinstance(margin, boxes.MarginBox):
            text = " ".join(b.text for b in _walk(margin) if isinstance(b, boxes.TextBox))
            if name and name in text:
                return True
    return False


def check_html(html: str, base_dir: Path, allowed_roots: Iterable[Path]) -> list[Finding]:
    """Lay the HTML out with WeasyPrint (through briefgen's safe fetcher) and check it."""
    import weasyprint

    from briefgen.output.pdf.weasy import safe_fetcher

    fetcher, _log = safe_fetcher(allowed_roots)
    document = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                               url_fetcher=fetcher).render()
    return check_document(document)
