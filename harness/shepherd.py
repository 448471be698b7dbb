"""Runs one command so that nothing it starts can outlive the harness (Linux).

Usage (by :mod:`harness.lifetime`, never by hand)::

    python -I -B shepherd.py LIFELINE_FD -- ARGV...

The harness holds the write end of a pipe whose read end is ``LIFELINE_FD``. The
shepherd is a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): every
descendant of the command whose parent exits — a build backend left behind by
pip, a grandchild that called ``setsid`` — is re-parented to the shepherd
instead of init, so the shepherd can always find it. It kills every descendant
when

* the lifeline reads EOF: the harness died, even by SIGKILL (the kernel closes its fds);
* it receives SIGTERM: the harness's timeout or Ctrl-C;
* the command exits: a step leaves no background process behind.

Standard library only and run with ``-I``: it must start from any harness
install and ignore the caller's PYTHONPATH.
"""
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Dict, List, Optional, Sequence

PR_SET_CHILD_SUBREAPER = 36


def descendants(root: int) -> List[int]:
    """Every live descendant of ``root``, from /proc (ppid of each process)."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # the command name may hold spaces and parentheses
        if len(fields) > 1 and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found: List[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(), ()):
            found.append(child)
            queue.append(child)
    return found


def reap() -> None:
    """Collect exited children (orphans re-parented to us become our zombies)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_descendants() -> None:
    """SIGKILL until none is left: a process may fork while the previous round is being killed."""
    for _ in range(200):
        found = descendants(os.getpid())
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)
        reap()


# Held while the command is being started, so a lifeline EOF at that moment either sees the new
# child in /proc or stops it from being started at all.
_STARTING = threading.Lock()


def watch_lifeline(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    _STARTING.acquire()  # EOF: the harness is gone
    kill_descendants()
    os._exit(137)


def main(argv: Sequence[str]) -> int:
    fd, command = int(argv[1]), argv[3:]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # still kills what it can see below it

    def on_term(signum: int, frame: Optional[FrameType]) -> None:
        kill_descendants()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    # Started before the command: if the harness is already gone, the read sees EOF at once.
    threading.Thread(target=watch_lifeline, args=(fd,), daemon=True).start()
    with _STARTING:
        try:
            child = subprocess.Popen(command, close_fds=True)
        except OSError as exc:
            sys.stderr.write("[harness] could not start: %s\n" % exc)
            sys.stderr.flush()
            return 127
    code = child.wait()
    kill_descendants()
    if code < 0:  # killed by a signal: die the same way so the harness sees the same code
        try:
            signal.signal(-code, signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # SIGKILL and SIGSTOP have no handler to reset
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
