"""Render a long brief faster: lay out its parts in parallel processes, then join them.

WeasyPrint lays out one document on one core, and its cost per page grows with
the document's length. A long brief is mostly option sections, each of which
starts a new page in print, so cutting the HTML at those page starts gives
parts whose pages are the pages of the whole.

How the parts stay one document:

* The front (cover, contents, summary: everything before the first page start)
  is one part; the rest is cut into ``parts_for(html)`` parts of about the same size.
* Each part is a complete HTML document: the same <head> (so the same CSS),
  the elements open at the cut re-opened around the part's content, and an
  empty hidden copy of the element before the cut, so sibling selectors such
  as ``.option + .option`` (the page break) match as in the whole. Each part
  checks, once laid out, that its first element does break the page in print;
  if not (another theme), the brief takes WeasyPrint's single pass instead.
* Parts after the front carry the cover in a zero-height, invisible block, so
  running headers set with ``string-set`` (classification, title) and fixed
  boxes (the DRAFT watermark) are the same; the carried copy makes no
  bookmarks. They are also not ``:first`` pages, as in the whole document.
* Memory: a body part's process writes its PDF and exits, so at most ``jobs``
  layouts are alive at once (a 280-page brief: about 310 MB in all, against
  500 MB for one pass).
* Page numbers: body parts leave out the page-margin boxes that print page
  numbers. The front lays out alongside them; when it reaches the empty
  anchors at its end (which stand for the sections in other parts), it knows
  its own length, waits for the body parts' page counts and anchors, and
  prints the contents' page numbers and its own "Page N of M" with the real
  numbers (WeasyPrint re-lays out the contents' pages only). Meanwhile one more
  process lays out, on empty pages named as the body's, the page-number margin
  boxes of every body page, which the join stamps on as form XObjects.
* The parent joins the PDFs (briefgen.output.pdf.join, with pikepdf), the body parts
  while the front and the overlay are still being laid out, rebuilds the outline
  (bookmarks: the table of contents of the PDF) from WeasyPrint's own bookmark
  list and levels, and one named-destination tree so internal links (matrix to
  option, citation to source) work across parts. Each part gets empty anchors
  for ids that live in other parts, so WeasyPrint keeps those links.
* Tags: every part is tagged, and the join makes one structure tree from the
  parts' (WeasyPrint tags page by page, so the parts' trees follow one another),
  renumbering the parent tree and the table cells' ids; the hidden copies
  (carried cover, empty anchors) are taken out before drawing, so they are
  neither drawn nor tagged.

Known limits: themes that use ``:left``/``:right``/``:nth()`` page rules, set
``string-set`` on body content whose value must carry over from one part to the next
(the default theme's option title is set by each option's own heading, and parts start
at option boundaries), reset or step the ``page`` counter in the body,
or use ``target-counter()`` outside the front should build with ``--no-split``
(the last falls back to one pass by itself).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import multiprocessing
import os
import re
import signal
import stat
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, cast

from briefgen import __version__
from briefgen.common import filecache, signals
from briefgen.common.engines import (
    PDF_PACKAGES,
    fonts_fingerprint,
    package_version,
    pango_version,
)
from briefgen.common.environment import EnvironmentProblem
from briefgen.output.pdf import server
from briefgen.output.pdf.join import Joiner
from briefgen.output.pdf.parts import Part, PartResult
from briefgen.output.pdf.weasy import (
    TAGGED,
    FetchLog,
    html_to_pdf,
    import_weasyprint,
    safe_fetcher,
    warm_up,
)

# Where the default theme starts a new page (templates/brief.css and record.css, in print).
# Each part checks that its first element does break the page (see _starts_a_page), and
# a theme that breaks elsewhere gets a single pass instead: the cuts are never trusted.
PAGE_START_SECTIONS = frozenset({"matrix", "robustness", "options", "method",
                                 "decision-record"})
CUT_MARK = "data-briefgen-cut"
PAGE_START_CLASS = "option"  # every option section after the first
# How many body parts: fixed by the document, so the PDF's bytes do not depend on --jobs.
# Small parts make an edit cheap (the example: one option per part, so an edit lays out
# four pages); each part also costs about 0.1 s of its own (the stylesheet, the carried
# cover, its own fonts), which a long brief feels: 279 pages took 18.6 s in 12 parts and
# 17.6 s in 8 (benchmarks/run.py --only-long, docs/performance.md).
PARTS = 12
LONG_PARTS = 8
LONG_HTML = 500_000  # characters of HTML; the example has 240,000, the long brief 1,070,000


def parts_for(html: str) -> int:
    return PARTS if len(html) <= LONG_HTML else LONG_PARTS


CARRY_CSS = (
    # A zero-size float: out of the flow, so the cut element's first child collapses its
    # margins as in the whole (link targets land on the same spot), yet laid out, so
    # string-set runs and fixed boxes are placed.
    ".briefgen-carry{float:left;width:0;height:0;overflow:visible;margin:0;padding:0;"
    "border:0;visibility:hidden}.briefgen-carry,.briefgen-carry *{bookmark-level:none}"
    # Generated content in the hidden copy (the contents' page numbers) would look up
    # targets in other parts for nothing.
    ".briefgen-carry *::before,.briefgen-carry *::after{content:none!important}"
    # Columns cost WeasyPrint dearly to balance, and this copy shows nothing.
    ".briefgen-carry *{columns:auto!important}"
    ".briefgen-stubs{position:absolute;top:0;left:0;width:0;height:0;overflow:hidden;"
    "visibility:hidden}.briefgen-stubs>div{position:absolute;top:0;left:0;width:0;"
    "height:0}")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
_HREF = re.compile(r"""\shref\s*=\s*["']#([^"']+)["']""")
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class _Tag:
    name: str
    raw: str
    start: int


@dataclass
class Cut:
    """A place to cut: the offset of a start tag that begins a new page."""

    offset: int
    open_tags: list[_Tag]  # open elements below <body>, outermost first
    previous_sibling: _Tag | None


@dataclass
class Plan:
    head: str  # from the start through the <body> start tag
    body_start: int
    carry: str  # the body content before the first re-opened element (the cover)
    cuts: list[Cut] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for m in re.finditer("\n", html):
            self.line_starts.append(m.end())
        self.stack: list[_Tag] = []
        self.last_child: list[_Tag | None] = [None]
        self.body: _Tag | None = None
        self.body_end = -1
        self.cuts: list[Cut] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        node = _Tag(tag, raw, self._offset())
        if tag in VOID:
            self.last_child[-1] = node
            return
        if tag == "body":
            self.body = node
        elif self.body in self.stack and self._starts_page(tag, dict(attrs)):
            below_body = self.stack[self.stack.index(self.body) + 1:]
            self.cuts.append(Cut(node.start, list(below_body), self.last_child[-1]))
        self.stack.append(node)
        self.last_child.append(None)

    def _starts_page(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag == "section" and attrs.get("id") in PAGE_START_SECTIONS:
            return True
        classes = (attrs.get("class") or "").split()
        previous = self.last_child[-1]
        return (PAGE_START_CLASS in classes and previous is not None
                and PAGE_START_CLASS in _classes(previous.raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.last_child[-1] = _Tag(tag, self.get_starttag_text() or "", self._offset())

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].name == tag:
                closed = self.stack[i]
                del self.stack[i:]
                del self.last_child[i + 1:]
                self.last_child[-1] = closed
                if tag == "body":
                    self.body_end = self._offset()
                return


def _classes(raw_tag: str) -> list[str]:
    m = re.search(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", raw_tag)
    return (m.group(1) or m.group(2) or "").split() if m else []


def plan(html: str) -> Plan | None:
    """Where the HTML can be cut; None when it has no usable <body>."""
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    body = scanner.body
    if body is None or scanner.body_end < 0:
        return None
    body_start = body.start + len(body.raw)
    cuts = [c for c in scanner.cuts if c.open_tags or c.offset > body_start]
    carry_end = cuts[0].open_tags[0].start if cuts and cuts[0].open_tags else body_start
    return Plan(html[:body_start], body_start, html[body_start:carry_end], cuts)


_LINK_OPEN = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _unlinked(fragment: str) -> str:
    """The carried cover without links: WeasyPrint writes link annotations even for hidden
    boxes, so the contents' links would reappear, invisible, on every part's first page."""
    return _LINK_CLOSE.sub("</span>", _LINK_OPEN.sub("<span>", fragment))


def _carried(cover: str) -> str:
    return f'<div class="briefgen-carry" aria-hidden="true">{_unlinked(cover)}</div>'


def _hidden_copy(tag: _Tag) -> str:
    raw = _ID.sub("", tag.raw)
    raw = re.sub(r"""\saria-[a-z]+\s*=\s*(?:"[^"]*"|'[^']*')""", "", raw)
    cut = -2 if raw.endswith("/>") else -1
    return f"{raw[:cut]} hidden{raw[cut:]}</{tag.name}>"


