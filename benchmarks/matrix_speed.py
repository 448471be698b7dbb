"""Matrix speed: the naive pip baseline against the harness, on the same cells, side by side (issue 7).

    python benchmarks/matrix_speed.py                       # 3.8-3.11 x default, every part
    python benchmarks/matrix_speed.py --python 3.10 --skip-baseline --json-out bench.json

In one invocation it measures
  (a) the naive baseline: for each cell in turn, `python -m venv` with the interpreter the harness
      finds, then a plain `pip install` of the pack; pip isolated from the machine's configuration,
      its cache empty at the start;
  (b) `python -m harness run --no-chain` on the same cells with --workers and an empty uv cache;
  (c) the same again on the now warm cache, and one cell alone on it (its install step: <= 10 s);
  (d) the smoke chain's CPU time on the sample item, in that cell's venv (< 60 s CPU);
  (e) the dry resolution of the whole matrix for Windows, on an empty and then a warm cache (< 60 s);
  (f) the peers a user would write instead (benchmarks/peers.py): a plain noxfile run with `nox -j 2` and
      tox-uv run with `tox p -p 2`, on the same cells' install + import check and the same warm uv cache;
  (g) the whole main job, `./run.sh matrix`, cold (its caches new empty folders) then warm (benchmarks/mainjob.py);
and prints the wall times and the ratios harness/baseline (cold target <= 0.35x) with the machine's
size, versions, date and load. Timings are printed, never asserted: the exit code says only whether
every measurement ran and every cell passed. Everything lives in one scratch folder, removed at the
end unless --keep; the benchmark refuses to start with less than 25 GiB free there.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/matrix_speed.py`: the harness lives one level up
    sys.path.insert(0, str(ROOT))

from benchmarks.cells import SHOWN_VERSION, cell_part, cells_of  # noqa: E402
from benchmarks.figures import ChainRun, Figures, Machine, Part, Run  # noqa: E402
from benchmarks.machine import (  # noqa: E402
    MIN_FREE_GIB,
    PROBE_TIMEOUT,
    check_free_disk,
    children_cpu,
    folder_mib,
    load_average,
    machine_facts,
    tool_version,
)
from benchmarks.mainjob import MainJobDirs, measure_main_job  # noqa: E402
from benchmarks.options import Config, Scratch, parse_config  # noqa: E402
from benchmarks.peers import measure_peers  # noqa: E402
from benchmarks.table import format_report, seconds  # noqa: E402
from harness import matrix as matrix_mod  # noqa: E402
from harness.errors import InsufficientDiskError  # noqa: E402
from harness.proc import ProcResult, clean_env, kill_all, run_capture, run_logged  # noqa: E402
from harness.provision import InterpreterFinder, ProvisionOptions, venv_python  # noqa: E402
from harness.results import PASSED  # noqa: E402
from harness.rundir import delete_tree as remove_tree  # noqa: E402  (its own mkdtemp scratch only)
from harness.runner import CellPlan, plan_cells  # noqa: E402

HARNESS_TIMEOUT = 4 * 3600.0
# The main job's cold caches (uv's for 4 Pythons, the pip index cache: ~7 GB each) on top of the rest.
MAIN_JOB_GIB = 5.0
RESOLVE_TIMEOUT = 1800.0
CHAIN_TIMEOUT = 1800.0
RESOLVE_PLATFORM = "windows"


# ----------------------------------------------------------------------------- (a) the naive baseline


def freeze_version(text: str, name: str) -> str:
    """``name``'s version in ``pip freeze`` output, '?' when absent."""
    wanted = name.lower().replace("_", "-")
    for line in text.splitlines():
        if "==" in line and line.split("==", 1)[0].strip().lower().replace("_", "-") == wanted:
            return line.split("==", 1)[1].strip()
    return "?"


