"""init and new: a workspace that builds at once, starting files that validate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.authoring.schema import SCHEMA_FILES
from briefgen.cli import cli


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def schema_target(file: Path) -> Path:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return (file.parent / first[len(prefix):]).resolve()


def test_init_makes_a_workspace_that_checks_and_builds(tmp_path: Path) -> None:
    ws = tmp_path / "briefs-ws"
    result = run("init", str(ws))
    assert result.exit_code == 0, result.output
    for rel in ("options/status-quo.yaml", "options/congestion-charge.yaml",
                "briefs/city-transport.yaml", ".gitignore", ".github/workflows/briefs.yml",
                "schema/option.schema.json", "schema/brief.schema.json"):
        assert (ws / rel).is_file(), rel
    assert "/output/" in (ws / ".gitignore").read_text()
    assert "briefgen check --format github" in (ws / ".github/workflows/briefs.yml").read_text()
    check = run("check", "-w", str(ws), "--strict")
    assert check.exit_code == 0, check.output
    build = run("build", "-w", str(ws), "--format", "html")
    assert build.exit_code == 0, build.output
    html = (ws / "output" / "city-transport.html").read_text()
    assert "Introduce a congestion charge" in html
    assert "__briefgen" not in html  # no live-reload script in built files


def test_scaffolded_files_point_at_the_written_schema(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    assert schema_target(tmp_path / "options/status-quo.yaml") == \
        tmp_path / "schema" / SCHEMA_FILES["option"]
    assert schema_target(tmp_path / "briefs/city-transport.yaml") == \
        tmp_path / "schema" / SCHEMA_FILES["brief"]


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "options").mkdir()
    mine = tmp_path / "options" / "status-quo.yaml"
    mine.write_text("my own file\n")
    result = run("init", str(tmp_path))
    assert result.exit_code == 0
    assert mine.read_text() == "my own file\n"
    kept = [line for line in result.stderr.splitlines() if line.startswith("kept ")]
    assert len(kept) == 1 and kept[0].endswith(
        "options/status-quo.yaml (already there; briefgen never overwrites a file)")


def test_new_option_validates_with_placeholder_warnings(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    result = run("new", "option", "bus-lanes", "-w", str(tmp_path))
    assert result.exit_code == 0, result.output
    made = tmp_path / "options" / "bus-lanes.yaml"
    assert schema_target(made) == tmp_path / "schema" / SCHEMA_FILES["option"]
    check = run("check", "-w", str(tmp_path))
    assert check.exit_code == 0, check.output
    warned = [line for line in check.stdout.splitlines() if "bus-lanes.yaml" in line]
    assert warned and all("warning:" in line and "placeholder left in" in line for line in warned)
    assert any("bus-lanes.yaml:5:8: warning: title: placeholder left in" in line
               for line in warned)
    # both criteria of the brief get a not_scored placeholder, so no missing-score error
    assert any("scores.congestion.not_scored" in line for line in warned)
    assert any("scores.cost.not_scored" in line for line in warned)
    assert run("check", "-w", str(tmp_path), "--strict").exit_code == 1


def test_new_brief_reuses_criteria_and_validates(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    result = run("new", "brief", "second-look", "-w", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "briefs" / "second-look.yaml").read_text()
    assert "baseline: status-quo" in text and "id: congestion" in text
    check = run("check", "-w", str(tmp_path))
    assert check.exit_code == 0, check.output
    assert "second-look.yaml" in check.stdout


def test_new_in_an_empty_folder(tmp_path: Path) -> None:
    assert run("new", "option", "first", "-w", str(tmp_path)).exit_code == 0
    assert (tmp_path / "schema" / "option.schema.json").is_file()
    check = run("check", "-w", str(tmp_path))
    assert check.exit_code == 0, check.output


def test_new_never_overwrites_and_checks_the_id(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    before = (tmp_path / "options" / "status-quo.yaml").read_text()
    again = run("new", "option", "status-quo", "-w", str(tmp_path))
    assert again.exit_code == 1
    assert "already exists; briefgen never overwrites a file" in again.stderr
    assert (tmp_path / "options" / "status-quo.yaml").read_text() == before
    bad = run("new", "brief", "Big Brief", "-w", str(tmp_path))
    assert bad.exit_code == 2  # an argument, not a file: a usage error
    assert "'Big Brief' is not a valid id" in bad.stderr
