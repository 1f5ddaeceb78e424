"""Stage 4a: turn validated models and analysis results into what templates show.

Every number is formatted and every cross-reference resolved here, so the
templates only lay things out: no arithmetic or lookups in Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.analysis.scores import Analysis, Cell, OptionResult, analyse
from briefgen.analysis.sensitivity import analyse_sensitivity
from briefgen.inputs.models import (
    IMPACTS,
    LIKELIHOODS,
    Brief,
    Criterion,
    Option,
    OrdinalScale,
    Risk,
    Source,
)
from briefgen.inputs.workspace import InputDigest, Workspace
from briefgen.language.formatting import (
    long_date,
    money,
    money_range,
    percent,
    points,
    scale_number,
    use_language,
)
from briefgen.language.labels import label
from briefgen.present import sentences as say
from briefgen.present.columns import Widths, fitted, widths
from briefgen.present.findings import ExtrasView, extras

if TYPE_CHECKING:
    from briefgen.present.record import RecordView

STATUS_LABELS = {"draft": "Draft", "proposed": "Proposed", "agreed": "Agreed",
                 "rejected": "Rejected"}


@dataclass(frozen=True)
class CriterionView:
    id: str
    name: str
    description: str
    weight: float
    weight_text: str | None  # None: withheld in an edition (present.editions)
    direction: str
    direction_text: str
    scale_text: str
    unit: str | None
    labels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CellView:
    criterion: CriterionView
    # None, here and below: a figure an edition withholds (present.editions); templates
    # print the neutral Withheld mark for it.
    text: str | None  # the score as given ("4", "12 months") or "not scored"
    number_text: str | None  # the score without its unit, for the matrix ("12")
    range_text: str | None
    value_text: str | None  # 0-100
    contribution_text: str | None
    scored: bool
    rationale: str | None
    reason: str | None  # why not scored
    source_numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class RiskView:
    risk: str
    likelihood: str
    impact: str
    likelihood_level: int  # 1-5
    impact_level: int
    rating: str  # low, medium, high
    mitigation: str


@dataclass(frozen=True)
class OptionRef:
    id: str
    title: str
    anchor: str
    included: bool


@dataclass(frozen=True)
class OptionView:
    option: Option
    result: OptionResult
    anchor: str
    rank: int | None  # None, and total_text None: withheld in an edition
    total_text: str | None
    total_range_text: str | None
    cells: tuple[CellView, ...]
    cost_text: str | None
    timeline_text: str | None
    risks: tuple[RiskView, ...]
    depends_on: tuple[OptionRef, ...]
    conflicts_with: tuple[OptionRef, ...]
    source_numbers: tuple[int, ...]
    is_baseline: bool
    is_recommended: bool
    status_text: str
    tied_with: tuple[str, ...]
    cost_note: str | None = None  # converted to the brief's currency, total over the horizon

    @property
    def rank_text(self) -> str | None:
        """The rank as every table prints it: '1=' when tied (standard competition ranks)."""
        if self.rank is None:
            return None
        return f"{self.rank}=" if self.tied_with else str(self.rank)

    @property
    def heading_rank(self) -> str | None:
        """The rank before the option's title in a heading: '2.', or '1=' (not '1=.')."""
        if self.rank_text is None:
            return None
        return self.rank_text if self.tied_with else f"{self.rank_text}."


@dataclass(frozen=True)
class SourceView:
    number: int
    anchor: str
    source: Source
    title: str  # each ends as a sentence, so templates need not add punctuation
    publisher: str
    note: str | None


@dataclass(frozen=True)
class BriefView:
    brief: Brief
    date_text: str
    criteria: tuple[CriterionView, ...]
    options: tuple[OptionView, ...]  # ranked, best first
    baseline: OptionView
    recommended: OptionView | None
    recommended_title: str | None  # the recommended option's or package's title
    leader: OptionView
    sources: tuple[SourceView, ...]
    brief_source_numbers: tuple[int, ...]
    interactions: tuple[str, ...]
    not_scored_count: int
    generator: str = field(default=f"briefgen {__version__}")
    extras: ExtrasView | None = None  # robustness, money, packages, charts
    record: RecordView | None = None  # stage, short list, decision record (issue 8)
    language: str = "en"  # of the labels and formats: the brief's, or --lang
    edition_note: str | None = None  # an edition's own method note (present.editions)
    # An edition withholds the ranking (present.editions): no rank, leader, robustness,
    # switching or chart, and the options in the brief's order.
    ranking_withheld: bool = False

    @property
    def by_id(self) -> dict[str, OptionView]:
        return {v.option.id: v for v in self.options}

    @property
    def top_risks(self) -> tuple[tuple[OptionView, RiskView], ...]:
        """Every option's risks, gravest first (likelihood x impact), then by option rank."""
        pairs = [(v, r) for v in self.options for r in v.risks]
        pairs.sort(key=lambda p: (-p[1].likelihood_level * p[1].impact_level,
                                  -p[1].impact_level, self.options.index(p[0])))
        return tuple(pairs)

    @property
    def matrix_widths(self) -> Widths:
        """The comparison matrix's columns: rank, option, one per criterion, total."""
        withheld = [label("Withheld")] if any(v.rank is None or v.total_text is None
                                              for v in self.options) else []
        rank = fitted([label("Rank"), *(v.rank_text or "" for v in self.options), *withheld])
        total = fitted([label("Weighted total"), *(v.total_text or "" for v in self.options),
                        *withheld])
        heads = [f"{c.name} ({c.unit})" if c.unit else c.name for c in self.criteria]
        return widths([v.option.title for v in self.options], heads, lead=(rank,),
                      trail=(total,))

    @property
    def bluf(self) -> str | None:
        """The brief's bottom line up front, where the brief model has one (Markdown)."""
        value = getattr(self.brief, "bluf", None)
        return value if isinstance(value, str) and value.strip() else None


