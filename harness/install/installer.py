"""Running a strategy into a venv: the code path both the matrix and ``harness install`` use.

A fallback strategy (``resilient``) tries its members in order, each from a
fresh venv so a half-finished attempt cannot make a later one pass or fail,
and stops at the first member whose install *and* import check pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from harness.chain.sameenv import Fingerprint, fingerprint, same_environment_as
from harness.diagnose import DiagnoseContext
from harness.install.commands import (
    expand_requirements,
    expand_substitutions,
    import_check_code,
    install_argv,
    parse_versions,
    pip_run_args,
    substitute,
)
from harness.install.preflight import (
    WARN,
    PreflightOptions,
    ProbeError,
    SystemProbes,
    blocking,
    probe_target,
    run_checks,
    summary_line,
)
from harness.install.share import ChecksOnce, InstallShare, SharedInstall, install_key, same_resolution_as
from harness.lifetime import IS_WINDOWS
from harness.matrix import InstallStep, Matrix, Strategy, requirement_name
from harness.plan.pipplan import FAST_DEPS, read_report
from harness.proc import ProcResult, clean_env, run_logged
from harness.provision import create_venv, venv_python
from harness.results import (
    FAILED,
    PASSED,
    SKIPPED,
    TIMEOUT,
    Distribution,
    InterpreterInfo,
    PathBudget,
    Status,
    StepKind,
    StepResult,
)
from harness.steps import proc_step


@dataclass(frozen=True)
class InstallRequest:
    matrix: Matrix
    strategy: Strategy
    python: str  # the requested version, e.g. "3.10"
    interpreter: InterpreterInfo
    venv_dir: Path
    log_dir: Path
    allow_source_builds: bool = False
    keep_user_config: bool = False
    uv: str = "uv"
    platform: str = ""
    extra_env: Mapping[str, str] = field(default_factory=dict)
    pip_index_url: str = ""  # the run's loopback caching index (harness.install.index_cache); "" = PyPI
    # False: pip installs without byte-compiling (the matrix: the venv is checked once and deleted); True
    # for the product's own install, whose user starts it many times (commands.pip_run_args says why).
    compile_bytecode: bool = True
    path_budget: Optional[PathBudget] = None  # computed from the plan's wheels; None: the measured constant
    refuse_unfit_path: bool = False  # a venv path over the MAX_PATH budget stops before anything downloads
    probes: Optional[SystemProbes] = None  # the host's OS calls (recorded Windows answers in tests)
    # The run's installs by resolution (harness.install.share); None: every pip cell unpacks its own.
    share: Optional[InstallShare] = None
    checks: Optional[ChecksOnce] = None  # the run's import checks by fingerprint; None: every cell checks itself
    owner: str = ""  # this cell in another cell's steps: "3.10/bootstrap"

    def env(self) -> Dict[str, str]:
        env = clean_env(keep_user_config=self.keep_user_config)
        # The venv's Python writes bytecode as a user's does, whatever the caller's shell says: with the
        # caller's PYTHONDONTWRITEBYTECODE (set on this machine) the import check left none, so every later
        # import in the venv (each chain stage) compiled TensorFlow's modules again in memory (5.4 s, not 2.2 s).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(self.extra_env)
        return env

    def context(self, strategy: Strategy) -> DiagnoseContext:
        return DiagnoseContext(python=self.python, pack=self.matrix.pack.requirement,
                               installer=strategy.installer, platform=self.platform, strategy=strategy.id)


@dataclass(frozen=True)
class InstallOutcome:
    status: Status
    steps: Tuple[StepResult, ...]
    winner: Optional[str] = None
    versions: Dict[str, str] = field(default_factory=dict)
    reason: str = ""
    # A passed pip install whose resolution this cell claimed in ``request.share``: the caller must settle
    # ``claim`` (with what it shares, once it knows the chain's verdict, or None); ``claimed`` are the
    # install step and import check a later cell with that plan takes, of ``plan_files`` distributions.
    claim: Optional[str] = None
    claimed: Tuple[StepResult, ...] = ()
    plan_files: int = 0
    shared: Optional[SharedInstall] = None  # the earlier cell whose install this one took instead of its own
    environment: Optional[Fingerprint] = None  # the venv's fingerprint after the install (with ``checks``)


def opt_in_missing(strategy: Strategy, allow_source_builds: bool) -> Optional[str]:
    if strategy.opt_in == "source-builds" and not allow_source_builds:
        return "needs opt-in (--allow-source-builds)"
    return None


def run_strategy(request: InstallRequest) -> InstallOutcome:
    """Preflight, then install the pack with the request's strategy; return every step's result.

    Preflight never stops the install: its verdict is a prediction, the
    resolver's is the fact, and the table must show the real blocker.
    """
    strategy = request.strategy
    reason = opt_in_missing(strategy, request.allow_source_builds)
    if reason:
        return InstallOutcome(SKIPPED, (), reason=reason)
    checked = preflight_step(request)
    if request.refuse_unfit_path and _path_blocked(checked):
        return InstallOutcome(FAILED, (checked,), reason="the venv path cannot hold the pack's deepest file")
    outcome = _run_members(request) if strategy.is_fallback else _run_single(request, strategy, prefix="")
    return replace(outcome, steps=(checked,) + outcome.steps)


def preflight_step(request: InstallRequest) -> StepResult:
    """Preflight of the cell's base interpreter, as a step (kind "preflight") with every check in its metrics."""
    options = PreflightOptions(requires_python=request.matrix.pack.requires_python,
                               allow_source_builds=request.allow_source_builds,
                               installer=request.strategy.installer)
    if request.path_budget is not None:
        options = replace(options, longest_pack_relpath=request.path_budget.longest_relpath,
                          path_budget_source=request.path_budget.source)
    try:
        facts = probe_target(Path(request.interpreter.path))
    except ProbeError as exc:
        return StepResult(name="preflight", status=FAILED, kind=StepKind.PREFLIGHT, message=str(exc))
    checks = run_checks(facts, options, request.venv_dir, request.probes or SystemProbes())
    blocks = blocking(checks)
    warns = [c for c in checks if c.status == WARN]
    message = summary_line(checks)
    if blocks or warns:
        message += ": " + "; ".join(f"{c.status} {c.name}: {c.message}" for c in blocks + warns)
    return StepResult(
        name="preflight", status=FAILED if blocks else PASSED, kind=StepKind.PREFLIGHT, message=message,
        diagnosis=blocks[0].to_diagnosis() if blocks else None,
        metrics={"checks": [c.to_json() for c in checks]},
    )


