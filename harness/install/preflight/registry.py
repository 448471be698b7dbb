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
    """One named check and where it applies; anywhere else it is not applicable, without running.

    ``only_on``: the host platform (``sys.platform``), None for all (else: ``elsewhere`` says why not).
    ``profile``: the options it applies to, None for all (else: ``outside`` says why not).
    """

    name: str
    run: Callable[[CheckContext], Verdict]
    only_on: Optional[str] = None
    elsewhere: str = ""
    profile: Optional[Callable[[PreflightOptions], bool]] = None
    outside: str = ""

    def verdict(self, ctx: CheckContext) -> Verdict:
        if self.only_on is not None and ctx.probes.platform != self.only_on:
            return Verdict(NOT_APPLICABLE, self.elsewhere)
        if self.profile is not None and not self.profile(ctx.options):
            return Verdict(NOT_APPLICABLE, self.outside)
        return self.run(ctx)


def _installs_with_pip(options: PreflightOptions) -> bool:
    return options.installer == "pip"


def _builds_from_source(options: PreflightOptions) -> bool:
    return options.allow_source_builds


_NO_MAX_PATH = NOT_WINDOWS + " (no MAX_PATH limit)"
_UV_PIP = "installer is uv pip, which does not use the target's pip"
_WHEELS_ONLY = "source builds not allowed (--allow-source-builds): wheels need no compiler"

CHECKS: Tuple[Check, ...] = (
    Check("python-version", checks.check_python_version),
    Check("python-bits", checks.check_python_bits),
    Check("pip", checks.check_pip, profile=_installs_with_pip, outside=_UV_PIP),
    Check("setuptools-wheel", checks.check_build_backend),
    Check("numpy", checks.check_numpy),
    Check("nuitka", checks.check_nuitka),
    Check("msvc-build-tools", windows.check_msvc, "win32", NOT_WINDOWS, _builds_from_source, _WHEELS_ONLY),
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
