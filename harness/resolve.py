"""Dry resolution: what would a strategy install on another platform, file by file?

Two resolvers answer, each the way it really resolves:

* uv, for every strategy: ``uv pip compile --python-platform TRIPLE`` reads
  the target's wheel tags and evaluates markers for it; its pylock output
  names the file it would take for each distribution.
* pip, for pip strategies (the product's): ``pip install --dry-run --report``
  with ``--platform``/``--python-version``/``--abi``, run through
  :mod:`harness.plan.pipdriver` so that environment markers are evaluated for
  the target and not for this host (:mod:`harness.plan.pipplan`).

A pip strategy's cell is pip's verdict; uv's rides along as its cross-check,
and where the two disagree the table shows both (:mod:`harness.plan.compare`).
Neither can build or import anything: ✅ means "the resolver finds a wheel for
every distribution", and the plan's files are what a lock pins
(:mod:`harness.plan.lock`) and what the MAX_PATH budget is read from
(:mod:`harness.plan.wheelpaths`).
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from harness.diagnose import DiagnoseContext
from harness.install.commands import compile_argv, expand_requirements, expand_substitutions, substitute
from harness.install.installer import opt_in_missing
from harness.matrix import InstallStep, Matrix, Strategy
from harness.plan import pipplan
from harness.plan.compare import Plan, cross_check
from harness.plan.pylock import LockError, distributions_of
from harness.plan.targets import PLATFORMS, TargetPlatform
from harness.plan.wheelpaths import WheelPathReader, default_cache_dir
from harness.proc import ProcResult, clean_env, run_logged
from harness.results import (
    FAILED,
    PASSED,
    SKIPPED,
    TIMEOUT,
    CellResult,
    Distribution,
    StepKind,
    StepResult,
    write_cell,
)
from harness.steps import proc_step
from harness.versions import pin

__all__ = ["PLATFORMS", "TargetPlatform", "ResolveOptions", "resolve_cell", "resolve_matrix", "parse_compiled"]

UV, PIP = "uv", "pip"

Compiler = Callable[[Sequence[str], Path, float, Mapping[str, str]], ProcResult]


def run_compiler(argv: Sequence[str], log: Path, timeout: float, env: Mapping[str, str]) -> ProcResult:
    return run_logged(argv, log, timeout, env=env)


class CompileMemo:
    """Identical resolutions run once per run.

    ``default``, ``default-pip``, ``bootstrap``'s install and the members of
    ``resilient`` ask the resolver the very same question; a repeat is answered
    from the first run's output (its log and its plan file, copied to the
    repeat's own paths, the log marked so).
    """

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self._done: Dict[Tuple[str, ...], Tuple[ProcResult, str, Optional[bytes]]] = {}
        self._locks: Dict[Tuple[str, ...], threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, key: Tuple[str, ...], argv: Sequence[str], log: Path, timeout: float,
                 env: Mapping[str, str], sidecar: Optional[Path] = None) -> ProcResult:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                done = self.compiler(argv, log, timeout, env)
                saved = sidecar.read_bytes() if sidecar is not None and sidecar.is_file() else None
                self._done[key] = (done, log.read_text(encoding="utf-8", errors="replace"), saved)
                return done
            first, text, saved = self._done[key]
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text + "[harness] same inputs as an earlier step of this run: its resolution is reused\n",
                       encoding="utf-8")
        if sidecar is not None and saved is not None:
            sidecar.write_bytes(saved)
        return ProcResult(tuple(argv), first.returncode, first.timed_out, 0.0, log)


@dataclass(frozen=True)
class ResolveOptions:
    platform: TargetPlatform
    out_dir: Path
    run_id: str
    allow_source_builds: bool = False
    workers: int = 4
    timeout: float = 300.0
    uv: str = "uv"
    compiler: Compiler = run_compiler  # injected in unit tests with recorded resolver output
    memo: Optional[CompileMemo] = None  # set by resolve_matrix: one per run
    pip_for_pip_strategies: bool = True  # pip's own verdict for pip strategies (uv's as the cross-check)
    pip_python: str = sys.executable  # the interpreter whose pip plans (the harness's own)
    metadata_cache: Optional[Path] = field(default_factory=lambda: default_cache_dir().parent / "wheel-metadata")
    wheel_paths: Optional[WheelPathReader] = None  # reads the MAX_PATH budget of Windows plans
    read_wheel_paths: bool = True  # resolve_matrix makes a WheelPathReader when none is given
    write_locks: bool = True  # resolve_matrix writes <run>/locks/ from the cells that resolve
    inspect_wheels: bool = False  # predict DLL load failures from the PE imports of the Windows plan's binaries


def parse_compiled(text: str) -> Dict[str, str]:
    """``name==version`` lines of uv's compile output → {name: version} (names normalised)."""
    return dict(filter(None, (pin(line) for line in text.splitlines())))


