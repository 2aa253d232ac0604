"""The reference table: find ``regimens.yaml``, read it safely, validate it, index it.

Found in this order: an explicit path (``--table PATH``, else ``MSCDOSE_TABLE``), the
copy packaged in the wheel, then the checkout (editable installs). Read with YAML's
safe loader only, validated into :class:`~mscdose.models.Study` rows; every problem is
reported at once as ``PATH:LINE: message`` in a :class:`~mscdose.errors.TableError`,
and a broken table never loads partially. Each file is parsed once per process.

>>> table = load_table()
>>> all(row.citation.authors for row in table.rows)
True
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mscdose.errors import TableError

if TYPE_CHECKING:  # imported when first used: `mscdose --version` needs none of them
    from mscdose.table.cache import cache_dir
    from mscdose.table.index import Table, ranges
    from mscdose.table.row import Study

__all__ = [
    "ENV_VAR",
    "FILENAME",
    "Table",
    "cache_dir",
    "clear_cache",
    "find_table",
    "load_table",
    "parse_table",
    "ranges",
    "table_identity",
]

ENV_VAR = "MSCDOSE_TABLE"
FILENAME = "regimens.yaml"
_LAZY = {
    "Table": "table.index",
    "ranges": "table.index",
    "cache_dir": "table.cache",
}


def __getattr__(name: str) -> Any:
    """``Table``, ``ranges`` and ``cache_dir``, imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"mscdose.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_VERSION = re.compile(rb"""^[ \t]*version:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
_HEADER_FIELDS = ("version", "date", "description")
_OWN_TERMS = re.compile(rb"^vocabulary:", re.MULTILINE)
_TOP_FIELDS = ("table", "regimens", "vocabulary")

YamlPath = tuple[str | int, ...]


# --- where the table is ------------------------------------------------------------------------


def find_table(path: str | os.PathLike[str] | None = None) -> Path:
    """The table to read: ``path``, ``$MSCDOSE_TABLE``, the wheel's copy, or the checkout's."""
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or None
    if path is not None:
        return Path(path)
    return bundled_table_path()


def bundled_table_path() -> Path:
    """The table that ships with mscdose: the wheel's copy, or the checkout's."""
    packaged = _packaged()
    if packaged is not None:
        return packaged
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / FILENAME).is_file():
            return folder / FILENAME
    raise TableError(
        [
            f"{FILENAME}: not found in the installed package nor in a checkout; "
            f"give one with --table PATH or {ENV_VAR}"
        ]
    )


def _packaged() -> Path | None:
    """The wheel's copy: ``importlib.resources.files("mscdose") / "data" / "regimens.yaml"``."""
    beside = Path(__file__).with_name("data") / FILENAME  # what files() gives on a file system
    if beside.is_file():
        return beside
    from importlib.resources import files

    try:
        resource = files("mscdose") / "data" / FILENAME
    except (ModuleNotFoundError, NotADirectoryError):  # pragma: no cover - zipped installs
        return None
    if isinstance(resource, os.PathLike) and resource.is_file():
        return Path(os.fspath(resource))
    return None


MAX_TABLE_BYTES = 64 << 20  # the bundled table is ~0.1 MB; a bigger file is not a table


def _read(path: Path) -> bytes:
    """The bytes of a table file: a regular file (a FIFO would hang the read, a device such as
    /dev/zero never end it) of at most :data:`MAX_TABLE_BYTES`."""
    try:
        found = os.stat(path)  # follows symlinks: their target is what is read
    except FileNotFoundError:
        raise TableError([f"{path}: no such file"]) from None
    except ValueError:  # a NUL in the path: no file has such a name
        raise TableError([f"{str(path)!r}: not a path (it holds a NUL character)"]) from None
    except OSError as exc:
        raise TableError([f"{path}: cannot read it ({exc.strerror or exc})"]) from None
    if stat.S_ISDIR(found.st_mode):
        raise TableError([f"{path}: is a folder, not a regimens.yaml file"])
    if not stat.S_ISREG(found.st_mode):
        raise TableError(
            [
                f"{path}: not a regular file (a FIFO, a device or a socket); "
                "give the path of a regimens.yaml file"
            ]
        )
    too_big = TableError(
        [
            f"{path}: {found.st_size / 2**20:.0f} MB is too big for a table "
            f"(at most {MAX_TABLE_BYTES >> 20} MB)"
        ]
    )
    if found.st_size > MAX_TABLE_BYTES:
        raise too_big
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_TABLE_BYTES + 1)
    except OSError as exc:
        raise TableError([f"{path}: cannot read it ({exc.strerror or exc})"]) from None
    if len(data) > MAX_TABLE_BYTES:  # it grew while read
        raise too_big
    return data


