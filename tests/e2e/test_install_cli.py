"""`python -m harness install`: the resilient installer a user's machine runs, for real."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.provision import venv_python

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def install(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", "install", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=3600)


def test_resilient_install_into_a_user_venv(tmp_path):
    venv = tmp_path / "spleeter-pack"
    done = install("--venv", str(venv), "--python", "3.10")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "installed spleeter==2.4.2 into" in done.stdout and " by bootstrap:" in done.stdout
    assert "passed  preflight" in done.stdout
    # The venv really is usable afterwards: spleeter's own module imports there.
    check = subprocess.run([str(venv_python(venv)), "-c", "import spleeter, tensorflow; print(tensorflow.__version__)"],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and check.stdout.strip() == "2.12.1"


def test_failed_install_prints_the_full_diagnosis(tmp_path):
    done = install("--venv", str(tmp_path / "v"), "--python", "3.12", "--ascii")
    assert done.returncode == 1
    err = done.stderr
    assert "python-version-unsupported" in err
    assert "hint:" in err.lower() or "next action" in err.lower()
    assert "3.11" in err  # the next action names an interpreter that works
    assert f"logs: {tmp_path / 'v-logs'}" in err
    for member in ("bootstrap", "wheel-first-pip", "no-build-isolation", "no-deps-pinned"):
        assert f"{member}/" in done.stdout, f"the fallback chain tried {member}"
    assert "skipped source-build" in done.stdout.replace("  ", " ")


def test_refuses_to_replace_a_folder_that_is_not_a_venv(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("precious")
    done = install("--venv", str(tmp_path / "docs"), "--python", "3.10")
    assert done.returncode == 2
    assert "is not a venv" in done.stderr
    assert (tmp_path / "docs" / "thesis.txt").read_text() == "precious"