def resolve_cell(matrix: Matrix, strategy: Strategy, python: str, options: ResolveOptions) -> CellResult:
    started = time.monotonic()
    by_pip = strategy.installer == "pip" and options.pip_for_pip_strategies
    base = CellResult(
        run_id=options.run_id, python=python, strategy=strategy.id,
        installer=f"{strategy.installer} (dry, {PIP if by_pip else UV})",
        status=FAILED, target=options.platform.tag, pack=matrix.pack.requirement,
        started_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    skip = opt_in_missing(strategy, options.allow_source_builds)
    if skip:
        return _finish(base, Plan(UV, SKIPPED, (), reason=skip), started)
    log_dir = options.out_dir / options.run_id / "logs" / base.key
    if not by_pip:
        return _finish(base, _plan_cell(matrix, strategy, python, options, UV, log_dir), started, options)
    # The two resolvers wait on the network, not on each other: ask both at once.
    with ThreadPoolExecutor(max_workers=2) as pair:
        asked_uv = pair.submit(_plan_cell, matrix, strategy, python, options, UV, log_dir)
        pip_plan = _plan_cell(matrix, strategy, python, options, PIP, log_dir)
        uv_plan = asked_uv.result()
    check = cross_check(pip_plan, uv_plan)
    shown = tuple(replace(s, name=f"uv:{s.name}", kind=StepKind.CROSS_CHECK) for s in uv_plan.steps)
    merged = replace(pip_plan, steps=pip_plan.steps + shown)
    return replace(_finish(base, merged, started, options), cross_check=check)


def _plan_cell(matrix: Matrix, strategy: Strategy, python: str, options: ResolveOptions, resolver: str,
               log_dir: Path) -> Plan:
    """The cell as one resolver sees it: each member of a fallback in order, the first that resolves wins."""
    members = [matrix.strategy(m) for m in strategy.fallback] if strategy.is_fallback else [strategy]
    steps: List[StepResult] = []
    for member in members:
        prefix = f"{member.id}/" if strategy.is_fallback else ""
        why_not = opt_in_missing(member, options.allow_source_builds) or _cannot_plan(member, resolver)
        if why_not:
            if not strategy.is_fallback:
                return Plan(resolver, SKIPPED, (), reason=why_not)
            steps.append(StepResult(name=member.id, status=SKIPPED, kind=StepKind.INSTALL, message=why_not))
            continue
        member_steps, versions, dists = _resolve_member(matrix, member, python, options, prefix, log_dir, resolver)
        steps.extend(member_steps)
        if versions:
            winner = member.id if strategy.is_fallback else None
            return Plan(resolver, PASSED, tuple(steps), versions, dists, winner)
    status = TIMEOUT if steps and steps[-1].status == TIMEOUT else FAILED
    return Plan(resolver, status, tuple(steps))


def _cannot_plan(strategy: Strategy, resolver: str) -> Optional[str]:
    if resolver != PIP:
        return None
    for step in strategy.steps:
        why = pipplan.needs_sources(step.args)
        if why:
            return why
    return None


def _resolve_member(matrix: Matrix, strategy: Strategy, python: str, options: ResolveOptions, prefix: str,
                    log_dir: Path, resolver: str) -> Tuple[List[StepResult], Dict[str, str], Tuple[Distribution, ...]]:
    """Resolve each step (retrying with its substitutions); versions are empty when a step stays unresolved.

    A dry run's steps do not depend on each other (nothing is installed), so every question of the
    member -- each step and its substituted retry -- is asked at once and the answers are then read
    in the order an install would meet them. The wall time is the slowest question, not their sum.
    The plan's files are the pack's steps' (the bootstrap's pip/setuptools/wheel are not part of a lock).
    """
    ask = _pip_step if resolver == PIP else _uv_step
    questions = []
    for step in strategy.steps:
        requirements = expand_requirements(step, matrix, python)
        if requirements:
            retried = substitute(requirements, expand_substitutions(step, matrix)) if step.substitutions else None
            questions.append((step, requirements, retried if retried != requirements else None))
    steps: List[StepResult] = []
    versions: Dict[str, str] = {}
    files: Dict[str, Distribution] = {}
    with ThreadPoolExecutor(max_workers=max(1, 2 * len(questions))) as pool:
        asked = [(step, pool.submit(ask, matrix, strategy, step, requirements, python, options,
                                    prefix + step.name, log_dir),
                  retried and pool.submit(ask, matrix, strategy, step, retried, python, options,
                                          prefix + step.name + "-retry", log_dir))
                 for step, requirements, retried in questions]
        for step, first, retry in asked:
            result, found = first.result()
            steps.append(result)
            if not result.ok and retry and result.status != TIMEOUT:
                result, found = retry.result()
                steps.append(result)
            if not result.ok:
                return steps, {}, ()
            versions.update({d.name: d.version for d in found} or result.metrics.get("resolved", {}))
            if step.name not in _TOOLING_STEPS:
                files.update({d.name: d for d in found})
    return steps, versions, tuple(sorted(files.values(), key=lambda d: d.name))


# Steps that prepare the venv's own tools; their files are not part of the pack's plan.
_TOOLING_STEPS = ("bootstrap", "build-backends")


def _log_path(log_dir: Path, name: str, resolver: str) -> Path:
    tag = "" if resolver == UV else ".pip"
    return log_dir / f"{name.replace('/', '--')}{tag}.log"


def _ask(key: Tuple[str, ...], argv: Sequence[str], log: Path, options: ResolveOptions, sidecar: Path) -> ProcResult:
    env = clean_env()
    if options.memo is not None:
        return options.memo(key, argv, log, options.timeout, env, sidecar)
    return options.compiler(argv, log, options.timeout, env)


def _uv_step(matrix: Matrix, strategy: Strategy, step: InstallStep, requirements: Sequence[str], python: str,
             options: ResolveOptions, name: str, log_dir: Path) -> Tuple[StepResult, Tuple[Distribution, ...]]:
    log = _log_path(log_dir, name, UV)
    plan_file = log.parent / f"pylock.{log.stem.replace('.', '_')}.toml"  # uv insists on PEP 751's file names
    plan_file.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="resolve-") as scratch:
        req_file = Path(scratch) / "requirements.in"
        req_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        argv = compile_argv(step.args, req_file, python, options.platform.uv_platform, uv=options.uv,
                            pylock=plan_file)
        key = (UV,) + tuple(a for a in argv[:-1] if a != str(plan_file)) + ("--",) + tuple(requirements)
        done = _ask(key, argv, log, options, plan_file)
    dists: Tuple[Distribution, ...] = ()
    if done.ok and plan_file.is_file():
        try:
            dists = distributions_of(plan_file)
        except LockError:
            dists = ()
    return _step_result(matrix, strategy, name, log, done, python, options, dists), dists


