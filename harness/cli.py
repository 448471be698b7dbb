"""Command line: ``python -m harness plan|run|resolve|report|install|preflight|diagnose|lock``.

Each subcommand is a small function that takes parsed options and returns an
exit code; errors the user can act on are HarnessError subclasses and print
as text, never as a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

from harness import matrix as matrix_mod
from harness.errors import HarnessError, UsageError
from harness.policy import FAIL_ON, exit_code
from harness.results import CellResult, merge_runs, read_cells

if TYPE_CHECKING:  # pragma: no cover
    from harness.cells import CellPlan
    from harness.matrix import Matrix

DEFAULT_MATRIX = Path(__file__).resolve().parent.parent / "matrix.yaml"


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad value reported as one line (exit 2) instead of usage + error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _workers(text: str) -> int:
    """--workers / MATRIX_WORKERS: parsed only when the command uses it, so a bad env var breaks only that."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of cells at once (1 or more), got {text!r} "
                                         "(from --workers or env MATRIX_WORKERS)")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--matrix", type=Path, default=Path(os.environ.get("MATRIX_FILE", DEFAULT_MATRIX)),
                        help="matrix file (default: the repository's matrix.yaml; env MATRIX_FILE)")
    parser.add_argument("--python", action="append", default=[], metavar="X.Y",
                        help="only these Pythons (repeatable); versions outside the matrix are allowed")
    parser.add_argument("--strategy", action="append", default=[], metavar="ID",
                        help="only these strategies (repeatable; glob patterns such as 'wheel-first*')")


def _uv_option(parser: argparse.ArgumentParser) -> None:
    from harness.uvbin import UV_ENV, default_uv

    parser.add_argument("--uv", default=default_uv(),
                        help=f"the uv binary for venvs and installs (default: ${UV_ENV}, else the pinned uv "
                             "installed with the harness, else PATH)")


