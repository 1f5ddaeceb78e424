"""Warn about placeholders left in a file ("TODO: ...").

``briefgen new`` writes starting files whose text fields say ``TODO: ...`` so
they validate at once; ``briefgen check`` then warns about each one until it
is filled in, and fails on them under ``--strict`` (as in CI before merging).
"""

from __future__ import annotations

import re

from briefgen.common.diagnostics import Diagnostic, Severity
from briefgen.common.fieldpath import format_path
from briefgen.inputs.load import SourceFile, iter_paths

PLACEHOLDER = "TODO"
_PLACEHOLDER_RE = re.compile(r"\bTODO\b")


def find_placeholders(source: SourceFile) -> list[Diagnostic]:
    """A warning at every text value (or key) of the file that still holds TODO."""
    found = []
    for path, value in iter_paths(source.data):
        if not path:
            continue
        key = path[-1]
        if isinstance(key, str) and _PLACEHOLDER_RE.search(key):
            found.append(Diagnostic(source.locate(path, key=True), "placeholder key left in",
                                    field=format_path(path), severity=Severity.WARNING,
                                    code="placeholder", hint="rename it"))
        if isinstance(value, str) and _PLACEHOLDER_RE.search(value):
            shown = value.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            found.append(Diagnostic(source.locate(path), f"placeholder left in: {shown!r}",
                                    field=format_path(path), severity=Severity.WARNING,
                                    code="placeholder", hint="replace the TODO text"))
    return found
