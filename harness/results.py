"""Result values of a run: what each step, stage and cell ended as.

The cell JSON written by :func:`write_cell` is the source of truth of a run: the
reports are rebuilt from these files alone, so a run that was interrupted, or
several runs from several CI jobs, can be merged afterwards.

Everything here is plain frozen data with a JSON round trip; it imports nothing
from the rest of the package so that every module can use it.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

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

    @property
    def key(self) -> str:
        # Dry-resolution cells live beside the live ones in one run dir: their key names the target.
        if self.platform.startswith("resolve-"):
            return f"{cell_key(self.python, self.strategy)}--{self.platform}"
        return cell_key(self.python, self.strategy)

    @property
    def failing_step(self) -> Optional[StepResult]:
        """The first step that did not pass: the root cause for the table.

        A preflight verdict is a prediction; when a real step failed too, the
        real step's diagnosis (read from the installer's own output) wins.
        """
        failed = [s for s in self.steps if s.status in (FAILED, TIMEOUT, BLOCKED)]
        real = [s for s in failed if s.kind != "preflight"]
        return (real or failed or [None])[0]

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
        data["interpreter"] = self.interpreter.to_json() if self.interpreter else None
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


def read_cells(run_dir: Path) -> List[CellResult]:
    """All finished cells of one run directory, in a stable order."""
    found = []
    for path in sorted(cells_dir(run_dir).glob("*.json")):
        found.append(CellResult.from_json(json.loads(path.read_text(encoding="utf-8"))))
    return found


def merge_runs(run_dirs: Iterable[Path]) -> List[CellResult]:
    """Merge cells from several run dirs (e.g. one per CI job).

    When the same cell appears twice, the later directory wins: that is how a
    ``--retry-failed`` run overrides the failures of the run it retried.
    """
    merged: Dict[Tuple[str, str, str], CellResult] = {}
    for run_dir in run_dirs:
        for cell in read_cells(Path(run_dir)):
            merged[(cell.platform, cell.python, cell.strategy)] = cell
    return sorted(merged.values(), key=lambda c: (c.platform, version_key(c.python), c.strategy))


def version_key(version: str) -> Tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return tuple(parts)
