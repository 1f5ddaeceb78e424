"""Render a long brief faster: lay out its parts in parallel processes, then join them.

WeasyPrint lays out one document on one core, and its cost per page grows with
the document's length. A long brief is mostly option sections, each of which
starts a new page in print, so cutting the HTML at those page starts gives
parts whose pages are the pages of the whole.

How the parts stay one document:

* Each part is a complete HTML document: the same <head> (so the same CSS),
  the elements open at the cut re-opened around the part's content, and an
  empty hidden copy of the element before the cut, so sibling selectors such
  as ``.option + .option`` (the page break) match as in the whole.
* Parts after the first carry the cover in a zero-height, invisible block, so
  running headers set with ``string-set`` (classification, title) are the
  same; the carried copy makes no bookmarks. They are also not ``:first``
  pages, as in the whole document.
* Page numbers: in each worker, WeasyPrint lays out the pages, then (before it
  makes the page-margin boxes) the worker reports its page count and waits for
  its page offset and the document's total. "Page N of M" is then printed with
  the real N and M, and no page is laid out twice.
* The parent joins the PDFs with pypdf, rebuilds the outline (bookmarks: the
  table of contents of the PDF) from WeasyPrint's own bookmark list and levels,
  and one named-destination tree so internal links (matrix to option, citation
  to source) work across parts. Each part gets empty anchors for ids that live
  in other parts, so WeasyPrint keeps those links.

Known limits: the joined PDF has no structure tags (pypdf does not merge
structure trees), so ``--no-split`` keeps tagged PDFs for long briefs; themes
whose print CSS does not break pages at option sections, or that use
``:left``/``:right``/``:nth()`` page rules or ``string-set`` on body content,
should build with ``--no-split``.
"""

from __future__ import annotations

import io
import itertools
import logging
import multiprocessing
import re
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from briefgen.pdf import FetchLog

