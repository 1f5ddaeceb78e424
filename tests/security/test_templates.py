"""Templates: autoescape everywhere; workspace templates run sandboxed, errors are located."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from briefgen.cli import cli


def build_html(root):
    result = CliRunner().invoke(cli, ["build", "-w", str(root), "-f", "html"])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(("template", "line", "message"), [
    ("{{ brief.__class__.__mro__[1].__subclasses__() }}", 2,
     "the template sandbox refused this: access to attribute '__class__' of 'Brief' object "
     "is unsafe"),
    ("{{ brief.title.format.__globals__['os'].system('id') }}", 2,
     "the template sandbox refused this: access to attribute '__globals__'"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", 2,
     "the template sandbox refused this: access to attribute '__init__'"),
    ("{{ 'x' * 100000000 }}", 2,
     "the template sandbox refused this: '*' may not make anything longer than 1,000,000"),
    ("{{ 2 ** 100000000 }}", 2,
     "the template sandbox refused this: '**' with an exponent over 1000 is not allowed"),
    ("{% include '../../../etc/passwd' %}", 2, "template '../../../etc/passwd' not found"),
    ("{% if %}", 2, "template syntax error: Expected an expression"),
    ("{{ 1 // 0 }}", 2, "template error: ZeroDivisionError: integer division or modulo by zero"),
])
def test_hostile_workspace_template_is_a_located_error(workspace, template, line, message):
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates" / "brief.html.j2").write_text(f"<p>\n{template}\n</p>\n")
    result = build_html(root)
    assert result.exit_code == 1, result.output
    assert f"brief.html.j2:{line}:1: {message}" in result.output
    assert not (root / "output" / "brief-x.html").exists()


def test_workspace_template_overrides_and_is_autoescaped(workspace):
    from tests import conftest

    brief = conftest.BRIEF_X.replace("author: Policy Office", 'author: "<b onclick=x>Me</b>"')
    root = workspace(briefs={"brief-x": brief})
    (root / "templates").mkdir()
    (root / "templates" / "brief.html.j2").write_text(
        "<p>{{ brief.author }}</p><p>{{ brief.context|markdown }}</p>")
    result = build_html(root)
    assert result.exit_code == 0, result.output
    html = (root / "output" / "brief-x.html").read_text()
    assert html == "<p>&lt;b onclick=x&gt;Me&lt;/b&gt;</p><p><p>Some context.</p>\n</p>"


def test_builtin_templates_escape_plain_text(workspace):
    from tests import conftest

    option = conftest.OPTION_A.replace("title: Option A", 'title: "A</title><script>x()</script>"')
    root = workspace(options={"opt-a": option, "opt-b": conftest.OPTION_B})
    assert build_html(root).exit_code == 0
    html = (root / "output" / "brief-x.html").read_text()
    assert "<script>" not in html and "A&lt;/title&gt;&lt;script&gt;x()" in html
