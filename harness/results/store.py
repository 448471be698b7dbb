"""Cell files on disk: one JSON file per cell under ``<run dir>/cells/``, written atomically, read leniently.

A cell file is input like any other: truncated by a full disk, edited by hand, or
from another version. :func:`read_cells` skips a bad one with a warning naming the
file and the problem, and reports the rest.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from harness import versions
from harness.files import read_capped
from harness.results.records import CellResult
from harness.results.shape import cell_shape
from harness.versions import VersionKey


def cells_dir(run_dir: Path) -> Path:
    return Path(run_dir) / "cells"


def write_cell(run_dir: Path, cell: CellResult) -> Path:
    """Write one cell's JSON atomically, so a kill mid-write never leaves half a file."""
    target_dir = cells_dir(run_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{cell.key}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(cell.to_json(), indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)
    return target


MAX_CELL_BYTES = 16 * 1024 * 1024  # a cell holds log tails, not logs: a real one is a few KB


def read_cells(run_dir: Path, warn: Optional[Callable[[str], None]] = None) -> List[CellResult]:
    """All readable cells of one run directory, in a stable order; each bad file is skipped with a warning."""
    warn = warn or _warn
    found = []
    for path in sorted(cells_dir(run_dir).glob("*.json")):
        try:
            found.append(read_cell(path))
        except CellFileError as exc:
            warn(f"warning: {exc}; skipped")
    return found


class CellFileError(ValueError):
    """A cell file that cannot be used: ``path:line: what is wrong``."""


def read_cell(path: Path) -> CellResult:
    try:
        text = read_capped(path, MAX_CELL_BYTES).decode("utf-8")
        data = json.loads(text, parse_constant=_no_constant)
    except OSError as exc:
        raise CellFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CellFileError(f"{path}: not UTF-8 (at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CellFileError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long to parse
        raise CellFileError(f"{path}:1: not JSON: {exc}") from None
    problem = cell_shape(data)
    if problem:
        raise CellFileError(f"{path}:1: not a cell result: {problem}")
    try:
        return CellResult.from_json(data)
    except ValueError as exc:  # an unknown status, step kind or diagnosis category: the message names it
        raise CellFileError(f"{path}:1: not a cell result: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise CellFileError(f"{path}:1: not a cell result: {exc!r}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def merge_runs(run_dirs: Iterable[Path]) -> List[CellResult]:
    """Merge cells from several run dirs (e.g. one per CI job).

    When the same cell appears twice, the later directory wins: that is how a
    ``--retry-failed`` run overrides the failures of the run it retried.
    """
    merged: Dict[Tuple[str, str, str], CellResult] = {}
    for run_dir in run_dirs:
        for cell in read_cells(Path(run_dir)):
            merged[(cell.where, cell.python, cell.strategy)] = cell
    return sorted(merged.values(), key=lambda c: (c.where, version_key(c.python), c.strategy))


def version_key(version: str) -> VersionKey:
    """The Python versions' order (3.9 < 3.10); kept here for its importers, defined in harness.versions."""
    return versions.version_key(version)
