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


def test_the_cache_keeps_the_entries_used_last_within_its_size(cache: Path, monkeypatch):
    """Once a day a write prunes: entries unused for MAX_AGE_DAYS go, and past the size
    limit those used least recently; reading an entry counts as using it."""
    import os

    monkeypatch.setattr(filecache, "PRUNE_EVERY", 0)
    keys = [filecache.digest("entry", n) for n in range(4)]
    day = 86400
    for n, key in enumerate(keys):  # written 4, 3, 2 and 1 days ago
        filecache.put("charts", key, b"x" * 1000)
        path = cache / "charts" / key[:2] / key
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - (4 - n) * day))
    assert filecache.get("charts", keys[0]) == b"x" * 1000  # the oldest, used just now
    filecache.prune(limit=2 * 1100)  # room for two entries (and their checksum line)
    assert filecache.get("charts", keys[0]) is not None
    assert filecache.get("charts", keys[3]) is not None
    assert filecache.get("charts", keys[1]) is None and filecache.get("charts", keys[2]) is None
    # Unused for longer than MAX_AGE_DAYS: dropped whatever the room.
    path = cache / "charts" / keys[3][:2] / keys[3]
    old = path.stat().st_mtime - (filecache.MAX_AGE_DAYS + 1) * day
    os.utime(path, (old, old))
    filecache.prune()
    assert filecache.get("charts", keys[3]) is None
    assert filecache.get("charts", keys[0]) is not None


def test_pruning_runs_at_most_once_a_day_and_only_over_entries(cache: Path):
    cache.mkdir(parents=True)
    (cache / "manifest-key").write_text("secret")
    filecache.prune(limit=0)  # the first time: due, and every entry goes
    assert (cache / "manifest-key").read_text() == "secret"  # not an entry: never pruned
    key = filecache.digest("kept")
    filecache.put("charts", key, b"value")  # a write a moment later: not due again
    assert filecache.get("charts", key) == b"value"
