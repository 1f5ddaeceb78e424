"""Scaffolding: ``briefgen init`` (a workspace that builds at once) and
``briefgen new option|brief ID`` (a commented starting file that validates).

Rules every function here keeps:

* never overwrite an existing file: existing files are kept and reported;
* every option and brief file starts with a ``# yaml-language-server:
  $schema=...`` line pointing (by a relative path) at the schema files
  written into ``schema/``, so editors complete and check as you type;
* a ``new`` file validates as written; its ``TODO:`` placeholders are what
  ``briefgen check`` warns about until they are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefgen import __version__
from briefgen.authoring.schema import (
    DEFAULT_SCHEMA_DIR,
    SCHEMA_FILES,
    schema_comment,
    write_schemas,
)
from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template, choices
from briefgen.inputs.discovery import CONFIG_FILE
from briefgen.inputs.models import SLUG_PATTERN
from briefgen.inputs.workspace import FOLDERS, Kind


class ScaffoldError(Exception):
    """A request that scaffolding refuses (bad id, file already there)."""


class InvalidId(ScaffoldError):
    """An id on the command line that is not one: a usage error."""


@dataclass
class ScaffoldResult:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


GITIGNORE = """\
# Built briefs: rebuild them with `briefgen build`.
/output/
"""

def _or(values: list[str]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


# Every key commented out, so the file changes nothing until a line is uncommented;
# tests/inputs/test_config.py checks that the uncommented file validates.
CONFIG_TEMPLATE = f"""\
#:schema ./{DEFAULT_SCHEMA_DIR}/{SCHEMA_FILES["config"]}
# {CONFIG_FILE}: defaults for briefgen commands run anywhere in this workspace.
# A flag on the command line still wins: `briefgen build --paper a4` overrides
# paper below. Uncomment a line to use it.

# paper = "letter"            # {_or(choices(Paper))} (--paper); default a4
# lang = "ja"                 # {_or(choices(Language))}: every brief in this language (--lang)
# out = "public/briefs"       # output folder inside the workspace (--out); default output
# formats = ["html", "pdf"]   # any of {", ".join(choices(BuildFormat))} (--format)
# template = "memo"           # {_or(choices(Template))} (--template); default brief
# pdf_variant = "pdf/a-3b"    # {_or(choices(PdfVariant))} (--pdf-variant)
# jobs = 4                    # build processes (--jobs); default: the number of CPUs
# strict = true               # briefgen check fails on warnings too (--strict)
"""

# The install spec is pinned to the release that wrote the workflow: briefgen is not
# on PyPI, so a bare `pip install briefgen` would fail (or, one day, take another
# project's package of that name).
INSTALL_SPEC = f"briefgen @ git+https://github.com/briefgen/briefgen@v{__version__}"

CI_WORKFLOW = f"""\
# Check every option and brief on each pull request (problems show as
# annotations on the diff, every problem and the changed scores and ranks in
# the job summary) and build the briefs as a downloadable artifact.
name: briefs
on:
  pull_request:
  push:
    branches: [main]
env:
  # How briefgen is installed: the release that wrote this file, from its git tag.
  # To upgrade, change the tag; for a runner without network, commit a wheel and
  # write its path here instead (./wheels/briefgen-X.Y.Z-py3-none-any.whl).
  BRIEFGEN: "{INSTALL_SPEC}"
jobs:
  briefs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # briefgen diff --rev needs the pull request's base
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # WeasyPrint's libraries for the PDF; fonts-noto-cjk for Japanese text.
      - run: |
          sudo apt-get update
          sudo apt-get install -y --no-install-recommends \\
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
      - run: pip install "$BRIEFGEN"
      # Add --strict to fail on warnings too (placeholders, scores without rationale).
      - run: briefgen check --format github
      - if: github.event_name == 'pull_request'
        run: >-
          briefgen diff --rev "origin/${{{{ github.base_ref }}}}" --format markdown
          >> "$GITHUB_STEP_SUMMARY"
      - run: briefgen build
      - uses: actions/upload-artifact@v4
        with:
          name: briefs
          path: output/
