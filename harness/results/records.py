"""The records of a run: each step of a cell, the interpreter it used, and the cell itself.

Plain frozen data with a JSON round trip. Statuses and step kinds are members of
:mod:`.vocabulary`; text from a file becomes a member where the record is built, and an
unknown word is a ValueError there.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, Optional, Sequence, Tuple

from harness.results.diagnosis import Diagnosis
from harness.results.resolution import CrossCheck, Distribution, PathBudget
from harness.results.vocabulary import Status, StepKind

SCHEMA = 2  # 2: a dry resolution's target platform is its own field (``target``), not a "resolve-" platform
DRY_LABEL = "resolve-"  # how a dry cell's target is named in file names and column groups: resolve-win_amd64


def dry_label(target: str) -> str:
    """``resolve-win_amd64``: the column group and file-name suffix of cells resolved for ``target``."""
    return DRY_LABEL + target


def cell_key(python: str, strategy: str) -> str:
    """File-name-safe key of a cell: ``3.10--wheel-first``."""
    return f"{python}--{strategy}"


@dataclass(frozen=True)
class StepResult:
    """One subprocess-backed step of a cell (provision, install, import check, a chain stage)."""

    name: str
    status: Status
    duration: float = 0.0
    command: Tuple[str, ...] = ()
    returncode: Optional[int] = None
    log_path: Optional[str] = None
    log_tail: str = ""
    message: str = ""
    kind: StepKind = StepKind.INSTALL
    diagnosis: Optional[Diagnosis] = None
    metrics: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status.parse(self.status))
        object.__setattr__(self, "kind", StepKind.parse(self.kind))

    @property
    def ok(self) -> bool:
        return self.status == Status.PASSED

    def to_json(self) -> Dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["status"] = self.status.value
        data["kind"] = self.kind.value
        data["command"] = list(self.command)
        data["diagnosis"] = self.diagnosis.to_json() if self.diagnosis else None
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "StepResult":
        diag = data.get("diagnosis")
        return cls(
            name=data["name"],
            status=data["status"],
            duration=float(data.get("duration", 0.0)),
            command=tuple(data.get("command", ())),
            returncode=data.get("returncode"),
            log_path=data.get("log_path"),
            log_tail=data.get("log_tail", ""),
            message=data.get("message", ""),
            kind=data.get("kind", StepKind.INSTALL),
            diagnosis=Diagnosis.from_json(diag) if diag else None,
            metrics=dict(data.get("metrics", {})),
        )


@dataclass(frozen=True)
class InterpreterInfo:
    """A concrete interpreter found for a requested Python version."""

    requested: str
    version: str
    path: str
    arch: str  # "64bit" / "32bit"
    source: str  # "uv-find" | "uv-install" | "path" | "pyenv" | "py-launcher"
    implementation: str = "cpython"

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "InterpreterInfo":
        return cls(**data)


@dataclass(frozen=True)
class CellResult:
    """The outcome of one (python, strategy) cell."""

    run_id: str
    python: str
    strategy: str
    installer: str
    status: Status
    steps: Tuple[StepResult, ...] = ()
    interpreter: Optional[InterpreterInfo] = None
    duration: float = 0.0
    started_at: str = ""
    platform: str = ""  # where the cell ran: windows | linux | macos; "" for a dry resolution (see target)
    pack: str = ""
    winner: Optional[str] = None  # for fallback strategies: which member strategy won
    versions: Dict[str, str] = field(default_factory=dict)
    reason: str = ""  # for skipped cells: why
    inputs_digest: str = ""
    resumed_from: Optional[str] = None
    # "" for the matrix's own cells; "end-user" for the pack installed as the product installs it on a
    # user's machine (long paths off, no build tools on PATH): its own column group in the table.
    profile: str = ""
    cleanup: Tuple[str, ...] = ()  # what could not be cleaned up (a venv not deleted, a tree not killed)
    # Dry-resolution cells only: the exact files of the plan, a second resolver's answer, the MAX_PATH budget.
    distributions: Tuple[Distribution, ...] = ()
    cross_check: Optional[CrossCheck] = None
    path_budget: Optional[PathBudget] = None
    # Live cells with the chain: the venv's fingerprint (harness.chain.sameenv), and the cell whose chain
    # run this one's stages are (``3.10/bootstrap``) when both venvs held exactly the same files.
    environment: str = ""
    chain_from: str = ""
    # A pip cell whose own pip planned exactly the files another cell of the run installed from the same venv
    # (harness.install.share): that cell (``3.10/default-pip``), whose install, import check and chain it took.
    install_from: str = ""
    # A dry resolution: the wheel-tag platform it was resolved for (``win_amd64``), not run on; None for a
    # cell that ran on this machine.
    target: Optional[str] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status.parse(self.status))

    @property
    def key(self) -> str:
        # Dry-resolution and profile cells live beside the live ones in one run dir: their key names them.
        if self.is_dry:
            return f"{cell_key(self.python, self.strategy)}--{self.where}"
        if self.profile:
            return f"{cell_key(self.python, self.strategy)}--{self.profile}"
        return cell_key(self.python, self.strategy)

    @property
    def is_dry(self) -> bool:
        """A dry resolution for a target platform, not a cell that ran here."""
        return self.target is not None

    @property
    def where(self) -> str:
        """The column group a cell belongs to: ``windows``, ``windows · end-user profile``, ``resolve-win_amd64``."""
        if self.target is not None:
            return dry_label(self.target)
        return f"{self.platform} · {self.profile} profile" if self.profile else self.platform

    @property
    def failing_step(self) -> Optional[StepResult]:
        """The first step that did not pass: the root cause for the table.

        A preflight verdict is a prediction; when a real step failed too, the
        real step's diagnosis (read from the installer's own output) wins.
        """
        failed = [s for s in self.steps if s.status.bad]
        # A step retried with its substitutions is superseded by its retry: the retry's failure is the blocker.
        retried = {s.name[: -len("-retry")] for s in self.steps if s.name.endswith("-retry")}
        failed = [s for s in failed if s.name not in retried] or failed
        real = [s for s in failed if s.kind != StepKind.PREFLIGHT]
        chosen = real or failed
        return chosen[0] if chosen else None

    @property
    def diagnosis(self) -> Optional[Diagnosis]:
        step = self.failing_step
        return step.diagnosis if step else None

    @property
    def stages(self) -> Tuple[StepResult, ...]:
        return tuple(s for s in self.steps if s.kind == StepKind.STAGE)

    def to_json(self) -> Dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["status"] = self.status.value
        data["steps"] = [s.to_json() for s in self.steps]
        data["cleanup"] = list(self.cleanup)
        data["interpreter"] = self.interpreter.to_json() if self.interpreter else None
        data["distributions"] = [d.to_json() for d in self.distributions]
        data["cross_check"] = self.cross_check.to_json() if self.cross_check else None
        data["path_budget"] = self.path_budget.to_json() if self.path_budget else None
        data["schema"] = SCHEMA
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "CellResult":
        interp = data.get("interpreter")
        platform, target = _platform_and_target(data)
        return cls(
            run_id=data["run_id"],
            python=data["python"],
            strategy=data["strategy"],
            installer=data.get("installer", ""),
            status=data["status"],
            steps=tuple(StepResult.from_json(s) for s in data.get("steps", ())),
            interpreter=InterpreterInfo.from_json(interp) if interp else None,
            duration=float(data.get("duration", 0.0)),
            started_at=data.get("started_at", ""),
            platform=platform,
            pack=data.get("pack", ""),
            winner=data.get("winner"),
            versions=dict(data.get("versions", {})),
            reason=data.get("reason", ""),
            inputs_digest=data.get("inputs_digest", ""),
            resumed_from=data.get("resumed_from"),
            profile=data.get("profile", ""),
            cleanup=tuple(data.get("cleanup", ())),
            distributions=tuple(Distribution.from_json(d) for d in data.get("distributions") or ()),
            cross_check=CrossCheck.from_json(data["cross_check"]) if data.get("cross_check") else None,
            path_budget=PathBudget.from_json(data["path_budget"]) if data.get("path_budget") else None,
            environment=data.get("environment", ""),
            chain_from=data.get("chain_from", ""),
            install_from=data.get("install_from", ""),
            target=target,
        )


def status_after(steps: Sequence[StepResult]) -> Status:
    """The verdict of steps run after a passed install (the chain): passed, else what the first that did not
    pass ended as. A stage stopped at its time limit makes a timed-out cell, not a failed one."""
    first = next((s for s in steps if s.status != Status.PASSED), None)
    if first is None:
        return Status.PASSED
    return Status.TIMEOUT if first.status == Status.TIMEOUT else Status.FAILED


def _platform_and_target(data: Dict[str, Any]) -> Tuple[str, Optional[str]]:
    """A cell file before schema 2 named a dry cell's target in its platform: ``resolve-win_amd64``."""
    platform: str = data.get("platform", "")
    target: Optional[str] = data.get("target")
    if target is None and platform.startswith(DRY_LABEL):
        return "", platform[len(DRY_LABEL):]
    return platform, target
