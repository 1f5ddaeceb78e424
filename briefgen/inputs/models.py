"""Stage 2, validate: the pydantic models of option and brief files.

These models are the single source of truth for what a file may hold: the
validation, the JSON Schema for editors (``briefgen schema``) and the field
reference in docs/ are all generated from them. Every field therefore carries a
description and an example.

Unknown keys are errors everywhere (``extra="forbid"``): a misspelt key must
never vanish silently. Numbers are strict (the text ``"3"`` is not a number).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from briefgen.inputs.choices import Language

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(description="Lower-case letters, digits, '-' and '_'; starts and ends with a letter "
                      "or digit.", examples=["alaska-lng"]),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300,
                                           pattern=r"^[^\n]*$")]
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000),
                     Field(json_schema_extra={"contentMediaType": "text/markdown"})]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
# A sum of money in units of a currency: a quintillion is past any budget in any unit
# (Viet Nam's, in dong, is about 2e15); beyond it a typo (1e300) made "JPY inf trillion".
Amount = Annotated[float, Strict(), Field(ge=0, le=1e18, allow_inf_nan=False)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _iso_date(value: Any) -> Any:
    # YAML 1.2 leaves 2025-06-05 as text; only that exact shape is accepted, so
    # 05/06/2025 or a Unix timestamp never turns into a date by accident.
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
    raise ValueError("expected an ISO date written YYYY-MM-DD")


ISODate = Annotated[
    date,
    BeforeValidator(_iso_date),
    Field(json_schema_extra={"type": "string", "format": "date"}, examples=["2025-06-05"]),
]


def _partial_date(value: str) -> str:
    if not _PARTIAL_DATE.match(value):
        raise ValueError("expected a date written YYYY, YYYY-MM or YYYY-MM-DD")
    # The pattern checks the shape; the calendar checks the month and the day.
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None
    return value


PartialDate = Annotated[str, AfterValidator(_partial_date)]


@cache
def known_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _currency(value: str) -> str:
    if value not in known_currencies():
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    AfterValidator(_currency),
    Field(description="ISO 4217 currency code.", examples=["USD", "JPY"]),
]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError("expected an http:// or https:// address")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=False)


# --- bilingual text (issue 5, item 7) -------------------------------------------

LANGUAGES: tuple[Language, ...] = ("en", "ja")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ja": "Japanese"}


class Bilingual(StrictModel):
    """The same text in English and Japanese; the brief prints one of them.

    Subclasses fix the kind of text (one line, prose, Markdown); the build picks
    a language with ``pick`` before anything is presented (briefgen.inputs.localize).
    """

    en: Any = None
    ja: Any = None

    @model_validator(mode="after")
    def _some_language(self) -> Bilingual:
        if self.en is None and self.ja is None:
            raise ValueError("give the text in at least one language: en or ja")
        return self

    def pick(self, lang: str) -> str:
        """The text in ``lang``, else in the other language (so nothing prints empty)."""
        first: str | None = getattr(self, lang, None)
        if first is not None:
            return first
        fallback: str = next(getattr(self, o) for o in LANGUAGES if getattr(self, o))
        return fallback

    def __str__(self) -> str:  # messages and `briefgen list` before a language is chosen
        return self.pick("en")


class BilingualLine(Bilingual):
    """One line of text in English and Japanese."""

    en: OneLine | None = Field(None, description="The text in English.",
                               examples=["Support Alaska LNG development"])
    ja: OneLine | None = Field(None, description="The text in Japanese.",
                               examples=["アラスカLNG開発の支援"])


class BilingualText(Bilingual):
    """Plain text in English and Japanese."""

    en: Text | None = Field(None, description="The text in English.",
                            examples=["Sign a memorandum on offtake"])
    ja: Text | None = Field(None, description="The text in Japanese.",
                            examples=["引き取りに関する覚書に署名する"])


class BilingualMarkdown(Bilingual):
    """Markdown in English and Japanese."""

    en: Markdown | None = Field(None, description="The text in English (Markdown).",
                                examples=["Washington raised car tariffs to **25 %** in April."])
    ja: Markdown | None = Field(None, description="The text in Japanese (Markdown).",
                                examples=["米国は4月に自動車関税を**25%**に引き上げた。"])


def _text_or_mapping(value: Any) -> str:
    return "bilingual" if isinstance(value, dict | Bilingual) else "text"


def _localized(inner: Any, model: type[Bilingual], description: str) -> Any:
    # A tagged union chosen by the value's shape, so a mistake is reported once, against
    # the shape the author wrote (text, or a mapping of languages), not against both.
    return Annotated[
        Annotated[inner, Tag("text")] | Annotated[model, Tag("bilingual")],
        Discriminator(_text_or_mapping),
        Field(description=description),
    ]


_EITHER = " Either text, or a mapping with the text in each language: {en: ..., ja: ...}."
if TYPE_CHECKING:
    # To the type checker a text field is text. Everything past stage 3b reads localized
    # models, where every Bilingual has become the chosen language's string; before that
    # only briefgen.inputs (localize, validate) looks for a Bilingual, and reads the value
    # as Any. A Bilingual read as text before localize prints its English (__str__).
    LocalLine = str
    LocalText = str
    LocalMarkdown = str
else:
    LocalLine = _localized(OneLine, BilingualLine, "One line of text." + _EITHER)
    LocalText = _localized(Text, BilingualText, "Text." + _EITHER)
    LocalMarkdown = _localized(Markdown, BilingualMarkdown, "Markdown." + _EITHER)


# --- handling levels and editions (issue 16) ---------------------------------------

LevelName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"^[^\n]*$"),
    Field(description="A handling level declared in the brief's levels.",
          examples=["CONFIDENTIAL"]),
]
# A field of a file, written as briefgen prints it in messages: cost.basis, benefits[2],
# scores.tariff_leverage, recommendation.text.
FIELD_PATH_PATTERN = r"^[a-z_][a-z0-9_-]*(\[\d+\]|\.[a-z0-9_-]+)*$"
MarkedPath = Annotated[str, StringConstraints(pattern=FIELD_PATH_PATTERN)]


class Marked(StrictModel):
    """What can carry a handling level and audience tags (issue 16).

    Both are excluded from model_dump: they steer which edition shows a portion, and are
    never content of the brief, so the JSON export of a brief stays as it was.
    """

    level: LevelName | None = Field(
        None, exclude=True,
        description="Handling level of this part (one of the brief's levels). Unmarked, it "
                    "has the level of what holds it; a mark can only raise it.",
        examples=["CONFIDENTIAL"])
    tags: list[Slug] = Field(
        default_factory=list, exclude=True,
        description="Audience tags: an edition that excludes one of them leaves this part out.",
        examples=[["internal"]])


class FieldLevels(StrictModel):
    """Mixin: the levels of fields that hold plain values (text, lists of text)."""

    field_levels: dict[MarkedPath, LevelName] = Field(
        default_factory=dict, exclude=True,
        description="Handling levels of single fields or list items of this file, by field "
                    "path: description, cost.basis, benefits[2], scores.tariff_leverage.",
        examples=[{"cost.basis": "CONFIDENTIAL", "benefits[2]": "CONFIDENTIAL"}])


class Level(StrictModel):
    """A handling level with the portion mark printed before marked paragraphs."""

    name: LevelName = Field(description="The level's name.", examples=["OFFICIAL-SENSITIVE"])
    mark: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=12, pattern=r"^[^\n()]*$")] = Field(
        description="Its portion mark, printed as (OS) at the start of marked paragraphs in "
                    "an edition with portion_marks.", examples=["OS"])


class Edition(StrictModel):
    """One version of the brief for a wider or different audience, built from the same files."""

    name: Slug = Field(description="Names the files: BRIEF.NAME.pdf and so on.",
                       examples=["official"])
    level: LevelName = Field(
        description="The highest handling level the edition may show; every part above it "
                    "is left out, and the build fails if any of its text is found in an output.",
        examples=["OFFICIAL"])
    include: list[Slug] = Field(
        default_factory=list,
        description="Audience tags: when given, only options carrying one of them are compared "
                    "(the baseline always is).", examples=[["press"]])
    exclude: list[Slug] = Field(
        default_factory=list, description="Audience tags: options and parts carrying one of "
                                          "them are left out.", examples=[["internal"]])
    template: Slug = Field(
        "brief", description="brief, memo, or the name of a template of the workspace "
                             "(templates/NAME.html.j2, and NAME.md.j2 for Markdown).",
        examples=["press-lines"])
    marking: LocalLine | None = Field(
        None, description="Marking printed on every page; by default the edition's level.",
        examples=["OFFICIAL"])
    recompute: bool = Field(
        False, description="When totals, ranks and charts rest on parts above the level: "
                           "false withholds them; true ranks on the released scores only, and "
                           "the method note says so.", examples=[True])
    portion_marks: bool = Field(
        False, description="Print each level's mark, (O), at the start of marked paragraphs.",
        examples=[True])


# --- shared -----------------------------------------------------------------


class Source(Marked):
    """A document the option or brief rests on."""

    id: Slug | None = Field(
        None, description="Short id so scores can cite this source.", examples=["cna-2025-06-05"])
    title: OneLine = Field(description="Title of the document.",
                           examples=["Japan weighs joint response plan with US against China"])
    publisher: OneLine = Field(description="Who published it.",
                               examples=["Central News Agency (citing Nikkei)"])
    date: PartialDate | None = Field(
        None, description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
        examples=["2025-06-05"])
    url: HttpUrl | None = Field(None, description="Where to read it (http or https).",
                                examples=["https://www.cna.com.tw/"])
    note: OneLine | None = Field(None, description="What the source supports.",
                                 examples=["Translated news report"])


# --- decision record (issue 8) ---------------------------------------------------

OptionKind = Literal["business-as-usual", "do-minimum", "option"]
Stance = Literal["supports", "opposes", "neutral"]
ContributionLevel = Literal["meets", "partly", "does-not-meet"]
BriefStatus = Literal["draft", "consultation", "final", "decided", "superseded"]
DecisionOutcome = Literal["approved", "disapproved", "deferred"]
# Statuses under which a brief is still a draft and carries the DRAFT watermark.
DRAFT_STATUSES: tuple[BriefStatus, ...] = ("draft", "consultation")

# A bottom line up front fits in four lines of print: at most four non-empty
# lines of text, and at most four print lines' worth of characters in all.
BLUF_MAX_LINES = 4
BLUF_LINE_CHARS = 110
BLUF_MAX_CHARS = BLUF_MAX_LINES * BLUF_LINE_CHARS


def bluf_lines(text: str) -> list[str]:
    """The BLUF's lines: the non-empty lines of the text, each stripped of spaces."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _bluf(value: str) -> str:
    lines = bluf_lines(value)
    chars = sum(len(line) for line in lines)
    rule = (f"a BLUF has at most {BLUF_MAX_LINES} lines (non-empty lines of text) and at most "
            f"{BLUF_MAX_CHARS} characters in all ({BLUF_MAX_LINES} x {BLUF_LINE_CHARS}, "
            "line breaks not counted)")
    if len(lines) > BLUF_MAX_LINES:
        raise ValueError(f"bottom line up front is {len(lines)} lines long: {rule}")
    if chars > BLUF_MAX_CHARS:
        raise ValueError(f"bottom line up front is {chars} characters long: {rule}")
    return value


