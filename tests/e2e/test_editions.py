"""The example's editions end to end (issue 16): they build in every format, the leak
check passes on them, and it fails, located, when a CONFIDENTIAL sentence is copied into
an OFFICIAL field."""

from __future__ import annotations

import json
import re
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


def test_an_edition_withholds_the_figures_resting_on_a_confidential_score(
        example_workspace: Path) -> None:
    path = example_workspace / "options" / "icebreakers.yaml"
    text = path.read_text(encoding="utf-8")
    marked = text.replace("  tariff_leverage:\n    value: 2\n",
                          "  tariff_leverage:\n    level: CONFIDENTIAL\n    value: 2\n")
    assert marked != text
    path.write_text(marked, encoding="utf-8")
    code, output = _build(example_workspace, "-f", "json", "-f", "html")
    assert code == 0, output
    # Built, not refused; the leak check (which cannot be skipped) ran on every format.
    code, output = _build(example_workspace, "--edition", "official", *ALL_FORMATS)
    assert code == 0, output
    out = example_workspace / "output"
    full = json.loads((out / "fifth-round-offers.json").read_text(encoding="utf-8"))
    edition = json.loads((out / "fifth-round-offers.official.json").read_text(encoding="utf-8"))

    # JSON: the withheld figures are null; every figure resting on released parts is the
    # full brief's, untouched by the withheld score.
    rows = {r["option"]: r for r in edition["analysis"]["ranking"]}
    full_rows = {r["option"]: r for r in full["analysis"]["ranking"]}
    assert [r["option"] for r in edition["analysis"]["ranking"]] == sorted(rows)  # not ranked
    assert edition["analysis"]["leader"] is None
    assert all(r["rank"] is None and r["tied_with"] is None for r in rows.values())
    ice = rows.pop("icebreakers")
    assert (ice["total"], ice["total_low"], ice["total_high"]) == (None, None, None)
    assert {c["criterion"]: c["raw"] for c in ice["cells"]}["tariff_leverage"] is None
    assert all(c["contribution"] is None for c in ice["cells"])
    for ident, row in rows.items():
        expected = full_rows[ident]
        assert (row["total"], row["total_low"], row["total_high"], row["cells"]) == \
            (expected["total"], expected["total_low"], expected["total_high"],
             expected["cells"])
    assert edition["analysis"]["weights"] == full["analysis"]["weights"]

    # HTML: the total and rank cells print the neutral mark; no chart is drawn on totals
    # that include a withheld one, and a neutral note says so.
    html = (out / "fifth-round-offers.official.html").read_text(encoding="utf-8")
    full_html = (out / "fifth-round-offers.html").read_text(encoding="utf-8")
    assert 'id="chart-totals-figure"' in full_html
    assert "<svg" not in html and 'class="chart"' not in html
    assert "Charts resting on withheld figures are left out of this edition." in html
    matrix = html[html.index('<table class="matrix'):]
    rows = matrix[:matrix.index("</table>")].split("<tr")
    [row] = [r for r in rows if 'href="#option-icebreakers"' in r]
    assert row.count('<span class="withheld">Withheld</span>') == 3  # rank, score, total
    [row] = [r for r in rows if 'href="#option-alaska-lng"' in r]
    assert row.count('<span class="withheld">Withheld</span>') == 1  # the rank only
    for ident, expected in full_rows.items():
        if ident != "icebreakers":
            assert f'<span class="bar-num">{expected["total"]:.1f}</span>' in html
    def package_rows(page: str) -> dict[str, str]:
        table = page[page.index('<table class="package-table">'):]
        rows = table[:table.index("</table>")].split("<tr")[2:]
        titles = [re.search(r'<th scope="row">([^<]+)', r) for r in rows]
        return {t[1].strip(): r for t, r in zip(titles, rows, strict=True) if t}

    packages, full_packages = package_rows(html), package_rows(full_html)
    lng_with_rare_earths = next(t for t in packages if "Package" in packages[t])
    total = re.compile(r'<td class="num">([0-9.]+)')
    assert total.findall(packages[lng_with_rare_earths]) == \
        total.findall(full_packages[lng_with_rare_earths]) != []  # released members: shown
    assert packages["Co-build icebreakers with the United States"].count(
        '<span class="withheld">Withheld</span>') == 2  # its rank and its total
    assert 'class="analysis-note"' not in html  # "X ranks first": rests on the ranking
    assert 'id="robustness"' not in html and 'id="switching"' not in html
    assert "Worked example" not in html  # the method's examples use the leader's figures

    markdown = (out / "fifth-round-offers.official.md").read_text(encoding="utf-8")
    assert "| *Withheld* | Co-build icebreakers with the United States | *Withheld* |" \
        in markdown
    assert "| *Withheld* | Expand US LNG imports, including support for Alaska LNG | 60.0" \
        in markdown
    assert "Withheld" in docx_text((out / "fifth-round-offers.official.docx").read_bytes())
    assert "Withheld" in pdf_text((out / "fifth-round-offers.official.pdf").read_bytes())
