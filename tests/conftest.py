"""Shared test helpers: run the real CLI entry point and capture what a user would see."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest

from mscdose.cli import main


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the validated-table cache out of the user's home folder during tests."""
    import os

    os.environ["MSCDOSE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    *args: str,
    expect: int | None = 0,
    stdin: str | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> Run:
    """Run ``mscdose ARGS`` in-process; an unexpected exit code fails and shows stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if stdin is not None:
            import sys

            old = sys.stdin
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
            try:
                code = main(list(args))
            finally:
                sys.stdin = old
        else:
            code = main(list(args))
    result = Run(code, out.getvalue(), err.getvalue())
    if expect is not None and code != expect:
        pytest.fail(
            f"mscdose {' '.join(args)} exited {code}, expected {expect}\n"
            f"stderr: {result.stderr}\nstdout: {result.stdout}"
        )
    return result


def assert_one_line_error(result: Run, *fragments: str) -> None:
    """A refusal: exit 2, nothing on stdout, exactly one line on stderr containing fragments."""
    assert result.code == 2, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
