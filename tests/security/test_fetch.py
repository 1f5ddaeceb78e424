"""No reach outside: what the PDF renderer may fetch, and one hostile theme rendered to PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.output.pdf.weasy import MAX_DATA_URI, check_url


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    (ws / "templates").mkdir(parents=True)
    (ws / "templates" / "logo.png").write_bytes(b"png")
    (ws / "templates" / ".env").write_text("SECRET=1")
    (ws / ".git").mkdir()
    (ws / ".git" / "config").write_text("[http] extraheader = AUTHORIZATION: basic xyz")
    (ws / "notes.txt").write_text("not a theme file")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", ws / "templates" / "link.css")
    return ws, ws / "templates"


@pytest.mark.parametrize(("url", "reason"), [
    ("http://evil.example/x.css", "network access is off"),
    ("https://evil.example/x.png", "network access is off"),
    ("ftp://evil.example/x", "network access is off"),
    ("gopher://evil.example/x", "gopher URLs are not allowed"),
    ("file:///etc/passwd", "outside the theme and the workspace's templates/ and assets/"),
    ("{ws}/templates/../../secret.txt", "outside the theme"),
    ("{ws}/templates/link.css", "outside the theme"),  # a symlink out of the theme
    ("{ws}/notes.txt", "outside the theme"),  # the workspace root is not served
    ("{ws}/.git/config", "hidden files and folders are not served"),
    ("{ws}/templates/.env", "hidden files and folders are not served"),
    ("file://evil.example/share/x.css", "file URLs on another host are not allowed"),
    ("data:text/plain," + "x" * MAX_DATA_URI, "data: URI over 2,000,000 characters"),
])
def test_refused(roots, url, reason):
    ws, templates = roots
    url = url.replace("{ws}", ws.as_uri())
    path, why = check_url(url, [templates])
    assert path is None
    assert why is not None and why.startswith(reason)


def test_allowed(roots):
    _ws, templates = roots
    assert check_url((templates / "logo.png").as_uri(), [templates]) == \
        ((templates / "logo.png").resolve(), None)
    assert check_url("data:image/png;base64,AAAA", [templates]) == (None, None)


def test_hostile_theme_reaches_nothing_in_the_pdf(workspace, tmp_path):
    """One small PDF: a theme that tries every way out, and a field used as a URL."""
    import pypdf

    from tests import conftest

    outside = tmp_path / "outside-secret.txt"
    outside.write_text("TOP SECRET")
    brief = conftest.BRIEF_X.replace("author: Policy Office",
                                     f"author: {outside.as_uri()}")
    root = workspace(briefs={"brief-x": brief})
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("token")
    (root / "templates").mkdir()
    (root / "templates" / "brief.html.j2").write_text(
        '{% extends "base.html.j2" %}\n'
        "{% block head %}\n"
        '<link rel="attachment" href="file:///etc/hostname">\n'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">\n'
        "{% endblock %}\n"
        "{% block main %}\n"
        '<a rel="attachment" href="../ws/.git/config">config</a>\n'
        '<img src="{{ brief.author }}">\n'
        '<div style="background: url(../../../../../../etc/passwd)">x</div>\n'
        "{% endblock %}\n")
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    warnings = re.findall(r"(\S+?):(\d+):(\d+): warning: (\S+: )?refused to fetch (\S+) \((.*?)\)",
                          result.output)
    found = {(Path(f).name, int(line), field.rstrip(": "), url, why)
             for f, line, _, field, url, why in warnings}
    assert ("brief.html.j2", 3, "", "file:///etc/hostname",
            "PDF attachments are not allowed") in found
    assert ("brief.html.j2", 4, "", "http://127.0.0.1:9/evil.css",
            "network access is off") in found
    assert ("brief.html.j2", 9, "", "file:///etc/passwd",
            "outside the theme and the workspace's templates/ and assets/") in found
    # The field used as a URL is named: the brief file, its line and the field.
    assert ("brief-x.yaml", 4, "author", outside.as_uri(),
            "outside the theme and the workspace's templates/ and assets/") in found
    assert any(url.endswith("/.git/config") for *_, url, _ in found)
    pdf = (root / "output" / "brief-x.pdf").read_bytes()
    reader = pypdf.PdfReader(root / "output" / "brief-x.pdf")
    assert dict(reader.attachments) == {}
    assert b"TOP SECRET" not in pdf and b"EmbeddedFile" not in pdf
