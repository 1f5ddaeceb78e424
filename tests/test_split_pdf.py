"""Split rendering: the joined PDF has the pages, page labels, outline and links of one pass."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build import load_valid_workspace
from briefgen.present import present
from briefgen.render import render_html
from briefgen.split_pdf import _ids, make_parts
from tests.conftest import BRIEF_X, OPTION_A

pypdf = pytest.importorskip("pypdf")

N_OPTIONS = 5


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
    assert len(parts) == 3
    owned = [i for p in parts for i in p.own_ids]
    assert sorted(owned) == sorted(set(_ids(html)))
    for part in parts[1:]:
        assert part.html.startswith("<!DOCTYPE html>")
        assert part.html.rstrip().endswith("</html>")
        assert 'class="briefgen-carry"' in part.html  # the cover, for the running headers
        assert "<title>" in part.html


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

    dests = {name: reader.get_destination_page_number(d)
             for name, d in reader.named_destinations.items()}
    links = []
    for n, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                links.append((n, str(annot["/Dest"])))
    headers = ["OFFICIAL" in page.extract_text() for page in reader.pages]
    return {"pages": len(reader.pages), "labels": labels, "outline": flat(reader.outline),
            "dests": dests, "links": links, "headers": headers}


def test_split_render_matches_a_single_pass(long_html: tuple[str, Path]) -> None:
    from briefgen.pdf import html_to_pdf
    from briefgen.split_pdf import render_split

    html, root = long_html
    roots = [root / "templates"]
    single, _ = html_to_pdf(html, root, roots)
    split, _ = render_split(html, root, roots, jobs=2, parts=3)
    one, joined = _facts(single), _facts(split)
    assert joined["pages"] == one["pages"] >= 8
    total = one["pages"]
    assert joined["labels"] == [f"Page {n} of {total}" for n in range(1, total + 1)]
    assert joined["outline"] == one["outline"]  # the PDF's table of contents
    assert joined["dests"] == one["dests"]
    assert joined["links"] == one["links"]
    assert all(name in joined["dests"] for _, name in joined["links"])  # every link resolves
    assert all(joined["headers"])  # the running header made it into every part
    # Same bytes whatever the number of processes.
    assert render_split(html, root, roots, jobs=1, parts=3)[0] == split


def test_split_render_next_to_a_running_thread(long_html: tuple[str, Path]) -> None:
    """With another thread running, parts come from a fork server (never a fork of this
    process, which could hang on a lock held by that thread), with the same bytes."""
    import threading

    from briefgen.split_pdf import render_split

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
