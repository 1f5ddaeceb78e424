"""A non-editable install from the wheel works from any folder: the theme ships inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_templates_and_builds_from_elsewhere(tmp_path: Path,
                                                         example_workspace: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefgen/templates/brief.html.j2" in names
    assert "briefgen/templates/brief.css" in names
    assert "briefgen/py.typed" in names
    license_file = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    assert "MIT License" in zipfile.ZipFile(wheel).read(license_file).decode()
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata
    assert "Project-URL: Changelog, " in metadata
    assert "briefgen/language/catalogues/ja.toml" in names  # the labels are data files

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    # Run from a folder that is neither the source tree nor the workspace, with only the
    # installed wheel (and the current environment's dependencies) importable.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import briefgen, sys; print(briefgen.__file__)"],
        env=env, cwd=elsewhere, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--format", "html", "--workspace",
         str(example_workspace), "--out", str(elsewhere / "out")],
        env=env, cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = next((elsewhere / "out").glob("*.html")).read_text()
    assert "Comparison matrix" in html
    shutil.rmtree(target)
