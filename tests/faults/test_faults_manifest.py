"""output/manifest.json is a hint, never an authority.

Anyone can commit, copy or edit the manifest. A forged or stale entry must
not make an output count as up to date; a malformed one is ignored with a
warning (never exit 3); a name in it never leads outside the output folder;
and nothing but a regular file is ever opened (a FIFO or /dev/zero would hang
the build). Each test runs the real CLI in a subprocess with a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BUG = "This is a bug in briefgen"


def run(root: Path, *args: str, cache: Path | None = None,
        timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache or root.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "briefgen", "build", "-f", "html", *args],
                          cwd=root, text=True, capture_output=True, timeout=timeout, env=env)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def built(result: subprocess.CompletedProcess[str]) -> bool:
    assert result.returncode == 0, result.stderr
    assert BUG not in result.stderr and "Traceback" not in result.stderr, result.stderr
    return "Built 1, 0 up to date" in result.stderr


@pytest.fixture
def root(workspace) -> Path:
    root = workspace()
    assert built(run(root))
    assert "Up to date: 1 brief" in run(root).stderr
    return root


def manifest_of(root: Path) -> dict:
    return json.loads((root / "output" / "manifest.json").read_text())


def write_manifest(root: Path, data: object) -> None:
    (root / "output" / "manifest.json").write_text(
        data if isinstance(data, str) else json.dumps(data))


def test_forged_output_with_its_hash_in_the_manifest_is_rebuilt(root):
    out = root / "output" / "brief-x.html"
    genuine = out.read_bytes()
    forged = genuine.replace(b"Brief X", b"Brief X (we recommend option A!)")
    out.write_bytes(forged)
    data = manifest_of(root)
    data["outputs"]["brief-x.html"]["sha256"] = sha(forged)
    data["briefs"]["brief-x"]["outputs"]["brief-x.html"] = sha(forged)
    write_manifest(root, data)
    assert built(run(root))
    assert out.read_bytes() == genuine


def test_manifest_from_another_machine_is_not_trusted(root, tmp_path):
    # The same workspace and outputs, but the manifest was sealed elsewhere (a commit, a
    # CI artifact): its entries are hints only, so everything is rebuilt once.
    assert built(run(root, cache=tmp_path / "other-machine"))
    assert "Up to date: 1 brief" in run(root, cache=tmp_path / "other-machine").stderr


def test_hand_written_entry_with_the_right_key_is_not_trusted(root):
    data = manifest_of(root)
    del data["briefs"]["brief-x"]["seal"]
    write_manifest(root, data)
    assert built(run(root))


@pytest.mark.parametrize("case", ["not json", "list", "bad entries", "bad sections", "nested"])
def test_malformed_manifest_is_ignored_with_a_warning(root, case):
    data = manifest_of(root)
    if case == "not json":
        data = '{"manifest": 1, "outputs": {'
    elif case == "list":
        data = [1, 2, 3]
    elif case == "bad entries":
        data["briefs"]["brief-x"]["outputs"] = "brief-x.html"
        data["briefs"]["ghost"] = "oops"
        data["outputs"]["brief-x.html"] = {"sha256": 5}
    elif case == "bad sections":
        data["briefs"], data["outputs"] = ["brief-x"], None
    else:
        data = "[" * 100_000 + "]" * 100_000
    write_manifest(root, data)
    result = run(root)
    assert built(result)
    assert "output/manifest.json:1:1: warning: ignored" in result.stderr, result.stderr
    assert "Up to date: 1 brief" in run(root).stderr  # the rewritten manifest is sound


def test_entry_pointing_outside_the_output_folder_is_never_followed(root):
    secret = root / "secret.txt"
    secret.write_bytes(b"do not publish\n")
    data = manifest_of(root)
    data["briefs"]["ghost"] = {**data["briefs"]["brief-x"],
                               "outputs": {"../secret.txt": sha(secret.read_bytes()),
                                           "../../etc/passwd": "0" * 64}}
    data["outputs"]["../../etc/passwd"] = {**data["outputs"]["brief-x.html"], "brief": "ghost"}
    write_manifest(root, data)
    result = run(root)
    assert result.returncode == 0 and BUG not in result.stderr, result.stderr
    assert "not a plain file name" in result.stderr, result.stderr
    written = (root / "output" / "manifest.json").read_text()
    assert "../" not in written and "ghost" not in written


@pytest.mark.parametrize("how", ["absolute", "symlink", "fifo"])
def test_entry_naming_a_device_or_fifo_does_not_hang(root, how):
    data = manifest_of(root)
    ghost = {**data["briefs"]["brief-x"]}
    if how == "absolute":
        ghost["outputs"] = {"/dev/zero": "0" * 64}
        data["briefs"]["brief-x"]["outputs"] = {"/dev/zero": "0" * 64}
    else:
        target = root / "output" / "zero.html"
        if how == "symlink":
            target.symlink_to("/dev/zero")
        else:
            os.mkfifo(target)
        ghost["outputs"] = {"zero.html": "0" * 64}
        # Even the brief's own entry: its output replaced by a FIFO or a device.
        (root / "output" / "brief-x.html").unlink()
        os.link(target, root / "output" / "brief-x.html") if how == "fifo" else \
            (root / "output" / "brief-x.html").symlink_to("/dev/zero")
    data["briefs"]["ghost"] = ghost
    write_manifest(root, data)
    result = run(root, timeout=60)
    assert result.returncode == 0 and BUG not in result.stderr, result.stderr
    assert (root / "output" / "brief-x.html").is_file()
    assert not (root / "output" / "brief-x.html").is_symlink()


@pytest.mark.parametrize("how", ["fifo", "device"])
def test_manifest_that_is_a_fifo_or_device_does_not_hang(root, how):
    manifest = root / "output" / "manifest.json"
    manifest.unlink()
    if how == "fifo":
        os.mkfifo(manifest)
    else:
        manifest.symlink_to("/dev/zero")
    result = run(root, timeout=60)
    assert built(result)
    assert "warning: ignored: cannot read it as a regular file" in result.stderr
    assert manifest.is_file() and not manifest.is_symlink()


def test_merge_of_a_malformed_manifest_is_an_input_error(root, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"manifest": 1, "outputs": {"../x": 1}, "briefs": {"b": []}}')
    result = subprocess.run([sys.executable, "-m", "briefgen", "manifest", "merge", str(bad),
                             "-o", str(tmp_path / "merged.json")], text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "ignored the entry for output '../x'" in result.stderr
    assert BUG not in result.stderr
