"""The runner, offline: planning, the disk guard, resume and retry, on real (offline) uv installs."""
from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

import pytest

from harness import matrix
from harness.cells import CellPlan, failed_cells, plan_cells
from harness.errors import InsufficientDiskError
from harness.progress import Progress
from harness.results import FAILED, PASSED, SKIPPED, read_cells
from harness.runner import Runner, RunOptions, check_disk, inputs_digest
from harness.trash import IN_BACKGROUND

ROOT = Path(__file__).resolve().parents[2]
PY = "%d.%d" % sys.version_info[:2]

OFFLINE = textwrap.dedent("""\
    pack:
      requirement: pip
      requires_python: ">=3.8"
      import_check: [pip]
    pythons: ["{py}"]
    strategies:
      - id: good
        installer: uv
        steps:
          - {{name: install, requirements: ["{{pack}}"], args: ["--offline"]}}
      - id: bad
        installer: uv
        steps:
          - {{name: install, requirements: [no-such-package-for-harness-tests], args: ["--offline"]}}
      - id: opt
        installer: uv
        opt_in: source-builds
        steps:
          - {{name: install, requirements: ["{{pack}}"]}}
    """)


def offline_matrix(tmp_path: Path, text: str = OFFLINE) -> matrix.Matrix:
    path = tmp_path / "matrix.yaml"
    path.write_text(text.format(py=PY), encoding="utf-8")
    return matrix.load(path)


def options(tmp_path: Path, **kw) -> RunOptions:
    return RunOptions(out_dir=tmp_path / "results", run_id="r1", work_dir=tmp_path / "work", workers=2,
                      run_chain=False, allow_python_downloads=False, check_disk=False, **kw)


def quiet():
    return Progress(io.StringIO())


def test_plan_is_pythons_times_strategies_with_filters():
    m = matrix.load(ROOT / "matrix.yaml")
    assert len(plan_cells(m)) == 4 * len(m.strategies)
    keys = [c.key for c in plan_cells(m, ["3.12"], ["wheel-first*", "resilient"])]
    assert keys == ["3.12--wheel-first", "3.12--wheel-first-pip", "3.12--resilient"]


def test_disk_guard_refuses_with_the_numbers(tmp_path):
    m = matrix.load(ROOT / "matrix.yaml")
    cells = plan_cells(m)
    huge = RunOptions(work_dir=tmp_path, workers=2, disk_per_cell_gib=10_000.0)
    with pytest.raises(InsufficientDiskError) as info:
        check_disk(cells, huge)
    message = str(info.value)
    at_once = 2 + (3 if IN_BACKGROUND else 0)  # two workers' venvs, and up to three the trash is deleting
    assert f"{at_once} venvs at once" in message and "--no-disk-check" in message
    check_disk(cells, RunOptions(work_dir=tmp_path, workers=2, disk_per_cell_gib=0.001, disk_per_python_gib=0.001))


def test_inputs_digest_changes_with_what_the_result_depends_on(tmp_path):
    m = matrix.load(ROOT / "matrix.yaml")
    cell = CellPlan("3.10", m.strategy("wheel-first"))
    from harness.results import InterpreterInfo

    a = InterpreterInfo("3.10", "3.10.13", "/p", "64bit", "pyenv")
    b = InterpreterInfo("3.10", "3.10.14", "/p", "64bit", "pyenv")
    assert inputs_digest(m, cell, a, True) == inputs_digest(m, cell, a, True)
    assert inputs_digest(m, cell, a, True) != inputs_digest(m, cell, b, True)
    assert inputs_digest(m, cell, a, True) != inputs_digest(m, cell, a, False)
    other = CellPlan("3.10", m.strategy("default"))
    assert inputs_digest(m, cell, a, True) != inputs_digest(m, other, a, True)


def test_run_writes_each_cell_and_cleans_venvs(tmp_path):
    m = offline_matrix(tmp_path)
    stream = io.StringIO()
    results = Runner(m, options(tmp_path), Progress(stream)).run(plan_cells(m))
    by_key = {c.key: c for c in results}
    assert by_key[f"{PY}--good"].status == PASSED
    assert by_key[f"{PY}--bad"].status == FAILED and by_key[f"{PY}--bad"].diagnosis is not None
    assert by_key[f"{PY}--opt"].status == SKIPPED and "opt-in" in by_key[f"{PY}--opt"].reason
    assert sorted(c.key for c in read_cells(tmp_path / "results" / "r1")) == sorted(by_key)
    assert not any((tmp_path / "work" / "r1").glob("*/pyvenv.cfg"))
    lines = stream.getvalue().splitlines()
    assert any(line.endswith(f"{PY}--good: done: passed") for line in lines)
    assert all(line.startswith("[") and "s] " in line for line in lines)


