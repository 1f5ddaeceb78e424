"""Run axe-core on an HTML file in headless Chromium and return its violations.

No browser driver is needed: the page is copied with axe's source and a small
runner appended, and Chromium's --dump-dom prints the DOM once the runner has
written the results into it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# .ci/run installs the pinned axe-core here from the npm registry.
DEFAULT_AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RUNNER = """
<script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  var out = r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
  });
  var pre = document.createElement("pre");
  pre.id = "axe-results";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, function (e) {
  var pre = document.createElement("pre");
  pre.id = "axe-results";
  pre.textContent = JSON.stringify({error: String(e)});
  document.body.appendChild(pre);
});
</script>
"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_axe() -> Path | None:
    path = Path(os.environ.get("AXE_CORE_JS", DEFAULT_AXE))
    return path if path.is_file() else None


def run_axe(html_file: Path, chromium: str, axe_js: Path, width: int = 1280) -> list[dict]:
    html = html_file.read_text(encoding="utf-8")
    script = "<script>" + axe_js.read_text(encoding="utf-8") + "</script>" + RUNNER
    assert "</body>" in html
    page = html.replace("</body>", script + "</body>", 1)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "page.html"
        target.write_text(page, encoding="utf-8")
        profile = Path(tmp) / "profile"
        proc = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-quic", "--disable-sync", "--no-first-run",
             f"--user-data-dir={profile}", f"--window-size={width},2000",
             "--virtual-time-budget=60000", "--dump-dom", target.as_uri()],
            capture_output=True, text=True, timeout=180, check=False)
    dom = proc.stdout
    start = dom.find('<pre id="axe-results">')
    if start < 0:
        raise RuntimeError(f"axe did not report (exit {proc.returncode}): {proc.stderr[-2000:]}")
    import html as htmllib

    body = dom[start + len('<pre id="axe-results">'):dom.index("</pre>", start)]
    result = json.loads(htmllib.unescape(body))
    if isinstance(result, dict):
        raise RuntimeError(f"axe failed: {result['error']}")
    return result
