"""JSON Schema for option and brief files and briefgen.toml, generated from the pydantic
models.

Editors with a YAML language server read these schemas (through the
``# yaml-language-server: $schema=...`` line at the top of each file) to offer
completion, hover help and inline errors. The models stay the single source of
truth: pydantic generates the schema, and this module only adds what pydantic
cannot see, so that the schema accepts and rejects the same single files as
``briefgen check``:

* text is stripped before it is checked, so "not empty" means "holds a
  non-blank character" and "one line" allows surrounding blank lines;
* checks done in Python functions (ISO dates, partial dates, web addresses,
  ISO 4217 currency codes) are written out as patterns or an enum;
* mapping keys (score ids) must match their pattern;
* numbers must be finite;
* the model validators' "this or that" rules (a score has a value or a
  not_scored reason; a cost has an amount or a low-high range) become
  anyOf/if-then rules.

What JSON Schema cannot express at all (low <= value <= high, min < max, a
label point inside the scale) is listed in ``NOT_EXPRESSIBLE`` and left to
``briefgen check``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from briefgen.build.write import write_atomic
from briefgen.inputs import models
from briefgen.inputs.config import CONFIG_FILE, Config

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"option": "option.schema.json", "brief": "brief.schema.json",
                "config": "briefgen.schema.json"}
# The model of each kind of file, and its schema's title.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {**models.MODELS, "config": Config}
_TITLES = {"option": "briefgen option file", "brief": "briefgen brief file",
           "config": f"briefgen settings file ({CONFIG_FILE})"}
DEFAULT_SCHEMA_DIR = "schema"

# Checks that live in Python functions, written out for JSON Schema.
_FUNCTION_SCHEMAS: dict[Any, dict[str, Any]] = {
    models._iso_date: {"pattern": models._ISO_DATE.pattern},
    models._partial_date: {"pattern": models._PARTIAL_DATE.pattern},
    models._http_url: {"pattern": r"^https?://[^\s/$.?#][^\s]*$"},
}

NOT_EXPRESSIBLE = (
    "Score: low <= value <= high",
    "Cost: low <= amount <= high, low <= high",
    "OrdinalScale and QuantityScale: min < max; labels lie between min and max",
    "ISO dates: the day exists in that month (2025-02-30), for validators that ignore format",
    "numbers: .nan (JSON has no NaN to compare with)",
)

_FINITE = 1.7976931348623157e308  # the largest float: rejects .inf and -.inf


def _number(field: str) -> dict[str, Any]:
    return {"required": [field], "properties": {field: {"type": "number"}}}


def _text(field: str) -> dict[str, Any]:
    return {"required": [field], "properties": {field: {"type": "string"}}}


def _needs(field: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": _number(field), "then": then}


# The model validators' either/or rules, as JSON Schema (keyed by model name).
_MODEL_RULES: dict[str, dict[str, Any]] = {
    "Score": {
        "anyOf": [_number("value"), _text("not_scored")],
        "not": {"allOf": [_number("value"), _text("not_scored")]},
        "allOf": [_needs("low", _number("value")), _needs("high", _number("value"))],
    },
    "Cost": {
        "anyOf": [_number("amount"), {"allOf": [_number("low"), _number("high")]}],
        "allOf": [_needs("low", _number("high")), _needs("high", _number("low"))],
    },
}


class BriefgenJsonSchema(GenerateJsonSchema):
    """pydantic's generator, plus what it cannot see (see the module docstring)."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        out = super().str_schema(schema)
        if schema.get("strip_whitespace"):
            if out.get("pattern") == r"^[^\n]*$":
                # one line once stripped: blank lines around it are fine
                out["pattern"] = r"^\s*\S[^\n]*?\s*$" if out.get("minLength") else \
                    r"^\s*[^\n]*?\s*$"
            elif out.get("minLength") and "pattern" not in out:
                out["pattern"] = r"\S"
        return out

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        out = super().float_schema(schema)
        if schema.get("allow_inf_nan") is False:
            out.setdefault("maximum", _FINITE)
            out.setdefault("minimum", -_FINITE)
        return out

    def _with_function(self, schema: Any, out: JsonSchemaValue) -> JsonSchemaValue:
        func = schema.get("function", {}).get("function")
        extra = _FUNCTION_SCHEMAS.get(func)
        if func is models._currency:
            extra = {"enum": sorted(models.known_currencies())}
        if extra:
            out = {**out, **extra}
        return out

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        return self._with_function(schema, super().function_after_schema(schema))

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        return self._with_function(schema, super().function_before_schema(schema))

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        out = super().dict_schema(schema)
        patterns = list(out.get("patternProperties", {}))
        if len(patterns) == 1:  # keys must match, not only be checked when they match
            out.setdefault("propertyNames", {})["pattern"] = patterns[0]
        keys = schema.get("keys_schema", {})
        if keys.get("type") == "int":  # YAML keys arrive as text; pydantic reads them as ints
            out.setdefault("propertyNames", {})["pattern"] = r"^[+-]?[0-9]+$"
        return out

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        out = super().model_schema(schema)
        rules = _MODEL_RULES.get(schema["cls"].__name__)
        if rules:
            out = {**out, **rules}
        return out


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of an option ("option"), brief ("brief") or briefgen.toml ("config")
    file."""
    model = SCHEMA_MODELS[kind]
    schema = model.model_json_schema(schema_generator=BriefgenJsonSchema)
    head = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://briefgen.invalid/schema/{SCHEMA_FILES[kind]}",
        "title": _TITLES[kind],
    }
    return {**head, **{k: v for k, v in schema.items() if k != "title"}}


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write option.schema.json, brief.schema.json and briefgen.schema.json (for
    briefgen.toml) into out_dir; return their paths."""
    written = []
    for kind, name in SCHEMA_FILES.items():
        target = out_dir / name
        text = schema_text(kind)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)
        written.append(target)
    return written


def schema_comment(kind: str, file_dir: Path, schema_dir: Path) -> str:
    """The yaml-language-server line for a file in file_dir, relative to schema_dir."""
    import os

    rel = os.path.relpath(schema_dir / SCHEMA_FILES[kind], file_dir)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}"


if __name__ == "__main__":  # pragma: no cover - python -m briefgen.authoring.schema option
    sys.stdout.write(schema_text(sys.argv[1] if len(sys.argv) > 1 else "option"))