def table_identity(path: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """``(version, sha256 hex)`` of the table, cheaply: no YAML parse (for ``--version``)."""
    data = _read(find_table(path))
    match = _VERSION.search(data)
    version = match.group(1).decode("utf-8", "replace") if match else "unknown"
    return version, hashlib.sha256(data).hexdigest()


# --- YAML, safely, with line numbers ----------------------------------------------------------


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[YamlPath, int], list[tuple[int, str]]]:
    """The document, the line of every key and list item, and the duplicate keys found.

    Bad YAML and tags the safe loader refuses (``!!python/object`` …) are a TableError.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    lines: dict[YamlPath, int] = {(): 1}
    unsafe: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    try:
        node = loader.get_single_node()
        if node is None:
            raise _error([(1, "the file is empty")], name)
        _walk(node, (), lines, unsafe, duplicates, set())
        if unsafe:
            raise _error(unsafe, name)
        try:
            document = loader.construct_document(node)
        except (ValueError, OverflowError) as exc:  # a scalar YAML reads but cannot build
            raise _error([_unbuildable(loader, node, exc)], name) from None
        return document, lines, duplicates
    except yaml.MarkedYAMLError as exc:
        raise _error([_yaml_problem(exc, text)], name) from None
    except yaml.YAMLError as exc:
        raise _error([(1, f"invalid YAML: {' '.join(str(exc).split())}")], name) from None
    except RecursionError:
        raise _error([(1, "the YAML is nested too deeply")], name) from None
    finally:
        loader.dispose()


def _unbuildable(loader: Any, root: Any, exc: Exception) -> tuple[int, str]:
    """The line and words of the scalar the constructor failed on: an invalid date such as
    ``2026-02-30`` (YAML reads it as a timestamp, Python cannot make it a date)."""
    import yaml

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as problem:
                return node.start_mark.line + 1, (
                    f"{node.value!r} is not a date ({problem}); write a real date as "
                    'YYYY-MM-DD, or quote it to keep it as text ("2026-02")'
                )
    return 1, f"a value cannot be read: {exc}"


def _yaml_problem(exc: Any, text: str) -> tuple[int, str]:
    """The line and words of a YAML syntax error (where an unclosed quote or bracket began)."""
    problem, context = exc.problem or "", exc.context or ""
    mark, began_mark = exc.problem_mark, exc.context_mark
    at = mark.line + 1 if mark is not None else 1
    began = began_mark.line + 1 if began_mark is not None else None
    at_end = mark is not None and not text[mark.index :].strip()
    if began is not None and (at_end or "end of stream" in problem):  # never closed
        return began, f"invalid YAML: {problem} at line {at}, {context} that begins here"
    where = f" ({context} at line {began})" if began is not None and context else ""
    return at, f"invalid YAML: {problem}{where}"


def _walk(
    node: Any,
    path: YamlPath,
    lines: dict[YamlPath, int],
    unsafe: list[tuple[int, str]],
    duplicates: list[tuple[int, str]],
    seen: set[int],
) -> None:
    """Record lines, refuse unsafe tags, find duplicate keys (each node once: aliases share)."""
    import yaml

    if id(node) in seen:
        return
    seen.add(id(node))
    if node.tag not in yaml.SafeLoader.yaml_constructors:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        unsafe.append(
            (
                node.start_mark.line + 1,
                f"the YAML tag {tag!r} is not allowed (the "
                "table is plain YAML: text, numbers, lists and mappings)",
            )
        )
        return
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            _walk(key_node, path, {}, unsafe, duplicates, seen)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                _walk(value_node, path, lines, unsafe, duplicates, seen)
                continue
            if key in first and key != "<<":
                duplicates.append(
                    (
                        line,
                        f"duplicate key {key!r} (first at line {first[key]}; "
                        "YAML would keep only the last)",
                    )
                )
            first.setdefault(key, line)
            child: YamlPath = (*path, key)
            lines[child] = line
            _walk(value_node, child, lines, unsafe, duplicates, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, unsafe, duplicates, seen)


def _error(problems: list[tuple[int, str]], name: str) -> TableError:
    """One TableError listing every problem, sorted by line, each as ``PATH:LINE: message``."""
    listed = [f"{name}:{line}: {message}" for line, message in sorted(problems, key=lambda p: p[0])]
    error = TableError(listed)
    if len(listed) > 1:
        error.message += f"; 'mscdose table validate {name}' lists them all"
    return error


# --- loading -----------------------------------------------------------------------------------

_CACHE: dict[tuple[str, int, int], Table] = {}


def load_table(path: str | os.PathLike[str] | None = None) -> Table:
    """The validated table (bundled, or ``path``), parsed once per process per file version.

    Raises :class:`TableError` with every ``PATH:LINE: message`` when anything is wrong.
    A valid table is also kept, validated, in a small JSON cache keyed by its sha256 (see
    :func:`cache_dir`), so that later processes skip the YAML parse.
    """
    where = find_table(path)
    try:
        stat = where.stat()
        key: tuple[str, int, int] | None = (str(where.resolve()), stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError):  # missing, or not a path: _read says which
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    # imported on first use, to keep start-up fast
    from mscdose.table.cache import from_cache, to_cache

    data = _read(where)
    # a table with its own vocabulary is parsed every time: parsing is what adds its terms
    own_terms = _OWN_TERMS.search(data) is not None
    table = None if own_terms else from_cache(data, where)
    if table is None:
        table = parse_table(data, where)
        if not own_terms:
            to_cache(table)
    if key is not None:
        _CACHE[key] = table
    return table


def parse_table(data: bytes, path: Path) -> Table:
    """Validate a table's bytes; ``path`` names it in the problems."""
    name = str(path)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error([(line, f"not UTF-8 text (byte {exc.start})")], name) from None
    # imported on first use, to keep start-up fast
    from mscdose.table.index import Table

    document, lines, problems = _parse_yaml(text, name)

    def line_of(where: YamlPath) -> int:
        while where not in lines and where:
            where = where[:-1]
        return lines.get(where, 1)

    header = _header(document, line_of, problems)
    if isinstance(document, dict) and "vocabulary" in document:  # a local table's own terms
        # imported on first use, to keep start-up fast
        from mscdose.text.local_terms import add_local_terms

        problems += [
            (line_of(where), message) for where, message in add_local_terms(document["vocabulary"])
        ]
    rows = _rows(document, line_of, problems)
    if problems:
        raise _error(problems, name)
    return Table.build(
        rows, version=header[0], date=header[1], description=header[2], path=path, sha256=sha256
    )