# Where the default theme starts a new page (see templates/brief.css, "Print and PDF").
PAGE_START_SECTIONS = frozenset({"context", "matrix", "robustness", "options", "method"})
PAGE_START_CLASS = "option"  # every option section after the first
PARTS = 4  # fixed, so the PDF's bytes do not depend on --jobs
CARRY_CSS = (".briefgen-carry{height:0;margin:0;padding:0;border:0;overflow:hidden;"
             "visibility:hidden}.briefgen-carry,.briefgen-carry *{bookmark-level:none}"
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


def _hidden_copy(tag: _Tag) -> str:
    raw = _ID.sub("", tag.raw)
    raw = re.sub(r"""\saria-[a-z]+\s*=\s*(?:"[^"]*"|'[^']*')""", "", raw)
    cut = -2 if raw.endswith("/>") else -1
    return f"{raw[:cut]} hidden{raw[cut:]}</{tag.name}>"


@dataclass
class Part:
    html: str
    own_ids: set[str]


def make_parts(html: str, parts: int = PARTS) -> list[Part]:
    """Cut the HTML into at most ``parts`` documents of similar length, at page starts."""
    p = plan(html)
    if p is None or not p.cuts or parts < 2:
        return [Part(html, set(_ids(html)))]
    end = len(html)
    # Choose cuts so each part holds about the same amount of HTML (a proxy for pages).
    target = (end - p.body_start) / parts
    chosen: list[Cut] = []
    for cut in p.cuts:
        if len(chosen) == parts - 1:
            break
        if cut.offset - p.body_start >= target * (len(chosen) + 1):
            chosen.append(cut)
    if not chosen:
        return [Part(html, set(_ids(html)))]
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
        stubs = ('<div class="briefgen-stubs">'
                 + "".join(f'<div id="{i}"></div>' for i in sorted(wanted - present))
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
            pieces.append(html[a.offset:tag_end])
            pieces.append('<div class="briefgen-carry" aria-hidden="true">'
                          f'{_unlinked(p.carry)}</div>')
            pieces.append(stubs)
            pieces.append(html[tag_end:stop])
        if b is not None:
            if a is None:
                pieces.append(stubs)
            pieces.extend(f"</{t.name}>" for t in reversed(b.open_tags))
            pieces.append("</body></html>")
        result.append(Part("".join(pieces), own))
    return result


def _ids(html: str) -> Iterable[str]:
    for m in _ID.finditer(html):
        yield m.group(1) if m.group(1) is not None else m.group(2)


# --- rendering ----------------------------------------------------------------


@dataclass
class PartResult:
    pdf: bytes
    bookmarks: list[tuple[int, int, str, float, float, str]]  # page, level, label, x, y, state
    refused: list[Any]  # briefgen.pdf.Refused


def _supported() -> bool:
    import weasyprint

    return weasyprint.__version__.split(".")[0] == "70" and hasattr(
        __import__("weasyprint.layout", fromlist=["make_margin_boxes"]), "make_margin_boxes")


def _render_part(part: Part, base_dir: Path, allowed_roots: list[Path], first: bool,
                 numbering: Any) -> PartResult:
    """Render one part; ``numbering(count)`` returns (page offset, total pages)."""
    import weasyprint
    from weasyprint import layout as wl
    from weasyprint.layout import page as wlp

    from briefgen.pdf import _fetcher, _QuietRefusals

    state: dict[str, tuple[int, int]] = {}
    original_margins = wl.make_margin_boxes
    original_page_type = wlp.PageType

    def margin_boxes(context: Any, page: Any, page_state: Any) -> Any:
        if "numbers" not in state:
            state["numbers"] = numbering(page_state[1]["pages"][0])
        offset, total = state["numbers"]
        counters = {k: list(v) for k, v in page_state[1].items()}
        counters["page"] = [v + offset for v in counters.get("page", [1])]
        counters["pages"] = [total]
        new_state = type(page_state)([page_state[0], counters, *page_state[2:]])
        return original_margins(context, page, new_state)

    def page_type(side: Any, blank: Any, name: Any, index: int, groups: Any) -> Any:
        return original_page_type(side, blank, name, index + 1, groups)  # never ':first'

    log = FetchLog()
    wl.make_margin_boxes = margin_boxes
    if not first:
        wlp.PageType = page_type
    try:
        logger = logging.getLogger("weasyprint")
        logger.setLevel(logging.ERROR)
        if not any(isinstance(f, _QuietRefusals) for f in logger.filters):
            logger.addFilter(_QuietRefusals())
        fetcher = _fetcher(allowed_roots, log)
        document = weasyprint.HTML(string=part.html, base_url=base_dir.resolve().as_uri() + "/",
                                   url_fetcher=fetcher).render()
        fetcher.closed = True  # as in briefgen.pdf: no attachments fetched while writing
        if "numbers" not in state:
            raise RuntimeError("WeasyPrint never asked for page-margin boxes")
        bookmarks = []
        for i, page in enumerate(document.pages):
            for level, label, (x, y), bstate in page.bookmarks:
                bookmarks.append((i, level, label, x * 0.75, (page.height - y) * 0.75, bstate))
        pdf = document.write_pdf()
    finally:
        wl.make_margin_boxes = original_margins
        wlp.PageType = original_page_type
    return PartResult(pdf, bookmarks, log.refused)


def _worker(part: Part, base_dir: Path, allowed_roots: list[Path], first: bool, conn: Any,
            gate: Any) -> None:
    """Lay out one part while holding the gate (at most ``jobs`` parts run at a time)."""
    gate.acquire()
    held = True

    def numbering(count: int) -> tuple[int, int]:
        nonlocal held
        conn.send(("count", count))
        gate.release()  # waiting for the other parts' counts: let them run
        held = False
        numbers = conn.recv()
        gate.acquire()
        held = True
        return numbers

    try:
        message: tuple[str, Any] = ("done", _render_part(part, base_dir, allowed_roots, first,
                                                         numbering))
    except BaseException:
        message = ("error", traceback.format_exc())
    finally:
        if held:  # before sending: a big PDF blocks on the pipe until the parent reads it
            gate.release()
    conn.send(message)
    conn.close()


def _receive(conn: Any, expected: str) -> Any:
    try:
        kind, value = conn.recv()
    except EOFError:
        raise RuntimeError("a PDF part's worker process died") from None
    if kind == "error":
        raise RuntimeError(f"rendering a PDF part failed:\n{value}")
    if kind != expected:
        raise RuntimeError(f"a PDF part's worker sent {kind!r}, expected {expected!r}")
    return value


def _context() -> Any:
    """Fork (WeasyPrint is already imported) unless other threads run: then a fork server.

    Forking next to running threads can copy a lock one of them holds and hang
    the child. The fork server is a fresh single-threaded process that imports
    WeasyPrint once and forks the workers; the PDF is the same either way.
    """
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["weasyprint", "briefgen.split_pdf"])
    return ctx


def render_split(html: str, base_dir: Path, allowed_roots: Iterable[Path], jobs: int,
                 parts: int = PARTS) -> tuple[bytes, FetchLog]:
    """Render HTML to one PDF through parts laid out by up to ``jobs`` processes at a time."""
    from briefgen.pdf import html_to_pdf

    roots = list(allowed_roots)
    pieces = make_parts(html, parts)
    if len(pieces) < 2 or not _supported() or "fork" not in multiprocessing.get_all_start_methods():
        return html_to_pdf(html, base_dir, roots)
    ctx = _context()
    gate = ctx.Semaphore(max(1, jobs))
    procs, conns = [], []
    try:
        for k, piece in enumerate(pieces):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(piece, base_dir, roots, k == 0, theirs, gate))
            proc.start()
            theirs.close()
            procs.append(proc)
            conns.append(mine)
        counts = [_receive(c, "count") for c in conns]
        total, offset = sum(counts), 0
        for conn, count in zip(conns, counts, strict=True):
            conn.send((offset, total))
            offset += count
        # Collect in whatever order the parts finish: a part's PDF can fill its pipe.
        by_conn: dict[Any, PartResult] = {}
        while len(by_conn) < len(conns):
            for conn in wait([c for c in conns if c not in by_conn]):
                by_conn[conn] = _receive(conn, "done")
        results = [by_conn[c] for c in conns]
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
    log = FetchLog(list(dict.fromkeys(r for res in results for r in res.refused)))  # once each
    return join_pdfs(results, pieces), log


