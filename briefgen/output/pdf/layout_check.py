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
  but shows neither the option's heading nor its name in the page margin;
* ``glance-off-page-1``: the ranking at a glance (``table.glance``) of up to GLANCE_ROWS
  options is not wholly on page 1, where the reader of a brief looks first;
* ``page-underfilled``: a page less than MIN_PAGE_FILL full, followed by a page that
  starts with a block pushed there whole though nothing forced a page break before it
  (a kept-together table or figure too tall for the space left);
* ``svg-text-outside``: text of an inline SVG (a chart) drawn outside the SVG's viewBox,
  where it is cut off. Charts draw their labels as ``<text>`` elements (``svg.fonttype:
  none``): each is measured in the font its style names (matplotlib's font lookup and
  metrics, so a family that is not installed is measured in the font used instead) and
  placed by its x, y, text-anchor and transforms. Text drawn as glyph paths
  (``svg.fonttype: path``, as older charts and other tools write it) is measured too:
  each ``<g id="...text_N">`` holds a translated, scaled group of ``<use>`` glyphs, whose
  extent is the glyph paths' bounding boxes placed there (in 64ths of the units of the
  ``<use>`` offsets: FreeType's 26.6 fixed point).

WeasyPrint's box tree is not public API: this module reads it (tested against
WeasyPrint 70) and nothing else in briefgen does. It is imported only for
``briefgen check --layout``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

SHORT_TABLE = 12  # body rows: a table this short should never split
MIN_ROWS = 3  # body rows a split table should keep on each side
MIN_FILL = 0.25  # ... unless its rows there fill this share of the page (tall rows)
TOLERANCE = 1.0  # CSS px: rounding, hairline borders
GLANCE_ROWS = 8  # options: a ranking at a glance this short belongs on page 1
MIN_PAGE_FILL = 0.40  # a page emptier than this should not precede a block pushed over
MARGIN_SLACK = 0.05  # of a page's height: margins dropped at a page's top
FORCED_BREAKS = frozenset({"page", "left", "right", "recto", "verso"})
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
    seen_on: dict[Any, int] = {}  # element -> the first page it is laid out on
    last_on: dict[Any, int] = {}  # element -> the last page it is laid out on
    fills: list[float] = []  # per page: the share of the content area's height in use
    # per page: its first new block, whether a break forced it there, and the blocks kept
    # whole that could have put it there (they did if each lies on one page)
    starts: list[tuple[Any, bool, list[tuple[Any, float]]]] = []
    ends: list[list[Any]] = []  # per page: elements at its foot with a forced break after
    table_pages: dict[Any, dict[int, set[Any]]] = {}
    table_fill: dict[Any, dict[int, float]] = {}  # share of the page's height in body rows
    extra: dict[Any, float] = {}  # share of the page's height in a table's header
    for number, page in enumerate(pages, start=1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        right, bottom = left + page_box.width, top + page_box.height
        last: Any = None  # the element of the last line or replaced box on the page
        overflowing: set[Any] = set()
        first_option: str | None = None
        shows_heading: set[str] = set()
        lowest = top  # the bottom edge of the lowest line, image or table row on the page
        for box in _in_flow(page_box):
            element = getattr(box, "element", None)
            if element is not None:
                seen_on.setdefault(element, number)
                last_on[element] = number
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)) or (
                    not getattr(box, "children", ()) and box.height and box.height > 0):
                lowest = max(lowest, box.border_box_y() + box.border_height())
            if isinstance(box, boxes.TableRowGroupBox):
                if box.is_header or box.is_footer:
                    # a table fits on a page with its header and caption, or not at all
                    table = _parent_map(root).get(box.element) if box.element is not None \
                        and box.element.tag != "table" else box.element
                    share = box.border_height() / page_box.height
                    extra[table] = max(extra.get(table, 0.0), share)
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
        fills.append((lowest - top) / page_box.height if page_box.height else 1.0)
        starts.append(_first_block(page_box, seen_on, number))
        ends.append(_breaks_after(page_box))
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

    for number in range(1, len(pages)):
        pushed, forced, kept = starts[number]  # the page after page `number`
        left = 1.0 - fills[number - 1]  # the share of the page before left empty
        # (MARGIN_SLACK: the margins a block drops at the top of a page but needs below text)
        forced = forced or any(last_on[e] == seen_on[e] and share > left - MARGIN_SLACK
                               for e, share in kept) \
            or any(last_on[e] == number for e in ends[number - 1])
        if fills[number - 1] < MIN_PAGE_FILL and pushed is not None and not forced \
                and pages[number - 1]._page_box.page_type.name \
                == pages[number]._page_box.page_type.name:
            findings.append(Finding(
                number, "page-underfilled",
                f"the page is {fills[number - 1]:.0%} full and the next one starts with "
                f"<{pushed.tag}{_describe(pushed)}>, which could have flowed onto it "
                f"(a page should be at least {MIN_PAGE_FILL:.0%} full)",
                section.get(pushed, "")))
    findings.extend(_svg_findings(root, seen_on, section))
    for element in root.iter():
        if element.tag == "table" and "glance" in (element.get("class") or "").split() \
                and _body_rows(element) <= GLANCE_ROWS:
            on = table_pages.get(element, {})
            if set(on) != {1}:
                findings.append(Finding(
                    min(on, default=1), "glance-off-page-1",
                    f"the ranking at a glance{_table_name(element)} is not wholly on page 1 "
                    f"(pages {', '.join(str(n) for n in sorted(on))})",
                    section.get(element, "")))

    for table, by_page in table_pages.items():
        if len(by_page) < 2 or table is None:
            continue
        total = _body_rows(table)
        numbers = sorted(by_page)
        name = _table_name(table)
        first = numbers[0]
        fill = table_fill[table]
        if total <= SHORT_TABLE and sum(fill.values()) + extra.get(table, 0.0) <= 1.0:
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


