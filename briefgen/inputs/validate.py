"""Stage 2, validate: one file's data against its pydantic model.

Pydantic reports errors by path; this module turns each into a Diagnostic at the
line and column of the offending value (or key), with a message a policy
analyst can act on: the field, what was expected, what was found, and a
"did you mean" for misspelt keys and values.
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefgen.common.diagnostics import Diagnostic
from briefgen.common.fieldpath import FieldPath, format_path
from briefgen.common.suggest import suggest
from briefgen.inputs.load import SourceFile, type_name
from briefgen.inputs.models import LANGUAGE_NAMES, LANGUAGES, Bilingual
from briefgen.inputs.yamlhints import bool_hint, number_hint, text_hint

M = TypeVar("M", bound=BaseModel)


# What authors write for a language instead of its ISO 639-1 code.
_LANGUAGE_ALIASES = {"jp": "ja", "jpn": "ja", "japanese": "ja", "nihongo": "ja", "日本語": "ja",
                     "eng": "en", "english": "en", "英語": "en"}


def _language_hint(key: str) -> str:
    """'did you mean' for a language key, then the languages a bilingual text takes."""
    known = ", ".join(f"{code} ({LANGUAGE_NAMES[code]})" for code in LANGUAGES)
    guess = _LANGUAGE_ALIASES.get(key.strip().casefold()) or (
        next((c for c in LANGUAGES if key.casefold().startswith(c)), None))
    if guess:
        return f"did you mean {guess!r}? languages: {known}"
    return f"languages: {known}"


def validate_source(source: SourceFile, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate a loaded file; return the model (or None) and every problem found."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        errors = exc.errors()
        problems = [_diagnostic(err, source, model) for err in errors]
    if all(err["type"] == "extra_forbidden" for err in errors):
        # Only unknown fields (a typo such as 'kidn:'): the rest of the file is checked
        # as if they were not there, so its other problems (a score off its scale, an
        # unknown source) are reported in the same run, not after the typo is fixed.
        data = copy.deepcopy(source.data)
        for err in errors:
            path, exists = _data_path(source.data, err["loc"])
            parent = _at(data, path[:-1])
            if exists and isinstance(parent, dict):
                parent.pop(path[-1], None)
        try:
            return model.model_validate(data), problems
        except ValidationError:
            pass
    return None, problems


def _at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


# The tags of briefgen's own tagged unions (text or a bilingual mapping): never in the data.
_UNION_TAGS = frozenset({"text", "bilingual"})


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[FieldPath, bool]:
    """Map pydantic's loc onto the data, dropping union tags; say if the end exists."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, int) and str(part) in current:
            current = current[str(part)]
            path.append(str(part))
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            path.append(part)
        elif i == len(loc) - 1 and part not in _UNION_TAGS:
            path.append(part)
            return tuple(path), False
        # otherwise the part is a union or discriminator tag, not in the data: skip it
    return tuple(path), True


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types behind Annotated, Optional and unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(model: type[BaseModel], data: Any, path: FieldPath) -> type[BaseModel] | None:
    """The model class whose fields apply to the mapping at ``path`` (for suggestions)."""
    current: Any = model
    node = data
    for part in path:
        candidates = _unwrap(current)
        chosen = None
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel) and isinstance(part, str):
                field = cand.model_fields.get(part)
                if field is not None:
                    chosen = field.annotation
                    break
            origin = typing.get_origin(cand)
            if origin is list and isinstance(part, int):
                chosen = typing.get_args(cand)[0]
                break
            if origin is dict:
                chosen = typing.get_args(cand)[1]
                break
        if chosen is None:
            return None
        current = chosen
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) else None)
    models = [c for c in _unwrap(current) if isinstance(c, type) and issubclass(c, BaseModel)]
    if len(models) > 1 and isinstance(node, dict):  # discriminated union: pick by 'kind'
        for cand in models:
            kind = cand.model_fields.get("kind")
            if kind is not None and node.get("kind") in typing.get_args(kind.annotation):
                return cand
    return models[0] if models else None


