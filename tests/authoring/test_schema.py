"""The JSON Schema for editors: generated from the models, complete, and in
agreement with briefgen's own per-file validation on a corpus of files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from briefgen.authoring.schema import json_schema, schema_text, write_schemas
from briefgen.cli import cli
from briefgen.inputs.load import parse_yaml
from briefgen.inputs.models import MODELS
from briefgen.inputs.validate import validate_source

OPTION = """\
id: opt-a
title: Option A
summary: Do A.
description: A plan.
lead: Ministry of A
actions: [Act on A]
"""

BRIEF = """\
id: brief-x
title: Brief X
date: 2025-06-05
author: Policy Office
classification: OFFICIAL
audience: Minister
question: Which option?
context: Some context.
baseline: opt-a
criteria:
  - {id: leverage, name: Leverage, description: How much., weight: 3, direction: benefit}
"""

# (kind, extra YAML appended to the minimal file or replacing it, valid?)
CORPUS: list[tuple[str, str, bool]] = [
    ("option", "", True),
    ("option", "status: proposed", True),
    ("option", "scores: {leverage: {value: 4, rationale: Strong.}}", True),
    ("option", "scores: {leverage: {not_scored: No data yet}}", True),
    ("option", "scores: {leverage: {value: 4, low: 3, high: 5}}", True),
    ("option", "scores: {leverage: {value: 2.5, sources: [src-1]}}", True),
    ("option", "cost: {amount: 5, currency: EUR, period: one-off, basis: Quote}", True),
    ("option", "cost: {low: 1, high: 9, currency: JPY, period: per-year, basis: Range}", True),
    ("option", "timeline: {start: '2026-01', months_to_effect: 6}", True),
    ("option", "risks: [{risk: R, likelihood: possible, impact: major, mitigation: M}]", True),
    ("option", "sources: [{title: T, publisher: P, date: '2024', url: 'https://e.org/x'}]",
     True),
    ("option", "sources: [{title: T, publisher: P, date: 2024-06}]", True),
    ("option", "relations: {depends_on: [opt-b], conflicts_with: [opt-c]}", True),
    ("option", "counterparts: [NO, on, yes]", True),
    ("option", "benefits: ['1.10']", True),
    ("option", "note_free_text: x", False),
    ("option", "statu: draft", False),
    ("option", "status: yes", False),
    ("option", "benefits: [1.10]", False),
    ("option", "benefits: [true]", False),
    ("option", "scores: {leverage: {value: '4'}}", False),
    ("option", "scores: {leverage: {value: true}}", False),
    ("option", "scores: {leverage: {value: .inf}}", False),
    ("option", "scores: {leverage: {rationale: No value.}}", False),
    ("option", "scores: {leverage: {value: 4, not_scored: Both}}", False),
    ("option", "scores: {leverage: {not_scored: X, low: 1}}", False),
    ("option", "scores: {Bad Key: {value: 4}}", False),
    ("option", "scores: {leverage: {value: 4, rationale: '   '}}", False),
    ("option", "cost: {currency: EUR, period: one-off, basis: Nothing}", False),
    ("option", "cost: {low: 1, currency: EUR, period: one-off, basis: Half}", False),
    ("option", "cost: {amount: 5, currency: eur, period: one-off, basis: Lower}", False),
    ("option", "cost: {amount: 5, currency: ABC, period: one-off, basis: Unknown code}", False),
    ("option", "cost: {amount: -5, currency: EUR, period: one-off, basis: Negative}", False),
    ("option", "cost: {amount: 5, currency: EUR, period: monthly, basis: Period}", False),
    ("option", "timeline: {start: Now, months_to_effect: -1}", False),
    ("option", "risks: [{risk: R, likelihood: maybe, impact: major, mitigation: M}]", False),
    ("option", "sources: [{title: T, publisher: P, date: June 2024}]", False),
    ("option", "sources: [{title: T, publisher: P, date: 2024}]", False),
    ("option", "sources: [{title: T, publisher: P, url: 'ftp://e.org/x'}]", False),
    ("option", "sources: [{title: T}]", False),
    ("option", "relations: {depends_on: [Opt B]}", False),
    ("option", "id: Opt A\ntitle: A\nsummary: S\ndescription: D\nlead: L\nactions: [x]", False),
    ("option", "id: a\ntitle: \"Two\\nlines\"\nsummary: S\ndescription: D\nlead: L\n"
               "actions: [x]", False),
    ("option", "id: a\ntitle: |\n  One line in a block\nsummary: S\ndescription: D\nlead: L\n"
               "actions: [x]", True),
    ("option", "id: a\ntitle: '  '\nsummary: S\ndescription: D\nlead: L\nactions: [x]", False),
    ("option", "id: a\ntitle: T\nsummary: S\ndescription: D\nlead: L\nactions: []", False),
    ("option", "id: a\ntitle: T\nsummary: S\ndescription: D\nactions: [x]", False),
    ("brief", "", True),
    ("brief", "options: [opt-a, opt-b]", True),
    ("brief", "recommendation: {option: opt-a, text: Go.}", True),
    ("brief", "sources: [{id: s1, title: T, publisher: P}]", True),
    ("brief", "recommendation: {option: opt-a}", False),
    ("brief", "extra: 1", False),
    ("brief", "options: opt-a", False),
]
BRIEF_CRITERIA = [
    ("{id: c, name: C, description: D, weight: 1, direction: cost, "
     "scale: {kind: quantity, unit: months, min: 0, max: 36}}", True),
    ("{id: c, name: C, description: D, weight: 1, direction: benefit, "
     "scale: {kind: ordinal, min: 0, max: 10, labels: {0: none, 10: all}}}", True),
    ("{id: c, name: C, description: D, weight: 0.5, direction: benefit}", True),
    ("{id: c, name: C, description: D, weight: 0, direction: benefit}", False),
    ("{id: c, name: C, description: D, weight: '3', direction: benefit}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: up}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, scale: {min: 0}}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, "
     "scale: {kind: ordnial}}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, "
     "scale: {kind: ordinal, labels: {x: none}}}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, "
     "scale: {kind: ordinal, max: 1.5}}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, "
     "scale: {kind: quantity, min: 0, max: 3}}", False),
    ("{id: c, name: C, description: D, weight: 1, direction: cost, wieght: 2}", False),
]
BRIEF_DATES = [("2025-06-05", True), ("'2025-06-05'", True), ("05/06/2025", False),
               ("2025-6-5", False), ("2025", False), ("2025-02-30", False), ("null", False)]

# What JSON Schema cannot say; briefgen alone rejects these (see schema.NOT_EXPRESSIBLE).
BRIEFGEN_ONLY = [
    ("option", "scores: {leverage: {value: 4, low: 5}}"),
    ("option", "cost: {low: 9, high: 1, currency: EUR, period: one-off, basis: Backwards}"),
    ("brief", "criteria:\n  - {id: c, name: C, description: D, weight: 1, direction: cost, "
              "scale: {kind: ordinal, min: 3, max: 2}}"),
]


def _file(kind: str, extra: str) -> str:
    base = OPTION if kind == "option" else BRIEF
    if extra.startswith("id:"):
        return extra + "\n"
    if extra.startswith("criteria:"):
        return base.split("criteria:")[0] + extra + "\n"
    return base + extra + "\n"


def _corpus() -> list[tuple[str, str, bool]]:
    cases = [(k, _file(k, e), v) for k, e, v in CORPUS]
    cases += [("brief", BRIEF.split("criteria:")[0] + f"criteria:\n  - {c}\n", v)
              for c, v in BRIEF_CRITERIA]
    cases += [("brief", BRIEF.replace("date: 2025-06-05", f"date: {d}"), v) for d, v in BRIEF_DATES]
    return cases


def _verdicts(kind: str, text: str) -> tuple[bool, bool]:
    source = parse_yaml(text, f"{kind}.yaml")
    ours = validate_source(source, MODELS[kind])[1] == []
    validator = jsonschema.Draft202012Validator(json_schema(kind),
                                                format_checker=jsonschema.FormatChecker())
    theirs = validator.is_valid(source.data)
    return ours, theirs


@pytest.mark.parametrize(("kind", "text", "valid"), _corpus())
def test_jsonschema_and_briefgen_agree(kind: str, text: str, valid: bool) -> None:
    ours, theirs = _verdicts(kind, text)
    assert ours is valid, f"briefgen says {'valid' if ours else 'invalid'}:\n{text}"
    assert theirs is valid, f"jsonschema says {'valid' if theirs else 'invalid'}:\n{text}"


@pytest.mark.parametrize(("kind", "extra"), BRIEFGEN_ONLY)
def test_rules_json_schema_cannot_express_are_briefgen_only(kind: str, extra: str) -> None:
    ours, theirs = _verdicts(kind, _file(kind, extra))
    assert (ours, theirs) == (False, True)


@pytest.mark.parametrize("kind", ["option", "brief"])
def test_schema_is_valid_2020_12_and_every_field_has_description_and_example(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    missing = []
    for name, part in [(kind, schema), *schema["$defs"].items()]:
        assert part.get("description"), f"{name} has no description"
        for field, prop in part.get("properties", {}).items():
            if not prop.get("description") or not prop.get("examples"):
                missing.append(f"{name}.{field}")
    assert missing == []


def test_schema_examples_are_themselves_valid() -> None:
    for kind in ("option", "brief"):
        schema = json_schema(kind)
        for name, part in [(kind, schema), *schema["$defs"].items()]:
            for field, prop in part.get("properties", {}).items():
                sub = {**prop, "$defs": schema["$defs"]}
                for example in prop.get("examples", []):
                    errors = list(jsonschema.Draft202012Validator(sub).iter_errors(example))
                    assert not errors, f"{name}.{field}: example {example!r}: {errors[0]}"


def test_schema_command_writes_both_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    for name in ("option.schema.json", "brief.schema.json"):
        data = json.loads((tmp_path / "s" / name).read_text())
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    printed = CliRunner().invoke(cli, ["schema", "--print", "brief"])
    assert json.loads(printed.output)["title"] == "briefgen brief file"


def test_write_schemas_is_stable(tmp_path: Path) -> None:
    first = [p.read_text() for p in write_schemas(tmp_path)]
    assert first == [p.read_text() for p in write_schemas(tmp_path)]
    assert first[0] == schema_text("option")


def test_corpus_files_are_plain_yaml() -> None:  # guard against typos in the corpus itself
    for _kind, text, _valid in _corpus():
        assert textwrap.dedent(text) == text
