"""The folders a run owns, and the only deletions the harness ever makes.

A run writes into ``<out>/<run-id>/`` and builds venvs in ``<work-dir>/<run-id>/<cell>/``, and it
deletes old venvs and old cell files there. Three rules keep that from ever touching anything
else:

* a run id is a plain name (``[A-Za-z0-9._-]``, no ``..``): it cannot point outside those roots;
* every folder the harness creates gets a marker file first; :func:`remove_owned` refuses a
  folder without one, and a run refuses an existing run folder that is neither empty nor marked;
* a run folder is locked for the run's lifetime: a second run with the same id stops at once,
  and a lock left by a process that no longer exists is taken over.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, Sequence

from harness.errors import UsageError
from harness.lifetime import process_alive, process_token

MARKER = ".spleeter-matrix"  # "this folder was created by the harness and it may delete it"
LOCK = ".spleeter-matrix.lock"
RUN_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class NotOwnedError(UsageError):
    """A folder the harness was about to delete or fill, but did not create."""


class RunLocked(UsageError):
    """Another live run holds this run folder."""


def check_run_id(value: str, source: str = "--run-id") -> str:
    """A run id names one folder under --out and one under --work-dir, nothing else."""
    if not RUN_ID_RE.fullmatch(value or "") or ".." in value:
        raise UsageError(f"{source} {value!r}: use letters, digits, '.', '_' and '-' (at most 100, no '..', "
                         "no '/'): it names a folder under --out and --work-dir")
    return value


def is_owned(folder: Path) -> bool:
    return (Path(folder) / MARKER).is_file()


def mark(folder: Path, kind: str) -> None:
    (Path(folder) / MARKER).write_text(json.dumps({"created_by": "spleeter-matrix", "kind": kind}) + "\n",
                                       encoding="utf-8")


def claim_dir(folder: Path, kind: str) -> Path:
    """Create ``folder`` (marked) or accept it when it is already ours, or empty.

    A results folder from before markers existed is recognised by its ``run.json`` and adopted.
    Anything else is refused: the run would delete files in it.
    """
    folder = Path(folder)
    try:
        if folder.is_dir() and not is_owned(folder):
            entries = [p.name for p in folder.iterdir()]
            legacy = _legacy_run_dir(folder)
            if entries and not legacy:
                raise NotOwnedError(f"{folder} exists and was not created by the harness (no {MARKER} file); "
                                    "choose another --run-id, --out or --work-dir")
        folder.mkdir(parents=True, exist_ok=True)
        if not is_owned(folder):
            mark(folder, kind)
    except OSError as exc:
        raise UsageError(f"cannot create or write {folder}: {exc.strerror or exc}; choose a writable "
                         "--out / --work-dir") from None
    return folder


def fresh_dir(folder: Path, kind: str) -> Path:
    """An empty, marked ``folder``: an earlier one is removed, if it is ours."""
    folder = Path(folder)
    if folder.exists():
        remove_owned(folder)
    folder.mkdir(parents=True)
    mark(folder, kind)
    return folder


def remove_owned(folder: Path) -> None:
    """Delete a folder the harness created; refuse one without its marker.

    Raises :class:`NotOwnedError` for an unmarked folder and ``OSError`` when the delete
    fails (on Windows, a file still open: ``[WinError 32]``); the caller records that and
    goes on.
    """
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        raise NotOwnedError(f"refusing to delete {folder}: not a folder the harness created")
    if not is_owned(folder):
        raise NotOwnedError(f"refusing to delete {folder}: it has no {MARKER} file, so the harness did not "
                            "create it")
    delete_tree(folder)


def delete_tree(folder: Path) -> None:
    """rmtree that tolerates what is already gone and retries read-only files (pip leaves some on Windows).

    Unguarded: only for a folder the caller made itself (a mkdtemp scratch); all else goes
    through :func:`remove_owned`.
    """

    def retry(func: Callable[[str], Any], target: str, exc_info: Any) -> None:
        if isinstance(exc_info[1], FileNotFoundError):
            return  # a concurrent delete got there first: what we wanted
        os.chmod(target, 0o700)
        func(target)

    shutil.rmtree(folder, onerror=retry)


def _legacy_run_dir(folder: Path) -> bool:
    try:
        info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and isinstance(info.get("run_id"), str)


@contextmanager
def claim_run(run_id: str, folders: Sequence[Path], venvs: Sequence[Path] = ()) -> Iterator[None]:
    """Everything a run checks before it creates or deletes anything, held for the run's lifetime:
    a plain id, its folders (results, venvs) ours or new, each locked, every venv it will replace ours."""
    check_run_id(run_id)
    folders = [claim_dir(folder, "run") for folder in folders]
    with ExitStack() as stack:
        for folder in folders:
            stack.enter_context(RunLock(folder))
        for venv in venvs:
            if venv.exists() and not is_owned(venv):
                raise NotOwnedError(f"{venv} exists and was not created by the harness (no {MARKER} file); the run "
                                    "would replace it: move it away or choose another --run-id")
        yield


# ----------------------------------------------------------------------------- the lock

_HELD: Dict[Path, int] = {}  # lock files this process holds -> nesting depth (cli and runner both lock)
_HELD_LOCK = threading.Lock()


class RunLock:
    """``with RunLock(folder):`` — exclusive use of a run folder by this process.

    The lock file says who holds it (pid, host, the process's start time); it is created with
    O_EXCL, so two runs cannot both win. A lock whose process is gone (killed, machine
    rebooted, pid reused by another program) is stale and is taken over.
    """

    def __init__(self, folder: Path, alive: Optional[Callable[[Dict[str, Any]], bool]] = None) -> None:
        self.path = (Path(folder) / LOCK).absolute()
        self._alive = alive or _holder_alive

    def __enter__(self) -> "RunLock":
        with _HELD_LOCK:
            if self.path in _HELD:
                _HELD[self.path] += 1
                return self
            for _ in range(2):  # the second try follows the removal of a stale lock
                try:
                    fd = os.open(str(self.path), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                except FileExistsError:
                    holder = _read_holder(self.path)
                    if holder is not None and self._alive(holder):
                        raise RunLocked(_busy_message(self.path, holder)) from None
                    # Stale: its process is gone. (Two runs taking over the same stale lock at the
                    # same instant: the O_EXCL retry below lets only one of them in.)
                    self.path.unlink()
                    continue
                except OSError as exc:
                    raise UsageError(f"cannot create {self.path}: {exc.strerror or exc}; choose a writable "
                                     "--out / --work-dir") from None
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(_me(), handle)
                _HELD[self.path] = 1
                return self
            raise RunLocked(f"{self.path}: could not take over a stale lock (another run took it first)")

    def __exit__(self, *exc_info: object) -> None:
        with _HELD_LOCK:
            _HELD[self.path] -= 1
            if _HELD[self.path] == 0:
                del _HELD[self.path]
                try:
                    self.path.unlink()
                except OSError:
                    pass  # gone or undeletable: the next run sees a dead holder and takes over


def _me() -> Dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "token": process_token(os.getpid())}


def _read_holder(path: Path) -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a half-written lock: its writer died between create and write
    return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None


def _holder_alive(holder: Dict[str, Any]) -> bool:
    if holder.get("host") != socket.gethostname():
        return True  # another machine on a shared disk: we cannot tell, so we do not steal
    pid = holder["pid"]
    if not process_alive(pid):
        return False
    token = holder.get("token") or ""
    return not token or process_token(pid) == token  # same pid, other start time: the pid was reused


def _busy_message(path: Path, holder: Dict[str, Any]) -> str:
    return (f"run folder {path.parent} is in use by another run (pid {holder.get('pid')} on "
            f"{holder.get('host')}); wait for it, or choose another --run-id. If no such run is going on, "
            f"delete {path}")
