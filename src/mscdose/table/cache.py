"""A small disk cache of validated tables, so that later processes skip the YAML parse.

Keyed by the table's sha256 and a fingerprint of the code that validates it (a change of
rules, models or vocabulary makes old entries stale); written atomically; JSON, never pickle.
Rows read back are rebuilt without validating them again (they were validated when written,
by the same code), which spares each process the ~20 ms pydantic takes to build the rows'
validators — so the cache must never be able to change an answer (issue 16.1):

- each entry carries an HMAC-SHA256 of its body under a random key that only the user can
  read: ``key``, 32 bytes, mode 0600, in the cache folder, mode 0700, both owned by the
  user. Anyone can compute a plain checksum; nobody else can compute this.
- if anything about the folder or the key is off (another owner, a mode that lets others
  read or write, a symlink, a key of the wrong size) the cache is neither read nor written.
- a tampered, truncated, foreign-owned or stale entry is ignored; the table is read from its
  YAML again and the entry written anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from mscdose.table.index import Table
from mscdose.table.row import Study

# --- the disk cache of validated tables --------------------------------------------------------

CACHE_ENV = "MSCDOSE_CACHE_DIR"
_CACHE_FORMAT = 3
_CACHE_KEEP = 4
_KEY_NAME = "key"
_KEY_BYTES = 32
_PACKAGE = Path(__file__).resolve().parent.parent
# The code whose change must invalidate cached tables (validation rules, models, vocabulary,
# the dose grammar): every module of these rooms.
_VALIDATOR_ROOMS = ("table", "text")
_VALIDATOR_MODULES = ("models.py", "errors.py", "_version.py")


def cache_dir() -> Path | None:
    """Where validated tables are cached: ``$MSCDOSE_CACHE_DIR`` (empty: no cache), else the
    user cache folder that platformdirs names (``$XDG_CACHE_HOME/mscdose``,
    ``~/Library/Caches/mscdose``, ``%LOCALAPPDATA%\\mscdose\\Cache``)."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("mscdose", appauthor=False))


def validator_files() -> list[Path]:
    """The source files whose bytes make up the fingerprint of cached entries."""
    files = [_PACKAGE / name for name in _VALIDATOR_MODULES]
    for room in _VALIDATOR_ROOMS:
        files.extend(sorted((_PACKAGE / room).glob("*.py")))
    return files


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    # imported on first use, to keep start-up fast
    from mscdose._version import __version__

    digest = hashlib.sha256(f"{_CACHE_FORMAT} {__version__}".encode())
    for path in validator_files():
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def _uid() -> int | None:
    """The user's id, or None where there are no POSIX owners (Windows: the folder is the
    user's profile, guarded by its ACL)."""
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else int(getuid())