"""

SAMPLE_STATUS_QUO = """\
{schema}
# An option file: one policy option, compared in the briefs under briefs/.
# Every field is described in docs/writing-options.md; your editor shows the
# same help on hover when it has a YAML language server.
id: status-quo            # must match the file name (status-quo.yaml)
title: Keep the current arrangements
summary: Change nothing and review the situation in a year.
description: |
  The city keeps its current road and public transport policies. This is the
  **baseline** every other option is compared with.
status: proposed          # draft, proposed, agreed or rejected
kind: business-as-usual   # business-as-usual, do-minimum or option
lead: City Transport Department
actions:
  - Publish the annual congestion figures
scores:                   # one entry per criterion id of the brief
  congestion:
    value: 1
    rationale: Congestion keeps growing at about 2 % a year.
    sources: [traffic-report]   # ids from sources: below
  cost:
    value: 0
    rationale: No new spending.
    sources: [traffic-report]
sources:
  - id: traffic-report
    title: Annual traffic report
    publisher: City Transport Department
    date: 2025-03
"""

SAMPLE_OPTION = """\
{schema}
# A second option. Copy this file to start another (or run `briefgen new option ID`).
id: congestion-charge
title: Introduce a congestion charge
summary: Charge cars entering the centre on weekdays and fund buses with it.
description: |
  Cars entering the inner ring pay a daily charge on weekdays from 7:00 to
  19:00. The income pays for **more frequent buses** on the busiest routes.
status: draft
lead: City Transport Department
counterparts:
  - Regional bus operators
actions:
  - Consult residents and businesses
  - Install cameras at the inner-ring entry points
  - Start charging and publish monthly figures
cost:
  amount: 12000000        # in units of the currency, not thousands
  currency: EUR
  period: one-off
  basis: Supplier quotes for cameras and back office
timeline:
  start: "2026-01"        # quoted: a date-like text stays text
  months_to_effect: 9
risks:
  - risk: Businesses in the centre lose customers
    likelihood: possible  # rare, unlikely, possible, likely, almost-certain
    impact: moderate      # minimal, minor, moderate, major, severe
    mitigation: Exempt deliveries before 10:00 and review after a year
scores:
  congestion:
    value: 4
    low: 3                # optional range: pessimistic ...
    high: 5               # ... and optimistic
    rationale: Comparable schemes cut central traffic by 15-30 %.
    sources: [charging-evaluation]   # ids from sources: below
  cost:
    value: 3
    rationale: Set-up cost is paid back by the charge within three years.
    sources: [charging-evaluation]
sources:
  - id: charging-evaluation
    title: Evaluation of congestion charging schemes
    publisher: National Transport Institute
    date: "2024"          # a year alone is quoted, or it reads as a number
"""

SAMPLE_DO_MINIMUM = """\
{schema}
# The do-minimum option: the least that would meet the core need.
id: bus-priority
title: Paint bus lanes on the two busiest routes
summary: Give buses their own lane on the two most congested routes.
description: |
  A low-cost step that speeds up buses without charging drivers.
status: draft
kind: do-minimum
lead: City Transport Department
actions:
  - Mark bus lanes on the two busiest routes
scores:
  congestion:
    value: 2
    rationale: Faster buses draw some drivers out of their cars.
    sources: [traffic-report]
  cost:
    value: 1
    rationale: Paint, signs and enforcement only.
    sources: [traffic-report]
sources:
  - id: traffic-report
    title: Annual traffic report
    publisher: City Transport Department
    date: 2025-03