def make_parts(html: str, parts: int | None = None) -> list[Part]:
    """Cut the HTML into a front part and up to ``parts`` (default: parts_for(html)) parts
    of similar length.

    The front (cover, contents, summary: everything before the first page start)
    is a part of its own, kept small: it prints the page numbers of sections in
    other parts (the table of contents), so it finishes after them.
    """
    p = plan(html)
    if parts is None:
        parts = parts_for(html)
    if p is None or not p.cuts or parts < 1:
        return [Part(html, set(_ids(html)))]
    end = len(html)
    front = p.cuts[0]
    # Each later part holds about the same amount of HTML (a proxy for pages).
    target = (end - front.offset) / parts
    chosen: list[Cut] = [front]
    for cut in p.cuts[1:]:
        if len(chosen) == parts:
            break
        if cut.offset - front.offset >= target * len(chosen):
            chosen.append(cut)
    all_ids = set(_ids(html))
    bounds = [None, *chosen, None]
    result = []
    for a, b in itertools.pairwise(bounds):
        start = a.offset if a else 0
        stop = b.offset if b else end
        body = html[start:stop]
        own = set(_ids(body))
        present = own | set(_ids(p.carry))
        pieces = [f"<style>{CARRY_CSS}</style>"]
        if a is not None:
            present |= {i for t in a.open_tags for i in _ids(t.raw)}
        # Empty anchors for the link targets that live in other parts: WeasyPrint drops
        # links to missing anchors, and the joined PDF's destinations point to the real ones.
        wanted = {m.group(1) for m in _HREF.finditer(body)} & all_ids
        stub_ids = wanted - present
        stubs = ('<div class="briefgen-stubs">'
                 + "".join(f'<div id="{i}"></div>' for i in sorted(stub_ids))
                 + "</div>")
        if a is None:
            pieces.insert(0, body)
        else:
            # The cover rides inside the part's first element: anything before it would
            # sit on a page of its own, since that element starts a new page.
            tag_end = a.offset + len(html[a.offset:].split(">", 1)[0]) + 1
            pieces.insert(0, p.head)
            pieces.extend(t.raw for t in a.open_tags)
            if a.previous_sibling is not None:
                pieces.append(_hidden_copy(a.previous_sibling))
            cut_tag = html[a.offset:tag_end]
            close = -2 if cut_tag.endswith("/>") else -1
            pieces.append(f"{cut_tag[:close]} {CUT_MARK}{cut_tag[close:]}")
            pieces.append(_carried(p.carry))
            pieces.append(stubs)
            pieces.append(html[tag_end:stop])
        if b is not None:
            if a is None:
                pieces.append(stubs)
            pieces.extend(f"</{t.name}>" for t in reversed(b.open_tags))
            pieces.append("</body></html>")
        result.append(Part("".join(pieces), own, stub_ids, _carried(p.carry)))
    return result


