"""Result values of a run: what each step, stage and cell ended as.

The cell JSON written by :func:`write_cell` is the source of truth of a run: the
reports are rebuilt from these files alone, so a run that was interrupted, or
several runs from several CI jobs, can be merged afterwards.

Everything here is plain frozen data with a JSON round trip; it imports nothing
from the rest of the package but :mod:`harness.files` and :mod:`harness.versions` (which import nothing), so
that every module can use it.

A cell file is input like any other: truncated by a full disk, edited by hand, or
from another version. :func:`read_cells` skips a bad one with a warning naming the
file and the problem, and reports the rest.
"""
from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from harness import versions
from harness.files import read_capped
from harness.versions import VersionKey

# Status strings, shared by steps, stages and cells.
PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
TIMEOUT = "timeout"
BLOCKED = "blocked"  # could not even start (e.g. no interpreter): a provisioning blocker
STATUSES = (PASSED, FAILED, SKIPPED, TIMEOUT, BLOCKED)

# Diagnosis categories, exactly the strings the table, JUnit and --json use.
CATEGORIES = (
    "python-version-unsupported",
    "no-wheel-for-platform",
    "dependency-conflict",
    "msvc-build-tools-missing",
    "source-build-failed",
    "metadata-generation-failed",
    "build-backend-missing",
    "long-path",
    "pip-outdated",
    "network-or-index",
    "ffmpeg-missing",
    "dll-load-failed",
    "model-download-failed",
    "interpreter-unavailable",
    "timeout",
    "numpy-abi",
    "resolver-backtracking",
    "ssl-certificate",
    "cpu-without-avx",
    "wrong-ffmpeg-package",
    "wrong-interpreter",
    "conda-env-conflict",
    "python-32-bit",
    "permission-denied",
    "other",
)


@dataclass(frozen=True)
class Diagnosis:
    """Why a step failed, and what to do about it.

    ``evidence`` holds the log lines that prove the category, so a reader of
    the table can check the verdict without opening the log.
    """

    category: str
    blocker: Optional[str]
    next_action: str
    manual_fallback: Tuple[str, ...] = ()
    evidence: Tuple[str, ...] = ()
    summary: str = ""

    def headline(self) -> str:
        """One line for a table footnote or a JUnit failure message."""
        what = self.summary or self.category
        if self.blocker and self.blocker not in what:
            what = f"{what} ({self.blocker})"
        return f"{self.category}: {what}" if what != self.category else what

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        data["manual_fallback"] = list(self.manual_fallback)
        data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Diagnosis":
        return cls(
            category=data["category"],
            blocker=data.get("blocker"),
            next_action=data.get("next_action", ""),
            manual_fallback=tuple(data.get("manual_fallback", ())),
            evidence=tuple(data.get("evidence", ())),
            summary=data.get("summary", ""),
        )


@dataclass(frozen=True)
class StepResult:
    """One subprocess-backed step of a cell (provision, install, import check, a chain stage)."""

    name: str
    status: str
    duration: float = 0.0
    command: Tuple[str, ...] = ()
    returncode: Optional[int] = None
    log_path: Optional[str] = None
    log_tail: str = ""
    message: str = ""
    kind: str = "install"  # "provision" | "preflight" | "install" | "verify" | "stage"
    diagnosis: Optional[Diagnosis] = None
    metrics: Dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == PASSED

    def to_json(self) -> Dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
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
            kind=data.get("kind", "install"),
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
class Distribution:
    """One file of a resolved install plan: what a lock pins (name, version, the exact file, its sha256)."""

    name: str  # normalised project name
    version: str
    filename: str
    url: str
    sha256: str

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Distribution":
        return cls(**{k: str(data.get(k, "")) for k in ("name", "version", "filename", "url", "sha256")})


