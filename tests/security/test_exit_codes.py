"""Exit codes: input problems exit 1 located, briefgen's bugs exit 3, --debug shows why."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import briefgen.build.pipeline
from briefgen.cli import cli

BROKEN = {
    "tab": (b"id: opt-a\ntitle:\n\t- x\n", r"opt-a\.yaml:3:1: invalid YAML"),
    "unclosed": (b"id: opt-a\ntitle: [x\n", r"opt-a\.yaml:2:8: invalid YAML: the list opened here"),
    "utf16": ("id: opt-a\n".encode("utf-16"), r"opt-a\.yaml:1:1: the file is UTF-16"),
    "latin1": (b"id: opt-a\ntitle: caf\xe9\n", r"opt-a\.yaml:2:11: byte 0xe9 is not valid UTF-8"),
    "nul": (b"id: opt-a\x00\n", r"opt-a\.yaml:1:10: invalid YAML: a control character \(U\+0000\)"),
    "tag": (b"id: !!python/object:os.system x\n", r"opt-a\.yaml:1:5: id: YAML tags"),
    "two-docs": (b"id: a\n---\nid: b\n", r"opt-a\.yaml:2:1: invalid YAML: the file holds more"),
    "list": (b"- 1\n", r"opt-a\.yaml:1:1: expected a mapping"),
    "empty": (b"", r"opt-a\.yaml:1:1: the file is empty"),
    "dup": (b"id: opt-a\nid: opt-b\n", r"opt-a\.yaml:2:1: id: duplicate key"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", ["check", "build"])
def test_broken_input_exits_1_located(workspace, case, command):
    raw, pattern = BROKEN[case]
    root = workspace()
    (root / "options" / "opt-a.yaml").write_bytes(raw)
    args = [command, "-w", str(root)] + (["-f", "html"] if command == "build" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert re.search(pattern, result.output), result.output
    assert "Traceback" not in result.output and "please report" not in result.output


def test_internal_bug_exits_3_with_a_short_message(workspace, monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("an invariant broke")

    monkeypatch.setattr(briefgen.build.pipeline, "present", bug)
    root = workspace()
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "html"])
    assert result.exit_code == 3
    assert "internal error (RuntimeError: an invariant broke)" in result.output
    assert "please report it" in result.output and "--debug" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["--debug", "build", "-w", str(root), "-f", "html"])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.output
    assert "RuntimeError: an invariant broke" in result.output
