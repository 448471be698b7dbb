"""The runner, offline: planning, the disk guard, resume and retry, on real (offline) uv installs."""
from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

import pytest

from harness import matrix
from harness.errors import InsufficientDiskError
from harness.results import FAILED, PASSED, SKIPPED, read_cells
from harness.runner import (
    CellPlan, Progress, RunOptions, Runner, check_disk, failed_cells, inputs_digest, plan_cells,
)

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
    assert "2 venvs at once" in message and "--no-disk-check" in message
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
