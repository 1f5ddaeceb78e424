"""Quality on workspaces nobody tuned by hand: the seeded corpus of tests/helpers/corpus.py,
`briefgen init`'s workspace and the example, each laid out in its language and on its
paper, must show no layout finding; and each brief's analysis must keep its promises on
ties and edges.

The default run takes a small sample (SAMPLE); the whole corpus, the example in both
languages on both papers included, is marked ``corpus`` and run by .ci/run
(``pytest -m corpus``): 11 minutes measured on 2 cores shared with other runs; the sample
adds under a minute to the default run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.analysis.scores import TIE_TOLERANCE
from briefgen.analysis.sensitivity import EDGE
from briefgen.inputs.loader import load_workspace
from briefgen.output.pdf.layout_check import check_html
from briefgen.output.render import builtin_templates, render_html, template_dirs
from briefgen.present.brief import BriefView, present
from tests.helpers.corpus import Spec, corpus, write_workspace

ROOT = Path(__file__).resolve().parents[2]
SPECS = corpus()
SAMPLE = {"c02-tie-top-ja", "c03-long-titles"}  # a tie at the top in Japanese; long titles

# "more than 11 % (now 11 %)", "11 %を上回れば（現在11 %）": a threshold and the current value.
COMPARED = re.compile(r"(?:than|が)\s*([-\d.,]+\s*%?)\D{0,12}?[(（](?:now|現在)\s*([-\d.,]+\s*%?)")


def _views(root: Path, lang: str | None = None) -> list[BriefView]:
    ws, report = load_workspace(root)
    assert not report.errors, [d.message for d in report.errors]
    return [present(ws, brief, inputs=ws.input_digest(brief), lang=lang)
            for brief in ws.briefs.values()]


def _layout(root: Path, paper: str, lang: str | None = None) -> list[str]:
    roots = [*template_dirs(root), builtin_templates(), root / "assets"]
    found = []
    for view in _views(root, lang):
        html = render_html(view, root, "brief.html.j2", paper=paper)
        found += [f.text() for f in check_html(html, root, roots)]
    return found


def _assert_analysis(view: BriefView) -> None:
    totals = [v.result.total for v in view.options]
    for v in view.options:  # standard competition ranks: 1 + the number strictly ahead
        assert v.rank == 1 + sum(1 for t in totals if t > v.result.total + TIE_TOLERANCE)
    tied = set(view.options[0].result.tied_with)  # the leader's
    # no switch at an end of the range, and none for a rival tied for first
    for switch in view.extras.robustness.switches if view.extras else ():
        assert EDGE < switch.threshold < 1 - EDGE
        assert switch.rival not in tied
    sentences = list(view.extras.robustness.switch_sentences if view.extras else ())
    if view.record:
        sentences += list(view.record.switching)
    for sentence in sentences:
        for at, now in COMPARED.findall(sentence):
            assert at.strip() != now.strip(), sentence


def _check(root: Path, paper: str, lang: str | None = None) -> None:
    for view in _views(root, lang):
        _assert_analysis(view)
    assert _layout(root, paper, lang) == []


def _generated(spec: Spec, tmp_path: Path) -> None:
    _check(write_workspace(tmp_path / spec.name, spec), spec.paper)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.name in SAMPLE], ids=lambda s: s.name)
def test_a_sample_of_the_corpus_lays_out_cleanly(spec: Spec, tmp_path: Path) -> None:
    _generated(spec, tmp_path)


@pytest.mark.corpus
@pytest.mark.parametrize("spec", [s for s in SPECS if s.name not in SAMPLE],
                         ids=lambda s: s.name)
def test_the_corpus_lays_out_cleanly(spec: Spec, tmp_path: Path) -> None:
    _generated(spec, tmp_path)


@pytest.mark.corpus
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_example_lays_out_cleanly(paper: str, lang: str, tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(ROOT / "options", root / "options")
    shutil.copytree(ROOT / "briefs", root / "briefs")
    _check(root, paper, lang)


@pytest.mark.corpus
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_init_workspace_lays_out_cleanly(paper: str, tmp_path: Path) -> None:
    from briefgen.cli.commands import cli

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    _check(tmp_path / "mine", paper)


def test_the_corpus_varies_what_broke_briefs_before() -> None:
    assert len(SPECS) >= 25 and len({s.name for s in SPECS}) == len(SPECS)
    options = [s.options for s in SPECS]
    criteria = [s.criteria for s in SPECS]
    assert min(options) == 2 and max(options) == 30
    assert min(criteria) == 2 and max(criteria) == 12
    assert {s.lang for s in SPECS} == {"en", "ja"} and {s.paper for s in SPECS} == {"a4",
                                                                                     "letter"}
    assert {s.tie for s in SPECS} == {"none", "top", "middle"}
    for flag in ("missing", "long_titles", "packages", "dissent", "quantity", "record"):
        assert {getattr(s, flag) for s in SPECS} == {True, False}, flag
    assert {s.currencies > 1 for s in SPECS} == {True, False}
    assert {s.set_aside > 0 for s in SPECS} == {True, False}
    assert corpus() == SPECS  # seeded: the same corpus every run


def test_a_generated_workspace_is_valid_and_has_what_its_spec_says(tmp_path: Path) -> None:
    spec = next(s for s in SPECS if s.name == "c01-thirty-options")
    root = write_workspace(tmp_path / "ws", spec)
    ws, report = load_workspace(root)
    assert not report.errors
    [brief] = ws.briefs.values()
    assert len(brief.options or ()) == 30 and len(brief.criteria) == 12
    assert {c.direction for c in brief.criteria} == {"benefit", "cost"}
    assert len(brief.set_aside) == 2 and brief.packages and brief.recommendation
    assert brief.recommendation.dissent
    assert {ws.options[o].cost.currency for o in brief.options or () if ws.options[o].cost} \
        == {"JPY", "USD", "EUR"}
    assert any(not s.scored for o in ws.options.values() for s in o.scores.values())
    view = present(ws, brief, inputs=ws.input_digest(brief))
    ranks = [v.rank for v in view.options]
    assert len(ranks) != len(set(ranks))  # the tie in the middle is there
