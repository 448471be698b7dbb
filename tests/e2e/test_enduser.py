"""The end-user profile for real: the product's install into a per-user pack venv with every build
and media tool hidden from PATH, then the whole chain from that venv, as one end-user cell."""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_enduser_installs_into_the_pack_folder_and_runs_the_chain_without_build_or_media_tools(tmp_path):
    venv = tmp_path / "Local" / "SpleeterProduct" / "packs" / "spleeter" / "py3.10"
    out = tmp_path / "results"
    argv = [sys.executable, "-m", "harness", "enduser", "--python", "3.10", "--venv", str(venv), "--out", str(out),
            "--run-id", "enduser-py3.10", "--no-python-downloads"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=2400, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run_dir = out / "enduser-py3.10"
    cell = json.loads((run_dir / "cells" / "3.10--resilient--end-user.json").read_text(encoding="utf-8"))
    assert cell["profile"] == "end-user" and cell["status"] == "passed"
    steps = {s["name"]: s for s in cell["steps"]}
    profile = steps["end-user-profile"]["metrics"]
    assert profile["venv"] == str(venv) and profile["venv_path_chars"] == len(str(venv))
    assert any(Path(p, "ffmpeg").exists() or Path(p, "gcc").exists() for p in profile["removed_path_entries"])
    stages = [s for s in cell["steps"] if s["kind"] == "stage"]
    assert [s["name"] for s in stages] == ["separate", "diarize", "tts", "mix", "mux"]
    assert all(s["status"] == "passed" for s in stages), {s["name"]: s["message"] for s in stages}
    assert steps["tts"]["metrics"]["tts_engine"] == ["espeak-ng-wheel"]
    assert steps["mux"]["metrics"]["prober"] == "ffmpeg"  # no ffprobe left on PATH
    assert (venv / "pyvenv.cfg").is_file()
    suites = ET.parse(run_dir / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["python-3.10-linux-end-user"]
    assert "3.10 · linux · end-user profile" in (run_dir / "table.md").read_text(encoding="utf-8")
