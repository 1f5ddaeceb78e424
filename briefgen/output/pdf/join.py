"""Join the parts of a split PDF (briefgen.output.pdf.split) into one document.

With pikepdf (qpdf): a 280-page brief's parts hold some 45,000 tagged structure
elements, which pypdf took about 5 s to read, copy and write; qpdf takes a
fraction of that. What is joined: pages, the structure tree (tags), named
destinations, the outline, metadata, and the page numbers stamped on the body.
"""

from __future__ import annotations

import io
import itertools
import warnings
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from briefgen.output.pdf.parts import Part, PartResult


def _has_content(element: Any) -> bool:
    """Whether a structure element tags anything drawn: a marked-content id, a content
    reference, an annotation, or a child that does."""
    kids = element.get("/K")
    if kids is None:
        return False
    for kid in kids if isinstance(kids, Array) else [kids]:
        if not isinstance(kid, Dictionary):
            return True  # a marked-content id
        if kid.get("/Type") in (Name.MCR, Name.OBJR) or _has_content(kid):
            return True
    return False


def _copy(pdf: Any, obj: Any) -> Any:
    """``obj`` from another PDF, for ``pdf``: qpdf copies indirect objects (and what they
    refer to, once per source); direct arrays and dictionaries are rebuilt around them."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(pdf, x) for x in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _copy(pdf, v) for k, v in obj.items()})
    return obj


def _rename_ids(element: Any, prefix: str) -> None:
    """Give a part's structure element ids (table header cells: WeasyPrint numbers them
    after the part's own PDF objects, so parts repeat them) a prefix, and the cells'
    /Headers that point at them."""
    stack = [element]
    while stack:
        e = stack.pop()
        if "/ID" in e:
            e.ID = pikepdf.String(prefix + str(e.ID))
        attributes = e.get("/A")
        for a in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(a, Dictionary) and "/Headers" in a:
                a.Headers = Array([pikepdf.String(prefix + str(h)) for h in a.Headers])
        kids = e.get("/K")
        for kid in kids if isinstance(kids, Array) else [kids]:
            if isinstance(kid, Dictionary) and "/S" in kid:
                stack.append(kid)


def _stamp(pdf: Any, page: Any, overlay_page: Any, name: str) -> None:
    """Draw ``overlay_page`` over ``page`` as a form XObject marked as an artifact (page
    numbers are pagination, not content), leaving the page's own stream as it is."""
    form = pdf.copy_foreign(overlay_page.as_form_xobject())
    page.add_resource(form, Name.XObject, Name(name))
    # The page's own stream may leave its coordinate system changed: wrap it in q/Q.
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(f"\nQ q /Artifact BMC {name} Do EMC Q\n".encode())


