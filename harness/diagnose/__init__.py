"""Diagnostics: read a real pip / uv / spleeter log and say why it failed and what to do.

The public API (the runner, the installer and the CLI use exactly these):
:class:`DiagnoseContext`, :func:`diagnose_text`, :func:`diagnose_file`,
:func:`render`, :func:`main`, :func:`timeout_diagnosis`,
:func:`interpreter_unavailable`.

Inside: ``text`` normalises a log, ``context`` reads what it shows of the
user's machine (Python, bitness, platform, shell, installer), ``rules`` holds
the failure patterns as data, ``engine`` picks the root cause, ``advice`` writes
the next action and the manual fallback, ``render`` and ``cli`` present the
result, and ``evaluate`` scores the whole thing on a labelled corpus
(``diagnose --eval DIR``).
"""
from __future__ import annotations

from harness.diagnose.cli import main
from harness.diagnose.engine import (
    DiagnoseContext,
    diagnose_file,
    diagnose_text,
    interpreter_unavailable,
    timeout_diagnosis,
)
from harness.diagnose.render import render

__all__ = [
    "DiagnoseContext", "diagnose_file", "diagnose_text", "interpreter_unavailable", "main", "render",
    "timeout_diagnosis",
]
