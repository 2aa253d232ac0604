"""The design's import rules, held by an AST scan: the library has no terminal code, and each
third-party library lives in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mscdose"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(SRC.rglob("*.py"))

# third-party library → the only places allowed to import it
HOMES = {
    "rich": "cli/",
    "typer": "cli/",
    "yaml": "table.py",
    "pint": "units.py",
    "icalendar": "schedule.py",
    "orjson": "batch.py",
}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_third_party_imports_live_in_their_module(path: Path) -> None:
    rel = path.relative_to(SRC).as_posix()
    used = _imports(path)
    assert "click" not in used, "import typer, never click"
    for lib, home in HOMES.items():
        if lib in used:
            assert rel.startswith(home) or rel == home, f"{rel} imports {lib}; keep it in {home}"


def test_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    big = {name: n for name, n in sizes.items() if n > 450}
    assert not big, f"split these by subject: {big}"


def test_no_module_is_named_like_a_public_function() -> None:
    """Importing a submodule binds its name on the package: a module ``mscdose/check.py`` made
    ``mscdose.check`` the module, not the function, once anything had imported it."""
    import mscdose

    modules = {p.stem for p in SRC.glob("*.py")} | {p.name for p in SRC.iterdir() if p.is_dir()}
    assert not modules & set(mscdose.__all__)
    first = mscdose.check("2e6/kg", "IV", indication="GVHD", weight_kg=70)
    assert mscdose.check("2e6/kg", "IV", indication="GVHD", weight_kg=70) == first
    assert mscdose.extract("2e6 cells/kg") == mscdose.extract("2e6 cells/kg")
