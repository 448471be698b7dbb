"""Running the planned cells in parallel and writing each result the moment it ends.

Each cell is independent (own venv, own logs, own JSON), so a bounded thread
pool is enough: the work happens in subprocesses, the threads only wait. A
cell's JSON is written as soon as the cell ends, so Ctrl-C or a kill leaves
every finished cell on disk for ``harness report``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform as _platform
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, ContextManager, Dict, List, Optional, Sequence, Set, Tuple

from harness.alongside import Alongside
from harness.cells import CellPlan as CellPlan  # re-exported: benchmarks and tests plan cells through the runner
from harness.cells import plan_cells as plan_cells
from harness.chain.cell import ModelOnce, RunChains, freeze_venv, model_root
from harness.chain.sameenv import same_environment_as
from harness.diagnose import interpreter_unavailable
from harness.disk import check_disk as check_disk  # re-exported: the CLI and tests check through the runner
from harness.errors import HarnessError
from harness.install.index_cache import IndexCache, hold_folder
from harness.install.installer import InstallOutcome, InstallRequest, opt_in_missing, run_strategy
from harness.install.share import ChecksOnce, InstallShare, SharedInstall
from harness.matrix import Matrix
from harness.proc import kill_all, stopping
from harness.progress import Progress
from harness.provision import Attempt, InterpreterFinder, ProvisionOptions
from harness.results import (
    BLOCKED,
    FAILED,
    PASSED,
    SKIPPED,
    CellResult,
    InterpreterInfo,
    StepKind,
    StepResult,
    read_cells,
    status_after,
    write_cell,
)
from harness.rundir import claim_run, remove_owned
from harness.schedule import install_groups, start_order
from harness.trash import IN_BACKGROUND, Trash


@dataclass(frozen=True)
class RunOptions:
    out_dir: Path = Path("results")
    run_id: str = ""
    work_dir: Path = Path(".matrix")
    workers: int = max(1, os.cpu_count() or 1)
    allow_source_builds: bool = False
    keep_venvs: bool = False
    keep_user_config: bool = False
    allow_python_downloads: bool = True
    run_chain: bool = True
    chain_every_cell: bool = False  # run the chain even where a cell with the same environment already did
    install_every_cell: bool = False  # unpack pip's plan even where a cell of this run installed the same one
    pip_index_cache: bool = True  # pip cells install through a loopback caching index (each file fetched once)
    disk_per_cell_gib: float = 2.5
    disk_per_python_gib: float = 2.0
    check_disk: bool = True
    uv: str = "uv"
    platform: str = ""
    resume: bool = False  # reuse passed cells of this run dir whose inputs are unchanged
    model_dir: Optional[Path] = None  # an existing spleeter MODEL_PATH; overrides matrix.yaml's chain.model_dir

    @property
    def run_dir(self) -> Path:
        return self.out_dir / self.run_id

    @property
    def work_run_dir(self) -> Path:
        """This run's venvs: ``<work-dir>/<run-id>/<cell>``."""
        return self.work_dir / self.run_id

    def claim(self, cells: Sequence[CellPlan] = ()) -> ContextManager[None]:
        """Validate, claim and lock this run's folders (re-entrant: the CLI and the runner both do)."""
        return claim_run(self.run_id, (self.run_dir, self.work_run_dir), [self.work_run_dir / c.key for c in cells])


def default_run_id() -> str:
    return os.environ.get("MATRIX_RUN_ID") or _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def platform_tag() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")