"""

SAMPLE_BRIEF = """\
{schema}
# A brief file: compares options on weighted criteria. Build it with
# `briefgen build`; the output lands in output/.
id: city-transport
title: Options to reduce congestion in the city centre
date: 2025-06-05          # an ISO date, YYYY-MM-DD
author: Policy Unit
classification: OFFICIAL  # printed on every page
audience: Transport Committee
question: Which option should the committee take forward?
context: |
  Peak-hour traffic in the centre has grown by **12 %** in five years.
baseline: status-quo      # the option the others are compared with
# options: [status-quo, congestion-charge]   # leave out to compare every option
criteria:
  - id: congestion
    name: Congestion relief
    description: How far peak-hour traffic in the centre falls.
    weight: 3             # relative importance; weights are normalised to 100 %
    direction: benefit    # benefit: higher is better; cost: lower is better
    scale:
      kind: ordinal
      min: 0
      max: 5
      labels: {{0: none, 3: clear, 5: decisive}}
  - id: cost
    name: Cost to the city
    description: Net cost over five years; higher means more expensive.
    weight: 1
    direction: cost
recommendation:
  option: congestion-charge
  text: Take the congestion charge forward to public consultation.
"""

NEW_OPTION = """\
{schema}
# A new option. Replace every TODO; `briefgen check` warns about each one left
# (and fails on them with --strict). Field help: docs/writing-options.md.
id: {id}
title: "TODO: short name of the option"
summary: "TODO: one sentence on what would be done"
description: |
  TODO: the option in full. Markdown works: **bold**, lists, links.
status: draft             # draft, proposed, agreed or rejected
lead: "TODO: who acts"
# counterparts: [Who acts on the other side]
actions:
  - "TODO: first action"
# cost:
#   amount: 1000000       # or low: and high: for a range
#   currency: EUR         # ISO 4217 code
#   period: one-off       # or per-year
#   basis: How the figure was reached
# timeline:
#   start: "2026-01"
#   months_to_effect: 6
# risks:
#   - risk: What could go wrong
#     likelihood: possible  # rare, unlikely, possible, likely, almost-certain
#     impact: moderate      # minimal, minor, moderate, major, severe
#     mitigation: What reduces it
{scores}sources:
  - title: "TODO: title of the document this option rests on"
    publisher: "TODO: who published it"
    # date: 2025-06        # YYYY, YYYY-MM or YYYY-MM-DD
    # url: https://example.org/report
"""

NEW_BRIEF = """\
{schema}
# A new brief. Replace every TODO; `briefgen check` warns about each one left
# (and fails on them with --strict). Field help: docs/writing-options.md.
id: {id}
title: "TODO: title of the brief"
date: {date}          # YYYY-MM-DD
author: "TODO: author or office"
classification: OFFICIAL
audience: "TODO: who the brief is for"
question: "TODO: the decision the reader is asked to make"
context: |
  TODO: background, in Markdown.
baseline: {baseline}
# options: [{baseline}, other-option]   # leave out to compare every option
{criteria}"""

PLACEHOLDER_CRITERIA = """\
criteria:
  - id: criterion-1
    name: "TODO: name of the criterion"
    description: "TODO: what a high or a low score means"
    weight: 1
    direction: benefit    # benefit: higher is better; cost: lower is better
"""


def _check_id(ident: str) -> None:
    import re

    if not re.match(SLUG_PATTERN, ident) or len(ident) > 64:
        raise InvalidId(
            f"{ident!r} is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting and ending with a letter or digit (e.g. alaska-lng)")


def _write_new(path: Path, text: str, result: ScaffoldResult) -> None:
    """Create path with text; keep (and report) a file that is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        result.kept.append(path)
    else:
        result.written.append(path)


def _ensure_schemas(root: Path, result: ScaffoldResult) -> Path:
    schema_dir = root / DEFAULT_SCHEMA_DIR
    if not all((schema_dir / name).exists() for name in SCHEMA_FILES.values()):
        result.written.extend(write_schemas(schema_dir))
    return schema_dir


