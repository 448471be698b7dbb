"""``python -m harness diagnose LOGFILE [--json]``: diagnose one log from the command line.

``python -m harness diagnose --eval DIR [--split NAME|all]`` scores the
engine on a labelled corpus (see :mod:`harness.diagnose.evaluate`) instead.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from harness.console import DIAGNOSIS_GLYPHS, can_encode
from harness.diagnose import similar
from harness.diagnose.engine import DiagnoseContext, diagnose_file
from harness.diagnose.evaluate import ALL, CorpusError, run, similar_model
from harness.diagnose.render import render


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harness diagnose",
        description="Read a pip, uv or spleeter log and say why it failed and what to do next.",
    )
    parser.add_argument("logfile", type=Path, nargs="?", help="the log to read (UTF-8 or UTF-16, any line endings)")
    parser.add_argument("--eval", type=Path, metavar="DIR",
                        help="score the engine on DIR/manifest.yaml's labelled logs and print the misses")
    parser.add_argument("--build-similar", type=Path, metavar="DIR",
                        help=f"rebuild {similar.MODEL.name}, the similar-log fallback, from DIR/manifest.yaml's logs")
    parser.add_argument("--blind", action="store_true",
                        help="leave this log itself out of the similar-log fallback, as for a log nobody has labelled")
    parser.add_argument("--split", default=ALL, help="with --eval: score one split (tune, heldout, ...) or all")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--ascii", action="store_true", help="plain ASCII output for old consoles")
    hints = parser.add_argument_group("context (sharpens the advice)")
    hints.add_argument("--python", help="the Python version the log came from, e.g. 3.12")
    hints.add_argument("--pack", help="the requirement being installed, e.g. spleeter==2.4.2")
    hints.add_argument("--installer", choices=("pip", "uv"))
    hints.add_argument("--platform", choices=("linux", "windows", "macos"))
    hints.add_argument("--strategy", help="the install strategy id, e.g. wheel-first")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Exit 0 when the log was read and diagnosed, 2 when it could not be read."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.eval is not None:
        return _evaluate(args.eval, args.split)
    if args.build_similar is not None:
        return _build_similar(args.build_similar)
    if args.logfile is None:
        parser.error("give a LOGFILE, --eval DIR or --build-similar DIR")
    context = DiagnoseContext(python=args.python, pack=args.pack, installer=args.installer,
                              platform=args.platform, strategy=args.strategy)
    try:
        diagnosis = diagnose_file(args.logfile, context, blind=args.blind)
    except OSError as exc:
        print(f"error: cannot read {args.logfile}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    unicode_ok = can_encode(sys.stdout, DIAGNOSIS_GLYPHS)
    if args.json:
        print(json.dumps(diagnosis.to_json(), indent=2, ensure_ascii=not unicode_ok))
    else:
        print(render(diagnosis, ascii_only=args.ascii or not unicode_ok))
    return 0


def _evaluate(directory: Path, split: str) -> int:
    try:
        text, _ = run(directory, split)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(text)
    return 0


def _build_similar(directory: Path) -> int:
    try:
        data, count = similar_model(directory)
        similar.MODEL.write_bytes(data)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a log that vanished while reading, or a read-only install
        print(f"error: {exc.filename or similar.MODEL}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{similar.MODEL}: {count} labelled logs, {len(data):,} bytes")
    return 0

