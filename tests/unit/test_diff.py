"""harness diff: flipped cells with the cause the data shows, added/gone cells, Markdown, JSON, exit codes.

Two kinds of input: results recorded from two real runs on this machine (tests/unit/data/runs/:
3.10 × default, wheel-first with the chain, plus their win_amd64 dry resolution; the second run's
matrix adds `numpy==1.26.4` to `default` and `numpy==1.23.4` to `wheel-first`), and small cell sets
shaped like the default matrix's results (cellsets.py) for causes a real run here cannot produce
on demand (a stage that begins to fail, a blocker that moves).
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from cellsets import GCS, JAX, METRICS, make_cell, write_results

from harness import cli
from harness.report.causes import resolved_versions
from harness.report.diff import (
    ADDED,
    FIXED,
    GONE,
    MOVED,
    REGRESSION,
    compare,
    exit_code,
    markdown,
)
from harness.report.runs import load, relative_log
from harness.results import FAILED, PASSED, StepResult

RUNS = Path(__file__).resolve().parent / "data" / "runs"


def _change(diff, python, strategy, where):
    (found,) = [c for c in diff.changes if (c.python, c.strategy, c.where) == (python, strategy, where)]
    return found


# --- recorded real runs --------------------------------------------------------------------


def test_recorded_runs_name_the_flipped_cell_and_the_versions_that_moved():
    diff = compare(RUNS / "base", RUNS / "changed")
    flipped = _change(diff, "3.10", "default", "linux")
    assert flipped.kind == REGRESSION and (flipped.old_status, flipped.new_status) == (PASSED, FAILED)
    kinds = {c.kind: c for c in flipped.causes}
    assert kinds["diagnosis"].new == "dependency-conflict"
    assert kinds["pin"].subject == "numpy" and (kinds["pin"].old, kinds["pin"].new) == (None, "1.26.4")
    assert kinds["step"].subject == "install" and "began to fail" in kinds["step"].text
    assert "inputs" in kinds
    moved = _change(diff, "3.10", "wheel-first", "linux")
    assert moved.kind == MOVED and moved.new_status == PASSED
    numpy = next(c for c in moved.causes if c.kind == "version" and c.subject == "numpy")
    assert (numpy.old, numpy.new) == ("1.24.3", "1.23.4")  # what uv resolved on the day
    text = markdown(diff)
    assert "### Regressions: passed before, failing now" in text
    assert "- **3.10 · linux · `default`**: ✅ passed → ❌ failed (dependency-conflict)" in text
    assert "  - `numpy` 1.24.3 → 1.23.4" in text


# --- causes ------------------------------------------------------------------------------


def test_a_stage_that_began_to_fail_names_the_metric_that_moved(tmp_path):
    worse = dict(METRICS, separate={"sdr_gain_db": 3.1})
    old = write_results(tmp_path / "old", [make_cell("3.10", "resilient", PASSED, winner="bootstrap")])
    bad = make_cell("3.10", "resilient", PASSED, winner="no-deps-pinned", stage_metrics=worse)
    steps = tuple(replace(s, status=FAILED, message="vocals SDR gain 3.10 dB < 10 dB") if s.name == "separate"
                  else s for s in bad.steps)
    new = write_results(tmp_path / "new", [replace(bad, status=FAILED, steps=steps)])
    (change,) = compare(old, new).changes
    assert change.kind == REGRESSION
    assert [c.text for c in change.causes] == [
        "stage `separate` began to fail: vocals SDR gain 3.10 dB < 10 dB",
        "separate sdr_gain_db 14.25 → 3.10",
        "installed by `no-deps-pinned` (was `bootstrap`)",
    ]


def test_a_failing_cell_whose_blocker_moved_is_listed_with_the_new_blocker(tmp_path):
    old = write_results(tmp_path / "old", [make_cell("3.8", "wheel-first", FAILED, diagnosis=JAX)])
    new = write_results(tmp_path / "new", [make_cell("3.8", "wheel-first", FAILED, diagnosis=GCS)])
    (change,) = compare(old, new).changes
    assert change.kind == MOVED
    assert change.causes[0].text == (
        "new blocker: `no-wheel-for-platform` (`tensorflow-io-gcs-filesystem==0.32.0`) in step `install`: "
        "no win_amd64 wheel for tensorflow-io-gcs-filesystem 0.32.0 (was `no-wheel-for-platform` (`jax`))")


def test_versions_come_from_the_freeze_and_unchanged_cells_are_not_listed(tmp_path):
    same = [make_cell("3.11", "default", PASSED), make_cell("3.11", "bootstrap", PASSED)]
    old = write_results(tmp_path / "old", same, freeze={"absl-py": "2.1.0", "numpy": "1.23.5"})
    new = write_results(tmp_path / "new", same, freeze={"absl-py": "2.2.0", "numpy": "1.23.5"})
    diff = compare(old, new)
    assert {(c.strategy, c.kind) for c in diff.changes} == {("default", MOVED), ("bootstrap", MOVED)}
    assert [c.text for c in diff.changes[0].causes] == ["`absl-py` 2.1.0 → 2.2.0"]
    assert compare(old, old).changes == () and compare(old, old).unchanged == 2


def test_a_flip_with_nothing_recorded_says_so(tmp_path):
    cell = make_cell("3.9", "default", PASSED)
    old = write_results(tmp_path / "old", [cell])
    new = write_results(tmp_path / "new", [replace(cell, status=FAILED)])
    (change,) = compare(old, new).changes
    assert change.kind == REGRESSION and change.causes[0].kind == "unknown"


def test_added_gone_and_fixed_golden_markdown(tmp_path):
    old = write_results(tmp_path / "old", [make_cell("3.8", "wheel-first", FAILED, diagnosis=JAX),
                                           make_cell("3.9", "default", PASSED)])
    new = write_results(tmp_path / "new", [make_cell("3.8", "wheel-first", PASSED),
                                           make_cell("3.10", "default", PASSED, profile="end-user")])
    diff = compare(old, new)
    assert [c.kind for c in diff.changes] == [FIXED, GONE, ADDED]  # by where, python, strategy
    assert markdown(diff).replace(str(tmp_path), "T") == """\
