"""Deleting a cell's venv without its worker waiting for the delete.

A TensorFlow venv is ~20,000 files and 2 GB. Deleting one took 54 s on this machine under load
(2026-12-01, load 8); in the main job the 17 cells that reused another cell's chain run spent
333 s between that reuse and their end, nearly all of it deleting the venv. The worker
could have started its next cell meanwhile. So the runner moves the venv into the run's trash
folder (a rename on the same file system: instant) and one background thread deletes what lands
there, one folder after another. At most ``limit`` folders wait: a worker that would exceed that
waits for the deleter, so the disk never holds more than workers + limit venvs.

A moved folder keeps its marker; a run killed mid-way leaves its trash marked, and the next run
of the same id deletes it when its trash starts. Only where a delete cannot fail because a file is
in use (POSIX unlinks open files): on Windows a DLL still mapped makes the delete fail, and that
must be recorded in the cell that left it, so there the runner deletes as before, inline.
"""
from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Callable, Optional

from harness.errors import HarnessError
from harness.rundir import NotOwnedError, is_owned, remove_owned

LIMIT = 2
IN_BACKGROUND = os.name != "nt"  # see above: Windows deletes inline, so a failure lands in its cell


class Trash:
    """``put`` a venv: it is gone from its place at once and deleted in the background; ``close`` waits for all."""

    def __init__(self, folder: Path, limit: int = LIMIT, say: Callable[[str], None] = lambda text: None) -> None:
        self.folder = Path(folder)
        self.say = say
        self._queue: "queue.Queue[Optional[Path]]" = queue.Queue(maxsize=max(1, limit))
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self._moved = 0

    def start(self) -> "Trash":
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._delete_all, name="trash", daemon=True)
        self._thread.start()
        for leftover in sorted(self.folder.iterdir()):  # a killed run's trash: still marked, still ours
            if leftover.is_dir() and is_owned(leftover):
                self._queue.put(leftover)
        return self

    def put(self, venv: Path) -> None:
        """Move ``venv`` (a folder the harness marked) into the trash and queue its deletion.

        Raises :class:`NotOwnedError` for an unmarked folder and ``OSError`` when it cannot be
        moved (Windows: a file still open), as :func:`harness.rundir.remove_owned` does.
        """
        venv = Path(venv)
        if venv.is_symlink() or not venv.is_dir() or not is_owned(venv):
            raise NotOwnedError(f"refusing to delete {venv}: not a folder the harness created")
        with self._lock:
            self._moved += 1
            target = self.folder / f"{venv.name}-{self._moved}"
        venv.rename(target)
        self._queue.put(target)  # blocks while `limit` folders wait

    def close(self) -> None:
        """Wait until everything put so far is deleted, then stop the deleter."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    def _delete_all(self) -> None:
        while True:
            folder = self._queue.get()
            if folder is None:
                return
            try:
                remove_owned(folder)
            except (OSError, HarnessError) as exc:  # a note, as a failed inline delete was: the run goes on
                self.say(f"cleanup: {folder} not deleted: {exc}; delete it by hand")