def _first_block(page_box: Any, seen_on: dict[Any, int],
                 number: int) -> tuple[Any, bool, list[tuple[Any, float]]]:
    """The outermost element that starts new at the top of this page (None when the page
    continues a block from the page before), whether a forced break put it there, and the
    elements kept whole (``break-inside: avoid``) that may have: at the top, or tied to the
    top by ``break-after: avoid`` (a heading and its table), each with its share of the
    page's height. A kept element excuses the page before only if it lies on this page
    alone and is taller than the space left on the page before (the caller checks)."""
    from weasyprint.formatting_structure import boxes

    height, top = page_box.height, page_box.content_box_y()
    box = next((b for b in page_box.children if not isinstance(b, boxes.MarginBox)), None)
    pushed: Any = None
    forced = False
    kept: list[tuple[Any, float]] = []
    while box is not None:
        element = getattr(box, "element", None)
        new = element is not None and seen_on.get(element) == number \
            and box.element_tag not in ("html", "body")
        if new and not isinstance(box, (boxes.LineBox, boxes.TextBox, boxes.InlineBox)):
            if pushed is None:
                pushed = element
            forced = forced or box.style["break_before"] in FORCED_BREAKS
            if _kept(box, height):
                kept.append((element, (_bottom(box) - top) / height))
        children = [c for c in getattr(box, "children", ())
                    if not (getattr(c, "style", None) is not None
                            and c.style["position"] in ("absolute", "fixed"))]
        if new:  # a heading pulls what follows it along: is that kept whole?
            for before, after in pairwise(children):
                if before.style["break_after"] not in AVOID:
                    break
                held = _kept_inside(after, height)
                if held is not None:
                    kept.append((held.element, (_bottom(held) - top) / height))
        box = children[0] if children else None
    return pushed, forced, kept


def _breaks_after(page_box: Any) -> list[Any]:
    """The elements that end a page's content (its last-child chain) with a forced break
    after them; the break applies where such an element ends (the caller checks)."""
    from weasyprint.formatting_structure import boxes

    found = []
    box = next((b for b in reversed(page_box.children)
                if not isinstance(b, boxes.MarginBox)), None)
    while box is not None:
        style = getattr(box, "style", None)
        element = getattr(box, "element", None)
        if style is not None and element is not None and style["break_after"] in FORCED_BREAKS:
            found.append(element)
        children = getattr(box, "children", ())
        box = children[-1] if children else None
    return found


