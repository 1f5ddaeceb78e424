"""Fuzzing: random and mutated YAML, built from the fixture files, through check and build.

Every input must end in exit 0 or exit 1 with located problems: never a
traceback, never exit 3. The default profile is bounded and derandomized so CI
is deterministic and fast; run the long one with

    HYPOTHESIS_PROFILE=long python -m pytest -q tests/properties/test_fuzz.py

(it draws 25x more examples, randomized, with no time budget per example).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import cli
from tests import conftest
from tests.helpers.inert import assert_inert

PROFILES = {
    "default": settings(max_examples=150, deadline=None, derandomize=True, database=None,
                        suppress_health_check=[HealthCheck.too_slow]),
    "long": settings(max_examples=1500, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow]),
}
PROFILE = PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "default")]

SEEDS = {"options/opt-a.yaml": conftest.OPTION_A, "options/opt-b.yaml": conftest.OPTION_B,
         "briefs/brief-x.yaml": conftest.BRIEF_X}
LOCATED = re.compile(r"^\S+\.ya?ml:\d+:\d+: ", re.MULTILINE)
YAML_BITS = [":", " ", "\n", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "|", ">",
             "'", '"', "#", "\t", "~", "null", "0x1F", "012", "1e999", ".nan", "? ", "---\n",
             "\x00", "\ufeff", "é", "日本", "<script>", "](javascript:x)", "![x](/etc/passwd)",
             "%YAML 1.1\n", "<<: *a\n", "id: ", "  ", "\r\n", "\\", "\x85", "\ud7ff"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """One fixture file with a few random edits: cuts, inserts, duplicated and swapped lines."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[name]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "insert", "dup", "swap", "indent"]))
        lines = text.split("\n")
        if op == "cut" and text:
            i = draw(st.integers(0, len(text) - 1))
            text = text[:i] + text[i + draw(st.integers(1, 20)):]
        elif op == "insert":
            i = draw(st.integers(0, len(text)))
            bit = draw(st.sampled_from(YAML_BITS) | st.text(max_size=8))
            text = text[:i] + bit + text[i:]
        elif op == "dup":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif op == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from(["", " ", "  ", "    ", "\t"])) + lines[i].lstrip()
            text = "\n".join(lines)
    return name, text


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


@st.composite
def random_option(draw: st.DrawFn) -> tuple[str, str]:
    """A fixture option with random values put at random top-level keys, dumped as YAML."""
    data = yaml.safe_load(conftest.OPTION_A)
    keys = [*sorted(data), "extra", "scores", "risks", "cost"]
    for _ in range(draw(st.integers(1, 3))):
        data[draw(st.sampled_from(keys))] = draw(values)
    return "options/opt-a.yaml", yaml.safe_dump(data, allow_unicode=True)


def _workspace(root: Path, name: str, text: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    for rel, seed in SEEDS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((text if rel == name else seed).encode("utf-8", "surrogatepass"))
    return root


def _assert_clean(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 1:
        assert LOCATED.search(result.output), result.output


def _run(root: Path, name: str, text: str) -> None:
    _workspace(root, name, text)
    runner = CliRunner()
    _assert_clean(runner.invoke(cli, ["check", "-w", str(root)]))
    result = runner.invoke(cli, ["build", "-w", str(root), "-f", "html"])
    _assert_clean(result)
    if result.exit_code == 0:
        assert_inert((root / "output" / "brief-x.html").read_text(encoding="utf-8"))


@PROFILE
@given(case=mutated())
def test_mutated_fixture_files(tmp_path_factory, case):
    _run(tmp_path_factory.getbasetemp() / "fuzz-mutated", *case)


@PROFILE
@given(case=random_option())
def test_random_values_in_an_option(tmp_path_factory, case):
    _run(tmp_path_factory.getbasetemp() / "fuzz-random", *case)
