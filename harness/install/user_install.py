"""``python -m harness install``: the resilient installer as a user's machine runs it.

It is the matrix's own code path (:func:`run_strategy`), wrapped with what a
person needs: the interpreter fallback when no Python is named, a venv that is
safe to replace, a progress line per step, and on failure the full diagnosis
(blocker, next action, manual fallback) instead of a log dump.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from harness import matrix as matrix_mod
from harness.console import DIAGNOSIS_GLYPHS, can_encode
from harness.diagnose import interpreter_unavailable, render
from harness.errors import UsageError
from harness.install.installer import InstallOutcome, InstallRequest, run_strategy
from harness.matrix import Matrix, Strategy
from harness.provision import InterpreterFinder, ProvisionOptions
from harness.results import PASSED, SKIPPED, Diagnosis, InterpreterInfo, PathBudget, StepResult
from harness.rundir import MARKER, is_owned


def check_target(venv: Path) -> None:
    """Refuse to replace a folder this installer did not create: the install deletes what is there.

    A venv is recognised by the marker the harness writes into every venv it makes, not by
    ``pyvenv.cfg``: a venv someone else made may hold their work.
    """
    if venv.exists() and (not venv.is_dir() or any(venv.iterdir())) and not is_owned(venv):
        raise UsageError(f"{venv} exists, is not empty and is not a venv the harness created (no {MARKER} "
                         "file); choose another --venv (the install replaces its target) or delete it yourself")


def pythons_to_try(requested: Optional[str], fallback: Sequence[str]) -> List[str]:
    return [requested] if requested else list(fallback)


def lock_for(lock: Path, python: str) -> Optional[Path]:
    """``--lock`` as given, or in a locks folder the win_amd64 pylock of this Python (None when it has none)."""
    if not lock.is_dir():
        return lock
    from harness.plan.lock import lock_stem

    candidate = lock / f"pylock.{lock_stem('win_amd64', python)}.toml"
    return candidate if candidate.is_file() else None


def path_budget(lock: Optional[Path], python: str) -> Optional[PathBudget]:
    """The MAX_PATH budget the install checks: the lock's (computed from its wheels), else the measured constant."""
    chosen = lock_for(lock, python) if lock is not None else None
    if chosen is None:
        if lock is not None:
            _say(f"path budget: no win_amd64 lock for Python {python} in {lock}; using the measured constant")
        return None
    from harness.plan.pylock import LockError
    from harness.plan.wheelpaths import budget_from_lock

    try:
        budget = budget_from_lock(chosen)
    except LockError as exc:
        raise UsageError(str(exc)) from None
    _say(f"path budget: the venv root may be at most {budget.venv_root_max} characters ({budget.source})")
    return budget


@dataclass(frozen=True)
class UserInstall:
    """What the interpreter fallback came to: the last interpreter tried, its outcome, the root cause."""

    python: Optional[str]
    interpreter: Optional[InterpreterInfo]
    outcome: Optional[InstallOutcome]
    diagnosis: Optional[Diagnosis]

    @property
    def ok(self) -> bool:
        return self.outcome is not None and self.outcome.status == PASSED


def install_with_fallback(args: argparse.Namespace, matrix: Matrix, strategy: Strategy, venv: Path,
                          log_dir: Path) -> UserInstall:
    """The strategy on the named Python, or on each of the matrix's fallback Pythons until one passes."""
    finder = InterpreterFinder(ProvisionOptions(allow_download=not args.no_python_downloads,
                                                timeout=matrix.timeouts["provision"], uv=args.uv))
    last = UserInstall(None, None, None, None)
    for python in pythons_to_try(args.python, matrix.interpreter_fallback):
        interpreter, attempts = finder.find(python)
        if interpreter is None:
            missing = interpreter_unavailable(python, [f"{a.source}: {a.detail}" for a in attempts])
            _say(f"Python {python}: not available ({missing.summary or missing.category})")
            last = UserInstall(python, None, None, missing)
            continue
        _say(f"Python {python}: {interpreter.path} ({interpreter.version}, {interpreter.source})")
        budget = path_budget(getattr(args, "lock", None), python)
        request = InstallRequest(matrix=matrix, strategy=strategy, python=python, interpreter=interpreter,
                                 venv_dir=venv, log_dir=log_dir / python, allow_source_builds=args.allow_source_builds,
                                 keep_user_config=args.use_pip_config, uv=args.uv, path_budget=budget,
                                 refuse_unfit_path=True)
        outcome = run_strategy(request)
        for step in outcome.steps:
            _say(f"  {step.status:<7} {step.name}" + (f"  ({step.message})" if step.message else ""))
        last = UserInstall(python, interpreter, outcome, _root_cause(outcome) or last.diagnosis)
        if last.ok:
            won = f" by {outcome.winner}" if outcome.winner else ""
            _say(f"installed {matrix.pack.requirement} into {venv}{won}: " +
                 ", ".join(f"{k} {v}" for k, v in sorted(outcome.versions.items())))
            return last
    return last


def load_strategy(args: argparse.Namespace) -> Tuple[Matrix, Strategy]:
    matrix = matrix_mod.load(args.matrix)
    try:
        return matrix, matrix.strategy(args.strategy)
    except KeyError:
        raise UsageError(f"--strategy {args.strategy!r} is not in {args.matrix.name}") from None


def install_for_user(args: argparse.Namespace) -> int:
    matrix, strategy = load_strategy(args)
    venv = Path(args.venv).absolute()
    check_target(venv)
    log_dir = (args.log_dir or venv.with_name(venv.name + "-logs")).absolute()
    done = install_with_fallback(args, matrix, strategy, venv, log_dir)
    if done.ok:
        return 0
    if done.diagnosis is not None:
        print(render(done.diagnosis, ascii_only=args.ascii or not can_encode(sys.stderr, DIAGNOSIS_GLYPHS)),
              file=sys.stderr)
    print(f"logs: {log_dir}", file=sys.stderr)
    return 1


def _root_cause(outcome: InstallOutcome) -> Optional[Diagnosis]:
    failed = [s for s in outcome.steps if s.status not in (PASSED, SKIPPED) and s.diagnosis]
    real = [s for s in failed if s.kind != "preflight"]
    chosen: List[StepResult] = real or failed
    return chosen[0].diagnosis if chosen else None


def _say(text: str) -> None:
    print(text, flush=True)
