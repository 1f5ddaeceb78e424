"""briefgen.toml: read with a line and column for every key and value, validated against
the Config model, every problem located like a problem in an option file."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import jsonschema
import pytest

from briefgen.authoring.scaffold import CONFIG_TEMPLATE
from briefgen.authoring.schema import json_schema
from briefgen.inputs.config import CONFIG_FILE, Config, load_config
from briefgen.inputs.tomlfile import parse_toml
from briefgen.inputs.validate import validate_source


def problems(tmp_path: Path, text: str) -> list[str]:
    """The text of every problem of a briefgen.toml holding ``text``, named as the user
    sees it (relative to the current folder, here the workspace)."""
    (tmp_path / CONFIG_FILE).write_text(text, encoding="utf-8")
    config, found = load_config(tmp_path)
    assert config is None or not found
    return [d.text() for d in sorted(found, key=lambda d: d.sort_key)]


@pytest.fixture(autouse=True)
def in_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# --- located problems ----------------------------------------------------------------


def test_unknown_key_says_did_you_mean(tmp_path: Path) -> None:
    assert problems(tmp_path, 'paper = "a4"\n\npdf_varient = "pdf/ua-1"\n') == [
        "briefgen.toml:3:1: pdf_varient: unknown field 'pdf_varient' "
        "(did you mean 'pdf_variant'?)"]


def test_unknown_table_lists_the_keys(tmp_path: Path) -> None:
    assert problems(tmp_path, '# settings\n[build]\npaper = "a4"\n') == [
        "briefgen.toml:2:2: build: unknown field 'build' (allowed here: paper, lang, out, "
        "formats, template, pdf_variant, jobs, strict)"]


def test_bad_choice(tmp_path: Path) -> None:
    assert problems(tmp_path, 'lang = "en"\npaper = "A5"\n') == [
        "briefgen.toml:2:9: paper: expected one of 'a4' or 'letter', got the text 'A5'"]


def test_bad_choice_inside_a_list_points_at_the_item(tmp_path: Path) -> None:
    assert problems(tmp_path, 'formats = ["html",\n           "odt"]\n') == [
        "briefgen.toml:2:12: formats[1]: expected one of 'html', 'pdf', 'md', 'json' "
        "or 'docx', "
        "got the text 'odt'"]


def test_wrong_types(tmp_path: Path) -> None:
    assert problems(tmp_path, 'jobs = "4"\nstrict = "yes"\nformats = "html"\n') == [
        "briefgen.toml:1:8: jobs: expected a whole number, got the text '4' "
        "(write 4 without quotes)",
        "briefgen.toml:2:10: strict: expected true or false, got the text 'yes' "
        "(write true or false, without quotes)",
        "briefgen.toml:3:11: formats: expected a list, got the text 'html'"]


def test_a_fraction_where_a_whole_number_belongs_says_so(tmp_path: Path) -> None:
    # It read "expected a number, got the number 1.5".
    assert problems(tmp_path, "jobs = 1.5\n") == [
        "briefgen.toml:1:8: jobs: expected a whole number, got the number 1.5"]


def test_jobs_must_be_at_least_one(tmp_path: Path) -> None:
    assert problems(tmp_path, "jobs = 0\n") == [
        "briefgen.toml:1:8: jobs: must be at least 1, got 0"]


def test_toml_syntax_error_is_located(tmp_path: Path) -> None:
    assert problems(tmp_path, 'lang = "en"\npaper = a4\n') == [
        'briefgen.toml:2:9: invalid TOML: invalid value (TOML text goes in quotes: "a4")']


def test_toml_unterminated_string_and_duplicate_key(tmp_path: Path) -> None:
    assert problems(tmp_path, 'lang = "en"\nout = "public\n') == [
        "briefgen.toml:2:14: invalid TOML: illegal character '\\n'"]
    assert problems(tmp_path, 'paper = "a4"\n  paper = "letter"\n') == [
        "briefgen.toml:2:3: invalid TOML: cannot overwrite a value "
        "(each key and table may be set only once)"]


def test_not_utf8_is_located(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_bytes(b'paper = "a4"\nout = "caf\xe9"\n')
    assert [d.text() for d in load_config(tmp_path)[1]] == [
        "briefgen.toml:2:11: the file is not UTF-8 text (save it as UTF-8)"]


@pytest.mark.parametrize(("out", "message"), [
    ("../public", "'../public' leads outside the workspace: name a folder inside it, "
                  "without '..'"),
    ("public/../../x", "'public/../../x' leads outside the workspace: name a folder inside "
                       "it, without '..'"),
    # Back inside: not "leads outside", which it does not.
    ("output/../output", "'output/../output' has a '..' part: name the folder without it"),
    ("/srv/www", "must be relative to the workspace, got the absolute path '/srv/www'"),
    ("C:\\\\briefs", "must be relative to the workspace, got the absolute path 'C:\\\\briefs'"),
    ("./", "must name a folder inside the workspace, not the workspace itself"),
    (" ", "must name a folder inside the workspace, got empty text"),
])
def test_out_must_stay_inside_the_workspace(tmp_path: Path, out: str, message: str) -> None:
    assert problems(tmp_path, f'paper = "a4"\nout   = "{out}"\n') == [
        f"briefgen.toml:2:9: out: {message}"]


def test_out_through_a_link_leading_outside_is_refused(tmp_path: Path) -> None:
    ws, elsewhere = tmp_path / "ws", tmp_path / "elsewhere"
    ws.mkdir()
    elsewhere.mkdir()
    (ws / "public").symlink_to(elsewhere, target_is_directory=True)
    (ws / CONFIG_FILE).write_text('out = "public/briefs"\n')
    config, found = load_config(ws)
    assert config is None
    assert [d.text() for d in found] == [
        f"ws/briefgen.toml:1:7: out: leads outside the workspace (to {elsewhere / 'briefs'}) "
        "(name a folder inside the workspace)"]


def test_a_linked_config_file_outside_is_not_read(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (tmp_path / "secret.toml").write_text('paper = "a4"\n')
    (ws / CONFIG_FILE).symlink_to(tmp_path / "secret.toml")
    config, found = load_config(ws)
    assert config is None and [d.code for d in found] == ["outside"]


# --- valid files -----------------------------------------------------------------------


def test_every_key(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(textwrap.dedent("""\
        paper = "letter"
        lang = "ja"
        out = "public/briefs"
        formats = ["html", "md"]
        template = "memo"
        pdf_variant = "pdf/ua-1"
        jobs = 2
        strict = true
        """))
    assert load_config(tmp_path) == (Config(
        paper="letter", lang="ja", out="public/briefs", formats=["html", "md"],
        template="memo", pdf_variant="pdf/ua-1", jobs=2, strict=True), [])


def test_no_file_and_an_empty_file(tmp_path: Path) -> None:
    assert load_config(tmp_path) == (None, [])
    (tmp_path / CONFIG_FILE).write_text("# nothing set yet\n")
    assert load_config(tmp_path) == (Config(), [])


def test_init_template_validates_commented_and_uncommented() -> None:
    assert validate_source(parse_toml(CONFIG_TEMPLATE, CONFIG_FILE), Config) == (Config(), [])
    every = re.sub(r"(?m)^# (\w+ = )", r"\1", CONFIG_TEMPLATE)
    config, found = validate_source(parse_toml(every, CONFIG_FILE), Config)
    assert found == []
    assert config is not None and set(config.model_fields_set) == set(Config.model_fields)


def test_init_template_names_every_value_each_key_takes() -> None:
    """The comments are the analyst's only list of values: a format added to the build
    (docx) must show up in them."""
    from briefgen.inputs.choices import BuildFormat, Language, Paper, PdfVariant, Template
    from briefgen.inputs.choices import choices as values

    lines = {m.group(1): m.group(2) for m in re.finditer(r"(?m)^# (\w+) = .*?# (.*)$",
                                                         CONFIG_TEMPLATE)}
    for key, literal in (("paper", Paper), ("lang", Language), ("formats", BuildFormat),
                         ("template", Template), ("pdf_variant", PdfVariant)):
        assert all(re.search(rf"(?<![\w/-]){re.escape(v)}(?![\w/-])", lines[key])
                   for v in values(literal)), (key, lines[key])
    assert "any of html, pdf, md, json, docx (--format)" in lines["formats"]


# --- the schema agrees with briefgen ----------------------------------------------------

CORPUS = [
    ("", True),
    ('paper = "letter"\nlang = "en"\nformats = ["pdf"]\njobs = 1\nstrict = false', True),
    ('out = "public/briefs"', True),
    ('out = "a..b"', True),
    ('out = "../x"', False),
    ('out = "a/../../x"', False),
    ('out = "/x"', False),
    ('out = "C:/x"', False),
    ('out = "."', False),
    ('out = ""', False),
    ('paper = "A4"', False),
    ("formats = []", False),
    ('formats = ["html", "odt"]', False),
    ("jobs = 0", False),
    ("jobs = 1.5", False),
    ('strict = "true"', False),
    ("papr = 1", False),
    ('[build]\npaper = "a4"', False),
]


@pytest.mark.parametrize(("text", "valid"), CORPUS)
def test_schema_and_briefgen_agree(text: str, valid: bool) -> None:
    source = parse_toml(text, CONFIG_FILE)
    ours = validate_source(source, Config)[1] == []
    theirs = jsonschema.Draft202012Validator(json_schema("config")).is_valid(source.data)
    assert (ours, theirs) == (valid, valid)


def test_config_schema_is_valid_and_documented() -> None:
    schema = json_schema("config")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "briefgen settings file (briefgen.toml)"
    assert set(schema["properties"]) == set(Config.model_fields)
    for name, prop in schema["properties"].items():
        assert prop.get("description") and prop.get("examples"), name
        assert "null" not in str(prop), name  # TOML has no null
        for example in prop["examples"]:
            assert jsonschema.Draft202012Validator(prop).is_valid(example), name


def test_a_byte_order_mark_is_a_warning_and_the_settings_still_apply(tmp_path: Path) -> None:
    # 'invalid TOML: invalid statement' at 1:1, where YAML files got a clear warning.
    (tmp_path / "options").mkdir()
    (tmp_path / "briefgen.toml").write_bytes("\ufeffjobs = 3\n".encode())
    config, found = load_config(tmp_path)
    assert config is not None and config.jobs == 3
    assert [d.text() for d in found] == [
        "briefgen.toml:1:1: warning: the file starts with a byte-order mark (BOM) "
        "(save it as UTF-8 without BOM)"]


def test_a_nul_in_out_is_refused_not_a_crash(tmp_path: Path) -> None:
    # With an unknown key beside it, the settings were checked further and resolving the
    # path raised "embedded null byte" (found by the fast-path property test).
    (tmp_path / CONFIG_FILE).write_text('paperr = "a4"\nout = "\\u0000"\n', encoding="utf-8")
    config, found = load_config(tmp_path)
    assert config is None
    assert "briefgen.toml:2:7: out: must name a folder inside the workspace, got a control " \
        "character" in [d.text() for d in found]
