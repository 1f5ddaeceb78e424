"""Rendering the view: themes, where a workspace's templates/ overrides built-in templates
and the stylesheet by name and can extend the default layout block by block (HTML only:
no PDF render), and Markdown escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli


def build_html(root: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["build", "--workspace", str(root), "--format", "html",
                                      *extra])
    assert result.exit_code == 0, result.output
    name = "brief-x-memo.html" if "memo" in extra else "brief-x.html"
    return (root / "output" / name).read_text(encoding="utf-8")


def test_default_theme(workspace: Callable[..., Path]) -> None:
    html = build_html(workspace())
    assert "briefgen default theme" in html
    assert '<nav class="toc"' in html and 'href="#method-h"' in html
    assert "@page { size: A4; }" in html


def test_workspace_stylesheet_replaces_the_default(workspace: Callable[..., Path]) -> None:
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "brief.css").write_text("/* house style */ body { color: #222; }\n")
    html = build_html(root, "--paper", "letter")
    assert "/* house style */" in html and "briefgen default theme" not in html
    assert "@page { size: letter; }" in html


def test_workspace_stylesheet_can_build_on_the_default(workspace: Callable[..., Path]) -> None:
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "brief.css").write_text(
        '{% include "default/brief.css" %}\n:root { --navy: #4b0f2e; }\n')
    html = build_html(root)
    assert "briefgen default theme" in html and "--navy: #4b0f2e" in html


def test_workspace_extends_the_default_layout_and_overrides_blocks(
        workspace: Callable[..., Path]) -> None:
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "brief.html.j2").write_text(
        '{% extends "default/brief.html.j2" %}\n'
        '{% block method %}{% endblock %}\n'
        '{% block context %}<section id="context"><h2 id="context-h">Background</h2>'
        '{{ brief.context|markdown }}</section>{% endblock %}\n'
        '{% block head %}<meta name="theme" content="ministry">{% endblock %}\n')
    html = build_html(root)
    assert '<meta name="theme" content="ministry">' in html
    assert "Method note" not in html and 'id="method"' not in html
    assert '<h2 id="context-h">Background</h2>' in html
    assert 'href="#context-h">Background</a>' in html  # the contents follow the blocks
    assert "Comparison matrix" in html  # the other blocks stay


def test_workspace_overrides_an_include_by_name(workspace: Callable[..., Path]) -> None:
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "sources.html.j2").write_text(
        '<p class="house-sources">{{ view.sources|length }} sources</p>\n')
    html = build_html(root)
    assert '<p class="house-sources">2 sources</p>' in html
    memo = build_html(root, "--template", "memo")
    assert "Decision memo" in memo and '<nav class="toc"' not in memo


def test_data_cannot_inject_markup(workspace: Callable[..., Path]) -> None:
    from tests.conftest import OPTION_A, OPTION_B

    evil = OPTION_A.replace("title: Option A", 'title: "<script>alert(1)</script> *A*"')
    root = workspace(options={"opt-a": evil, "opt-b": OPTION_B})
    html = build_html(root)
    assert "<script>alert(1)" not in html
    result = CliRunner().invoke(cli, ["build", "--workspace", str(root), "--format", "md"])
    assert result.exit_code == 0, result.output
    md = (root / "output" / "brief-x.md").read_text(encoding="utf-8")
    assert r"\<script\>alert(1)\</script\> \*A\*" in md


def test_docs_list_every_block_of_the_builtin_templates() -> None:
    import re

    from briefgen.output.render import builtin_templates
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    for template in sorted(builtin_templates().glob("*.j2")):
        for block in re.findall(r"{%-?\s*block\s+(\w+)", template.read_text(encoding="utf-8")):
            assert f"`{block}`" in doc, f"docs/themes.md does not list block {block!r} " \
                                        f"of {template.name}"


# --- Markdown ---------------------------------------------------------------------------


def test_md_escape_shows_data_literally() -> None:
    from markdown_it import MarkdownIt

    from briefgen.output.render import md_escape

    for text in ("**not bold** _x_ [a](b) <script> | pipe", "1. not a list", "# not a heading",
                 "- not an item", "back\\slash `code` ~~x~~ & co"):
        html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
            md_escape(text))
        assert html.startswith("<p>"), html
        visible = re.sub(r"<[^>]+>", "", html).strip()
        assert visible.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") \
            .replace("&quot;", '"') == text


def test_compiled_templates_are_reused_but_never_stale_or_shared(
        tmp_path: Path, monkeypatch) -> None:
    """Templates compiled by an earlier run come from the cache; an edited template is
    compiled again, and the HTML environment (escaping) and the Markdown one (none) never
    run each other's compiled code for the same file."""
    from briefgen.output import render

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "templates"
    folder.mkdir()
    template = folder / "x.j2"
    template.write_text("{{ value }} one", encoding="utf-8")

    def fresh(kind: str) -> str:
        render._environment.cache_clear()
        render._markdown_environment.cache_clear()
        env = (render.environment if kind == "html" else render.markdown_environment)((folder,))
        return env.get_template("x.j2").render(value="<b>")

    assert fresh("html") == "&lt;b&gt; one"
    assert list((tmp_path / "cache" / "templates").rglob("*"))  # stored
    assert fresh("md") == "<b> one"  # not the HTML environment's compiled code
    assert fresh("html") == "&lt;b&gt; one"  # read back from the cache
    template.write_text("{{ value }} two", encoding="utf-8")
    assert fresh("html") == "&lt;b&gt; two"


def test_a_workspace_template_that_is_not_utf8_is_located(
        workspace: Callable[..., Path]) -> None:
    # Jinja's loader raised a bare UnicodeDecodeError: exit 3, "a bug in briefgen".
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "brief.css").write_bytes(b"body { }\n/* caf\xe9 */\n")
    result = CliRunner().invoke(cli, ["build", "--workspace", str(root), "-f", "html"])
    assert result.exit_code == 1, result.output
    assert ("templates/brief.css:2:7: the template is not UTF-8 text: byte 0xe9 cannot be "
            "read (save it as UTF-8 in your editor)") in result.output
