"""The leak check: withheld text found in any output fails the build, located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build.leaks import html_text, normalise, phrases
from briefgen.build.pipeline import Publish, build
from briefgen.common.diagnostics import InputError
from briefgen.inputs.loader import load_workspace
from tests.helpers.editions import MARKED, SECRET_RISK


def test_phrases_survive_formats_and_skip_short_values() -> None:
    assert normalise("Talks  col-\nlapse, <b>") == "talkscollapseb"
    assert list(phrases("likely")) == []  # one word: cannot be told from ordinary text
    assert list(phrases("12")) == []
    assert list(phrases("Joint icebreaker construction")) == ["jointicebreakerconstruction"]


def test_html_text_includes_attributes_and_alt_texts() -> None:
    text = html_text('<img alt="Secret &amp; plan" src="x.png"><p title="t">Body</p>')
    assert "Secret & plan" in text and "Body" in text


def _build(root: Path, formats: tuple[str, ...] = ("html", "md", "json")) -> list[Path]:
    ws, report = load_workspace(root)
    assert not report.errors, report.sorted()
    return build(ws, [], formats, root / "output",
                 publish=Publish(edition="official")).written


def test_a_clean_edition_builds(workspace: Callable[..., Path]) -> None:
    written = _build(workspace(**MARKED))
    names = sorted(p.name for p in written)
    assert names == ["brief-x.official.html", "brief-x.official.json", "brief-x.official.md"]
    for path in written:
        assert SECRET_RISK not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("copy", [
    # a CONFIDENTIAL sentence copied into an OFFICIAL field
    ("summary: Do A.", f"summary: {SECRET_RISK}."),
    # a CONFIDENTIAL sentence reused inside a longer OFFICIAL sentence
    ("description: A plan with **bold** ideas.",
     "description: We think that *talks collapse when the offer leaks to the press* before "
     "the round, as last year."),
])
def test_a_copied_sentence_fails_the_build_located(workspace: Callable[..., Path],
                                                   copy: tuple[str, str]) -> None:
    option = MARKED["options"]["opt-a"].replace(*copy)
    root = workspace(options={**MARKED["options"], "opt-a": option}, briefs=MARKED["briefs"])
    with pytest.raises(InputError) as caught:
        _build(root)
    problems = [d for d in caught.value.diagnostics if d.field == "risks[0]"]
    assert problems, caught.value.diagnostics
    line = option.splitlines().index(f"  - risk: {SECRET_RISK}") + 1
    assert problems[0].location.file.endswith("options/opt-a.yaml")
    assert (problems[0].location.line, problems[0].location.column) == (line, 5)
    assert "above edition 'official' (OFFICIAL)" in problems[0].message
    assert not (root / "output" / "brief-x.official.html").exists()  # nothing written


def test_a_withheld_title_reused_in_a_sentence_is_found(workspace: Callable[..., Path]) -> None:
    # The second option is CONFIDENTIAL as a whole; its title turns up in a released
    # sentence of the brief (derived text written by hand).
    option_c = (MARKED["options"]["opt-a"].replace("id: opt-a", "id: opt-c")
                .replace("title: Option A", "title: Covert rare metals swap")
                + "level: CONFIDENTIAL\n")
    brief = MARKED["briefs"]["brief-x"].replace(
        "context: Some context.", "context: Some context, unlike the Covert rare metals swap.")
    brief = brief.replace("    portion_marks: true\n", "    recompute: true\n")
    root = workspace(options={**MARKED["options"], "opt-c": option_c},
                     briefs={"brief-x": brief})
    with pytest.raises(InputError) as caught:
        _build(root, ("html",))
    [problem] = [d for d in caught.value.diagnostics if d.location.file.endswith("opt-c.yaml")]
    assert "option opt-c is CONFIDENTIAL" in problem.message
