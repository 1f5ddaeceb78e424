"""Generated prose: one home, and one function, for each sentence the brief writes.

Every sentence is a catalogue text with named slots (briefgen.language.labels), keyed
by its English, so the functions here only choose which sentence and fill its slots;
the words and their order in each language are data in briefgen/language/catalogues.
Numbers reach the slots already formatted (briefgen.language.formatting). Where the
English differs by a number (1 month, 2 months) or a direction (more, less), each form
is its own key, because other languages differ there in other ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from briefgen.analysis.sensitivity import RangeVerdict, StabilityInterval
from briefgen.analysis.switching import THRESHOLD, flagged
from briefgen.language.formatting import (
    currency_unit,
    distinct,
    fixed,
    percent,
    percent_pair,
    points,
    scale_number,
)
from briefgen.language.labels import join, joiner, label, phrase

# --- small pieces: amounts, periods, spans ---------------------------------------------


def percentage_points(value: float, digits: int = 0) -> str:
    """'10 percentage points'; Japanese '10ポイント'."""
    return phrase("{value} percentage points", value=fixed(value, digits))


def points_change(value: float) -> str:
    """A change of weight in points, one decimal: '4.2 points'."""
    return phrase("{value} points", value=fixed(value, 1))


def months(value: float) -> str:
    """'12 months', as charts and captions give a time to effect; 'immediate' for 0 (to a
    tenth of a month), not '0 months'."""
    shown = round(value, 1)
    if shown == 0:
        return phrase("immediate")
    return phrase("{months} months", months=scale_number(shown))


def years(value: float) -> str:
    """'10 years': the brief's horizon."""
    return phrase("{years} years", years=scale_number(value))


def amount_with_range(central: str, range_text: str) -> str:
    """'USD 4.5 billion (USD 3–6 billion)'."""
    return phrase("{amount} ({range})", amount=central, range=range_text)


def with_period(amount: str, period: str) -> str:
    """'USD 4.5 billion a year'; ``period`` is 'one-off' or anything else for a year."""
    when = label("one-off" if period == "one-off" else "a year")
    return phrase("{amount} {period}", amount=amount, period=when)


def exchange_rate(rate: float, currency: str, into: str) -> str:
    """'144.5 JPY per USD'; Japanese '1ドル＝144.5円'."""
    return phrase("{rate} {into} per {currency}", rate=f"{rate:,.6g}",
                  currency=currency_unit(currency), into=currency_unit(into))


def rate_on(rate: str, date_text: str) -> str:
    return phrase("{rate}, {date}", rate=rate, date=date_text)


def converted_at(converted: str, rate: str) -> str:
    """The cost note of an option: 'JPY 650 billion at 144.5 JPY per USD, 5 June 2025'."""
    return phrase("{converted} at {rate}", converted=converted, rate=rate)


def total_over(horizon: str, total: str) -> str:
    """The cost note of an option: 'over 10 years: JPY 6.5 trillion'."""
    return phrase("over {horizon}: {total}", horizon=horizon, total=total)


def amount_over(amount: str, horizon: str) -> str:
    """A cost in the packages table: 'JPY 6.5 trillion over 10 years'."""
    return phrase("{amount} over {horizon}", amount=amount, horizon=horizon)


def weight_interval(low: float, high: float) -> str:
    """'12 %–48 %': the weights over which the leader stays first (with a decimal more when
    the two ends would print alike)."""
    low_text, high_text = percent_pair(low, high)
    return phrase("{low}–{high}", low=low_text, high=high_text)


def full_stop(text: str) -> str:
    """``text`` ending as a sentence, in whichever script it ends."""
    if text.endswith((".", "?", "!", "。", "？", "！")):
        return text
    return phrase("{text}.", text=text)


# --- options ---------------------------------------------------------------------------


