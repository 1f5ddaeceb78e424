"""Stage 3b, localize: pick one language from every bilingual text field.

A text field may be plain text or a mapping ``{en: ..., ja: ...}`` (models.Bilingual).
Before a brief is presented, ``localize`` replaces every such mapping with the
text in the chosen language (falling back to the other language where only one is
given), so presentation, templates and analysis only ever see plain strings.

Pure functions: they return new frozen models and never touch the originals.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from briefgen.inputs.models import LANGUAGES, Bilingual, Brief

M = TypeVar("M", bound=BaseModel)


def _resolve(value: Any, lang: str) -> Any:
    if isinstance(value, Bilingual):
        return value.pick(lang)
    if isinstance(value, BaseModel):
        return localize(value, lang)
    if isinstance(value, list):
        return [_resolve(v, lang) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolve(v, lang) for v in value)
    if isinstance(value, dict):
        return {k: _resolve(v, lang) for k, v in value.items()}
    return value


def localize(model: M, lang: str) -> M:
    """A copy of ``model`` with every bilingual text resolved to ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    update = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        resolved = _resolve(value, lang)
        if resolved is not value:
            update[name] = resolved
    # model_copy skips validation: the texts were validated when the file was loaded.
    return model.model_copy(update=update) if update else model


def brief_language(brief: Brief, override: str | None = None) -> str:
    """The language a brief is built in: ``--lang`` when given, else the brief's own."""
    return override or brief.language