def _ids(html: str) -> Iterable[str]:
    for m in _ID.finditer(html):
        yield m.group(1) if m.group(1) is not None else m.group(2)


# --- rendering ----------------------------------------------------------------


@dataclass(frozen=True)
class Numbers:
    """The whole document's page numbers, as the front part needs them."""

    pages_of: dict[str, int]  # anchor -> page number in the whole document
    total: int


class _Numbering:
    """Where a part's page numbers come from: none (a body part), or the parent, asked once
    with the part's own page count when the front first needs them."""

    def __init__(self, ask: Callable[[int], Numbers] | None = None) -> None:
        self.ask = ask
        self.numbers: Numbers | None = None

    def get(self, count: int) -> Numbers | None:
        if self.numbers is None and self.ask is not None:
            self.numbers = self.ask(count)
        return self.numbers


def _supported() -> bool:
    """Whether the installed WeasyPrint is the one these hooks are written for; read from
    its metadata, so that this process need not import it (see server)."""
    return package_version("weasyprint").split(".")[0] == "70"


def _internals_present() -> bool:
    """Whether WeasyPrint still has the internals the hooks replace (checked where the
    layout runs: a process with WeasyPrint imported)."""
    from weasyprint import layout
    from weasyprint.css import targets
    from weasyprint.layout import page

    return all(hasattr(m, n) for m, n in (
        (layout, "make_margin_boxes"), (page, "PageType"), (targets, "anchor_name_from_token"),
        (targets.TargetCollector, "cache_target_page_counters")))


