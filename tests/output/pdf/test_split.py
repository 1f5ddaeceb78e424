"""Split rendering: the joined PDF has the pages, page labels, outline and links of one pass."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build.pipeline import load_valid_workspace
from briefgen.output.pdf.split import CUT_MARK, _ids, make_parts
from briefgen.output.render import render_html
from briefgen.present.brief import present
from tests.conftest import BRIEF_X, OPTION_A

pypdf = pytest.importorskip("pypdf")

N_OPTIONS = 5


@pytest.fixture(autouse=True)
def part_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test lays its parts out afresh (see test_edits_reuse_the_parts_they_left_alone)."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def long_html(workspace: Callable[..., Path]) -> tuple[str, Path]:
    options = {f"opt-{c}": OPTION_A.replace("id: opt-a", f"id: opt-{c}")
               .replace("Option A", f"Option {c.upper()}")
               .replace("value: 4", f"value: {i % 6}")
               for i, c in enumerate("abcde"[:N_OPTIONS])}
    root = workspace(options=options, briefs={"brief-x": BRIEF_X.replace("opt-b", "opt-e")})
    ws, _ = load_valid_workspace(root)
    return render_html(present(ws, ws.briefs["brief-x"]), ws.root), root


def test_parts_are_cut_at_page_starts_and_own_every_id_once(long_html: tuple[str, Path]) -> None:
    html, _ = long_html
    parts = make_parts(html, 3)
    assert len(parts) == 4  # the front, then three of about the same size
    owned = [i for p in parts for i in p.own_ids]
    assert sorted(owned) == sorted(set(_ids(html)))
    front = parts[0]
    assert 'class="toc"' in front.html and 'id="matrix"' not in front.html
    assert "option-opt-a" in front.stubs  # the contents point at sections in later parts
    for part in parts[1:]:
        assert part.html.startswith("<!DOCTYPE html>")
        assert part.html.rstrip().endswith("</html>")
        assert 'class="briefgen-carry"' in part.html  # the cover, for the running headers
        assert "<title>" in part.html
        assert part.html.count(CUT_MARK) == 1  # checked against the print CSS when laid out


def _facts(pdf: bytes) -> dict[str, object]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    labels = []
    for page in reader.pages:
        found = re.findall(r"Page \d+ of \d+", page.extract_text())
        labels.append(found[-1] if found else None)

    def flat(items: list, depth: int = 0) -> list[tuple[int, str, int]]:
        out = []
        for item in items:
            if isinstance(item, list):
                out += flat(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    # Where each link lands: the page and the height on it.
    dests = {name: (reader.get_destination_page_number(d), round(float(d.top or 0), 1))
             for name, d in reader.named_destinations.items()}
    links = []
    for n, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                links.append((n, str(annot["/Dest"])))
    headers = ["OFFICIAL" in page.extract_text() for page in reader.pages]
    contents = re.findall(r"(?:\.\s*){4,}(\d+)", reader.pages[0].extract_text())
    return {"pages": len(reader.pages), "labels": labels, "outline": flat(reader.outline),
            "dests": dests, "links": links, "headers": headers, "contents": contents}


def _structure(pdf: bytes) -> list[tuple[int, str, int, int]]:
    """The tags as (depth, type, page, marked-content ids) in reading order, leaving out
    elements that tag nothing drawn; and every parent-tree entry checked against them."""
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    tree = reader.trailer["/Root"]["/StructTreeRoot"]

    def kids(element: DictionaryObject) -> list:
        k = element.get("/K")
        return [] if k is None else [x.get_object() for x in (
            k if isinstance(k, ArrayObject) else [k])]

    def tags_something(element: DictionaryObject) -> bool:
        return any(not isinstance(k, DictionaryObject) or k.get("/Type") in ("/MCR", "/OBJR")
                   or tags_something(k) for k in kids(element))

    out: list[tuple[int, str, int, int]] = []

    def walk(element: DictionaryObject, depth: int) -> None:
        if not tags_something(element):
            return
        page = page_of[element.raw_get("/Pg").idnum] if "/Pg" in element else -1
        ids = [k for k in kids(element) if not isinstance(k, DictionaryObject)]
        out.append((depth, str(element["/S"]), page, len(ids)))
        for k in kids(element):
            if isinstance(k, DictionaryObject) and k.get("/Type") not in ("/MCR", "/OBJR"):
                walk(k, depth + 1)

    for document in kids(tree):
        walk(document, 0)
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    for page in reader.pages:
        for mcid, owner in enumerate(parents[int(page["/StructParents"])]):
            owner = owner.get_object()
            assert mcid in kids(owner) and owner.raw_get("/Pg").idnum == \
                page.indirect_reference.idnum
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            owner = parents[int(annotation["/StructParent"])]
            assert any(k.get("/Type") == "/OBJR" and k.raw_get("/Obj").idnum
                       == annotation.indirect_reference.idnum for k in kids(owner))
    return out


def _pixels(pdf: bytes, tmp: Path) -> list[bytes]:
    """Every page as pixels, at a resolution where a misplaced word shows."""
    from PIL import Image

    (tmp / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp / "doc.pdf"), str(tmp / "page")],
                   check=True)
    pages = sorted(tmp.glob("page-*.png"))
    try:
        return [Image.open(p).convert("RGB").tobytes() for p in pages]
    finally:
        for p in pages:
            p.unlink()


def test_split_render_matches_a_single_pass(long_html: tuple[str, Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.output.pdf import weasy as pdf
    from briefgen.output.pdf.split import render_split

    html, root = long_html
    roots = [root / "templates"]
    single, _ = pdf.html_to_pdf(html, root, roots)
    monkeypatch.setattr(pdf, "html_to_pdf", _no_single_pass)
    split, _ = render_split(html, root, roots, jobs=2, parts=3)
    one, joined = _facts(single), _facts(split)
    assert joined["pages"] == one["pages"] >= 8
    total = one["pages"]
    assert joined["labels"] == [f"Page {n} of {total}" for n in range(1, total + 1)]
    # The printed contents: page numbers of sections in every part, as in one pass.
    assert joined["contents"] == one["contents"]
    assert len(set(one["contents"])) >= 5
    assert joined["outline"] == one["outline"]  # the PDF's table of contents
    assert joined["dests"] == one["dests"]
    assert joined["links"] == one["links"]
    assert all(name in joined["dests"] for _, name in joined["links"])  # every link resolves
    assert split.startswith(b"%PDF-1.7")
    assert all(joined["headers"])  # the running header made it into every part
    # Tagged as one pass is, for assistive technology: the same elements in the same
    # order on the same pages, and no second (hidden) cover in each part.
    assert _structure(split) == _structure(single)
    _one_tree_with_unique_ids(split)
    # Same bytes whatever the number of processes (laid out again, not read from the cache).
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "other-cache"))
    assert render_split(html, root, roots, jobs=1, parts=3)[0] == split
    # And the same look, page by page: running headers, page numbers, the DRAFT watermark.
    if shutil.which("pdftoppm"):
        assert _pixels(split, tmp_path) == _pixels(single, tmp_path)


def test_a_long_brief_has_its_page_numbers_laid_out_in_two_halves(
        long_html: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past OVERLAY_PAGES body pages, two processes lay out the page numbers side by side;
    every page still gets its own "Page N of M", and the pages look the same."""
    from briefgen.output.pdf import split as split_module

    assert split_module.overlay_spans(split_module.OVERLAY_PAGES) == [
        (0, split_module.OVERLAY_PAGES)]
    assert split_module.overlay_spans(121) == [(0, 60), (60, 121)]
    html, root = long_html
    roots = [root / "templates"]
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "one"))
    one, _ = split_module.render_split(html, root, roots, jobs=2, parts=3)
    monkeypatch.setattr(split_module, "OVERLAY_PAGES", 2)
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "two"))
    two, _ = split_module.render_split(html, root, roots, jobs=2, parts=3)
    total = _facts(one)["pages"]
    assert _facts(two)["labels"] == [f"Page {n} of {total}" for n in range(1, total + 1)]
    if shutil.which("pdftoppm"):
        assert _pixels(two, tmp_path) == _pixels(one, tmp_path)


