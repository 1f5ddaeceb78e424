"""The pydantic-free fast path for briefgen.toml never accepts what the model refuses,
and does accept the ordinary valid files (or it would be no fast path)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.inputs.config import Config, load_config
from briefgen.inputs.discovery import CONFIG_FILE
from briefgen.inputs.quickconfig import CHECKS, quick_read

# For each key, values that are mostly valid and sometimes subtly not; and unknown keys.
_ANY = st.one_of(
    st.sampled_from(["a4", "letter", "A4", "en", "jp", "memo", "pdf/a-3b", "html", "public",
                     "../x", "/abs", "C:x", ".", "./", "", " ", "a/../b", "a..b", "o\\d"]),
    st.text(max_size=6), st.integers(-2, 5), st.booleans(),
    st.lists(st.sampled_from(["html", "pdf", "md", "json", "docx", "PDF"]), max_size=3))
_VALID = {
    "paper": st.sampled_from(["a4", "letter"]),
    "lang": st.sampled_from(["en", "ja"]),
    "out": st.text(st.sampled_from("ab./\\ :C"), min_size=1, max_size=8),
    "formats": st.lists(st.sampled_from(["html", "pdf", "md", "json"]), max_size=4),
    "template": st.sampled_from(["brief", "memo"]),
    "pdf_variant": st.sampled_from(["pdf/a-3b", "pdf/ua-1"]),
    "jobs": st.integers(-1, 64),
    "strict": st.booleans(),
}


@st.composite
def settings_data(draw: st.DrawFn) -> dict[str, object]:
    keys = draw(st.lists(st.sampled_from([*_VALID, "paperr", "format"]), unique=True,
                         max_size=6))
    return {key: draw(_ANY if key not in _VALID or draw(st.integers(0, 9)) == 0
                      else _VALID[key]) for key in keys}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(settings_data())
def test_what_the_fast_path_accepts_the_model_accepts_alike(
        tmp_path: Path, data: dict[str, object]) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        "".join(f"{key} = {_toml(value)}\n" for key, value in data.items()), encoding="utf-8")
    quick = quick_read(tmp_path)
    config, problems = load_config(tmp_path)
    if quick is not None:
        assert problems == [] and config is not None, (data, problems)
        assert config.model_dump(exclude_none=True) == quick == data


def test_ordinary_valid_files_take_the_fast_path(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(textwrap.dedent("""\
        # every key
        paper = "letter"
        lang = "ja"
        out = "public/briefs"
        formats = ["html", "md"]
        template = "memo"
        pdf_variant = "pdf/ua-1"
        jobs = 2
        strict = true
        """))
    assert quick_read(tmp_path) == Config.model_validate(
        quick_read(tmp_path)).model_dump(exclude_none=True)
    assert set(CHECKS) == set(Config.model_fields)


def test_problems_take_the_slow_path(tmp_path: Path) -> None:
    for text in ('paper = "A5"\n', "jobs = true\n", 'out = "../x"\n', "papr = 1\n",
                 "paper = a4\n"):
        (tmp_path / CONFIG_FILE).write_text(text)
        assert quick_read(tmp_path) is None, text
    assert quick_read(tmp_path / "nowhere") is None
