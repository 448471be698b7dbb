"""Bounded reads of user-supplied files, and `diagnose` on a FIFO, a device and a huge log."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.files import FileTooLarge, NotRegularFile, read_capped, read_head_tail, read_tail

ROOT = Path(__file__).resolve().parents[2]


def diagnose(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", "diagnose", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_a_fifo_and_a_device_are_refused_without_being_read(tmp_path):
    fifo = tmp_path / "install.log"
    os.mkfifo(fifo)  # no writer: opening it would block forever
    for path, kind in ((fifo, "FIFO"), (Path("/dev/zero"), "character device")):
        done = diagnose(path)
        assert done.returncode == 2
        assert done.stderr == f"error: cannot read {path}: not a regular file (it is a {kind})\n"
        with pytest.raises(NotRegularFile):
            read_head_tail(path, 10, 10)


def test_a_huge_log_is_read_head_and_tail_only(tmp_path):
    log = tmp_path / "huge.log"
    with open(log, "wb") as handle:
        handle.write(b"Collecting spleeter==2.4.2\n")
        handle.truncate(64 * 1024 * 1024)  # 64 MB of NULs in the middle (sparse: costs no disk)
        handle.seek(0, 2)
        handle.write(b"\nERROR: No matching distribution found for tensorflow==2.3.0\n")
    data = read_head_tail(log, 1024, 4096)
    assert len(data) <= 1024 + 4096 + 1 and data.startswith(b"Collecting") and data.endswith(b"tensorflow==2.3.0\n")
    done = diagnose(log)
    assert done.returncode == 0 and "tensorflow" in done.stdout


def test_utf16_stays_decodable_when_the_middle_is_dropped(tmp_path):
    log = tmp_path / "ps.log"
    log.write_bytes(("x" * 5001 + "tail").encode("utf-16"))  # BOM + 2 bytes a character
    data = read_head_tail(log, 101, 301)  # odd limits: the cuts still fall on even offsets
    assert data.decode("utf-16").endswith("tail")


def test_read_capped_and_read_tail(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    assert read_capped(path, 10) == b"0123456789" and read_tail(path, 3) == b"789"
    with pytest.raises(FileTooLarge):
        read_capped(path, 9)