def _no_single_pass(*args: object, **kwargs: object) -> None:
    raise AssertionError("split rendering fell back to a single pass")


def _one_tree_with_unique_ids(pdf: bytes) -> None:
    """One structure tree (no part's old root copied along), and table header ids that are
    unique (WeasyPrint numbers them per part) and that every /Headers reference finds."""
    import pikepdf

    doc = pikepdf.open(io.BytesIO(pdf))
    elements = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary)
                and o.get("/Type") in ("/StructElem", "/StructTreeRoot")]
    assert sum(o.Type == "/StructTreeRoot" for o in elements) == 1
    ids = [str(o.ID) for o in elements if "/ID" in o]
    assert ids and len(ids) == len(set(ids))
    headers = {str(h) for o in elements if isinstance(o.get("/A"), pikepdf.Dictionary)
               and "/Headers" in o.A for h in o.A.Headers}
    assert headers and headers <= set(ids)


def test_page_number_boxes_that_print_running_strings_match_a_single_pass(
        long_html: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page numbers are laid out apart from the body pages; the strings the same margin
    box prints (here the brief's title) and its neighbours must be there as in one pass."""
    from briefgen.output.pdf import weasy as pdf
    from briefgen.output.pdf.split import render_split

    html, root = long_html
    themed = html.replace("</head>", '<style>@page{@bottom-right{content:string(doctitle) '
                          '" \\2013  p. " counter(page) "/" counter(pages)}}</style></head>')
    roots = [root / "templates"]
    single, _ = pdf.html_to_pdf(themed, root, roots)
    monkeypatch.setattr(pdf, "html_to_pdf", _no_single_pass)
    split, _ = render_split(themed, root, roots, jobs=2, parts=3)
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(split)).pages]
    total = len(texts)
    assert all(f"Brief X – p. {n}/{total}" in text for n, text in enumerate(texts, 1))
    if shutil.which("pdftoppm"):
        assert _pixels(split, tmp_path) == _pixels(single, tmp_path)


