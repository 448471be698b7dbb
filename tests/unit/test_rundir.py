"""A run deletes only what it created: run ids, markers, the run-folder lock."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness import rundir
from harness.errors import UsageError
from harness.lifetime import process_token

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("bad", ["/abs/dir", "../../x", "..", "a/b", "a\\b", "", ".hidden", "x\n", "a..b", "x" * 101])
def test_run_ids_that_could_leave_the_run_roots_are_refused(bad):
    with pytest.raises(UsageError) as info:
        rundir.check_run_id(bad, "--run-id")
    assert str(info.value).startswith(f"--run-id {bad!r}: use letters") and "\n" not in str(info.value)


def test_plain_run_ids_pass():
    for good in ("smoke-3.10", "20261201-081500", "e2e", "run_1.b"):
        assert rundir.check_run_id(good) == good


def test_a_foreign_folder_is_never_claimed_nor_deleted(tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.txt").write_text("precious")
    with pytest.raises(rundir.NotOwnedError, match="was not created by the harness"):
        rundir.claim_dir(precious, "run")
    with pytest.raises(rundir.NotOwnedError, match="has no .spleeter-matrix file"):
        rundir.remove_owned(precious)
    with pytest.raises(rundir.NotOwnedError):
        rundir.fresh_dir(precious, "venv")
    assert (precious / "chapter1.txt").read_text() == "precious"


def test_new_empty_and_legacy_run_folders_are_claimed_and_marked(tmp_path):
    new = rundir.claim_dir(tmp_path / "a" / "b", "run")
    empty = tmp_path / "empty"
    empty.mkdir()
    legacy = tmp_path / "legacy"
    (legacy / "cells").mkdir(parents=True)
    (legacy / "run.json").write_text(json.dumps({"run_id": "legacy", "cells": []}))
    for folder in (new, rundir.claim_dir(empty, "run"), rundir.claim_dir(legacy, "run")):
        assert rundir.is_owned(folder)
    rundir.remove_owned(new)
    assert not new.exists()


def test_a_venv_is_marked_before_it_is_filled(tmp_path):
    venv = rundir.fresh_dir(tmp_path / "venv", "venv")
    assert [p.name for p in venv.iterdir()] == [rundir.MARKER]
    (venv / "lib").mkdir()
    rundir.fresh_dir(venv, "venv")  # ours: replaced
    assert [p.name for p in venv.iterdir()] == [rundir.MARKER]


def test_a_second_run_on_the_same_folder_is_refused_at_once(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        lock = tmp_path / rundir.LOCK
        lock.write_text(json.dumps({"pid": holder.pid, "host": socket.gethostname(),
                                    "token": process_token(holder.pid)}))
        with pytest.raises(rundir.RunLocked) as info:
            with rundir.RunLock(tmp_path):
                pass
        message = str(info.value)
        assert f"in use by another run (pid {holder.pid}" in message and str(lock) in message
        assert lock.exists()  # the live holder keeps its lock
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / rundir.LOCK
    for holder in ({"pid": dead.pid, "host": socket.gethostname(), "token": "1"},  # that process is gone
                   {"pid": os.getppid(), "host": socket.gethostname(), "token": "not-its-start-time"},  # pid reused
                   "half-written {"):
        lock.write_text(holder if isinstance(holder, str) else json.dumps(holder))
        with rundir.RunLock(tmp_path):
            assert json.loads(lock.read_text())["pid"] == os.getpid()
        assert not lock.exists()


def test_a_lock_from_another_host_is_left_alone(tmp_path):
    (tmp_path / rundir.LOCK).write_text(json.dumps({"pid": 1, "host": "elsewhere", "token": ""}))
    with pytest.raises(rundir.RunLocked, match="on elsewhere"):
        with rundir.RunLock(tmp_path):
            pass


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    with rundir.RunLock(tmp_path):
        with rundir.RunLock(tmp_path):
            pass
        assert (tmp_path / rundir.LOCK).exists()
    assert not (tmp_path / rundir.LOCK).exists()


def harness(*args, env=None):
    return subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env=env)


def test_cli_run_id_outside_the_roots_deletes_nothing(tmp_path):
    victim = tmp_path / "project"
    victim.mkdir()
    (victim / "cli.py").write_text("keep me")
    for run_id in (str(victim), "../project"):
        done = harness("run", "--no-chain", "--python", "3.11", "--strategy", "default", "--run-id", run_id,
                       "--out", str(tmp_path / "out"), "--work-dir", str(tmp_path / "work"))
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "--run-id" in done.stderr
    env = dict(os.environ, MATRIX_RUN_ID="project")  # a plain id naming a folder someone else owns
    done = harness("run", "--no-chain", "--python", "3.11", "--strategy", "default", "--out", str(tmp_path),
                   "--work-dir", str(tmp_path / "work"), env=env)
    assert done.returncode == 2 and "was not created by the harness" in done.stderr, done.stderr
    assert (victim / "cli.py").read_text() == "keep me" and sorted(p.name for p in victim.iterdir()) == ["cli.py"]
