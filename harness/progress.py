"""What a run prints while it runs: one line per cell state change, and where the whole run stands."""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, TextIO

from harness.results import Status


class Progress:
    """One line per cell state change, with elapsed time: readable in CI logs and terminals.

    A cell's end also says where the run stands (done/total, running, failed, ETA), and while
    nothing ends a heartbeat line says it every ``heartbeat`` seconds: a TensorFlow install is
    minutes of silence otherwise.
    """

    def __init__(self, stream: Optional[TextIO] = None, clock: Callable[[], float] = time.monotonic,
                 heartbeat: float = 60.0) -> None:
        self.stream = stream or sys.stdout
        self.clock = clock
        self.started = clock()
        self.heartbeat = heartbeat
        self._lock = threading.Lock()
        self._tally = Tally()

    def __call__(self, cell: str, state: str) -> None:
        with self._lock:
            elapsed = self.clock() - self.started
            self.stream.write(f"[{elapsed:7.1f}s] {cell}: {state}\n")
            self.stream.flush()

    def plan(self, total: int, workers: int) -> None:
        with self._lock:
            self._tally = Tally(total=total, workers=max(1, workers))

    def cell_started(self, cell: str) -> None:
        with self._lock:
            self._tally.running[cell] = self.clock()

    def cell_finished(self, cell: str, status: str, duration: float, counts: bool = True) -> None:
        """``counts`` False: a resumed or skipped cell, which says nothing about how long the next one takes."""
        with self._lock:
            self._tally.running.pop(cell, None)
            self._tally.done += 1
            self._tally.failed += Status.parse(status).bad
            if counts:
                self._tally.durations.append(duration)
        self("run", self.summary())

    def summary(self) -> str:
        with self._lock:
            return self._tally.line(self.clock(), self.clock() - self.started)

    def beat(self, stop: threading.Event) -> None:
        """Print the summary every ``heartbeat`` seconds until ``stop`` is set (run in a daemon thread)."""
        while not stop.wait(self.heartbeat):
            self("run", self.summary())


@dataclass
class Tally:
    """Where a run stands; the ETA assumes the cells left take as long as the finished ones did."""

    total: int = 0
    workers: int = 1
    done: int = 0
    failed: int = 0
    running: Dict[str, float] = field(default_factory=dict)  # cell -> when it started
    durations: List[float] = field(default_factory=list)

    def line(self, now: float, elapsed: float) -> str:
        text = (f"{self.done}/{self.total} cells done · {len(self.running)} running · {self.failed} failed · "
                f"elapsed {clock_text(elapsed)}")
        eta = self.eta(now)
        return text + (f" · ETA {clock_text(eta)}" if eta is not None else " · ETA after the first cell")

    def eta(self, now: float) -> Optional[float]:
        if self.done >= self.total:
            return 0.0
        if not self.durations:
            return None
        mean = sum(self.durations) / len(self.durations)
        waiting = self.total - self.done - len(self.running)
        left_in_running = sum(max(0.0, mean - (now - began)) for began in self.running.values())
        return (waiting * mean + left_in_running) / self.workers


def clock_text(seconds: float) -> str:
    """``14m05s`` / ``42s``: what a person reads at a glance."""
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
