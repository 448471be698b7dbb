"""Golden files: the cell JSON and the reports of fixed inputs, byte for byte, timings and paths aside.

A refactor of the result values or the reports must not change what a run writes. Each case
here builds its output through the real code paths that run offline (a dry resolution replayed
from recordings, the recorded runs under data/runs, cell sets shaped like the default matrix's
results) and compares it with its file under data/golden/. The files were written by the code
before the typed result vocabulary; a change that alters one on purpose regenerates it
(``GOLDEN_REGENERATE=1 pytest tests/unit/test_golden_cells.py``) in a commit that says why.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, List

import pytest
from cellsets import JAX, default_matrix_cells, make_cell, step
from test_resolve import Replay, options

from harness import matrix
from harness.diagnose import timeout_diagnosis
from harness.report import render
from harness.report.compact import compact_text
from harness.report.diff import as_json as diff_json
from harness.report.diff import compare
from harness.report.diff import markdown as diff_markdown
from harness.report.junit import junit_text
from harness.report.table import build
from harness.resolve import resolve_matrix
from harness.results import FAILED, PASSED, TIMEOUT, CellResult, read_cells, status_after

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "data" / "golden"
RUNS = HERE / "data" / "runs"
ROOT = HERE.parents[1]
TMP = "<tmp>"
# Timings differ on every run: JSON numbers under these keys, and JUnit's time attributes.
TIMING_KEYS = ("duration", "started_at", "elapsed_s")
_JUNIT_TIME = re.compile(r' time="[0-9.]+"')
# The resolver's scratch dirs (tempfile names), this interpreter and this checkout differ from machine to machine.
_SCRATCH = re.compile(re.escape(tempfile.gettempdir()) + r"[/\\]resolve-(pip-)?[a-z0-9_]{8}")
# A command line cut short in a diagnosis's evidence is cut at a fixed length *before* <python> stands
# in for this interpreter's path, so where it ends moves with that path's length: compare its first
# TRUNCATED_KEEP characters only (the interpreter's path may be up to ~90 characters long for that).
_TRUNCATED = re.compile(r'"(\$ <python>[^"]*)\.\.\."')
TRUNCATED_KEEP = 100


def normalised(text: str, tmp: Path) -> str:
    """Machine-specific paths named: <tmp> (the test's dir), <scratch>, <python> (sys.executable), <repo>."""
    text = text.replace(str(tmp), TMP).replace(sys.executable, "<python>").replace(str(ROOT), "<repo>")
    text = _JUNIT_TIME.sub(' time="0"', _SCRATCH.sub("<scratch>", text))
    return _TRUNCATED.sub(lambda m: '"' + m.group(1)[:TRUNCATED_KEEP] + '..."', text)


def _untimed(value: object) -> object:
    if isinstance(value, dict):
        return {k: (0 if k in TIMING_KEYS and isinstance(v, (int, float)) else
                    "" if k in TIMING_KEYS and isinstance(v, str) else _untimed(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def cells_text(cells: List[CellResult]) -> str:
    """Every cell's JSON as write_cell writes it, in key order, timings zeroed."""
    out = []
    for cell in sorted(cells, key=lambda c: c.key):
        text = json.dumps(_untimed(cell.to_json()), indent=2, sort_keys=True)
        out.append(f"# {cell.key}\n{text}\n")
    return "".join(out)


def _dry_cells(tmp: Path) -> List[CellResult]:
    m = matrix.load(ROOT / "matrix.yaml")
    # Relative to the test's dir: a log line cut short must not cut a path whose length differs per run.
    # One worker: which cell's log a shared resolution is reused from must not depend on thread timing.
    here = os.getcwd()
    os.chdir(tmp)
    try:
        resolve_matrix(m, [("3.10", s) for s in m.strategies], options(Path("out"), Replay(), workers=1))
    finally:
        os.chdir(here)
    return read_cells(tmp / "out" / "dry")


def _timed_out_chain() -> List[CellResult]:
    """A live cell whose Separate stage was stopped at its timeout, beside one whose install timed out."""
    chained = make_cell("3.10", "default", PASSED)
    hung = timeout_diagnosis("stage separate", 60.0)
    ran = [s for s in chained.steps if s.name not in ("diarize", "tts", "mix", "mux")]
    steps = tuple(replace(s, status=TIMEOUT, message="timed out after 60 s", diagnosis=hung, metrics={})
                  if s.name == "separate" else s for s in ran)
    steps += tuple(step("3.10--default", "3.10", name, "skipped", kind="stage") for name in ("diarize", "tts"))
    # The cell's verdict as the runner reaches it from the chain's steps.
    stage_cell = replace(chained, status=status_after([s for s in steps if s.kind == "stage"]), steps=steps,
                         versions={})
    install = make_cell("3.10", "bootstrap", FAILED)
    slow = timeout_diagnosis("install", 1800.0)
    install = replace(install, status=TIMEOUT, steps=tuple(
        replace(s, status=TIMEOUT, diagnosis=slow, message=slow.headline()) if s.name == "install" else s
        for s in install.steps))
    return [stage_cell, install, make_cell("3.8", "wheel-first", FAILED, diagnosis=JAX)]


def _reports(cells: List[CellResult]) -> Dict[str, str]:
    table = build(cells)
    return {"table.md": render.markdown(table), "table.json": render.json_text(table),
            "junit.xml": junit_text(cells), "compact.txt": compact_text(table)}


def _case_dry_resolution(tmp: Path) -> Dict[str, str]:
    cells = _dry_cells(tmp)
    return {"cells.json.txt": cells_text(cells), **_reports(cells)}


def _case_recorded_runs(tmp: Path) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for run in ("base", "changed"):
        cells = read_cells(RUNS / run)
        out[f"{run}.cells.json.txt"] = cells_text(cells)
        out.update({f"{run}.{name}": text for name, text in _reports(cells).items()})
    diff = compare(RUNS / "base", RUNS / "changed")
    out["diff.md"] = diff_markdown(diff)
    out["diff.json"] = json.dumps(diff_json(diff), indent=2, sort_keys=True) + "\n"
    return out


def _case_default_matrix(tmp: Path) -> Dict[str, str]:
    cells = default_matrix_cells()
    return _reports(cells)  # their JSON is the cellsets' own: the reports are what this case pins


def _case_timeouts(tmp: Path) -> Dict[str, str]:
    cells = _timed_out_chain()
    return {"cells.json.txt": cells_text(cells), **_reports(cells)}


CASES: Dict[str, Callable[[Path], Dict[str, str]]] = {
    "dry-resolution": _case_dry_resolution,
    "recorded-runs": _case_recorded_runs,
    "default-matrix": _case_default_matrix,
    "timeouts": _case_timeouts,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_matches_its_golden_file(case, tmp_path):
    produced = {name: normalised(text, tmp_path) for name, text in CASES[case](tmp_path).items()}
    folder = GOLDEN / case
    if os.environ.get("GOLDEN_REGENERATE"):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            old.unlink()
        for name, text in produced.items():
            (folder / name).write_text(text, encoding="utf-8")
    expected = sorted(p.name for p in folder.glob("*"))
    assert sorted(produced) == expected, f"{case}: the golden folder holds other files"
    for name, text in produced.items():
        golden = (folder / name).read_text(encoding="utf-8")
        assert text == golden, f"{case}/{name} differs from its golden file"