@dataclass(frozen=True)
class CrossCheck:
    """A second resolver's answer for the same cell (uv's, beside pip's for a pip strategy)."""

    resolver: str
    status: str
    summary: str  # its blocker headline, or its key versions
    agrees: bool
    why: str = ""  # when it disagrees: the reason, as far as the two plans tell

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "CrossCheck":
        return cls(resolver=data["resolver"], status=data["status"], summary=data.get("summary", ""),
                   agrees=bool(data.get("agrees", True)), why=data.get("why", ""))


@dataclass(frozen=True)
class PathBudget:
    """The MAX_PATH budget of a Windows install plan, read from its wheels' file lists."""

    longest_relpath: int  # characters below the venv root (``Lib\\site-packages\\...`` included)
    deepest_file: str  # that file, relative to the venv root
    wheel: str  # the wheel that installs it
    venv_root_max: int  # with long paths off, the venv root may be at most this many characters
    source: str  # how the figures were obtained (range requests, cache, the measured constant)
    wheels_read: int = 0

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "PathBudget":
        return cls(longest_relpath=int(data["longest_relpath"]), deepest_file=data.get("deepest_file", ""),
                   wheel=data.get("wheel", ""), venv_root_max=int(data["venv_root_max"]),
                   source=data.get("source", ""), wheels_read=int(data.get("wheels_read", 0)))


@dataclass(frozen=True)
class CellResult:
    """The outcome of one (python, strategy) cell."""

    run_id: str
    python: str
    strategy: str
    installer: str
    status: str
    steps: Tuple[StepResult, ...] = ()
    interpreter: Optional[InterpreterInfo] = None
    duration: float = 0.0
    started_at: str = ""
    platform: str = ""
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

    @property
    def key(self) -> str:
        # Dry-resolution and profile cells live beside the live ones in one run dir: their key names them.
        if self.is_dry:
            return f"{cell_key(self.python, self.strategy)}--{self.platform}"
        if self.profile:
            return f"{cell_key(self.python, self.strategy)}--{self.profile}"
        return cell_key(self.python, self.strategy)

    @property
    def is_dry(self) -> bool:
        """A dry resolution for a target platform (``platform`` "resolve-win_amd64"), not a cell that ran here."""
        return self.platform.startswith("resolve-")

    @property
    def where(self) -> str:
        """The column group a cell belongs to: ``windows``, or ``windows · end-user profile``."""
        return f"{self.platform} · {self.profile} profile" if self.profile else self.platform

    @property
    def failing_step(self) -> Optional[StepResult]:
        """The first step that did not pass: the root cause for the table.

        A preflight verdict is a prediction; when a real step failed too, the
        real step's diagnosis (read from the installer's own output) wins.
        """
        failed = [s for s in self.steps if s.status in (FAILED, TIMEOUT, BLOCKED)]
        # A step retried with its substitutions is superseded by its retry: the retry's failure is the blocker.
        retried = {s.name[: -len("-retry")] for s in self.steps if s.name.endswith("-retry")}
        failed = [s for s in failed if s.name not in retried] or failed
        real = [s for s in failed if s.kind != "preflight"]
        chosen = real or failed
        return chosen[0] if chosen else None

    @property
    def diagnosis(self) -> Optional[Diagnosis]:
        step = self.failing_step
        return step.diagnosis if step else None

    @property
    def stages(self) -> Tuple[StepResult, ...]:
        return tuple(s for s in self.steps if s.kind == "stage")

    def to_json(self) -> Dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["steps"] = [s.to_json() for s in self.steps]
        data["cleanup"] = list(self.cleanup)
        data["interpreter"] = self.interpreter.to_json() if self.interpreter else None
        data["distributions"] = [d.to_json() for d in self.distributions]
        data["cross_check"] = self.cross_check.to_json() if self.cross_check else None
        data["path_budget"] = self.path_budget.to_json() if self.path_budget else None
        data["schema"] = 1
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "CellResult":
        interp = data.get("interpreter")
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
            platform=data.get("platform", ""),
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
        )


