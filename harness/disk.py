"""The disk guard: refuse to start a run whose venvs cannot fit on the work dir's disk."""
from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Sequence

from harness.errors import InsufficientDiskError
from harness.trash import IN_BACKGROUND
from harness.trash import LIMIT as TRASH_LIMIT

if TYPE_CHECKING:  # pragma: no cover
    from harness.cells import CellPlan
    from harness.runner import RunOptions

GIB = 1024 ** 3


def check_disk(cells: Sequence["CellPlan"], options: "RunOptions") -> None:
    """Refuse to start when the planned cells cannot fit: a full disk mid-run corrupts venvs and caches."""
    if not options.check_disk or not cells:
        return
    # Each worker's venv, and the finished ones the trash has not deleted yet (up to LIMIT waiting, one
    # being deleted): a 2.3 GB venv takes close to a minute to delete on a loaded disk.
    concurrent = min(options.workers, len(cells)) + (min(TRASH_LIMIT + 1, len(cells)) if IN_BACKGROUND else 0)
    need = concurrent * options.disk_per_cell_gib + len({c.python for c in cells}) * options.disk_per_python_gib
    options.work_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(str(options.work_dir)).free / GIB
    if free < need:
        raise InsufficientDiskError(
            f"not enough free disk under {options.work_dir}: {free:.1f} GiB free, the run needs about "
            f"{need:.1f} GiB ({concurrent} venvs at once, counting those still being deleted, × "
            f"{options.disk_per_cell_gib} GiB with TensorFlow, plus "
            f"{options.disk_per_python_gib} GiB of installer cache per Python).\n"
            "hint: free space, lower --workers, choose fewer --python/--strategy, point --work-dir at a larger "
            "disk, or pass --no-disk-check if you know better."
        )