def _lock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lock", type=Path, default=None, help="a pylock.*.toml from `harness lock` (or its locks/ "
                        "folder): its MAX_PATH budget, computed from the wheels, refuses an unfit --venv before "
                        "anything downloads")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m harness", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    plan = sub.add_parser("plan", help="list the cells a run would execute")
    _common(plan)
    plan.set_defaults(func=cmd_plan)

    run = sub.add_parser("run", help="run cells: provision, install, import check, smoke chain; write reports")
    _common(run)
    run.add_argument("--workers", type=_workers, default=os.environ.get("MATRIX_WORKERS") or str(os.cpu_count() or 1),
                     help="cells at once (default: CPU count; env MATRIX_WORKERS)")
    run.add_argument("--out", type=Path, default=Path(os.environ.get("MATRIX_OUT", "results")),
                     help="results root; the run writes <out>/<run-id>/ (env MATRIX_OUT)")
    run.add_argument("--run-id", default=None, help="name of this run (default: env MATRIX_RUN_ID or a timestamp)")
    run.add_argument("--work-dir", type=Path, default=Path(os.environ.get("MATRIX_WORK_DIR", ".matrix")),
                     help="where venvs and models go (default .matrix; env MATRIX_WORK_DIR)")
    run.add_argument("--allow-source-builds", action="store_true", help="let opt-in source-build strategies run")
    run.add_argument("--keep-venvs", action="store_true", help="keep each cell's venv (about 2 GB each)")
    run.add_argument("--use-pip-config", action="store_true",
                     help="let pip and uv read the user's own configuration (default: isolated)")
    run.add_argument("--no-python-downloads", action="store_true", help="never let uv download interpreters")
    run.add_argument("--no-chain", action="store_true", help="install and import check only")
    run.add_argument("--no-index-cache", action="store_true",
                     help="pip cells download from PyPI directly, not through the run's loopback caching index")
    run.add_argument("--chain-every-cell", action="store_true",
                     help="run the chain in every cell, also where a cell with the same files already ran it")
    run.add_argument("--install-every-cell", action="store_true",
                     help="let every pip cell unpack its own install, also where its pip planned the same files "
                          "an earlier cell of the run installed from the same venv")
    run.add_argument("--model-dir", type=Path, default=Path(os.environ["MODEL_PATH"]) if os.environ.get("MODEL_PATH")
                     else None, help="spleeter MODEL_PATH holding 2stems/ (default: env MODEL_PATH, else matrix.yaml's "
                                     "chain.model_dir, else <work-dir>/models, provisioned at install time)")
    run.add_argument("--no-disk-check", action="store_true", help="start even when free disk looks too small")
    run.add_argument("--resolve", action="append", default=[], choices=("windows", "linux", "macos"),
                     help="also add dry-resolution columns for this target platform (repeatable)")
    run.add_argument("--resume", action="store_true",
                     help="keep cells of this run id that passed with unchanged inputs; run the rest")
    run.add_argument("--retry-failed", action="store_true",
                     help="re-run only the cells of this run id that failed or timed out; merge them in")
    run.add_argument("--screenshot", action="store_true", help="also write table.png of the report page "
                                                               "(headless Chromium)")
    _uv_option(run)
    run.add_argument("--fail-on", choices=FAIL_ON, default="any",
                     help="exit 1 when any cell fails (default), only when a resilient cell fails, or never")
    run.set_defaults(func=cmd_run)

    resolve = sub.add_parser("resolve", help="dry resolution for a target platform: pip's plan for pip strategies, "
                                            "uv's for uv ones; writes locks (no install)")
    _common(resolve)
    resolve.add_argument("--platform", choices=("windows", "linux", "macos"), default="windows")
    resolve.add_argument("--out", type=Path, default=Path(os.environ.get("MATRIX_OUT", "results")))
    resolve.add_argument("--run-id", default=None, help="default: resolve-<platform>")
    resolve.add_argument("--workers", type=_workers, default=8, help="resolutions at once (network-bound; default 8)")
    resolve.add_argument("--allow-source-builds", action="store_true")
    resolve.add_argument("--inspect-wheels", action="store_true",
                         help="win_amd64: predict DLL load failures from the PE imports of the plan (needs pefile)")
    _uv_option(resolve)
    resolve.set_defaults(func=cmd_resolve)

    install = sub.add_parser("install", help="install the pack into a venv with the resilient installer "
                                            "(what the product runs on a user's machine)")
    install.add_argument("--venv", type=Path, required=True, help="the venv to create (replaced if it is a venv)")
    install.add_argument("--python", default=None, metavar="X.Y",
                         help="this Python only (default: the interpreter fallback 3.11 → 3.10 → 3.9 → 3.8)")
    install.add_argument("--strategy", default="resilient", help="strategy id (default: resilient)")
    install.add_argument("--matrix", type=Path, default=Path(os.environ.get("MATRIX_FILE", DEFAULT_MATRIX)))
    install.add_argument("--allow-source-builds", action="store_true")
    install.add_argument("--log-dir", type=Path, default=None, help="default: <venv>-logs next to the venv")
    install.add_argument("--use-pip-config", action="store_true")
    install.add_argument("--no-python-downloads", action="store_true")
    _uv_option(install)
    install.add_argument("--ascii", action="store_true", help="ASCII-only diagnostics (old Windows consoles)")
    _lock_option(install)
    install.set_defaults(func=cmd_install)

    enduser = sub.add_parser("enduser", help="install as the product does on a user's machine (no build tools or "
                                             "ffmpeg on PATH), then the chain; one end-user profile cell")
    enduser.add_argument("--venv", type=Path, default=None,
                         help=r"the pack venv (default: %%LOCALAPPDATA%%\<product>\packs\spleeter\py<python>)")
    enduser.add_argument("--product", default=None,
                         help="the product's folder name for the default --venv (env PACK_PRODUCT, "
                              "else SpleeterProduct)")
    enduser.add_argument("--python", default=None, metavar="X.Y", help="default: the interpreter fallback order")
    enduser.add_argument("--strategy", default="resilient", help="strategy id (default: resilient)")
    enduser.add_argument("--matrix", type=Path, default=Path(os.environ.get("MATRIX_FILE", DEFAULT_MATRIX)))
    enduser.add_argument("--out", type=Path, default=Path(os.environ.get("MATRIX_OUT", "results")))
    enduser.add_argument("--run-id", default=None, help="default: enduser-<python>")
    enduser.add_argument("--model-dir", type=Path, default=None, help="an existing spleeter MODEL_PATH")
    enduser.add_argument("--no-chain", action="store_true", help="install and import check only")
    enduser.add_argument("--allow-source-builds", action="store_true")
    enduser.add_argument("--use-pip-config", action="store_true")
    enduser.add_argument("--no-python-downloads", action="store_true")
    enduser.add_argument("--fail-on", choices=("any", "never"), default="any",
                         help="exit 1 when the cell fails (any, the default) or never")
    _uv_option(enduser)
    _lock_option(enduser)
    enduser.set_defaults(func=cmd_enduser)

    report = sub.add_parser("report", help="merge result dirs into junit.xml and table.{md,json,html}")
    report.add_argument("dirs", nargs="+", type=Path, help="run directories (each holding cells/)")
    report.add_argument("--out", type=Path, default=None, help="output dir (default: the single input dir)")
    report.add_argument("--matrix", type=Path, default=DEFAULT_MATRIX, help="for the interpreter fallback order")
    report.add_argument("--previous", type=Path, default=None,
                        help="an earlier results dir: table.html opens with what changed since it")
    report.add_argument("--screenshot", action="store_true", help="also write table.png (headless Chromium)")
    report.set_defaults(func=cmd_report)

    from harness.report import diff as report_diff

    report_diff.register(sub)

    # Listed for --help; main() hands their arguments over untouched.
    sub.add_parser("diagnose", help="diagnose an install or run log: diagnose LOGFILE [--json]", add_help=False)
    sub.add_parser("preflight", help="preflight checks: preflight [--python X] [--allow-source-builds] [--json]",
                   add_help=False)
    sub.add_parser("lock", help="hash-pinned locks: lock RESULTS_DIR | lock check LOCK | lock install LOCK --venv DIR",
                   add_help=False)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DELEGATED:
        # These subcommands own their options (argparse.REMAINDER would drop leading '--flags').
        return DELEGATED[argv[0]](argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: finished cells are saved; build a report with `python -m harness report`",
              file=sys.stderr)
        return 130