def timeline(start: str, months_to_effect: float) -> str:
    """'Starts: 2026. Effect after about 18 months.'; 'Effect at once.' when the time to
    effect is 0 (to a tenth of a month), since 'after about 0 months' says nothing true."""
    shown = round(months_to_effect, 1)
    if shown == 0:
        return phrase("Starts: {start}. Effect at once.", start=start)
    key = ("Starts: {start}. Effect after about {months} month." if shown == 1 else
           "Starts: {start}. Effect after about {months} months.")
    return phrase(key, start=start, months=scale_number(shown))


def conflict(option: str, other: str) -> str:
    return phrase("{option} conflicts with {other}: they cannot both be chosen.",
                  option=option, other=other)


def dependency(option: str, other: str, compared: bool) -> str:
    key = ("{option} depends on {other}." if compared else
           "{option} depends on {other}, which this brief does not compare.")
    return phrase(key, option=option, other=other)


# --- robustness ------------------------------------------------------------------------


def _listed(items: Sequence[str], between: str, last: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return joiner(between).join(items[:-1]) + joiner(last) + items[-1]


def all_of(items: Sequence[str]) -> str:
    """'a, b and c': names that go together, joined by the catalogue."""
    return _listed(items, "items", "last item")


def alternatives(items: Sequence[str]) -> str:
    """'a, b or c': conditions of which any one would do, joined by the catalogue."""
    return _listed(items, "alternatives", "last alternative")


Condition = tuple[str, bool, float, float]  # (criterion name, more, at, now)


def rank_first_if(option_title: str, conditions: Sequence[Condition]) -> str:
    """'Alaska LNG would rank first if supply-chain security weighed more than 34 % (now
    25 %), cost less than 10 % (now 15 %) or ...': one sentence per rival, each condition
    a switching value on one criterion (the others rescaled). The one sentence for
    switching values, in the robustness section and in 'What would have to be true'
    alike. Each pair of weights is printed with the decimals that tell them apart."""
    parts = []
    for n, (criterion, more, at, now) in enumerate(conditions):
        at_text, now_text = percent_pair(at, now)
        if n == 0:
            key = ("{criterion:inline} weighed more than {at} (now {now})" if more else
                   "{criterion:inline} weighed less than {at} (now {now})")
        else:
            key = ("{criterion:inline} more than {at} (now {now})" if more else
                   "{criterion:inline} less than {at} (now {now})")
        parts.append(phrase(key, criterion=criterion, at=at_text, now=now_text))
    return phrase("{option} would rank first if {conditions}.", option=option_title,
                  conditions=alternatives(parts))


def rank_first_ifs(switches: Iterable[tuple[str, Condition]],
                   option_titles: Mapping[str, str]) -> list[str]:
    """One sentence per rival, in the order each rival first appears in ``switches``
    ((rival id, condition) pairs, nearest first), its conditions in that order too: a long
    title is written once, not once per criterion."""
    by_rival: dict[str, list[Condition]] = {}
    for rival, condition in switches:
        by_rival.setdefault(rival, []).append(condition)
    return [rank_first_if(option_titles[r], cs) for r, cs in by_rival.items()]


def what_would_have_to_be_true(intervals: Sequence[StabilityInterval],
                               criterion_names: Mapping[str, str],
                               option_titles: Mapping[str, str],
                               threshold: float = THRESHOLD) -> list[str]:
    """One sentence per rival that a flagged criterion would put first, its criteria in
    the order of the intervals."""
    return rank_first_ifs(((s.rival, (criterion_names[s.criterion], s.direction == "more",
                                      s.at, s.weight))
                           for s in flagged(intervals, threshold)), option_titles)


def range_verdict(v: RangeVerdict, titles: Mapping[str, str], has_ranges: bool) -> str:
    """Whether the leader stays first with every score at the end of its range."""
    if not has_ranges:
        return phrase("No score carries a low-high range, so the totals have no range.")
    if v.survives:
        return phrase("{leader} stays first across the score ranges: even with every one of "
                      "its scores at the low end ({low} points) it is ahead of every rival "
                      "with every score at the high end.",
                      leader=titles[v.leader], low=points(v.leader_low))
    # the rivals' highs are compared with the leader's low: enough decimals to tell them apart
    shown = max(distinct(v.leader_low, h, 1) for _, h in v.challengers)
    rivals = join(phrase("{option} (up to {points})", option=titles[o],
                         points=fixed(h, shown)) for o, h in v.challengers)
    return phrase("The top rank does not survive the score ranges: with its scores at the low "
                  "end {leader} has {low} points, which {rivals} could exceed with scores at "
                  "the high end.", leader=titles[v.leader], low=fixed(v.leader_low, shown),
                  rivals=rivals)


def takes_over_below(rival: str | None, at: float) -> str:
    if rival is None:
        return phrase("none: stays first at 0 %")
    return phrase("{option} below {at}", option=rival, at=percent(at))


def takes_over_above(rival: str | None, at: float) -> str:
    if rival is None:
        return phrase("none: stays first at 100 %")
    return phrase("{option} above {at}", option=rival, at=percent(at))


def tied_first(titles: Sequence[str]) -> str:
    """The options tied first at the stated weights: a shift of any one weight that favours
    one of them puts it first alone, so no margin of safety can be quoted."""
    return phrase("{options} are tied first at the stated weights: any change to one "
                  "weight that favours one of them puts it first alone.", options=all_of(titles))


def worked_switch(criterion: str, weight: float, leader: str, leader_rest: float, rival: str,
                  rival_rest: float, leader_value: float, rival_value: float, at: float,
                  above: bool) -> str:
    """One switching value worked through by hand, with every number a reviewer needs."""
    d_r, d_v = leader_rest - rival_rest, leader_value - rival_value
    key = ("Worked example: on {criterion} (stated weight {weight}), R for {leader} is "
           "{leader_rest} and for {rival} {rival_rest}, so ΔR = {d_r}; their values on "
           "{criterion} are {leader_value} and {rival_value}, so Δv = {d_v}; "
           "t* = {d_r} / ({d_r} − ({d_v})) = {at}; above that weight {rival} ranks first."
           if above else
           "Worked example: on {criterion} (stated weight {weight}), R for {leader} is "
           "{leader_rest} and for {rival} {rival_rest}, so ΔR = {d_r}; their values on "
           "{criterion} are {leader_value} and {rival_value}, so Δv = {d_v}; "
           "t* = {d_r} / ({d_r} − ({d_v})) = {at}; below that weight {rival} ranks first.")
    return phrase(key, criterion=criterion, weight=percent(weight, 1), leader=leader,
                  leader_rest=fixed(leader_rest, 2), rival=rival, rival_rest=fixed(rival_rest, 2),
                  d_r=fixed(d_r, 2), leader_value=fixed(leader_value, 2),
                  rival_value=fixed(rival_value, 2), d_v=fixed(d_v, 2), at=percent(at, 1))


def acceptability(draws: int, leader: str, leader_share: float, most_often: str | None,
                  most_often_share: float) -> str:
    """How often the leader ranks first over random weightings, and who does more often."""
    if most_often is None:
        return phrase("Over {draws} random weightings, {leader} ranks first in {share} of them.",
                      draws=f"{draws:,}", leader=leader, share=percent(leader_share))
    share, other_share = percent_pair(leader_share, most_often_share)
    return phrase("Over {draws} random weightings, {leader} ranks first in {share} of them; "
                  "{other} ranks first more often, in {other_share}.",
                  draws=f"{draws:,}", leader=leader, share=share,
                  other=most_often, other_share=other_share)


def weights_drawn(uniform: bool, concentration: float) -> str:
    if uniform:
        return phrase("uniform over all weightings that sum to 100 %")
    return phrase("Dirichlet around the stated weights, concentration {concentration}",
                  concentration=scale_number(concentration))


def scores_drawn(within_ranges: bool) -> str:
    return phrase("each score drawn uniformly within its low-high range" if within_ranges
                  else "scores fixed at their central values")


# --- charts: alt text and captions -----------------------------------------------------


def charted_rows(shown: int, count: int) -> str:
    """Appended to a caption when the chart leaves options out; empty when it shows all."""
    if count <= shown:
        return ""
    return phrase(" The {shown} highest-ranked of {count} options are shown.", shown=shown,
                  count=count)


def totals_alt(totals: Sequence[tuple[str, float]]) -> str:
    return phrase("Weighted totals: {totals}", totals=join(
        (phrase("{option} {total}", option=o, total=points(t)) for o, t in totals), "entries"))


def totals_caption(shown: str) -> str:
    return phrase("Weighted totals, stacked by each criterion's points, with the range from "
                  "every score at its low end to every score at its high end. The numbers are "
                  "in the comparison matrix.{shown}", shown=shown)


def stability_alt(leader: str, ranges: Sequence[tuple[str, float, float]]) -> str:
    return phrase("Weight ranges over which {leader} stays first: {ranges}", leader=leader,
                  ranges=join((phrase("{criterion} {low} to {high}", criterion=c,
                                      low=percent(lo), high=percent(hi))
                               for c, lo, hi in ranges), "entries"))


def stability_caption(leader: str) -> str:
    return phrase("Bars: the range of each criterion's weight over which {leader} stays first, "
                  "the other weights rescaled in proportion; the named option takes over beyond "
                  "each end. The numbers are in the table below.", leader=leader)


def acceptability_alt(shares: Sequence[tuple[str, float]]) -> str:
    return phrase("Share of weightings in which each option ranks first: {shares}",
                  shares=join((phrase("{option} {share}", option=o, share=percent(s))
                               for o, s in shares), "entries"))


def acceptability_caption(draws: int, seed: int, shown: str) -> str:
    return phrase("Rank acceptability over {draws} random weightings (seed {seed}). The "
                  "numbers are in the table below.{shown}", draws=f"{draws:,}", seed=seed,
                  shown=shown)


def _months_or_not_given(value: float | None) -> str:
    return months(value) if value is not None else phrase("not given")


def timeline_alt(times: Sequence[tuple[str, float | None]]) -> str:
    return phrase("Months to effect: {times}", times=join(
        (phrase("{option} {months}", option=o, months=_months_or_not_given(m))
         for o, m in times), "entries"))


def timeline_caption(times: Sequence[tuple[str, float | None]], shown: str) -> str:
    return phrase("Months from the start of work until each option has effect; {times}."
                  "{shown}", shown=shown, times=join(
                      (phrase("{option}: {months}", option=o, months=_months_or_not_given(m))
                       for o, m in times), "entries"))


def risk_matrix_alt(count: int) -> str:
    return phrase("Risk matrix with {count} risks", count=count)


def risk_matrix_caption(risks: Sequence[tuple[str, str, str, str, str]]) -> str:
    """``risks``: (option rank as printed, '1=' when tied; option title, risk, likelihood,
    impact), the last two as labels."""
    return phrase("Each risk as a numbered marker, the number being the option's rank: "
                  "{risks}.", risks=join(
                      (phrase("{rank} {option}: {risk} ({likelihood}, {impact})", rank=n,
                              option=o, risk=r, likelihood=li, impact=im)
                       for n, o, r, li, im in risks), "statements"))


# --- editions (issue 16) ----------------------------------------------------------------


def edition_recomputed(level: str) -> str:
    """The method note of an edition that ranks on its released scores only."""
    return phrase("This edition ranks the options on the scores released at {level} only; "
                  "scores above that level are marked withheld and count as not scored, so "
                  "its totals and ranks differ from the full brief's.", level=level)


def edition_withheld(level: str) -> str:
    """The method note of an edition that withholds the figures resting on withheld parts."""
    return phrase("Some scores or criteria of this brief are above {level}. The figures "
                  "computed from them (totals, points, ranks, charts, robustness findings "
                  "and package totals) are marked withheld or left out, and the options are "
                  "listed in the brief's order; every figure shown is the full brief's.",
                  level=level)