def _literal_choices(model: type[BaseModel], data: Any, path: FieldPath) -> list[str]:
    parent = _model_at(model, data, path[:-1])
    if parent is None or not isinstance(path[-1], str) or path[-1] not in parent.model_fields:
        return []
    for cand in _unwrap(parent.model_fields[path[-1]].annotation):
        if typing.get_origin(cand) is Literal:
            return [str(a) for a in typing.get_args(cand)]
    return []


def _diagnostic(err: ErrorDetails, source: SourceFile, model: type[BaseModel]) -> Diagnostic:
    loc = tuple(err["loc"])
    # A mapping's key that is wrong (pydantic's "[key]"): the key is where to look.
    on_key = bool(loc) and loc[-1] == "[key]"
    path, exists = _data_path(source.data, loc[:-1] if on_key else loc)
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    hint = None
    field = format_path(path)

    if kind == "extra_forbidden":
        key = str(path[-1])
        parent = _model_at(model, source.data, path[:-1])
        if parent is not None and issubclass(parent, Bilingual):
            return Diagnostic(source.locate(path, key=True),
                              f"unknown language {key!r} in a bilingual text", field=field,
                              code="unknown-language", hint=_language_hint(key))
        allowed = list(parent.model_fields) if parent else []
        hint = suggest(key, allowed)
        if not hint and allowed:
            hint = "allowed here: " + ", ".join(allowed)
        return Diagnostic(source.locate(path, key=True), f"unknown field {key!r}", field=field,
                          code="unknown-field", hint=hint)
    if kind == "missing":
        return Diagnostic(source.locate(path[:-1]), "required field is missing", field=field,
                          code="missing")

    location = source.locate(path, key=on_key)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = _literal_choices(model, source.data, path)
        if isinstance(value, str):
            hint = suggest(value, choices)
        message = f"expected one of {expected}, got {type_name(value)}"
    elif kind == "string_type":
        message = f"expected text, got {type_name(value)}"
        hint = text_hint(value, source.raw.get(path))
    elif kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        wanted = "a whole number" if kind.startswith("int") else "a number"
        message = f"expected {wanted}, got {type_name(value)}"
        hint = number_hint(value)
    elif kind == "int_from_float":
        message = f"expected a whole number, got {type_name(value)}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        limit = next(iter(ctx.values()), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        shown = f"{limit:,}" if isinstance(limit, int) and abs(limit) >= 10_000 else limit
        message = f"must be {words} {shown}, got {value!r}"
    elif kind == "string_pattern_mismatch":
        message = f"does not have the expected form, got {type_name(value)}"
        if "a-z0-9" in str(ctx.get("pattern", "")):
            message = ("must be a slug (lower-case letters, digits, '-' or '_'), "
                       f"got {type_name(value)}")
        elif "\\n" in str(ctx.get("pattern", "")):
            message = "must fit on one line"
        elif str(ctx.get("pattern", "")) == "^[A-Z]{3}$":
            message = ("must be a three-letter currency code in capitals (ISO 4217), got "
                       f"{type_name(value)}")
            if isinstance(value, str) and len(value) == 3 and value.isalpha():
                hint = f"write {value.upper()}"
    elif kind == "string_too_long":
        message = f"must be at most {ctx.get('max_length')} characters, got {len(str(value))}"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "too_short":
        least = ctx.get("min_length")
        message = f"needs at least {least} item{'' if least == 1 else 's'}"
    elif kind in ("list_type",):
        message = f"expected a list, got {type_name(value)}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping of fields, got {type_name(value)}"
    elif kind == "union_tag_not_found":
        message = f"missing field {ctx.get('discriminator', '')}"
    elif kind == "union_tag_invalid":
        message = f"expected one of {ctx.get('expected_tags')}, got {ctx.get('tag')!r}"
    elif kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    elif kind == "bool_type":
        message = f"expected true or false, got {type_name(value)}"
        hint = bool_hint(value)
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
        if exists and not isinstance(value, dict | list):
            message += f", got {type_name(value)}"
    return Diagnostic(location, message, field=field, code=kind, hint=hint)
