"""The example's editions end to end (issue 16): they build in every format, the leak
check passes on them, and it fails, located, when a CONFIDENTIAL sentence is copied into
an OFFICIAL field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from briefgen.build.leaks import docx_text, normalise, pdf_text

CONFIDENTIAL_RISK = "Alaska development costs and schedule overrun, leaving public finance exposed"
ALL_FORMATS = ["-f", "html", "-f", "pdf", "-f", "md", "-f", "json", "-f", "docx"]


def _build(root: Path, *args: str) -> tuple[int, str]:
    # In a process of its own, as tests/e2e/test_publish.py does: WeasyPrint's PDF/A
    # leaves its colour profile's file to the garbage collector.
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", "--workspace", str(root),
                           "-q", "--jobs", "1", *args], capture_output=True, text=True,
                          timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_the_example_editions_build_clean(example_workspace: Path) -> None:
    code, output = _build(example_workspace, "--edition", "all", *ALL_FORMATS,
                          "--pdf-variant", "pdf/a-3b")
    assert code == 0, output
    out = example_workspace / "output"
    official = out / "fifth-round-offers.official.pdf"
    text = normalise(pdf_text(official.read_bytes()))
    assert normalise(CONFIDENTIAL_RISK) not in text
    assert normalise("Would lead with LNG and table the rare-earth plan") not in text  # dissent
    assert "CONFIDENTIAL" not in (PdfReader(official).pages[0].extract_text() or "")
    # The attachment is the edition's data, never the YAML files.
    with pikepdf.open(official) as pdf:
        [(name, data)] = [(n, a.get_file().read_bytes()) for n, a in pdf.attachments.items()]
    assert name == "fifth-round-offers.official.json"
    assert json.loads(data)["brief"]["classification"] == "OFFICIAL"
    assert normalise(CONFIDENTIAL_RISK) not in normalise(
        docx_text((out / "fifth-round-offers.official.docx").read_bytes()))
    press = (out / "fifth-round-offers.press-lines.html").read_text(encoding="utf-8")
    assert "Lines to take" in press and "analysts-estimates" not in press


def test_a_confidential_sentence_copied_into_an_official_field_fails_located(
        example_workspace: Path) -> None:
    path = example_workspace / "options" / "icebreakers.yaml"
    text = path.read_text(encoding="utf-8")
    summary = next(line for line in text.splitlines() if line.startswith("summary:"))
    path.write_text(text.replace(summary, f"summary: {CONFIDENTIAL_RISK}."), encoding="utf-8")
    code, output = _build(example_workspace, "--edition", "official", "-f", "pdf")
    assert code == 1
    source = (example_workspace / "options" / "alaska-lng.yaml").read_text(encoding="utf-8")
    line = source.splitlines().index(f"  - risk: {CONFIDENTIAL_RISK}") + 1
    assert f"options/alaska-lng.yaml:{line}:5: risks[1]: leak: risks[1] is CONFIDENTIAL" \
        in output
    assert "fifth-round-offers.official.pdf" in output
    assert not (example_workspace / "output" / "fifth-round-offers.official.pdf").exists()
