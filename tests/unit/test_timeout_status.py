"""A chain stage stopped at its time limit makes a timed-out cell, kept apart from a failed one everywhere."""
from __future__ import annotations

from dataclasses import replace

from test_chain_sameenv import CountingRunner, run_matrix

from harness.report.compact import compact_text
from harness.report.junit import junit_text
from harness.report.table import build
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT, StepResult, status_after


def stage(name: str, status: str, message: str = "") -> StepResult:
    return StepResult(name=name, status=status, kind="stage", message=message)


def test_the_first_stage_that_did_not_pass_decides_the_cells_status():
    assert status_after([]) == PASSED
    assert status_after([stage("separate", PASSED), stage("diarize", PASSED)]) == PASSED
    assert status_after([stage("separate", TIMEOUT), stage("diarize", SKIPPED)]) == TIMEOUT
    assert status_after([stage("separate", FAILED), stage("diarize", SKIPPED)]) == FAILED
    assert status_after([stage("separate", PASSED), StepResult("freeze-unchanged", FAILED, kind="verify")]) == FAILED


def test_the_runner_reports_a_stage_timeout_as_a_timed_out_cell(tmp_path):
    """The real runner and real offline installs; the chain is a stand-in whose first stage hit its limit."""
    class Hung(CountingRunner):
        def _chain(self, cell, venv_dir, log_dir, before):
            (separate,) = super()._chain(cell, venv_dir, log_dir, before)
            return [replace(separate, status=TIMEOUT, message="timed out after 60 s", metrics={}),
                    stage("diarize", SKIPPED, "skipped: stage 'separate' did not pass")]

    _, cells = run_matrix(tmp_path, Hung, workers=1)
    assert {c.status for c in cells.values()} == {TIMEOUT}
    cell = cells["one"]
    assert cell.failing_step.name == "separate" and cell.failing_step.status == TIMEOUT
    table = build([cell])
    (shown,) = table.cells.values()
    assert shown.text == "⏱ timeout in separate [1]"  # not "❌ ...": a timeout keeps its own glyph and word
    rows = {line.split()[0]: line.split()[1:] for line in compact_text(table).splitlines() if line.startswith("one")}
    assert rows == {"one": ["T1"]}
    junit = junit_text([cell])
    assert 'type="timeout"' in junit and 'message="timed out after 60 s"' in junit
