"""A finished subprocess as a cell's step: the one place a ProcResult becomes a StepResult.

Every install, import check and dry resolution ends the same way: passed, timed out (its own
diagnosis: the bound, not the log, is the cause) or failed (diagnosed from its log). Only the
step's own message and metrics differ, and the caller gives those.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from harness.diagnose import DiagnoseContext, diagnose_file, timeout_diagnosis
from harness.proc import ProcResult, log_tail
from harness.results import FAILED, PASSED, TIMEOUT, StepKind, StepResult


def proc_step(name: str, done: ProcResult, kind: StepKind, context: Optional[DiagnoseContext] = None, *,
              message: str = "", metrics: Optional[Mapping[str, Any]] = None) -> StepResult:
    """``done`` as step ``name``; ``message`` is what a passed step says (a failed one says its diagnosis)."""
    status = PASSED if done.ok else (TIMEOUT if done.timed_out else FAILED)
    diagnosis = None
    if status == TIMEOUT:
        diagnosis = timeout_diagnosis(name, done.duration, context)
    elif status == FAILED:
        diagnosis = diagnose_file(done.log_path, context)
    return StepResult(
        name=name, status=status, duration=round(done.duration, 2), command=done.argv, returncode=done.returncode,
        log_path=str(done.log_path), log_tail="" if status == PASSED else log_tail(done.log_path), kind=kind,
        diagnosis=diagnosis, message=diagnosis.headline() if diagnosis else message, metrics=dict(metrics or {}),
    )