def weight_digits(analysis: Analysis, most: int = 2) -> int:
    """The fewest decimals at which the weights are printed, so that the method note's
    worked example (the leader's values times the printed weights) adds up to the printed
    total: 37.5 % printed as 38 % made 75.0 points read 75.4 by hand."""
    lead = analysis.leader
    shown = round(lead.total, 1)
    for digits in range(most + 1):
        # With the values as printed (one decimal): a sum of rounded figures may miss the
        # total by a rounding of its own, 0.05 points, and no more.
        redone = sum(round(cell.value or 0.0, 1) * round(100 * analysis.weights[c], digits)
                     / 100 for c, cell in lead.cells.items())
        if abs(redone - shown) <= 0.1:
            return digits
    return most


def _criterion_view(c: Criterion, weight: float, digits: int = 0) -> CriterionView:
    if isinstance(c.scale, OrdinalScale):
        scale_text = f"{c.scale.min}–{c.scale.max} {label('points')}"
        labels = tuple((str(p), c.scale.labels[p]) for p in sorted(c.scale.labels))
        unit = None
    else:
        unit = c.scale.unit
        scale_text = f"{scale_number(c.scale.min)}–{scale_number(c.scale.max)} {c.scale.unit}"
        labels = ()
    direction_text = label("higher is better" if c.direction == "benefit" else "lower is better")
    return CriterionView(c.id, c.name, c.description, weight, percent(weight, digits),
                         c.direction,
                         direction_text, scale_text, unit, labels)


def _raw_text(value: float, criterion: Criterion) -> str:
    text = scale_number(value)
    return text if isinstance(criterion.scale, OrdinalScale) else f"{text} {criterion.scale.unit}"


def _cell_view(cell: Cell, criterion: Criterion, view: CriterionView, option: Option) -> CellView:
    score = option.scores.get(criterion.id)
    if cell.raw is None:
        reason = score.not_scored if score is not None and score.not_scored else cell.not_scored
        return CellView(view, label("not scored"), "n/s", None, "–", "0.0", False, None, reason)
    assert score is not None
    range_text = None
    if score.low is not None or score.high is not None:
        lo = score.low if score.low is not None else score.value
        hi = score.high if score.high is not None else score.value
        range_text = f"{scale_number(lo)}–{scale_number(hi)}"  # type: ignore[arg-type]
    return CellView(view, _raw_text(cell.raw, criterion), scale_number(cell.raw), range_text,
                    points(cell.value or 0.0), points(cell.contribution), True,
                    score.rationale, None)


def _risk_view(risk: Risk) -> RiskView:
    li = LIKELIHOODS.index(risk.likelihood) + 1
    im = IMPACTS.index(risk.impact) + 1
    product = li * im
    rating = "high" if product >= 12 else "medium" if product >= 5 else "low"
    return RiskView(risk.risk, label(risk.likelihood.replace("-", " ")), label(risk.impact), li,
                    im, rating,
                    risk.mitigation)


def _cost_text(option: Option) -> str | None:
    cost = option.cost
    if cost is None:
        return None
    if cost.amount is not None:
        text = money(cost.amount, cost.currency)
        if cost.low is not None and cost.high is not None:
            text = say.amount_with_range(text, money_range(cost.low, cost.high, cost.currency))
    else:
        text = money_range(cost.low, cost.high, cost.currency)  # type: ignore[arg-type]
    return say.with_period(text, cost.period)


def _timeline_text(option: Option) -> str | None:
    timeline = option.timeline
    if timeline is None:
        return None
    return say.timeline(timeline.start, timeline.months_to_effect)


def _source_key(s: Source) -> tuple[str, str | None]:
    return (s.title.casefold(), s.url)


