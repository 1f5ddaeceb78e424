"""Live editing: rebuild the affected briefs whenever an input file changes.

``briefgen watch`` builds once, then waits for changes (watchfiles: native
file events, debounced, no polling loop of our own) under options/, briefs/
and templates/. Each batch of changes reloads and checks the whole workspace
(cheap, and cross-file rules need it), prints every problem and rebuilds only
the briefs the changed files feed. Problems never end the watch.

With ``--format pdf``, each round writes the HTML (and any other fast format)
first and bumps the build number, so the browser shows the change within a
second; the PDF follows from a background thread, one PDF build at a time,
rebuilding the latest set of changed briefs. That build writes the PDF only: a
slow PDF of an older save can never overwrite the HTML of a newer one.

``--serve`` serves the output folder on 127.0.0.1 only. HTML pages *as
served* get a tiny script that polls ``/__briefgen/build`` and reloads the
page when the build number changes; the files on disk are never touched.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from briefgen.common.diagnostics import Diagnostic, InputError, Severity, format_text
from briefgen.common.environment import EnvironmentProblem
from briefgen.inputs.loader import load_workspace
from briefgen.inputs.workspace import FOLDERS, YAML_SUFFIXES, Workspace

# Folders whose files any brief may read (a theme's templates and the images and fonts
# its CSS or the options' Markdown refer to), so a change there rebuilds every brief.
SHARED = ("templates", "assets")
WATCHED = (FOLDERS["option"], FOLDERS["brief"], *SHARED)
BUILD_ENDPOINT = "/__briefgen/build"
RELOAD_SCRIPT = f"""<script>/* briefgen watch --serve: live reload, not in built files */
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{BUILD_ENDPOINT}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (n) {{ if (seen !== null && n !== seen) location.reload(); seen = n; }})
      .catch(function () {{}});
  }}, 1000);
}})();
</script>"""


def relevant(root: Path, path: Path) -> bool:
    """Whether a changed path is an input: a YAML file under options/ or briefs/, or a file
    under templates/ or assets/."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    if len(rel.parts) < 2 or rel.parts[0] not in WATCHED:
        return False
    if any(part.startswith(".") for part in rel.parts):  # editor swap and backup files
        return False
    if rel.parts[0] in SHARED:
        return not rel.name.endswith("~")
    return rel.suffix in YAML_SUFFIXES


def affected_briefs(ws: Workspace, root: Path, changed: Iterable[Path]) -> set[str]:
    """The ids of the briefs that a set of changed files feeds."""
    root = root.resolve()
    out: set[str] = set()
    for path in changed:
        if not relevant(root, path):
            continue
        rel = path.resolve().relative_to(root)
        folder, stem = rel.parts[0], rel.stem
        if folder in SHARED:
            return set(ws.briefs)
        if folder == FOLDERS["brief"]:
            if stem in ws.briefs:
                out.add(stem)
        else:  # an option: every brief that lists it or compares all options
            out |= {b.id for b in ws.briefs.values() if b.options is None or stem in b.options}
    return out


@dataclass
class Builder:
    """Reload, check and rebuild; reports through ``echo`` and never raises for input."""

    root: Path
    out_dir: Path
    formats: Sequence[str] = ("html",)
    only: Sequence[str] = ()  # BRIEF ids given on the command line; empty: all
    echo: Callable[[str], None] = print
    build_number: int = 0
    last_problems: list[Diagnostic] = field(default_factory=list)
    pdf_later: bool = True  # the PDF from a background thread, after the fast formats
    _pdf: _PdfQueue | None = field(default=None, init=False, repr=False)

    def wait_for_pdf(self, timeout: float | None = None) -> bool:
        """Wait until no PDF is being built or waits to be; False on timeout."""
        return self._pdf is None or self._pdf.wait_idle(timeout)

    def run(self, changed: Iterable[Path] | None = None) -> list[str]:
        """One round: the ids of the briefs rebuilt (none when the workspace has errors)."""
        from briefgen.build.pipeline import build

        try:
            ws, report = load_workspace(self.root)
        except EnvironmentProblem as exc:  # an unreadable file: say so and keep watching
            self.echo(f"Not rebuilt: {exc}")
            return []
        self.last_problems = report.sorted()
        if self.last_problems:
            self.echo(format_text(self.last_problems))
        errors = [d for d in self.last_problems if d.severity is Severity.ERROR]
        if errors:
            self.echo(f"Not rebuilt: {len(errors)} error{'s' * (len(errors) != 1)}; "
                      "fix them and save again.")
            return []
        targets = set(ws.briefs) if changed is None else affected_briefs(ws, self.root, changed)
        if self.only:
            targets &= set(self.only)
            missing = sorted(set(self.only) - set(ws.briefs))
            if missing:
                self.echo(f"unknown brief(s): {', '.join(missing)}")
        if not targets:
            return []
        fast = [f for f in self.formats if f != "pdf"]
        later = self.pdf_later and "pdf" in self.formats and bool(fast)
        try:
            result = build(ws, sorted(targets), fast if later else self.formats, self.out_dir)
        except InputError as exc:
            self.echo(format_text(exc.diagnostics))
            return []
        except EnvironmentProblem as exc:
            self.echo(f"Build failed: {exc}")
            return []
        except Exception as exc:  # a template error must not end the watch
            self.echo(f"Build failed: {type(exc).__name__}: {exc}")
            return []
        if result.warnings:
            self.echo(format_text(result.warnings))
        self.build_number += 1
        self.echo(f"Built {', '.join(sorted(targets))} (build {self.build_number})"
                  + ("; the PDF follows." if later else "."))
        if later:
            if self._pdf is None:
                self._pdf = _PdfQueue(self)
            self._pdf.submit(ws, targets)
        return sorted(targets)


