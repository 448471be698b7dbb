"""The run's verdict: which failed cells make ``harness run`` exit 1 (``--fail-on``)."""
from __future__ import annotations

from typing import Sequence

from harness.matrix import FALLBACK_STRATEGY
from harness.results import CellResult

FAIL_ON = ("any", "resilient", "never")  # every cell counts / only the strategy the product ships / none


def exit_code(results: Sequence[CellResult], fail_on: str) -> int:
    """1 when a cell the policy covers failed. Dry-resolution cells never decide it: they predict another
    platform (the table shows them); this machine's own cells are the run's verdict."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"unknown --fail-on {fail_on!r}; known: {', '.join(FAIL_ON)}")
    bad = [c for c in results if c.status.bad and not c.is_dry]
    if fail_on == "never":
        return 0
    if fail_on == "resilient":
        bad = [c for c in bad if c.strategy == FALLBACK_STRATEGY]
    return 1 if bad else 0
