"""Building at scale: the incremental cache, shards, manifests, --jobs and progress output.

Behaviour only; timings live in benchmarks/run.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build import cache
from briefgen.build.cache import parse_shard, shard_select, up_to_date
from briefgen.build.manifest import merge, read_manifest
from briefgen.build.pipeline import build, load_valid_workspace
from briefgen.build.progress import choose_mode
from briefgen.cli import cli
from briefgen.common.diagnostics import InputError
from tests.conftest import BRIEF_X, OPTION_A, OPTION_B, ROOT

OPTION_C = OPTION_B.replace("id: opt-b", "id: opt-c").replace("Option B", "Option C")
BRIEF_Y = BRIEF_X.replace("id: brief-x", "id: brief-y").replace(
    "baseline: opt-b", "baseline: opt-c\noptions: [opt-a, opt-c]")
BRIEF_X_AB = BRIEF_X.replace("baseline: opt-b", "baseline: opt-b\noptions: [opt-a, opt-b]")


@pytest.fixture
def two(workspace: Callable[..., Path]) -> Path:
    """brief-x compares opt-a and opt-b; brief-y compares opt-a and opt-c."""
    return workspace(options={"opt-a": OPTION_A, "opt-b": OPTION_B, "opt-c": OPTION_C},
                     briefs={"brief-x": BRIEF_X_AB, "brief-y": BRIEF_Y})


def run_build(root: Path, **kwargs: object):
    ws, _ = load_valid_workspace(root)
    formats = kwargs.pop("formats", ("html",))
    return build(ws, [], formats, root / "output", **kwargs)  # type: ignore[arg-type]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


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


# --- shards and manifests -----------------------------------------------------------


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


def test_manifest_lists_outputs_with_sha256_and_inputs(two: Path) -> None:
    import hashlib

    run_build(two)
    manifest = read_manifest(two / "output" / "manifest.json")
    assert manifest is not None
    assert sorted(manifest["outputs"]) == ["brief-x.html", "brief-y.html"]
    entry = manifest["outputs"]["brief-y.html"]
    assert entry["sha256"] == hashlib.sha256((two / "output" / "brief-y.html").read_bytes()
                                             ).hexdigest()
    paths = [i["path"] for i in entry["inputs"]]
    assert paths[:3] == ["briefs/brief-y.yaml", "options/opt-a.yaml", "options/opt-c.yaml"]
    assert "options/opt-b.yaml" not in paths
    assert "briefgen:templates/brief.html.j2" in paths
    opt_c = next(i for i in entry["inputs"] if i["path"] == "options/opt-c.yaml")
    assert opt_c["sha256"] == hashlib.sha256((two / "options" / "opt-c.yaml").read_bytes()
                                             ).hexdigest()


def test_sharded_builds_merge_into_one_manifest(two: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for k in (1, 2):
        result = runner.invoke(cli, ["build", "-w", str(two), "-f", "html", "--shard", f"{k}/2",
                                     "-o", str(tmp_path / f"s{k}"), "-q"])
        assert result.exit_code == 0, result.output
    one = json.loads((tmp_path / "s1" / "manifest.json").read_text())
    assert list(one["outputs"]) == ["brief-x.html"]
    result = runner.invoke(cli, ["manifest", "merge", str(tmp_path / "s1" / "manifest.json"),
                                 str(tmp_path / "s2" / "manifest.json"),
                                 "-o", str(tmp_path / "all.json")])
    assert result.exit_code == 0, result.output
    merged = json.loads((tmp_path / "all.json").read_text())
    assert sorted(merged["outputs"]) == ["brief-x.html", "brief-y.html"]
    assert sorted(merged["briefs"]) == ["brief-x", "brief-y"]
    # the same manifest twice is no conflict
    assert merge([tmp_path / "s1" / "manifest.json"] * 2)["outputs"] == one["outputs"]


def test_merge_refuses_conflicting_entries(two: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["build", "-w", str(two), "-f", "html", "-o", str(tmp_path / "a"), "-q"])
    edit(two / "options" / "opt-a.yaml", "Do A.", "Do A differently.")
    runner.invoke(cli, ["build", "-w", str(two), "-f", "html", "-o", str(tmp_path / "b"), "-q"])
    a, b = tmp_path / "a" / "manifest.json", tmp_path / "b" / "manifest.json"
    with pytest.raises(InputError) as err:
        merge([a, b])
    assert "conflicting entry for output 'brief-x.html'" in str(err.value)
    result = runner.invoke(cli, ["manifest", "merge", str(a), str(b), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "conflicting entry" in result.output
    assert not (tmp_path / "m").exists()


# --- parallel builds and progress -----------------------------------------------------


def test_jobs_give_the_same_bytes_as_one_job(two: Path, tmp_path: Path) -> None:
    (two / "briefs" / "brief-z.yaml").write_text(BRIEF_X.replace("id: brief-x", "id: brief-z"))
    ws, _ = load_valid_workspace(two)
    build(ws, [], ("html", "pdf"), tmp_path / "one", jobs=1)
    build(ws, [], ("html", "pdf"), tmp_path / "two", jobs=2)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two_ = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert sorted(one) == ["brief-x.html", "brief-x.pdf", "brief-y.html", "brief-y.pdf",
                           "brief-z.html", "brief-z.pdf", "manifest.json"]
    assert one == two_


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


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickling keeps only args: unpickling fails
        super().__init__(f"{a} and {b}")


def _fail(item: int) -> int:
    if item == 2:
        raise _Unpicklable(1, 2)
    if item == 3:
        raise InputError([])
    return item * 10


def test_worker_errors_come_back_instead_of_hanging() -> None:
    from briefgen.build.parallel import WorkerError, run_forked

    assert sorted(run_forked(_fail, [0, 1], 2)) == [0, 10]
    with pytest.raises(WorkerError, match="_Unpicklable: 1 and 2"):
        list(run_forked(_fail, [0, 1, 2], 2))
    with pytest.raises(InputError):
        list(run_forked(_fail, [3, 1], 2))


def test_cache_hashes_the_theme_that_render_uses() -> None:
    from briefgen.build import cache
    from briefgen.output import render
    assert cache.builtin_templates() == render.builtin_templates()