def test_resume_keeps_unchanged_passed_cells(tmp_path):
    m = offline_matrix(tmp_path)
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m))
    again = Runner(m, options(tmp_path, resume=True), quiet()).run(plan_cells(m), fresh=False)
    by_key = {c.key: c for c in again}
    assert by_key[f"{PY}--good"].resumed_from == "r1"
    assert by_key[f"{PY}--bad"].resumed_from is None  # failed cells always run again
    edited = OFFLINE.replace('args: ["--offline"]}}\n  - id: bad', 'args: ["--offline", "--no-deps"]}}\n  - id: bad')
    assert edited != OFFLINE
    changed = offline_matrix(tmp_path, edited)
    rerun = Runner(changed, options(tmp_path, resume=True), quiet()).run(plan_cells(changed), fresh=False)
    assert {c.key: c for c in rerun}[f"{PY}--good"].resumed_from is None  # its strategy changed


def test_retry_failed_selects_only_failures(tmp_path):
    m = offline_matrix(tmp_path)
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m))
    chosen = failed_cells(tmp_path / "results" / "r1", plan_cells(m))
    assert [c.key for c in chosen] == [f"{PY}--bad"]


def test_a_fresh_run_forgets_cells_it_did_not_run(tmp_path):
    m = offline_matrix(tmp_path)
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m))
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m, strategies=["good"]))
    assert [c.key for c in read_cells(tmp_path / "results" / "r1")] == [f"{PY}--good"]


def test_an_undeletable_venv_is_recorded_and_the_run_goes_on(tmp_path, monkeypatch):
    # Windows: a DLL still mapped by a leftover process makes the delete fail with WinError 32.
    from harness import rundir
    from harness import runner as runner_mod

    def in_use(folder):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process",
                              str(folder / "Lib" / "site-packages" / "tensorflow" / "_pywrap.pyd"))

    monkeypatch.setattr(rundir, "delete_tree", in_use)
    monkeypatch.setattr(runner_mod, "IN_BACKGROUND", False)  # as on Windows: inline, so the cell records it
    m = offline_matrix(tmp_path)
    stream = io.StringIO()
    results = Runner(m, options(tmp_path), Progress(stream)).run(plan_cells(m, strategies=["good", "bad"]))
    assert len(results) == 2
    for cell in read_cells(tmp_path / "results" / "r1"):
        assert len(cell.cleanup) == 1 and "not deleted" in cell.cleanup[0], cell.cleanup
        assert "being used by another process" in cell.cleanup[0]
    assert {c.status for c in results} == {PASSED, FAILED}  # the cleanup failure changes no verdict
    assert "cleanup: venv" in stream.getvalue()
    monkeypatch.undo()  # the next run with the same id deletes what was left (it carries the marker)
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m, strategies=["good"]))
    assert not (tmp_path / "work" / "r1" / f"{PY}--good").exists()
    assert not (tmp_path / "work" / "r1" / f"{PY}--bad").exists() or rundir.is_owned(
        tmp_path / "work" / "r1" / f"{PY}--bad")


def test_venvs_are_deleted_in_the_background_and_a_failed_delete_is_said_and_retried(tmp_path, monkeypatch):
    from harness import rundir

    m = offline_matrix(tmp_path)
    stream = io.StringIO()
    Runner(m, options(tmp_path), Progress(stream)).run(plan_cells(m, strategies=["good", "bad"]))
    trash = tmp_path / "work" / "r1" / ".trash"
    assert trash.is_dir() and not any(trash.iterdir())  # the run waited for its deletes before it ended
    assert not (tmp_path / "work" / "r1" / f"{PY}--good").exists()

    def refused(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(rundir, "delete_tree", refused)
    Runner(m, options(tmp_path), Progress(stream)).run(plan_cells(m, strategies=["good"]))
    assert "not deleted: [Errno 13] Permission denied" in stream.getvalue()
    assert [p.name for p in trash.iterdir()] == [f"{PY}--good-1"]
    monkeypatch.undo()  # the next run of the id deletes what its trash holds
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m, strategies=["bad"]))
    assert not any(trash.iterdir())


def test_a_cell_that_crashes_the_harness_fails_alone(tmp_path, monkeypatch):
    from harness import runner as runner_mod

    real = runner_mod.run_strategy

    def sometimes(request):
        if request.strategy.id == "bad":
            raise RuntimeError("boom")
        return real(request)

    monkeypatch.setattr(runner_mod, "run_strategy", sometimes)
    m = offline_matrix(tmp_path)
    results = {c.key: c for c in Runner(m, options(tmp_path), quiet()).run(plan_cells(m, strategies=["good", "bad"]))}
    assert results[f"{PY}--good"].status == PASSED
    crashed = results[f"{PY}--bad"]
    assert crashed.status == FAILED and crashed.steps[0].name == "harness"
    assert "RuntimeError('boom')" in crashed.steps[0].message and "Traceback" in crashed.steps[0].log_tail
    assert {c.key for c in read_cells(tmp_path / "results" / "r1")} == set(results)


