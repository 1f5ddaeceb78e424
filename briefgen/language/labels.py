"""The brief's own words (headings, captions, generated sentences) in each language.

The words are data: one catalogue file per language in ``catalogues/`` (``ja.toml``),
so a third language is a new file, not new code. A catalogue is keyed by the English
text itself, so a template reads as it prints (``{{ t("Executive summary") }}``),
English output is exactly the key, and a label with no translation yet falls back to
English rather than to an empty cell. English therefore needs no labels; ``en.toml``
holds only the named entries (the list joiners), whose English is not their key.

Slots are named, ``{version}``, so a translation can put them in any order. A slot may
carry a filter after a colon, ``{criterion:inline}``: a grammatical adjustment that
one language makes and another does not, written in that language's catalogue rather
than as a branch in code (see ``FILTERS``). tests/language/test_labels.py checks that
every catalogue has every key the code and templates use, with the same slots.

TOML, because the standard library reads it (``tomllib``), it allows comments for
translators, and its strings are only ever strings (YAML would read a bare ``no`` as
false).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from briefgen.language.formatting import current_language

CATALOGUES = Path(__file__).resolve().with_name("catalogues")
SOURCE_LANGUAGE = "en"  # the language the keys are written in


def inline(text: str) -> str:
    """English sentence case inside a sentence: 'Supply-chain security' -> 'supply-chain
    security', while 'US leverage' (an acronym) stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# Filters a catalogue may apply to a slot, ``{name:filter}``. Languages without letter
# case simply do not use ``inline``.
FILTERS: dict[str, Callable[[str], str]] = {"inline": inline}


@dataclass(frozen=True)
class Catalogue:
    language: str
    labels: Mapping[str, str] = field(default_factory=dict)  # English text -> this language
    joiners: Mapping[str, str] = field(default_factory=dict)  # name -> what goes between items


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, read once per process; empty when there is no file, so
    every label falls back to English."""
    path = CATALOGUES / f"{lang}.toml"
    # A language code names a file here, so it must not be able to name one elsewhere.
    if not lang.replace("-", "").isalnum() or not path.is_file():
        return Catalogue(lang)
    with path.open("rb") as f:
        data = tomllib.load(f)
    return Catalogue(lang, data.get("labels", {}), data.get("joiners", {}))


def languages() -> tuple[str, ...]:
    """The languages with a catalogue file."""
    return tuple(sorted(p.stem for p in CATALOGUES.glob("*.toml")))


@cache
def _known_keys() -> frozenset[str]:
    return frozenset(k for lang in languages() for k in catalogue(lang).labels)


def forget_catalogues() -> None:
    """Read the catalogue files afresh on next use: after one is edited or ``CATALOGUES``
    is pointed elsewhere (tests do, to add a language)."""
    catalogue.cache_clear()
    _known_keys.cache_clear()


def current_catalogue() -> Catalogue:
    """The catalogue of the language being presented (what a cached chart's words came from)."""
    return catalogue(current_language())


def label(text: str, lang: str | None = None) -> str:
    """``text`` (English) in ``lang``, or in the language being presented; English when the
    catalogue has no entry."""
    return catalogue(lang or current_language()).labels.get(text, text)


def joiner(name: str, lang: str | None = None) -> str:
    """What goes between the items of a list: ``items`` (names in running text, ', '),
    ``entries`` (the parts of a caption or note, '; '), ``statements`` (full clauses, '; ').
    Named rather than keyed by their English, since English uses '; ' for two of them and
    Japanese does not."""
    own = catalogue(lang or current_language()).joiners
    return own[name] if name in own else catalogue(SOURCE_LANGUAGE).joiners[name]


def join(items: Iterable[str], name: str = "items") -> str:
    return joiner(name).join(items)


class _SlotFormatter(string.Formatter):
    """``str.format`` with the catalogue's slot filters as format specs."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec in FILTERS:
            return FILTERS[format_spec](str(value))
        return super().format_field(value, format_spec)


_SLOTS = _SlotFormatter()


def slots(text: str) -> frozenset[str]:
    """The slot names of a catalogue text, without their filters: 'version {version}' ->
    {'version'}."""
    return frozenset(name for _, name, _, _ in _SLOTS.parse(text) if name is not None)


def phrase(key: str, /, **values: object) -> str:
    """The text for ``key`` in the language being presented, its ``{slots}`` filled: the
    view model's sentences, plain text (the templates escape them)."""
    return _SLOTS.vformat(label(key), (), values)


def t(text: object, **values: object) -> Markup:
    """The templates' ``t``: a label in the language being rendered, as markup, since it is
    briefgen's own text; anything that is not a label in the catalogue is escaped like any
    other value. Keyword arguments fill ``{name}`` places in the label, each escaped:
    ``t("version {version}", version=v)``. A template global, so imported macros have it;
    the language comes from ``formatting.use_language`` around the render."""
    if not isinstance(text, str):
        return escape(text)
    known = catalogue(current_language()).labels
    if text in known:
        found = known[text]
    elif text in _known_keys():  # an English label: trusted, as written in the template
        found = text
    else:
        return escape(text)
    if not values:
        return Markup(found)
    return Markup(_SLOTS.vformat(found, (), {k: escape(v) for k, v in values.items()}))
