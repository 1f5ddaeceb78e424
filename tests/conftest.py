"""Shared fixtures: small workspaces written to a temporary folder.

The default options are warning-free: a business-as-usual baseline (opt-b), a
do-minimum option (opt-a), and every score cites a source.

``workspace(options={...}, briefs={...})`` writes each YAML text as
options/<name>.yaml or briefs/<name>.yaml and returns the folder, so a test
shows the exact bad file it feeds to briefgen.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

OPTION_A = """\
id: opt-a
title: Option A
summary: Do A.
description: A plan with **bold** ideas.
lead: Ministry of A
actions:
  - Act on A
scores:
  leverage: {value: 4, rationale: Strong leverage., sources: [report-a]}
  cost: {value: 2, rationale: Cheap., sources: [report-a]}
kind: do-minimum
sources: [{id: report-a, title: Report on A, publisher: Agency, date: 2025-06-05, url: "https://example.org/a"}]
"""

OPTION_B = """\
id: opt-b
title: Option B
summary: Do B.
description: B plan.
lead: Ministry of B
actions:
  - Act on B
scores:
  leverage: {value: 2, rationale: Some leverage., sources: [report-b]}
  cost: {value: 1, rationale: Very cheap., sources: [report-b]}
kind: business-as-usual
sources: [{id: report-b, title: Report on B, publisher: Agency}]
"""

BRIEF_X = """\
id: brief-x
title: Brief X
date: 2025-06-05
author: Policy Office
classification: OFFICIAL
audience: Minister
question: Which option should we choose?
context: Some context.
baseline: opt-b
criteria:
  - id: leverage
    name: Leverage
    description: How much leverage it buys.
    weight: 3
    direction: benefit
  - id: cost
    name: Cost
    description: What it costs.
    weight: 1
    direction: cost
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[..., Path]:
    """Write a workspace; pass None for a kind to get the valid defaults above."""

    def make(options: dict[str, str] | None = None, briefs: dict[str, str] | None = None,
             root: Path | None = None) -> Path:
        root = root or tmp_path / "ws"
        files = {
            "options": options if options is not None else {"opt-a": OPTION_A, "opt-b": OPTION_B},
            "briefs": briefs if briefs is not None else {"brief-x": BRIEF_X},
        }
        for folder, entries in files.items():
            (root / folder).mkdir(parents=True, exist_ok=True)
            for name, text in entries.items():
                filename = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
                (root / folder / filename).write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def example_workspace(tmp_path: Path) -> Path:
    """A copy of the example workspace that ships with briefgen."""
    dest = tmp_path / "example"
    for folder in ("options", "briefs"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the stored reference outputs under tests/e2e/reference/ from this build.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite reference outputs instead of comparing."""
    return bool(request.config.getoption("--update-golden"))
