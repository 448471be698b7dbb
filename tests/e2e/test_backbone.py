"""Real cells: spleeter 2.4.2 really installed on 3.10; 3.12 really refused by the resolver.

Network to PyPI is needed (installs are the point); the uv cache is shared with
every other test and run, so TensorFlow downloads once per machine.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def run_harness(tmp_path: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "harness", "run", "--out", str(tmp_path / "results"), "--run-id", "e2e",
            "--work-dir", str(tmp_path / "work"), *args]
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def cell(tmp_path: Path, key: str) -> dict:
    return json.loads((tmp_path / "results" / "e2e" / "cells" / f"{key}.json").read_text(encoding="utf-8"))


def test_wheel_first_passes_on_310_and_is_diagnosed_on_312(tmp_path):
    # With the chain: the 3.10 cell must also carry the five stage results into JUnit and the table.
    done = run_harness(tmp_path, "--python", "3.10", "--python", "3.12", "--strategy", "wheel-first")
    assert done.returncode == 1, done.stdout + done.stderr  # one cell failed, as it must
    ok = cell(tmp_path, "3.10--wheel-first")
    assert ok["status"] == "passed"
    assert ok["interpreter"]["version"].startswith("3.10.")
    assert ok["versions"]["spleeter"] == "2.4.2" and ok["versions"]["tensorflow"] == "2.12.1"
    assert [s["name"] for s in ok["steps"]] == ["preflight", "venv", "install", "import-check",
                                                 "separate", "diarize", "tts", "mix", "mux"]
    bad = cell(tmp_path, "3.12--wheel-first")
    assert bad["status"] == "failed"
    install = next(s for s in bad["steps"] if s["name"] == "install")
    diagnosis = install["diagnosis"]
    assert diagnosis["category"] == "python-version-unsupported"
    assert diagnosis["next_action"]
    # The verdict comes from what the resolver really printed, which the evidence quotes.
    log_text = Path(install["log_path"]).read_text(encoding="utf-8")
    assert diagnosis["evidence"] and all(line.strip() in log_text for line in diagnosis["evidence"])

    out = tmp_path / "results" / "e2e"
    root = ET.parse(out / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["python-3.10-linux"].get("failures") == "0"
    assert suites["python-3.12-linux"].find("testcase[@name='wheel-first :: install']/failure") is not None
    for stage in ("separate", "diarize", "tts", "mix", "mux"):
        case = suites["python-3.10-linux"].find(f"testcase[@name='wheel-first :: {stage}']")
        assert case is not None, stage
        assert [child.tag for child in case if child.tag != "system-out"] == [], stage  # no failure/skipped
    assert suites["python-3.12-linux"].find("testcase[@name='wheel-first :: separate']") is None
    table = (out / "table.md").read_text(encoding="utf-8")
    row = next(line for line in table.splitlines() if line.startswith("| `wheel-first` |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "✅ · chain 5/5" and cells[2].startswith("❌ python-version-unsupported")
    chain_row = next(line for line in table.splitlines() if line.startswith("| 3.10 · linux · `wheel-first` |"))
    assert chain_row.count("✅") == 5 and "sdr_gain_db" in chain_row
    mp4 = out / "derived" / "3.10--wheel-first" / "items"
    assert list(mp4.glob("*/mux/*.mp4")) and list(mp4.glob("*/separation/spleeter_2stems/vocals.wav"))
    # The compact view is printed (the full Markdown is in table.md): one short row per strategy.
    assert "wrote" in done.stdout and "| `wheel-first` |" not in done.stdout
    assert any(line.split() == ["wheel-first", "ok", "F1"] for line in done.stdout.splitlines()), done.stdout
    assert not (tmp_path / "work" / "e2e" / "3.10--wheel-first").exists()  # venv removed, logs kept
    assert (out / "logs" / "3.10--wheel-first" / "pip-freeze.txt").read_text().count("tensorflow==2.12.1") == 1


def test_missing_interpreter_is_a_provisioning_blocker(tmp_path):
    done = run_harness(tmp_path, "--python", "3.5", "--strategy", "default", "--no-chain", "--no-python-downloads")
    assert done.returncode == 1
    data = cell(tmp_path, "3.5--default")
    assert data["status"] == "blocked"
    step = data["steps"][0]
    assert step["diagnosis"]["category"] == "interpreter-unavailable"
    assert "3.5" in step["diagnosis"]["next_action"]
    assert "❌ interpreter-unavailable" in (tmp_path / "results" / "e2e" / "table.md").read_text(encoding="utf-8")


def test_interrupted_run_keeps_finished_cells_and_reports_them(tmp_path):
    argv = [sys.executable, "-m", "harness", "run", "--out", str(tmp_path / "results"), "--run-id", "e2e",
            "--work-dir", str(tmp_path / "work"), "--workers", "1", "--no-chain",
            "--python", "3.12", "--python", "3.10", "--strategy", "default"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = tmp_path / "results" / "e2e" / "cells" / "3.12--default.json"
    deadline = time.monotonic() + 600
    while not first.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert first.exists(), "the 3.12 cell should finish first"
    proc.send_signal(signal.SIGINT if os.name != "nt" else signal.CTRL_BREAK_EVENT)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, output
    assert "finished cells are saved" in output
    cells = sorted(p.name for p in (tmp_path / "results" / "e2e" / "cells").glob("*.json"))
    assert cells == ["3.12--default.json"]
    report = subprocess.run([sys.executable, "-m", "harness", "report", str(tmp_path / "results" / "e2e")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert report.returncode == 0, report.stderr
    assert "❌ python-version-unsupported" in (tmp_path / "results" / "e2e" / "table.md").read_text(encoding="utf-8")
    assert not list((tmp_path / "work" / "e2e").glob("3.10--default*")), "the interrupted venv is cleaned up"