# ----------------------------------------------------------------------------- commands


def _load_plan(args: argparse.Namespace) -> "Tuple[Matrix, Tuple[CellPlan, ...]]":
    from harness.cells import select_cells

    matrix = matrix_mod.load(args.matrix)
    return matrix, select_cells(matrix, args.python, args.strategy)


def cmd_plan(args: argparse.Namespace) -> int:
    matrix, cells = _load_plan(args)
    for cell in cells:
        what = ("fallback: " + " → ".join(cell.strategy.fallback)) if cell.strategy.is_fallback else \
            "; ".join(f"{s.name}: {cell.strategy.installer} {' '.join(s.args)}".rstrip() for s in cell.strategy.steps)
        opt = f" [opt-in: {cell.strategy.opt_in}]" if cell.strategy.opt_in else ""
        print(f"{cell.key:<32} {what}{opt}")
    chain = " → ".join(s.name for s in matrix.chain.stages) if matrix.chain.enabled else "off"
    print(f"\n{len(cells)} cells; pack {matrix.pack.requirement}; chain: {chain}")
    return 0


def _run_id(args: argparse.Namespace) -> str:
    from harness.rundir import check_run_id
    from harness.runner import default_run_id

    if args.run_id is not None:
        return check_run_id(args.run_id, "--run-id")
    return check_run_id(default_run_id(), "MATRIX_RUN_ID" if os.environ.get("MATRIX_RUN_ID") else "run id")


def cmd_run(args: argparse.Namespace) -> int:
    from harness.chain.libraries import chain_libraries_missing, check_chain_libraries
    from harness.runner import Runner, RunOptions

    matrix, cells = _load_plan(args)
    if not cells:
        raise UsageError("the selection leaves no cells to run")
    if (args.resume or args.retry_failed) and not (args.run_id or os.environ.get("MATRIX_RUN_ID")):
        raise UsageError("--resume and --retry-failed work on an earlier run: name it with --run-id")
    options = RunOptions(
        out_dir=args.out, run_id=_run_id(args), work_dir=args.work_dir,
        workers=args.workers, allow_source_builds=args.allow_source_builds, keep_venvs=args.keep_venvs,
        keep_user_config=args.use_pip_config, allow_python_downloads=not args.no_python_downloads,
        run_chain=not args.no_chain, check_disk=not args.no_disk_check, resume=args.resume,
        model_dir=args.model_dir, uv=args.uv, chain_every_cell=args.chain_every_cell,
        pip_index_cache=not args.no_index_cache, install_every_cell=args.install_every_cell,
    )
    if options.run_chain and matrix.chain.enabled:
        check_chain_libraries(chain_libraries_missing())
    if args.retry_failed and not (options.run_dir / "cells").is_dir():
        raise UsageError(f"--retry-failed: no earlier run at {options.run_dir}")
    with options.claim(cells):  # held through resolve and report: they write into the same folder
        if args.retry_failed:
            from harness.cells import failed_cells

            cells = failed_cells(options.run_dir, cells)
            print(f"retrying {len(cells)} failed cells of {options.run_id}")
        print(f"run {options.run_id}: {len(cells)} cells, {options.workers} workers -> {options.run_dir}")
        _interrupt_on_sigterm()
        def resolve_all() -> None:
            for target in args.resolve:
                _resolve_into(matrix, cells, target, options.out_dir, options.run_id, uv=args.uv)

        if cells:  # the dry resolutions beside the cells: they wait on the network, the cells on disks
            Runner(matrix, options).run(cells, fresh=not (args.resume or args.retry_failed),
                                        alongside=resolve_all if args.resolve else None)
        else:
            resolve_all()
        everything = read_cells(options.run_dir)
        _report(everything, options.run_dir, matrix, screenshot=args.screenshot)
    return exit_code(everything, args.fail_on)


