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
The server answers only requests whose Host header names this machine (a
DNS-rebinding page cannot read it), serves only regular files inside the output
folder (never through a symlink, never a FIFO or device) and lists no folder.
"""

from __future__ import annotations

import http.server
import mimetypes
import os
import signal
import stat
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.common import signals
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
    try:
        # raise_interrupt: else watchfiles logs its own warning for the Ctrl-C.
        for changes in watchfiles.watch(root, watch_filter=lambda _c, p: relevant(root, Path(p)),
                                        stop_event=stop_event, raise_interrupt=True):
            paths = sorted({Path(p) for _change, p in changes})
            shown = ", ".join(str(p.relative_to(root)) for p in paths)
            builder.echo(f"Changed: {shown}")
            builder.run(paths)
    except KeyboardInterrupt:
        if signals.last_signal() == signal.SIGTERM:  # watchfiles reports any signal so
            raise signals.Terminated() from None
        builder.echo("Stopped watching.")  # Ctrl-C: how a watch is meant to end
    builder.wait_for_pdf()  # a PDF half written when the watch stops is finished first


# Host names a page served on 127.0.0.1 may be asked for by. A DNS-rebinding page
# (evil.example resolving to 127.0.0.1) sends its own name, so it gets nothing.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
MAX_SERVED_BYTES = 1 << 31


def local_host(header: str | None) -> bool:
    """True for a Host header naming this machine (any port): localhost, 127.0.0.1, [::1]."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[:host.find("]") + 1] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".") in LOCAL_HOSTS or host.endswith(".localhost")


def _url_parts(path: str) -> list[str] | None:
    """The plain names of a URL path, or None when one is hidden, empty in the middle,
    .., or holds a NUL or backslash (so is never served)."""
    decoded = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
    parts = [p for p in decoded.split("/") if p]
    if any(p.startswith(".") or "\0" in p or "\\" in p for p in parts):
        return None
    return parts


def open_served(root: Path, parts: Sequence[str]) -> tuple[int, str] | None:
    """(fd, file name) of the regular file that parts names under root, or None.

    Every step is opened relative to the folder before it and never through a
    symlink, so nothing outside root can be reached, whatever output/ holds
    (a symlink to / or to /etc/passwd, a FIFO, a device). A folder gives its
    index.html; folders are never listed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    opened: list[int] = []
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        opened.append(fd)
        names = [*parts]
        while True:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                break
            if not names:
                names = ["index.html"]
            name = names.pop(0)
            fd = os.open(name, flags, dir_fd=fd)
            opened.append(fd)
        mode = os.fstat(fd).st_mode
        if names or not stat.S_ISREG(mode):
            return None
        opened.remove(fd)
        return fd, name
    except OSError:  # ELOOP for a symlink, ENOENT, ENOTDIR, EACCES: all simply not served
        return None
    finally:
        for other in opened:
            os.close(other)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the regular files inside the output folder to this machine's browser only."""

    builder: Builder
    server_version = "briefgen"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        if not local_host(self.headers.get("Host")):
            self.send_error(403, "Forbidden", "Only localhost names are served.")
            return
        path = self.path.split("?", 1)[0]
        if path == BUILD_ENDPOINT:
            self._send(str(self.builder.build_number).encode(), "text/plain", head)
            return
        parts = _url_parts(path)
        found = open_served(self.builder.out_dir.resolve(), parts) if parts is not None else None
        if found is None:
            self.send_error(404, "Not Found")
            return
        fd, name = found
        with os.fdopen(fd, "rb") as handle:
            body = handle.read(MAX_SERVED_BYTES)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".html"):
            html = body.decode("utf-8", errors="replace")
            marker = html.lower().rfind("</body>")
            html = html[:marker] + RELOAD_SCRIPT + html[marker:] if marker >= 0 \
                else html + RELOAD_SCRIPT
            self._send(html.encode("utf-8"), "text/html; charset=utf-8", head)
            return
        self._send(body, kind, head)

    def _send(self, body: bytes, content_type: str, head: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection mid-answer is normal; socketserver would
        # print a traceback for it into the watch's output.
        pass


def serve(builder: Builder, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """Serve builder.out_dir on 127.0.0.1:port in a daemon thread; return the server."""
    builder.out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"builder": builder})
    server = _QuietServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