def baseline_cell(cell: CellPlan, matrix: matrix_mod.Matrix, finder: InterpreterFinder, env: Dict[str, str],
                  scratch: Scratch, keep: bool) -> Part:
    """Timed: `python -m venv`, `pip install <pack>`. Not timed: finding the interpreter (someone without the
    harness knows where their Python is), reading the versions, removing the venv."""
    looked = time.monotonic()
    interpreter, attempts = finder.find(cell.python)
    lookup = time.monotonic() - looked
    if interpreter is None:
        tried = "; ".join(f"{a.source}: {a.detail}" for a in attempts)
        return Part(cell.key, False, 0.0, detail=f"no interpreter ({tried})")
    venv = scratch.venvs / cell.key
    log = scratch.logs / f"baseline-{cell.key}.log"
    started = time.monotonic()
    made = run_logged([interpreter.path, "-m", "venv", str(venv)], log, matrix.timeouts["provision"], env=env)
    installed = None
    if made.ok:
        installed = run_logged([str(venv_python(venv)), "-m", "pip", "install", matrix.pack.requirement], log,
                               matrix.timeouts["install"], env=env)
    wall = time.monotonic() - started
    if installed is not None and installed.ok:
        pip = tool_version([str(venv_python(venv)), "-m", "pip", "--version"])
        _, frozen, _ = run_capture([str(venv_python(venv)), "-m", "pip", "freeze"], PROBE_TIMEOUT, env=env)
        detail = (f"venv {made.duration:.1f} s; {interpreter.version} ({interpreter.source}, lookup {lookup:.1f} s "
                  f"not counted), pip {pip}, {SHOWN_VERSION} {freeze_version(frozen, SHOWN_VERSION)}")
    else:
        failed = installed if installed is not None else made
        what = "pip install" if installed is not None else "python -m venv"
        how = "timed out" if failed.timed_out else f"exit code {failed.returncode}"
        detail = f"{interpreter.version}: {what} {how}; log {log}"
    if not keep and venv.exists():
        remove_tree(venv)
    return Part(cell.key, bool(installed and installed.ok), wall,
                install_s=installed.duration if installed is not None else None, detail=detail)


def measure_baseline(cells: Sequence[CellPlan], matrix: matrix_mod.Matrix, scratch: Scratch, config: Config,
                     say: Callable[[str], None]) -> Run:
    """Cells one after another, as someone without the harness would; one pip cache, empty at the start."""
    env = clean_env()  # no PIP_* from the machine, PIP_CONFIG_FILE=os.devnull: no find-links, no constraints
    env["PIP_CACHE_DIR"] = str(scratch.pip_cache)
    finder = InterpreterFinder(ProvisionOptions(allow_download=not config.no_python_downloads,
                                                timeout=matrix.timeouts["provision"]))
    parts: List[Part] = []
    for cell in cells:
        say(f"(a) baseline {cell.key}: python -m venv + pip install {matrix.pack.requirement}")
        part = baseline_cell(cell, matrix, finder, env, scratch, config.keep)
        say(f"(a) baseline {cell.key}: {'ok' if part.ok else 'FAILED'} in {part.wall_s:.1f} s ({part.detail})")
        parts.append(part)
    return Run(ok=all(p.ok for p in parts), wall_s=sum(p.wall_s for p in parts), parts=tuple(parts),
               detail=f"pip cache after the last cell: {folder_mib(scratch.pip_cache):.0f} MiB",
               command=("python", "-m", "pip", "install", matrix.pack.requirement))


# ----------------------------------------------------------------------------- (b, c, e) the harness


