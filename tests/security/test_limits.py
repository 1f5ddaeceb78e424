"""Limits: each oversized or pathological YAML file is a located error, fast, never a crash."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.common.diagnostics import InputError
from briefgen.inputs.load import Limits, parse_yaml

# Nine aliases of nine aliases, nine levels deep: 9**9 (387 million) values once expanded.
BILLION_LAUGHS = """\
id: opt-a
lol1: &lol1 [lol, lol, lol, lol, lol, lol, lol, lol, lol]
lol2: &lol2 [*lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1]
lol3: &lol3 [*lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2]
lol4: &lol4 [*lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3]
lol5: &lol5 [*lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4]
lol6: &lol6 [*lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5]
lol7: &lol7 [*lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6]
lol8: &lol8 [*lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7]
lol9: &lol9 [*lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8]
"""


def check(root: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", "--workspace", str(root), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def located(output: str, file: str) -> tuple[int, int, str]:
    """(line, column, message) of the first diagnostic printed for ``file``."""
    match = re.search(re.escape(file) + r":(\d+):(\d+): (.*)", output)
    assert match, output
    return int(match[1]), int(match[2]), match[3]


def test_billion_laughs_is_refused_at_the_alias_fast(workspace):
    root = workspace(options={"opt-a": BILLION_LAUGHS})
    start = time.perf_counter()
    code, out = check(root)
    assert time.perf_counter() - start < 5
    assert code == 1
    line, column, message = located(out, "opt-a.yaml")
    assert "more than 200000 values (aliases included)" in message
    assert line == 7  # lol6 is the first level whose expansion passes the limit
    assert column > 1


def test_deep_nesting_is_a_located_error_not_a_crash(workspace):
    # 100 000 levels crash PyYAML's C composer (a segfault) unless stopped before it.
    deep = "id: opt-a\nnested: " + "[" * 100_000 + "]" * 100_000 + "\n"
    root = workspace(options={"opt-a": deep})
    code, out = check(root)
    assert code == 1
    line, column, message = located(out, "opt-a.yaml")
    assert (line, message) == (2, "nested deeper than 40 levels")
    # at the 41st level, or where PyYAML >= 6.0.4's own scanner limit (1000) stops first
    assert column in (9 + 40, 8 + 1000)


def test_deep_block_mapping(workspace):
    deep = "id: opt-a\n" + "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x\n"
    code, out = check(workspace(options={"opt-a": deep}))
    assert code == 1
    line, _, message = located(out, "opt-a.yaml")
    assert message == "nested deeper than 40 levels"
    assert line == 43  # the mapping under k40 is level 41


def test_self_referencing_alias():
    with pytest.raises(InputError) as err:
        parse_yaml("a: &loop [1, *loop]\n", "loop.yaml")
    assert str(err.value).startswith("loop.yaml:1:14: the alias *loop refers to a value")


def test_too_many_nodes(workspace):
    many = "id: opt-a\nitems: [" + ", ".join(["1"] * 210_000) + "]\n"
    start = time.perf_counter()
    code, out = check(workspace(options={"opt-a": many}))
    assert time.perf_counter() - start < 10
    assert code == 1
    line, _, message = located(out, "opt-a.yaml")
    assert line == 2 and "more than 200000 values" in message


def test_long_string(workspace):
    text = "id: opt-a\ntitle: " + "x" * 100_001 + "\n"
    code, out = check(workspace(options={"opt-a": text}))
    assert code == 1
    assert located(out, "opt-a.yaml") == (2, 8, "title: text longer than 100000 characters "
                                                "(100001)")


def test_file_size_default_and_configurable(workspace):
    big = "id: opt-a\n" + "".join(f"# padding line {i:07d} " + "x" * 40 + "\n"
                                  for i in range(17_000))  # about 1.1 MB of comments
    root = workspace(options={"opt-a": big})
    code, out = check(root)
    assert code == 1
    line, column, message = located(out, "opt-a.yaml")
    assert (line, column) == (1, 1)
    assert "over the limit of 1,000,000" in message and "--max-file-size" in message
    # Raised, the limit lets the file through to validation (where it fails for other reasons).
    code, out = check(root, "--max-file-size", "2MB")
    assert "over the limit" not in out
    code, out = check(workspace(), "--max-file-size", "100")
    assert code == 1 and "over the limit of 100 " in out
    code, out = check(workspace(), "--max-file-size", "lots")
    assert code == 2 and "not a size" in out


def test_limits_are_configurable_in_code():
    with pytest.raises(InputError, match="nested deeper than 2 levels"):
        parse_yaml("a: [[[1]]]\n", "x.yaml", Limits(max_depth=2))
    with pytest.raises(InputError, match="more than 5 values"):
        parse_yaml("a: &a [1, 2]\nb: [*a, *a]\n", "x.yaml", Limits(max_nodes=5))
