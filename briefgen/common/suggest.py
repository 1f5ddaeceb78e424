"""'Did you mean' hints for misspelt keys and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt word, or None: the same word in other capitals
    (TITLE, EN), the one choice it begins (desc), else the closest spelling."""
    options = sorted(set(choices))
    folded = [c for c in options if c.casefold() == word.casefold()]
    starts = [c for c in options if len(word) >= 3 and c.startswith(word.casefold())]
    matches = folded or (starts if len(starts) == 1 else []) or difflib.get_close_matches(
        word, options, n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None
