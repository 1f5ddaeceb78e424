"""The catalogues (briefgen/language/catalogues/*.toml) against the code and templates.

A translator edits a data file that no type checker reads, so these tests are its
checker: every key the built-in templates and the view model use is in every
catalogue, each translation keeps exactly its key's slots (a dropped ``{criterion}``
would silently lose a name from a sentence), and every slot filter exists.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from briefgen.language import labels
from briefgen.language.formatting import use_language
from briefgen.language.labels import (
    FILTERS,
    SOURCE_LANGUAGE,
    catalogue,
    inline,
    joiner,
    languages,
    phrase,
    slots,
    t,
)

ROOT = Path(__file__).resolve().parents[2]
PRESENT = ROOT / "briefgen" / "present"
SENTENCES = PRESENT / "sentences.py"
LOOKUPS = {"label", "phrase", "_t"}  # the names the view model calls the catalogue by


def _strings(node: ast.expr, names: dict[str, list[ast.expr]]) -> list[str] | None:
    """The constant strings an argument can be, or None when it is not knowable from the
    source: a literal, either branch of ``a if c else b``, a local assigned one of those,
    or a module-level dict of literals indexed (``STATUS_TEXT[status]``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _strings(node.body, names), _strings(node.orelse, names)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Name) and node.id in names:
        found = [_strings(v, names) for v in names[node.id]]
        return None if any(f is None for f in found) else [s for f in found for s in f or []]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and node.value.id in names:
        (table,) = names[node.value.id]
        if isinstance(table, ast.Dict):
            found = [_strings(v, names) for v in table.values]
            return None if any(f is None for f in found) else [s for f in found for s in f or []]
    return None


def _assignments(tree: ast.AST) -> dict[str, list[ast.expr]]:
    out: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            out.setdefault(node.targets[0].id, []).append(node.value)
    return out


def keys_in_code(path: Path) -> tuple[set[str], list[str]]:
    """(catalogue keys a module looks up, the lookups whose key cannot be read off the
    source) for every call of ``label``, ``phrase`` or ``_t`` in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _assignments(tree)
    keys: set[str] = set()
    unknown: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in LOOKUPS and node.args:
            found = _strings(node.args[0], names)
            if found is None:
                unknown.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:70]}")
            else:
                keys.update(found)
    return keys, unknown


def keys_in_templates() -> set[str]:
    used: set[str] = set()
    for path in (ROOT / "templates").glob("*.j2"):
        used |= set(re.findall(r'\bt\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    return used


def used_keys() -> set[str]:
    keys = keys_in_templates()
    for path in sorted(PRESENT.glob("*.py")):
        keys |= keys_in_code(path)[0]
    return keys


def translations() -> list[str]:
    """The catalogues that translate, that is every one but the source language's."""
    return [lang for lang in languages() if lang != SOURCE_LANGUAGE]


def test_every_sentence_key_can_be_read_off_the_source() -> None:
    # Otherwise the coverage test below could not see it, and a language could lack it.
    keys, unknown = keys_in_code(SENTENCES)
    assert unknown == []
    assert len(keys) > 50


def test_the_scan_finds_the_sentences_and_the_templates_labels() -> None:
    used = used_keys()
    assert "{criterion:inline} weighed more than {at} (now {now})" \
        in used  # a phrase() in sentences.py, chosen by a conditional
    assert "Executive summary" in used  # a template's t()
    assert "For consultation" in used  # record.py's STATUS_TEXT, looked up by label()


def test_there_is_a_translation_to_check() -> None:
    assert "ja" in translations()


@pytest.mark.parametrize("lang", translations())
def test_every_used_key_is_in_every_catalogue(lang: str) -> None:
    assert sorted(used_keys() - set(catalogue(lang).labels)) == []


@pytest.mark.parametrize("lang", languages())
def test_every_translation_keeps_exactly_its_keys_slots(lang: str) -> None:
    wrong = {key: (sorted(slots(key)), sorted(slots(text)))
             for key, text in catalogue(lang).labels.items() if slots(key) != slots(text)}
    assert wrong == {}


@pytest.mark.parametrize("lang", languages())
def test_every_slot_filter_exists(lang: str) -> None:
    specs = {spec for text in [*catalogue(lang).labels, *catalogue(lang).labels.values()]
             for _, name, spec, _ in string.Formatter().parse(text) if name is not None and spec}
    assert specs <= set(FILTERS)


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_names_every_joiner(lang: str) -> None:
    assert set(catalogue(lang).joiners) == set(catalogue(SOURCE_LANGUAGE).joiners)


def test_english_needs_no_labels_and_falls_back_to_the_key() -> None:
    assert catalogue("en").labels == {}
    with use_language("en"):
        assert phrase("{value} percentage points", value="10") == "10 percentage points"
    with use_language("ja"):
        assert phrase("{value} percentage points", value="10") == "10ポイント"
        assert phrase("A sentence no catalogue has.") == "A sentence no catalogue has."


def test_a_language_without_a_file_reads_as_english() -> None:
    assert catalogue("xx").labels == {}
    with use_language("xx"):
        assert joiner("items") == ", "
        assert phrase("{years} years", years="10") == "10 years"


def test_a_language_code_cannot_name_a_file_outside_the_catalogues() -> None:
    assert catalogue("../catalogues/ja").labels == {}


def test_inline_lowercases_a_capital_but_not_an_acronym() -> None:
    assert inline("Supply-chain security") == "supply-chain security"
    assert inline("US leverage") == "US leverage"
    assert inline("X") == "X"
    assert phrase("{name:inline} weighs", name="Cost") == "cost weighs"


def test_t_escapes_slot_values_and_trusts_only_known_labels() -> None:
    with use_language("en"):
        assert t("version {version}", version="<b>2</b>") == Markup(
            "version &lt;b&gt;2&lt;/b&gt;")
        assert t("<i>not a label</i>") == Markup("&lt;i&gt;not a label&lt;/i&gt;")
        assert t(3) == Markup("3")
    with use_language("ja"):
        assert t("version {version}", version=2) == Markup("第2版")


def test_the_catalogues_ship_beside_the_code() -> None:
    assert labels.CATALOGUES.parent == Path(labels.__file__).resolve().parent
    assert {"en", "ja"} <= set(languages())


def test_check_reads_no_catalogue_heavy_dependency() -> None:
    # The labels module is imported by `briefgen check`'s path; tomllib is all it needs.
    code = ("import sys; import briefgen.language.labels as l; l.catalogue('ja'); "
            "print(sorted(m for m in ('numpy', 'matplotlib', 'weasyprint', 'yaml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_current_catalogue_follows_the_language_being_presented() -> None:
    from briefgen.language.formatting import use_language
    from briefgen.language.labels import current_catalogue

    assert current_catalogue().language == "en"
    with use_language("ja"):
        assert current_catalogue().language == "ja"
        assert current_catalogue().labels["Impact"] != "Impact"