class Joiner:
    """The joined PDF, built a part at a time: the body parts as soon as they are all
    written (while the front and the page numbers are still being laid out), then the
    front ahead of them, then the page numbers stamped on.

    Tags: WeasyPrint tags page by page (an element spanning pages is one element per
    page), so the whole's structure tree is the parts' top-level elements one after
    another. Keys of the parent tree (which element owns each marked-content id on
    a page, and each link) are renumbered across parts, and so are element ids.
    """
    def __init__(self) -> None:

        self.pdf = pikepdf.new()
        self.sources: dict[int, Any] = {}  # kept open until saved
        self.pages: dict[int, int] = {}
        self.top: dict[int, list[Any]] = {}
        self.destinations: dict[int, dict[str, tuple[int, Any]]] = {}
        self.bookmarks: dict[int, list[tuple[int, int, str, float, float, str]]] = {}
        self.nums = Array()
        self.next_key = 0
        root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = self.pdf.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name.Document, P=root))
        self.tagged = True

    def add(self, k: int, result: PartResult, piece: Part) -> None:
        """Add part ``k``: the body parts in order, then the front (k = 0), which goes first."""
        src = self.sources[k] = pikepdf.open(io.BytesIO(result.pdf))
        at = 0 if k == 0 else len(self.pdf.pages)
        with warnings.catch_warnings():  # named destinations are rebuilt in save()
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            if k == 0:
                for i, page in enumerate(src.pages):
                    self.pdf.pages.insert(i, page)
            else:
                self.pdf.pages.extend(src.pages)
        self.pages[k] = len(src.pages)
        index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
        self.destinations[k] = {}
        if "/Names" in src.Root and "/Dests" in src.Root.Names:
            for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
                if name in piece.own_ids:
                    self.destinations[k].setdefault(name, (index[dest[0].objgen], dest))
        self.bookmarks[k] = result.bookmarks
        self._add_structure(k, src, [self.pdf.pages[at + n] for n in range(len(src.pages))])

    def _add_structure(self, k: int, src: Any, pages: list[Any]) -> None:

        tree = src.Root.get("/StructTreeRoot")
        if tree is None:
            self.tagged = False
            return
        part_document = tree.K[0] if isinstance(tree.K, Array) else tree.K
        entries = tree.ParentTree.Nums
        owners = [x for i in range(1, len(entries), 2) for x in (
            entries[i] if isinstance(entries[i], Array) else [entries[i]])]
        # Elements whose parent is the part's Document: the top level, and the page-margin
        # boxes' (listed in the parent tree only, as WeasyPrint does). They go under the
        # new Document; copying their /P would bring the part's whole tree along.
        moved = [e for e in part_document.K if "/P" in e]
        seen = {part_document.objgen}
        for owner in owners:  # up to the part's Document, each element once
            element = owner
            while isinstance(element, Dictionary) and "/P" in element:
                parent = element.P
                if parent.objgen == part_document.objgen:
                    moved.append(element)
                    break
                if parent.is_indirect:
                    if parent.objgen in seen:
                        break
                    seen.add(parent.objgen)
                element = parent
        for element in moved:
            if "/P" in element:  # reached twice: from the top level and from an owner
                del element["/P"]
        kept = [e for e in part_document.K if _has_content(e)]
        if k:
            for element in kept:
                _rename_ids(element, f"part{k}-")
        self.top[k] = [self.pdf.copy_foreign(e) for e in kept]
        for element in moved:
            if _has_content(element):
                self.pdf.copy_foreign(element).P = self.document
        keys: dict[int, int] = {}
        for i in range(0, len(entries), 2):
            keys[int(entries[i])] = self.next_key
            self.nums.append(self.next_key)
            self.nums.append(_copy(self.pdf, entries[i + 1]))
            self.next_key += 1
        for page, original in zip(pages, src.pages, strict=True):
            if "/StructParents" in original.obj:  # renumbered: every part starts at 0
                page.obj.StructParents = keys[int(original.obj.StructParents)]
            for annotation in page.obj.get("/Annots") or []:
                if "/StructParent" in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]

    def save(self, overlays: list[bytes]) -> bytes:
        """Stamp the page numbers (the overlays' pages, in order) on the body pages; write
        the tags, metadata, outline and named destinations; return the PDF."""
        pdf = self.pdf
        order = sorted(self.pages)  # the front, then the body parts
        starts = dict(zip(order, itertools.accumulate(
            (self.pages[k] for k in order[:-1]), initial=0), strict=True))
        sources = [pikepdf.open(io.BytesIO(overlay)) for overlay in overlays]  # kept open
        numbered = [page for source in sources for page in source.pages]
        body = list(pdf.pages)[self.pages[0]:]
        for n, (page, overlay_page) in enumerate(zip(body, numbered, strict=True)):
            _stamp(pdf, page, overlay_page, f"/BriefgenPageNumbers{n}")
        if self.tagged:
            self.document.K = Array([e for k in order for e in self.top[k]])
            root = self.document.P
            root.K = Array([self.document])
            root.ParentTree = pdf.make_indirect(Dictionary(Nums=self.nums))
            root.ParentTreeNextKey = self.next_key
            pdf.Root.StructTreeRoot = root
        front = self.sources[0]
        for key, value in front.docinfo.items():
            pdf.docinfo[key] = value
        for key in ("/Lang", "/ViewerPreferences", "/PageMode", "/MarkInfo"):
            if key in front.Root:
                pdf.Root[key] = _copy(pdf, front.Root[key])
        destinations: dict[str, tuple[int, Any]] = {}
        for k in order:
            for name, (page_index, dest) in self.destinations[k].items():
                destinations.setdefault(name, (starts[k] + page_index, dest))
        if destinations:
            names = Array()
            for name in sorted(destinations):
                page_index, dest = destinations[name]
                names.append(pikepdf.String(name))
                names.append(Array([pdf.pages[page_index].obj, Name.XYZ, dest[2], dest[3], 0]))
            pdf.Root.Names = Dictionary(Dests=pdf.make_indirect(Dictionary(Names=names)))
        with pdf.open_outline() as outline:
            stack: list[tuple[int, Any]] = []
            for k in order:
                for page_index, level, label, x, y, state in self.bookmarks[k]:
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    item = OutlineItem(label, starts[k] + page_index, "XYZ", left=x, top=y,
                                       zoom=0)
                    item.is_closed = state == "closed"
                    (stack[-1][1].children if stack else outline.root).append(item)
                    stack.append((level, item))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True,
                 min_version=max(src.pdf_version for src in self.sources.values()),
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
