"""The source distribution (issue 19.13): it carries the licence, the citation file, docs/,
the CI script and everything its own tests read, and those tests pass from it unpacked."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_license_and_citation_match_the_project() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    import yaml

    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == "MIT" and cff["version"] == project["version"]
    assert cff["cff-version"] == "1.2.0" and cff["authors"]
    assert {"Homepage", "Issues"} <= set(project["urls"])
    assert {"figures", "report", "test"} <= set(project["optional-dependencies"])


def test_the_sdist_carries_what_its_tests_read_and_they_pass(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path),
         str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (sdist,) = tmp_path.glob("mscdose-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
        archive.extractall(tmp_path, filter="data")
    for needed in ("LICENSE", "CITATION.cff", ".ci/run", "docs/regimens-format.md",
                   "regimens.yaml", "tests/data/good.yaml",
                   "src/mscdose/cli/templates/report.html.j2"):  # fmt: skip
        assert needed in names, needed
    root = next(tmp_path.glob("mscdose-*/"))
    env = {k: v for k, v in os.environ.items() if k != "MSCDOSE_TABLE"}
    env["PYTHONPATH"] = str(root / "src")  # the sdist's own code, and its own checkout table
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_docs.py", "tests/test_architecture.py", "tests/test_doctests.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "passed" in run.stdout
