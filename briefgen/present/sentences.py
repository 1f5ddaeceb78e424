"""Generated prose about the analysis: one home for each sentence the brief writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefgen.analysis.sensitivity import StabilityInterval
from briefgen.analysis.switching import THRESHOLD, Switch, flagged
from briefgen.language.formatting import current_language, percent


def _in_sentence(name: str) -> str:
    """'Supply-chain security' -> 'supply-chain security'; 'US leverage' stays."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def sentence(switch: Switch, criterion_name: str, option_title: str) -> str:
    """'Alaska LNG would rank first if supply-chain security weighed more than 34 % (now 25 %).'"""
    if current_language() == "ja":  # 供給網の安全保障の重みが34%を上回れば（現在25%）、…
        return (f"{criterion_name}の重みが{percent(switch.at)}を"
                f"{'上回れば' if switch.direction == 'more' else '下回れば'}"
                f"（現在{percent(switch.weight)}）、{option_title}が首位となる。")
    return (f"{option_title} would rank first if {_in_sentence(criterion_name)} weighed "
            f"{switch.direction} than {percent(switch.at)} (now {percent(switch.weight)}).")


def what_would_have_to_be_true(intervals: Sequence[StabilityInterval],
                               criterion_names: Mapping[str, str],
                               option_titles: Mapping[str, str],
                               threshold: float = THRESHOLD) -> list[str]:
    """One sentence per flagged criterion, in the order of the intervals."""
    return [sentence(s, criterion_names[s.criterion], option_titles[s.rival])
            for s in flagged(intervals, threshold)]
