"""Work done once per key across a run's worker threads: a second cell with the same key waits, then shares.

Two uses in a run: the smoke chain once per distinct environment (:mod:`harness.chain.cell`) and a pip
install once per distinct resolution (:mod:`harness.install.share`). Both share only a result that
``keep`` accepts: a failure is the cell's own, so the next cell with that key does the work again (a
second look at a failure costs little and may tell a flake from a fault).

:meth:`OncePerKey.run` wraps one callable. A caller whose work does not fit in one call (a pip cell
claims its resolution inside the installer and learns whether its chain passed only later, in the
runner) uses :meth:`OncePerKey.claim` and then must :meth:`OncePerKey.settle` what it claimed, with its
result or with ``None`` when it has nothing to share, or every later caller of that key waits forever.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Dict, Generic, Optional, Tuple, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Shared(Generic[T]):
    """What an earlier caller of a key kept: who it was and its result."""

    owner: str
    result: T


class OncePerKey(Generic[T]):
    """One result per key; callers of a key that is being worked on wait for it instead of racing it."""

    def __init__(self, keep: Callable[[T], bool]) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._done: Dict[str, Tuple[str, T]] = {}
        self._running: Dict[str, threading.Event] = {}

    def claim(self, key: str) -> Optional[Shared[T]]:
        """The kept result of ``key``, waiting while another caller works on it; ``None``: the key is now
        this caller's, who must :meth:`settle` it."""
        while True:
            with self._lock:
                if key in self._done:
                    owner, result = self._done[key]
                    return Shared(owner, result)
                pending = self._running.get(key)
                if pending is None:
                    self._running[key] = threading.Event()
                    return None
            pending.wait()

    def settle(self, key: str, owner: str, result: Optional[T]) -> None:
        """End this caller's claim on ``key``: keep ``result`` for later callers when ``keep`` accepts it;
        ``None`` (or a result not kept) lets the next waiting caller do the work itself."""
        with self._lock:
            if result is not None and self._keep(result):
                self._done[key] = (owner, result)
            pending = self._running.pop(key, None)
        if pending is not None:
            pending.set()

    def run(self, key: str, owner: str, work: Callable[[], T]) -> Tuple[Optional[str], T]:
        """``(None, result)`` when this call did the work; ``(first_owner, their_result)`` when it was shared."""
        shared = self.claim(key)
        if shared is not None:
            return shared.owner, shared.result
        result: Optional[T] = None
        try:
            result = work()
            return None, result
        finally:
            self.settle(key, owner, result)