def join_pdfs(results: list[PartResult], pieces: list[Part]) -> bytes:
    """One PDF from the parts: pages, metadata, outline and named destinations."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    destinations: dict[str, tuple[int, Any]] = {}
    bookmarks: list[tuple[int, int, str, float, float, str]] = []
    first_reader = None
    for result, piece in zip(results, pieces, strict=True):
        reader = PdfReader(io.BytesIO(result.pdf))
        first_reader = first_reader or reader
        start = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        for name, dest in reader.named_destinations.items():
            if name in piece.own_ids and name not in destinations:
                destinations[name] = (start + reader.get_destination_page_number(dest), dest)
        bookmarks.extend((start + p, *rest) for p, *rest in result.bookmarks)
    assert first_reader is not None
    if first_reader.metadata:
        writer.add_metadata({k: v for k, v in first_reader.metadata.items()
                             if k != "/Producer"})
    root = first_reader.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences", "/PageMode"):
        if key in root:
            writer._root_object[NameObject(key)] = root[key].clone(writer)

    names = ArrayObject()
    for name in sorted(destinations):
        page_index, dest = destinations[name]
        names.append(TextStringObject(name))
        names.append(ArrayObject([writer.pages[page_index].indirect_reference,
                                  NameObject("/XYZ"), FloatObject(dest.left or 0),
                                  FloatObject(dest.top or 0), NumberObject(0)]))
    if names:
        tree = writer._add_object(DictionaryObject({NameObject("/Names"): names}))
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): tree})

    from pypdf.generic import Fit

    stack: list[tuple[int, Any]] = []
    for page_index, level, label, x, y, state in bookmarks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        item = writer.add_outline_item(title=label, page_number=page_index,
                                       parent=stack[-1][1] if stack else None,
                                       fit=Fit.xyz(x, y, 0), is_open=state != "closed")
        stack.append((level, item))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
