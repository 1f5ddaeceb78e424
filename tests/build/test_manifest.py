"""The build manifest: every output with its SHA-256 and inputs, and merging shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.manifest import merge, read_manifest
from briefgen.cli import cli
from briefgen.common.diagnostics import InputError
from tests.helpers.builds import edit, run_build


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
