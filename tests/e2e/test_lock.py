"""The install plan for real: pip's own plans from PyPI, locks written from them, a venv installed from one."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.chain.model import ensure_model
from harness.plan.pylock import read_lock
from harness.proc import clean_env
from harness.provision import venv_python

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "two-speakers"


def harness(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def resolved(tmp_path_factory, platform: str) -> Path:
    out = tmp_path_factory.mktemp(f"plan-{platform}")
    done = harness("resolve", "--platform", platform, "--python", "3.10", "--strategy", "no-deps-pinned",
                   "--out", str(out), "--run-id", "dry")
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "dry"


@pytest.fixture(scope="module")
def linux_run(tmp_path_factory):
    return resolved(tmp_path_factory, "linux")


@pytest.fixture(scope="module")
def windows_run(tmp_path_factory):
    return resolved(tmp_path_factory, "windows")


def test_a_fresh_venv_installs_from_the_linux_lock_and_runs_the_chain(linux_run, tmp_path):
    lock = linux_run / "locks" / "pylock.manylinux_x86_64-py310.toml"
    entries, tool = read_lock(lock)
    assert tool["resolver"] == "pip" and {"spleeter", "tensorflow"} <= {e.name for e in entries}
    venv = tmp_path / "pack"
    done = harness("lock", "install", str(lock), "--venv", str(venv), "--python", "3.10",
                   "--import-check", "spleeter", "--import-check", "tensorflow")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"installed {len(entries)} locked files" in done.stdout and "tensorflow 2.12.1" in done.stdout
    model = ensure_model(tmp_path / "models")
    assert model.verified
    out = tmp_path / "chain"
    chain = subprocess.run([sys.executable, "-m", "harness.chain", "run", "--item", str(SAMPLE), "--venv-python",
                            str(venv_python(venv)), "--model-dir", str(model.root), "--out", str(out),
                            "--json", str(out / "chain.json")], capture_output=True, text=True, cwd=ROOT,
                           timeout=1800)
    assert chain.returncode == 0, chain.stdout + chain.stderr
    steps = {s["name"]: s["status"] for s in json.loads((out / "chain.json").read_text())["steps"]}
    assert steps == {"separate": "passed", "diarize": "passed", "tts": "passed", "mix": "passed", "mux": "passed"}


def test_the_windows_plan_holds_tensorflow_intel_and_its_lock_passes_pips_hash_checked_dry_run(windows_run, tmp_path):
    lock = windows_run / "locks" / "requirements.win_amd64-py310.txt"
    entries, _ = read_lock(lock)
    names = {e.name for e in entries}
    assert "tensorflow-intel" in names and len(entries) >= 60  # the marker trap would leave ~26, without it
    argv = [sys.executable, "-m", "pip", "install", "--isolated", "--dry-run", "--ignore-installed",
            "--platform", "win_amd64", "--python-version", "3.10", "--implementation", "cp", "--abi", "cp310",
            "--only-binary=:all:", "--target", str(tmp_path / "t"), "--require-hashes", "--no-deps",
            "--use-feature=fast-deps", "-r", str(lock)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=clean_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tensorflow-intel-2.12.1" in done.stdout.replace("tensorflow_intel", "tensorflow-intel")
    cells = json.loads((windows_run / "table.json").read_text(encoding="utf-8"))["rows"][0]["cells"]
    budget = cells["3.10 · resolves on win_amd64"]["path_budget"]
    assert budget["longest_relpath"] == 155 and budget["venv_root_max"] == 85
    assert budget["wheel"] == "tensorflow_intel-2.12.1-cp310-cp310-win_amd64.whl"


def test_the_windows_lock_is_refused_here_and_nothing_is_installed(windows_run, tmp_path):
    venv = tmp_path / "wrong"
    done = harness("lock", "install", str(windows_run / "locks" / "pylock.win_amd64-py310.toml"),
                   "--venv", str(venv), "--python", "3.10")
    assert done.returncode == 2 and not venv.exists()
    assert "is tagged cp310-cp310-win_amd64" in done.stderr and "Traceback" not in done.stderr
