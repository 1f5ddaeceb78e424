"""docs/security.md names the test behind each item of its threat model: each must exist."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = 0
    for row in text.splitlines():
        current = None
        for ref in re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)`", row):
            path, _, name = ref.partition("::")
            if path:
                current = ROOT / path
                assert current.is_file(), ref
            if name:
                assert current is not None, row
                assert re.search(rf"^def {name}\(", current.read_text(), re.M), ref
                named += 1
    assert named >= 15