def _bottom(box: Any) -> float:
    return float(box.border_box_y() + box.border_height())


def _kept_inside(box: Any, height: float) -> Any:
    """The box, or the first box down its first-child chain, kept whole and fitting a page."""
    while box is not None:
        if _kept(box, height) and getattr(box, "element", None) is not None:
            return box
        children = getattr(box, "children", ())
        box = children[0] if children else None
    return None


AVOID = frozenset({"avoid", "avoid-page"})


def _kept(box: Any, height: float) -> bool:
    """Whether a box is kept whole (``break-inside: avoid``, or an image or chart, which
    cannot split) and fits on one page: it could not have flowed."""
    from weasyprint.formatting_structure import boxes

    style = getattr(box, "style", None)
    whole = isinstance(box, boxes.ReplacedBox) or (
        style is not None and style["break_inside"] in AVOID)
    return whole and box.border_height() <= height + TOLERANCE


GLYPH_UNITS = 64  # matplotlib's glyph paths: 26.6 fixed point
_NUMBER = r"(-?[\d.]+(?:e-?\d+)?)"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _affine(transform: str) -> tuple[float, float, float, float, float, float]:
    """An SVG transform list (translate, scale, rotate) as the matrix (a, b, c, d, e, f)."""
    import math
    import re

    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", transform):
        values = [float(v) for v in re.findall(_NUMBER, args)]
        if name == "translate":
            m = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "scale":
            sy = values[1] if len(values) > 1 else values[0]
            m = (values[0], 0.0, 0.0, sy, 0.0, 0.0)
        elif name == "rotate":
            t = math.radians(values[0])
            cos, sin = math.cos(t), math.sin(t)
            cx, cy = (values[1], values[2]) if len(values) > 2 else (0.0, 0.0)
            # rotate(a cx cy) is translate(cx cy) rotate(a) translate(-cx -cy)
            m = (cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy)
        else:
            continue
        a, b, c, d, e, f = (a * m[0] + c * m[1], b * m[0] + d * m[1],
                            a * m[2] + c * m[3], b * m[2] + d * m[3],
                            a * m[4] + c * m[5] + e, b * m[4] + d * m[5] + f)
    return a, b, c, d, e, f


def _svg_findings(root: Any, seen_on: dict[Any, int],
                  section: dict[Any, str]) -> list[Finding]:
    """Text of each inline SVG that reaches outside the SVG's viewBox."""
    import re

    found: list[Finding] = []
    for svg in root.iter():
        if _local(svg.tag) != "svg" or not svg.get("viewBox"):
            continue
        vx, vy, vw, vh = (float(v) for v in re.findall(_NUMBER, svg.get("viewBox"))[:4])
        glyphs: dict[str, tuple[float, float, float, float]] = {}
        placed_text: list[tuple[str, list[tuple[float, float]]]] = []
        for path in svg.iter():
            if _local(path.tag) == "path" and path.get("id") and path.get("d"):
                numbers = [float(v) for v in re.findall(_NUMBER, path.get("d"))]
                xs, ys = numbers[0::2], numbers[1::2]
                if xs and ys:
                    glyphs[path.get("id")] = (min(xs) / GLYPH_UNITS, min(ys) / GLYPH_UNITS,
                                              max(xs) / GLYPH_UNITS, max(ys) / GLYPH_UNITS)
        for group in svg.iter():
            if _local(group.tag) != "g" or not re.search(r"text_\d+$", group.get("id") or ""):
                continue
            label = next((str(c.text).strip() for c in group
                          if not isinstance(c.tag, str) and c.text), "")
            corners: list[tuple[float, float]] = []
            for placed in group.iter():
                if _local(placed.tag) != "g" or not placed.get("transform"):
                    continue
                a, b, c, d, e, f = _affine(placed.get("transform"))
                for use in placed:
                    href = use.get("{http://www.w3.org/1999/xlink}href") or use.get("href") \
                        or use.get("xlink:href") or ""
                    box = glyphs.get(href.lstrip("#"))
                    if _local(use.tag) != "use" or box is None:
                        continue
                    dx, dy = float(use.get("x") or 0), float(use.get("y") or 0)
                    for x in (box[0] + dx, box[2] + dx):
                        for y in (box[1] + dy, box[3] + dy):
                            corners.append((a * x + c * y + e, b * x + d * y + f))
            if corners:
                placed_text.append((label, corners))
        placed_text.extend(_text_elements(svg))
        for label, corners in placed_text:
            left = min(x for x, _ in corners)
            right = max(x for x, _ in corners)
            high = min(y for _, y in corners)
            low = max(y for _, y in corners)
            tolerance = 0.5
            if left < vx - tolerance or right > vx + vw + tolerance \
                    or high < vy - tolerance or low > vy + vh + tolerance:
                name = f" \u201c{label}\u201d" if label else ""
                found.append(Finding(
                    seen_on.get(svg, 1), "svg-text-outside",
                    f"the chart{_describe(svg)} draws its text{name} outside its viewBox, "
                    "where it is cut off", section.get(svg, "")))
    return found


