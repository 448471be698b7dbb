"""Faults, for real: the harness SIGKILLed in the middle of a pip install.

The install is a real pip build of a local source package whose setup.py starts a grandchild
that leaves the process group (``setsid``), as build backends and daemons do, and then
waits. Killing the harness with SIGKILL gives it no chance to clean up: only the kernel
closing its files. Nothing the install started may survive, and the next run with the same
run id must start clean (stale lock taken over, leftover venv deleted, cell passes).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from harness.lifetime import process_alive
from harness.shepherd import descendants

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]
ROOT = Path(__file__).resolve().parents[2]
PY = "%d.%d" % sys.version_info[:2]

SETUP = textwrap.dedent("""\
    import os, subprocess, time
    from setuptools import setup

    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(os.path.join(here, "SLOW")):
        escaped = subprocess.Popen(["setsid", "sleep", "900"])
        with open(os.path.join(here, "grandchild.pid"), "w") as handle:
            handle.write(str(escaped.pid))
        time.sleep(900)
    setup(name="slowpkg", version="1.0", py_modules=["slowpkg"])
    """)

MATRIX = textwrap.dedent("""\
    pack:
      requirement: slowpkg
      requires_python: ">=3.8"
      import_check: [slowpkg]
    pythons: ["{py}"]
    strategies:
      - id: local
        installer: pip
        steps:
          - name: install
            requirements: ["{package}"]
            args: ["--no-index", "--no-build-isolation"]
    """)


def harness_run(tmp_path: Path, matrix: Path) -> list:
    return [sys.executable, "-m", "harness", "run", "--matrix", str(matrix), "--run-id", "kill",
            "--out", str(tmp_path / "results"), "--work-dir", str(tmp_path / "work"), "--workers", "1",
            "--no-chain", "--no-python-downloads", "--no-disk-check"]


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def test_sigkill_mid_install_leaves_no_child_and_the_next_run_starts_clean(tmp_path):
    package = tmp_path / "slowpkg"
    package.mkdir()
    (package / "setup.py").write_text(SETUP)
    (package / "slowpkg.py").write_text("VALUE = 1\n")
    (package / "SLOW").write_text("")
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(MATRIX.format(py=PY, package=package), encoding="utf-8")

    harness = subprocess.Popen(harness_run(tmp_path, matrix), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        pid_file = package / "grandchild.pid"
        wait_until(lambda: pid_file.exists() and pid_file.read_text(), 600, "setup.py to start (mid-install)")
        grandchild = int(pid_file.read_text())
        tree = descendants(harness.pid)
        assert len(tree) >= 4 and grandchild in tree, tree  # shepherd -> pip -> build hook -> setsid'd sleep
    except BaseException:
        harness.kill()
        raise
    harness.send_signal(signal.SIGKILL)
    harness.communicate(timeout=60)
    wait_until(lambda: not [p for p in tree if process_alive(p)], 60, "every child of the killed harness to end")
    venv = tmp_path / "work" / "kill" / f"{PY}--local"
    assert (venv / ".spleeter-matrix").is_file(), "the interrupted venv is still recognisably the harness's"
    assert (tmp_path / "results" / "kill" / ".spleeter-matrix.lock").exists(), "SIGKILL leaves its lock behind"

    (package / "SLOW").unlink()
    again = subprocess.run(harness_run(tmp_path, matrix), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "in use by another run" not in again.stderr
    cell = json.loads((tmp_path / "results" / "kill" / "cells" / f"{PY}--local.json").read_text(encoding="utf-8"))
    assert cell["status"] == "passed" and cell["versions"]["slowpkg"] == "1.0" and cell["cleanup"] == []
    assert not venv.exists(), "the venv is deleted when the cell ends"
    assert not (tmp_path / "results" / "kill" / ".spleeter-matrix.lock").exists()
