"""The cells of a run: which Pythons × strategies, chosen and checked from the command line's selection.

Planning happens before anything runs (``plan``, ``run`` and ``resolve`` all start here), so a
selection that names no strategy, or a Python that is not a version, is refused at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import List, Sequence, Tuple

from harness.errors import UsageError
from harness.matrix import PYTHON_RE, Matrix, Strategy
from harness.results import cell_key, read_cells


@dataclass(frozen=True)
class CellPlan:
    python: str
    strategy: Strategy

    @property
    def key(self) -> str:
        return cell_key(self.python, self.strategy.id)


def plan_cells(matrix: Matrix, pythons: Sequence[str] = (), strategies: Sequence[str] = ()) -> Tuple[CellPlan, ...]:
    """Cells = pythons × strategies, filtered; a strategy limited to some pythons only runs there."""
    chosen_pythons = tuple(pythons) or matrix.pythons
    cells: List[CellPlan] = []
    for python in chosen_pythons:
        for strategy in matrix.strategies:
            if strategies and not any(fnmatchcase(strategy.id, pattern) for pattern in strategies):
                continue
            if strategy.pythons and python not in strategy.pythons and python in matrix.pythons:
                continue
            cells.append(CellPlan(python, strategy))
    return tuple(cells)


def select_cells(matrix: Matrix, pythons: Sequence[str], strategies: Sequence[str]) -> Tuple[CellPlan, ...]:
    """:func:`plan_cells`, after refusing a ``--strategy`` pattern that matches nothing or a malformed ``--python``."""
    known = {s.id for s in matrix.strategies}
    for pattern in strategies:
        if not any(fnmatchcase(s, pattern) for s in known):
            raise UsageError(f"--strategy {pattern!r} matches no strategy of {matrix.path.name} "
                             f"(known: {', '.join(sorted(known))})")
    for python in pythons:
        if not PYTHON_RE.fullmatch(python):
            raise UsageError(f"--python {python!r}: expected a version like 3.10")
    return plan_cells(matrix, pythons, strategies)


def failed_cells(run_dir: Path, cells: Sequence[CellPlan]) -> Tuple[CellPlan, ...]:
    """The planned cells that failed, timed out or were blocked in the run at ``run_dir`` (WP-0050's retry path)."""
    bad = {c.key for c in read_cells(run_dir) if c.status.bad}
    return tuple(c for c in cells if c.key in bad)
