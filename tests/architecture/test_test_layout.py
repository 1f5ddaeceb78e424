"""Tests mirror the package tree: briefgen/<package>/<module>.py is tested in
tests/<package>/test_<module>.py (briefgen/output/pdf/split.py in
tests/output/pdf/test_split.py).

A module whose behaviour is tested elsewhere (through the command line, by the
security or end-to-end tests, or next to the module that drives it) is listed in
COVERED_ELSEWHERE with the reason and the test file that covers it. The layout
is wrong when
- a module has neither a test file nor an entry;
- an entry names a module that does not exist, names no test file or one that
  does not exist, or is no longer needed because the module has its own file;
- a tests/<package>/.../test_<name>.py has no module briefgen/<package>/.../<name>.py
  (left behind by a rename), or a test file sits in a folder that is neither a
  package's nor one of OWN_FOLDERS.
Package __init__.py files and briefgen/__main__.py are exempt.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "briefgen"
TESTS = ROOT / "tests"

# Test folders that mirror no package, and what each holds.
OWN_FOLDERS = {
    "architecture": "rules about the code and the tests as a whole",
    "security": "the threat model of docs/security.md, with concrete hostile files",
    "e2e": "the whole CLI on the example workspaces, the wheel, CI, accessibility, "
           "reference outputs",
    "properties": "hypothesis property tests and fuzzing across the stages",
    "docs": "the documentation agrees with the code",
    "faults": "the real CLI under injected faults: full disks, read-only folders, forged "
              "manifests, device files",
    "helpers": "code the tests share; no tests",
}

EXEMPT = {"briefgen.__main__"}

COVERED_ELSEWHERE = {
    "briefgen.build.regular":
        "tests/faults/test_faults_manifest.py opens devices, FIFOs, symlinks and ../ names "
        "through it",
    "briefgen.common.environment":
        "tests/faults/test_faults_environment.py drives every environment problem through "
        "the CLI",
    "briefgen.build.write":
        "atomic writes and plain output names are integrity guarantees, tested in "
        "tests/security/test_integrity.py and tests/security/test_paths.py; kills at every "
        "write step and stale temporary files in tests/faults/test_faults_kill.py",
    "briefgen.common.fieldpath":
        "field paths are printed in every located message: tests/inputs/test_validate.py and "
        "tests/common/test_diagnostics.py assert them",
    "briefgen.common.paths":
        "display paths appear in every message (tests/inputs/test_validate.py), the repository "
        "root in CI annotations (tests/e2e/test_ci.py), the built-in theme in "
        "tests/build/test_cache.py",
    "briefgen.common.suggest":
        "'did you mean' hints are asserted in tests/inputs/test_validate.py and "
        "tests/inputs/test_rules.py",
    "briefgen.inputs.loader":
        "load_workspace drives the validation and rule tests: tests/inputs/test_validate.py, "
        "tests/inputs/test_rules.py, tests/inputs/test_models.py",
    "briefgen.inputs.localize":
        "picking one language of bilingual fields is tested with the Japanese brief in "
        "tests/e2e/test_japanese.py",
    "briefgen.inputs.placeholders":
        "placeholder warnings through check --strict in tests/common/test_diagnostics.py and "
        "on scaffolded files in tests/authoring/test_scaffold.py",
    "briefgen.inputs.record_rules":
        "the decision-record rules are tested with the record they guard in "
        "tests/present/test_record.py",
    "briefgen.inputs.safety":
        "symlinks out of the workspace in tests/security/test_paths.py, Markdown links and "
        "images in tests/security/test_script.py, located URLs in tests/security/test_fetch.py",
    "briefgen.inputs.workspace":
        "a brief's inputs and their digest are tested by what they rebuild and record: "
        "tests/build/test_cache.py, tests/build/test_manifest.py, tests/present/test_record.py",
    "briefgen.output.export":
        "the JSON variant is tested in tests/e2e/test_publish.py and compared byte for byte "
        "in tests/e2e/test_reference_outputs.py",
    "briefgen.common.engines":
        "renderer versions and the fonts' fingerprint are tested as parts of the build key "
        "in tests/build/test_cache.py",
    "briefgen.output.pdf.warm":
        "the server's preload is tested by what a layout process finds imported in "
        "tests/output/pdf/test_server.py",
    "briefgen.output.pdf.join":
        "joining the parts of a split render is tested against a single pass in "
        "tests/output/pdf/test_split.py",
    "briefgen.output.pdf.parts":
        "the pieces passed between split, layout and join are tested through the split "
        "render in tests/output/pdf/test_split.py",
    "briefgen.output.pdf.weasy":
        "what a PDF render may fetch in tests/security/test_fetch.py; metadata, links, tags "
        "and PDF/A in tests/e2e/test_publish.py; single pass vs split in "
        "tests/output/pdf/test_split.py",
}

TEST_FILE = re.compile(r"tests/[\w/.-]+?\.py")


def modules(package: Path) -> list[str]:
    """Every module of the package as a dotted name, package __init__ files left out."""
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if path.name != "__init__.py" and "__pycache__" not in parts:
            names.append(".".join(parts))
    return names


def mirror_of(module: str, tests: Path) -> Path:
    """briefgen.output.pdf.split -> tests/output/pdf/test_split.py"""
    *folders, name = module.split(".")[1:]
    return tests.joinpath(*folders, f"test_{name}.py")


def layout_problems(package: Path, tests: Path, covered: dict[str, str],
                    own_folders: dict[str, str], exempt: set[str]) -> list[str]:
    problems = []
    known = set(modules(package))
    for module in sorted(known - exempt):
        has_file = mirror_of(module, tests).is_file()
        if not has_file and module not in covered:
            problems.append(f"{module}: no {mirror_of(module, tests).relative_to(tests.parent)}"
                            " and no COVERED_ELSEWHERE entry")
        if has_file and module in covered:
            problems.append(f"{module}: has its own test file; remove its COVERED_ELSEWHERE entry")
    for module, reason in sorted(covered.items()):
        if module not in known:
            problems.append(f"COVERED_ELSEWHERE[{module!r}]: no such module")
        named = TEST_FILE.findall(reason)
        if not named:
            problems.append(f"COVERED_ELSEWHERE[{module!r}]: the reason names no test file")
        for name in named:
            if not (tests.parent / name).is_file():
                problems.append(f"COVERED_ELSEWHERE[{module!r}]: {name} does not exist")
    for path in sorted(tests.rglob("test_*.py")):
        relative = path.relative_to(tests)
        top = relative.parts[0] if len(relative.parts) > 1 else None
        if top in own_folders:
            continue
        if top is not None and not (package / top / "__init__.py").is_file():
            problems.append(f"tests/{relative}: tests/{top}/ mirrors no package of "
                            f"{package.name}/ and is not one of OWN_FOLDERS")
            continue
        module = package.joinpath(*relative.parts[:-1], path.name.removeprefix("test_"))
        if not module.is_file():
            problems.append(f"tests/{relative}: no module {module.relative_to(package.parent)} "
                            "(renamed or removed?)")
    return problems


def test_every_module_has_its_test_file_and_every_test_file_its_module() -> None:
    assert layout_problems(PACKAGE, TESTS, COVERED_ELSEWHERE, OWN_FOLDERS, EXEMPT) == []


def test_own_folders_are_not_package_names() -> None:
    assert not [name for name in OWN_FOLDERS if (PACKAGE / name).exists()]


# --- the check itself, on a small made-up tree -------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    package, tests = tmp_path / "pkg", tmp_path / "tests"
    for name in ("__init__.py", "__main__.py", "a/__init__.py", "a/x.py", "a/y.py",
                 "a/sub/__init__.py", "a/sub/z.py"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("")
    for name in ("conftest.py", "a/test_x.py", "a/sub/test_z.py", "e2e/test_whole.py",
                 "helpers/util.py"):
        (tests / name).parent.mkdir(parents=True, exist_ok=True)
        (tests / name).write_text("")
    return package, tests


def check(tree: tuple[Path, Path], covered: dict[str, str]) -> list[str]:
    package, tests = tree
    return layout_problems(package, tests, covered, {"e2e": "", "helpers": ""},
                           {"pkg.__main__"})


GOOD = {"pkg.a.y": "run end to end by tests/e2e/test_whole.py"}


def test_a_complete_tree_passes(tree: tuple[Path, Path]) -> None:
    assert check(tree, GOOD) == []


def test_a_module_without_tests_or_entry_fails(tree: tuple[Path, Path]) -> None:
    assert check(tree, {}) == [
        "pkg.a.y: no tests/a/test_y.py and no COVERED_ELSEWHERE entry"]


def test_entries_must_name_a_real_module_and_real_test_files(tree: tuple[Path, Path]) -> None:
    assert check(tree, {**GOOD, "pkg.a.gone": "see tests/e2e/test_whole.py"}) == [
        "COVERED_ELSEWHERE['pkg.a.gone']: no such module"]
    assert check(tree, {"pkg.a.y": "tested somewhere"}) == [
        "COVERED_ELSEWHERE['pkg.a.y']: the reason names no test file"]
    assert check(tree, {"pkg.a.y": "see tests/e2e/test_missing.py"}) == [
        "COVERED_ELSEWHERE['pkg.a.y']: tests/e2e/test_missing.py does not exist"]


def test_an_entry_for_a_module_with_its_own_file_fails(tree: tuple[Path, Path]) -> None:
    assert check(tree, {**GOOD, "pkg.a.x": "see tests/e2e/test_whole.py"}) == [
        "pkg.a.x: has its own test file; remove its COVERED_ELSEWHERE entry"]


def test_stale_and_misplaced_test_files_fail(tree: tuple[Path, Path]) -> None:
    package, tests = tree
    (package / "a" / "sub" / "z.py").rename(package / "a" / "sub" / "w.py")
    (tests / "a" / "sub" / "test_w.py").write_text("")
    (tests / "test_flat.py").write_text("")
    (tests / "misc").mkdir()
    (tests / "misc" / "test_thing.py").write_text("")
    assert check(tree, GOOD) == [
        "tests/a/sub/test_z.py: no module pkg/a/sub/z.py (renamed or removed?)",
        "tests/misc/test_thing.py: tests/misc/ mirrors no package of pkg/ and is not one of "
        "OWN_FOLDERS",
        "tests/test_flat.py: no module pkg/flat.py (renamed or removed?)",
    ]