Bluf = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                 AfterValidator(_bluf)]


class BilingualBluf(Bilingual):
    """A bottom line up front in English and Japanese; each within the BLUF's limits."""

    en: Bluf | None = Field(None, description="The BLUF in English.",
                            examples=["Table the rare-earth plan first."])
    ja: Bluf | None = Field(None, description="The BLUF in Japanese.",
                            examples=["レアアース計画を最初に提示する。"])


if TYPE_CHECKING:
    LocalBluf = str  # text to the type checker, as LocalLine above
else:
    LocalBluf = _localized(Bluf, BilingualBluf, "Bottom line up front." + _EITHER)
Version = Annotated[
    str,
    StringConstraints(pattern=r"^\d+(\.\d+){0,2}$"),
    Field(description="Version number, written in quotes: '1', '1.2' or '1.2.3'.",
          examples=["1.2"]),
]


# --- option files -------------------------------------------------------------

OptionStatus = Literal["draft", "proposed", "agreed", "rejected"]
Likelihood = Literal["rare", "unlikely", "possible", "likely", "almost-certain"]
Impact = Literal["minimal", "minor", "moderate", "major", "severe"]
LIKELIHOODS: tuple[Likelihood, ...] = ("rare", "unlikely", "possible", "likely", "almost-certain")
IMPACTS: tuple[Impact, ...] = ("minimal", "minor", "moderate", "major", "severe")


