"""Docs that cannot rot: every command has help and appears in the README, and the README's
first two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mscdose.cli.commands import MODULES
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    r = run_cli(name, "--help")
    assert "Usage: mscdose" in r.stdout and len(r.stdout.splitlines()) > 3
    assert f"mscdose {name}" in README


def test_the_disclaimer_is_said_once_in_the_readme_and_in_help() -> None:
    assert README.count("not a prescribing device") == 1
    assert run_cli("--help").stdout.count("not a prescribing device") == 1


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)[:2]
    assert len(blocks) == 2
    install_and_run, install_and_test = blocks
    assert "pip install . " in install_and_run and "mscdose check" in install_and_run
    assert 'pip install ".[test]"' in install_and_test and "python -m pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q ".[test]"' in ci and "python -m pytest" in ci
    main_job = install_and_run.split("&& ", 3)[-1]
    assert main_job in ci  # CI runs the README's main job from another folder
    assert README.index(blocks[0]) < 600  # at the top


def test_exit_codes_are_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 70 |", "| 130 |"):
        assert code in README
