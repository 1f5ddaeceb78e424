"""The build pipeline: the date a build stamps on its outputs, and the edit loop."""

from __future__ import annotations

import pytest

from briefgen.analysis.scores import analyse
from briefgen.inputs.loader import load_workspace
from tests.conftest import ROOT

BRIEF = "fifth-round-offers"


def _brief_and_analysis():
    ws, report = load_workspace(ROOT)
    assert not report.errors
    brief = ws.briefs[BRIEF]
    return ws, brief, analyse(brief, [ws.options[i] for i in ws.option_ids(brief)])


def test_source_date_epoch_overrides_the_brief_date(monkeypatch) -> None:
    from briefgen.build.pipeline import source_date

    _, brief, _ = _brief_and_analysis()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date(brief).date() == brief.date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date(brief).isoformat() == "2023-11-14T22:13:20"


def test_an_edit_rebuilds_one_part_of_the_pdf_with_the_bytes_of_a_forced_build(
        tmp_path, monkeypatch) -> None:
    """The edit loop: after one option's description changed, the example's PDF is laid out
    again for that option's part only (the others come from the cache), and is byte for
    byte the PDF a --force build with nothing cached makes."""
    import shutil

    from briefgen.build.pipeline import build, load_valid_workspace

    root = tmp_path / "ws"
    for folder in ("options", "briefs"):
        shutil.copytree(ROOT / folder, root / folder)
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(cache))
    ws, _ = load_valid_workspace(root)
    build(ws, [BRIEF], ["pdf"], root / "output")
    parts = set((cache / "pdfparts").rglob("*"))
    option = root / "options" / "icebreakers.yaml"
    option.write_text(option.read_text().replace("description: ", "description: Edited. ", 1))
    ws, _ = load_valid_workspace(root)
    result = build(ws, [BRIEF], ["pdf"], root / "output")
    assert result.built == [BRIEF]
    laid_out = {p for p in set((cache / "pdfparts").rglob("*")) - parts if p.is_file()}
    # The icebreakers' part, and the method's, which prints the inputs' SHA-256; the
    # front and the page numbers are unchanged, and so the other parts.
    assert len(laid_out) == 2
    edited = (root / "output" / f"{BRIEF}.pdf").read_bytes()
    import io

    from pypdf import PdfReader

    assert "Edited." in "".join(p.extract_text() for p in PdfReader(io.BytesIO(edited)).pages)
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    build(ws, [BRIEF], ["pdf"], tmp_path / "forced", force=True)
    assert (tmp_path / "forced" / f"{BRIEF}.pdf").read_bytes() == edited


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "253402300800"])
def test_a_source_date_epoch_briefgen_cannot_use_stops_the_build(workspace, monkeypatch,
                                                                 value: str) -> None:
    # It was ignored (abc, 1.5: another date, silently) or exit 3 (an overflow).
    from click.testing import CliRunner

    from briefgen.cli import cli

    root = workspace()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "html"])
    assert result.exit_code == 4, result.output
    assert f"SOURCE_DATE_EPOCH={value} is not a date briefgen can use" in result.output
    assert not (root / "output").exists()
