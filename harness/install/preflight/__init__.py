"""Preflight: named checks that say, before an install starts, what will stop it.

Each check looks at the facts of one target interpreter (gathered by a single
subprocess, :func:`probe_target`) and at the host (disk, PATH, on Windows the
registry and vswhere), and ends as pass / warn / block / not-applicable with a
fix the operator can run. The OS calls are injected through
:class:`SystemProbes`, so every check -- the Windows ones included -- is unit
tested on any platform with recorded outputs.

The package: :mod:`.model` (options, facts, verdicts), :mod:`.probes` (the target
and the host), :mod:`.checks` and :mod:`.windows` (the checks), :mod:`.registry`
(their names, order and platforms), :mod:`.render` (the table), :mod:`.cli`.

Usage: ``python -m harness preflight [--python 3.10|PATH] [--allow-source-builds] [--json]``
(exit 0 when nothing blocks, 1 when something does).
"""

from __future__ import annotations

from harness.install.preflight.checks import CheckContext
from harness.install.preflight.cli import build_parser, gather, main
from harness.install.preflight.model import (
    BLOCK,
    GIB,
    INSTALLERS,
    MIN_PIP,
    NOT_APPLICABLE,
    PASS,
    RESOLVER_PIP,
    STATUSES,
    TF_LONGEST_RELPATH,
    TF_VENV_BYTES,
    WARN,
    CheckResult,
    PreflightOptions,
    TargetFacts,
    Verdict,
)
from harness.install.preflight.probes import ProbeError, SystemProbes, free_bytes, probe_target, run_command
from harness.install.preflight.registry import CHECK_NAMES, CHECKS, Check, blocking, run_checks
from harness.install.preflight.render import render_table, summary_line

__all__ = [
    "BLOCK", "GIB", "INSTALLERS", "MIN_PIP", "NOT_APPLICABLE", "PASS", "RESOLVER_PIP", "STATUSES",
    "TF_LONGEST_RELPATH", "TF_VENV_BYTES", "WARN",
    "CheckResult", "PreflightOptions", "TargetFacts", "Verdict", "CheckContext", "Check", "CHECKS", "CHECK_NAMES",
    "ProbeError", "SystemProbes", "free_bytes", "probe_target", "run_command",
    "blocking", "run_checks", "render_table", "summary_line", "build_parser", "gather", "main",
]
