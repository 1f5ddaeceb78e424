"""The incremental cache and shards: what a build skips, rebuilds and how briefs are shared out.

Behaviour only; timings live in benchmarks/run.py. The manifest, --jobs and
progress output are tested in test_manifest.py, test_parallel.py and
test_progress.py next to this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build import cache
from briefgen.build.cache import parse_shard, shard_select, up_to_date
from briefgen.build.manifest import read_manifest
from briefgen.cli import cli
from tests.conftest import ROOT
from tests.helpers.builds import edit, run_build

# --- the incremental cache ------------------------------------------------------


def test_second_build_skips_everything(two: Path) -> None:
    first = run_build(two)
    assert first.built == ["brief-x", "brief-y"] and first.skipped == []
    again = run_build(two)
    assert again.built == [] and again.skipped == ["brief-x", "brief-y"]


def test_changing_one_option_rebuilds_only_the_briefs_that_include_it(two: Path) -> None:
    run_build(two)
    edit(two / "options" / "opt-b.yaml", "Do B.", "Do B, differently.")
    result = run_build(two)
    assert result.built == ["brief-x"]
    assert result.skipped == ["brief-y"]
    assert "differently" in (two / "output" / "brief-x.html").read_text()
    edit(two / "options" / "opt-a.yaml", "Do A.", "Do A again.")
    assert run_build(two).built == ["brief-x", "brief-y"]


def test_an_option_referred_to_by_relations_is_an_input(two: Path) -> None:
    edit(two / "options" / "opt-c.yaml", "actions:", "relations: {depends_on: [opt-b]}\nactions:")
    run_build(two)
    edit(two / "options" / "opt-b.yaml", "title: Option B", "title: Option Bee")
    assert run_build(two).built == ["brief-x", "brief-y"]  # brief-y prints opt-b's title


def test_a_template_change_rebuilds_every_brief(two: Path) -> None:
    run_build(two)
    (two / "templates").mkdir()
    (two / "templates" / "extra.css").write_text("p { color: red }")
    assert run_build(two).built == ["brief-x", "brief-y"]
    assert run_build(two).built == []


def test_an_asset_change_rebuilds_every_brief(two: Path) -> None:
    """A theme's CSS or an option's Markdown may pull in any file under assets/."""
    (two / "assets").mkdir()
    (two / "assets" / "seal.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    run_build(two)
    assert run_build(two).built == []
    assert up_to_date(two, two / "output", [], ["html"], True, None) == ["brief-x", "brief-y"]
    (two / "assets" / "seal.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='9'/>")
    assert up_to_date(two, two / "output", [], ["html"], True, None) is None
    assert run_build(two).built == ["brief-x", "brief-y"]
    manifest = read_manifest(two / "output" / "manifest.json")
    assert manifest is not None
    seal = {"path": "assets/seal.svg", "sha256": cache.sha256_file(two / "assets" / "seal.svg")}
    assert seal in manifest["outputs"]["brief-x.html"]["inputs"]


def test_force_settings_and_damaged_outputs_rebuild(two: Path) -> None:
    run_build(two)
    assert run_build(two, force=True).built == ["brief-x", "brief-y"]
    (two / "output" / "brief-y.html").write_text("tampered")
    assert run_build(two).built == ["brief-y"]
    (two / "output" / "brief-x.html").unlink()
    assert run_build(two).built == ["brief-x"]
    assert run_build(two, split=False, formats=("html",)).built == []  # split only matters for pdf


def test_fast_path_answers_only_when_nothing_changed(two: Path) -> None:
    out = two / "output"
    assert up_to_date(two, out, [], ["html"], True, None) is None  # never built
    run_build(two)
    assert up_to_date(two, out, [], ["html"], True, None) == ["brief-x", "brief-y"]
    assert up_to_date(two, out, ["brief-y"], ["html"], True, None) == ["brief-y"]
    assert up_to_date(two, out, [], ["html", "pdf"], True, None) is None  # other settings
    (two / "options" / "new.yaml").write_text("id: new\n")  # even an unused (broken) file
    assert up_to_date(two, out, [], ["html"], True, None) is None


def test_a_renderer_upgrade_makes_every_brief_out_of_date(
        two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = two / "output"
    run_build(two)
    assert up_to_date(two, out, [], ["html"], True, None) == ["brief-x", "brief-y"]
    installed = cache.package_version
    monkeypatch.setattr(cache, "package_version", lambda name: "99.0" if name == "matplotlib"
                        else installed(name), raising=False)
    assert up_to_date(two, out, [], ["html"], True, None) is None
    assert run_build(two).built == ["brief-x", "brief-y"]
    assert read_manifest(out / "manifest.json")["briefs"]["brief-x"]["settings"]["renderers"][
        "matplotlib"] == "99.0"
    assert run_build(two).built == []


def test_pango_counts_for_pdf_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "pango_version", lambda: "1.99.0", raising=False)
    assert cache.build_settings(["pdf"], True)["renderers"]["pango"] == "1.99.0"
    assert cache.build_settings(["pdf"], True)["renderers"]["weasyprint"] != "missing"
    assert "pango" not in cache.build_settings(["html"], True)["renderers"]
    assert "weasyprint" not in cache.build_settings(["html"], True)["renderers"]


def test_a_font_installed_makes_every_brief_out_of_date(
        two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    out = two / "output"
    run_build(two)
    assert up_to_date(two, out, [], ["html"], True, None) == ["brief-x", "brief-y"]
    (tmp_path / "data" / "fonts").mkdir(parents=True)
    (tmp_path / "data" / "fonts" / "NewSans.ttf").write_bytes(b"\0" * 64)
    assert up_to_date(two, out, [], ["html"], True, None) is None
    assert run_build(two).built == ["brief-x", "brief-y"]


def test_package_version_reads_the_installed_metadata() -> None:
    from importlib import metadata

    for name in ("matplotlib", "python-docx", "weasyprint"):
        assert cache.package_version(name) == metadata.version(name)
    assert cache.package_version("no-such-package-here") == "missing"


def test_an_option_saved_while_the_build_loads_is_rebuilt_next_time(two: Path) -> None:
    """The manifest records the hash of the bytes parsed, not of the file as it is later."""
    import hashlib

    from briefgen.build.pipeline import build, load_valid_workspace

    path = two / "options" / "opt-a.yaml"
    parsed = path.read_bytes()
    ws, _ = load_valid_workspace(two)
    edit(path, "title: Option A", "title: Option A saved meanwhile")  # after load, before build
    build(ws, [], ["html", "json"], two / "output")
    assert "Option A saved meanwhile" not in (two / "output" / "brief-x.html").read_text()
    exported = json.loads((two / "output" / "brief-x.json").read_text())
    assert {"path": "options/opt-a.yaml", "sha256": hashlib.sha256(parsed).hexdigest(),
            "bytes": len(parsed)} in exported["inputs"]
    entry = read_manifest(two / "output" / "manifest.json")["briefs"]["brief-x"]
    recorded = {i["path"]: i["sha256"] for i in entry["inputs"]}
    assert recorded["options/opt-a.yaml"] == hashlib.sha256(parsed).hexdigest()
    assert up_to_date(two, two / "output", [], ["html", "json"], True, None) is None
    assert run_build(two, formats=("html", "json")).built == ["brief-x", "brief-y"]
    assert "Option A saved meanwhile" in (two / "output" / "brief-x.html").read_text()


def test_noop_build_imports_neither_pydantic_nor_weasyprint(two: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "briefgen", "build", "-w", str(two),
               "-f", "html"]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    again = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    assert "Up to date: 2 briefs" in again.stderr
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines()
                if line.startswith("import time:")}
    assert "briefgen.build.cache" in imported
    assert not {"pydantic", "weasyprint", "jinja2", "yaml"} & imported


# --- shards ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("count", [0, 1, 5, 20])
def test_shards_cover_every_brief_exactly_once(n: int, count: int) -> None:
    ids = [f"brief-{i:02d}" for i in reversed(range(count))]
    shares = [shard_select(ids, (k, n)) for k in range(1, n + 1)]
    flat = [b for share in shares for b in share]
    assert sorted(flat) == sorted(ids) and len(flat) == len(set(flat))
    assert max(map(len, shares)) - min(map(len, shares)) <= 1
    assert shares == [shard_select(list(reversed(ids)), (k, n)) for k in range(1, n + 1)]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_shard(text)


def test_cli_rejects_a_bad_shard(two: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "-w", str(two), "--shard", "3/2"])
    assert result.exit_code == 2
    assert "K must be between 1 and N" in result.output


# --- what the cache hashes -------------------------------------------------------------


def test_cache_hashes_the_theme_that_render_uses() -> None:
    from briefgen.build import cache
    from briefgen.output import render
    assert cache.builtin_templates() == render.builtin_templates()
