"""The examples in the docstrings run, against the installed package (not the source tree)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mscdose

MODULES = [
    "mscdose",
    *sorted(
        name
        for _, name, _ in pkgutil.walk_packages(mscdose.__path__, "mscdose.")
        if not name.endswith("__main__")
    ),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} failing examples in {name}"


def test_there_are_examples() -> None:
    total = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert total >= 20