def _counts_pages(box: Any) -> bool:
    """Whether a page-margin box prints the page number or the page count."""
    content = box.style["content"]
    if isinstance(content, str):
        return False
    return any(kind in ("counter()", "counters()") and value[0] in ("page", "pages")
               for kind, value in content)


def _renumbered(state: Any, offset: int, total: int) -> Any:
    counters = {k: list(v) for k, v in state[1].items()}
    counters["page"] = [v + offset for v in counters.get("page", [1])]
    counters["pages"] = [total]
    return type(state)([state[0], counters, *state[2:]])


@dataclass
class _Watch:
    """What a part's layout looked up and printed, for the parent to check."""

    looked_up: set[str] = field(default_factory=set)
    printed: dict[str, int] = field(default_factory=dict)


@contextmanager
def _hooks(*, first: bool, margins: str, numbering: _Numbering, stubs: set[str],
           watch: _Watch, offset: int = 0, total: int = 0) -> Iterator[None]:
    """Patch WeasyPrint 70's layout for one part (or the number overlay), and undo it.

    * Page-margin boxes (``margins``): "all" (the front, with the whole document's
      page count), "unnumbered" (a body part: its page numbers are not known until
      every part is laid out) or "numbered" (the overlay that stamps them, with
      ``offset`` and ``total``).
    * Parts after the first are never ``:first`` pages, as in the whole document.
    * ``target-counter()``: record which anchors were looked up and which page was
      printed for each. The first time the front meets an empty anchor standing for
      a section elsewhere, it asks for the whole document's numbers and prints those.
    """
    from weasyprint import layout as wl
    from weasyprint.css import targets
    from weasyprint.layout import page as wlp

    original_margins = wl.make_margin_boxes
    original_page_type = wlp.PageType
    original_name = targets.anchor_name_from_token
    original_cache = targets.TargetCollector.cache_target_page_counters

    def margin_boxes(context: Any, page: Any, state: Any) -> list[Any]:
        if margins == "all":
            numbers = numbering.get(state[1]["pages"][0])
            state = _renumbered(state, 0, numbers.total) if numbers else state
        elif margins == "numbered":
            state = _renumbered(state, offset, total)
        return [box for box in original_margins(context, page, state)
                if margins == "all" or _counts_pages(box) == (margins == "numbered")]

    def page_type(side: Any, blank: Any, name: Any, index: int, groups: Any) -> Any:
        return original_page_type(side, blank, name, index + 1, groups)

    def anchor_name(token: Any) -> Any:
        name = original_name(token)
        if isinstance(name, str):
            watch.looked_up.add(name)
        return name

    def cache(self: Any, anchor: Any, values: dict[str, list[int]], *args: Any) -> Any:
        if anchor in stubs:  # the stubs close the part, so this page is its last
            numbering.get(values["page"][-1])
        numbers = numbering.numbers
        if numbers is not None and anchor in numbers.pages_of:
            values = {**values, "page": [numbers.pages_of[anchor]], "pages": [numbers.total]}
        if isinstance(anchor, str) and values.get("page"):
            watch.printed[anchor] = values["page"][-1]
        return original_cache(self, anchor, values, *args)

    wl.make_margin_boxes = margin_boxes
    targets.anchor_name_from_token = anchor_name
    targets.TargetCollector.cache_target_page_counters = cache
    if not first:
        wlp.PageType = page_type
    try:
        yield
    finally:
        wl.make_margin_boxes = original_margins
        wlp.PageType = original_page_type
        targets.anchor_name_from_token = original_name
        targets.TargetCollector.cache_target_page_counters = original_cache


def _layout(html: str, base_dir: Path, allowed_roots: list[Path]) -> tuple[Any, FetchLog]:
    import weasyprint

    fetcher, log = safe_fetcher(allowed_roots)
    document = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                               url_fetcher=fetcher).render(**TAGGED)
    fetcher.closed = True  # as in briefgen.output.pdf.weasy: no attachments fetched while writing
    return document, log


