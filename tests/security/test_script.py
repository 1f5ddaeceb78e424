"""No script: hostile text in every Markdown and plain-text field never becomes live markup."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.common.markdown import images_from, refusals, to_html
from tests.helpers.inert import assert_inert

HOSTILE_MARKDOWN = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    "[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](java&#x09;script:alert(5)) "
    "<javascript:alert(6)> [d](data:text/html;base64,PHNjcmlwdD4=) [e](vbscript:x) "
    "[f](file:///etc/passwd) [g](../../secret.txt) ![h](http://evil.example/x.png) "
    "![i](file:///etc/passwd) ![j](javascript:alert(7)) <svg onload=alert(8)> "
    "<a href=\"javascript:alert(9)\">k</a> <iframe src=//evil.example></iframe> "
    "<style>body{background:url(http://evil.example)}</style> "
    "[ok](https://example.org/a) [mail](mailto:a@example.org) [anchor](#matrix)"
)
HOSTILE_TEXT = "<script>alert(1)</script>\" onmouseover=\"alert(2) <img src=x onerror=alert(3)>"


def q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def test_to_html_keeps_only_safe_markup():
    html = to_html(HOSTILE_MARKDOWN)
    assert_inert(html)
    assert '<a href="https://example.org/a" rel="noopener noreferrer">ok</a>' in html
    assert '<a href="mailto:a@example.org"' in html and '<a href="#matrix"' in html
    # Refused links keep their text and images their alt text; the URLs are gone (the
    # autolink <javascript:alert(6)> and the escaped raw HTML stay visible as text only).
    for gone in ("javascript:alert(3)", "javascript:alert(4)", "vbscript:", "file:", "secret.txt",
                 "evil.example/x.png", "data:text/html"):
        assert gone not in html.lower(), gone


def test_hostile_text_in_every_field_builds_inert_html(workspace):
    md, txt = q(HOSTILE_MARKDOWN), q(HOSTILE_TEXT)
    option = f"""\
id: opt-a
title: {txt}
summary: {txt}
description: {md}
lead: {txt}
counterparts: [{txt}]
actions: [{txt}]
benefits: [{txt}]
cost: {{amount: 5, currency: USD, period: one-off, basis: {txt}}}
timeline: {{start: {txt}, months_to_effect: 3, note: {txt}}}
risks:
  - {{risk: {txt}, likelihood: possible, impact: major, mitigation: {txt}}}
scores:
  leverage: {{value: 4, rationale: {txt}}}
  cost: {{not_scored: {txt}}}
sources:
  - {{id: src-a, title: {txt}, publisher: {txt}, url: "https://example.org/a", note: {txt}}}
"""
    brief = f"""\
id: brief-x
title: {txt}
date: 2025-06-05
author: {txt}
classification: {txt}
audience: {txt}
question: {txt}
context: {md}
baseline: opt-b
recommendation: {{option: opt-a, text: {md}}}
sources:
  - {{title: {txt}, publisher: {txt}}}
criteria:
  - id: leverage
    name: {txt}
    description: {txt}
    weight: 3
    direction: benefit
    scale: {{kind: ordinal, min: 0, max: 5, labels: {{0: {txt}, 5: {txt}}}}}
  - id: cost
    name: {txt}
    description: {txt}
    weight: 1
    direction: cost
    scale: {{kind: quantity, unit: {txt}, min: 0, max: 10}}
"""
    from tests import conftest

    root = workspace(options={"opt-a": option, "opt-b": conftest.OPTION_B.replace(
        "cost: {value: 1", "cost: {value: 1.5")}, briefs={"brief-x": brief})
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "html"])
    assert result.exit_code == 0, result.output
    html = (root / "output" / "brief-x.html").read_text(encoding="utf-8")
    assert_inert(html)
    assert "javascript:alert(3)" not in html and "data:text/html" not in html
    assert html.count("&lt;script&gt;") >= 20  # the text is there, shown as text
    # Each Markdown field's refused links and images are warnings naming file, line and field.
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    for where in ("opt-a.yaml:4:14: warning: description: link 'javascript:alert(3)'",
                  "brief-x.yaml:8:10: warning: context: image 'file:///etc/passwd'",
                  "brief-x.yaml:10:39: warning: recommendation.text: link '../../secret.txt'"):
        assert any(where in w for w in warnings), (where, "\n".join(w[-200:] for w in warnings))


def test_markdown_images_inside_the_workspace_are_embedded(tmp_path: Path):
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8Dw"
                           "HwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "chart.png").write_bytes(png)
    (tmp_path / "assets" / "big.png").write_bytes(png + b"\0" * 1_000_001)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.png").write_bytes(png)
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(png)
    os.symlink(outside, tmp_path / "assets" / "link.png")
    text = ("![chart](assets/chart.png) ![big](assets/big.png) ![git](.git/x.png) "
            "![up](../outside.png) ![link](assets/link.png) ![abs](/etc/passwd.png) "
            "![none](assets/missing.png) ![txt](assets/chart.txt)")
    with images_from(tmp_path):
        html = to_html(text)
    assert_inert(html)
    assert html.count("<img") == 1
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="chart">' \
        in html
    reasons = {r.url: r.reason for r in refusals(text, tmp_path)}
    assert reasons == {
        "assets/big.png": "the image is over 1,000,000 bytes",
        ".git/x.png": "the path may not use '..' or hidden files and folders",
        "../outside.png": "the path may not use '..' or hidden files and folders",
        "assets/link.png": "the path leads outside the workspace (through a symlink)",
        "/etc/passwd.png": "give the image as a path relative to the workspace folder",
        "assets/missing.png": "no such file in the workspace: assets/missing.png",
        "assets/chart.txt": "images must be .png, .jpg, .jpeg or .gif files",
    }
    # Without a workspace (a template rendered on its own) no image is shown at all.
    assert "<img" not in to_html(text)
