"""Work beside a block: the main job's dry resolutions run while its cells do."""
from __future__ import annotations

import threading

import pytest

from harness.alongside import Alongside


def test_the_work_runs_during_the_block_and_is_done_when_it_ends():
    started, release, done = threading.Event(), threading.Event(), []

    def work() -> None:
        started.set()
        release.wait(10)
        done.append("resolved")

    with Alongside(work):
        assert started.wait(10)  # running while the block still runs
        assert done == []
        release.set()
    assert done == ["resolved"]  # joined at the end of the block


def test_its_error_is_raised_in_the_caller_after_the_block():
    def broken() -> None:
        raise RuntimeError("resolver crashed")

    ran = []
    with pytest.raises(RuntimeError, match="resolver crashed"):
        with Alongside(broken):
            ran.append("cells")
    assert ran == ["cells"]


def test_a_block_that_raises_keeps_its_own_error_and_does_not_wait():
    release = threading.Event()
    with pytest.raises(KeyboardInterrupt):
        with Alongside(lambda: release.wait(10)):
            raise KeyboardInterrupt
    release.set()
    with Alongside(None):
        pass  # nothing alongside: a plain block
