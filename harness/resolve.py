"""Dry resolution: would a strategy's requirements resolve for another platform?

``uv pip compile --python-platform x86_64-pc-windows-msvc`` answers, from any
OS and in seconds, the question a Windows runner answers in minutes: it reads
the same wheel tags. It cannot run a build or an import, so ✅ here means
"the resolver finds wheels for every pin", not "it works". It is uv's
resolver even for pip strategies: uv ignores the upper bound of a
dependency's Requires-Python where pip does not, so the two can differ
(the live table shows where).
"""
from __future__ import annotations

import datetime as _dt
import re
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from harness.diagnose import DiagnoseContext, diagnose_file, timeout_diagnosis
from harness.diagnose.reqs import canonical
from harness.install.commands import compile_argv, expand_requirements, expand_substitutions, substitute
from harness.install.installer import opt_in_missing
from harness.matrix import InstallStep, Matrix, Strategy
from harness.proc import ProcResult, clean_env, log_tail, run_logged
from harness.report.table import DRY_PREFIX
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT, CellResult, StepResult, write_cell


@dataclass(frozen=True)
class TargetPlatform:
    name: str  # what the user types: windows | linux | macos
    uv_platform: str  # uv's --python-platform
    tag: str  # the wheel tag family shown in the table

    @property
    def column(self) -> str:
        return DRY_PREFIX + self.tag


PLATFORMS = {
    "windows": TargetPlatform("windows", "x86_64-pc-windows-msvc", "win_amd64"),
    "linux": TargetPlatform("linux", "x86_64-manylinux_2_28", "manylinux_x86_64"),
    "macos": TargetPlatform("macos", "aarch64-apple-darwin", "macosx_arm64"),
}
LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)")


Compiler = Callable[[Sequence[str], Path, float, Mapping[str, str]], ProcResult]


def run_compiler(argv: Sequence[str], log: Path, timeout: float, env: Mapping[str, str]) -> ProcResult:
    return run_logged(argv, log, timeout, env=env)


class CompileMemo:
    """Identical resolutions run once per run.

    ``default``, ``default-pip``, ``bootstrap``'s install and the members of
    ``resilient`` ask the resolver the very same question; a repeat is answered
    from the first run's output (copied into the repeat's own log, marked so).
    """

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self._done: Dict[Tuple[str, ...], Tuple[ProcResult, str]] = {}
        self._locks: Dict[Tuple[str, ...], threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, key: Tuple[str, ...], argv: Sequence[str], log: Path, timeout: float,
                 env: Mapping[str, str]) -> ProcResult:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                done = self.compiler(argv, log, timeout, env)
                self._done[key] = (done, log.read_text(encoding="utf-8", errors="replace"))
                return done
            first, text = self._done[key]
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text + "[harness] same inputs as an earlier step of this run: its resolution is reused\n",
                       encoding="utf-8")
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