class Cost(StrictModel):
    """What the option costs: a single amount or a low-high range."""

    amount: Amount | None = Field(
        None, description="Central estimate, in units of the currency (not thousands or "
                          "millions).", examples=[4_500_000_000])
    low: Amount | None = Field(None, description="Low end of the range.",
                               examples=[2_000_000_000])
    high: Amount | None = Field(None, description="High end of the range.",
                                examples=[6_000_000_000])
    currency: Currency
    period: Literal["one-off", "per-year"] = Field(
        description="Whether the amount is paid once or every year.", examples=["one-off"])
    basis: LocalText = Field(description="How the figure was reached.",
                        examples=["Analysts' estimate from announced purchase plans"])

    @model_validator(mode="after")
    def _amount_or_range(self) -> Cost:
        if self.amount is None and (self.low is None or self.high is None):
            raise ValueError("give an amount, or both low and high")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is greater than high ({self.high:g})")
        if self.amount is not None and self.low is not None and self.high is not None \
                and not self.low <= self.amount <= self.high:
            raise ValueError(f"amount ({self.amount:g}) lies outside low-high "
                             f"({self.low:g}-{self.high:g})")
        return self


class Timeline(StrictModel):
    """When the option starts and how long until it has effect."""

    start: LocalLine = Field(description="When work starts: a date or a phrase.",
                           examples=["On agreement at the fifth round", "2025-07"])
    months_to_effect: NonNegative = Field(
        description="Months from the start until the effect is felt.", examples=[6])
    note: LocalLine | None = Field(None, description="Anything that shifts the timeline.",
                                 examples=["Depends on a final investment decision"])


