"""What a user would write instead of the harness: a plain noxfile and a tox.ini with tox-uv (issue 15).

Both do the harness's install + import check on the same cells: a fresh venv per cell, the pack
installed with uv, ``import spleeter, tensorflow``. They are written the way their documentation
shows, not tuned: nox with ``@nox.session(python=[...])`` × ``@nox.parametrize("strategy", ...)`` on
the uv backend, run with ``nox -j 2`` (the installed nox has a parallel mode: ``-j/--parallel N``
for sessions marked ``allow_parallel=True``); tox with tox-uv's ``uv-venv-runner``, run with
``tox p -p 2``. Each gets the interpreters the harness found, first on PATH, and uv without the
machine's configuration (``UV_NO_CONFIG``), as the harness runs it.

A strategy takes part when a user would write it as one plain install: one uv step without
arguments or pins (``default``); the others need what the harness is for.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from benchmarks.figures import Run
from harness import matrix as matrix_mod
from harness.proc import clean_env, run_logged
from harness.provision import InterpreterFinder, venv_python
from harness.results import version_key
from harness.runner import CellPlan

NOX_PEER_VERSION = "2026.10.20"  # run.sh's NOX_VERSION
TOX_PEER = ("tox>=4.67,<5", "tox-uv>=1.37,<2")
PEER_TIMEOUT = 4 * 3600.0


def expressible(cell: CellPlan) -> bool:
    """A cell a user's noxfile or tox.ini would hold as one plain ``install <pack>``."""
    strategy = cell.strategy
    return (strategy.installer == "uv" and not strategy.fallback and len(strategy.steps) == 1
            and not strategy.steps[0].args and not strategy.steps[0].pins)


def import_code(matrix: matrix_mod.Matrix) -> str:
    return "import " + ", ".join(matrix.pack.import_check)


def noxfile_text(matrix: matrix_mod.Matrix, cells: Sequence[CellPlan]) -> str:
    pythons = sorted({c.python for c in cells}, key=version_key)
    strategies = list(dict.fromkeys(c.strategy.id for c in cells))
    return (
        '"""The matrix as a user writes it with nox: Pythons x strategies, install + import check."""\n'
        "import nox\n\n"
        'nox.options.default_venv_backend = "uv"\n\n\n'
        f"@nox.session(python={pythons!r}, allow_parallel=True)\n"
        f'@nox.parametrize("strategy", {strategies!r})\n'
        "def cell(session, strategy):\n"
        f"    session.install({matrix.pack.requirement!r})\n"
        f'    session.run("python", "-c", {import_code(matrix)!r})\n'
    )


def tox_ini_text(matrix: matrix_mod.Matrix, cells: Sequence[CellPlan]) -> str:
    envs = [tox_env(c) for c in cells]
    return (
        "[tox]\n"
        f"env_list = {', '.join(envs)}\n"
        "skip_missing_interpreters = false\n\n"
        "[testenv]\n"
        "package = skip\n"
        "runner = uv-venv-runner\n"
        f"deps = {matrix.pack.requirement}\n"
        f'commands = python -c "{import_code(matrix)}"\n'
    )


def tox_env(cell: CellPlan) -> str:
    """``py310-default``: tox reads the interpreter from the ``py310`` factor."""
    return f"py{cell.python.replace('.', '')}-{cell.strategy.id}"


def nox_argv(tools_python: Path, folder: Path) -> List[str]:
    return [str(tools_python), "-m", "nox", "-f", str(folder / "noxfile.py"), "-j", "2",
            "--envdir", str(folder / ".nox")]


def tox_argv(tools_python: Path, folder: Path) -> List[str]:
    return [str(tools_python), "-m", "tox", "p", "-p", "2", "-c", str(folder / "tox.ini"),
            "--workdir", str(folder / ".tox")]


def peer_env(base: Mapping[str, str], interpreter_paths: Sequence[str], uv_cache: Path, uv_bin: Path) -> Dict[str, str]:
    """The harness's interpreters first on PATH (each as pythonX.Y), one uv cache, no uv configuration."""
    env = dict(base)
    folders = list(dict.fromkeys(str(Path(p).parent) for p in interpreter_paths))
    env["PATH"] = os.pathsep.join(folders + [str(uv_bin)] + [env.get("PATH", "")])
    env.update({"UV_CACHE_DIR": str(uv_cache), "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"})
    return env


def install_tools(folder: Path, uv: str, log: Path) -> Tuple[Optional[Path], str]:
    """A venv with nox, tox and tox-uv (not timed: a user has them already); its python, or None and why."""
    made = run_logged([uv, "venv", "--no-config", "--python", sys.executable, str(folder)], log, 300, env=clean_env())
    if made.ok:
        made = run_logged([uv, "pip", "install", "--no-config", "--python", str(venv_python(folder)),
                           f"nox=={NOX_PEER_VERSION}", *TOX_PEER], log, 1800, env=clean_env())
    return (venv_python(folder), "") if made.ok else (None, f"installing nox/tox failed; log {log}")


def measure_peers(matrix: matrix_mod.Matrix, cells: Sequence[CellPlan], folder: Path, uv_cache: Path,
                  finder: InterpreterFinder, logs: Path, say: Callable[[str], None]) -> Tuple[Optional[Run], ...]:
    """(nox run, tox run) on the cells a user would write plainly, on ``uv_cache`` as it is; None: not run."""
    mine = [c for c in cells if expressible(c)]
    if not mine:
        say("(f) peers: no selected strategy is a plain install; nox and tox not run")
        return None, None
    uv = shutil.which("uv") or "uv"
    python, why = install_tools(folder / "tools", uv, logs / "peers-tools.log")
    if python is None:
        failed = Run(False, 0.0, detail=why)
        return failed, failed
    found = [finder.find(p)[0] for p in sorted({c.python for c in mine}, key=version_key)]
    env = peer_env(clean_env(), [i.path for i in found if i is not None], uv_cache, Path(uv).parent)
    runs: List[Run] = []
    for name, text, argv in (("noxfile.py", noxfile_text(matrix, mine), nox_argv(python, folder)),
                             ("tox.ini", tox_ini_text(matrix, mine), tox_argv(python, folder))):
        (folder / name).write_text(text, encoding="utf-8")
        shown = tuple(argv[2:])  # `nox -f ... -j 2`: after `python -m`
        say(f"(f) {' '.join(shown[:4])}: {len(mine)} cells, install + import check")
        done = run_logged(argv, logs / f"peer-{name}.log", PEER_TIMEOUT, env=env, cwd=folder)
        detail = f"{len(mine)} cells" + ("" if done.ok else f"; exit code {done.returncode}; log "
                                         f"{logs / f'peer-{name}.log'}")
        say(f"    {shown[0]}: {done.duration:.1f} s, {'ok' if done.ok else 'FAILED'}")
        runs.append(Run(done.ok, done.duration, detail=detail, command=shown))
    return tuple(runs)