def _header(
    document: Any,
    line_of: Any,
    problems: list[tuple[int, str]],
) -> tuple[str, str | None, str | None]:
    # imported on first use, to keep start-up fast
    from mscdose.table.validate import suggest

    if not isinstance(document, dict):
        problems.append(
            (
                1,
                "the table must be a mapping with 'table:' (version, date, "
                "description) and 'regimens:' (a list of rows)",
            )
        )
        return "", None, None
    for key in document:
        if key not in _TOP_FIELDS:
            problems.append(
                (line_of((key,)), f"unknown top-level key {key!r}{suggest(key, _TOP_FIELDS)}")
            )
    head = document.get("table")
    if not isinstance(head, dict):
        problems.append(
            (line_of(("table",)), "missing 'table:' with version, date and description")
        )
        return "", None, None
    for key in head:
        if key not in _HEADER_FIELDS:
            problems.append(
                (line_of(("table", key)), f"unknown key table.{key}{suggest(key, _HEADER_FIELDS)}")
            )
    values: list[str | None] = []
    for key in _HEADER_FIELDS:
        value = head.get(key)
        if value is not None and not isinstance(value, dict | list | bool):
            values.append(str(value))
        elif value is not None:
            problems.append((line_of(("table", key)), f"table.{key} must be text"))
            values.append(None)
        else:
            values.append(None)
    if not values[0]:
        problems.append(
            (line_of(("table",)), 'table.version is missing (e.g. version: "2026.11.1")')
        )
    return values[0] or "", values[1], values[2]


def _rows(document: Any, line_of: Any, problems: list[tuple[int, str]]) -> list[Study]:
    # imported on first use, to keep start-up fast
    from mscdose.table.validate import build_study

    if not isinstance(document, dict):
        return []
    regimens = document.get("regimens")
    if not isinstance(regimens, list):
        problems.append(
            (line_of(("regimens",)), "'regimens:' must be a list of rows (regimens: [] when empty)")
        )
        return []
    rows: list[Study] = []
    first_line: dict[str, int] = {}
    for i, raw in enumerate(regimens):
        study, found = build_study(raw)
        for where, message in found:
            problems.append((line_of(("regimens", i, *where)), message))
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str):
            line = line_of(("regimens", i, "id"))
            if raw_id in first_line:
                problems.append(
                    (line, f"duplicate id {raw_id!r} (first at line {first_line[raw_id]})")
                )
                continue
            first_line[raw_id] = line
        if study is not None:
            rows.append(study)
    return rows


def clear_cache() -> None:
    """Forget the tables read so far in this process (the disk cache stays)."""
    _CACHE.clear()