## What changed since the previous run

Compared `T/old` (2 cells) with `T/new` (2 cells): 0 regressions, 1 fixed, 0 other status changes, \
0 with the same status but something moved, 1 added, 1 gone, 0 unchanged.

### Fixed: failing before, passing now

- **3.8 · windows · `wheel-first`**: ❌ failed (no-wheel-for-platform) → ✅ passed
  - blocker gone: `no-wheel-for-platform` (`jax`)
  - step `install` passes again

### Added (not in the previous run)

- **3.10 · windows · end-user profile · `default`**: ✅ passed

### Gone (in the previous run, not in this one)

- **3.9 · windows · `default`**: ✅ passed
"""


# --- inputs ------------------------------------------------------------------------------


def test_a_folder_of_run_dirs_reads_like_their_merge(tmp_path):
    cells = [make_cell("3.10", "default", PASSED), make_cell("3.11", "default", FAILED, diagnosis=GCS)]
    write_results(tmp_path / "artifacts" / "results-windows-py3.10", cells[:1])
    write_results(tmp_path / "artifacts" / "results-windows-py3.11", cells[1:])
    merged = write_results(tmp_path / "merged", cells)
    assert [x.cell for x in load(tmp_path / "artifacts").values()] == [x.cell for x in load(merged).values()]
    assert compare(tmp_path / "artifacts", merged).changes == ()


def test_relative_log_keeps_the_part_inside_the_results_dir():
    cell = make_cell("3.10", "default", PASSED, "resolve-win_amd64")
    step = cell.steps[1]
    assert step.log_path.startswith("D:\\a\\")
    assert relative_log(cell, step) == "logs/3.10--default--resolve-win_amd64/install.log"
    assert relative_log(cell, StepResult("x", PASSED, log_path="/elsewhere/x.log")) is None


def test_freeze_versions_skip_editables_and_urls(tmp_path):
    cell = make_cell("3.10", "default", PASSED, versions={"spleeter": "2.4.2"})
    write_results(tmp_path, [cell])
    text = "numpy==1.23.5\n-e file:///src/harness\nTensorFlow_IO==0.31.0\nfoo @ https://x/foo.whl\n"
    (tmp_path / "logs" / cell.key / "pip-freeze.txt").write_text(text, encoding="utf-8")
    assert resolved_versions(cell, tmp_path) == {"numpy": "1.23.5", "tensorflow-io": "0.31.0", "spleeter": "2.4.2"}
    assert resolved_versions(cell) == {"spleeter": "2.4.2"}


# --- the command ---------------------------------------------------------------------------


def test_cli_markdown_json_and_fail_on(tmp_path, capsys):
    old = write_results(tmp_path / "old", [make_cell("3.10", "default", PASSED)])
    new = write_results(tmp_path / "new", [make_cell("3.10", "default", FAILED, diagnosis=GCS)])
    argv = ["diff", str(old), str(new), "--md-out", str(tmp_path / "d.md"), "--json-out", str(tmp_path / "d.json")]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out == (tmp_path / "d.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert data["counts"][REGRESSION] == 1 and data["changes"][0]["causes"][0]["new"] == "no-wheel-for-platform"
    assert cli.main(argv + ["--fail-on", "regressions"]) == 1
    assert cli.main(["diff", str(new), str(old), "--fail-on", "regressions"]) == 0  # a fix is no regression
    assert cli.main(["diff", str(new), str(old), "--fail-on", "changes"]) == 1
    capsys.readouterr()
    assert cli.main(["diff", str(old), str(new), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == data


def test_cli_refuses_a_dir_without_cells_in_one_line(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert cli.main(["diff", str(tmp_path / "empty"), str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {tmp_path / 'empty'}: no cells/ folder here or in its subfolders (expected a results dir)"


def test_exit_code_policy():
    from harness.report.diff import RunDiff

    empty = RunDiff("a", "b", 0, 0, (), 0)
    assert [exit_code(empty, f) for f in ("regressions", "changes", "never")] == [0, 0, 0]


def test_report_merges_cells_and_logs_into_out_and_drops_stale_cells(tmp_path, capsys):
    a = write_results(tmp_path / "windows-py3.10", [make_cell("3.10", "default", PASSED)])
    b = write_results(tmp_path / "resolve", [make_cell("3.10", "default", FAILED, "resolve-win_amd64",
                                                       diagnosis=GCS)])
    out = tmp_path / "merged"
    from harness.rundir import claim_dir

    claim_dir(out, "report")  # an earlier merge of the harness's own: its stale cells may go
    write_results(out, [make_cell("3.5", "stale", PASSED)])
    assert cli.main(["report", str(a), str(b), "--out", str(out), "--previous", str(a)]) == 0
    assert sorted(p.name for p in (out / "cells").glob("*.json")) == [
        "3.10--default--resolve-win_amd64.json", "3.10--default.json"]
    assert (out / "logs" / "3.10--default" / "install.log").is_file()
    page = (out / "table.html").read_text(encoding="utf-8")
    assert 'href="logs/3.10--default--resolve-win_amd64/install.log"' in page
    assert "Added (not in the previous run)" in page  # the dry cell was not in the previous dir
    printed = capsys.readouterr().out
    assert "windows" in printed and "| `default` |" not in printed  # the compact view, not table.md
    assert any(line.split()[:2] == ["default", "ok"] for line in printed.splitlines())