class Risk(Marked):
    """A risk, rated on the five-point likelihood and impact scales."""

    risk: LocalLine = Field(description="What could go wrong.",
                          examples=["China widens its export controls in response"])
    likelihood: Likelihood = Field(description="rare, unlikely, possible, likely or "
                                               "almost-certain.", examples=["possible"])
    impact: Impact = Field(description="minimal, minor, moderate, major or severe.",
                           examples=["major"])
    mitigation: LocalText = Field(description="What reduces the likelihood or the impact.",
                             examples=["Stockpile the most exposed elements first"])


class Score(Marked):
    """An option's value on one criterion, in the criterion's scale."""

    value: Number | None = Field(None, description="The score on the criterion's scale.",
                                 examples=[4])
    low: Number | None = Field(
        None, description="Lowest plausible value (for a cost criterion, the better end).",
        examples=[3])
    high: Number | None = Field(
        None, description="Highest plausible value (for a cost criterion, the worse end).",
        examples=[5])
    rationale: LocalText | None = Field(
        None, description="Why this score: the evidence and the judgement.",
        examples=["Directly answers the cooperation Washington asked for in May"])
    not_scored: LocalText | None = Field(
        None, description="Instead of a value: why the option is not scored on this criterion. "
                          "The brief shows it as 'not scored'.",
        examples=["No estimate available yet"])
    sources: list[Slug] = Field(default_factory=list,
                                description="Ids of the sources this score rests on.",
                                examples=[["cna-2025-06-05"]])

    @model_validator(mode="after")
    def _value_or_reason(self) -> Score:
        if self.value is None and self.not_scored is None:
            raise ValueError("give a value, or not_scored with the reason")
        if self.value is not None and self.not_scored is not None:
            raise ValueError("give a value or not_scored, not both")
        if self.value is None and (self.low is not None or self.high is not None):
            raise ValueError("low and high need a value")
        if self.low is not None and self.value is not None and self.low > self.value:
            raise ValueError(f"low ({self.low:g}) is greater than value ({self.value:g})")
        if self.high is not None and self.value is not None and self.high < self.value:
            raise ValueError(f"high ({self.high:g}) is less than value ({self.value:g})")
        return self

    @property
    def scored(self) -> bool:
        return self.value is not None


class Relations(StrictModel):
    """How the option interacts with other options, by id."""

    depends_on: list[Slug] = Field(default_factory=list,
                                   description="Options this one needs in place.",
                                   examples=[["rare-earth-plan"]])
    conflicts_with: list[Slug] = Field(default_factory=list,
                                       description="Options that cannot go together with it.",
                                       examples=[["status-quo"]])


class Position(Marked):
    """Where a ministry, agency or industry body stands on an option."""

    stakeholder: LocalLine = Field(description="Who holds the position.",
                                 examples=["Ministry of Foreign Affairs"])
    stance: Stance = Field(description="supports, opposes or neutral.", examples=["supports"])
    note: LocalLine | None = Field(None, description="Why, or on what condition.",
                                 examples=["Provided the offer stays within WTO rules"])


