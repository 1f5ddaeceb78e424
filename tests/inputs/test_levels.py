"""Handling levels: the ladder, effective levels, and the located rules on marks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefgen.inputs.levels import Ladder, parse_path, portions
from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X
from tests.helpers.editions import MARKED


def test_field_paths_parse_as_messages_print_them() -> None:
    assert parse_path("benefits[2]") == ("benefits", 2)
    assert parse_path("risks[0].mitigation") == ("risks", 0, "mitigation")


def test_unmarked_parts_inherit_and_a_mark_only_raises(workspace: Callable[..., Path]) -> None:
    ws, report = load_workspace(workspace(**MARKED))
    assert not report.errors
    brief = ws.briefs["brief-x"]
    ladder = Ladder.of(brief)
    parts = {p.path: p.level for p in portions("option", "opt-a", ws.options["opt-a"], ladder,
                                               ladder.lowest)}
    assert parts[("risks", 0)] == "CONFIDENTIAL"
    assert parts[("risks", 0, "mitigation")] == "CONFIDENTIAL"  # inherited
    assert parts[("risks", 1, "mitigation")] == "OFFICIAL"
    assert parts[("benefits", 1)] == "CONFIDENTIAL"  # by field_levels
    assert ladder.top("CONFIDENTIAL", "OFFICIAL") == "CONFIDENTIAL"


def test_an_undeclared_level_is_located(workspace: Callable[..., Path]) -> None:
    option = MARKED["options"]["opt-a"].replace("    level: CONFIDENTIAL\n    stance",
                                                "    level: SECERT\n    stance")
    _, report = load_workspace(workspace(options={**MARKED["options"], "opt-a": option},
                                          briefs=MARKED["briefs"]))
    [problem] = [d for d in report.errors if d.code == "undeclared-level"]
    assert problem.location.file.endswith("options/opt-a.yaml")
    line = option.splitlines().index("    level: SECERT") + 1
    assert (problem.location.line, problem.location.column) == (line, 12)
    assert problem.field == "positions[1].level"
    assert "'SECERT' is not declared in brief 'brief-x'" in problem.message


def test_a_level_without_any_declared_says_how_to_declare(workspace: Callable[..., Path]) -> None:
    brief = BRIEF_X + "recommendation: {option: opt-a, text: Go., level: SECRET}\n"
    _, report = load_workspace(workspace(briefs={"brief-x": brief}))
    [problem] = report.errors
    assert problem.field == "recommendation.level"
    assert "levels: [OFFICIAL, SECRET]" in (problem.hint or "")


def test_an_unknown_field_path_is_located_at_its_key(workspace: Callable[..., Path]) -> None:
    option = MARKED["options"]["opt-a"].replace("benefits[1]: CONFIDENTIAL",
                                                "benefits[9]: CONFIDENTIAL")
    _, report = load_workspace(workspace(options={**MARKED["options"], "opt-a": option},
                                          briefs=MARKED["briefs"]))
    [problem] = [d for d in report.errors if d.code == "unknown-field-path"]
    line = option.splitlines().index("  benefits[9]: CONFIDENTIAL") + 1
    assert (problem.location.line, problem.location.column) == (line, 3)
    assert "'benefits[9]' is not a field of this file" in problem.message


def test_a_tag_no_option_uses_is_a_located_warning(workspace: Callable[..., Path]) -> None:
    brief = MARKED["briefs"]["brief-x"].replace("include: [press]", "include: [prses]")
    _, report = load_workspace(workspace(options=MARKED["options"], briefs={"brief-x": brief}))
    assert not report.errors
    [warning] = [d for d in report.warnings if d.code == "unused-tag"]
    assert warning.field == "editions[1].include[0]"
    assert warning.location.line == brief.splitlines().index("    include: [prses]") + 1
    assert "did you mean" in (warning.hint or "") or "press" in (warning.hint or "")


def test_an_edition_with_an_unknown_template_is_located(workspace: Callable[..., Path]) -> None:
    brief = MARKED["briefs"]["brief-x"].replace("template: press-lines", "template: leaflet")
    _, report = load_workspace(workspace(options=MARKED["options"], briefs={"brief-x": brief}))
    [problem] = report.errors
    assert problem.field == "editions[1].template"
    assert problem.message == "no template 'leaflet'"
