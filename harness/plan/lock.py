"""``python -m harness lock``: hash-pinned locks from a run, checked before anything installs from them.

::

    python -m harness lock RESULTS_DIR [--out DIR]            # write RESULTS_DIR/locks/ from its dry cells
    python -m harness lock check LOCK [--python X.Y|PATH]      # is this lock installable by that interpreter?
    python -m harness lock install LOCK --venv DIR [--python X.Y|PATH] [--import-check MOD]...

A lock is written per Python × platform from the cell that wins there:
``resilient`` when it resolves (its plan is its winning member's), else the
first strategy of the matrix that does. ``install`` refuses a lock whose
wheels the interpreter cannot install or whose entries lack a sha256 — with
every bad entry named, exit code 2, before a venv is even made — then
installs with ``--no-deps --require-hashes``, so pip takes exactly the
locked files or nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from harness.install.commands import PIP_COMMON, import_check_code, parse_versions
from harness.matrix import FALLBACK_STRATEGY
from harness.plan.pylock import (
    LockEntry,
    LockError,
    check_lock,
    header_lines,
    read_lock,
    render_pylock,
    render_requirements,
)
from harness.plan.targets import platform_for_tag
from harness.proc import clean_env, log_tail, run_logged
from harness.results import PASSED, CellResult, read_cells, version_key

DEFAULT_MATRIX = Path(__file__).resolve().parents[2] / "matrix.yaml"
TAGS_TIMEOUT = 60.0
INSTALL_TIMEOUT = 1800.0
# Asks the target for the wheel tags it installs, through the packaging copy its pip vendors.
_TAGS_CODE = ("import json\n"
              "try:\n    from pip._vendor.packaging import tags\n"
              "except ImportError:\n    from packaging import tags\n"
              "print(json.dumps([str(t) for t in tags.sys_tags()]))\n")


def lock_stem(platform_tag: str, python: str) -> str:
    """``win_amd64-py310``: PEP 751 names are ``pylock.<name>.toml`` with no dot in <name>."""
    return f"{platform_tag}-py{''.join(python.split('.')[:2])}"


def winners(cells: Sequence[CellResult], strategy_order: Sequence[str] = ()) -> List[CellResult]:
    """Per (platform, python): the resilient cell if it resolved with files, else the first such strategy."""
    order = {s: n for n, s in enumerate(strategy_order)}
    chosen: Dict[Tuple[str, str], CellResult] = {}
    usable = [c for c in cells if c.target is not None and c.status == PASSED and c.distributions]
    for cell in sorted(usable, key=lambda c: (c.strategy != FALLBACK_STRATEGY, order.get(c.strategy, len(order)),
                                              c.strategy)):
        chosen.setdefault((cell.where, cell.python), cell)
    return sorted(chosen.values(), key=lambda c: (c.where, version_key(c.python)))


def _environment_marker(tag: str, python: str) -> str:
    env = platform_for_tag(tag).marker_environment(python)
    return " and ".join(f"{k} == '{env[k]}'" for k in ("sys_platform", "platform_machine", "python_version"))


def write_lock(cell: CellResult, out: Path) -> Tuple[Path, Path]:
    tag = cell.target
    if tag is None:
        raise ValueError(f"{cell.key}: a lock is written from a dry resolution, not from a cell that ran here")
    strategy = f"{cell.strategy} (via {cell.winner})" if cell.winner else cell.strategy
    resolver = cell.installer.rsplit(",", 1)[-1].strip(" )") or "uv"
    tool: Dict[str, object] = {"python": cell.python, "platform": tag, "strategy": cell.strategy,
                               "winner": cell.winner or cell.strategy, "resolver": resolver, "run-id": cell.run_id}
    if cell.path_budget:
        budget = cell.path_budget
        tool.update({"longest-relpath": budget.longest_relpath, "deepest-file": budget.deepest_file,
                     "venv-root-max": budget.venv_root_max, "path-budget-source": budget.source})
    out.mkdir(parents=True, exist_ok=True)
    stem = lock_stem(tag, cell.python)
    pylock = out / f"pylock.{stem}.toml"
    pylock.write_text(render_pylock(cell.distributions, _environment_marker(tag, cell.python),
                                    f"=={cell.python}.*", tool), encoding="utf-8")
    requirements = out / f"requirements.{stem}.txt"
    header = header_lines(tag, cell.python, strategy, resolver)
    if cell.path_budget:
        header.append(f"with long paths off, the venv root may be at most {cell.path_budget.venv_root_max} characters")
    requirements.write_text(render_requirements(cell.distributions, header), encoding="utf-8")
    return pylock, requirements


def write_locks(run_dir: Path, cells: Sequence[CellResult], strategy_order: Sequence[str] = (),
                out: Optional[Path] = None) -> List[Path]:
    written: List[Path] = []
    for cell in winners(cells, strategy_order):
        written.extend(write_lock(cell, out or Path(run_dir) / "locks"))
    return written


# ------------------------------------------------------------------ checking and installing
def interpreter_tags(python_exe: Path, timeout: float = TAGS_TIMEOUT) -> List[str]:
    try:
        proc = subprocess.run([str(python_exe), "-I", "-c", _TAGS_CODE], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LockError(f"{python_exe}: cannot ask it for its wheel tags: {exc}") from None
    if proc.returncode != 0:
        last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        raise LockError(f"{python_exe}: cannot ask it for its wheel tags (it has neither pip nor packaging): {last}")
    return list(json.loads(proc.stdout.decode("utf-8")))


def checked_entries(lock: Path, python_exe: Path) -> Tuple[LockEntry, ...]:
    entries, _ = read_lock(lock)
    check_lock(lock, entries, interpreter_tags(python_exe), interpreter=str(python_exe))
    return entries


def install_requirements(entries: Sequence[LockEntry]) -> str:
    """What pip is given: the exact file when the lock names its URL, else name==version; always its hash."""
    lines = []
    for entry in entries:
        pin = f"{entry.name} @ {entry.url}" if entry.url else f"{entry.name}=={entry.version}"
        lines.append(f"{pin} --hash=sha256:{entry.sha256}")
    return "\n".join(lines) + "\n"


def install_argv(venv_python: Path, requirements: Path) -> List[str]:
    return [str(venv_python), "-m", "pip", "install", *PIP_COMMON, "--no-deps", "--require-hashes",
            "-r", str(requirements)]


def _python(request: Optional[str]) -> Path:
    from harness.provision import InterpreterFinder, ProvisionOptions, locate
    from harness.uvbin import default_uv

    if not request:
        return Path(sys.executable)
    # A version means the interpreter `run --python X.Y` would use.
    found, _ = locate(request, InterpreterFinder(ProvisionOptions(uv=default_uv())))
    if found is None:
        raise LockError(f"--python {request}: no such interpreter found")
    return Path(found)


def cmd_install(args: argparse.Namespace) -> int:
    from harness.provision import create_venv, venv_python
    from harness.results import InterpreterInfo

    base = _python(args.python)
    entries = checked_entries(args.lock, base)  # refuses before anything is made or downloaded
    venv = Path(args.venv).absolute()
    if venv.exists() and any(venv.iterdir()) and not (venv / "pyvenv.cfg").exists():
        raise LockError(f"{venv} exists, is not empty and is not a venv; choose another --venv")
    logs = Path(args.log_dir or venv.with_name(venv.name + "-logs"))
    info = InterpreterInfo(requested=str(base), version="", path=str(base), arch="64bit", source="path")
    made = create_venv(info, venv, logs / "venv.log", 300.0, uv=args.uv)
    if not made.ok:
        print(f"error: could not create {venv}; see {made.log_path}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="lock-") as scratch:
        requirements = Path(scratch) / "requirements.txt"
        requirements.write_text(install_requirements(entries), encoding="utf-8")
        done = run_logged(install_argv(venv_python(venv), requirements), logs / "install.log", INSTALL_TIMEOUT,
                          env=clean_env())
    if not done.ok:
        from harness.diagnose import diagnose_file, render

        print(render(diagnose_file(done.log_path)), file=sys.stderr)
        print(log_tail(done.log_path), file=sys.stderr)
        return 1
    print(f"installed {len(entries)} locked files into {venv} (--no-deps --require-hashes)")
    if args.import_check:
        code = import_check_code(args.import_check, [e.name for e in entries if e.name in args.import_check])
        checked = run_logged([str(venv_python(venv)), "-c", code], logs / "import-check.log", 300.0, env=clean_env())
        if not checked.ok:
            print(f"error: import check failed; see {checked.log_path}", file=sys.stderr)
            return 1
        versions = parse_versions(checked.log_path.read_text(encoding="utf-8", errors="replace"))
        print("import check passed: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    entries = checked_entries(args.lock, _python(args.python))
    print(f"{args.lock}: {len(entries)} files, every one hashed and installable by {_python(args.python)}")
    return 0


def _strategy_order(matrix_file: Path) -> List[str]:
    """The matrix's strategy order (which strategy wins a tie); none when the file cannot be read."""
    from harness import matrix as matrix_mod
    from harness.errors import HarnessError

    try:
        return [s.id for s in matrix_mod.load(matrix_file).strategies]
    except (HarnessError, OSError):
        return []


