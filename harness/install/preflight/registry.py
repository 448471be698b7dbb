"""Which checks preflight runs, in which order, and where each applies: every name written once."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

from harness.install.preflight import checks, windows
from harness.install.preflight.checks import CheckContext
from harness.install.preflight.model import (
    BLOCK,
    NOT_APPLICABLE,
    WARN,
    CheckResult,
    PreflightOptions,
    TargetFacts,
    Verdict,
)
from harness.install.preflight.probes import SystemProbes

NOT_WINDOWS = "not Windows"


@dataclass(frozen=True)
class Check:
    """One named check. ``only_on``: the host platform (``sys.platform``) it applies to, None for all;
    elsewhere it is not applicable, for the reason ``elsewhere``, without running."""

    name: str
    run: Callable[[CheckContext], Verdict]
    only_on: Optional[str] = None
    elsewhere: str = ""

    def verdict(self, ctx: CheckContext) -> Verdict:
        if self.only_on is not None and ctx.probes.platform != self.only_on:
            return Verdict(NOT_APPLICABLE, self.elsewhere)
        return self.run(ctx)


_NO_MAX_PATH = NOT_WINDOWS + " (no MAX_PATH limit)"

CHECKS: Tuple[Check, ...] = (
    Check("python-version", checks.check_python_version),
    Check("python-bits", checks.check_python_bits),
    Check("pip", checks.check_pip),
    Check("setuptools-wheel", checks.check_build_backend),
    Check("numpy", checks.check_numpy),
    Check("nuitka", checks.check_nuitka),
    Check("msvc-build-tools", windows.check_msvc, "win32", NOT_WINDOWS),
    Check("long-paths", windows.check_long_paths, "win32", _NO_MAX_PATH),
    Check("path-length", windows.check_path_length, "win32", _NO_MAX_PATH),
    Check("vc-redist", windows.check_vc_redist, "win32", NOT_WINDOWS),
    Check("ffmpeg", checks.check_ffmpeg),
    Check("disk-space", checks.check_disk),
)
CHECK_NAMES = tuple(check.name for check in CHECKS)


def run_checks(
    facts: TargetFacts, options: PreflightOptions, work_dir: Path, probes: SystemProbes = SystemProbes()
) -> List[CheckResult]:
    """Every check, in a fixed order. ``work_dir`` is the venv directory (existing or to be created).

    A check that raises becomes a warning naming the error: one broken probe
    must not hide the verdicts of the others.
    """
    ctx = CheckContext(facts, options, work_dir, probes)
    results = []
    for check in CHECKS:
        try:
            verdict = check.verdict(ctx)
        except Exception as exc:  # noqa: BLE001 - turned into a visible verdict
            verdict = Verdict(WARN, f"check could not run: {type(exc).__name__}: {exc}", category="other")
        results.append(CheckResult.named(check.name, verdict))
    return results


def blocking(results: Sequence[CheckResult]) -> List[CheckResult]:
    return [r for r in results if r.status == BLOCK]