def test_a_venv_path_someone_else_owns_stops_the_run_before_anything(tmp_path):
    from harness.rundir import NotOwnedError

    m = offline_matrix(tmp_path)
    theirs = tmp_path / "work" / "r1" / f"{PY}--good"
    theirs.mkdir(parents=True)
    (theirs / "notes.txt").write_text("mine")
    with pytest.raises(NotOwnedError, match="was not created by the harness"):
        Runner(m, options(tmp_path), quiet()).run(plan_cells(m, strategies=["good"]))
    assert (theirs / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "results" / "r1" / "cells").exists()


def test_bad_cell_files_are_skipped_with_a_warning_by_resume_and_retry(tmp_path, capsys):
    m = offline_matrix(tmp_path)
    Runner(m, options(tmp_path), quiet()).run(plan_cells(m))
    cells = tmp_path / "results" / "r1" / "cells"
    (cells / "truncated.json").write_text('{"run_id": "r1", "python": ')
    (cells / "wrong-type.json").write_text('{"run_id": "r1", "python": 3.1, "strategy": "x", "status": "passed"}')
    chosen = failed_cells(tmp_path / "results" / "r1", plan_cells(m))
    assert [c.key for c in chosen] == [f"{PY}--bad"]
    again = Runner(m, options(tmp_path, resume=True), quiet()).run(plan_cells(m), fresh=False)
    assert {c.key: c for c in again}[f"{PY}--good"].resumed_from == "r1"
    err = capsys.readouterr().err
    assert f"warning: {cells / 'truncated.json'}:1: not JSON: Expecting value; skipped" in err
    assert f"warning: {cells / 'wrong-type.json'}:1: not a cell result: cell.python: float where str belongs" in err


def test_the_chain_extra_is_checked_before_a_run():
    from harness.chain.libraries import chain_libraries_missing, check_chain_libraries

    requires = lambda: ["pyyaml>=6", 'numpy; extra == "chain"', 'scipy ; extra == "chain"',  # noqa: E731
                        'comtypes; sys_platform == "win32" and extra == "chain"', 'pytest>=7; extra == "test"']
    assert chain_libraries_missing(requires, lambda name: name != "scipy") == ["scipy"]
    assert chain_libraries_missing(requires, lambda name: True) == []
    with pytest.raises(Exception) as info:
        check_chain_libraries(["numpy", "scipy"])
    assert getattr(info.value, "exit_code", None) == 2
    assert "missing here: numpy, scipy" in str(info.value) and "--no-chain" in str(info.value)
    assert chain_libraries_missing() == []  # this test env has the extra installed


def test_progress_says_where_the_run_stands_with_an_eta_from_the_finished_cells():
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(stream, clock=lambda: now[0], heartbeat=3600)
    progress.plan(total=4, workers=2)
    progress.cell_started("3.10--a")
    progress.cell_started("3.10--b")
    assert progress.summary() == "0/4 cells done · 2 running · 0 failed · elapsed 0s · ETA after the first cell"
    now[0] = 100.0
    progress.cell_finished("3.10--a", PASSED, 100.0)
    # 2 cells waiting × 100 s, plus nothing left of b's expected 100 s, over 2 workers.
    assert stream.getvalue().splitlines()[-1] == (
        "[  100.0s] run: 1/4 cells done · 1 running · 0 failed · elapsed 1m40s · ETA 1m40s")
    progress.cell_started("3.10--c")
    now[0] = 150.0
    progress.cell_finished("3.10--b", FAILED, 150.0)
    progress.cell_finished("3.10--skipped", SKIPPED, 0.0, counts=False)
    # mean 125 s; c started at 100 s, so 75 s of it are left; nothing waits; 2 workers.
    assert progress.summary() == "3/4 cells done · 1 running · 1 failed · elapsed 2m30s · ETA 38s"


def test_the_heartbeat_repeats_the_summary_until_stopped():
    import threading

    stream = io.StringIO()
    progress = Progress(stream, heartbeat=0.01)
    progress.plan(total=2, workers=1)
    stop = threading.Event()
    beat = threading.Thread(target=progress.beat, args=(stop,))
    beat.start()
    while stream.getvalue().count("cells done") < 2:
        stop.wait(0.01)
    stop.set()
    beat.join(5)
    assert not beat.is_alive() and "run: 0/2 cells done · 0 running" in stream.getvalue()