def cmd_write(args: argparse.Namespace) -> int:
    run_dir = Path(args.results_dir)
    if not (run_dir / "cells").is_dir():
        raise LockError(f"{run_dir}: no cells/ folder here (expected a run directory)")
    cells = read_cells(run_dir)
    written = write_locks(run_dir, cells, _strategy_order(args.matrix), out=args.out)
    if not written:
        raise LockError(f"{run_dir}: no dry-resolution cell resolved with recorded files; "
                        "run `python -m harness resolve` first")
    for path in written:
        print(f"wrote {path}")
    return 0


def build_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m harness lock{'' if command == 'write' else ' ' + command}",
                                     description=__doc__.splitlines()[0])
    if command == "write":
        parser.add_argument("results_dir", type=Path, help="a run directory (holding cells/)")
        parser.add_argument("--out", type=Path, default=None, help="default: RESULTS_DIR/locks")
        parser.add_argument("--matrix", type=Path, default=Path(os.environ.get("MATRIX_FILE", DEFAULT_MATRIX)),
                            help="its strategy order breaks ties when resilient did not resolve")
        parser.set_defaults(func=cmd_write)
        return parser
    parser.add_argument("lock", type=Path, help="a pylock.*.toml or requirements.*.txt written by `harness lock`")
    parser.add_argument("--python", default=None, metavar="X.Y|PATH", help="default: this interpreter")
    if command == "install":
        parser.add_argument("--venv", type=Path, required=True, help="the venv to create from the lock")
        parser.add_argument("--log-dir", type=Path, default=None)
        parser.add_argument("--import-check", action="append", default=[], metavar="MODULE")
        parser.add_argument("--uv", default="uv")
        parser.set_defaults(func=cmd_install)
    else:
        parser.set_defaults(func=cmd_check)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in ("check", "install") else "write"
    args = build_parser(command).parse_args(argv[1:] if command != "write" else argv)
    try:
        return int(args.func(args) or 0)
    except LockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