class ObjectiveContribution(StrictModel):
    """How far an option is expected to meet one of the brief's objectives."""

    contribution: ContributionLevel = Field(
        description="meets (reaches the threshold), partly or does-not-meet.",
        examples=["meets"])
    note: LocalLine | None = Field(None, description="Why this assessment.",
                                 examples=["Covers cars but not parts"])


class Option(FieldLevels, Marked):
    """One policy option: a file options/<id>.yaml."""

    id: Slug = Field(description="Matches the file name without .yaml.", examples=["alaska-lng"])
    title: LocalLine = Field(description="Short name of the option.",
                           examples=["Support Alaska LNG development"])
    summary: LocalLine = Field(description="One sentence: what the option would do.",
                             examples=["Finance and offtake for Alaska LNG."])
    description: LocalMarkdown = Field(description="The option in full (Markdown).",
                                  examples=["Japan would **commit offtake** ..."])
    status: OptionStatus = Field("draft", description="draft, proposed, agreed or rejected.",
                                 examples=["proposed"])
    lead: LocalLine = Field(description="Who leads the option on our side.",
                          examples=["Ministry of Economy, Trade and Industry"])
    counterparts: list[LocalLine] = Field(default_factory=list,
                                        description="Who acts on the other side.",
                                        examples=[["US Department of Energy"]])
    actions: list[LocalText] = Field(min_length=1, description="What would be done, in order.",
                                examples=[["Sign a memorandum on offtake"]])
    cost: Cost | None = Field(None, description="What it costs the side that acts.", examples=[
        {"amount": 4_500_000_000, "currency": "USD", "period": "one-off",
         "basis": "Analysts' estimate"}])
    timeline: Timeline | None = Field(None, description="Start and time to effect.", examples=[
        {"start": "2025-07", "months_to_effect": 6}])
    benefits: list[LocalText] = Field(default_factory=list, description="Expected benefits.",
                                 examples=[["Visible cut in the bilateral surplus"]])
    risks: list[Risk] = Field(default_factory=list, description="What could go wrong.", examples=[
        [{"risk": "Talks stall", "likelihood": "possible", "impact": "major",
          "mitigation": "Keep a fallback offer"}]])
    scores: dict[Slug, Score] = Field(
        default_factory=dict, description="Score per criterion id of the brief.",
        examples=[{"tariff_leverage": {"value": 4, "rationale": "..."}}])
    relations: Relations = Field(default_factory=Relations,
                                 description="Dependencies and conflicts with other options.",
                                 examples=[{"depends_on": ["rare-earth-plan"]}])
    sources: list[Source] = Field(default_factory=list, description="What the option rests on.",
                                  examples=[[{"title": "Annual report", "publisher": "Agency"}]])
    kind: OptionKind = Field(
        "option", description="Place on the short list: business-as-usual (carry on as now), "
        "do-minimum (the least that meets the core need) or option.",
        examples=["business-as-usual"])
    positions: list[Position] = Field(
        default_factory=list, description="Who supports, opposes or is neutral on the option.",
        examples=[[{"stakeholder": "Keidanren", "stance": "supports"}]])
    objectives: dict[Slug, ObjectiveContribution] = Field(
        default_factory=dict, description="Expected contribution per objective id of the brief.",
        examples=[{"car_tariff_relief": {"contribution": "partly",
                                         "note": "Cars only, not parts"}}])


# --- brief files --------------------------------------------------------------


class OrdinalScale(StrictModel):
    """Whole-number points, each with a label shown in the brief."""

    kind: Literal["ordinal"] = Field(description="Always 'ordinal' for this scale.",
                                     examples=["ordinal"])
    min: int = Field(0, ge=0, le=100, strict=True, description="Lowest point.", examples=[0])
    max: int = Field(5, ge=1, le=100, strict=True, description="Highest point.", examples=[5])
    labels: dict[int, LocalLine] = Field(default_factory=dict,
                                       description="A label for each point.",
                                       examples=[{0: "none", 5: "decisive"}])

    @field_validator("labels", mode="before")
    @classmethod
    def _plain_points(cls, value: Any) -> Any:
        # Keys arrive as written: "+0", "-0" and "05" would all become points, two of them
        # the same one, and a label would vanish without a word.
        if isinstance(value, dict):
            odd = [k for k in value if isinstance(k, str) and not re.fullmatch(r"0|[1-9]\d*", k)]
            if odd:
                raise ValueError(f"write each point as a plain whole number, found {odd[0]!r}")
        return value

    @model_validator(mode="after")
    def _bounds(self) -> OrdinalScale:
        # A label outside min-max is a rule (briefgen.inputs.rules), located at its key.
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be less than max ({self.max})")
        return self