def _pip_step(matrix: Matrix, strategy: Strategy, step: InstallStep, requirements: Sequence[str], python: str,
              options: ResolveOptions, name: str, log_dir: Path) -> Tuple[StepResult, Tuple[Distribution, ...]]:
    log = _log_path(log_dir, name, PIP)
    report = log.with_suffix(".report.json")
    report.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="resolve-pip-") as scratch:
        markers = Path(scratch) / "markers.json"
        config = {"markers": options.platform.marker_environment(python),
                  "metadata_cache": str(options.metadata_cache) if options.metadata_cache else None}
        markers.write_text(json.dumps(config), encoding="utf-8")
        argv = pipplan.dry_run_argv(options.platform, python, step.args, requirements, markers, report,
                                    Path(scratch) / "target", python_exe=options.pip_python)
        done = _ask((PIP,) + pipplan.question(argv, requirements), argv, log, options, report)
    dists: Tuple[Distribution, ...] = ()
    if done.ok and report.is_file():
        dists = pipplan.read_report(report)
    return _step_result(matrix, strategy, name, log, done, python, options, dists, resolver=PIP), dists


def _step_result(matrix: Matrix, strategy: Strategy, name: str, log: Path, done: ProcResult, python: str,
                 options: ResolveOptions, dists: Tuple[Distribution, ...], resolver: str = UV) -> StepResult:
    context = DiagnoseContext(python=python, pack=matrix.pack.requirement, installer=strategy.installer,
                              platform=options.platform.name, strategy=strategy.id)
    text = log.read_text(encoding="utf-8", errors="replace")
    found = {d.name: d.version for d in dists} or (parse_compiled(text) if done.ok and resolver == UV else {})
    shown = ", ".join(f"{k} {found[k]}" for k in KEY_PACKAGES if k in found)
    metrics: Dict[str, object] = {"resolved": found} if found else {}
    if dists:
        metrics["distributions"] = len(dists)
    return proc_step(name, replace(done, log_path=log), StepKind.INSTALL, context, message=shown, metrics=metrics)


