"""Children cannot outlive the harness: real processes on Linux, recorded Windows calls elsewhere."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import lifetime
from harness.proc import run_capture, run_logged

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not lifetime.IS_LINUX, reason="the shepherd is the Linux mechanism")

# A step whose grandchild escapes the process group (setsid), as build backends and daemons do.
ESCAPER = 'setsid sleep 300 & echo $! > "{pidfile}"; {then}'


def gone_within(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not lifetime.process_alive(pid):
            return True
        time.sleep(0.05)
    return False


def wait_for(path: Path, seconds: float = 30.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


@linux_only
def test_sigkill_of_the_harness_kills_the_setsid_grandchild(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    script = textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from harness.proc import run_logged
        run_logged(["sh", "-c", {ESCAPER.format(pidfile=pidfile, then="sleep 300")!r}],
                   {str(tmp_path / "step.log")!r}, 600)
        """)
    harness = subprocess.Popen([sys.executable, "-c", script])
    try:
        grandchild = wait_for(pidfile)
        assert lifetime.process_alive(grandchild)
        harness.send_signal(signal.SIGKILL)  # no handler, no finally: only the kernel closes its fds
        harness.wait(timeout=30)
        assert gone_within(grandchild), "the setsid'd grandchild survived the harness's SIGKILL"
    finally:
        harness.kill()