def _render_part(part: Part, base_dir: Path, allowed_roots: list[Path], first: bool,
                 ask: Callable[[int], Numbers] | None = None,
                 laid_out: Callable[[list[str], dict[str, int]], None] | None = None,
                 ) -> PartResult:
    """Lay out and write one part: the front (``first``, which asks for the page numbers
    it prints), or a body part without the page-margin boxes that print page numbers,
    which reports its pages and anchors (``laid_out``) before it spends time writing."""
    watch = _Watch()
    with _hooks(first=first, margins="all" if first else "unnumbered",
                numbering=_Numbering(ask), stubs=part.stubs if first else set(), watch=watch):
        document, log = _layout(part.html, base_dir, allowed_roots)
    if not first and not _starts_a_page(document):
        raise CutError("a part's first element does not start a page in print")
    _drop_copies(document, first)
    anchors: dict[str, int] = {}
    bookmarks = []
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, i)
        for level, label, (x, y), bstate in page.bookmarks:
            bookmarks.append((i, level, label, x * 0.75, (page.height - y) * 0.75, bstate))
    names = [page._page_box.page_type.name or "" for page in document.pages]
    if laid_out is not None:
        laid_out(names, anchors)
    printed = {a: watch.printed[a] for a in watch.looked_up if a in watch.printed}
    return PartResult(document.write_pdf(**TAGGED), names, anchors, printed, bookmarks,
                      log.refused)


def _detach(page_box: Any, css_class: str) -> Any:
    """Take the first box with ``css_class`` out of a laid-out page; return it, or None."""
    for box in page_box.descendants():
        for child in getattr(box, "children", ()):
            element = getattr(child, "element", None)
            if element is not None and css_class in (element.get("class") or "").split():
                box.children = [c for c in box.children if c is not child]
                return child
    return None


def _drop_copies(document: Any, first: bool) -> None:
    """Take the hidden copies out of a laid-out part, keeping what they put on every page.

    They have done their job once laid out: the carried cover set the running
    headers, the empty anchors gave links their targets (anchors and links are
    already gathered). Left in, they would still be tagged: the cover's invisible
    text as a second cover for assistive technology, the anchors as empty elements.
    Fixed boxes in the cover (a watermark) are drawn on every page of the whole
    document: on the part's first page they move to the top level, where WeasyPrint
    puts them on the other pages, and everywhere they are made visible again.
    The box tree and visibility only matter when drawing, so this runs after layout.
    """
    pages = [p._page_box for p in document.pages]
    for page in {id(pages[0]): pages[0], id(pages[-1]): pages[-1]}.values():
        _detach(page, "briefgen-stubs")
    if first:
        return
    carry = _detach(pages[0], "briefgen-carry")
    if carry is None:
        return
    fixed = [getattr(b, "_box", b) for b in carry.descendants(placeholders=True)
             if b.style["position"] == "fixed"]
    if not fixed:  # nothing of the cover's is on every page: no need to walk them
        return
    carried = set(carry.element.iter())
    root = pages[0].children[0]
    root.children = [*fixed, *root.children]
    for page in pages:
        for box in page.descendants():
            if box.style["position"] == "fixed" and getattr(box, "element", None) in carried:
                for inner in box.descendants():
                    inner.style["visibility"] = "visible"


class CutError(Exception):
    """The HTML was cut where the theme's print CSS does not start a page."""


def _starts_a_page(document: Any) -> bool:
    """Whether the element the part was cut at has a page break before it, as in the whole."""
    for box in document.pages[0]._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get(CUT_MARK) is not None:
            return box.style["break_before"] in ("page", "left", "right", "recto", "verso")
    return False


def overlay_html(head: str, carry: str, page_names: list[str]) -> str:
    """A document of empty pages, named as the pages it will be stamped on, with the
    carried cover so that the running strings a page-number box may print are set."""
    pages = "".join(
        f'<div style="{"break-before:page;" if i else ""}'
        f'{f"page:{name};" if name else ""}">{carry if i == 0 else ""}</div>'
        for i, name in enumerate(page_names))
    return (f"{head}<style>html,body{{background:none!important}}"
            f"@page{{background:none!important}}{CARRY_CSS}</style>{pages}</body></html>")


OVERLAY_NICENESS = 10
OVERLAY_PAGES = 60  # a longer overlay is laid out in two halves, side by side


