"""Markdown the writer did not mean: bold that CommonMark cannot close.

(The security side of briefgen.common.markdown, hostile links and images, is tested in
tests/security/test_script.py.)"""

from __future__ import annotations

from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.common.markdown import stray_emphasis, to_html
from tests.conftest import OPTION_A


def test_bold_after_punctuation_before_a_letter_is_reported() -> None:
    text = "米国は4月に自動車関税を**25%**に引き上げた。"
    assert "**25%**" in to_html(text)  # what the reader would see
    assert stray_emphasis(text) == ["米国は4月に自動車関税を**25%**に引き上げた。"]
    assert stray_emphasis("The **offer,**then more") == ["The **offer,**then more"]


def test_closed_bold_code_and_a_lone_operator_are_not_reported() -> None:
    assert stray_emphasis("**25%に** and **bold** words") == []
    assert stray_emphasis("`**kept**` in code, and 2 ** 8 as an operator") == []
    assert stray_emphasis(None) == []


def test_check_warns_at_the_field_with_the_text_and_a_fix(workspace) -> None:
    bad = OPTION_A.replace("description: A plan with **bold** ideas.",
                           "description: 関税を**25%**に引き上げた。")
    root = workspace(options={"opt-a": bad, "opt-b": OPTION_A.replace("opt-a", "opt-b")})
    result = CliRunner().invoke(cli, ["check", "-w", str(root)])
    warnings = [line for line in result.output.splitlines() if "stray" in line or "**" in line]
    assert any("opt-a.yaml:4:14: warning: description: '**' is printed as two "
                             "asterisks in '関税を**25%**に引き上げた。': Markdown closes bold "
                             "after punctuation only before a space or more punctuation" in line
               for line in warnings), result.output
    assert "as in **25**%に" in result.output
