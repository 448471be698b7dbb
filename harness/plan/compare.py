"""pip's plan against uv's for the same cell: do they agree, and if not, why?

The reasons are the ones seen on this matrix, checked against the two plans
themselves rather than guessed: uv ignores the upper bound of a dependency's
Requires-Python where pip honours it; uv may plan an sdist where pip, for
another platform, can take wheels only; one of them took a pre-release; or
they simply chose different versions (listed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from harness.results import PASSED, CrossCheck, Distribution, Status, StepResult


@dataclass(frozen=True)
class Plan:
    """One resolver's answer for a whole cell."""

    resolver: str
    status: Status
    steps: Tuple[StepResult, ...]
    versions: Dict[str, str] = field(default_factory=dict)
    distributions: Tuple[Distribution, ...] = ()
    winner: Optional[str] = None
    reason: str = ""


_PRE = re.compile(r"\d(?:a|b|rc|\.dev)\d*", re.IGNORECASE)
_REQUIRES_PYTHON = re.compile(r"requires a different Python|Requires-Python|require a different python version",
                              re.IGNORECASE)
KEY = ("spleeter", "tensorflow", "tensorflow-intel", "tensorflow-io-gcs-filesystem", "numpy")


def _first_failure(steps: Sequence[StepResult]) -> Optional[StepResult]:
    return next((s for s in steps if s.status not in (PASSED, "skipped")), None)


def _last_failure(steps: Sequence[StepResult]) -> Optional[StepResult]:
    """The failure that decided: a fallback's last member, a retry rather than the step it retried."""
    return next((s for s in reversed(steps) if s.status not in (PASSED, "skipped")), None)


def _headline(status: str, steps: Sequence[StepResult], versions: Mapping[str, str], reason: str) -> str:
    if status == PASSED:
        return ", ".join(f"{k} {versions[k]}" for k in KEY if k in versions) or "resolves"
    failed = _first_failure(steps)
    if failed is not None and failed.diagnosis is not None:
        return failed.diagnosis.headline()
    return reason or status


def _differences(pip_versions: Mapping[str, str], uv_versions: Mapping[str, str]) -> List[str]:
    names = sorted(set(pip_versions) | set(uv_versions))
    return [f"{n}: pip {pip_versions.get(n, '-')}, uv {uv_versions.get(n, '-')}" for n in names
            if pip_versions.get(n) != uv_versions.get(n)]


def _log_text(step: Optional[StepResult]) -> str:
    if step is None:
        return ""
    return "\n".join(filter(None, [step.log_tail, step.message] + list(step.diagnosis.evidence if step.diagnosis
                                                                         else ())))


def _why(pip_status: str, pip_steps: Sequence[StepResult], pip_versions: Mapping[str, str], pip_reason: str,
         uv_status: str, uv_versions: Mapping[str, str], uv_dists: Sequence[Distribution]) -> str:
    pip_failed = _last_failure(pip_steps)
    if pip_status == "skipped":
        return pip_reason
    if pip_status != PASSED and uv_status == PASSED:
        sdists = [d.name for d in uv_dists if not d.filename.endswith(".whl")]
        category = pip_failed.diagnosis.category if pip_failed and pip_failed.diagnosis else ""
        if sdists:  # the most specific cause: checked first
            return (f"uv plans {', '.join(sdists)} from an sdist (it would build it); pip plans another platform "
                    "from wheels only")
        if category == "python-version-unsupported" or _REQUIRES_PYTHON.search(_log_text(pip_failed)):
            return ("uv ignores the upper bound of a dependency's Requires-Python and resolves; "
                    "pip honours it and does not")
        return "pip finds no plan where uv does; see pip's blocker"
    if pip_status == PASSED and uv_status != PASSED:
        return "uv finds no plan where pip does; see uv's blocker"
    pre = [f"{n} {v}" for n, v in uv_versions.items() if _PRE.search(v) and pip_versions.get(n) != v]
    pre += [f"{n} {v}" for n, v in pip_versions.items() if _PRE.search(v) and uv_versions.get(n) != v]
    if pre:
        return "a pre-release in one plan only: " + ", ".join(sorted(pre))
    diffs = _differences(pip_versions, uv_versions)
    shown = "; ".join(diffs[:4]) + (f"; {len(diffs) - 4} more" if len(diffs) > 4 else "")
    return "the two resolvers chose different versions: " + shown


def cross_check(pip: Plan, uv: Plan) -> CrossCheck:
    """uv's answer beside pip's; ``agrees`` when both reach the same verdict with the same versions."""
    # pip unable to plan (skipped) is no verdict: uv's answer is then always shown.
    same_verdict = (pip.status == PASSED) == (uv.status == PASSED) and (pip.status == "skipped") == (
        uv.status == "skipped")
    agrees = same_verdict and (pip.status != PASSED or not _differences(pip.versions, uv.versions))
    why = "" if agrees else _why(pip.status, pip.steps, pip.versions, pip.reason, uv.status, uv.versions,
                                 uv.distributions)
    return CrossCheck(resolver=uv.resolver, status=uv.status, summary=_headline(uv.status, uv.steps, uv.versions, ""),
                      agrees=agrees, why=why)