def overlay_spans(pages: int) -> list[tuple[int, int]]:
    """The body pages each overlay process numbers: all of them, or two halves for a long
    brief, whose overlay (about 7 ms a page) is laid out after every body part, on the
    critical path."""
    if pages <= OVERLAY_PAGES:
        return [(0, pages)]
    return [(0, pages // 2), (pages // 2, pages)]


def _render_overlay(head: str, carry: str, page_names: list[str], offset: int, total: int,
                    base_dir: Path, allowed_roots: list[Path]) -> bytes:
    """The page-margin boxes that print page numbers, for the pages after the front."""
    with _hooks(first=False, margins="numbered", numbering=_Numbering(), stubs=set(),
                watch=_Watch(), offset=offset, total=total):
        document, _ = _layout(overlay_html(head, carry, page_names), base_dir, allowed_roots)
    return document.write_pdf()


# --- processes -------------------------------------------------------------------


def _process(task: Callable[[Any], Any], conn: Any) -> None:
    """A layout process's life. One forked from a build (no server) has the build's
    handlers: Ctrl-C is the build's to handle, and its terminate() must end a layout at
    once and silently."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker(task, conn)


def _worker(task: Callable[[Any], Any], conn: Any) -> None:
    try:
        import_weasyprint()
        if not _internals_present():
            raise CutError("this WeasyPrint lacks the internals a split layout hooks into")
        message: tuple[str, Any] = ("done", task(conn))
    except CutError as e:
        message = ("cut", str(e))
    except EnvironmentProblem as e:  # a missing system library: the user's to install
        message = ("environment", str(e))
    except BaseException:
        message = ("error", traceback.format_exc())
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the build is gone
        conn.send(message)
    conn.close()


def _receive(conn: Any) -> tuple[str, Any]:
    try:
        kind, value = conn.recv()
    except EOFError:
        raise RuntimeError("a PDF part's worker process died") from None
    if kind == "error":
        raise RuntimeError(f"rendering a PDF part failed:\n{value}")
    if kind == "cut":
        raise CutError(value)
    if kind == "environment":
        raise EnvironmentProblem(value)
    return kind, value


def _context() -> Any:
    """The PDF server this build started (see server); else fork, with WeasyPrint imported
    first, unless other threads run: then a fork server.

    Forking next to running threads can copy a lock one of them holds and hang
    the child. The fork server is a fresh single-threaded process that imports
    WeasyPrint once and forks the workers; the PDF is the same either way.
    """
    if (warm := server.context()) is not None:
        return warm
    if threading.active_count() == 1:
        warm_up()  # once, before the fork: every part starts warm
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([server.PRELOAD])
    return ctx


@dataclass
class _PartTask:
    part: Part
    base_dir: Path
    roots: list[Path]
    first: bool

    def __call__(self, conn: Any) -> PartResult:
        def ask(count: int) -> Numbers:
            conn.send(("count", count))
            numbers: Numbers = conn.recv()
            return numbers

        def laid_out(names: list[str], anchors: dict[str, int]) -> None:
            conn.send(("laid out", (names, anchors)))

        if self.first:
            return _render_part(self.part, self.base_dir, self.roots, True, ask=ask)
        return _render_part(self.part, self.base_dir, self.roots, False, laid_out=laid_out)


@dataclass
class _OverlayTask:
    head: str
    carry: str
    page_names: list[str]
    offset: int
    total: int
    base_dir: Path
    roots: list[Path]

    def __call__(self, conn: Any) -> bytes:
        # The front's second layout, which runs now too, is the longer: it gets the core.
        with contextlib.suppress(OSError):
            os.nice(OVERLAY_NICENESS)
        return _render_overlay(self.head, self.carry, self.page_names, self.offset,
                               self.total, self.base_dir, self.roots)


def _numbers(front_pages: int, body: list[tuple[list[str], dict[str, int]]],
             pieces: list[Part]) -> Numbers:
    """The whole document's page numbers, from the body parts' pages and anchors."""
    pages_of: dict[str, int] = {}
    offset = front_pages
    for (names, anchors), piece in zip(body, pieces, strict=True):
        for anchor, page in anchors.items():
            if anchor in piece.own_ids:
                pages_of.setdefault(anchor, offset + page + 1)
        offset += len(names)
    return Numbers(pages_of, offset)


def render_split(html: str, base_dir: Path, allowed_roots: Iterable[Path], jobs: int,
                 parts: int | None = None) -> tuple[bytes, FetchLog]:
    """Render HTML to one PDF through parts laid out by up to ``jobs`` processes at a time.

    1. The body parts are laid out and written, the largest first, without the page
       numbers in their margins; each reports its pages and where its anchors are.
       Each process exits when its part is written, and its layout's memory with it.
    2. The front part (the contents) is laid out alongside. Once it knows its own
       length, it waits for the body parts, then prints the whole document's page
       numbers; meanwhile one more process lays out the body pages' page numbers.
    3. The parts are joined and each body page gets its page numbers stamped on.

    Anything that does not add up (a part cut where the theme does not break the
    page, a page count that changed) falls back to WeasyPrint's single pass.
    """
    roots = list(allowed_roots)
    pieces = make_parts(html, parts)
    if len(pieces) < 2 or not _supported() or "fork" not in multiprocessing.get_all_start_methods():
        return server.call(html_to_pdf, html, base_dir, roots)
    head = html[:html.index(">", html.lower().index("<body")) + 1]
    try:
        joined = _render_parts(pieces, head, base_dir, roots, jobs)
    except CutError:  # the theme breaks pages elsewhere: one pass, as WeasyPrint would
        return server.call(html_to_pdf, html, base_dir, roots)
    return joined if joined is not None else server.call(html_to_pdf, html, base_dir, roots)


CACHE_KIND = "pdfparts"


def _files_digest(roots: Iterable[Path]) -> list[tuple[str, str]]:
    """The sha256 of every file a part may fetch (fonts, images): the same HTML with another
    logo is another part. Symlinked folders are not followed and hidden files are skipped,
    as the fetcher would refuse them; only regular files are read."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    if name.startswith(".") or not stat.S_ISREG(os.stat(path).st_mode):
                        continue
                    with open(path, "rb") as handle:
                        sha = hashlib.file_digest(handle, "sha256").hexdigest()
                except OSError:
                    continue
                found.append((path, sha))
    return found


class PartCache:
    """Laid-out parts kept across builds, so an edit rebuilds only the parts it changed.

    A body part is a pure function of its HTML (which holds the <head>, so the CSS),
    the files it may fetch, where relative URLs resolve, the code that lays it out
    (this module and briefgen.output.pdf.weasy) and the engines (WeasyPrint, Pango):
    its key hashes all of them. The front also depends on the other parts through
    the page count and the page numbers it prints: the count is in its key, and a
    cached front is used only when every number it printed is still right. Its own
    page count before it knows them is kept apart, so the numbers can be worked out
    without laying it out. The overlay of
    page numbers is keyed by the page names, offset and total it draws. Entries are
    stored only when the whole document joined without a fallback.
    """

    def __init__(self, base_dir: Path, roots: list[Path]) -> None:
        code = [hashlib.sha256(Path(m).read_bytes()).hexdigest()
                for m in (__file__, sys.modules[html_to_pdf.__module__].__file__ or "")]
        engines = {name: package_version(name) for name in PDF_PACKAGES}
        engines |= {"pango": pango_version(), "fonts": fonts_fingerprint()}
        self.context = filecache.digest(__version__, engines, code,
                                        str(base_dir.resolve()), _files_digest(roots))
        self.pending: list[tuple[str, bytes]] = []

    def key(self, *parts: Any) -> str:
        return filecache.digest(self.context, *parts)

    def part(self, key: str) -> PartResult | None:
        data = filecache.get(CACHE_KIND, key)
        if data is None:
            return None
        try:
            return PartResult.loads(data)
        except (ValueError, KeyError, TypeError):
            return None

    def raw(self, key: str) -> bytes | None:
        return filecache.get(CACHE_KIND, key)

    def keep(self, key: str, data: bytes | PartResult) -> None:
        self.pending.append((key, data.dumps() if isinstance(data, PartResult) else data))

    def commit(self) -> None:
        for key, data in self.pending:
            filecache.put(CACHE_KIND, key, data)
        self.pending.clear()


def _render_parts(pieces: list[Part], head: str, base_dir: Path, roots: list[Path],
                  jobs: int) -> tuple[bytes, FetchLog] | None:
    """Run the parts and the overlay; None when their page numbers do not add up.

    Parts, the front and the overlay laid out by an earlier build with the same key
    (see PartCache) are read back instead: an edit to one option lays out one part.
    """
    ctx = _context()
    cache = PartCache(base_dir, roots)
    body = pieces[1:]
    done: dict[Any, Any] = {}
    laid: dict[int, tuple[list[str], dict[str, int]]] = {}  # body parts' pages and anchors
    body_keys = [cache.key("body", piece.html) for piece in body]
    for k, key in enumerate(body_keys):
        if (hit := cache.part(key)) is not None:
            done[k] = hit
            laid[k] = (hit.page_names, hit.anchors)
    # The largest first, so that the last to finish are small ones.
    waiting: list[tuple[Any, Any]] = [
        (k, _PartTask(body[k], base_dir, roots, first=False))
        for k in sorted(range(len(body)), key=lambda k: -len(body[k].html)) if k not in done]
    running: dict[Any, tuple[Any, Any]] = {}
    count_key = cache.key("front pages", pieces[0].html)
    stored_count = cache.raw(count_key)
    front_count: int | None = int(stored_count) if stored_count and stored_count.isdigit() \
        else None
    asked: int | None = None  # the page count the front process reported, when it runs
    numbers: Numbers | None = None
    front_key = ""
    overlay_keys: list[str] = []
    sent = False
    joiner: Joiner | None = None

    def start(key: Any, task: Any) -> None:
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=_process, args=(task, theirs))
        running[mine] = (key, proc)  # first: an interrupt as it starts still stops it
        try:
            if ctx.get_start_method() == "forkserver":
                server.launch(proc)
            else:
                proc.start()
        finally:
            theirs.close()

    def front_task() -> _PartTask:
        return _PartTask(pieces[0], base_dir, roots, first=True)

    try:
        # The front and the overlay are small and come last (the front waits most of its
        # life): they take no slot, so they run while the last body parts are written.
        if front_count is None:
            start("front", front_task())
        while True:
            slots = max(1, jobs) - sum(1 for key, _ in running.values() if isinstance(key, int))
            while waiting and slots > 0:
                start(*waiting.pop(0))
                slots -= 1
            if numbers is None and front_count is not None and len(laid) == len(body):
                pages = [laid[k] for k in range(len(body))]
                numbers = _numbers(front_count, pages, body)
                # The front depends on the other parts only through the page numbers it
                # prints (the contents) and the page count: a cached front whose printed
                # numbers are still right is reused, even when pages moved elsewhere.
                front_key = cache.key("front", pieces[0].html, numbers.total)
                hit = cache.part(front_key)
                if hit is not None and all(numbers.pages_of.get(a, p) == p
                                           for a, p in hit.printed.items()):
                    done["front"] = hit
                elif not any(key == "front" for key, _ in running.values()):
                    start("front", front_task())
                names = [n for names, _ in pages for n in names]
                for k, (first, last) in enumerate(overlay_spans(len(names))):
                    key = cache.key("overlay", head, body[0].carry, names[first:last],
                                    front_count + first, numbers.total)
                    overlay_keys.append(key)
                    if (overlay := cache.raw(key)) is not None:
                        done[("overlay", k)] = overlay
                    else:
                        start(("overlay", k), _OverlayTask(
                            head, body[0].carry, names[first:last], front_count + first,
                            numbers.total, base_dir, roots))
            if numbers is not None and asked is not None and not sent:
                front = next(c for c, (key, _) in running.items() if key == "front")
                front.send(numbers)
                sent = True
            if joiner is None and all(k in done for k in range(len(body))):
                # Join the body while the front and the page numbers are laid out.
                joiner = Joiner()
                for k in range(len(body)):
                    joiner.add(k + 1, done[k], body[k])
            if not running and not waiting:
                break
            # wait hands back those of the given objects that are ready: our pipe ends.
            for conn in cast("list[Connection]", wait(list(running))):
                key, proc = running[conn]
                kind, value = _receive(conn)  # before joining: a PDF can fill the pipe
                if kind == "count":
                    asked = value
                    if front_count is None:
                        front_count = value
                elif kind == "laid out":
                    laid[key] = value
                else:
                    done[key] = value
                    del running[conn]
                    conn.close()
                    proc.join()
    finally:
        with signals.held():  # a second Ctrl-C here must not leave the rest running
            started = [proc for _, proc in running.values() if proc.pid is not None]
            for proc in started:
                proc.terminate()
            for proc in started:
                proc.join()
    results = [done["front"], *(done[k] for k in range(len(body)))]
    assert numbers is not None and joiner is not None
    printed = ((a, page) for r in results for a, page in r.printed.items())
    if (results[0].pages != front_count or asked not in (None, front_count)
            or any(numbers.pages_of.get(a, p) != p for a, p in printed)):
        return None  # the front's length changed, or a body part printed page numbers
    joiner.add(0, results[0], pieces[0])
    log = FetchLog(list(dict.fromkeys(r for res in results for r in res.refused)))  # once each
    for k, key in enumerate(body_keys):
        cache.keep(key, done[k])
    cache.keep(count_key, str(front_count).encode())
    cache.keep(front_key, results[0])
    overlays = [done[("overlay", k)] for k in range(len(overlay_keys))]
    for key, overlay in zip(overlay_keys, overlays, strict=True):
        cache.keep(key, overlay)
    cache.commit()
    return joiner.save(overlays), log