def _schema_line(root: Path, kind: Kind) -> str:
    return schema_comment(kind, root / FOLDERS[kind], root / DEFAULT_SCHEMA_DIR)


def init_workspace(root: Path) -> ScaffoldResult:
    """A workspace with one sample brief and its options, a commented briefgen.toml, a
    .gitignore and a CI example."""
    result = ScaffoldResult()
    root.mkdir(parents=True, exist_ok=True)
    _ensure_schemas(root, result)
    option_line = _schema_line(root, "option")
    files = {
        root / "options" / "status-quo.yaml": SAMPLE_STATUS_QUO.format(schema=option_line),
        root / "options" / "congestion-charge.yaml": SAMPLE_OPTION.format(schema=option_line),
        root / "options" / "bus-priority.yaml": SAMPLE_DO_MINIMUM.format(schema=option_line),
        root / "briefs" / "city-transport.yaml":
            SAMPLE_BRIEF.format(schema=_schema_line(root, "brief")),
        root / ".gitignore": GITIGNORE,
        root / CONFIG_FILE: CONFIG_TEMPLATE,
        root / ".github" / "workflows" / "briefs.yml": CI_WORKFLOW,
    }
    for path, text in files.items():
        _write_new(path, text, result)
    return result


def _criteria_needing_scores(root: Path) -> list[str]:
    """Criterion ids a new option must score: those of every brief that compares all options."""
    from briefgen.inputs.loader import load_workspace

    ws, _ = load_workspace(root)
    ids: list[str] = []
    for brief_id in sorted(ws.briefs):
        brief = ws.briefs[brief_id]
        if brief.options is None:
            ids.extend(c.id for c in brief.criteria)
    return list(dict.fromkeys(ids))


def new_option(root: Path, ident: str) -> ScaffoldResult:
    _check_id(ident)
    path = root / "options" / f"{ident}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; briefgen never overwrites a file")
    result = ScaffoldResult()
    _ensure_schemas(root, result)
    criteria = _criteria_needing_scores(root)
    if criteria:
        lines = ["scores:                   # replace not_scored with value: and rationale:"]
        for cid in criteria:
            lines += [f"  {cid}:", "    not_scored: \"TODO: score this criterion\"",
                      "    # value: 3", "    # rationale: Why this score"]
        scores = "\n".join(lines) + "\n"
    else:
        scores = ("# scores:                 # one entry per criterion id of the brief\n"
                  "#   criterion-id: {value: 3, rationale: Why this score}\n")
    text = NEW_OPTION.format(schema=_schema_line(root, "option"), id=ident, scores=scores)
    _write_new(path, text, result)
    return result


def new_brief(root: Path, ident: str, today: str | None = None) -> ScaffoldResult:
    import datetime

    from briefgen.inputs.loader import load_workspace

    _check_id(ident)
    path = root / "briefs" / f"{ident}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; briefgen never overwrites a file")
    result = ScaffoldResult()
    _ensure_schemas(root, result)
    ws, _ = load_workspace(root)
    if "status-quo" in ws.options or not ws.options:
        baseline = "status-quo"
    else:
        baseline = sorted(ws.options)[0]
    if ws.briefs:  # reuse the criteria of an existing brief, which the options already score
        donor = ws.briefs[sorted(ws.briefs)[0]]
        raw = ws.source("brief", donor.id).data["criteria"]
        criteria = (f"# Criteria copied from briefs/{donor.id}.yaml: the options score them.\n"
                    + yaml.safe_dump({"criteria": raw}, sort_keys=False, allow_unicode=True,
                                     default_flow_style=False, width=88))
    else:
        criteria = PLACEHOLDER_CRITERIA
    text = NEW_BRIEF.format(schema=_schema_line(root, "brief"), id=ident,
                            date=today or datetime.date.today().isoformat(),
                            baseline=baseline, criteria=criteria)
    _write_new(path, text, result)
    return result