class QuantityScale(StrictModel):
    """A measured quantity with units, normalised between min and max."""

    kind: Literal["quantity"] = Field(description="Always 'quantity' for this scale.",
                                      examples=["quantity"])
    unit: LocalLine = Field(description="Unit of the values.", examples=["months"])
    min: Number = Field(description="The plausible lowest value.", examples=[0])
    max: Number = Field(description="The plausible highest value.", examples=[36])

    @model_validator(mode="after")
    def _bounds(self) -> QuantityScale:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be less than max ({self.max:g})")
        return self


Scale = Annotated[OrdinalScale | QuantityScale, Field(discriminator="kind")]


class Criterion(Marked):
    """What the options are compared on."""

    id: Slug = Field(description="Used as the key in each option's scores.",
                     examples=["tariff_leverage"])
    name: LocalLine = Field(description="Name shown in the brief.", examples=["Tariff leverage"])
    description: LocalText = Field(description="What a high or low score means.",
                              examples=["How far the offer moves Washington on car tariffs."])
    weight: Annotated[float, Strict()] = Field(
        gt=0, allow_inf_nan=False,
        description="Relative importance, a positive number; weights are normalised to sum "
                    "to 100 %.", examples=[25])
    direction: Literal["benefit", "cost"] = Field(
        description="benefit: higher is better; cost: lower is better.", examples=["benefit"])
    scale: Scale = Field(default_factory=lambda: OrdinalScale(kind="ordinal"),
                         description="How scores are given; by default ordinal 0 to 5.",
                         examples=[{"kind": "quantity", "unit": "months", "min": 0, "max": 36}])
    package_rule: Literal["best", "worst", "sum"] | None = Field(
        None, description="How a package of options is scored on this criterion: best (the "
                          "best member's score), worst (the worst member's), or sum (the "
                          "members' scores added, capped at the scale's ends). By default best "
                          "for a benefit criterion and worst for a cost criterion.",
        examples=["sum"])

    @property
    def combine(self) -> Literal["best", "worst", "sum"]:
        if self.package_rule is not None:
            return self.package_rule
        return "best" if self.direction == "benefit" else "worst"


class Dissent(Marked):
    """A recorded disagreement with the recommendation."""

    who: LocalLine = Field(description="Who dissents.", examples=["Ministry of Finance"])
    note: LocalText = Field(description="The objection, in a sentence or two.",
                       examples=["The offtake commitment outlasts the tariff dispute"])


class Objective(Marked):
    """What the decision must achieve, with the threshold that counts as meeting it."""

    id: Slug = Field(description="Used as the key in each option's objectives.",
                     examples=["car_tariff_relief"])
    name: LocalLine = Field(description="Name shown in the brief.",
                          examples=["Relief from the extra tariffs on cars and parts"])
    description: LocalText | None = Field(None, description="What the objective covers.",
                                     examples=["Section 232 tariffs on cars and parts"])
    threshold: LocalLine = Field(description="What counts as meeting the objective.",
                               examples=["Tariff on cars back to 2.5 % or less"])


class Change(StrictModel):
    """One entry in the brief's change log."""

    version: Version
    date: ISODate = Field(description="When the version was issued (YYYY-MM-DD).")
    summary: LocalText = Field(description="What changed in that version.",
                          examples=["Added the do-minimum option after consultation"])


class SetAside(Marked):
    """An option considered on the long list and set aside by this brief."""

    option: Slug = Field(description="Id of the option set aside.", examples=["yen-intervention"])
    reason: LocalText = Field(description="Why it was set aside.",
                         examples=["Outside the Ministry's remit"])


class Decision(StrictModel):
    """The decision-maker's decision, once taken."""

    outcome: DecisionOutcome = Field(description="approved, disapproved or deferred.",
                                     examples=["approved"])
    option: Slug | None = Field(None, description="Id of the option decided on, if any.",
                                examples=["rare-earth-plan"])
    by: LocalLine = Field(description="Who decided.",
                        examples=["Minister for Economic Revitalization"])
    date: ISODate = Field(description="When the decision was taken (YYYY-MM-DD).")
    revisit_by: ISODate | None = Field(None, description="When to revisit the decision.",
                                       examples=["2025-12-01"])
    note: LocalText | None = Field(None, description="Conditions or comments with the decision.",
                              examples=["Approved subject to Cabinet Office review"])