def harness_env(uv_cache: Path, pip_cache: Path) -> Dict[str, str]:
    """The harness isolates its installers itself; it only needs the caches (and no MATRIX_* overrides)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIX_")}
    env["UV_CACHE_DIR"] = str(uv_cache)
    env["PIP_CACHE_DIR"] = str(pip_cache)
    return env


def _failure(done: ProcResult) -> str:
    return "" if done.ok else ("timed out" if done.timed_out else f"exit code {done.returncode}")


def harness_run(config: Config, scratch: Scratch, run_id: str, pythons: Sequence[str], strategies: Sequence[str],
                env: Dict[str, str], expected: int, extra: Sequence[str] = ()) -> Run:
    """One `python -m harness run --no-chain`, timed from start to exit; its cells read from their JSON."""
    argv = [sys.executable, "-m", "harness", "run", "--matrix", str(config.matrix)]
    for python in pythons:
        argv += ["--python", python]
    for strategy in strategies:
        argv += ["--strategy", strategy]
    argv += ["--workers", str(config.workers), "--out", str(scratch.results), "--run-id", run_id,
             "--work-dir", str(scratch.work), "--no-chain", "--fail-on", "never"] + list(extra)
    if config.no_python_downloads:
        argv.append("--no-python-downloads")
    done = run_logged(argv, scratch.logs / f"{run_id}.log", HARNESS_TIMEOUT, env=env, cwd=ROOT)
    parts = tuple(cell_part(c) for c in cells_of(scratch.results / run_id))
    ok = done.ok and len(parts) == expected and all(p.ok for p in parts)
    missing = f"{expected - len(parts)} cells without a result" if len(parts) < expected else ""
    detail = "; ".join(x for x in (_failure(done), missing) if x)
    return Run(ok, done.duration, parts, detail, command=_display(argv))


def measure_resolve(config: Config, scratch: Scratch, run_id: str, env: Dict[str, str]) -> Run:
    """`python -m harness resolve` on the whole matrix (no selection): what CI's dry-resolution job runs."""
    argv = [sys.executable, "-m", "harness", "resolve", "--matrix", str(config.matrix), "--platform",
            RESOLVE_PLATFORM, "--out", str(scratch.results), "--run-id", run_id]
    done = run_logged(argv, scratch.logs / f"{run_id}.log", RESOLVE_TIMEOUT, env=env, cwd=ROOT)
    cells = cells_of(scratch.results / run_id)
    counts = Counter(c.status for c in cells)
    detail = f"{len(cells)} cells: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if not done.ok:
        detail += f"; {_failure(done)}"
    return Run(done.ok and bool(cells), done.duration, tuple(cell_part(c) for c in cells), detail,
               command=_display(argv))


def _display(argv: Sequence[str]) -> Tuple[str, ...]:
    """The argv as a reader would type it: `python`, not this machine's interpreter path."""
    return ("python",) + tuple(str(a) for a in argv[1:])


# ----------------------------------------------------------------------------- (d) the chain


def provision_model(config: Config, matrix: matrix_mod.Matrix, scratch: Scratch) -> Tuple[Path, Optional[float]]:
    """The MODEL_PATH for the chain and how long provisioning took (None when an existing one was given)."""
    if config.model_dir is not None:
        return config.model_dir, None
    if os.environ.get("MODEL_PATH"):  # what `python -m harness run` uses too
        return Path(os.environ["MODEL_PATH"]), None
    if matrix.chain.model_dir:
        return matrix.resolve_path(matrix.chain.model_dir), None
    from harness.chain.model import ensure_model  # network: the install-time step, never inside the chain

    started = time.monotonic()
    info = ensure_model(scratch.models)
    return Path(info.root), time.monotonic() - started


def measure_chain(config: Config, matrix: matrix_mod.Matrix, scratch: Scratch, cell: CellPlan,
                  item: Path) -> ChainRun:
    """The five built-in stages on the item in the cell's kept venv; CPU of the whole process tree."""
    venv = scratch.work / "single-warm" / cell.key
    shown = _shown_path(item)
    failed = ChainRun(python=cell.python, item=shown, ok=False, wall_s=0.0, cpu_s=None, stages_cpu_s=None)
    if not venv_python(venv).exists():
        return replace(failed, detail=f"no venv: {cell.key} did not pass")
    if not item.is_dir():
        return replace(failed, detail=f"no sample item at {item}")
    try:
        model_dir, model_s = provision_model(config, matrix, scratch)
    except Exception as exc:  # noqa: BLE001 - any provisioning failure is this figure's outcome
        return replace(failed, detail=f"model: {exc}")
    report = scratch.chain / "chain.json"
    argv = [sys.executable, "-m", "harness.chain", "run", "--item", str(item), "--venv-python",
            str(venv_python(venv)), "--model-dir", str(model_dir), "--out", str(scratch.chain), "--json", str(report)]
    before = children_cpu()
    done = run_logged(argv, scratch.logs / "chain.log", CHAIN_TIMEOUT, env=dict(os.environ), cwd=ROOT)
    after = children_cpu()
    payload = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    stages = tuple(Part(s["name"], s["status"] == PASSED, float(s.get("duration", 0.0)),
                        detail=f"{s['status']}: {s.get('message', '')}".rstrip(": "))
                   for s in payload.get("steps", ()))
    ok = done.ok and bool(stages) and all(s.ok for s in stages)
    why = "" if ok else (_failure(done) or "a stage did not pass") + f"; log {scratch.logs / 'chain.log'}"
    return ChainRun(python=cell.python, item=shown, ok=ok, wall_s=done.duration,
                    cpu_s=None if before is None or after is None else after - before,
                    stages_cpu_s=payload.get("cpu_s"), stages=stages, model_s=model_s, detail=why)