def inputs_digest(matrix: Matrix, cell: CellPlan, interpreter: Optional[InterpreterInfo], chain: bool) -> str:
    """What a cell's result depends on; equal digests mean a passed cell need not run again."""
    members = [matrix.strategy(m) for m in cell.strategy.fallback]
    payload = {
        "strategy": asdict(cell.strategy), "members": [asdict(m) for m in members],
        "pins": {k: dict(v) for k, v in matrix.pins.items()},
        "pack": asdict(matrix.pack), "interpreter": interpreter.version if interpreter else None,
        "chain": asdict(matrix.chain) if chain else None, "platform": platform_tag(),
    }
    blob = json.dumps(payload, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


class Runner:
    """Runs cells of one matrix with one set of options."""

    def __init__(self, matrix: Matrix, options: RunOptions, progress: Optional[Progress] = None,
                 finder: Optional[InterpreterFinder] = None) -> None:
        self.matrix = matrix
        self.options = options
        self.progress = progress or Progress()
        self.finder = finder or InterpreterFinder(ProvisionOptions(
            allow_download=options.allow_python_downloads, uv=options.uv,
            timeout=matrix.timeouts["provision"]))
        self._previous: Dict[str, CellResult] = {}
        chain = matrix.chain
        model = ModelOnce(model_root(chain.model_dir, matrix.resolve_path, options.model_dir,
                                     options.work_dir / "models"))
        self._chains = RunChains(chain, matrix.resolve_path(chain.item), model, options.uv, options.chain_every_cell)
        self._pip_index_url = ""
        # A shared install leaves the cell's venv without the pack, which --keep-venvs means to keep.
        self._installs = None if options.install_every_cell or options.keep_venvs else InstallShare()
        # The import check once per environment too, unless every cell is to check and chain itself.
        self._checks = None if options.chain_every_cell else ChecksOnce()
        self._may_share: Set[int] = set()  # id() of the cells whose install may be another's (schedule)
        self._may_share_env: Set[int] = set()  # id() of the cells whose venv may hold another's files
        self._trash: Optional[Trash] = None  # venvs deleted in the background while _run runs

    def run(self, cells: Sequence[CellPlan], fresh: bool = True,
            alongside: Optional[Callable[[], object]] = None) -> List[CellResult]:
        """Run ``cells``. ``fresh`` clears the run dir's old cells first (a plain re-run of the
        same run id must not report cells it did not run); resume and retry keep them.
        ``alongside``: other work for the same run dir (the dry resolutions), started once the old cells
        are cleared and finished before this returns; its exception is raised here."""
        with self.options.claim(cells):
            check_disk(cells, self.options)
            return self._run(cells, fresh, alongside)

    def _run(self, cells: Sequence[CellPlan], fresh: bool,
             alongside: Optional[Callable[[], object]] = None) -> List[CellResult]:
        cells_path = self.options.run_dir / "cells"
        if fresh and cells_path.is_dir():
            for old in cells_path.glob("*.json"):
                if old.is_file():  # a folder someone named x.json is not ours to delete
                    old.unlink()
        self._previous = {c.key: c for c in read_cells(self.options.run_dir)} if self.options.resume else {}
        self._write_run_info(cells)
        with Alongside(alongside):
            return self._run_cells(cells)

    def _run_cells(self, cells: Sequence[CellPlan]) -> List[CellResult]:
        results: List[CellResult] = []
        pool = ThreadPoolExecutor(max_workers=max(1, self.options.workers))
        futures = {}
        self.progress.plan(len(cells), min(self.options.workers, len(cells)))
        stop_beat = threading.Event()
        threading.Thread(target=self.progress.beat, args=(stop_beat,), daemon=True).start()
        index = self._start_index_cache(cells)
        trash = self._trash = Trash(self.options.work_run_dir / ".trash",
                                    say=lambda t: self.progress("run", t)).start() if IN_BACKGROUND else None
        try:
            # Only a cell that may share its install asks pip for a plan first (a 7 s dry run); the others
            # (the build backends of no-build-isolation, the pinned set of no-deps-pinned) install at once.
            self._may_share = {id(c) for group in install_groups(cells, self.matrix) for c in group}
            # Hashing a venv (2-9 s for TensorFlow's 2 GB) only pays where another cell of the same Python may
            # hold the same files; a run of one cell per Python checks each venv itself.
            per_python = Counter(c.python for c in cells)
            self._may_share_env = {id(c) for c in cells if per_python[c.python] > 1}
            futures = {pool.submit(self.run_cell, cell): cell for cell in start_order(cells, self.matrix)}
            for future in as_completed(futures):
                results.append(future.result())
        except KeyboardInterrupt:
            self.progress("run", "interrupted: killing running steps; finished cells are on disk")
            for future in futures:
                future.cancel()
            kill_all()
            raise
        finally:
            pool.shutdown(wait=True)
            if trash is not None:
                trash.close()
            self._trash = None
            stop_beat.set()
            self._stop_index_cache(index)
        return results

    def _start_index_cache(self, cells: Sequence[CellPlan]) -> Optional[IndexCache]:
        """The run's caching index for pip, when a pip cell will install from PyPI."""
        uses_pip = any(self.matrix.strategy(m).installer == "pip" for c in cells
                       for m in (c.strategy.fallback or (c.strategy.id,)))
        if not (self.options.pip_index_cache and uses_pip) or self.options.keep_user_config:
            return None
        # Files on PyPI never change under one name, so the cache lasts across runs (a warm run downloads
        # nothing); index pages are fetched again in every run.
        shared = self.options.work_dir / "pip-index-cache"
        folder = shared if hold_folder(shared) else self.options.work_run_dir / "pip-index-cache"
        index = IndexCache(folder, self.options.run_dir / "logs" / "index-cache.log")
        try:
            self._pip_index_url = index.start()
        except OSError as exc:  # the run goes on without it: the cache saves time, it decides nothing
            self.progress("run", f"pip index cache did not start: {exc}; pip installs from PyPI directly")
            return None
        self.progress("run", f"pip index cache at {self._pip_index_url}" if self._pip_index_url else
                      f"pip index cache did not start (see {index.log_path}); pip installs from PyPI directly")
        return index

    def _stop_index_cache(self, index: Optional[IndexCache]) -> None:
        if index is None:
            return
        stats = index.stop()
        self._pip_index_url = ""
        if stats is not None:
            self.progress("run", stats.line())
            (self.options.run_dir / "index-cache.json").write_text(json.dumps(asdict(stats), indent=2),
                                                                   encoding="utf-8")

    def run_cell(self, cell: CellPlan) -> CellResult:
        """One cell, counted in the progress line."""
        self.progress.cell_started(cell.key)
        result = self._run_cell_safely(cell)
        self.progress.cell_finished(cell.key, result.status, result.duration,
                                    counts=result.status != SKIPPED and not result.resumed_from)
        return result

    def _run_cell_safely(self, cell: CellPlan) -> CellResult:
        """One cell; an unexpected error becomes that cell's failure, never the whole run's."""
        try:
            return self._run_cell(cell)
        except Exception as exc:  # noqa: BLE001 - the other cells and the report must still happen
            import traceback

            self.progress(cell.key, f"harness error: {exc!r}")
            result = CellResult(
                run_id=self.options.run_id, python=cell.python, strategy=cell.strategy.id,
                installer=cell.strategy.installer, status=FAILED, platform=self.options.platform or platform_tag(),
                pack=self.matrix.pack.requirement,
                steps=(StepResult(name="harness", status=FAILED, kind=StepKind.PROVISION,
                                  message=f"the harness itself failed: {exc!r}",
                                  log_tail=traceback.format_exc()[-4000:]),))
            try:
                write_cell(self.options.run_dir, result)
            except OSError as write_error:
                self.progress(cell.key, f"result not written: {write_error}")
            return result

    def _run_cell(self, cell: CellPlan) -> CellResult:
        started = time.monotonic()
        stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.progress(cell.key, "provisioning")
        interpreter, attempts = self.finder.find(cell.python)
        base = CellResult(
            run_id=self.options.run_id, python=cell.python, strategy=cell.strategy.id,
            installer=cell.strategy.installer, status=FAILED, interpreter=interpreter, started_at=stamp,
            platform=self.options.platform or platform_tag(), pack=self.matrix.pack.requirement,
            inputs_digest=inputs_digest(self.matrix, cell, interpreter, self._chain_enabled()),
        )
        skip = opt_in_missing(cell.strategy, self.options.allow_source_builds)
        earlier = self._previous.get(cell.key)
        if earlier is not None and earlier.status == PASSED and earlier.inputs_digest == base.inputs_digest:
            self.progress(cell.key, "unchanged and passed before: resumed")
            result = replace(earlier, resumed_from=earlier.resumed_from or earlier.run_id or "earlier run")
            write_cell(self.options.run_dir, result)
            return result
        if skip:
            result = replace(base, status=SKIPPED, reason=skip)
        elif interpreter is None:
            result = replace(base, status=BLOCKED, steps=(self._unavailable_step(cell, attempts),))
        else:
            result = self._install_and_chain(cell, interpreter, base)
        result = replace(result, duration=round(time.monotonic() - started, 2))
        if stopping():
            # Killed mid-way by an interrupt: its steps did not really fail, so no result is written.
            self.progress(cell.key, "interrupted: not recorded")
            return result
        write_cell(self.options.run_dir, result)
        self.progress(cell.key, f"done: {result.status}" + (f" ({result.reason})" if result.reason else ""))
        return result

    # -- steps of a cell

    def _unavailable_step(self, cell: CellPlan, attempts: Sequence[Attempt]) -> StepResult:
        tried = [f"{a.source}: {a.detail}" for a in attempts]
        diagnosis = interpreter_unavailable(cell.python, tried)
        return StepResult(name="provision", status=BLOCKED, kind=StepKind.PROVISION, diagnosis=diagnosis,
                          message=diagnosis.headline(), log_tail="\n".join(tried))

    def _install_and_chain(self, cell: CellPlan, interpreter: InterpreterInfo, base: CellResult) -> CellResult:
        log_dir = self.options.run_dir / "logs" / cell.key
        venv_dir = self.options.work_dir / self.options.run_id / cell.key
        owner = f"{cell.python}/{cell.strategy.id}"
        self.progress(cell.key, f"installing with {interpreter.version} ({interpreter.source})")
        request = InstallRequest(
            matrix=self.matrix, strategy=cell.strategy, python=cell.python, interpreter=interpreter,
            venv_dir=venv_dir, log_dir=log_dir, allow_source_builds=self.options.allow_source_builds,
            keep_user_config=self.options.keep_user_config, uv=self.options.uv, platform=base.platform,
            extra_env=self._cache_env(), pip_index_url=self._pip_index_url, compile_bytecode=False,
            share=self._installs if id(cell) in self._may_share else None, owner=owner,
            checks=self._checks if id(cell) in self._may_share_env else None,
        )
        outcome: Optional[InstallOutcome] = None
        kept: Optional[SharedInstall] = None
        try:
            outcome = run_strategy(request)
            steps = list(outcome.steps)
            status = outcome.status
            environment = chain_from = install_from = ""
            if outcome.shared is not None:
                shared = outcome.shared
                self.progress(cell.key, f"install: same resolution as {shared.owner}; its import check and chain")
                (log_dir / "pip-freeze.txt").write_text(shared.freeze, encoding="utf-8")
                first = shared.chain_from or shared.owner  # whose chain run the stages are
                steps.extend(s if shared.chain_from else same_environment_as(first, s) for s in shared.chain_steps)
                environment, install_from = shared.environment, shared.owner
                chain_from = first if shared.chain_steps else ""
            elif status == PASSED:
                installed = freeze_venv(self.options.uv, venv_dir, log_dir / "pip-freeze.txt")
                chain_steps: List[StepResult] = []
                if self._chain_enabled():
                    chain_steps, environment, chain_from = self._chains.once(
                        owner, venv_dir, (interpreter.path, interpreter.version),
                        lambda: self._chain(cell, venv_dir, log_dir, installed), self._say(cell), outcome.environment)
                    steps.extend(chain_steps)
                    status = status_after(chain_steps)
                if outcome.claim is not None and status == PASSED:
                    kept = SharedInstall(owner, outcome.plan_files, outcome.claimed,
                                         tuple(sorted(outcome.versions.items())), installed, environment,
                                         tuple(chain_steps), chain_from)
        finally:
            if outcome is not None and outcome.claim is not None and self._installs is not None:
                self._installs.settle(outcome.claim, owner, kept)
            venv_note = self._remove_venv(cell, venv_dir)
        kills = tuple(str(s.metrics["cleanup"]) for s in steps if s.metrics.get("cleanup"))
        return replace(base, status=status, steps=tuple(steps), winner=outcome.winner, versions=outcome.versions,
                       reason=outcome.reason if status != PASSED else "", cleanup=kills + venv_note,
                       environment=environment, chain_from=chain_from, install_from=install_from)

    def _remove_venv(self, cell: CellPlan, venv_dir: Path) -> Tuple[str, ...]:
        """Delete the cell's venv; a failure (Windows: a DLL still mapped, WinError 32) is a note, not a crash.
        The venv keeps its marker, so the next run with this id deletes it."""
        if self.options.keep_venvs or not venv_dir.exists():
            return ()
        try:
            if self._trash is not None:
                self._trash.put(venv_dir)
            else:
                remove_owned(venv_dir)
        except (OSError, HarnessError) as exc:
            note = f"venv {venv_dir} not deleted: {exc}; the next run with this id retries, or delete it by hand"
            self.progress(cell.key, f"cleanup: {note}")
            return (note,)
        return ()

    def _cache_env(self) -> Dict[str, str]:
        # One shared cache per installer for every cell: uv's is safe under concurrency, pip's is
        # content-addressed; the same wheel is downloaded once per run.
        env = {}
        for var in ("UV_CACHE_DIR", "PIP_CACHE_DIR"):
            if os.environ.get(var):
                env[var] = os.environ[var]
        return env

    def _chain_enabled(self) -> bool:
        return self.options.run_chain and self.matrix.chain.enabled

    def _chain(self, cell: CellPlan, venv_dir: Path, log_dir: Path, before: str) -> List[StepResult]:
        """The smoke chain in the cell's venv (the model and the same-environment sharing live in chain/)."""
        return self._chains.chain(venv_dir, log_dir, self.options.run_dir / "derived" / cell.key, before,
                                  self._say(cell))

    def _say(self, cell: CellPlan) -> Callable[[str], None]:
        return lambda text: self.progress(cell.key, text)

    def _write_run_info(self, cells: Sequence[CellPlan]) -> None:
        info = {
            "run_id": self.options.run_id, "matrix": str(self.matrix.path), "platform": platform_tag(),
            "uv": self.options.uv,
            "host": _platform.platform(), "cells": [c.key for c in cells],
            "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }
        (self.options.run_dir / "run.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
