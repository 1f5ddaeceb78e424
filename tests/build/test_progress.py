"""Build progress: one line per brief when not a terminal, a bar when it is, quiet on -q."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.build.progress import choose_mode
from briefgen.cli import cli


def test_progress_one_line_per_brief_when_not_a_terminal(two: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "-w", str(two), "-f", "html", "-j", "1"])
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == ["[1/2] brief-x", "[2/2] brief-y"]
    assert "wrote" in lines[0] and lines[0].endswith(" s")
    assert lines[2].startswith("Built 2, 0 up to date; manifest")
    result = CliRunner().invoke(cli, ["build", "-w", str(two), "-f", "html", "--force", "-q"])
    assert result.exit_code == 0 and result.stderr == ""
    result = CliRunner().invoke(cli, ["build", "-w", str(two), "-f", "html"])
    assert result.stderr.startswith("Up to date: 2 briefs in ")


def test_progress_mode_follows_the_terminal() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert choose_mode(False, Tty()) == "bar"  # type: ignore[arg-type]
    assert choose_mode(False, Pipe()) == "lines"  # type: ignore[arg-type]
    assert choose_mode(True, Tty()) == "quiet"  # type: ignore[arg-type]
