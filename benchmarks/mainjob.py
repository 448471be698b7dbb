"""(g) The main job as a user runs it: ``./run.sh matrix`` (every cell, the chain, the dry resolutions,
the report), cold and then warm, inside the benchmark's scratch folder.

Cold means every cache the job fills is a new, empty folder of the scratch: uv's (``UV_CACHE_DIR``),
the loopback pip index cache and the model (both under ``MATRIX_WORK_DIR``), pip's own cache and
anything else that follows ``XDG_CACHE_HOME``. No cache of the machine is emptied: the variables
point elsewhere. Warm is the same command again on the caches the cold run filled.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Sequence

from benchmarks.cells import cell_part, cells_of
from benchmarks.figures import Run
from harness.install.index_cache import CacheStats
from harness.proc import run_logged
from harness.results import CellResult

ROOT = Path(__file__).resolve().parent.parent
MAIN_TIMEOUT = 4 * 3600.0
COMMAND = ("./run.sh", "matrix")
# Settings of the caller that would point the job at caches or results outside the scratch folder.
DROPPED = ("UV_CACHE_DIR", "PIP_CACHE_DIR", "MODEL_PATH", "XDG_CACHE_HOME")


@dataclass(frozen=True)
class MainJobDirs:
    """The main job's own folders in the scratch; every one starts empty."""

    root: Path
    uv_cache: Path
    xdg_cache: Path
    work: Path  # MATRIX_WORK_DIR: venvs, the pip index cache, the model
    results: Path  # MATRIX_OUT

    @classmethod
    def under(cls, root: Path) -> "MainJobDirs":
        return cls(root, root / "uv-cache", root / "xdg-cache", root / "work", root / "results")

    def make(self) -> None:
        for folder in (self.uv_cache, self.xdg_cache, self.work, self.results):
            folder.mkdir(parents=True)


def main_job_env(dirs: MainJobDirs, run_id: str, workers: int,
                 base: Dict[str, str]) -> Dict[str, str]:
    """``base`` (the caller's environment) with every cache and output of the job inside ``dirs``."""
    env = {k: v for k, v in base.items() if not k.startswith("MATRIX_") and k not in DROPPED}
    env.update({"MATRIX_OUT": str(dirs.results), "MATRIX_RUN_ID": run_id, "MATRIX_WORK_DIR": str(dirs.work),
                "MATRIX_WORKERS": str(workers), "UV_CACHE_DIR": str(dirs.uv_cache),
                "XDG_CACHE_HOME": str(dirs.xdg_cache)})
    return env


def measure_main_job(dirs: MainJobDirs, run_id: str, workers: int, logs: Path, say: Callable[[str], None]) -> Run:
    """One ``./run.sh matrix``, timed from start to exit; its cells read from their JSON."""
    env = main_job_env(dirs, run_id, workers, dict(os.environ))
    done = run_logged([str(ROOT / "run.sh"), "matrix"], logs / f"{run_id}.log", MAIN_TIMEOUT, env=env, cwd=ROOT)
    run_dir = dirs.results / run_id
    cells = [c for c in cells_of(run_dir) if not c.is_dry]
    detail = summary(cells, pip_files(run_dir))
    # The job's exit code follows --fail-on resilient; a cell that fails on this machine is a finding.
    ok = bool(cells) and not done.timed_out
    if not ok:
        detail += f"; {'timed out' if done.timed_out else f'exit code {done.returncode}'}, log {done.log_path}"
    say(f"    {run_id}: {done.duration:.1f} s, exit code {done.returncode}; {detail}")
    return Run(ok, done.duration, tuple(cell_part(c) for c in cells), detail, command=COMMAND)


def summary(cells: Sequence[CellResult], pip_line: str) -> str:
    """What the job did: cells by outcome, step time by kind, chain runs, pip files from where."""
    counts = Counter(c.status for c in cells)
    by_kind = {kind: sum(s.duration for c in cells for s in c.steps if s.kind == kind)
               for kind in ("install", "verify", "stage")}
    chained = [c for c in cells if any(s.kind == "stage" for s in c.steps)]
    shared = sum(1 for c in chained if c.chain_from)
    parts: List[str] = [
        f"{len(cells)} cells: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
        f"cell time {sum(c.duration for c in cells):.0f} s, of it install {by_kind['install']:.0f} s, "
        f"import check {by_kind['verify']:.0f} s, chain stages {by_kind['stage']:.0f} s",
        f"chain ran {len(chained) - shared} times for {len(chained)} cells",
        f"{sum(1 for c in cells if c.install_from)} pip cells took another cell's install",
    ]
    return "; ".join(parts + ([pip_line] if pip_line else []))


def pip_files(run_dir: Path) -> str:
    """The run's ``pip files: ...`` line from its index-cache.json ("" when the cache did not run)."""
    try:
        data = json.loads((run_dir / "index-cache.json").read_text(encoding="utf-8"))
        return CacheStats(**{k: int(data[k]) for k in ("network_bytes", "served_bytes", "files_served",
                                                        "passed_through")}).line()
    except (OSError, ValueError, KeyError, TypeError):
        return ""