def cell_key(python: str, strategy: str) -> str:
    """File-name-safe key of a cell: ``3.10--wheel-first``."""
    return f"{python}--{strategy}"


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
    problem = _cell_shape(data)
    if problem:
        raise CellFileError(f"{path}:1: not a cell result: {problem}")
    try:
        return CellResult.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CellFileError(f"{path}:1: not a cell result: {exc!r}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


# The types a cell file must have before it becomes values: a report built from them must not
# crash on a number where a string belongs. (field, type, required)
_STR, _OPT_STR, _NUM = (str,), (str, type(None)), (int, float)
_CELL_FIELDS = (("run_id", _STR, True), ("python", _STR, True), ("strategy", _STR, True), ("status", _STR, True),
                ("installer", _STR, False), ("duration", _NUM, False), ("started_at", _STR, False),
                ("platform", _STR, False), ("pack", _STR, False), ("winner", _OPT_STR, False),
                ("reason", _STR, False), ("inputs_digest", _STR, False), ("resumed_from", _OPT_STR, False),
                ("profile", _STR, False), ("environment", _STR, False), ("chain_from", _STR, False))
_STEP_FIELDS = (("name", _STR, True), ("status", _STR, True), ("duration", _NUM, False),
                ("returncode", (int, type(None)), False), ("log_path", _OPT_STR, False), ("log_tail", _STR, False),
                ("message", _STR, False), ("kind", _STR, False))
_DIAGNOSIS_FIELDS = (("category", _STR, True), ("blocker", _OPT_STR, False), ("next_action", _STR, False),
                     ("summary", _STR, False))
_INTERPRETER_FIELDS = tuple((name, _STR, True) for name in ("requested", "version", "path", "arch", "source")) + (
    ("implementation", _STR, False),)


def _fields_problem(data: Any, spec: Tuple[Tuple[str, tuple, bool], ...], where: str) -> str:
    if not isinstance(data, dict):
        return f"{where}: expected an object"
    for name, types, required in spec:
        if name not in data:
            if required:
                return f"{where}: missing {name!r}"
            continue
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, types):
            return f"{where}.{name}: {type(value).__name__} where {'/'.join(t.__name__ for t in types)} belongs"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{where}.{name}: not a finite number"
    return ""


def _strings(data: Any, key: str, where: str) -> str:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{where}.{key}: expected a list of strings"
    return ""


def _cell_shape(data: Any) -> str:
    problem = _fields_problem(data, _CELL_FIELDS, "cell")
    if problem:
        return problem
    if data["status"] not in STATUSES:
        return f"cell.status: {data['status']!r} is not one of {', '.join(STATUSES)}"
    versions = data.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        return "cell.versions: expected an object of strings"
    if data.get("interpreter") is not None:
        problem = _fields_problem(data["interpreter"], _INTERPRETER_FIELDS, "cell.interpreter")
        if problem or set(data["interpreter"]) - {n for n, _, _ in _INTERPRETER_FIELDS}:
            return problem or "cell.interpreter: unknown fields"
    problem = _strings(data, "cleanup", "cell")
    steps = data.get("steps", [])
    if problem or not isinstance(steps, list):
        return problem or "cell.steps: expected a list"
    for position, step in enumerate(steps):
        where = f"cell.steps[{position}]"
        problem = _fields_problem(step, _STEP_FIELDS, where) or _strings(step, "command", where)
        if not problem and step["status"] not in STATUSES:
            problem = f"{where}.status: {step['status']!r} is not one of {', '.join(STATUSES)}"
        if not problem and not isinstance(step.get("metrics", {}), dict):
            problem = f"{where}.metrics: expected an object"
        diagnosis = step.get("diagnosis") if isinstance(step, dict) else None
        if not problem and diagnosis is not None:
            problem = _fields_problem(diagnosis, _DIAGNOSIS_FIELDS, where + ".diagnosis") or \
                _strings(diagnosis, "manual_fallback", where + ".diagnosis") or \
                _strings(diagnosis, "evidence", where + ".diagnosis")
        if problem:
            return problem
    return ""


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
