"""Local tables laid over the bundled one: a clinic's or a study group's own rows beside the
reference rows. A local row with a bundled row's id replaces it; every local row is marked
``local`` in every output. ``--table-only`` (``only=True``) uses the local table alone."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from mscdose.table.index import Table
from mscdose.table.load import ENV_VAR, bundled_table_path, load_table

if TYPE_CHECKING:
    from mscdose.table.row import Study


def load_with_local(path: str | os.PathLike[str] | None = None, *, only: bool = False) -> Table:
    """The bundled table, with the rows of ``path`` (or ``$MSCDOSE_TABLE``) laid over it; with
    ``only``, the local table alone (the behaviour of ``--table`` before local tables)."""
    local = path if path not in (None, "") else os.environ.get(ENV_VAR) or None
    if local is None:
        return load_table(bundled_table_path())
    if only:
        return load_table(local)
    bundled = load_table(bundled_table_path())
    return overlay(bundled, load_table(local))


def overlay(bundled: Table, local: Table) -> Table:
    """``bundled`` with ``local``'s rows: same id replaces, new ids are added, all marked."""
    mine: list[Study] = [row.model_copy(update={"local": True}) for row in local.rows]
    replaced = {row.id for row in mine}
    rows = [row for row in bundled.rows if row.id not in replaced] + mine
    digest = hashlib.sha256(f"{bundled.sha256} {local.sha256}".encode()).hexdigest()
    return Table.build(
        rows,
        version=f"{bundled.version}+local:{local.version}",
        date=local.date or bundled.date,
        description=f"{bundled.description or ''} + {local.path.name}".strip(),
        path=local.path,
        sha256=digest,
    )
