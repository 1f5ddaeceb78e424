"""A small marked-up workspace for the edition tests (issue 16)."""

from __future__ import annotations

from tests.conftest import BRIEF_X, OPTION_A, OPTION_B

SECRET_RISK = "Talks collapse when the offer leaks to the press before the round"

OPTION_A_MARKED = OPTION_A + f"""\
tags: [press]
risks:
  - risk: {SECRET_RISK}
    level: CONFIDENTIAL
    likelihood: possible
    impact: major
    mitigation: Keep the offer within the negotiating team until it is tabled
  - risk: Partners see the offer as too small to matter
    likelihood: unlikely
    impact: minor
    mitigation: Present it with the other offers
benefits:
  - Narrows the surplus visibly and quickly
  - Buys goodwill with the finance committee chair ahead of the vote
field_levels:
  benefits[1]: CONFIDENTIAL
positions:
  - stakeholder: Ministry of Finance
    stance: supports
  - stakeholder: Ministry of Finance
    level: CONFIDENTIAL
    stance: opposes
    note: Would resign over any open-ended public commitment made at this round
"""

BRIEF_MARKED = BRIEF_X + """\
levels:
  - {name: OFFICIAL, mark: O}
  - {name: CONFIDENTIAL, mark: C}
recommendation:
  option: opt-a
  level: CONFIDENTIAL
  text: Choose Option A and tell nobody before the round opens next Tuesday morning.
editions:
  - name: official
    level: OFFICIAL
    portion_marks: true
  - name: press
    level: OFFICIAL
    include: [press]
    template: press-lines
"""

MARKED = {"options": {"opt-a": OPTION_A_MARKED, "opt-b": OPTION_B},
          "briefs": {"brief-x": BRIEF_MARKED}}
