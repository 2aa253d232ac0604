"""``check … --report FILE.html|FILE.md`` (issue 19.10): one self-contained document with the
inputs, the verdict in words, the chart inline, every warning, the nearest studies with
links, the versions with the table's sha256, the date and the disclaimer; every string from
the input or the table escaped. Rendered in headless Chromium where it is installed."""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli

pytest.importorskip("jinja2", reason="the report extra (Jinja2) is not installed")

DATA = Path(__file__).parent / "data"
GVHD = ("2x10^6 cells/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70")
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [link](javascript:x) | *'


class _Page(html.parser.HTMLParser):
    """Tags, element ids, links and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_html_report_holds_everything(tmp_path: Path) -> None:
    out = tmp_path / "case.html"
    run_cli("check", *GVHD, "--schedule", "weekly x4", "--report", str(out))
    page = _page(out)
    text = " ".join(page.text)
    assert {"verdict", "inputs", "chart", "warnings", "studies", "versions"} <= page.ids
    assert "WITHIN the reported range" in text
    assert "2x10^6 cells/kg" in text and "weekly x4" in text  # the inputs as typed
    assert "IV_LUNG_FIRST_PASS" in text and "GVHD_TIMING" in text
    assert "Schedule:" in text  # schedule_verdict in words
    assert "not a prescribing device" in text
    document = run_cli("check", *GVHD, "--json").json()
    assert document["table"]["sha256"] in text and document["mscdose"] in text
    assert "svg" in page.tags and "script" not in page.tags  # inline chart, no scripts
    assert "Le Blanc 2008" in text  # the chart's citation labels
    assert any(h.startswith("https://clinicaltrials.gov/study/NCT") for h in page.links)
    assert any(h.startswith("https://pmc.ncbi.nlm.nih.gov/articles/PMC") for h in page.links)
    assert all(h.startswith("https://") for h in page.links)
    # self-contained: nothing fetched from elsewhere
    assert not any(t in page.tags for t in ("link", "img", "iframe"))


def test_markdown_report(tmp_path: Path) -> None:
    out = tmp_path / "case.md"
    run_cli("check", "2e9/kg", "--route", "iv", "--indication", "gvhd", "-w", "70",
            "--report", str(out), expect=1)  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# mscdose check: above")
    assert "LIKELY\\_NOTATION\\_SLIP" in text
    assert "](<https://clinicaltrials.gov/study/NCT" in text
    assert "sha256 `" in text and "not a prescribing device" in text
    assert "&gt;60% in animal work" in text and "\\&gt;" not in text  # escaped once


def test_no_data_report_names_its_context(tmp_path: Path) -> None:
    out = tmp_path / "none.html"
    run_cli("check", "1e8", "--route", "iv", "--indication", "bpd", "--report", str(out),
            expect=1)  # fmt: skip
    text = " ".join(_page(out).text)
    assert "NO DATA" in text


def _hostile_table(tmp_path: Path) -> Path:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'authors: "Test Pharma (prescribing information)"', f"authors: {json.dumps(HOSTILE)}"
    )
    assert HOSTILE.split(">")[0] in text
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["html", "md"])
def test_every_string_from_the_table_is_escaped(tmp_path: Path, suffix: str) -> None:
    table = _hostile_table(tmp_path)
    out = tmp_path / f"case.{suffix}"
    run_cli("check", "2e6/kg", "--route", "iv", "--indication", "gvhd", "--weight", "20",
            "--table", str(table), "--report", str(out), expect=None)  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    if suffix == "html":
        page = _page(out)
        assert "script" not in page.tags and "img" not in page.tags
        assert any("<script>" in t for t in page.text)  # shown as text, not run
    else:
        assert "[link](javascript" not in text


def test_links_for_every_identifier() -> None:
    from mscdose.cli.report import links
    from mscdose.table.row import Citation

    cite = Citation(authors="A", pmid="123", pmcid="PMC9", doi="10.1/x y", nct="NCT01")
    assert links(cite) == [
        ("PMID 123", "https://pubmed.ncbi.nlm.nih.gov/123/"),
        ("PMC9", "https://pmc.ncbi.nlm.nih.gov/articles/PMC9/"),
        ("NCT01", "https://clinicaltrials.gov/study/NCT01"),
        ("doi 10.1/x y", "https://doi.org/10.1/x%20y"),
    ]


def test_a_report_name_without_a_format_is_refused(tmp_path: Path) -> None:
    result = run_cli("check", *GVHD, "--report", str(tmp_path / "r.pdf"), expect=2)
    assert_one_line_error(result, ".html or .md")


def test_without_jinja2_one_line_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "jinja2" or m.startswith("jinja2.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "jinja2", None)
    result = run_cli("check", *GVHD, "--report", str(tmp_path / "r.html"), expect=2)
    assert_one_line_error(result, "Jinja2", "mscdose[report]")


def test_the_report_displays_in_headless_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent (apt-get install chromium): the report is not rendered"
        print(reason)
        pytest.skip(reason)
    out = tmp_path / "case.html"
    run_cli("check", *GVHD, "--viability", "80%", "--report", str(out))
    shot = tmp_path / "shot.png"
    base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run(
        [*base, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert "WITHIN the reported range" in dom.stdout
    assert "<svg" in dom.stdout and "VIABILITY_BELOW_SPEC" in dom.stdout
    subprocess.run(
        [*base, "--window-size=1200,1800", f"--screenshot={shot}", out.as_uri()],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert shot.exists() and shot.stat().st_size > 50_000  # a page with a chart, not blank
    keep = Path(__file__).parent.parent / "build" / "report-screenshot.png"
    if keep.parent.is_dir():
        shutil.copy(shot, keep)
