"""The cache of costly, pure results: round trips, misses, and never a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.common import filecache


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_value_stored_under_a_key_is_read_back():
    key = filecache.digest("chart", [1.0, 2.5], {"a": (1, 2)})
    assert filecache.get("charts", key) is None
    filecache.put("charts", key, b"<svg/>")
    assert filecache.get("charts", key) == b"<svg/>"
    assert filecache.get("parts", key) is None  # kinds are separate


def test_the_key_covers_every_part_and_numpy_values():
    numpy = pytest.importorskip("numpy")
    assert filecache.digest([1.0, 2.0]) == filecache.digest(numpy.array([1.0, 2.0]))
    assert filecache.digest("a", 1) != filecache.digest("a", 2)
    with pytest.raises(TypeError, match="cannot key on object"):
        filecache.digest(object())


def test_keys_and_kinds_that_could_name_another_file_are_misses(cache: Path):
    filecache.put("charts", "../../escape", b"x")
    filecache.put("../x", "0" * 64, b"x")
    assert filecache.get("charts", "../../escape") is None
    assert not cache.exists()


def test_an_unwritable_cache_is_skipped_quietly(cache: Path):
    cache.write_text("a file where the folder should be")
    key = "a" * 64
    filecache.put("charts", key, b"data")  # no exception
    assert filecache.get("charts", key) is None


def test_a_damaged_entry_is_a_miss(cache: Path):
    key = "b" * 64
    filecache.put("parts", key, b"%PDF-1.7 the whole part")
    [entry] = (cache / "parts").rglob(key)
    entry.write_bytes(entry.read_bytes()[:-4])  # cut short
    assert filecache.get("parts", key) is None