@linux_only
def test_a_timeout_kills_the_grandchild_that_left_the_process_group(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    done = run_logged(["sh", "-c", ESCAPER.format(pidfile=pidfile, then="sleep 300")], tmp_path / "step.log", 2)
    assert done.timed_out and done.cleanup == ""
    assert gone_within(wait_for(pidfile))
    assert "timed out after 2 s; killed with its children" in (tmp_path / "step.log").read_text()


@linux_only
def test_a_finished_step_leaves_no_background_process(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    done = run_logged(["sh", "-c", ESCAPER.format(pidfile=pidfile, then="exit 3")], tmp_path / "step.log", 60)
    assert done.returncode == 3 and not done.timed_out  # the command's own exit code comes through
    assert gone_within(wait_for(pidfile))


def test_exit_codes_signals_and_missing_programs_come_through(tmp_path):
    killed = run_logged(["sh", "-c", "kill -9 $$"], tmp_path / "k.log", 60)
    assert killed.returncode == -9
    missing = run_logged(["no-such-program-for-harness-tests"], tmp_path / "m.log", 60)
    assert missing.returncode == 127
    assert "[harness] could not start:" in (tmp_path / "m.log").read_text()
    code, out, err = run_capture(["no-such-program-for-harness-tests"], 60)
    assert code == 127 and out == "" and "no-such-program-for-harness-tests" in err and "\n" not in err.strip()
    assert run_capture(["sh", "-c", "echo out; echo err >&2; exit 4"], 60) == (4, "out\n", "err\n")


@linux_only
def test_the_shepherd_ignores_the_callers_pythonpath(tmp_path):
    (tmp_path / "subprocess.py").write_text("raise SystemExit('shadowed')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    assert run_capture(["sh", "-c", "echo ok"], 60, env=env) == (0, "ok\n", "")


def test_process_alive_tells_a_reaped_or_zombie_child_from_a_live_one():
    assert lifetime.process_alive(os.getpid())
    child = subprocess.Popen(["sh", "-c", "exit 0"])
    deadline = time.monotonic() + 30
    while lifetime.process_alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.02)  # exited but not yet waited for: a zombie, which counts as dead
    assert not lifetime.process_alive(child.pid)
    child.wait()
    assert not lifetime.process_alive(child.pid)


# -- Windows, on recorded / fake calls


class FakeKernel32:
    """Records the Win32 calls the job code makes; answers like Windows does."""

    def __init__(self, create=0x1234, assign=1, terminate=1, last_error=0, exit_code=259, open_handle=0x88):
        self.calls = []
        self._create, self._assign, self._terminate = create, assign, terminate
        self._last_error, self._exit_code, self._open = last_error, exit_code, open_handle

    def CreateJobObjectW(self, attrs, name):
        self.calls.append(("CreateJobObjectW", attrs, name))
        return self._create

    def SetInformationJobObject(self, job, info_class, limits_ref, size):
        limits = limits_ref._obj
        self.calls.append(("SetInformationJobObject", job, info_class, limits.BasicLimitInformation.LimitFlags, size))
        return 1

    def AssignProcessToJobObject(self, job, handle):
        self.calls.append(("AssignProcessToJobObject", job, handle))
        return self._assign

    def TerminateJobObject(self, job, code):
        self.calls.append(("TerminateJobObject", job, code))
        return self._terminate

    def CloseHandle(self, handle):
        self.calls.append(("CloseHandle", handle))
        return 1

    def GetLastError(self):
        return self._last_error

    def OpenProcess(self, access, inherit, pid):
        self.calls.append(("OpenProcess", access, inherit, pid))
        return self._open

    def GetExitCodeProcess(self, handle, code_ref):
        code_ref._obj.value = self._exit_code
        return 1


def test_windows_child_goes_into_a_kill_on_close_job():
    kernel32 = FakeKernel32()
    job = lifetime.WindowsJob.for_process(SimpleNamespace(_handle=0x42), kernel32)
    assert job is not None
    names = [c[0] for c in kernel32.calls]
    assert names == ["CreateJobObjectW", "SetInformationJobObject", "AssignProcessToJobObject"]
    assert kernel32.calls[0] == ("CreateJobObjectW", None, None)  # no security attributes: not inheritable
    _, handle, info_class, flags, size = kernel32.calls[1]
    assert (handle, info_class, flags) == (0x1234, 9, 0x2000)  # JobObjectExtendedLimitInformation, KILL_ON_JOB_CLOSE
    assert size == (144 if sys.maxsize > 2 ** 32 else 112)  # sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION)
    assert kernel32.calls[2] == ("AssignProcessToJobObject", 0x1234, 0x42)
    assert job.terminate() is None and kernel32.calls[-1] == ("TerminateJobObject", 0x1234, 1)
    job.close()
    assert kernel32.calls[-1] == ("CloseHandle", 0x1234)


def test_windows_without_a_job_falls_back_to_taskkill_and_records_a_failure():
    refused = FakeKernel32(assign=0)
    assert lifetime.WindowsJob.for_process(SimpleNamespace(_handle=7), refused) is None
    assert refused.calls[-1] == ("CloseHandle", 0x1234)
    broken = lifetime.WindowsJob(0x99, FakeKernel32(terminate=0, last_error=5))
    assert broken.terminate() == "TerminateJobObject failed (error 5)"

    ran = []

    def fake_run(argv, **kw):
        ran.append(argv)
        return subprocess.CompletedProcess(argv, 1, ACCESS_DENIED, "")

    proc = SimpleNamespace(pid=4321, _harness_job=broken, wait=lambda timeout=None: 0)
    note = lifetime._terminate_windows(proc, fake_run)
    assert ran == [["taskkill", "/F", "/T", "/PID", "4321"]]
    assert note == ("taskkill /PID 4321 exited 1: ERROR: The process with PID 4321 (child process of PID 980) "
                    "could not be terminated. Reason: Access is denied.")


# taskkill /F /T /PID ... as Windows prints it (English locale); the code judges by exit code.
KILLED = ("SUCCESS: The process with PID 5120 (child process of PID 4321) has been terminated.\r\n"
          "SUCCESS: The process with PID 4321 (child process of PID 980) has been terminated.\r\n")
ACCESS_DENIED = ("ERROR: The process with PID 4321 (child process of PID 980) could not be terminated.\r\n"
                 "Reason: Access is denied.\r\n")
NOT_FOUND = 'ERROR: The process "4321" not found.\r\n'


def test_taskkill_outputs_are_judged_by_exit_code():
    assert lifetime.taskkill_note(4321, 0, KILLED, "") is None
    assert lifetime.taskkill_note(4321, 128, "", NOT_FOUND) is None  # already gone: nothing left to kill
    note = lifetime.taskkill_note(4321, 1, KILLED.splitlines()[0] + "\r\n", ACCESS_DENIED)
    assert note.startswith("taskkill /PID 4321 exited 1: ERROR: The process with PID 4321")
    assert "SUCCESS" not in note and "\n" not in note


def test_windows_process_liveness_from_recorded_calls():
    assert lifetime.process_alive(10, FakeKernel32(exit_code=259))  # STILL_ACTIVE
    assert not lifetime.process_alive(10, FakeKernel32(exit_code=0))
    # ERROR_INVALID_PARAMETER: no such pid
    assert not lifetime.process_alive(10, FakeKernel32(open_handle=0, last_error=87))
    assert lifetime.process_alive(10, FakeKernel32(open_handle=0, last_error=5))  # access denied: it exists
