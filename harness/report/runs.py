"""Reading finished results dirs back: a run dir, a merged dir, or a folder of run dirs.

A later run compares itself with an earlier one (``harness diff``, ``report --previous``); the
earlier one may be a merged artifact (``results/merged/``), one job's run dir, or the folder the
CI job downloaded its artifacts into. Each cell keeps the directory it came from, because its
logs (``pip-freeze.txt``, the step logs) live there.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Dict, Iterable, List, Optional, Tuple

from harness.errors import UsageError
from harness.results import CellResult, StepResult, read_cells, version_key, write_cell

Identity = Tuple[str, str, str]  # (where, python, strategy): what stays the same cell from run to run


def identity(cell: CellResult) -> Identity:
    return (cell.where, cell.python, cell.strategy)


@dataclass(frozen=True)
class LoadedCell:
    cell: CellResult
    root: Path  # the results dir holding cells/ and logs/ of this cell


def run_dirs(path: Path) -> List[Path]:
    """``path`` itself when it holds ``cells/``, else its subfolders that do (sorted); never empty."""
    path = Path(path)
    if (path / "cells").is_dir():
        return [path]
    found = sorted(p for p in path.iterdir() if (p / "cells").is_dir()) if path.is_dir() else []
    if not found:
        raise UsageError(f"{path}: no cells/ folder here or in its subfolders (expected a results dir)")
    return found


def load(path: Path) -> Dict[Identity, LoadedCell]:
    """Every cell under ``path``; when two dirs hold the same cell the later one wins (as in merge_runs)."""
    cells: Dict[Identity, LoadedCell] = {}
    for directory in run_dirs(path):
        for cell in read_cells(directory):
            cells[identity(cell)] = LoadedCell(cell, directory)
    return dict(sorted(cells.items(), key=lambda kv: (kv[0][0], version_key(kv[0][1]), kv[0][2])))


def relative_log(cell: CellResult, step: StepResult) -> Optional[str]:
    """Where the step's log sits inside a results dir: ``logs/<cell>/<file>`` (posix), or None.

    The cell JSON records the absolute path on the machine that ran it (a Windows runner's
    ``D:\\a\\...``), so the part from ``logs/<cell key>/`` on is what stays true after a download.
    """
    if not step.log_path:
        return None
    parts = PurePosixPath(step.log_path.replace("\\", "/")).parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "logs" and parts[index + 1] == cell.key:
            return "/".join(parts[index:])
    return None


def gather(path_list: Iterable[Path], out: Path) -> None:
    """Write the merged cells into ``out/cells/`` and copy each one's logs into ``out/logs/``.

    A merged dir is then a results dir like any other: the page links its logs, and a later run can
    diff against it (the workflow uploads it whole). When ``out`` is one of the inputs it is left as
    it is; otherwise its cells/ is generated here, so cells of an earlier merge do not linger.
    """
    out = Path(out)
    inputs = [Path(p) for p in path_list]
    if any(_same(p, out) for p in inputs):
        return
    merged: Dict[Identity, LoadedCell] = {}
    for directory in inputs:
        merged.update(load(directory))
    from harness.rundir import claim_dir, delete_tree

    claim_dir(out, "report")  # ours (marked) or new: a folder someone else filled is refused, never emptied
    if (out / "cells").is_dir():
        delete_tree(out / "cells")  # inside our own folder: the cells of an earlier merge
    for loaded in merged.values():
        write_cell(out, loaded.cell)
        source = loaded.root / "logs" / loaded.cell.key
        if source.is_dir():
            shutil.copytree(source, out / "logs" / loaded.cell.key, dirs_exist_ok=True)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()
