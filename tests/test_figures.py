"""``--figure FILE.svg|png|pdf`` on ranges and check (issue 19.9): the log-scale range chart
with the proposal marked, evidence classes told apart by marker shape, citations as labels;
matplotlib only in ``cli/figures.py`` and only when a figure is asked for."""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli

pytest.importorskip("matplotlib", reason="the figures extra (matplotlib) is not installed")

SVG = "{http://www.w3.org/2000/svg}"
GVHD = ("2x10^6 cells/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70")


def _svg(path: Path) -> tuple[list[str], list[str]]:
    """The SVG's texts and the ids of its marker groups."""
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]
    ids = [g.get("id", "") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("marker-")]
    return texts, ids


def test_check_figure_svg_marks_the_proposal_and_labels_the_citations(tmp_path: Path) -> None:
    out = tmp_path / "gvhd.svg"
    run_cli("check", *GVHD, "--figure", str(out))
    texts, ids = _svg(out)
    assert "proposed" in texts
    assert "Le Blanc 2008" in texts and "Kebriaei 2009" in texts  # citations as labels
    assert "Mesoblast Ryoncil 2024" in texts
    # a marker group per row, named by its evidence class, the proposal's own
    assert any(i.startswith("marker-proposed-") for i in ids)
    assert {i.split("-")[1] for i in ids} >= {"proposed", "label", "rct", "trial", "case_series"}
    # the legend names every class (shape, not colour alone)
    for name in ("label", "RCT", "trial", "case series", "case report", "review"):
        assert name in texts
    assert any("within" in t for t in texts)


def test_ranges_figure_png_has_a_size(tmp_path: Path) -> None:
    out = tmp_path / "ranges.png"
    run_cli("ranges", "--figure", str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1200 and height >= 2000  # every range of the table, one row each


def test_ranges_figure_svg_labels(tmp_path: Path) -> None:
    out = tmp_path / "gvhd.svg"
    run_cli("ranges", "--indication", "gvhd", "--figure", str(out))
    texts, _ = _svg(out)
    assert any("gvhd acute steroid refractory" in t for t in texts)
    assert any("Le Blanc 2008" in t or "Prasad 2011" in t for t in texts)
    assert "proposed" not in texts  # nothing proposed in ranges


def test_a_name_without_a_format_is_refused(tmp_path: Path) -> None:
    result = run_cli("check", *GVHD, "--figure", str(tmp_path / "chart.gif"), expect=2)
    assert_one_line_error(result, ".svg, .png or .pdf")
    assert not (tmp_path / "chart.gif").exists()


def test_without_matplotlib_one_line_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib → ImportError
    result = run_cli("ranges", "--figure", str(tmp_path / "r.svg"), expect=2)
    assert_one_line_error(result, "matplotlib", "mscdose[figures]")


@pytest.mark.parametrize(
    "args",
    [
        ["check", *GVHD],
        ["check", *GVHD, "--json"],
        ["ranges"],
        ["convert", "2e6/kg", "--weight", "70kg"],
    ],
)
def test_commands_that_draw_no_figure_never_import_matplotlib(args: list[str]) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from mscdose.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'jinja2')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
