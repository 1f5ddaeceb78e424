"""Output paths: two outputs of a build, or an output and another brief's file, are never
the same file; the collision is found before anything is rendered or written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.outputs import MANIFEST_OWNER, PlannedOutput, collisions, variant_text
from briefgen.cli import cli
from tests.conftest import BRIEF_X

TRADE = BRIEF_X.replace("id: brief-x", "id: trade")
TRADE_MEMO = BRIEF_X.replace("id: brief-x", "id: trade-memo")
TRADE_JA = BRIEF_X.replace("id: brief-x", "id: trade-ja")
MANIFEST_BRIEF = BRIEF_X.replace("id: brief-x", "id: manifest")


def test_collisions_pairs_different_owners_of_one_file() -> None:
    a = PlannedOutput("trade-memo.html", "trade", variant_text("memo", None))
    b = PlannedOutput("trade-memo.html", "trade-memo")
    c = PlannedOutput("trade.json", "trade", variant_text("brief", None))
    assert collisions([a, c], [b, c]) == [(a, b)]
    assert collisions([a, b]) == [(a, b)]
    assert collisions([a], [a]) == []  # a file owned by the one writing it
    assert collisions([], [a, b]) == []  # not this build's files: not its problem
    upper = PlannedOutput("Trade-Memo.html", "Trade-Memo")
    assert collisions([a], [upper]) == [(a, upper)]  # one file on macOS and Windows
    manifest = PlannedOutput("manifest.json", MANIFEST_OWNER)
    own = PlannedOutput("manifest.json", "manifest")
    assert collisions([own], [manifest]) == [(own, manifest)]
    assert manifest.describe() == "the build's manifest"
    assert a.describe() == "brief trade built with --template memo"
    assert variant_text("memo", "ja", edition="2026") == "--template memo --lang ja --edition 2026"


def _build(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["build", "-f", "html", "-f", "json", *args])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("other", "options", "name"), [
    ("trade-memo", ("--template", "memo"), "trade-memo.html"),
    ("trade-ja", ("--lang", "ja"), "trade-ja.html"),
])
def test_a_variant_never_overwrites_another_briefs_files(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        other: str, options: tuple[str, ...], name: str) -> None:
    root = workspace(briefs={"trade": TRADE, other: BRIEF_X.replace("id: brief-x", f"id: {other}")})
    code, _ = _build(root, monkeypatch, other)
    assert code == 0
    before = {p.name: p.read_bytes() for p in (root / "output").iterdir()}
    code, err = _build(root, monkeypatch, "trade", *options)
    assert code == 1, err
    assert (f"briefs/trade.yaml:1:5: id: output/{name} would be written by brief trade built with "
            f"{' '.join(options)} (briefs/trade.yaml) and by brief {other} "
            f"(briefs/{other}.yaml)") in err
    # nothing was written, not even the files that did not collide
    assert {p.name: p.read_bytes() for p in (root / "output").iterdir()} == before


def test_the_collision_is_found_before_the_other_brief_was_ever_built(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(briefs={"trade": TRADE, "trade-memo": TRADE_MEMO})
    code, err = _build(root, monkeypatch, "--template", "memo")
    assert code == 1
    assert "output/trade-memo.html would be written by brief trade built with --template memo" \
        in err
    assert not (root / "output").exists()


def test_a_variant_built_earlier_keeps_its_files_from_a_new_brief(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(briefs={"trade": TRADE})
    assert _build(root, monkeypatch, "--lang", "ja")[0] == 0
    ja = (root / "output" / "trade-ja.html").read_bytes()
    (root / "briefs" / "trade-ja.yaml").write_text(TRADE_JA)
    code, err = _build(root, monkeypatch, "trade-ja")
    assert code == 1
    assert ("briefs/trade-ja.yaml:1:5: id: output/trade-ja.html would be written by brief "
            "trade-ja (briefs/trade-ja.yaml) and by brief trade built with --lang ja") in err
    assert (root / "output" / "trade-ja.html").read_bytes() == ja


def test_a_brief_never_overwrites_the_manifest(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(briefs={"manifest": MANIFEST_BRIEF})
    code, err = _build(root, monkeypatch)
    assert code == 1
    assert ("briefs/manifest.yaml:1:5: id: output/manifest.json would be written by brief "
            "manifest (briefs/manifest.yaml) and by the build's manifest") in err


def test_variants_of_one_brief_share_nothing_but_their_json(
        workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(briefs={"trade": TRADE})
    assert _build(root, monkeypatch)[0] == 0
    assert _build(root, monkeypatch, "--template", "memo")[0] == 0
    assert _build(root, monkeypatch, "--lang", "ja")[0] == 0
    assert {p.name for p in (root / "output").iterdir()} >= {
        "trade.html", "trade-memo.html", "trade-ja.html", "trade.json", "trade-ja.json"}