def present(ws: Workspace, brief: Brief, analysis: Analysis | None = None,
            draw_charts: bool = True, inputs: InputDigest | None = None,
            lang: str | None = None) -> BriefView:
    """Everything the templates need for one brief; ``inputs`` is the digest of its files,
    computed by the caller (present reads no files).

    ``lang`` (``--lang``) chooses the text of bilingual fields and the labels and formats;
    by default the brief's own ``language``. The texts are resolved first, so everything
    below sees plain strings, and formatting follows the language inside this call only.
    """
    from briefgen.inputs.localize import brief_language, localize

    language = brief_language(brief, lang)
    ws = ws.localized(language)
    brief = localize(brief, language)
    with use_language(language):
        view = _present(ws, brief, analysis, draw_charts, inputs)
    return replace(view, language=language)


def _present(ws: Workspace, brief: Brief, analysis: Analysis | None,
             draw_charts: bool, inputs: InputDigest | None) -> BriefView:
    from briefgen.present.record import present_record

    options = [ws.options[i] for i in ws.option_ids(brief)]
    analysis = analysis or analyse(brief, options)
    # The stability intervals feed both the robustness section and the decision record.
    intervals = analyse_sensitivity(analysis)
    more = extras(brief, options, analysis, ws.options, draw_charts, intervals)
    digits = weight_digits(analysis)
    criteria = [_criterion_view(c, analysis.weights[c.id], digits) for c in brief.criteria]

    numbers: dict[tuple[str, str | None], int] = {}
    sources: list[SourceView] = []

    def number(s: Source) -> int:
        key = _source_key(s)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            publisher = s.publisher + (f", {s.date}" if s.date else "")
            sources.append(SourceView(numbers[key], f"source-{numbers[key]}", s,
                                      say.full_stop(s.title), say.full_stop(publisher),
                                      say.full_stop(s.note) if s.note else None))
        return numbers[key]

    brief_numbers = tuple(number(s) for s in brief.sources)
    included = set(ws.option_ids(brief))

    def ref(ident: str) -> OptionRef:
        title = ws.options[ident].title if ident in ws.options else ident
        return OptionRef(ident, title, f"option-{ident}", ident in included)

    views = []
    for result in analysis.ranking:
        option = ws.options[result.option]
        by_source_id = {s.id: s for s in (*brief.sources, *option.sources) if s.id}
        cells = tuple(
            replace(_cell_view(result.cells[c.id], c, v, option), source_numbers=tuple(
                number(by_source_id[sid]) for sid in option.scores[c.id].sources
                if sid in by_source_id) if c.id in option.scores else ())
            for c, v in zip(brief.criteria, criteria, strict=True))
        total_range = None
        if abs(result.total_high - result.total_low) > 1e-9:
            total_range = f"{points(result.total_low)}–{points(result.total_high)}"
        rec = brief.recommendation
        views.append(OptionView(
            option=option, result=result, anchor=f"option-{option.id}", rank=result.rank,
            total_text=points(result.total), total_range_text=total_range, cells=cells,
            cost_text=_cost_text(option), timeline_text=_timeline_text(option),
            risks=tuple(_risk_view(r) for r in option.risks),
            depends_on=tuple(ref(i) for i in option.relations.depends_on),
            conflicts_with=tuple(ref(i) for i in option.relations.conflicts_with),
            source_numbers=tuple(number(s) for s in option.sources),
            is_baseline=option.id == brief.baseline,
            is_recommended=rec is not None and rec.option == option.id,
            status_text=label(STATUS_LABELS[option.status]),
            tied_with=tuple(ws.options[t].title for t in result.tied_with),
            cost_note=more.money.cost_notes.get(option.id),
        ))
    by_id = {v.option.id: v for v in views}

    interactions: list[str] = []
    seen_pairs: set[frozenset[str]] = set()
    for v in views:
        for other in v.conflicts_with:
            pair = frozenset((v.option.id, other.id))
            if other.included and pair not in seen_pairs:
                seen_pairs.add(pair)
                interactions.append(say.conflict(v.option.title, other.title))
        for dep in v.depends_on:
            interactions.append(say.dependency(v.option.title, dep.title, dep.included))

    rec_view = None
    rec_title = None
    if brief.recommendation and brief.recommendation.option:
        rec_id = brief.recommendation.option
        rec_view = by_id.get(rec_id)
        package = next((p for p in brief.packages if p.id == rec_id), None)
        rec_title = rec_view.option.title if rec_view else package.title if package else None
    return BriefView(
        brief=brief,
        date_text=long_date(brief.date),
        criteria=tuple(criteria),
        options=tuple(views),
        baseline=by_id[brief.baseline],
        recommended=rec_view,
        recommended_title=rec_title,
        leader=views[0],
        sources=tuple(sources),
        brief_source_numbers=brief_numbers,
        interactions=tuple(interactions),
        not_scored_count=sum(not c.scored for v in views for c in v.cells),
        extras=more,
        record=present_record(ws, brief, analysis, inputs, intervals),
    )
