"""The disk cache of validated tables can never change an answer (issue 16.1, 19.14).

Entries are bound by an HMAC whose key only the user can read (0600 in a 0700 folder the
user owns); a tampered, foreign-owned, truncated or stale entry, or a key or folder whose
owner or mode is off, is ignored and the table read again from its YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from mscdose.table import cache, load
from mscdose.table.index import Table

GOOD = Path(__file__).parent / "data" / "good.yaml"
POSIX = os.name == "posix"


@pytest.fixture(autouse=True)
def _private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("MSCDOSE_TABLE", raising=False)
    folder = tmp_path / "cache"
    monkeypatch.setenv("MSCDOSE_CACHE_DIR", str(folder))
    return folder


class Parses:
    """Counts the YAML parses, so a test sees whether the cache was used."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = load.parse_table

        def counted(data: bytes, path: Path) -> Table:
            self.count += 1
            return real(data, path)

        monkeypatch.setattr(load, "parse_table", counted)


def fresh() -> Table:
    load.clear_cache()
    return load.load_table(GOOD)


def entry(folder: Path) -> Path:
    (found,) = folder.glob("table-*.json")
    return found


def test_a_cached_table_is_used_by_the_next_process(
    monkeypatch: pytest.MonkeyPatch, _private: Path
) -> None:
    parses = Parses(monkeypatch)
    first = fresh()
    second = fresh()
    assert parses.count == 1 and second.rows == first.rows


def test_a_forged_entry_with_a_correct_sha256_is_ignored(
    monkeypatch: pytest.MonkeyPatch, _private: Path
) -> None:
    """The attack of issue 16: raise a dose, recompute the body's public checksum."""
    first = fresh()
    file = entry(_private)
    _, body = file.read_text(encoding="utf-8").split("\n", 1)
    document = json.loads(body)
    document["rows"][0]["dose"]["high"] = 9e12
    forged = json.dumps(document, ensure_ascii=False)
    file.write_text(hashlib.sha256(forged.encode()).hexdigest() + "\n" + forged, encoding="utf-8")
    parses = Parses(monkeypatch)
    again = fresh()
    assert parses.count == 1, "the forged entry was used"
    assert again.rows == first.rows
    # and rebuilt: the next process uses a good entry again
    assert fresh().rows == first.rows and parses.count == 1


@pytest.mark.parametrize("damage", ["truncated", "empty", "flipped", "stale"])
def test_a_damaged_or_stale_entry_is_ignored_and_rebuilt(
    monkeypatch: pytest.MonkeyPatch, _private: Path, damage: str
) -> None:
    first = fresh()
    file = entry(_private)
    data = file.read_bytes()
    if damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        file.write_bytes(b"")
    elif damage == "flipped":
        file.write_bytes(data.replace(b'"high":', b'"high": 1e3 ,"x":', 1))
    else:
        monkeypatch.setattr(cache, "_fingerprint", lambda: "code of another version")
    parses = Parses(monkeypatch)
    assert fresh().rows == first.rows
    assert parses.count == 1
    assert fresh().rows == first.rows
    assert parses.count == 1, "the entry was not rebuilt"


