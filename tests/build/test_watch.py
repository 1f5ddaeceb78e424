"""watch: which briefs a change affects, a real rebuild, and the live-reload server.

Every test here is bounded: no test waits on a watch loop for longer than a
few seconds, and the server binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from briefgen.build.watch import BUILD_ENDPOINT, Builder, affected_briefs, relevant, serve, watch
from briefgen.inputs.loader import load_workspace
from tests.conftest import BRIEF_X


def two_briefs(workspace) -> Path:
    listed = BRIEF_X.replace("id: brief-x", "id: brief-y").replace(
        "baseline: opt-b", "baseline: opt-b\noptions: [opt-b]")
    return workspace(briefs={"brief-x": BRIEF_X, "brief-y": listed})


def test_affected_briefs(workspace) -> None:
    root = two_briefs(workspace)
    ws, _ = load_workspace(root)
    assert affected_briefs(ws, root, [root / "options/opt-a.yaml"]) == {"brief-x"}
    assert affected_briefs(ws, root, [root / "options/opt-b.yaml"]) == {"brief-x", "brief-y"}
    assert affected_briefs(ws, root, [root / "options/new-one.yaml"]) == {"brief-x"}
    assert affected_briefs(ws, root, [root / "briefs/brief-y.yaml"]) == {"brief-y"}
    assert affected_briefs(ws, root, [root / "templates/brief.css"]) == {"brief-x", "brief-y"}
    assert affected_briefs(ws, root, [root / "assets/logo.png"]) == {"brief-x", "brief-y"}
    assert affected_briefs(ws, root, [root / "output/brief-x.html"]) == set()
    assert affected_briefs(ws, root, [root / "README.md"]) == set()


def test_relevant_ignores_outputs_and_editor_files(tmp_path: Path) -> None:
    assert relevant(tmp_path, tmp_path / "options" / "a.yaml")
    assert relevant(tmp_path, tmp_path / "briefs" / "b.yml")
    assert relevant(tmp_path, tmp_path / "templates" / "brief.html.j2")
    assert relevant(tmp_path, tmp_path / "assets" / "fonts" / "Body.woff2")
    assert not relevant(tmp_path, tmp_path / "assets" / "logo.png~")
    assert not relevant(tmp_path, tmp_path / "options" / ".a.yaml.swp")
    assert not relevant(tmp_path, tmp_path / "options" / "notes.txt")
    assert not relevant(tmp_path, tmp_path / "output" / "x.html")
    assert not relevant(tmp_path, tmp_path.parent / "elsewhere.yaml")


def test_builder_rebuilds_only_affected_and_survives_errors(workspace) -> None:
    root = two_briefs(workspace)
    lines: list[str] = []
    builder = Builder(root, root / "output", ("html",), echo=lines.append)
    assert builder.run() == ["brief-x", "brief-y"]
    assert (root / "output" / "brief-y.html").is_file()
    assert builder.run([root / "options/opt-a.yaml"]) == ["brief-x"]
    bad = root / "options" / "opt-a.yaml"
    bad.write_text(bad.read_text().replace("lead:", "laed:"))
    assert builder.run([bad]) == []
    assert any("laed: unknown field 'laed'" in line for line in lines)
    assert lines[-1] == "Not rebuilt: 2 errors; fix them and save again."
    assert builder.build_number == 2


def test_the_html_is_written_first_and_the_pdf_follows(workspace) -> None:
    root = workspace()
    lines: list[str] = []
    builder = Builder(root, root / "output", ("html", "pdf"), echo=lines.append)
    started = time.monotonic()
    assert builder.run() == ["brief-x"]
    html_seconds = time.monotonic() - started
    html = root / "output" / "brief-x.html"
    assert html.is_file() and builder.build_number == 1  # the browser may reload now
    assert lines[-1] == "Built brief-x (build 1); the PDF follows."
    assert builder.wait_for_pdf(timeout=120)
    pdf = root / "output" / "brief-x.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert lines[-1] == "PDF written for brief-x."
    assert pdf.stat().st_mtime_ns >= html.stat().st_mtime_ns
    assert html_seconds < time.monotonic() - started
    # The PDF build writes the PDF only: an older save's PDF never overwrites newer HTML.
    assert builder.run([root / "options/opt-a.yaml"]) == ["brief-x"]
    written = html.stat().st_mtime_ns
    assert builder.wait_for_pdf(timeout=120) and builder.build_number == 2
    assert html.stat().st_mtime_ns == written


def test_watch_loop_rebuilds_on_save(workspace) -> None:
    root = workspace()
    lines: list[str] = []
    builder = Builder(root, root / "output", ("html",), echo=lines.append)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(builder, stop), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while builder.build_number < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # let the watcher start
        path = root / "options" / "opt-a.yaml"
        path.write_text(path.read_text().replace("title: Option A", "title: Option A2"))
        while builder.build_number < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert builder.build_number >= 2, lines
    assert "Option A2" in (root / "output" / "brief-x.html").read_text()
    assert any(line == "Changed: options/opt-a.yaml" for line in lines)


def test_server_injects_reload_only_into_served_pages(workspace) -> None:
    root = workspace()
    builder = Builder(root, root / "output", ("html",), echo=lambda _line: None)
    builder.run()
    server = serve(builder, port=0)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/brief-x.html", timeout=5) as response:
            page = response.read().decode()
        assert BUILD_ENDPOINT in page and page.rstrip().endswith("</html>")
        assert BUILD_ENDPOINT not in (root / "output" / "brief-x.html").read_text()
        with urllib.request.urlopen(f"{base}{BUILD_ENDPOINT}", timeout=5) as response:
            assert response.read() == b"1"
        builder.run()
        with urllib.request.urlopen(f"{base}{BUILD_ENDPOINT}", timeout=5) as response:
            assert response.read() == b"2"
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, host: str | None = "localhost") -> tuple[int, bytes]:
    """(status, body) of a GET with the given Host header (None: none at all)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_server_serves_only_regular_files_inside_output(workspace, tmp_path: Path) -> None:
    root = workspace()
    builder = Builder(root, root / "output", ("html",), echo=lambda _line: None)
    builder.run()
    out = root / "output"
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (out / "leak.txt").symlink_to(secret)
    (out / "root").symlink_to("/")
    (out / "sub").mkdir()
    (out / "sub" / "note.txt").write_text("inside")
    (out / "linked-dir").symlink_to(tmp_path)
    (out / ".brief-x.html.123.tmp").write_text("half")
    import os
    os.mkfifo(out / "pipe.html")
    server = serve(builder, port=0)
    try:
        port = server.server_address[1]
        assert _get(port, "/brief-x.html")[0] == 200
        assert _get(port, "/sub/note.txt") == (200, b"inside")
        for path in ("/leak.txt", "/root", "/root/", "/root/etc/passwd", "/linked-dir/secret.txt",
                     "/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt",
                     "/pipe.html", "/.brief-x.html.123.tmp", "/sub/", "/nothere.html"):
            status, body = _get(port, path)
            assert status == 404, path
            assert b"top secret" not in body and b"note.txt" not in body, path
        # a folder is never listed: "/" has no index.html here
        status, body = _get(port, "/")
        assert status == 404 and b"brief-x.html" not in body
    finally:
        server.shutdown()
        server.server_close()


