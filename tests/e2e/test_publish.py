"""Publication-grade outputs: reproducible bytes, PDF metadata, contents, links,
archival attachments, the accessible variant, the memo, Markdown and JSON.

PDF renders are slow and the CI machine has two cores: the example brief is built
twice (in separate processes, from two copies of the workspace) once per module,
and every test below reads those files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.analysis.scores import analyse
from briefgen.cli import cli
from briefgen.inputs.loader import load_workspace
from tests.conftest import ROOT

BRIEF = "fifth-round-offers"
FORMATS = ("html", "pdf", "md", "json")


def _copy_example(dest: Path) -> Path:
    for folder in ("options", "briefs"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two archival builds of the example, each in its own process and folder."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outs = []
    for n in (1, 2):
        ws = _copy_example(tmp_path_factory.mktemp(f"copy{n}"))
        out = ws / "out"
        args = [sys.executable, "-m", "briefgen", "build", "--workspace", str(ws),
                "--out", str(out), "--pdf-variant", "pdf/a-3b"]
        for fmt in FORMATS:
            args += ["--format", fmt]
        proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    return outs


@pytest.fixture(scope="module")
def pdf(builds: list[Path]) -> PdfReader:
    return PdfReader(builds[0] / f"{BRIEF}.pdf")


def _brief_and_analysis():
    ws, report = load_workspace(ROOT)
    assert not report.errors
    brief = ws.briefs[BRIEF]
    return ws, brief, analyse(brief, [ws.options[i] for i in ws.option_ids(brief)])


# --- reproducible -------------------------------------------------------------


def test_same_inputs_give_byte_identical_outputs(builds: list[Path]) -> None:
    for fmt in FORMATS:
        first, second = (out / f"{BRIEF}.{fmt}" for out in builds)
        assert first.read_bytes() == second.read_bytes(), f"{fmt} differs between builds"


def test_outputs_name_no_machine_path_or_clock(builds: list[Path]) -> None:
    for fmt in ("html", "md", "json"):
        text = (builds[0] / f"{BRIEF}.{fmt}").read_text(encoding="utf-8")
        assert str(builds[0].parent) not in text
    raw = (builds[0] / f"{BRIEF}.pdf").read_bytes()
    assert str(builds[0].parent).encode() not in raw
    # the only dates are the brief's (5 June 2025), in the info dict and the attachments
    assert set(re.findall(rb"D:(\d{8})", raw)) == {b"20250605"}


# --- PDF ------------------------------------------------------------------------


def test_pdf_document_metadata(pdf: PdfReader) -> None:
    ws, brief, _ = _brief_and_analysis()
    meta = pdf.metadata
    assert meta.title == brief.title
    assert meta.author == brief.author
    assert meta.subject == " ".join(brief.question.split())
    assert ws.options[brief.baseline].title in meta["/Keywords"]
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    assert meta["/CreationDate"] == "D:20250605"


def test_every_internal_link_has_a_destination(pdf: PdfReader) -> None:
    named = set(pdf.named_destinations)
    internal = 0
    for page in pdf.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                continue
            internal += 1
            assert annot.get("/Dest") in named, annot
    assert internal > 20  # contents, ranking table, matrix and citations


def test_page_1_holds_the_decision_and_the_ranking_and_the_contents_follow(
        pdf: PdfReader) -> None:
    first_page = " ".join((pdf.pages[0].extract_text() or "").split())
    for part in ("Bottom line", "Decision required", "Ranking at a glance",
                 "Co-build icebreakers with the United States"):  # the last-ranked option
        assert part.upper() in first_page.upper(), part
    assert "Contents" not in first_page


def test_contents_list_the_page_of_each_section(pdf: PdfReader) -> None:
    pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages[:4]]
    start = next(i for i, text in enumerate(pages) if "Contents" in text)
    first_page = " ".join(pages[start:start + 2])  # the contents run over onto the next page
    first_page = first_page[first_page.index("Contents"):]
    outline = {}
    for item in _flatten(pdf.outline):
        outline.setdefault(item.title, pdf.get_destination_page_number(item) + 1)
    for title in ("Executive summary", "Comparison matrix", "Method note", "Sources"):
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\b", first_page)
        assert match, f"{title} not in the contents: {first_page[:600]}"
        assert int(match.group(1)) == outline[title]


def _flatten(outline: list) -> list:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items


def test_pdf_a3b_carries_its_source_files(builds: list[Path], pdf: PdfReader) -> None:
    ws, brief, _ = _brief_and_analysis()
    attached = {name: data[0] for name, data in pdf.attachments.items()}
    expected = {p.relative_to(ws.root).as_posix(): p.read_bytes()
                for p in ws.input_paths(brief)}
    assert attached == expected
    root = pdf.trailer["/Root"]
    assert "/AF" in root and "/OutputIntents" in root and "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp


@pytest.mark.skipif(not shutil.which("qpdf") or not shutil.which("pdfinfo"),
                    reason="qpdf and pdfinfo (poppler-utils) are needed; .ci/run installs them")
def test_pdf_structure_checks_and_tagged(builds: list[Path]) -> None:
    target = builds[0] / f"{BRIEF}.pdf"
    check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)


@pytest.fixture(scope="module")
def memo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-page memo on US Letter, as the accessible pdf/ua-1 variant."""
    out = tmp_path_factory.mktemp("memo")
    result = CliRunner().invoke(cli, ["build", "--workspace", str(ROOT), "--out", str(out),
                                      "--template", "memo", "--paper", "letter",
                                      "--pdf-variant", "pdf/ua-1"])
    assert result.exit_code == 0, result.output
    return out


