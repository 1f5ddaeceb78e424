"""Property tests of editions (issue 16): random markings never leak into a lower edition,
and an edition never changes a figure it shows."""

from __future__ import annotations

import json
import random
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build.pipeline import Publish, build
from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X

# Every sentence has words of its own, so no two parts share a phrase the leak check
# would rightly report.
WORDS = ["amber", "basalt", "cobalt", "delta", "ember", "fjord", "garnet", "harbour", "indigo",
         "jasper", "kelp", "lagoon", "marble", "nickel", "onyx", "pewter", "quartz", "rubble",
         "saffron", "tundra", "umber", "velvet", "walnut", "xenon", "yarrow", "zinc", "acorn",
         "birch", "cedar", "dune", "elm", "fern"]


def _sentence(n: int) -> str:
    return " ".join(random.Random(n).sample(WORDS, 9)).capitalize()




def _option(ident: str, kind: str, marks: dict[str, bool], scores_secret: bool) -> str:
    shift = 0 if ident == "opt-a" else 20
    risks_text = [_sentence(i + shift) for i in range(4)]
    benefits_text = [_sentence(10 + i + shift) for i in range(4)]
    risks = "".join(
        f"  - risk: {r}\n    likelihood: possible\n    impact: minor\n"
        f"    mitigation: Mitigation {i} of {ident}\n"
        + ("    level: CONFIDENTIAL\n" if marks[f"r{i}"] else "")
        for i, r in enumerate(risks_text))
    benefits = "".join(f"  - {b}\n" for b in benefits_text)
    levels = "".join(f"  benefits[{i}]: CONFIDENTIAL\n" for i in range(4)
                     if marks[f"b{i}"])
    cost_level = "level: CONFIDENTIAL, " if scores_secret else ""
    return textwrap.dedent(f"""\
        id: {ident}
        title: Option {ident}
        summary: Do {ident}.
        description: The plan {ident}.
        lead: Ministry
        actions: [Act]
        kind: {kind}
        scores:
          leverage: {{value: 3}}
          cost: {{{cost_level}value: 2}}
        """) + "risks:\n" + risks + "benefits:\n" + benefits + (
        "field_levels:\n" + levels if levels else "")


MARKS = st.fixed_dictionaries({**{f"r{i}": st.booleans() for i in range(4)},
                               **{f"b{i}": st.booleans() for i in range(4)}})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks_a=MARKS, marks_b=MARKS, secret_score=st.booleans(), recompute=st.booleans())
def test_random_markings_never_leak_and_never_change_a_shown_figure(
        marks_a: dict[str, bool], marks_b: dict[str, bool], secret_score: bool,
        recompute: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "options").mkdir()
        (root / "briefs").mkdir()
        (root / "options" / "opt-a.yaml").write_text(
            _option("opt-a", "do-minimum", marks_a, secret_score))
        (root / "options" / "opt-b.yaml").write_text(
            _option("opt-b", "business-as-usual", marks_b, False))
        (root / "briefs" / "brief-x.yaml").write_text(
            BRIEF_X + "levels: [OFFICIAL, CONFIDENTIAL]\neditions:\n  - name: official\n"
            f"    level: OFFICIAL\n    recompute: {str(recompute).lower()}\n")
        ws, report = load_workspace(root)
        assert not report.errors, report.sorted()
        full = json.loads(build(ws, [], ["json"], root / "full").written[0].read_text())
        # Never refused: figures resting on a withheld score are withheld or recomputed.
        written = build(ws, [], ["html", "md", "json"], root / "out",
                        publish=Publish(edition="official")).written
        outputs = {p.suffix: p.read_text(encoding="utf-8") for p in written}
        for shift, marks in ((0, marks_a), (20, marks_b)):
            for i in range(4):
                assert (_sentence(i + shift) in outputs[".md"]) == (not marks[f"r{i}"])
                benefit = _sentence(10 + i + shift)
                assert (benefit in outputs[".json"]) == (not marks[f"b{i}"])
                if marks[f"b{i}"]:
                    assert not any(benefit in text for text in outputs.values())
        edition = json.loads(outputs[".json"])
        if not secret_score:  # nothing withheld that a figure rests on: identical figures
            assert [(r["option"], r["total"], r["rank"]) for r in
                    edition["analysis"]["ranking"]] == \
                [(r["option"], r["total"], r["rank"]) for r in full["analysis"]["ranking"]]
        elif not recompute:  # withheld, never recomputed: every figure shown is the full's
            shown = {r["option"]: r for r in edition["analysis"]["ranking"]}
            expected = {r["option"]: r for r in full["analysis"]["ranking"]}
            assert shown["opt-a"]["total"] is None and shown["opt-a"]["rank"] is None
            assert (shown["opt-b"]["total"], shown["opt-b"]["cells"]) == \
                (expected["opt-b"]["total"], expected["opt-b"]["cells"])
            assert shown["opt-b"]["rank"] is None  # its rank would place opt-a's total
            assert f"| {expected['opt-b']['total']:.1f} |" in outputs[".md"]