@pytest.mark.skipif(not POSIX, reason="owners and modes are POSIX")
@pytest.mark.parametrize("what", ["folder", "key", "entry"])
def test_a_foreign_owned_folder_key_or_entry_is_ignored(
    monkeypatch: pytest.MonkeyPatch, _private: Path, what: str
) -> None:
    fresh()
    target = {"folder": _private, "key": _private / "key", "entry": entry(_private)}[what]
    real = os.lstat

    def foreign(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        found = real(path, *args, **kwargs)
        if os.fspath(path) == os.fspath(target):
            values = list(found)
            values[stat.ST_UID] = found.st_uid + 1
            return os.stat_result(values)
        return found

    monkeypatch.setattr(cache.os, "lstat", foreign)
    parses = Parses(monkeypatch)
    fresh()
    fresh()
    assert parses.count == 2, f"a cache with a foreign-owned {what} was used"


@pytest.mark.skipif(not POSIX, reason="owners and modes are POSIX")
@pytest.mark.parametrize(("what", "mode"), [("folder", 0o777), ("folder", 0o770), ("key", 0o644)])
def test_a_folder_or_key_others_can_use_is_ignored(
    monkeypatch: pytest.MonkeyPatch, _private: Path, what: str, mode: int
) -> None:
    fresh()
    os.chmod(_private if what == "folder" else _private / "key", mode)
    parses = Parses(monkeypatch)
    fresh()
    assert parses.count == 1
    fresh()
    assert parses.count == 2


@pytest.mark.skipif(not POSIX, reason="owners and modes are POSIX")
def test_a_folder_of_the_user_that_others_may_only_read_is_made_private(
    monkeypatch: pytest.MonkeyPatch, _private: Path
) -> None:
    """~/.cache/mscdose made 0755 by earlier versions keeps its cache, now 0700."""
    _private.mkdir(mode=0o755)
    os.chmod(_private, 0o755)
    parses = Parses(monkeypatch)
    fresh()
    fresh()
    assert parses.count == 1
    assert stat.S_IMODE(os.stat(_private).st_mode) == 0o700


@pytest.mark.skipif(not POSIX, reason="owners and modes are POSIX")
def test_a_symlinked_key_is_ignored(monkeypatch: pytest.MonkeyPatch, _private: Path) -> None:
    fresh()
    key = _private / "key"
    elsewhere = _private.parent / "elsewhere"
    elsewhere.write_bytes(key.read_bytes())
    os.chmod(elsewhere, 0o600)
    key.unlink()
    key.symlink_to(elsewhere)
    parses = Parses(monkeypatch)
    fresh()
    assert parses.count == 1


@pytest.mark.skipif(not POSIX, reason="umask is POSIX")
def test_the_folder_and_key_are_private_under_umask_000(_private: Path) -> None:
    nested = _private / "deeper" / "mscdose"
    os.environ["MSCDOSE_CACHE_DIR"] = str(nested)
    old = os.umask(0)
    try:
        fresh()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(nested).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(nested / "key").st_mode) == 0o600
    for file in nested.iterdir():
        assert stat.S_IMODE(os.stat(file).st_mode) & 0o077 == 0, file
    assert not stat.S_IMODE(os.stat(nested.parent).st_mode) & 0o002, "world-writable parent"


def test_the_cache_folder_comes_from_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("MSCDOSE_CACHE_DIR")
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("mscdose", appauthor=False))
    monkeypatch.setenv("MSCDOSE_CACHE_DIR", "  ")
    assert cache.cache_dir() is None


def test_the_fingerprint_reads_the_code_that_validates() -> None:
    """Every file named in the fingerprint exists: a renamed module must not go unnoticed."""
    for path in cache.validator_files():
        assert path.is_file(), path
    assert len(cache.validator_files()) >= 5


def test_the_bundled_table_from_the_cache_is_the_table_parsed() -> None:
    """Rows rebuilt from the cache without validation are, field for field and type for type,
    the rows validation builds (every field is in the dump, nested models included)."""
    from mscdose.table import load as loader
    from mscdose.table.load import bundled_table_path, load_table, parse_table

    path = bundled_table_path()
    fresh = parse_table(path.read_bytes(), path)
    loader._CACHE.clear()
    load_table(path)  # writes the cache if it was missing
    loader._CACHE.clear()
    cached = load_table(path)
    assert cached.rows == fresh.rows
    for a, b in zip(cached.rows, fresh.rows, strict=True):
        assert a.model_fields_set == b.model_fields_set or a.model_dump() == b.model_dump()
        assert type(a.citation) is type(b.citation) and type(a.dose) is type(b.dose)