def parse_compiled(text: str) -> Dict[str, str]:
    """``name==version`` lines of uv's compile output → {name: version} (names normalised)."""
    found = {}
    for line in text.splitlines():
        match = LINE.match(line.strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def resolve_cell(matrix: Matrix, strategy: Strategy, python: str, options: ResolveOptions) -> CellResult:
    started = time.monotonic()
    base = CellResult(
        run_id=options.run_id, python=python, strategy=strategy.id, installer=f"{strategy.installer} (dry, uv)",
        status=FAILED, platform=options.platform.column, pack=matrix.pack.requirement,
        started_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    skip = opt_in_missing(strategy, options.allow_source_builds)
    if skip:
        return _finish(base, SKIPPED, (), started, reason=skip)
    members = [matrix.strategy(m) for m in strategy.fallback] if strategy.is_fallback else [strategy]
    log_dir = options.out_dir / options.run_id / "logs" / base.key
    steps: List[StepResult] = []
    for member in members:
        prefix = f"{member.id}/" if strategy.is_fallback else ""
        why_not = opt_in_missing(member, options.allow_source_builds)
        if why_not:
            steps.append(StepResult(name=member.id, status=SKIPPED, kind="install", message=why_not))
            continue
        member_steps, versions = _resolve_member(matrix, member, python, options, prefix, log_dir)
        steps.extend(member_steps)
        if versions:
            winner = member.id if strategy.is_fallback else None
            return _finish(base, PASSED, steps, started, versions=versions, winner=winner)
    status = TIMEOUT if steps and steps[-1].status == TIMEOUT else FAILED
    return _finish(base, status, steps, started)


def _resolve_member(matrix: Matrix, strategy: Strategy, python: str, options: ResolveOptions,
                    prefix: str, log_dir: Path) -> Tuple[List[StepResult], Dict[str, str]]:
    """Resolve each step (retrying with its substitutions); versions are empty when a step stays unresolved."""
    steps: List[StepResult] = []
    versions: Dict[str, str] = {}
    for step in strategy.steps:
        requirements = expand_requirements(step, matrix, python)
        if not requirements:
            continue
        result, found = _compile(matrix, strategy, step, requirements, python, options, prefix + step.name, log_dir)
        steps.append(result)
        if not result.ok and step.substitutions and result.status != TIMEOUT:
            retried = substitute(requirements, expand_substitutions(step, matrix))
            if retried != requirements:
                result, found = _compile(matrix, strategy, step, retried, python, options,
                                         prefix + step.name + "-retry", log_dir)
                steps.append(result)
        if not result.ok:
            return steps, {}
        versions.update(found)
    return steps, versions


def _compile(matrix: Matrix, strategy: Strategy, step: InstallStep, requirements: Sequence[str], python: str,
             options: ResolveOptions, name: str, log_dir: Path) -> Tuple[StepResult, Dict[str, str]]:
    log = log_dir / f"{name.replace('/', '--')}.log"
    with tempfile.TemporaryDirectory(prefix="resolve-") as scratch:
        req_file = Path(scratch) / "requirements.in"
        req_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        argv = compile_argv(step.args, req_file, python, options.platform.uv_platform, uv=options.uv)
        if options.memo is not None:
            key = tuple(argv[:-1]) + ("--",) + tuple(requirements)  # the question as uv would be asked it
            done = options.memo(key, argv, log, options.timeout, clean_env())
        else:
            done = options.compiler(argv, log, options.timeout, clean_env())
    context = DiagnoseContext(python=python, pack=matrix.pack.requirement, installer=strategy.installer,
                              platform=options.platform.name, strategy=strategy.id)
    text = log.read_text(encoding="utf-8", errors="replace")
    status = PASSED if done.ok else (TIMEOUT if done.timed_out else FAILED)
    diagnosis = None
    if status == TIMEOUT:
        diagnosis = timeout_diagnosis(name, done.duration, context)
    elif status == FAILED:
        diagnosis = diagnose_file(log, context)
    found = parse_compiled(text) if done.ok else {}
    shown = ", ".join(f"{k} {found[k]}" for k in _KEY_PACKAGES if k in found)
    return StepResult(
        name=name, status=status, duration=round(done.duration, 2), command=done.argv, returncode=done.returncode,
        log_path=str(log), log_tail="" if done.ok else log_tail(log), kind="install", diagnosis=diagnosis,
        message=diagnosis.headline() if diagnosis else shown, metrics={"resolved": found} if found else {},
    ), found


_KEY_PACKAGES = ("spleeter", "tensorflow", "tensorflow-intel", "tensorflow-io-gcs-filesystem", "numpy")


def _finish(base: CellResult, status: str, steps, started: float, versions: Optional[Dict[str, str]] = None,
            winner: Optional[str] = None, reason: str = "") -> CellResult:
    key = {k: v for k, v in (versions or {}).items() if k in _KEY_PACKAGES}
    return replace(base, status=status, steps=tuple(steps), versions=key, winner=winner, reason=reason,
                   duration=round(time.monotonic() - started, 2))


def resolve_matrix(matrix: Matrix, cells: Sequence[Tuple[str, Strategy]], options: ResolveOptions,
                   progress=None) -> List[CellResult]:
    """Resolve every (python, strategy) cell in parallel; each cell's JSON is written as it ends."""
    run_dir = options.out_dir / options.run_id
    if options.memo is None:
        options = replace(options, memo=CompileMemo(options.compiler))

    def one(cell: Tuple[str, Strategy]) -> CellResult:
        python, strategy = cell
        result = resolve_cell(matrix, strategy, python, options)
        write_cell(run_dir, result)
        if progress:
            progress(result.key, f"resolved for {options.platform.tag}: {result.status}")
        return result

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        return list(pool.map(one, cells))
