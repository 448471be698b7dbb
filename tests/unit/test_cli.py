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
    lines = [line for line in done.stdout.splitlines() if "--" in line.split(" ")[0]]
    assert len(lines) == 4 * 9
    assert any(line.startswith("3.10--wheel-first ") and "--only-binary=:all:" in line for line in lines)
    assert any(line.startswith("3.8--source-build ") and "[opt-in: source-builds]" in line for line in lines)
    assert "chain: separate → diarize → tts → mix → mux" in done.stdout


def test_plan_selection_by_python_and_glob():
    done = harness("plan", "--python", "3.12", "--strategy", "wheel-first*")
    keys = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("3.")]
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
    errors = [line.strip() for line in done.stderr.splitlines() if line.strip().startswith("matrix.yaml:")]
    assert len(errors) == 3, done.stderr
    assert all(e.split(":")[1].isdigit() for e in errors)
    assert "strategies[2].installer: 'mamba' is not one of: pip, uv" in done.stderr
    assert "args: expected a list of strings" in done.stderr
    assert "retries: unknown key" in done.stderr
    assert not (tmp_path / "out").exists()


def test_report_needs_run_dirs(tmp_path):
    done = harness("report", str(tmp_path))
    assert done.returncode == 2 and "no cells/ folder" in done.stderr


def one_error_line(done) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_a_bad_matrix_workers_is_one_line_and_only_for_the_commands_that_use_it(tmp_path):
    import os

    env = dict(os.environ, MATRIX_WORKERS="abc")
    done = subprocess.run([sys.executable, "-m", "harness", "run", "--out", str(tmp_path / "out")], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env)
    assert "got 'abc' (from --workers or env MATRIX_WORKERS)" in one_error_line(done)
    report = subprocess.run([sys.executable, "-m", "harness", "report", str(tmp_path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, env=env)
    assert "no cells/ folder" in one_error_line(report)  # report does not trip over MATRIX_WORKERS
    assert "--workers: expected a whole number" in one_error_line(harness("run", "--workers", "0"))
    assert not (tmp_path / "out").exists()


def test_unwritable_out_work_and_report_dirs_are_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    args = ("run", "--no-chain", "--python", "3.11", "--strategy", "default", "--run-id", "r")
    line = one_error_line(harness(*args, "--out", str(blocker / "out"), "--work-dir", str(tmp_path / "w")))
    assert line.startswith(f"error: cannot create or write {blocker / 'out' / 'r'}: Not a directory")
    line = one_error_line(harness(*args, "--out", str(tmp_path / "o"), "--work-dir", str(blocker / "w")))
    assert line.startswith(f"error: cannot create or write {blocker / 'w' / 'r'}")
    from harness.results import CellResult, write_cell

    write_cell(tmp_path / "run", CellResult("r", "3.10", "default", "uv", "passed"))
    line = one_error_line(harness("report", str(tmp_path / "run"), "--out", str(blocker / "merged")))
    # The merge claims its --out first (so it never empties a folder it did not create): the same one line.
    assert line.startswith(f"error: cannot create or write {blocker / 'merged'}: Not a directory")


def test_values_that_fail_late_stop_plan_and_run_before_anything_is_created(tmp_path):
    text = (ROOT / "matrix.yaml").read_text(encoding="utf-8").replace("install: 1800", "install: .nan")
    text = text.replace("item: samples/two-speakers", f"item: {ROOT / 'samples' / 'two-speakers'}")
    bad = tmp_path / "matrix.yaml"
    bad.write_text(text, encoding="utf-8")
    for command in ("plan", "run"):
        done = harness(command, "--matrix", str(bad), *(("--out", str(tmp_path / "out"), "--work-dir",
                                                          str(tmp_path / "work")) if command == "run" else ()))
        assert done.returncode == 2 and "timeouts.install: expected a positive, finite number" in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "work").exists()


def test_a_second_run_with_the_same_id_stops_at_once(tmp_path):
    import json
    import socket

    from harness.lifetime import process_token
    from harness.rundir import LOCK, claim_dir

    run_dir = claim_dir(tmp_path / "out" / "same", "run")
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        (run_dir / LOCK).write_text(json.dumps({"pid": holder.pid, "host": socket.gethostname(),
                                                "token": process_token(holder.pid)}))
        done = harness("run", "--no-chain", "--python", "3.11", "--strategy", "default", "--run-id", "same",
                       "--out", str(tmp_path / "out"), "--work-dir", str(tmp_path / "work"))
        assert f"is in use by another run (pid {holder.pid}" in one_error_line(done)
    finally:
        holder.kill()
        holder.wait()


def test_the_exit_code_follows_this_machines_cells_not_the_dry_resolution():
    from harness.policy import exit_code
    from harness.results import CellResult

    def cell(strategy, status, target=None):
        return CellResult("r", "3.8", strategy, "uv", status, platform="" if target else "linux", target=target)

    dry_red = cell("resilient", "failed", "win_amd64")
    assert exit_code([cell("resilient", "passed"), dry_red], "resilient") == 0
    assert exit_code([cell("resilient", "passed"), dry_red], "any") == 0
    assert exit_code([cell("resilient", "failed"), dry_red], "resilient") == 1
    assert exit_code([cell("default", "failed")], "resilient") == 0
    assert exit_code([cell("default", "failed")], "any") == 1
    assert exit_code([cell("resilient", "failed")], "never") == 0
