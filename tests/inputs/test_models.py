"""The rules each field of the models carries, each reported at file:line:column with the field.

How pydantic's errors become those messages (unknown keys, wrong types, choices)
is tested in test_validate.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B


def problems(root: Path) -> list[str]:
    _, report = load_workspace(root)
    return [d.text() for d in report.sorted()]


def test_non_positive_weight(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace(briefs={"brief-x": BRIEF_X.replace("weight: 1", "weight: 0")})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "briefs/brief-x.yaml:19:13: criteria[1].weight: must be greater than 0, got 0"
    ]


def test_bad_date_currency_slug_and_cost_range(workspace: Callable[..., Path],
                                               monkeypatch) -> None:
    brief = BRIEF_X.replace("date: 2025-06-05", "date: 05/06/2025")
    option = OPTION_A.replace("id: opt-a", "id: Opt A") + (
        "cost: {low: 9, high: 2, currency: XYZ, period: one-off, basis: guess}\n")
    root = workspace(options={"opt-a": option, "opt-b": OPTION_B}, briefs={"brief-x": brief})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "briefs/brief-x.yaml:3:7: date: expected an ISO date written YYYY-MM-DD",
        "options/opt-a.yaml:1:5: id: must be a slug (lower-case letters, digits, '-' or '_'), "
        "got the text 'Opt A'",
        "options/opt-a.yaml:13:35: cost.currency: 'XYZ' is not an ISO 4217 currency code",
    ]
    fixed = option.replace("XYZ", "USD")
    root = workspace(options={"opt-a": fixed.replace("Opt A", "opt-a"), "opt-b": OPTION_B})
    assert problems(root)[-1] == "options/opt-a.yaml:13:7: cost: low (9) is greater than high (2)"


def test_score_needs_value_or_reason(workspace: Callable[..., Path], monkeypatch) -> None:
    bad = OPTION_A.replace("cost: {value: 2, rationale: Cheap.,", "cost: {rationale: Cheap.,")
    root = workspace(options={"opt-a": bad, "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:10:9: scores.cost: give a value, or not_scored with the reason"
    ]


def test_source_date_must_be_on_the_calendar(workspace: Callable[..., Path], monkeypatch) -> None:
    root = workspace(options={"opt-a": OPTION_A.replace("date: 2025-06-05", "date: 2025-13-01"),
                              "opt-b": OPTION_B})
    monkeypatch.chdir(root)
    assert problems(root) == [
        "options/opt-a.yaml:12:71: sources[0].date: '2025-13-01' is not a real calendar date"
    ]