def _path_blocked(step: StepResult) -> bool:
    return any(c.get("name") == "path-length" and c.get("status") == "block" for c in step.metrics.get("checks", ()))


def _run_members(request: InstallRequest) -> InstallOutcome:
    """The fallback chain: members in order, each from a fresh venv; the first full success wins."""
    steps: List[StepResult] = []
    for member_id in request.strategy.fallback:
        member = request.matrix.strategy(member_id)
        why_not = opt_in_missing(member, request.allow_source_builds)
        if why_not:
            steps.append(StepResult(name=f"{member_id}", status=SKIPPED, message=why_not))
            continue
        outcome = _run_single(request, member, prefix=f"{member_id}/")
        steps.extend(outcome.steps)
        if outcome.status == PASSED:
            return replace(outcome, steps=tuple(steps), winner=member_id)
    return InstallOutcome(FAILED, tuple(steps), reason="every strategy of the fallback chain failed")


@dataclass(frozen=True)
class _Plan:
    """What the cell's pip would install in its last step; ``key`` is this cell's claim, if any."""

    step: StepResult
    files: Tuple[Distribution, ...]
    key: Optional[str] = None
    shared: Optional[SharedInstall] = None


def _run_single(request: InstallRequest, strategy: Strategy, prefix: str) -> InstallOutcome:
    steps: List[StepResult] = []
    venv_log = request.log_dir / f"{prefix.replace('/', '--')}venv.log"
    made = create_venv(request.interpreter, request.venv_dir, venv_log,
                       request.matrix.timeouts["provision"], uv=request.uv, env=request.env())
    steps.append(_step_result(f"{prefix}venv", made, StepKind.PROVISION, request, strategy))
    if not made.ok:
        return InstallOutcome(steps[-1].status, tuple(steps))
    python_exe = venv_python(request.venv_dir)
    if not strategy.steps:
        raise ValueError(f"strategy {strategy.id!r} has no install steps")  # the matrix schema refuses one
    *earlier, last = strategy.steps
    for step in earlier:
        result = _install_step(request, strategy, step, python_exe, prefix)
        steps.extend(result)
        if not result[-1].ok:
            return InstallOutcome(result[-1].status, tuple(steps))
    plan = _plan(request, strategy, last, python_exe, prefix)
    if plan is not None:
        steps.append(plan.step)
        if plan.shared is not None:
            steps.extend(same_resolution_as(plan.shared, s, prefix) for s in plan.shared.steps)
            return InstallOutcome(PASSED, tuple(steps), versions=dict(plan.shared.versions), shared=plan.shared)
    key = plan.key if plan is not None else None
    try:
        outcome = _install_and_check(request, strategy, last, python_exe, prefix, plan)
    except BaseException:
        _release(request, key)
        raise
    if outcome.claim is None:
        _release(request, key)
    return replace(outcome, steps=tuple(steps) + outcome.steps)


