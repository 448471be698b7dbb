"""The CLI as a user meets it: exit codes and messages, offline."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def harness(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_plan_lists_every_default_cell():
    done = harness("plan")
    assert done.returncode == 0, done.stderr
    lines = [l for l in done.stdout.splitlines() if "--" in l.split(" ")[0]]
    assert len(lines) == 4 * 9
    assert any(l.startswith("3.10--wheel-first ") and "--only-binary=:all:" in l for l in lines)
    assert any(l.startswith("3.8--source-build ") and "[opt-in: source-builds]" in l for l in lines)
    assert "chain: separate → diarize → tts → mix → mux" in done.stdout


def test_plan_selection_by_python_and_glob():
    done = harness("plan", "--python", "3.12", "--strategy", "wheel-first*")
    keys = [l.split()[0] for l in done.stdout.splitlines() if l.startswith("3.")]
    assert keys == ["3.12--wheel-first", "3.12--wheel-first-pip"]


def test_unknown_strategy_is_a_usage_error():
    done = harness("plan", "--strategy", "nope")
    assert done.returncode == 2
    assert "--strategy 'nope' matches no strategy" in done.stderr


def test_matrix_with_three_mistakes_exits_2_and_runs_nothing(tmp_path):
    text = (ROOT / "matrix.yaml").read_text(encoding="utf-8")
    text = text.replace("installer: uv\n    description: wheels only", "installer: mamba\n    description: wheels only")
    text = text.replace('args: ["--no-deps"]', "args: --no-deps")
    text = text.replace("  - id: resilient\n", "  - id: resilient\n    retries: 3\n")
    text = text.replace("item: samples/two-speakers", f"item: {ROOT / 'samples' / 'two-speakers'}")
    bad = tmp_path / "matrix.yaml"
    bad.write_text(text, encoding="utf-8")
    done = harness("run", "--matrix", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    errors = [l.strip() for l in done.stderr.splitlines() if l.strip().startswith("matrix.yaml:")]
    assert len(errors) == 3, done.stderr
    assert all(e.split(":")[1].isdigit() for e in errors)
    assert "strategies[2].installer: 'mamba' is not one of: pip, uv" in done.stderr
    assert "args: expected a list of strings" in done.stderr
    assert "retries: unknown key" in done.stderr
    assert not (tmp_path / "out").exists()


def test_report_needs_run_dirs(tmp_path):
    done = harness("report", str(tmp_path))
    assert done.returncode == 2 and "no cells/ folder" in done.stderr
