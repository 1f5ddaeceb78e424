"""Hints for the YAML surprises people trip over when a value has the wrong type.

briefgen reads YAML 1.2 (see load.py), so ``NO``, ``on`` and ``yes`` stay text
and ``012`` is refused. What remains surprising is the other direction: an
unquoted ``1.10`` or ``2024`` in a text field is a number, ``true`` is a
boolean, and a number field given ``yes``, ``"3"`` or ``1,000`` holds text.
Each hint says what YAML read and what to write instead.
"""

from __future__ import annotations

import re
from typing import Any

# Words that YAML 1.1 (and many people) read as booleans; YAML 1.2 keeps them as text.
YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
_SEPARATED_NUMBER = re.compile(r"^[-+]?[0-9]{1,3}([,_ ' ][0-9]{3})+(\.[0-9]+)?$")
_PLAIN_NUMBER = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")


def text_hint(value: Any, raw: str | None) -> str | None:
    """A text field got a number, boolean or null: say how to keep it as text."""
    if isinstance(value, bool):
        written = raw or str(value).lower()
        return f"unquoted, {written} is read as a boolean: write '{written}' in quotes for text"
    if isinstance(value, int | float):
        written = raw if raw is not None else repr(value)
        if isinstance(value, float) and written != repr(value):
            return (f"unquoted, {written} is read as the number {value!r}: write '{written}' "
                    "in quotes to keep it as written")
        return f"write '{written}' in quotes to keep it as text"
    return None


def number_hint(value: Any) -> str | None:
    """A number field got something else: say what to write."""
    if isinstance(value, bool):
        return "write a number; true and false are not numbers"
    if not isinstance(value, str):
        return None
    word = value.strip()
    if word.lower() in YAML11_BOOLEANS:
        return (f"{word!r} is text here (briefgen reads YAML 1.2, where yes/no/on/off are "
                "not booleans); write a number")
    if _SEPARATED_NUMBER.match(word):
        digits = re.sub(r"[,_ ']", "", word)
        return f"write {digits} without separators"
    if _PLAIN_NUMBER.match(word):
        return f"write {word} without quotes"
    return None


def bool_hint(value: Any) -> str | None:
    """A true/false field got text such as yes or on."""
    if isinstance(value, str) and value.strip().lower() in YAML11_BOOLEANS | {"true", "false"}:
        return "write true or false (yes/no/on/off are text in YAML 1.2)"
    return None
