"""The guide's examples validate; every command's help has examples; completion works;
the pre-commit hooks point at real commands; README names every option.

That the guide's field reference matches the models is tested in
tests/authoring/test_fielddocs.py.
"""

from __future__ import annotations

import re

import click
import pytest
import yaml
from click.testing import CliRunner

from briefgen import __version__
from briefgen.cli import cli
from briefgen.inputs.load import parse_yaml
from briefgen.inputs.models import MODELS
from briefgen.inputs.validate import validate_source
from tests.conftest import BRIEF_X, ROOT

GUIDE = ROOT / "docs" / "writing-options.md"


def test_full_examples_in_the_guide_validate() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    full = [b for b in blocks
            if b.lstrip().startswith("# yaml-language-server") and "\nid: " in b]
    assert len(full) == 2
    for block in full:
        kind = "option" if "option.schema" in block else "brief"
        instance, problems = validate_source(parse_yaml(block, "guide"), MODELS[kind])
        assert problems == [] and instance is not None


def test_guide_lists_ten_common_errors() -> None:
    section = GUIDE.read_text().split("## The ten commonest errors")[1].split("\n## ")[0]
    assert len(re.findall(r"^\s*\d+\. \*\*", section, re.M)) == 10


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
    return out


@pytest.mark.parametrize(("name", "command"), [("", cli), *_commands(cli)],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_help_has_examples(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "briefgen " in result.output.split("Examples:")[1]


def test_bash_completion_script() -> None:
    result = CliRunner().invoke(cli, [], prog_name="briefgen",
                                env={"_BRIEFGEN_COMPLETE": "bash_source"})
    assert "_briefgen_completion" in result.output
    assert "_BRIEFGEN_COMPLETE=bash_complete" in result.output


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = {h["id"] for h in hooks}
    assert ids == {"briefgen-check", "briefgen-check-strict"}
    for hook in hooks:
        assert hook["entry"].startswith("briefgen check")
        pattern = re.compile(hook["files"])
        assert pattern.search("options/alaska-lng.yaml")
        assert pattern.search("policy/briefs/fifth-round.yml")
        assert not pattern.search("templates/brief.css")
        assert not pattern.search("options/notes.md")


def test_version_names_the_pdf_engine() -> None:
    import weasyprint

    lines = CliRunner().invoke(cli, ["--version"]).output.splitlines()
    assert lines[0] == f"briefgen {__version__}"
    assert lines[1].startswith("Python 3.")
    assert lines[2] == f"WeasyPrint {weasyprint.__version__}"
    assert re.fullmatch(r"Pango \d+\.\d+\.\d+", lines[3]), lines


def test_readme_names_every_option_of_every_command() -> None:
    """The command-line synopsis in README.md and each command's --help agree."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synopsis = readme.split("## The command line", 1)[1].split("```", 2)[1]
    common = {"--workspace", "--help", "--max-file-size", "--debug", "--version"}
    for name, command in _commands(cli):
        if isinstance(command, click.Group):
            continue  # its subcommands have lines of their own
        first, *rest = name.split()  # "new option" is written "briefgen new option|brief ID"
        lines = [line for line in synopsis.splitlines() if line.startswith(f"briefgen {first} ")
                 and all(word in line for word in rest)]
        assert lines, f"README's synopsis has no line for 'briefgen {name}'"
        start = synopsis.index(lines[0])
        end = synopsis.find("\nbriefgen ", start + 1)
        text = synopsis[start:end if end != -1 else None]
        spellings = [{o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")} - common
                     for p in command.params]
        named = set().union(*spellings)
        for options in filter(None, spellings):  # --split/--no-split: either will do
            assert any(o in text for o in options), \
                f"README's synopsis of 'briefgen {name}' lacks {sorted(options)[0]}"
        for option in set(re.findall(r"--[a-z][a-z-]+", text)) - common:
            assert option in named, f"README names {option} for 'briefgen {name}', which has none"


@pytest.mark.parametrize("command", ["build", "list", "watch"])
def test_completion_offers_brief_ids(command: str, workspace) -> None:
    root = workspace(briefs={"trade-round": BRIEF_X.replace("brief-x", "trade-round"),
                             "tariffs": BRIEF_X.replace("brief-x", "tariffs"),
                             "other": BRIEF_X.replace("brief-x", "other")})
    env = {"_BRIEFGEN_COMPLETE": "bash_complete", "COMP_CWORD": "4",
           "COMP_WORDS": f"briefgen {command} -w {root} t"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="briefgen")
    assert result.output.split() == ["plain,tariffs", "plain,trade-round"]
