"""The benchmark's options and its scratch folder: checked against the matrix before anything runs.
Split from matrix_speed.py, which measures."""
from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Optional, Sequence, Tuple

from harness import matrix as matrix_mod
from harness.errors import HarnessError

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTION = "Matrix speed: the naive pip baseline against the harness, its peers and the main job, side by side."
CHAIN_PYTHON = "3.10"  # the chain's cell when it is selected; else the last selected Python


@dataclass(frozen=True)
class Config:
    """The benchmark's options, checked against the matrix before anything runs."""

    matrix: Path
    pythons: Tuple[str, ...]
    strategies: Tuple[str, ...]  # ids or glob patterns, as `python -m harness run --strategy` takes them
    workers: int
    scratch_root: Path
    skip_baseline: bool = False
    skip_chain: bool = False
    skip_resolve: bool = False
    skip_peers: bool = False
    keep: bool = False
    json_out: Optional[Path] = None
    item: Optional[Path] = None  # the chain's sample item; default: the matrix's chain.item
    model_dir: Optional[Path] = None  # an existing MODEL_PATH; default: provision one into the scratch folder
    chain_python: str = CHAIN_PYTHON
    no_python_downloads: bool = False  # the harness's --no-python-downloads, and the same for the baseline's lookup
    skip_main_job: bool = False


@dataclass(frozen=True)
class Scratch:
    """One folder for everything the benchmark creates; every subfolder starts empty."""

    root: Path
    pip_cache: Path  # the baseline's pip cache
    uv_cache: Path  # the harness runs' uv cache (cold, then warm)
    harness_pip_cache: Path  # the harness's pip cache (used by pip strategies only)
    resolve_cache: Path  # the dry resolution's uv cache (cold, then warm)
    venvs: Path  # the baseline's venvs
    results: Path  # the harness's --out
    work: Path  # the harness's --work-dir
    chain: Path
    models: Path
    logs: Path
    peers: Path  # nox's and tox's tools venv, noxfile.py, tox.ini and their envs
    main: Path  # the main job's own caches, work dir and results (benchmarks/mainjob.py makes them)

    @classmethod
    def under(cls, root: Path) -> "Scratch":
        names = ("pip-cache", "uv-cache", "harness-pip-cache", "resolve-cache", "venvs", "results", "work",
                 "chain", "models", "logs", "peers", "main")
        return cls(root, *(root / name for name in names))

    def make(self) -> None:
        for folder in (self.pip_cache, self.uv_cache, self.harness_pip_cache, self.resolve_cache, self.venvs,
                       self.results, self.work, self.chain, self.models, self.logs, self.peers, self.main):
            folder.mkdir(parents=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python benchmarks/matrix_speed.py",
                                     description=DESCRIPTION)
    parser.add_argument("--matrix", type=Path, default=ROOT / "matrix.yaml", help="matrix file (default: the repo's)")
    parser.add_argument("--python", action="append", default=[], metavar="X.Y",
                        help="cells of these Pythons (repeatable; default: the matrix's pythons)")
    parser.add_argument("--strategy", action="append", default=[], metavar="ID",
                        help="cells of these strategies (repeatable, globs ok; default: default)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="the harness's --workers (default: CPU count)")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()),
                        help="where the scratch folder (venvs, caches, results) is made (default: the temp dir)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the naive pip baseline")
    parser.add_argument("--skip-chain", action="store_true", help="do not run the smoke chain")
    parser.add_argument("--skip-resolve", action="store_true", help="do not run the dry resolution")
    parser.add_argument("--skip-peers", action="store_true", help="do not run the nox and tox-uv peers")
    parser.add_argument("--skip-main-job", action="store_true",
                        help="do not run the whole ./run.sh matrix (cold and warm; the longest part)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (caches, venvs, logs)")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--item", type=Path, default=None,
                        help="the chain's sample item folder (default: chain.item of the matrix)")
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="an existing spleeter MODEL_PATH holding 2stems/ (default: env MODEL_PATH, the "
                             "matrix's chain.model_dir, else provision one)")
    parser.add_argument("--chain-python", default=None, metavar="X.Y",
                        help=f"the cell whose venv runs the chain and the one-cell re-run (default: {CHAIN_PYTHON} "
                             "when selected, else the last --python)")
    parser.add_argument("--no-python-downloads", action="store_true",
                        help="pass --no-python-downloads to the harness runs; the baseline looks up interpreters "
                             "the same way (dry resolution has no such switch)")
    return parser


def parse_config(argv: Optional[Sequence[str]] = None) -> Config:
    """Parse and check the options; a value that cannot work exits 2 before anything is created."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        matrix = matrix_mod.load(args.matrix)
    except HarnessError as exc:
        parser.error(str(exc))
    for python in args.python:
        if not matrix_mod.PYTHON_RE.match(python):
            parser.error(f"--python {python!r}: expected a version like 3.10")
    known = [s.id for s in matrix.strategies]
    strategies = tuple(args.strategy) or ("default",)
    for pattern in strategies:
        if not any(fnmatchcase(s, pattern) for s in known):
            parser.error(f"--strategy {pattern!r} matches no strategy of {args.matrix.name} "
                         f"(known: {', '.join(known)})")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    pythons = tuple(dict.fromkeys(args.python)) or tuple(matrix.pythons)
    chain_python = args.chain_python or (CHAIN_PYTHON if CHAIN_PYTHON in pythons else pythons[-1])
    if chain_python not in pythons:
        parser.error(f"--chain-python {chain_python} is not one of the selected Pythons ({', '.join(pythons)})")
    return Config(matrix=args.matrix, pythons=pythons, strategies=strategies, workers=args.workers,
                  scratch_root=args.scratch, skip_baseline=args.skip_baseline, skip_chain=args.skip_chain,
                  skip_resolve=args.skip_resolve, skip_peers=args.skip_peers, keep=args.keep, json_out=args.json_out,
                  item=args.item,
                  model_dir=args.model_dir, chain_python=chain_python,
                  no_python_downloads=args.no_python_downloads, skip_main_job=args.skip_main_job)