def cmd_resolve(args: argparse.Namespace) -> int:
    from harness.rundir import check_run_id, claim_run

    matrix, cells = _load_plan(args)
    run_id = check_run_id(args.run_id, "--run-id") if args.run_id is not None else f"resolve-{args.platform}"
    with claim_run(run_id, (args.out / run_id,)):
        results = _resolve_into(matrix, cells, args.platform, args.out, run_id, args.allow_source_builds,
                                args.workers, uv=args.uv, inspect_wheels=args.inspect_wheels)
        _report(results, args.out / run_id, matrix)
    return 0


def _resolve_into(matrix: "Matrix", cells: "Sequence[CellPlan]", target: str, out: Path, run_id: str,
                  allow_source_builds: bool = False, workers: int = 8, uv: str = "uv",
                  inspect_wheels: bool = False) -> List[CellResult]:
    from harness.plan.targets import PLATFORMS
    from harness.progress import Progress
    from harness.resolve import resolve_for

    print(f"dry resolution for {PLATFORMS[target].uv_platform}: {len(cells)} cells -> {out / run_id}")
    return resolve_for(matrix, [(c.python, c.strategy) for c in cells], target, out, run_id,
                       allow_source_builds=allow_source_builds, workers=workers, uv=uv,
                       inspect_wheels=inspect_wheels, progress=Progress())


def cmd_install(args: argparse.Namespace) -> int:
    from harness.install.user_install import install_for_user

    return install_for_user(args)


def cmd_enduser(args: argparse.Namespace) -> int:
    from harness.install.enduser import run_end_user

    if args.run_id is None:
        args.run_id = f"enduser-{args.python or 'fallback'}"
    return run_end_user(args)


def _interrupt_on_sigterm() -> None:
    """A CI cancel or `kill` ends the run like Ctrl-C: running steps killed, finished cells kept."""
    import signal

    def _raise(signum: int, frame: object) -> NoReturn:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _raise)


def cmd_report(args: argparse.Namespace) -> int:
    for directory in args.dirs:
        if not (directory / "cells").is_dir():
            raise UsageError(f"{directory}: no cells/ folder here (expected a run directory)")
    cells = merge_runs(args.dirs)
    if not cells:
        raise UsageError("no cell results found in " + ", ".join(str(d) for d in args.dirs))
    out = args.out or (args.dirs[0] if len(args.dirs) == 1 else Path("results") / "merged")
    matrix = None
    try:
        matrix = matrix_mod.load(args.matrix)
    except HarnessError:
        pass  # reports must still build from results alone
    from harness.report.runs import gather

    gather(args.dirs, out)  # a merged dir holds its cells and logs: the page links them, a later run diffs it
    _report(cells, out, matrix, args.previous, args.screenshot)
    return 0


def _report(cells: List[CellResult], out: Path, matrix: "Optional[Matrix]", previous: Optional[Path] = None,
            screenshot: bool = False) -> None:
    from harness.report import write_reports
    from harness.report.compact import compact_text

    fallback = matrix.interpreter_fallback if matrix else ()
    order = [s.id for s in matrix.strategies] if matrix else ()
    diff = None
    if previous is not None:
        from harness.report.diff import compare

        diff = compare(previous, out)
    try:
        table, files = write_reports(cells, out, fallback, order, diff)
    except OSError as exc:
        raise UsageError(f"cannot write the report to {out}: {exc.strerror or exc}; choose a writable --out") from None
    print()
    print(compact_text(table, str(files.markdown)))  # the full Markdown is too wide for a terminal
    print(f"wrote {files.junit}, {files.markdown}, {files.json}, {files.html}")
    if screenshot:
        from harness.report.browser import BrowserError
        from harness.report.browser import screenshot as take

        try:
            print(f"wrote {take(files.html, out / 'table.png')}")
        except BrowserError as exc:  # the reports are written; a missing picture must not fail the run
            print(f"warning: no screenshot: {exc}", file=sys.stderr)


def _diagnose(argv: List[str]) -> int:
    from harness.diagnose import main as diagnose_main

    return diagnose_main(argv)


def _preflight(argv: List[str]) -> int:
    from harness.install.preflight import main as preflight_main

    return preflight_main(argv)


def _lock(argv: List[str]) -> int:
    from harness.plan.lock import main as lock_main

    return lock_main(argv)


DELEGATED: Dict[str, Callable[[List[str]], int]] = {"diagnose": _diagnose, "preflight": _preflight, "lock": _lock}