def _install_and_check(request: InstallRequest, strategy: Strategy, step: InstallStep, python_exe: Path,
                       prefix: str, plan: Optional[_Plan]) -> InstallOutcome:
    """The last install step and the import check; a claimed plan stays claimed only when both pass
    and the install's own report is the plan."""
    report = None
    if plan is not None and plan.key is not None:
        report = request.log_dir / f"{(prefix + step.name).replace('/', '--')}-report.json"
    result = _install_step(request, strategy, step, python_exe, prefix, report=report)
    if not result[-1].ok:
        return InstallOutcome(result[-1].status, tuple(result))
    check, environment = _import_check_once(request, strategy, python_exe, prefix)
    versions = {k: str(v) for k, v in check.metrics.get("versions", {}).items()}
    outcome = InstallOutcome(check.status, tuple(result) + (check,), versions=versions, environment=environment)
    if plan is None or report is None or not check.ok or len(result) != 1 or not _same_plan(report, plan.files):
        return outcome
    # Shared under their names without this member's prefix: a fallback cell names them after its member.
    claimed = tuple(replace(s, name=s.name[len(prefix):]) for s in (result[0], check))
    return replace(outcome, claim=plan.key, claimed=claimed, plan_files=len(plan.files))


def _plan(request: InstallRequest, strategy: Strategy, step: InstallStep, python_exe: Path,
          prefix: str) -> Optional[_Plan]:
    """Ask the cell's pip what ``step`` would install; take an earlier cell's install of the same plan, or
    claim it. None when there is nothing to share (uv, sharing off, or pip could not plan: the real
    install then runs and fails as it would have, with its own log)."""
    if request.share is None or strategy.installer != "pip":
        return None
    name = f"{prefix}{step.name}-plan"
    report = request.log_dir / f"{name.replace('/', '--')}.json"
    requirements = expand_requirements(step, request.matrix, request.python)
    # fast-deps: pip reads each candidate's metadata by HTTP range requests instead of whole wheels (the
    # index here serves no PEP 658 metadata): 7 s instead of 9-25 s for TensorFlow's 118 candidates, the
    # same report byte for byte. The install itself runs without it and checks its own report (_same_plan).
    args = (*pip_run_args(request.pip_index_url, request.compile_bytecode), *step.args,
            "--dry-run", "--report", str(report), FAST_DEPS)
    argv = install_argv("pip", python_exe, args, requirements, uv=request.uv, keep_user_config=request.keep_user_config)
    done = run_logged(argv, request.log_dir / f"{name.replace('/', '--')}.log", request.matrix.timeouts["install"],
                      env=request.env())
    files = _report_files(report) if done.ok else None
    if files is None:
        return None
    before = fingerprint(request.venv_dir, request.interpreter.path, request.interpreter.version).digest
    key = install_key((request.interpreter.path, request.interpreter.version), before, step.args, files,
                      venv_path_length=len(str(request.venv_dir.resolve())) if IS_WINDOWS else None)
    wheels = "all wheels" if key else "not all wheels with hashes: installed here, never shared"
    planned = _step_result(name, done, StepKind.INSTALL, request, strategy)
    planned = replace(planned, message=f"pip plans {len(files)} distributions ({wheels})")
    if key is None:
        return _Plan(planned, files)
    earlier = request.share.claim(key)  # waits while another cell installs this plan
    return _Plan(planned, files, shared=earlier.result) if earlier else _Plan(planned, files, key=key)


