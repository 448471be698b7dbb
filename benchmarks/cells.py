"""A finished cell of a harness run as a row of the benchmark's table (every harness row reads them)."""
from __future__ import annotations

from pathlib import Path
from typing import List

from benchmarks.figures import Part
from harness.results import PASSED, CellResult, read_cells, version_key

SHOWN_VERSION = "tensorflow"  # the distribution whose resolved version each cell's row names


def cell_part(cell: CellResult) -> Part:
    """A finished cell as a table row: its time, its install steps' time, what it ran with or why it failed."""
    installs = [s.duration for s in cell.steps if s.kind == "install"]
    if cell.status == PASSED:
        where = f"{cell.interpreter.version} ({cell.interpreter.source}), " if cell.interpreter else ""
        checks = sum(s.duration for s in cell.steps if s.kind == "verify")
        # Interpreter lookup, pip freeze and venv removal are no step of their own: the rest of the cell's time.
        other = max(0.0, cell.duration - sum(s.duration for s in cell.steps))
        detail = (f"import check {checks:.1f} s; other {other:.1f} s; "
                  f"{where}{SHOWN_VERSION} {cell.versions.get(SHOWN_VERSION, '?')}")
    else:
        diagnosis = cell.diagnosis
        detail = f"{cell.status}: " + (diagnosis.headline() if diagnosis else cell.reason or "see its logs")
    return Part(cell.key, cell.status == PASSED, cell.duration, sum(installs) if installs else None, detail)


def cells_of(run_dir: Path) -> List[CellResult]:
    return sorted(read_cells(run_dir), key=lambda c: (version_key(c.python), c.strategy))