class Recommendation(Marked):
    """What the authors recommend; the analysis supports it, people make it."""

    option: Slug | None = Field(None, description="The recommended option's id.",
                                examples=["rare-earth-plan"])
    text: LocalMarkdown = Field(description="The recommendation and its reasons.",
                           examples=["Lead with the rare-earth plan ..."])
    dissent: list[Dissent] = Field(
        default_factory=list, description="Who disagrees with the recommendation, and why.",
        examples=[[{"who": "Ministry of Finance", "note": "The commitment is open-ended"}]])


class ExchangeRate(StrictModel):
    """How many units of the brief's currency one unit of another currency buys."""

    currency: Currency = Field(description="The currency converted from.", examples=["USD"])
    rate: Annotated[float, Strict()] = Field(
        gt=0, le=1e9, allow_inf_nan=False,
        description="Units of the brief's currency per one unit of this currency.",
        examples=[144.5])
    date: ISODate = Field(description="The date the rate applies to (YYYY-MM-DD).")
    source: LocalLine = Field(description="Where the rate comes from.",
                            examples=["Bank of Japan, Tokyo market closing rate"])


class Package(Marked):
    """A bundle of options chosen together, scored and ranked alongside single options."""

    id: Slug = Field(description="Short id of the package; must not be an option's id.",
                     examples=["lng-plus-rare-earths"])
    title: LocalLine = Field(description="Name shown in the brief.",
                           examples=["LNG plus rare earths"])
    options: list[Slug] = Field(min_length=2, description="Ids of the options in the package.",
                                examples=[["alaska-lng", "rare-earth-plan"]])
    note: LocalLine | None = Field(None, description="Why these options go together.",
                                 examples=["Energy and minerals offers tabled as one"])


class AnalysisSettings(StrictModel):
    """How the brief tests the ranking's robustness (rank acceptability, SMAA-2)."""

    seed: int = Field(20250605, ge=0, strict=True,
                      description="Seed of the random draws; the same seed gives the same "
                                  "numbers. Printed in the brief.", examples=[20250605])
    draws: int = Field(10_000, ge=100, le=1_000_000, strict=True,
                       description="Number of Monte Carlo draws.", examples=[10_000])
    weights: Literal["uniform", "around-stated"] = Field(
        "uniform", description="uniform: any weights at all (uniform on the simplex); "
                               "around-stated: Dirichlet draws centred on the stated weights.",
        examples=["uniform"])
    concentration: Annotated[float, Strict()] = Field(
        50.0, gt=0, allow_inf_nan=False,
        description="For around-stated: the Dirichlet concentration kappa; larger keeps draws "
                    "closer to the stated weights.", examples=[50])
    score_ranges: bool = Field(
        True, description="Also draw each score uniformly within its low-high range.",
        examples=[True])


