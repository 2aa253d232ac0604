"""The design's import rules (../shared/design.md), held by an AST scan of every import,
those inside functions and under ``TYPE_CHECKING`` included: floors that point one way, no
cycle between modules, the library free of terminal code, each third-party library in one
home, and imports inside functions only where they keep start-up fast (and say so)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mscdose"
MODULES = sorted(SRC.rglob("*.py"))

# The floors, bottom up: a module imports only from its own floor or the floors below it.
FLOORS: list[set[str]] = [
    {"errors", "models", "_version"},
    {"text"},
    {"dose"},
    {"schedule", "table"},
    {"checking"},
    {"extraction", "batching"},
    {"documents"},
    {""},  # the package's __init__: the public API
    {"cli", "__main__"},
]
FLOOR = {room: i for i, rooms in enumerate(FLOORS) for room in rooms}

# third-party library → the only module (or folder) allowed to import it
HOMES = {
    "rich": "cli/",
    "typer": "cli/",
    "yaml": "table/load.py",
    "pint": "text/units.py",
    "icalendar": "schedule/ics.py",
    "orjson": "batching/run.py",
    "matplotlib": "cli/figures.py",
    "jinja2": "cli/report.py",
    "platformdirs": "table/cache.py",
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["mscdose", *parts])


def _room(module: str) -> str:
    """The top-level room of a package module: 'mscdose.text.vocab' → 'text'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


KNOWN = {_module(p) for p in MODULES}


class _Imports(ast.NodeVisitor):
    """Every import of a module: (line, imported module, inside a function?)."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.found: list[tuple[int, str, bool]] = []
        self.depth = 0

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((node.lineno, alias.name, self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module if self.is_package else self.module.rsplit(".", 1)[0]
            for _ in range(node.level - 1):
                package = package.rsplit(".", 1)[0]
            base = f"{package}.{base}" if base else package
        for alias in node.names:
            # `from mscdose.text import vocab` imports the module mscdose.text.vocab
            target = f"{base}.{alias.name}"
            self.found.append((node.lineno, target if target in KNOWN else base, self.depth > 0))


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    visitor = _Imports(_module(path), path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.found


GRAPH = {_module(p): _imports(p) for p in MODULES}


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_third_party_imports_live_in_their_home(path: Path) -> None:
    rel = _rel(path)
    used = {name.split(".")[0] for _, name, _ in GRAPH[_module(path)]}
    assert "click" not in used, "import typer, never click"
    for lib, home in HOMES.items():
        if lib in used:
            assert rel.startswith(home), f"{rel} imports {lib}; keep it in {home}"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_imports_point_down_the_floors(path: Path) -> None:
    module = _module(path)
    floor = FLOOR[_room(module)]
    for line, target, _ in GRAPH[module]:
        if not target.startswith("mscdose"):
            continue
        assert target in KNOWN or target == "mscdose", f"{_rel(path)}:{line}: {target} is unknown"
        there = FLOOR[_room(target)]
        assert there <= floor, (
            f"{_rel(path)}:{line} imports {target}, a floor above "
            f"({_room(target) or 'the API'} over {_room(module) or 'the API'})"
        )


def test_no_import_cycle() -> None:
    """Tarjan's strongly connected components over every import of the package."""
    edges = {
        m: sorted({t for _, t, _ in found if t in GRAPH and t != m}) for m, found in GRAPH.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def _block_comment(lines: list[str], line: int) -> str:
    """The comment above the block of imports that holds ``line`` (1-based), and the line
    itself: where a function-level import says why it is there."""
    i = line - 1
    while i > 0 and _IMPORT_LINE.match(lines[i - 1]):
        i -= 1
    above = lines[i - 1].strip() if i > 0 else ""
    return (above if above.startswith("#") else "") + " " + lines[line - 1]


_IMPORT_LINE = re.compile(r"\s*(from \S+ import|import \S|[A-Za-z_][\w ,]*,?$|\)$)")


def test_function_level_imports_say_why() -> None:
    """An import of the package inside a function exists only to keep start-up fast, and says
    so in a comment on its line or above its block of imports."""
    silent = []
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, target, inside in GRAPH[_module(path)]:
            comment = _block_comment(lines, line).casefold()
            if inside and target.startswith("mscdose") and "start-up" not in comment:
                silent.append(f"{_rel(path)}:{line} ({target})")
    assert not silent, "function-level imports without a start-up comment: " + ", ".join(silent)


def test_library_has_no_terminal_code() -> None:
    for path in MODULES:
        if _rel(path).startswith("cli/") or _rel(path) == "__main__.py":
            continue
        used = {name.split(".")[0] for _, name, _ in GRAPH[_module(path)]}
        assert not used & {"rich", "typer", "click"}, f"{_rel(path)} imports terminal code"
        assert "mscdose.cli" not in {t for _, t, _ in GRAPH[_module(path)]}


def test_modules_stay_small() -> None:
    """A module holds one subject: at most 300 statements (counted from the AST, so that the
    formatter's line breaks do not count)."""
    big = {}
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = len({node.lineno for node in ast.walk(tree) if isinstance(node, ast.stmt)})
        if statements > 300:
            big[_rel(path)] = statements
    assert not big, f"split these by subject: {big}"


def test_no_module_is_named_like_a_public_function() -> None:
    """Importing a submodule binds its name on the package: a module ``mscdose/check.py`` made
    ``mscdose.check`` the module, not the function, once anything had imported it."""
    import mscdose

    names = {p.stem for p in SRC.glob("*.py")} | {p.name for p in SRC.iterdir() if p.is_dir()}
    assert not names & set(mscdose.__all__)
    first = mscdose.check("2e6/kg", "IV", indication="GVHD", weight_kg=70)
    assert mscdose.check("2e6/kg", "IV", indication="GVHD", weight_kg=70) == first
    assert mscdose.extract("2e6 cells/kg") == mscdose.extract("2e6 cells/kg")