class _PdfQueue:
    """One background thread that builds PDFs, latest request first: requests that arrive
    while a PDF is built are merged, so a burst of saves costs one more PDF, not many."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.lock = threading.Condition()
        self.pending: tuple[Workspace, set[str]] | None = None
        self.busy = False
        threading.Thread(target=self._run, name="briefgen-pdf", daemon=True).start()

    def submit(self, ws: Workspace, targets: set[str]) -> None:
        with self.lock:
            earlier = self.pending[1] if self.pending else set()
            self.pending = (ws, earlier | targets)
            self.lock.notify_all()

    def wait_idle(self, timeout: float | None) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: not self.busy and self.pending is None, timeout)

    def _run(self) -> None:
        from briefgen.build.pipeline import build

        while True:
            with self.lock:
                self.lock.wait_for(lambda: self.pending is not None)
                assert self.pending is not None
                ws, targets = self.pending
                self.pending, self.busy = None, True
            try:
                b = self.builder
                build(ws, sorted(targets), ["pdf"], b.out_dir)
                b.echo(f"PDF written for {', '.join(sorted(targets))}.")
            except InputError as exc:
                self.builder.echo(format_text(exc.diagnostics))
            except EnvironmentProblem as exc:
                self.builder.echo(f"PDF build failed: {exc}")
            except Exception as exc:  # a template error must not end the watch
                self.builder.echo(f"PDF build failed: {type(exc).__name__}: {exc}")
            finally:
                with self.lock:
                    self.busy = False
                    self.lock.notify_all()


def watch(builder: Builder, stop_event: threading.Event | None = None) -> None:
    """Build once, then rebuild on every change until stop_event is set or Ctrl-C."""
    import watchfiles

    builder.run()
    root = builder.root.resolve()
    # step: how long the files must be quiet before a batch is handed over (watchfiles waits
    # 50 ms by default, at most 1.6 s while saves keep coming): well inside the second a
    # save may take to reach the browser.
    for changes in watchfiles.watch(root, watch_filter=lambda _c, p: relevant(root, Path(p)),
                                    stop_event=stop_event, raise_interrupt=False):
        paths = sorted({Path(p) for _change, p in changes})
        shown = ", ".join(str(p.relative_to(root)) for p in paths)
        builder.echo(f"Changed: {shown}")
        builder.run(paths)
    builder.wait_for_pdf()  # a PDF half written when the watch stops is finished first


class _Handler(http.server.SimpleHTTPRequestHandler):
    builder: Builder

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == BUILD_ENDPOINT:
            self._send(str(self.builder.build_number).encode(), "text/plain")
            return
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            html = target.read_text(encoding="utf-8", errors="replace")
            marker = html.lower().rfind("</body>")
            html = html[:marker] + RELOAD_SCRIPT + html[marker:] if marker >= 0 \
                else html + RELOAD_SCRIPT
            self._send(html.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(builder: Builder, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """Serve builder.out_dir on 127.0.0.1:port in a daemon thread; return the server."""
    builder.out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"builder": builder})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(builder.out_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