def _shown_path(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------- the whole benchmark


class Say:
    """Progress lines with the elapsed time: the benchmark runs for many minutes."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, text: str) -> None:
        print(f"[bench {time.monotonic() - self.started:7.1f}s] {text}", flush=True)


def chain_item(config: Config, matrix: matrix_mod.Matrix) -> Path:
    return config.item if config.item is not None else matrix.resolve_path(matrix.chain.item)


def measure(config: Config, matrix: matrix_mod.Matrix, cells: Sequence[CellPlan], scratch: Scratch,
            machine: Machine, say: Callable[[str], None]) -> Figures:
    """Every part in turn, on one scratch folder: one heavy job at a time."""
    scratch.make()
    notes = ("interpreters: --no-python-downloads (no `uv python install` attempt)",) \
        if config.no_python_downloads else ()
    figures = Figures(machine=machine, pack=matrix.pack.requirement, pythons=config.pythons,
                      strategies=tuple(dict.fromkeys(c.strategy.id for c in cells)), workers=config.workers,
                      resolve_platform=RESOLVE_PLATFORM, notes=notes)
    if not config.skip_baseline:
        figures = replace(figures, baseline=measure_baseline(cells, matrix, scratch, config, say))
        if not config.keep:
            remove_tree(scratch.pip_cache)  # the harness runs need the room
    figures = measure_harness(config, matrix, cells, scratch, figures, say)
    if not config.skip_peers:
        finder = InterpreterFinder(ProvisionOptions(allow_download=not config.no_python_downloads,
                                                    timeout=matrix.timeouts["provision"]))
        nox, tox = measure_peers(matrix, cells, scratch.peers, scratch.uv_cache, finder, scratch.logs, say)
        figures = replace(figures, nox_peer=nox, tox_peer=tox)
    if not config.skip_resolve:
        env = harness_env(scratch.resolve_cache, scratch.harness_pip_cache)
        runs = []
        for run_id in ("resolve-cold", "resolve-warm"):
            say(f"(e) dry resolution of the whole matrix for {RESOLVE_PLATFORM}, {run_id.split('-')[1]} cache")
            runs.append(measure_resolve(config, scratch, run_id, env))
            say(f"    {run_id}: {runs[-1].wall_s:.1f} s, {runs[-1].detail}")
        figures = replace(figures, resolve_cold=runs[0], resolve_warm=runs[1])
    if not config.skip_main_job:
        figures = measure_main(config, scratch, figures, say)
    return figures


def measure_main(config: Config, scratch: Scratch, figures: Figures, say: Callable[[str], None]) -> Figures:
    """(g) ./run.sh matrix cold, then warm on the same folders; the parts before are done with their caches."""
    if not config.keep:
        remove_tree(scratch.uv_cache)  # its own, filled by (b); the main job's caches need the room
    dirs = MainJobDirs.under(scratch.main)
    dirs.make()
    runs = []
    for run_id in ("main-cold", "main-warm"):
        say(f"(g) main job ./run.sh matrix, {run_id.split('-')[1]}, {config.workers} workers; load {load_average()}")
        runs.append(measure_main_job(dirs, run_id, config.workers, scratch.logs, say))
    return replace(figures, main_cold=runs[0], main_warm=runs[1])


def measure_harness(config: Config, matrix: matrix_mod.Matrix, cells: Sequence[CellPlan], scratch: Scratch,
                    figures: Figures, say: Callable[[str], None]) -> Figures:
    """(b) cold, (c) warm, one cell alone on the warm cache, then (d) the chain in that cell's kept venv."""
    env = harness_env(scratch.uv_cache, scratch.harness_pip_cache)
    runs = []
    for run_id, part in (("cold", "b"), ("warm", "c")):
        say(f"({part}) harness run, {run_id} cache: {len(cells)} cells, {config.workers} workers")
        run = harness_run(config, scratch, run_id, config.pythons, config.strategies, env, len(cells))
        if run.ok:
            run = replace(run, detail=f"uv cache after this run: {folder_mib(scratch.uv_cache):.0f} MiB")
        say(f"    {run_id}: {run.wall_s:.1f} s, {len(run.parts) - len(run.failed)}/{len(cells)} cells passed")
        runs.append(run)
    figures = replace(figures, harness_cold=runs[0], harness_warm=runs[1])
    single = next((c for c in cells if c.python == config.chain_python), cells[0])
    say(f"(c) one cell alone, warm cache: {single.key}")
    keep_venv = () if config.skip_chain else ("--keep-venvs",)
    run = harness_run(config, scratch, "single-warm", [single.python], [single.strategy.id], env, 1, keep_venv)
    say(f"    single-warm: {run.wall_s:.1f} s, install {seconds(run.parts[0].install_s if run.parts else None)}")
    figures = replace(figures, single_warm=run)
    if config.skip_chain:
        return figures
    item = chain_item(config, matrix)
    say(f"(d) smoke chain on {_shown_path(item)} in {single.key}'s venv")
    chain = measure_chain(config, matrix, scratch, single, item)
    say(f"    chain: wall {chain.wall_s:.1f} s, CPU {seconds(chain.cpu_s)}, {'ok' if chain.ok else 'FAILED'}")
    if (scratch.work / "single-warm").exists():
        remove_tree(scratch.work / "single-warm")
    notes = (f"chain item given with --item: {_shown_path(item)} (matrix.yaml names {matrix.chain.item})",) \
        if config.item is not None else ()
    return replace(figures, chain=chain, notes=figures.notes + notes)


def all_ok(figures: Figures) -> bool:
    runs = [figures.baseline, figures.harness_cold, figures.harness_warm, figures.single_warm,
            figures.resolve_cold, figures.resolve_warm, figures.nox_peer, figures.tox_peer, figures.main_cold,
            figures.main_warm]
    return all(r.ok for r in runs if r is not None) and (figures.chain is None or figures.chain.ok)


def main(argv: Optional[Sequence[str]] = None) -> int:
    config = parse_config(argv)
    matrix = matrix_mod.load(config.matrix)
    cells = plan_cells(matrix, config.pythons, config.strategies)
    if not cells:
        print("error: the selection leaves no cells to measure", file=sys.stderr)
        return 2
    config.scratch_root.mkdir(parents=True, exist_ok=True)
    try:
        free = check_free_disk(config.scratch_root, MIN_FREE_GIB + (0.0 if config.skip_main_job else MAIN_JOB_GIB))
    except InsufficientDiskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    say = Say()
    machine = machine_facts(free)
    scratch = Scratch.under(Path(tempfile.mkdtemp(prefix="matrix-speed-", dir=str(config.scratch_root))))
    say(f"{len(cells)} cells; scratch {scratch.root}; load average {machine.load_before}")
    try:
        figures = measure(config, matrix, cells, scratch, machine, say)
    except KeyboardInterrupt:
        kill_all()
        print("interrupted: no figures", file=sys.stderr)
        return 130
    finally:
        if config.keep:
            say(f"kept {scratch.root}")
        elif scratch.root.exists():
            remove_tree(scratch.root)
    figures = replace(figures, machine=replace(figures.machine, load_after=load_average()))
    print()
    print(format_report(figures), end="")
    if config.json_out is not None:
        config.json_out.parent.mkdir(parents=True, exist_ok=True)
        config.json_out.write_text(json.dumps(figures.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {config.json_out}")
    return 0 if all_ok(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
