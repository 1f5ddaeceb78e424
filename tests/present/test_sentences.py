"""The generated prose (briefgen.present.sentences): one function per sentence, the
words from the catalogues, so a new language is a new catalogue file and no code."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.analysis.sensitivity import RangeVerdict, StabilityInterval
from briefgen.language import labels
from briefgen.language.formatting import use_language
from briefgen.present import sentences as say

ROOT = Path(__file__).resolve().parents[2]

# A third language, as a translator would add it: a file beside ja.toml. Esperanto puts
# the criterion first here, so the slots move; it lower-cases the name like English.
EO = """\
[joiners]
items = " kaj "
entries = " / "
statements = ". "

[labels]
"{option} would rank first if {conditions}." = "Se {conditions}, {option} estus unua."
"{criterion:inline} weighed more than {at} (now {now})" = \
"{criterion:inline} pezus pli ol {at} (nun {now})"
"{criterion:inline} weighed less than {at} (now {now})" = \
"{criterion:inline} pezus malpli ol {at} (nun {now})"
"{option} (up to {points})" = "{option} (ĝis {points})"
"{value} percentage points" = "{value} elcentaj poentoj"
"""


@pytest.fixture
def esperanto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder = tmp_path / "catalogues"
    shutil.copytree(labels.CATALOGUES, folder)
    (folder / "eo.toml").write_text(EO, encoding="utf-8")
    monkeypatch.setattr(labels, "CATALOGUES", folder)
    labels.forget_catalogues()
    with use_language("eo"):
        yield
    labels.forget_catalogues()  # the real catalogues again for the tests that follow


def test_a_third_language_is_a_catalogue_file(esperanto: None) -> None:
    assert "eo" in labels.languages()
    assert say.rank_first_if("Alaska LNG", [("Supply-chain security", True, 0.34, 0.25)]) == (
        "Se supply-chain security pezus pli ol 34\u00a0% (nun 25\u00a0%), Alaska LNG estus unua.")
    assert say.percentage_points(10) == "10 elcentaj poentoj"
    # its list joiner, and its words inside another sentence's slot
    verdict = RangeVerdict("a", 40.0, (("b", 45.0), ("c", 41.0)))
    text = say.range_verdict(verdict, {"a": "A", "b": "B", "c": "C"}, has_ranges=True)
    assert "B (ĝis 45.0) kaj C (ĝis 41.0)" in text
    # what it does not translate yet reads as English rather than as nothing
    assert say.years(10) == "10 years"


def test_the_switching_sentence_is_one_function_for_both_sections() -> None:
    # 'What would have to be true' and the robustness section once had a copy each, and
    # only one put the criterion name in sentence case mid-sentence.
    interval = StabilityInterval("security", 0.25, "bau", 0.1, 0.34, None, "alaska")
    (flagged,) = say.what_would_have_to_be_true(
        [interval], {"security": "Supply-chain security"}, {"alaska": "Alaska LNG"})
    assert flagged == say.rank_first_if("Alaska LNG",
                                        [("Supply-chain security", True, 0.34, 0.25)])
    assert flagged == ("Alaska LNG would rank first if supply-chain security weighed more "
                       "than 34\u00a0% (now 25\u00a0%).")


def test_an_acronym_keeps_its_capitals_mid_sentence() -> None:
    assert "if US leverage weighed less than" in say.rank_first_if(
        "Status quo", [("US leverage", False, 0.2, 0.3)])


def test_japanese_word_order_comes_from_the_catalogue() -> None:
    with use_language("ja"):
        assert say.rank_first_if("現状維持", [("費用", False, 0.3, 0.5)]) == (
            "費用の重みが30%を下回れば（現在50%）、現状維持が首位となる。")
        assert say.exchange_rate(144.5, "USD", "JPY") == "1ドル＝144.5円"
        assert say.amount_over("9兆円", say.years(10)) == "10年間で9兆円"
        assert say.full_stop("出典") == "出典。"
    assert say.exchange_rate(144.5, "USD", "JPY") == "144.5 JPY per USD"
    assert say.amount_over("JPY 9 trillion", say.years(10)) == "JPY 9 trillion over 10 years"
    assert say.full_stop("Source") == "Source."
    assert say.full_stop("Why?") == "Why?"


def test_list_joiners_differ_by_kind_of_list() -> None:
    risks = [("1", "A", "Delay", "likely", "major"), ("2", "B", "Cost", "rare", "minor")]
    assert say.risk_matrix_caption(risks).endswith(
        "rank: 1 A: Delay (likely, major); 2 B: Cost (rare, minor).")
    with use_language("ja"):
        # statements end one another in Japanese, names in a list are set off by 、
        assert say.risk_matrix_caption(risks).endswith(
            "1 A：Delay（発生可能性：likely、影響：major）。"
            "2 B：Cost（発生可能性：rare、影響：minor）。")
        assert say.timeline_alt([("A", 12), ("B", None)]) == (
            "効果発現までの月数：A：12か月、B：記載なし")


def test_one_month_is_singular_in_english() -> None:
    assert say.timeline("2026", 1) == "Starts: 2026. Effect after about 1 month."
    assert say.timeline("2026", 18) == "Starts: 2026. Effect after about 18 months."
    assert say.timeline("2026", 2.25) == "Starts: 2026. Effect after about 2.2 months."


def test_no_time_to_effect_is_said_as_at_once_not_after_0_months() -> None:
    assert say.timeline("2026", 0) == "Starts: 2026. Effect at once."
    assert say.timeline("2026", 0.04) == "Starts: 2026. Effect at once."
    assert say.months(0) == "immediate"
    assert say.timeline_caption([("A", 0), ("B", 6)], "").startswith(
        "Months from the start of work until each option has effect; A: immediate; B: 6 months")
    with use_language("ja"):
        assert say.timeline("2026", 0) == "開始：2026。直ちに効果。"
        assert say.months(0) == "即時"


def test_no_language_branches_are_left_in_present() -> None:
    # The languages differ in the catalogues only; a branch here would need a third
    # language to edit code again.
    found = [f"{p.name}:{n}" for p in sorted((ROOT / "briefgen" / "present").glob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"""_ja\(|["']ja["']|current_language\(""", line)]
    assert found == []


def test_switching_sentences_name_each_rival_once_with_its_criteria() -> None:
    title = "Expand US LNG imports under long-term contracts"
    switches = [("lng", ("Supply-chain security", False, 0.18, 0.20)),
                ("bau", ("Cost", True, 0.40, 0.35)),
                ("lng", ("Effect on the bilateral surplus", True, 0.18, 0.15)),
                ("lng", ("Speed", True, 0.22, 0.20))]
    lng, bau = say.rank_first_ifs(switches, {"lng": title, "bau": "Status quo"})
    assert lng == (f"{title} would rank first if supply-chain security weighed less than "
                   "18\u00a0% (now 20\u00a0%), effect on the bilateral surplus more than "
                   "18\u00a0% (now 15\u00a0%) or speed more than 22\u00a0% (now 20\u00a0%).")
    assert lng.count(title) == 1
    assert bau == "Status quo would rank first if cost weighed more than 40\u00a0% (now 35\u00a0%)."
    with use_language("ja"):
        lng, _ = say.rank_first_ifs(switches, {"lng": "米国LNG", "bau": "現状維持"})
        assert lng == ("Supply-chain securityの重みが18%を下回れば（現在20%）、"
                       "Effect on the bilateral surplusの重みが18%を上回れば（現在15%）、または"
                       "Speedの重みが22%を上回れば（現在20%）、米国LNGが首位となる。")


def test_compared_numbers_get_the_decimals_that_tell_them_apart() -> None:
    assert say.rank_first_if("A", [("Cost", True, 0.1149, 0.1051)]) == (
        "A would rank first if cost weighed more than 11.5\u00a0% (now 10.5\u00a0%).")
    assert say.rank_first_if("A", [("Cost", True, 0.34, 0.25)]).endswith(
        "34\u00a0% (now 25\u00a0%).")
    assert say.weight_interval(0.196, 0.204) == "19.6\u00a0%–20.4\u00a0%"
    verdict = RangeVerdict("a", 50.06, (("b", 50.09),))
    assert "has 50.06 points, which B (up to 50.09)" in say.range_verdict(
        verdict, {"a": "A", "b": "B"}, has_ranges=True)
    assert say.acceptability(100, "A", 0.404, "B", 0.396).endswith(
        "in 40.4\u00a0% of them; B ranks first more often, in 39.6\u00a0%.")
