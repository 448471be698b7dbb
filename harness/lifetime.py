"""Children tied to the harness's lifetime: started, killed, and never left running.

pip, uv and build backends run in their own session (so a timeout can kill the whole tree),
which also means a SIGKILL of the harness used to leave them running as orphans, and a
grandchild calling ``setsid`` escaped the process-group kill. Now:

* **Linux**: every child runs under :mod:`harness.shepherd`, a child subreaper that holds one
  end of a pipe the harness never closes. When the harness dies, however it dies, the pipe
  reads EOF and the shepherd kills every descendant; on a timeout the harness sends it
  SIGTERM and it does the same, setsid'd grandchildren included.
* **Windows**: every child is put into its own Job Object with KILL_ON_JOB_CLOSE: the job's
  only handle is the harness's, so when the harness dies Windows kills the whole job; a timeout
  terminates the job. ``taskkill /F /T`` is the fallback when a job cannot be had.
* elsewhere (macOS): a new session and ``killpg``, as before.

A kill that fails is returned as a one-line note (never raised): the caller logs it, records
it in the cell, and goes on to the report.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence

IS_WINDOWS = os.name == "nt"
IS_LINUX = sys.platform.startswith("linux")
SHEPHERD = Path(__file__).resolve().with_name("shepherd.py")
SHEPHERD_GRACE = 15.0  # seconds the shepherd gets to kill its tree before the group is SIGKILLed

_lifeline: Optional[int] = None  # read end of the pipe; the write end stays open until this process dies
_lifeline_guard = threading.Lock()


def spawn(argv: Sequence[str], **popen_kwargs: Any) -> "subprocess.Popen[Any]":
    """Start ``argv`` as a child that cannot outlive the harness (``popen_kwargs`` as for Popen)."""
    argv = [str(a) for a in argv]
    if IS_WINDOWS:
        proc = subprocess.Popen(argv, creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200),
                                **popen_kwargs)
        proc._harness_job = WindowsJob.for_process(proc)  # type: ignore[attr-defined]
        return proc
    if IS_LINUX:
        fd = _lifeline_fd()
        argv = shepherd_argv(argv, fd)
        return subprocess.Popen(argv, start_new_session=True, pass_fds=(fd,), **popen_kwargs)
    return subprocess.Popen(argv, start_new_session=True, **popen_kwargs)


def finished(proc: "subprocess.Popen[Any]") -> None:
    """After ``proc`` exited: on Windows close its job, which kills anything it left running."""
    job = getattr(proc, "_harness_job", None)
    if job is not None:
        job.close()
        proc._harness_job = None  # type: ignore[attr-defined]


def shepherd_argv(argv: Sequence[str], fd: int) -> List[str]:
    # -I: the caller's PYTHONPATH/PYTHONHOME must not change the shepherd; -B: no .pyc next to it.
    return [sys.executable, "-I", "-B", str(SHEPHERD), str(fd), "--", *argv]


def terminate(proc: "subprocess.Popen[Any]") -> Optional[str]:
    """Kill ``proc`` and everything it started; a note when that did not fully work, else None."""
    if IS_WINDOWS:
        return _terminate_windows(proc)
    note = None
    if IS_LINUX:
        if proc.poll() is not None:
            return None  # the shepherd ended and took its tree with it; its pid may already be reused
        try:
            proc.send_signal(signal.SIGTERM)  # the shepherd kills its whole tree, then itself
            proc.wait(timeout=SHEPHERD_GRACE)
        except subprocess.TimeoutExpired:
            note = f"pid {proc.pid}: the shepherd did not end its tree within {SHEPHERD_GRACE:.0f} s"
        except OSError as exc:
            note = f"pid {proc.pid}: {exc}"
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left in the session
    except ProcessLookupError:
        pass
    except OSError as exc:
        note = note or f"pid {proc.pid}: killpg failed: {exc}"
    return _reap(proc, note)


def _reap(proc: "subprocess.Popen[Any]", note: Optional[str]) -> Optional[str]:
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            return (note + "; " if note else "") + f"pid {proc.pid} still running after a kill"
    return note


def _lifeline_fd() -> int:
    global _lifeline
    with _lifeline_guard:
        if _lifeline is None:
            read_end, write_end = os.pipe()  # both non-inheritable: only shepherds get the read end
            _lifeline = read_end
            _KEEP.append(write_end)  # never closed: the kernel closes it when the harness exits
        return _lifeline


_KEEP: List[int] = []


# ----------------------------------------------------------------------------- process liveness


def process_alive(pid: int, kernel32: Any = None) -> bool:
    """Whether ``pid`` is a running process (a zombie is not)."""
    if IS_WINDOWS or kernel32 is not None:
        return _windows_alive(pid, kernel32 or ctypes.windll.kernel32)  # type: ignore[attr-defined]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    state = _proc_stat(pid)
    return not (state and state[0] == "Z")


def process_token(pid: int) -> str:
    """Something that tells two processes with the same pid apart: the start time on Linux, else ''."""
    state = _proc_stat(pid)
    return state[19] if state and len(state) > 19 else ""


def _proc_stat(pid: int) -> Optional[List[str]]:
    """Fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000