KEY_PACKAGES = ("spleeter", "tensorflow", "tensorflow-intel", "tensorflow-io-gcs-filesystem", "numpy")


def _finish(base: CellResult, plan: Plan, started: float, options: Optional[ResolveOptions] = None) -> CellResult:
    key = {k: v for k, v in plan.versions.items() if k in KEY_PACKAGES}
    budget = None
    if (plan.status == PASSED and plan.distributions and options is not None and options.platform.is_windows
            and options.wheel_paths is not None):
        budget = options.wheel_paths.budget(plan.distributions)
    steps = plan.steps
    if plan.status == PASSED and plan.distributions and options is not None and options.inspect_wheels \
            and options.platform.is_windows:
        steps += (_INSPECTIONS.step(plan.distributions),)
    return replace(base, status=plan.status, steps=steps, versions=key, winner=plan.winner, reason=plan.reason,
                   distributions=plan.distributions, path_budget=budget,
                   duration=round(time.monotonic() - started, 2))


class _Inspections:
    """One PE-import inspection per distinct file set: resilient and its winning member share theirs."""

    def __init__(self) -> None:
        self._done: Dict[Tuple[str, ...], StepResult] = {}
        self._guard = threading.Lock()

    def step(self, distributions: Sequence[Distribution]) -> StepResult:
        from harness.plan.peimports import inspect_plan, inspection_step

        key = tuple(sorted(d.url for d in distributions))
        with self._guard:  # one at a time: each reads hundreds of binaries over the network
            if key not in self._done:
                started = time.monotonic()
                try:
                    step = inspection_step(inspect_plan(distributions))
                except (OSError, zipfile.BadZipFile, ValueError) as exc:  # offline, an index error
                    step = StepResult(name="inspect-wheels", status=SKIPPED, kind=StepKind.CROSS_CHECK,
                                      message=f"could not read the plan's binaries: {type(exc).__name__}: {exc}")
                self._done[key] = replace(step, duration=round(time.monotonic() - started, 2))
            return self._done[key]


_INSPECTIONS = _Inspections()


def _pins_anything(strategy: Strategy) -> bool:
    return any(step.pins for step in strategy.steps)


def resolve_matrix(matrix: Matrix, cells: Sequence[Tuple[str, Strategy]], options: ResolveOptions,
                   progress: Optional[Callable[[str, str], None]] = None) -> List[CellResult]:
    """Resolve every (python, strategy) cell in parallel; each cell's JSON is written as it ends."""
    run_dir = options.out_dir / options.run_id
    if options.memo is None:
        options = replace(options, memo=CompileMemo(options.compiler))
    if options.inspect_wheels:
        from harness.plan.peimports import require_pefile

        require_pefile()
    if options.wheel_paths is None and options.read_wheel_paths and options.platform.is_windows:
        options = replace(options, wheel_paths=WheelPathReader())

    def one(cell: Tuple[str, Strategy]) -> CellResult:
        python, strategy = cell
        result = resolve_cell(matrix, strategy, python, options)
        write_cell(run_dir, result)
        if progress:
            progress(result.key, f"resolved for {options.platform.tag}: {result.status}")
        return result

    # The longest cells first: a fallback's or a pin set's plan is a full TensorFlow resolution per
    # resolver; started last they would set the wall time alone. Results keep the given order.
    order = sorted(range(len(cells)), key=lambda n: not (cells[n][1].is_fallback or _pins_anything(cells[n][1])))
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        futures = {n: pool.submit(one, cells[n]) for n in order}
        results = [futures[n].result() for n in range(len(cells))]
    if options.write_locks:
        from harness.plan.lock import write_locks

        for path in write_locks(run_dir, results, [s.id for s in matrix.strategies]):
            if progress:
                progress("lock", f"wrote {path}")
    return results


def resolve_for(matrix: Matrix, cells: Sequence[Tuple[str, Strategy]], target: str, out: Path, run_id: str, *,
                allow_source_builds: bool = False, workers: int = 8, uv: str = "uv", inspect_wheels: bool = False,
                progress: Optional[Callable[[str, str], None]] = None) -> List[CellResult]:
    """``harness resolve`` and ``run --resolve``: the cells' dry resolution for the platform named ``target``."""
    options = ResolveOptions(platform=PLATFORMS[target], out_dir=out, run_id=run_id,
                             allow_source_builds=allow_source_builds, workers=max(1, workers), uv=uv,
                             inspect_wheels=inspect_wheels)
    return resolve_matrix(matrix, cells, options, progress)
