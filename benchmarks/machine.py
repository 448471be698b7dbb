"""The machine the benchmark runs on: its size, versions and load (figures mean little without them),
and the disk it needs. Split from matrix_speed.py, which measures."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import shutil
import sys
from pathlib import Path
from typing import Optional, Sequence, Tuple

from benchmarks.figures import Machine
from harness.errors import InsufficientDiskError
from harness.proc import run_capture

GIB = 1024 ** 3
MIN_FREE_GIB = 25.0  # 2 GB per TensorFlow venv, ~2 GB of cold cache per Python, twice (pip and uv)
PROBE_TIMEOUT = 120.0


def check_free_disk(path: Path, need_gib: float = MIN_FREE_GIB) -> float:
    """Free GiB under ``path``; refuse below ``need_gib``: a full disk mid-install corrupts caches and venvs."""
    free = shutil.disk_usage(str(path)).free / GIB
    if free < need_gib:
        raise InsufficientDiskError(
            f"not enough free disk under {path}: {free:.1f} GiB free, the benchmark needs {need_gib:.0f} GiB "
            "(TensorFlow venvs are ~2 GB each, the cold pip and uv caches ~2 GB per Python each).\n"
            "hint: free space, point --scratch at a larger disk, or select fewer --python.")
    return free


def load_average() -> Optional[Tuple[float, float, float]]:
    try:
        return tuple(round(x, 2) for x in os.getloadavg())  # type: ignore[return-value]
    except (AttributeError, OSError):  # Windows has none
        return None


def ram_gib() -> Optional[float]:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB, 1)
    except (AttributeError, ValueError, OSError):
        return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def tool_version(argv: Sequence[str]) -> str:
    """The second word of ``uv --version`` / ``pip --version``; '?' when the tool does not answer."""
    code, out, _ = run_capture(argv, PROBE_TIMEOUT)
    words = out.split()
    return words[1] if code == 0 and len(words) > 1 else "?"


def machine_facts(free_gib: float) -> Machine:
    return Machine(
        date=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), platform=platform.platform(),
        cpu=cpu_model(), cores=os.cpu_count() or 1, ram_gib=ram_gib(), python=platform.python_version(),
        uv=tool_version(["uv", "--version"]), pip=tool_version([sys.executable, "-m", "pip", "--version"]),
        free_disk_gib=round(free_gib, 1), load_before=load_average(),
    )


def folder_mib(path: Path) -> float:
    """Size of the files under ``path``: how much a cache really stored (a hard link counts once)."""
    seen = set()
    total = 0
    for folder, _, files in os.walk(str(path)):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total / 1024 ** 2


def children_cpu() -> Optional[float]:
    """User + system CPU seconds of this process's finished (waited-for) children and their descendants."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