def _windows_alive(pid: int, kernel32: Any) -> bool:
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == ERROR_ACCESS_DENIED)  # exists, but not ours to open
    try:
        code = ctypes.c_ulong(0)
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


# ----------------------------------------------------------------------------- Windows: Job Objects

JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000


class _BasicLimits(ctypes.Structure):
    _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", ctypes.c_uint32), ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", ctypes.c_uint32),
                ("Affinity", ctypes.c_size_t), ("PriorityClass", ctypes.c_uint32),
                ("SchedulingClass", ctypes.c_uint32)]


class _IoCounters(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("ReadOperationCount", "WriteOperationCount",
                                                     "OtherOperationCount", "ReadTransferCount",
                                                     "WriteTransferCount", "OtherTransferCount")]


class ExtendedLimits(ctypes.Structure):
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION."""

    _fields_ = [("BasicLimitInformation", _BasicLimits), ("IoInfo", _IoCounters),
                ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]


class WindowsJob:
    """One child's Job Object: killed with the harness (KILL_ON_JOB_CLOSE), or on demand."""

    def __init__(self, handle: Any, kernel32: Any) -> None:
        self.handle = handle
        self.kernel32 = kernel32

    @classmethod
    def for_process(cls, proc: Any, kernel32: Any = None) -> Optional["WindowsJob"]:
        """A kill-on-close job holding ``proc``; None when Windows refuses (taskkill is then the fallback).

        Popen cannot start a process suspended, so a child could spawn before it is assigned:
        pip and uv take milliseconds just to start their interpreter, far longer than this.
        """
        try:
            kernel32 = kernel32 or ctypes.windll.kernel32  # type: ignore[attr-defined]
            job = kernel32.CreateJobObjectW(None, None)  # no security attributes: the handle is not inherited
        except (OSError, AttributeError):
            return None
        if not job:
            return None
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        ok = kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                              ctypes.byref(limits), ctypes.sizeof(limits))
        if ok and kernel32.AssignProcessToJobObject(job, int(proc._handle)):
            return cls(job, kernel32)
        kernel32.CloseHandle(job)
        return None

    def terminate(self) -> Optional[str]:
        ok = self.kernel32.TerminateJobObject(self.handle, 1)
        error = None if ok else f"TerminateJobObject failed (error {self.kernel32.GetLastError()})"
        return error

    def close(self) -> None:
        self.kernel32.CloseHandle(self.handle)


def _terminate_windows(proc: "subprocess.Popen[Any]",
                       run: Callable[..., "subprocess.CompletedProcess[str]"] = subprocess.run) -> Optional[str]:
    job = getattr(proc, "_harness_job", None)
    note = job.terminate() if job is not None else None
    if job is None or note:
        note = taskkill(proc.pid, run)
    return _reap(proc, note)


def taskkill(pid: int, run: Callable[..., "subprocess.CompletedProcess[str]"] = subprocess.run) -> Optional[str]:
    """``taskkill /F /T /PID pid``; a note when it failed, None when the tree is gone.

    Judged by exit code, not wording (Windows localises the text): 0 killed, 128 no such
    process (already gone: fine), anything else a failure whose ERROR lines make the note.
    """
    try:
        done = run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"taskkill /PID {pid}: {exc}"
    return taskkill_note(pid, done.returncode, done.stdout or "", done.stderr or "")


def taskkill_note(pid: int, returncode: int, stdout: str, stderr: str) -> Optional[str]:
    if returncode in (0, 128):
        return None
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    failed = [line for line in lines if not line.upper().startswith("SUCCESS")]
    return f"taskkill /PID {pid} exited {returncode}: " + " ".join(failed or lines or ["no output"])
