"""Docs that cannot rot: every command has help and appears in the README, and the README's
first two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mscdose.cli.commands import MODULES
from tests.conftest import run_cli
from tests.test_cli_ecosystem import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    r = run_cli(name, "--help")
    assert "Usage: mscdose" in r.stdout and len(r.stdout.splitlines()) > 3
    assert f"mscdose {name}" in README


def _examples(name: str) -> list[str]:
    """The example lines of a command's help (its epilog)."""
    text = run_cli(*name.split(), "--help").stdout
    assert "Examples:" in text, f"mscdose {name} --help has no examples"
    block = text.split("Examples:", 1)[1]
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_two_or_three_examples_and_is_in_the_readme(name: str) -> None:
    examples = _examples(name)
    assert 2 <= len(examples) <= 3, examples
    assert all(f"mscdose {name}" in line for line in examples), examples
    assert f"mscdose {name}" in README


# files the examples name, made from the test data
FIXTURES = {
    "doses.csv": "dose,route,indication,weight\n2e6/kg,iv,gvhd,70\n1e8,iv,copd,80\n",
    "abstract.txt": "Patients received 2 × 10⁶ MSC/kg intravenously on day 1.\n",
}


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_every_example_runs(name: str, tmp_path: Path) -> None:
    """Each example, run by a shell in a folder holding the files it names: exit 0 or 1
    (1 is a finding), never a usage error or a bug."""
    import os
    import shutil
    import subprocess
    import sys

    for file, text in FIXTURES.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "tests" / "data" / "good.yaml", tmp_path / "my-regimens.yaml")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    for example in _examples(name):
        if "jq " in example and shutil.which("jq") is None:
            example = example.split("|")[0]
        run = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {example} > /dev/null"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode in (0, 1), (example, run.returncode, run.stderr)


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