def test_a_theme_that_breaks_pages_elsewhere_gets_a_single_pass(
        long_html: tuple[str, Path]) -> None:
    """The cuts assume the default theme's page breaks; a part whose first element does not
    break the page in print would lay out differently, so the whole brief takes one pass."""
    from briefgen.output.pdf.split import render_split
    from briefgen.output.pdf.weasy import html_to_pdf

    html, root = long_html
    unbroken = html.replace("</head>", "<style>@media print{#matrix,#robustness,#options,"
                            "#method,.option+.option{break-before:auto!important}}</style></head>")
    roots = [root / "templates"]
    split, _ = render_split(unbroken, root, roots, jobs=2, parts=3)
    single, _ = html_to_pdf(unbroken, root, roots)
    assert _facts(split) == _facts(single)
    assert len(pypdf.PdfReader(io.BytesIO(split)).pages) < len(
        pypdf.PdfReader(io.BytesIO(render_split(html, root, roots, jobs=2, parts=3)[0])).pages)


def test_split_render_next_to_a_running_thread(long_html: tuple[str, Path]) -> None:
    """With another thread running, parts come from a fork server (never a fork of this
    process, which could hang on a lock held by that thread), with the same bytes."""
    import threading

    from briefgen.output.pdf.split import render_split

    html, root = long_html
    roots = [root / "templates"]
    alone = render_split(html, root, roots, jobs=2, parts=2)[0]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert render_split(html, root, roots, jobs=2, parts=2)[0] == alone
    finally:
        stop.set()
        thread.join()


DESCRIPTION = "A plan with <strong>bold</strong> ideas."


def _edit_last_option(html: str, text: str) -> str:
    head, _, tail = html.rpartition(DESCRIPTION)
    return head + text + tail


@pytest.mark.parametrize("edit", ["A plan with <strong>bold</strong> ideas, now edited.",
                                  "<p>A much longer plan.</p>" * 150],
                         ids=["same page count", "more pages"])
def test_edits_reuse_the_parts_they_left_alone(long_html: tuple[str, Path], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               part_cache: Path, edit: str) -> None:
    """An edit to one option lays out that option's part again and reads the others back;
    the PDF has the bytes of a render with nothing cached, page numbers included (the
    front's contents print the pages of sections after the edited one)."""
    from briefgen.output.pdf import weasy as pdf
    from briefgen.output.pdf.split import make_parts, render_split

    html, root = long_html
    roots = [root / "templates"]
    monkeypatch.setattr(pdf, "html_to_pdf", _no_single_pass)
    render_split(html, root, roots, jobs=2, parts=3)
    before = set(part_cache.rglob("*"))
    edited = _edit_last_option(html, edit)
    assert edit not in make_parts(edited, 3)[0].html  # the edit is not in the front
    warm, _ = render_split(edited, root, roots, jobs=2, parts=3)
    new = {p for p in set(part_cache.rglob("*")) - before if p.is_file()}
    # One body part, and (only when the page count changed) the front and page numbers.
    assert len(new) == (1 if "edited" in edit else 3)
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cold"))
    cold, _ = render_split(edited, root, roots, jobs=2, parts=3)
    assert warm == cold
    assert _facts(warm)["pages"] > _facts(render_split(html, root, roots, 2, 3)[0])["pages"] \
        or "edited" in edit


def test_a_damaged_cached_part_is_laid_out_again(long_html: tuple[str, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 part_cache: Path) -> None:
    from briefgen.output.pdf.split import render_split

    html, root = long_html
    roots = [root / "templates"]
    first, _ = render_split(html, root, roots, jobs=2, parts=3)
    for entry in part_cache.rglob("*"):
        if entry.is_file() and entry.stat().st_size > 1000:  # the parts, not the page count
            entry.write_bytes(b'{"page_names": []}\nnot a PDF')
    assert render_split(html, root, roots, jobs=2, parts=3)[0] == first


def test_a_changed_file_the_parts_may_fetch_changes_every_part_key(tmp_path: Path) -> None:
    from briefgen.output.pdf.split import PartCache

    assets = tmp_path / "assets"
    (assets / ".git").mkdir(parents=True)
    (assets / "logo.svg").write_text("<svg/>")
    (assets / ".git" / "config").write_text("secret")
    first = PartCache(tmp_path, [assets]).key("body", "<html>")
    (assets / ".git" / "config").write_text("other")  # hidden: never fetched, never read
    (assets / "loop").symlink_to(assets)  # a symlinked folder is not followed
    assert PartCache(tmp_path, [assets]).key("body", "<html>") == first
    (assets / "logo.svg").write_text("<svg><rect/></svg>")
    assert PartCache(tmp_path, [assets]).key("body", "<html>") != first