class Brief(FieldLevels, Marked):
    """One comparison brief: a file briefs/<id>.yaml."""

    id: Slug = Field(description="Matches the file name; names the output files.",
                     examples=["fifth-round-offers"])
    title: LocalLine = Field(description="Title of the brief.",
                           examples=["Offers for the fifth round of US-Japan tariff talks"])
    date: ISODate = Field(description="Date printed on the brief (YYYY-MM-DD).")
    author: LocalLine = Field(description="Author or office.",
                            examples=["Economic Security Policy Office"])
    classification: LocalLine = Field(description="Marking printed on every page.",
                                    examples=["CONFIDENTIAL"])
    audience: LocalLine = Field(description="Who the brief is for.",
                              examples=["Minister for Economic Revitalization"])
    question: LocalText = Field(description="The decision the reader is asked to make.",
                           examples=["Which offers should Japan table at the fifth round?"])
    context: LocalMarkdown = Field(description="Background (Markdown).",
                              examples=["Washington raised car tariffs to **25 %** in April."])
    criteria: list[Criterion] = Field(min_length=1, description="What options are compared on.",
                                      examples=[[{"id": "cost", "name": "Cost",
                                                  "description": "What it costs.", "weight": 1,
                                                  "direction": "cost"}]])
    options: list[Slug] | None = Field(
        None, description="Ids of the options compared; all options when left out.",
        examples=[["status-quo", "alaska-lng"]])
    baseline: Slug = Field(description="Id of the status-quo option.", examples=["status-quo"])
    recommendation: Recommendation | None = Field(None, description="Optional recommendation.",
                                                   examples=[{"option": "rare-earth-plan",
                                                              "text": "Lead with it."}])
    sources: list[Source] = Field(default_factory=list, description="Sources for the brief.",
                                  examples=[[{"title": "Annual report", "publisher": "Agency"}]])
    currency: Currency | None = Field(
        None, description="Currency the brief states every cost in; other currencies are "
                          "converted with exchange_rates.", examples=["JPY"])
    exchange_rates: list[ExchangeRate] = Field(
        default_factory=list, description="One rate for each other currency the options use.",
        examples=[[{"currency": "USD", "rate": 144.5, "date": "2025-06-04",
                    "source": "Bank of Japan"}]])
    horizon_years: Annotated[float, Strict()] | None = Field(
        None, gt=0, le=100, allow_inf_nan=False,
        description="Years over which costs are totalled: per-year x horizon + one-off.",
        examples=[5])
    packages: list[Package] = Field(
        default_factory=list, description="Bundles of options ranked alongside single options.",
        examples=[[{"id": "lng-plus-rare-earths", "title": "LNG plus rare earths",
                    "options": ["alaska-lng", "rare-earth-plan"]}]])
    analysis: AnalysisSettings = Field(
        default_factory=AnalysisSettings, description="Settings of the robustness analysis.",
        examples=[{"seed": 20250605, "draws": 10000, "weights": "uniform"}])
    version: Version | None = Field(
        None, description="Version of the brief, in quotes ('1.2'); shown on the cover.",
        examples=["1.2"])
    status: BriefStatus = Field(
        "draft", description="draft, consultation, final, decided or superseded; draft and "
        "consultation briefs are watermarked DRAFT.", examples=["final"])
    changes: list[Change] = Field(
        default_factory=list, description="What changed in each version, newest first; "
        "printed as an annex.",
        examples=[[{"version": "1.1", "date": "2025-06-04", "summary": "Added LNG costs"}]])
    bluf: LocalBluf | None = Field(
        None, description=f"Bottom line up front: at most {BLUF_MAX_LINES} non-empty lines and "
        f"{BLUF_MAX_CHARS} characters in all; opens the brief.",
        examples=["Table the rare-earth plan first; hold Alaska LNG in reserve."])
    set_aside: list[SetAside] = Field(
        default_factory=list, description="Options considered and set aside, with the reason; "
        "listed in an annex, not ranked.",
        examples=[[{"option": "yen-intervention", "reason": "Outside the Ministry's remit"}]])
    objectives: list[Objective] = Field(
        default_factory=list, description="What the decision must achieve, with thresholds.",
        examples=[[{"id": "car_tariff_relief", "name": "Relief on cars",
                    "threshold": "Car tariff back to 2.5 %"}]])
    decision: Decision | None = Field(
        None, description="The decision, once taken.",
        examples=[{"outcome": "approved", "option": "rare-earth-plan",
                   "by": "Minister for Economic Revitalization", "date": "2025-06-06"}])
    language: Language = Field(
        "en", description="Language of the brief: en (English) or ja (Japanese). It sets the "
        "labels and how numbers, money and dates are written (9兆円, 2025年6月5日), and which "
        "text of a bilingual field is printed; `briefgen build --lang` overrides it.",
        examples=["ja"])

    levels: list[Level | LevelName] = Field(
        default_factory=list, exclude=True,
        description="Handling levels, lowest first: a name, or a name with its portion mark. "
                    "Unmarked content has the lowest level.",
        examples=[["OFFICIAL", {"name": "CONFIDENTIAL", "mark": "C"}]])
    editions: list[Edition] = Field(
        default_factory=list, exclude=True,
        description="Versions of the brief for wider audiences: briefgen build --edition NAME.",
        examples=[[{"name": "official", "level": "OFFICIAL"}]])

    def rate_for(self, currency: str) -> ExchangeRate | None:
        """The brief's exchange rate for ``currency``, or None when it states none."""
        return next((r for r in self.exchange_rates if r.currency == currency), None)


MODELS: dict[str, type[StrictModel]] = {"option": Option, "brief": Brief}
