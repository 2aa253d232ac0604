"""A small disk cache of validated tables, so that later processes skip the YAML parse.

Keyed by the table's sha256 and a fingerprint of the code that validates it (a change of
rules, models or vocabulary makes old entries stale); written atomically; a damaged or
stale entry is ignored and the YAML read again. JSON, never pickle. The file carries the
sha256 of its own body, so damage is caught before the rows are used; they are then rebuilt
without validating them again (they were validated when written, by the same code), which
spares each process the ~20 ms pydantic takes to build the rows' validators.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from mscdose.table.index import Table
from mscdose.table.row import Study

# --- the disk cache of validated tables --------------------------------------------------------

CACHE_ENV = "MSCDOSE_CACHE_DIR"
_CACHE_FORMAT = 2
_CACHE_KEEP = 4
# The code whose change must invalidate cached tables (validation rules, models, vocabulary).
# Paths are relative to the package folder; tests/test_table.py holds that each exists.
VALIDATOR_FILES = (
    "table/load.py",
    "table/validate.py",
    "table/cache.py",
    "table/index.py",
    "table/row.py",
    "models.py",
    "text/vocab.py",
    "text/terms.py",
    "text/grammar.py",
)


def cache_dir() -> Path | None:
    """Where validated tables are cached: ``$MSCDOSE_CACHE_DIR`` (empty: no cache), else the
    user cache folder (``$XDG_CACHE_HOME/mscdose``, ``~/Library/Caches/mscdose``,
    ``%LOCALAPPDATA%\\mscdose``)."""
    import sys

    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mscdose"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    # imported on first use, to keep start-up fast
    from mscdose._version import __version__

    digest = hashlib.sha256(f"{_CACHE_FORMAT} {__version__}".encode())
    here = Path(__file__).parent.parent
    for name in VALIDATOR_FILES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def _cache_file(sha256: str) -> Path | None:
    folder = cache_dir()
    return folder / f"table-{sha256[:32]}.json" if folder is not None else None


def from_cache(data: bytes, path: Path) -> Table | None:
    """The cached validated table for these bytes, or None (missing, stale or damaged)."""
    sha256 = hashlib.sha256(data).hexdigest()
    file = _cache_file(sha256)
    if file is None:
        return None
    try:
        import json

        digest, _, body = file.read_bytes().partition(b"\n")
        if digest.decode() != hashlib.sha256(body).hexdigest():
            return None
        cached = json.loads(body)
        if cached.get("sha256") != sha256 or cached.get("fingerprint") != _fingerprint():
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
    return model.model_construct(**values)


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
    """Keep a validated table for later processes; a cache that cannot be written is skipped."""
    file = _cache_file(table.sha256)
    if file is None:
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
        file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=file.parent, prefix=".table-", suffix=".tmp", delete=False, encoding="utf-8"
        ) as handle:
            temporary = handle.name
            body = json.dumps(document, ensure_ascii=False)
            handle.write(hashlib.sha256(body.encode()).hexdigest() + "\n" + body)
        os.replace(temporary, file)  # atomic: a reader sees the old file or the whole new one
        temporary = None
        old = sorted(file.parent.glob("table-*.json"), key=lambda f: f.stat().st_mtime)
        for stale in old[:-_CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
