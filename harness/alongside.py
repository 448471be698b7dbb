"""Work that runs in a thread beside a block of the caller's, joined when the block ends.

The main job's dry resolutions run beside its cells: they wait mostly on the network (pip's and uv's
index pages, range requests for metadata), while the cells' two workers wait mostly on disks and CPU, so
one run holds both instead of one after the other.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional


class Alongside:
    """``with Alongside(work):`` runs ``work`` in a thread during the block and joins it at the block's end,
    re-raising its exception there. A block that raises (an interrupt) does not wait: its error is the one
    that matters, and the thread is a daemon whose subprocesses the interrupt handler kills."""

    def __init__(self, work: Optional[Callable[[], object]]) -> None:
        self._work = work
        self._error: Optional[BaseException] = None
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> "Alongside":
        if self._work is not None:
            self._thread = threading.Thread(target=self._target, name="alongside", daemon=True)
            self._thread.start()
        return self

    def _target(self) -> None:
        assert self._work is not None
        try:
            self._work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread in __exit__
            self._error = exc

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if self._thread is None or kind is not None:
            return
        self._thread.join()
        if self._error is not None:
            raise self._error
