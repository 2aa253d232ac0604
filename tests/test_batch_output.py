"""`mscdose batch --output`: nothing lost, nothing left behind, nothing replaced that is not a
file (issues 16.5, 16.7, 16.8, 16.9)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assert_one_line_error, run_cli

ROWS = "dose,route,indication,weight\n" + "2e6/kg,iv,gvhd,70\n" * 50


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".mscdose-"))


class FullDisk:
    """A file on a full disk: every write fails, and so does the flush when it is closed."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = getattr(real, "name", None)

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        self.real.close()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_one_line_exit_2_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from mscdose.cli import outfile

    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    out = tmp_path / "out.jsonl"
    out.write_text("the old results\n")
    real = outfile._open
    monkeypatch.setattr(outfile, "_open", lambda fd: FullDisk(real(fd)))
    r = run_cli("batch", str(source), "--output", str(out), "--jobs", jobs, expect=2)
    assert_one_line_error(r, "full", str(out))
    assert _leftovers(tmp_path) == []
    assert out.read_text() == "the old results\n"


def test_an_existing_output_stays_intact_until_the_new_one_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mscdose.batching import run

    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    out = tmp_path / "out.jsonl"
    out.write_text("the old results\n")
    seen: list[str] = []
    real = run.run_batch

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(out.read_text())
        real(*args, **kwargs)
        seen.append(out.read_text())
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "run_batch", watched)
    run_cli("batch", str(source), "--output", str(out), expect=130)
    assert seen == ["the old results\n"] * 2
    assert out.read_text() == "the old results\n" and _leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlinked_output_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    real = tmp_path / "elsewhere" / "results.jsonl"
    real.parent.mkdir()
    real.write_text("old\n")
    os.chmod(real, 0o644)
    link = tmp_path / "out.jsonl"
    link.symlink_to(real)
    run_cli("batch", str(source), "--output", str(link))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(real.read_text().splitlines()) == 50
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == [] and _leftovers(real.parent) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_special_file_is_written_to_never_replaced(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as f:
            got.append(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run_cli("batch", str(source), "--output", str(fifo))
    reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert len(got[0].splitlines()) == 50
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the workers")
def test_sigterm_ends_like_sigint_workers_stopped_and_no_file_left(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_bytes(b"dose,route,indication,weight\n" + b"2e6/kg,iv,gvhd,70\n" * 400_000)
    out = tmp_path / "out.jsonl"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    cmd = [sys.executable, "-m", "mscdose", "batch", str(source), "-o", str(out), "-j", "2"]
    process = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
    try:
        _stop_it_with_sigterm(process, out, tmp_path, temporary)
    finally:
        _never_left_running(process)


def _never_left_running(process: subprocess.Popen[bytes]) -> None:
    """A test that fails must not leave its mscdose running (it would go on writing)."""
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)
    if process.stderr is not None:
        process.stderr.close()


def _stop_it_with_sigterm(
    process: subprocess.Popen[bytes], out: Path, tmp_path: Path, temporary: Path
) -> None:
    children: list[int] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.05)
        try:
            text = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
        except OSError:
            break
        children = [int(c) for c in text.split()]
    assert children, "no workers started"
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err
    time.sleep(0.5)
    for child in children:
        try:
            state = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue  # gone
        assert "\nState:\tZ" in state, f"worker {child} lives on"
    assert not out.exists() and _leftovers(tmp_path) == []
    assert list(temporary.iterdir()) == []


def test_sigterm_in_one_process_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_bytes(b"dose,route,indication,weight\n" + b"2e6/kg,iv,gvhd,70\n" * 400_000)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "mscdose", "batch", str(source), "-o", str(out), "-j", "1"]
    process = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not _leftovers(tmp_path):
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert not out.exists() and _leftovers(tmp_path) == []
    finally:
        _never_left_running(process)


def test_jobs_are_bounded_by_the_cores(tmp_path: Path) -> None:
    """--jobs 99999 forked 99,999 workers (issue 16.12's hostile command lines)."""
    from mscdose.cli.batch_cmd import MAX_JOBS_PER_CORE, _workers

    small = tmp_path / "small.csv"
    small.write_bytes(b"dose,route\n2e6/kg,iv\n")
    cores = os.cpu_count() or 1
    with small.open("rb") as s:
        assert _workers(99_999, s, str(small)) == MAX_JOBS_PER_CORE * cores
        assert _workers(2, s, str(small)) == min(2, MAX_JOBS_PER_CORE * cores)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_dev_stdout_into_a_file_is_written_to_not_replaced(tmp_path: Path) -> None:
    """/dev/stdout leads to the file stdout is redirected to; renaming a new file over that
    one would leave the shell writing into a file no longer there."""
    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    log = tmp_path / "log.txt"
    with log.open("wb") as f:
        f.write(b"before\n")
        f.flush()
        inode = os.fstat(f.fileno()).st_ino
        subprocess.run(
            [sys.executable, "-m", "mscdose", "batch", str(source), "-o", "/dev/stdout"],
            stdout=f,
            stderr=subprocess.PIPE,
            check=True,
            timeout=60,
        )
        f.write(b"after\n")
    assert os.stat(log).st_ino == inode, "the file behind /dev/stdout was replaced"
    lines = log.read_bytes().splitlines()
    assert lines[0] == b"before" and lines[-1] == b"after" and len(lines) == 52
    assert _leftovers(tmp_path) == []


def test_a_loop_of_symlinks_is_refused_and_kept(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(ROWS)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.symlink_to(b)
    b.symlink_to(a)
    r = run_cli("batch", str(source), "--output", str(a), expect=2)
    assert_one_line_error(r, "symlink", str(a))
    assert a.is_symlink() and b.is_symlink() and _leftovers(tmp_path) == []
