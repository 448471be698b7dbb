"""``python -m harness enduser``: the pack installed as the product installs it on a user's machine.

A GitHub runner is a developer's machine: long paths on, Visual Studio's build
tools, a Python tool cache. The product's users have none of that, so this
command takes them away before it runs what the product runs: it hides every
build tool and media binary from PATH (and MSVC from setuptools' vswhere
lookup), then ``harness install``'s own code path into a pack venv at the
user's location, then the smoke chain from that venv. The result is one cell
with profile ``end-user``: its own column group in the table, its diagnosis
(for instance ``long-path`` with the path length) what the maintainers need to
choose where the product puts its packs. Long paths are switched off by the
workflow (a machine-wide registry value); this command measures whether they
really are off for its processes and records it.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from harness.install.user_install import check_target, install_with_fallback, load_strategy
from harness.matrix import Matrix
from harness.results import FAILED, PASSED, CellResult, StepKind, StepResult, write_cell
from harness.runner import platform_tag

PROFILE = "end-user"
# What a user's machine lacks: a compiler and linker (cl, link: MSVC; gcc, cc: elsewhere), and the media
# binaries the runner image may carry. The chain must then find ffmpeg in the harness env (imageio-ffmpeg).
HIDDEN_TOOLS = ("cl", "link", "nmake", "gcc", "cc", "ffmpeg", "ffprobe", "espeak-ng", "espeak")
# The variables a Developer Command Prompt sets; setuptools takes them as a ready MSVC.
MSVC_VARIABLES = ("VSINSTALLDIR", "VCINSTALLDIR", "VCToolsInstallDir", "VS170COMNTOOLS", "VS160COMNTOOLS",
                  "DevEnvDir", "INCLUDE", "LIB", "LIBPATH", "DISTUTILS_USE_SDK", "MSSdk")
PROGRAM_FILES_X86 = "ProgramFiles(x86)"  # vswhere.exe lives under it: what setuptools finds MSVC by
WINDOWS_PATH_LIMIT = 260
DEFAULT_PRODUCT = "SpleeterProduct"


def default_pack_venv(product: str, python: Optional[str], env: Mapping[str, str] = os.environ,
                      windows: bool = sys.platform == "win32") -> Path:
    """Where a product puts a per-user pack: ``%LOCALAPPDATA%\\<product>\\packs\\spleeter\\py<python>``.

    Off Windows the XDG data home stands in for LOCALAPPDATA. A user's profile
    path is part of every file path the install writes, which is why the
    end-user profile installs here and not under a short runner folder.
    """
    if windows:
        base = env.get("LOCALAPPDATA") or str(Path(env.get("USERPROFILE", "C:\\Users\\user")) / "AppData" / "Local")
    else:
        base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "/tmp")) / ".local" / "share")
    return Path(base) / product / "packs" / "spleeter" / f"py{python or 'fallback'}"


@dataclass(frozen=True)
class UserMachine:
    """The environment of the profile and what was taken away to make it."""

    env: Dict[str, str]
    removed_path_entries: Tuple[str, ...]
    cleared_variables: Tuple[str, ...]

    def facts(self) -> Dict[str, object]:
        return {"removed_path_entries": list(self.removed_path_entries),
                "cleared_variables": list(self.cleared_variables)}


def _holds_tool(folder: str, windows: bool, exists: Callable[[str], bool]) -> Optional[str]:
    suffixes = (".exe", ".cmd", ".bat") if windows else ("",)
    for tool in HIDDEN_TOOLS:
        for suffix in suffixes:
            if exists(os.path.join(folder, tool + suffix)):
                return tool
    return None


def user_machine(env: Mapping[str, str], windows: bool, no_tools_dir: str, keep: Sequence[str] = (),
                 exists: Callable[[str], bool] = os.path.isfile) -> UserMachine:
    """``env`` as a user's machine would have it: no folder on PATH that holds a build or media tool.

    ``keep`` are folders that stay even so (the harness env's own bin, which a
    user of the product does have). On Windows ``ProgramFiles(x86)`` points at
    an empty folder: setuptools and the harness's preflight find MSVC through
    ``%ProgramFiles(x86)%\\Microsoft Visual Studio\\Installer\\vswhere.exe``.
    """
    separator = ";" if windows else ":"
    path_key = next((k for k in env if k.upper() == "PATH"), "PATH")
    kept: List[str] = []
    removed: List[str] = []
    for folder in env.get(path_key, "").split(separator):
        if not folder:
            continue
        if folder not in keep and _holds_tool(folder, windows, exists):
            removed.append(folder)
        else:
            kept.append(folder)
    # Windows' os.environ spells every name in capitals (VSINSTALLDIR, PROGRAMFILES(X86)), so names
    # are compared without case; off Windows no variable here differs from another only by case.
    drop = {name.upper() for name in MSVC_VARIABLES}
    if windows:
        drop.add(PROGRAM_FILES_X86.upper())
    out = {k: v for k, v in env.items() if k.upper() not in drop}
    cleared = tuple(k for k in env if k.upper() in drop)
    out[path_key] = separator.join(kept)
    if windows:
        out[PROGRAM_FILES_X86] = no_tools_dir
    return UserMachine(out, tuple(removed), cleared)


def _write_deep(deep: Path) -> None:
    deep.mkdir(parents=True)
    (deep / "probe.txt").write_text("x", encoding="ascii")


def long_paths_effective(base: Path, windows: bool = sys.platform == "win32",
                         create: Callable[[Path], None] = _write_deep) -> bool:
    """Can this process create a file whose full path exceeds Windows' 260 characters under ``base``?

    Always true off Windows. The registry value alone does not say it: it is
    read when a process starts, and Python must also be long-path aware. It
    creates only its own uniquely named folder and removes only that.
    """
    if not windows:
        return True
    base.mkdir(parents=True, exist_ok=True)
    root = base / f"longpath-probe-{uuid.uuid4().hex[:8]}"
    deep = root
    while len(str(deep / "probe.txt")) <= WINDOWS_PATH_LIMIT + 10:
        deep = deep / ("d" * 40)
    try:
        create(deep)
        return True
    except OSError:  # Windows: ERROR_PATH_NOT_FOUND / FileNotFoundError past MAX_PATH
        return False
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _profile_step(venv: Path, machine: UserMachine, long_paths: bool) -> StepResult:
    metrics: Dict[str, object] = {"venv": str(venv), "venv_path_chars": len(str(venv)),
                                  "long_paths_effective": long_paths, **machine.facts()}
    message = (f"pack venv {venv} ({len(str(venv))} chars); long paths {'on' if long_paths else 'off'}; "
               f"hidden from PATH: {len(machine.removed_path_entries)} folder(s) with build or media tools")
    return StepResult(name="end-user-profile", status=PASSED, kind=StepKind.PROVISION, message=message, metrics=metrics)


def run_end_user(args: argparse.Namespace) -> int:
    from harness.rundir import claim_run

    with claim_run(args.run_id, (Path(args.out).absolute() / args.run_id,)):  # a plain id, our folder, locked
        return _run_end_user(args)


def _run_end_user(args: argparse.Namespace) -> int:
    matrix, strategy = load_strategy(args)
    product = args.product or os.environ.get("PACK_PRODUCT") or DEFAULT_PRODUCT
    venv = Path(args.venv or default_pack_venv(product, args.python)).absolute()
    check_target(venv)
    run_dir = Path(args.out).absolute() / args.run_id
    log_dir = run_dir / "logs" / f"{args.python or 'fallback'}--{strategy.id}--{PROFILE}"
    no_tools = run_dir / "no-build-tools"
    no_tools.mkdir(parents=True, exist_ok=True)
    keep = [str(Path(sys.executable).parent)]  # the harness env: uv, and imageio-ffmpeg's binary inside it
    machine = user_machine(os.environ, sys.platform == "win32", str(no_tools), keep)
    os.environ.clear()
    os.environ.update(machine.env)  # every child (uv, pip, setup.py, the chain) inherits the user's machine
    started, stamp = time.monotonic(), _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    profile = _profile_step(venv, machine, long_paths_effective(venv.parent))
    print(profile.message, flush=True)
    done = install_with_fallback(args, matrix, strategy, venv, log_dir)
    steps = [profile] + (list(done.outcome.steps) if done.outcome else [])
    status = PASSED if done.ok else FAILED
    if done.ok and not args.no_chain and matrix.chain.enabled:
        steps += _chain(args, matrix, venv, run_dir, log_dir)
        status = PASSED if all(s.status == PASSED for s in steps) else FAILED
    outcome = done.outcome
    cell = CellResult(
        run_id=args.run_id, python=done.python or (args.python or "?"), strategy=strategy.id,
        installer=strategy.installer, status=status, steps=tuple(steps), interpreter=done.interpreter,
        duration=round(time.monotonic() - started, 2), started_at=stamp, platform=platform_tag(),
        pack=matrix.pack.requirement, winner=outcome.winner if outcome else None,
        versions=dict(outcome.versions) if outcome else {}, profile=PROFILE,
        reason="" if status == PASSED else (done.diagnosis.headline() if done.diagnosis else ""))
    print(f"wrote {write_cell(run_dir, cell)}: {status}")
    from harness.cli import _report  # the one report writer of run/report/resolve: compact view, one-line errors

    _report([cell], run_dir, matrix)
    if done.diagnosis and not done.ok:
        print(f"blocker: {done.diagnosis.headline()}\nnext action: {done.diagnosis.next_action}")
    return 0 if status == PASSED or args.fail_on == "never" else 1


def _chain(args: argparse.Namespace, matrix: Matrix, venv: Path, run_dir: Path, log_dir: Path) -> List[StepResult]:
    from harness.chain.cell import chain_after_install, freeze_venv, model_root, provision_model

    root = model_root(matrix.chain.model_dir, matrix.resolve_path, args.model_dir, run_dir / "models")
    before = freeze_venv(args.uv, venv, log_dir / "pip-freeze.txt")
    return chain_after_install(matrix.chain, matrix.resolve_path(matrix.chain.item), venv, log_dir,
                               run_dir / "derived" / PROFILE, provision_model(root), args.uv, before, say=print)

