"""The build pipeline: the date a build stamps on its outputs."""

from __future__ import annotations

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