def _private(path: Path, kind: int) -> bool:
    """Whether ``path`` is of ``kind`` (S_IFDIR, S_IFREG), not a symlink, owned by the user and
    closed to group and others."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    if stat.S_IFMT(found.st_mode) != kind:
        return False
    uid = _uid()
    return uid is None or (found.st_uid == uid and not found.st_mode & 0o077)


def _make_private_folder(folder: Path) -> bool:
    """Create ``folder`` (and missing parents) mode 0700 whatever the umask; True when it is
    private (see :func:`_private`). An existing folder is never loosened nor taken over."""
    missing: list[Path] = []
    here = folder
    while not os.path.lexists(here) and here.parent != here:
        missing.append(here)
        here = here.parent
    try:
        for path in reversed(missing):
            os.mkdir(path, 0o700)  # the umask can only remove bits from 0700
            os.chmod(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    return _private(folder, stat.S_IFDIR)


def _tighten(folder: Path) -> None:
    """A folder of the user's that others may read but not write (``~/.cache/mscdose`` made
    0755 by earlier versions) is made 0700: nobody else could have put anything in it. One
    that others may write is left as it is, and so ignored."""
    uid = _uid()
    try:
        found = os.lstat(folder)
    except OSError:
        return
    if (
        uid is not None
        and stat.S_ISDIR(found.st_mode)
        and found.st_uid == uid
        and found.st_mode & 0o077
        and not found.st_mode & 0o022
    ):
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)


def _key(folder: Path, *, create: bool) -> bytes | None:
    """The cache's HMAC key, or None when the folder or the key is not the user's alone."""
    _tighten(folder)
    if not (_make_private_folder(folder) if create else _private(folder, stat.S_IFDIR)):
        return None
    path = folder / _KEY_NAME
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if create and not os.path.lexists(path):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
        except FileExistsError:  # another process made it first: read theirs
            pass
        except OSError:
            return None
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(_KEY_BYTES))
    if not _private(path, stat.S_IFREG):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | nofollow)
        with os.fdopen(fd, "rb") as handle:
            key = handle.read(_KEY_BYTES + 1)
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _cache_file(sha256: str) -> Path | None:
    folder = cache_dir()
    return folder / f"table-{sha256[:32]}.json" if folder is not None else None


def from_cache(data: bytes, path: Path) -> Table | None:
    """The cached validated table for these bytes, or None (missing, stale, damaged, forged,
    or a cache folder that is not the user's alone)."""
    sha256 = hashlib.sha256(data).hexdigest()
    file = _cache_file(sha256)
    if file is None or not _private(file, stat.S_IFREG):
        return None
    key = _key(file.parent, create=False)
    if key is None:
        return None
    try:
        import json

        signature, _, body = file.read_bytes().partition(b"\n")
        if not hmac.compare_digest(signature, _sign(key, body).encode()):
            return None
        cached = json.loads(body)
        if (
            cached.get("format") != _CACHE_FORMAT
            or cached.get("sha256") != sha256
            or cached.get("fingerprint") != _fingerprint()
        ):
            return None
        rows = [_rebuild(Study, row) for row in cached["rows"]]
        header = cached["header"]
        return Table.build(
            rows,
            version=str(header["version"]),
            date=header.get("date"),
            description=header.get("description"),
            path=path,
            sha256=sha256,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # damaged: parse again
        return None


def _rebuild(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """A model (and the models in its fields) from its validated JSON dump, not validated again."""
    inner = _model_fields(model)
    values = {}
    for name, value in data.items():
        sub = inner.get(name)
        if sub is not None and isinstance(value, list):
            value = [_rebuild(sub, v) for v in value]
        elif sub is not None and isinstance(value, dict):
            value = _rebuild(sub, value)
        values[name] = value
    if len(values) != len(model.model_fields):  # an older dump: let pydantic fill the defaults
        return model.model_construct(**values)
    # every field is in the dump: what model_construct does, without its per-field walk
    # (a 400-row table is some 2,000 models, and this is on every command's start-up path)
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", values)
    object.__setattr__(built, "__pydantic_fields_set__", set(values))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


@cache
def _model_fields(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields of ``model`` that hold models (``X``, ``X | None``, ``list[X]``), by name."""
    found = {}
    for name, field in model.model_fields.items():
        for t in (field.annotation, *get_args(field.annotation)):
            if isinstance(t, type) and issubclass(t, BaseModel):
                found[name] = t
    return found


def to_cache(table: Table) -> None:
    """Keep a validated table for later processes; a cache that cannot be written, or whose
    folder or key is not the user's alone, is skipped."""
    file = _cache_file(table.sha256)
    if file is None:
        return
    key = _key(file.parent, create=True)
    if key is None:
        return
    import json
    import tempfile

    document = {
        "format": _CACHE_FORMAT,
        "sha256": table.sha256,
        "fingerprint": _fingerprint(),
        "header": {"version": table.version, "date": table.date, "description": table.description},
        "rows": [row.model_dump(mode="json") for row in table.rows],
    }
    temporary: str | None = None
    try:
        body = json.dumps(document, ensure_ascii=False).encode()
        with tempfile.NamedTemporaryFile(  # mode 0600, whatever the umask
            "wb", dir=file.parent, prefix=".table-", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(_sign(key, body).encode() + b"\n" + body)
        os.replace(temporary, file)  # atomic: a reader sees the old file or the whole new one
        temporary = None
        old = sorted(file.parent.glob("table-*.json"), key=lambda f: f.stat().st_mtime)
        for stale in old[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