def _style(element: Any) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in (element.get("style") or "").split(";") if ":" in part)
    found = {key.strip(): value.strip() for key, value in pairs}
    for name in ("font-size", "font-family", "font-weight", "text-anchor"):
        if element.get(name) and name not in found:
            found[name] = element.get(name)
    return found


def _text_elements(svg: Any) -> list[tuple[str, list[tuple[float, float]]]]:
    """Each ``<text>`` of ``svg`` with the corners of its box in the SVG's user units."""
    import logging
    import re

    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    # A family the style names but the machine lacks (a browser fallback such as Verdana)
    # is expected: matplotlib measures in the next one, and must not log each miss.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    measure = TextToPath()
    out: list[tuple[str, list[tuple[float, float]]]] = []

    def walk(element: Any, matrix: tuple[float, ...]) -> None:
        if element.get("transform"):
            matrix = _compose(matrix, _affine(element.get("transform")))
        if _local(element.tag) == "text":
            label = "".join(element.itertext()).strip()
            style = _style(element)
            size = float((re.findall(_NUMBER, style.get("font-size", "16")) or ["16"])[0])
            families = [f.strip().strip("'\"") for f in style.get("font-family", "").split(",")]
            font = FontProperties(family=[f for f in families if f] or ["sans-serif"],
                                  size=size, weight=style.get("font-weight", "normal"))
            with warnings.catch_warnings():  # a missing glyph: the build's warning says so
                warnings.simplefilter("ignore", UserWarning)
                width, height, descent = measure.get_text_width_height_descent(
                    label, font, ismath=False)
            x, y = float(element.get("x") or 0), float(element.get("y") or 0)
            shift = {"middle": width / 2, "end": width}.get(style.get("text-anchor", ""), 0.0)
            a, b, c, d, e, f = matrix
            out.append((label, [(a * px + c * py + e, b * px + d * py + f)
                                for px in (x - shift, x - shift + width)
                                for py in (y - height + descent, y + descent)]))
            return
        for child in element:
            if isinstance(child.tag, str):
                walk(child, matrix)

    for child in svg:
        if isinstance(child.tag, str):
            walk(child, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return out


def _compose(outer: tuple[float, ...], inner: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of ``inner`` applied first, then ``outer``."""
    a, b, c, d, e, f = outer
    m = inner
    return (a * m[0] + c * m[1], b * m[0] + d * m[1], a * m[2] + c * m[3], b * m[2] + d * m[3],
            a * m[4] + c * m[5] + e, b * m[4] + d * m[5] + f)


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
            # A long name wraps over lines of the margin box; Japanese has no space where
            # it wraps, so both are compared without any whitespace.
            text = "".join(b.text for b in _walk(margin) if isinstance(b, boxes.TextBox))
            if name and "".join(name.split()) in "".join(text.split()):
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
