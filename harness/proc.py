"""Running one subprocess the way every step must: argv, timeout, log file, exit code.

A timed-out step is killed together with its children (pip spawns build
backends, uv spawns interpreters), otherwise a hung build would keep the CPU
and the venv busy after the cell was already reported. How children are tied
to the harness (and killed) is :mod:`harness.lifetime`'s business.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from harness.files import read_tail
from harness.lifetime import IS_WINDOWS, finished, spawn, terminate

TAIL_LINES = 40

# Every running child, so Ctrl-C can end them all: they live in their own
# process groups and would not see the terminal's SIGINT.
_ACTIVE: "set[subprocess.Popen[Any]]" = set()
_ACTIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()


@dataclass(frozen=True)
class ProcResult:
    argv: Tuple[str, ...]
    returncode: Optional[int]  # None when it timed out
    timed_out: bool
    duration: float
    log_path: Path
    cleanup: str = ""  # a kill that did not fully work (the step's tree may still be running)

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode == 0


def run_logged(
    argv: Sequence[str],
    log_path: Path,
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[Path] = None,
) -> ProcResult:
    """Run ``argv``; append a header, its stdout+stderr and a footer to ``log_path``."""
    argv = tuple(str(a) for a in argv)
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log_path, "ab") as log:
        log.write(f"$ {_quote(argv)}\n".encode("utf-8"))
        log.flush()
        if _STOPPING.is_set():
            log.write(b"[harness] not started: the run is being interrupted\n")
            return ProcResult(argv, None, False, 0.0, log_path)
        try:
            proc = spawn(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         env=dict(env) if env is not None else None, cwd=str(cwd) if cwd else None)
        except OSError as exc:
            log.write(f"[harness] could not start: {exc}\n".encode("utf-8"))
            return ProcResult(argv, 127, False, time.monotonic() - started, log_path)
        with _ACTIVE_LOCK:
            _ACTIVE.add(proc)
        timed_out = False
        cleanup = None
        try:
            returncode: Optional[int] = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            cleanup = terminate(proc)
            returncode = None
        finally:
            finished(proc)
            with _ACTIVE_LOCK:
                _ACTIVE.discard(proc)
        duration = time.monotonic() - started
        footer = (f"[harness] timed out after {timeout:.0f} s; killed with its children\n" if timed_out
                  else f"[harness] exit code {returncode} after {duration:.1f} s\n")
        log.write(footer.encode("utf-8"))
        if cleanup:
            log.write(f"[harness] cleanup: {cleanup}\n".encode("utf-8"))
    return ProcResult(argv, returncode, timed_out, duration, log_path, cleanup or "")


def not_started(argv: Sequence[str], log_path: Path, why: str) -> ProcResult:
    """The result of a step that could not even be started, with the reason in its log."""
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"$ {_quote(tuple(str(a) for a in argv))}\n[harness] not started: {why}\n")
    return ProcResult(tuple(str(a) for a in argv), 1, False, 0.0, log_path)


def run_capture(argv: Sequence[str], timeout: float,
                env: Optional[Mapping[str, str]] = None) -> Tuple[Optional[int], str, str]:
    """Run a short probe; return (returncode, stdout, stderr), returncode None on timeout.

    Never raises for a missing program.
    """
    try:
        proc = spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                     env=dict(env) if env is not None else None, encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        return 127, "", str(exc)
    except OSError as exc:
        return 126, "", str(exc)
    with _ACTIVE_LOCK:
        _ACTIVE.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        note = terminate(proc)
        proc.communicate()
        return None, "", f"timed out after {timeout:.0f} s" + (f"; cleanup: {note}" if note else "")
    finally:
        finished(proc)
        with _ACTIVE_LOCK:
            _ACTIVE.discard(proc)
    if proc.returncode == 127 and err.startswith("[harness] could not start:"):
        return 127, out, err[len("[harness] could not start:"):].strip()  # the shepherd's report of a missing program
    return proc.returncode, out, err


def log_tail(log_path: Optional[Path], lines: int = TAIL_LINES) -> str:
    if not log_path or not Path(log_path).is_file():
        return ""
    data = read_tail(Path(log_path), 64 * 1024)
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return "\n".join(text.splitlines()[-lines:])


def stopping() -> bool:
    return _STOPPING.is_set()


def kill_all() -> None:
    """Kill every child still running and start no new one (the run is being interrupted)."""
    _STOPPING.set()
    with _ACTIVE_LOCK:
        running = list(_ACTIVE)
    for proc in running:
        terminate(proc)


def _quote(argv: Sequence[str]) -> str:
    if IS_WINDOWS:
        return subprocess.list2cmdline(list(argv))
    import shlex

    return " ".join(shlex.quote(a) for a in argv)


def clean_env(base: Optional[Mapping[str, str]] = None, keep_user_config: bool = False) -> Dict[str, str]:
    """The environment for installer subprocesses.

    Unless the user asks for their own configuration, pip and uv settings from
    the environment are dropped and pip's config files are switched off
    (``PIP_CONFIG_FILE=os.devnull`` is the one switch that also skips the
    *global* file, which ``--isolated`` does not), so a cell's result does not
    depend on who runs it.
    """
    env = dict(os.environ if base is None else base)
    if keep_user_config:
        return env
    for key in list(env):
        if key.startswith("PIP_") or key in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX"):
            del env[key]
        elif key.startswith("UV_") and key not in ("UV_CACHE_DIR", "UV_PYTHON_INSTALL_DIR", "UV_LINK_MODE"):
            del env[key]
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("PYTHONUTF8", "1")
    return env