def _report_files(report: Path) -> Optional[Tuple[Distribution, ...]]:
    try:
        return read_report(report)
    except (OSError, ValueError):
        return None


def _same_plan(report: Path, planned: Sequence[Distribution]) -> bool:
    """The install installed what the plan said (a resolver that answers differently twice is not shared)."""
    return _report_files(report) == tuple(planned)


def _release(request: InstallRequest, key: Optional[str]) -> None:
    if key is not None and request.share is not None:
        request.share.settle(key, request.owner, None)


def _install_step(request: InstallRequest, strategy: Strategy, step: InstallStep, python_exe: Path,
                  prefix: str, report: Optional[Path] = None) -> List[StepResult]:
    """Run one step; when it fails and names a substituted package, retry once with the substitutes.
    ``report``: where pip writes what it installed (``--report``), for a claimed plan."""
    requirements = expand_requirements(step, request.matrix, request.python)
    args = (*step.args, "--report", str(report)) if report is not None else step.args
    first = _run_install(request, strategy, step.name, args, requirements, python_exe, prefix)
    if first.ok or not step.substitutions or first.status == TIMEOUT:
        return [first]
    log_text = Path(first.log_path).read_text(encoding="utf-8", errors="replace") if first.log_path else ""
    pairs = expand_substitutions(step, request.matrix)
    relevant = [(old, new) for old, new in pairs if requirement_name(old).lower() in log_text.lower()]
    if not relevant:
        return [first]
    retried = substitute(requirements, relevant)
    second = _run_install(request, strategy, f"{step.name}-retry", step.args, retried, python_exe, prefix)
    return [first, second]


def _run_install(request: InstallRequest, strategy: Strategy, name: str, args: Sequence[str],
                 requirements: Sequence[str], python_exe: Path, prefix: str) -> StepResult:
    if strategy.installer == "pip":
        args = (*pip_run_args(request.pip_index_url, request.compile_bytecode), *args)
    argv = install_argv(strategy.installer, python_exe, args, requirements, uv=request.uv,
                        keep_user_config=request.keep_user_config)
    log = request.log_dir / f"{(prefix + name).replace('/', '--')}.log"
    done = run_logged(argv, log, request.matrix.timeouts["install"], env=request.env())
    return _step_result(prefix + name, done, StepKind.INSTALL, request, strategy)


def _import_check_once(request: InstallRequest, strategy: Strategy, python_exe: Path,
                       prefix: str) -> Tuple[StepResult, Optional[Fingerprint]]:
    """The import check, or that of an earlier cell whose venv held exactly these files (with its owner named);
    with the venv's fingerprint, which the chain then needs too."""
    if request.checks is None:
        return _import_check(request, strategy, python_exe, prefix), None
    interpreter = request.interpreter
    environment = fingerprint(request.venv_dir, interpreter.path, interpreter.version)
    first, check = request.checks.run(environment.digest, request.owner,
                                      lambda: _import_check(request, strategy, python_exe, prefix))
    if first is not None:
        check = replace(same_environment_as(first, check, "import check"), name=f"{prefix}import-check")
    return check, environment


def _import_check(request: InstallRequest, strategy: Strategy, python_exe: Path, prefix: str) -> StepResult:
    pack = request.matrix.pack
    dists = (pack.name,) + tuple(pack.versions_of)
    argv = [str(python_exe), "-c", import_check_code(pack.import_check, dists)]
    log = request.log_dir / f"{prefix.replace('/', '--')}import-check.log"
    done = run_logged(argv, log, request.matrix.timeouts["verify"], env=request.env())
    result = _step_result(f"{prefix}import-check", done, StepKind.VERIFY, request, strategy)
    if not done.ok:
        return result
    versions = parse_versions(log.read_text(encoding="utf-8", errors="replace"))
    return replace(result, metrics={"versions": versions},
                   message=", ".join(f"{k} {v}" for k, v in sorted(versions.items())))


def _step_result(name: str, done: ProcResult, kind: StepKind, request: InstallRequest,
                 strategy: Strategy) -> StepResult:
    return proc_step(name, done, kind, request.context(strategy),
                     metrics={"cleanup": done.cleanup} if done.cleanup else {})  # the runner records it in the cell
