"""``python -m harness preflight``: find and probe the target, run the checks, print the table or JSON."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from harness.install.preflight.model import BLOCK, INSTALLERS, CheckResult, PreflightOptions, TargetFacts
from harness.install.preflight.probes import ProbeError, probe_target
from harness.install.preflight.registry import blocking, run_checks
from harness.install.preflight.render import emit, needs_ascii, render_table
from harness.provision import InterpreterFinder, ProvisionOptions, locate
from harness.uvbin import default_uv


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m harness preflight",
        description="Check a target Python before installing the spleeter pack.",
    )
    add = parser.add_argument
    add("--python", metavar="X|PATH", help="version (3.10) or interpreter path; default: this interpreter")
    add("--allow-source-builds", action="store_true", help="source builds allowed (checks MSVC, setuptools)")
    add("--installer", choices=INSTALLERS, default="pip")
    add("--venv-dir", type=Path, help="the cell venv (default: the target if it is a venv, else ./work/venv)")
    add("--json", action="store_true", help="print JSON instead of the table")
    add("--ascii", action="store_true", help="ASCII marks only (old Windows consoles)")
    # The same search as `run --python X.Y`, so both mean the same interpreter.
    add("--no-python-downloads", action="store_true", help="as for run: never `uv python install` a version")
    add("--uv", default=default_uv(), help="the uv that finds (and may install) interpreters")
    return parser


def _interpreter_block(message: str, fix: str) -> List[CheckResult]:
    return [CheckResult("interpreter", BLOCK, message, fix, category="interpreter-unavailable")]


def finder_for(args: argparse.Namespace) -> InterpreterFinder:
    return InterpreterFinder(ProvisionOptions(allow_download=not args.no_python_downloads, uv=args.uv))


def gather(
    args: argparse.Namespace, finder: Optional[InterpreterFinder] = None
) -> Tuple[Optional[TargetFacts], List[CheckResult]]:
    """Locate and probe the target, then run every check; a target that can't be probed is itself a block."""
    exe: Optional[str] = sys.executable
    if args.python:
        exe, _ = locate(args.python, finder or finder_for(args))
    if exe is None:
        return None, _interpreter_block(
            f"no interpreter found for {args.python!r}", "Install it (`uv python install X.Y`) or pass its path."
        )
    try:
        facts = probe_target(Path(exe))
    except ProbeError as exc:
        return None, _interpreter_block(str(exc), "Pass the path of a working python executable with --python.")
    options = PreflightOptions(allow_source_builds=args.allow_source_builds, installer=args.installer)
    venv_dir = args.venv_dir or (Path(facts.prefix) if facts.in_venv else Path("work") / "venv")
    return facts, run_checks(facts, options, Path(os.path.abspath(str(venv_dir))))


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    facts, results = gather(args)
    if args.json:
        payload = {
            "target": facts.to_json() if facts else None,
            "blocked": bool(blocking(results)),
            "results": [r.to_json() for r in results],
        }
        emit(json.dumps(payload, indent=2), sys.stdout)
    else:
        if facts is not None:
            head = f"Python {facts.python_version}, {facts.bits}-bit, {facts.platform}"
            emit(f"Preflight for {facts.executable} ({head})", sys.stdout)
        emit(render_table(results, ascii_only=args.ascii or needs_ascii(sys.stdout)), sys.stdout)
    return 1 if blocking(results) else 0