def test_server_answers_only_localhost_names(workspace) -> None:
    root = workspace()
    builder = Builder(root, root / "output", ("html",), echo=lambda _line: None)
    builder.run()
    server = serve(builder, port=0)
    try:
        port = server.server_address[1]
        for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}",
                     "LOCALHOST"):
            assert _get(port, "/brief-x.html", host)[0] == 200, host
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example",
                     "localhost.evil.example", "", None):
            status, body = _get(port, "/brief-x.html", host)
            assert status == 403, host
            assert b"Option A" not in body
        assert _get(port, BUILD_ENDPOINT, "evil.example")[0] == 403
    finally:
        server.shutdown()
        server.server_close()


def test_a_template_added_while_watching_overrides_the_built_in_one(workspace) -> None:
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "extra.css").write_text("/* a theme folder that already exists */\n")
    builder = Builder(root, root / "output", ("html", "md"), echo=lambda _line: None)
    builder.run()
    assert "OVERRIDDEN" not in (root / "output" / "brief-x.html").read_text()
    override = root / "templates" / "brief.html.j2"
    override.write_text('{% extends "default/brief.html.j2" %}'
                        '{% block head %}<meta name="x" content="OVERRIDDEN">{% endblock %}')
    (root / "templates" / "brief.md.j2").write_text("OVERRIDDEN MD\n")
    assert builder.run([override]) == ["brief-x"]
    assert "OVERRIDDEN" in (root / "output" / "brief-x.html").read_text()
    assert (root / "output" / "brief-x.md").read_text() == "OVERRIDDEN MD\n"
    # so a later build that finds everything up to date is right to say so
    from tests.helpers.builds import run_build

    assert run_build(root, formats=("html", "md")).skipped == ["brief-x"]
    assert "OVERRIDDEN" in (root / "output" / "brief-x.html").read_text()
    override.unlink()  # and back to the built-in one
    (root / "templates" / "brief.md.j2").unlink()
    builder.run([override])
    assert "OVERRIDDEN" not in (root / "output" / "brief-x.html").read_text()
    assert "OVERRIDDEN" not in (root / "output" / "brief-x.md").read_text()