def test_memo_is_one_tagged_letter_page(memo: Path) -> None:
    ws, brief, analysis = _brief_and_analysis()
    reader = PdfReader(memo / f"{BRIEF}-memo.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "pdfuaid:part" in root["/Metadata"].get_object().get_data().decode()
    text = " ".join((reader.pages[0].extract_text() or "").split())
    assert "DECISION REQUIRED" in text.upper() and "RECOMMENDATION" in text.upper()
    assert "Top risks" in text
    positions = [text.find(ws.options[r.option].title[:30]) for r in analysis.ranking]
    assert -1 not in positions and positions == sorted(positions)
    assert brief.classification.upper() in text.upper()


# --- Markdown and JSON -----------------------------------------------------------


def test_markdown_variant(builds: list[Path]) -> None:
    ws, brief, analysis = _brief_and_analysis()
    md = (builds[0] / f"{BRIEF}.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {brief.title}\n")
    assert "## Decision required" in md and "## Recommendation" in md
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+=? \|", line)]
    assert [row.split(" | ")[1].split(" **")[0].split(" *(")[0] for row in rows] == [
        ws.options[r.option].title for r in analysis.ranking]
    assert "<" not in md.replace("<https://", "")  # no raw HTML


def test_json_variant_holds_data_and_every_figure(builds: list[Path]) -> None:
    ws, brief, analysis = _brief_and_analysis()
    data = json.loads((builds[0] / f"{BRIEF}.json").read_text(encoding="utf-8"))
    assert data["format"] == "briefgen-brief" and data["format_version"] == 1
    assert data["brief"] == brief.model_dump(mode="json")
    assert list(data["options"]) == ws.option_ids(brief)
    assert data["options"]["alaska-lng"] == ws.options["alaska-lng"].model_dump(mode="json")
    assert data["analysis"]["weights"] == analysis.weights
    for row, result in zip(data["analysis"]["ranking"], analysis.ranking, strict=True):
        assert (row["option"], row["rank"], row["total"]) == (result.option, result.rank,
                                                              result.total)
        assert [c["criterion"] for c in row["cells"]] == [c.id for c in brief.criteria]
        assert row["total_low"] == result.total_low and row["total_high"] == result.total_high
    assert [i["path"] for i in data["inputs"]] == [
        p.relative_to(ws.root).as_posix() for p in ws.input_paths(brief)]
