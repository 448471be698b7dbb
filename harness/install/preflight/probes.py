"""Preflight's probes: the target interpreter (one subprocess) and the host's OS calls (injected).

Which interpreter ``--python 3.10`` means is decided by :mod:`harness.provision` (the finder
``run`` uses too), so preflight checks the very interpreter a run would build its venvs from.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence, Tuple

from harness.install import winsys
from harness.install.preflight.model import TargetFacts


def free_bytes(path: Path) -> int:
    """Free space where ``path`` is or will be (its nearest existing ancestor)."""
    probe = Path(os.path.abspath(str(path)))
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(str(probe)).free


def run_command(argv: Sequence[str], timeout: float) -> Tuple[int, str]:
    """(exit code, stdout); 127 when the program is missing, 124 on timeout."""
    try:
        proc = subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return 124, ""
    except OSError:
        return 127, ""
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class SystemProbes:
    """The host's OS calls; tests replace them with recorded answers."""

    which: Callable[[str], Optional[str]] = shutil.which
    disk_free: Callable[[Path], int] = free_bytes
    read_registry_dword: Callable[[str, str], Optional[int]] = winsys.read_registry_dword
    run: Callable[[Sequence[str], float], Tuple[int, str]] = run_command
    platform: str = sys.platform
    read_registry_str: Callable[[str, str], Optional[str]] = winsys.read_registry_str
    # os.environ is unhashable, which 3.11's dataclasses reject as a plain default.
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


class ProbeError(RuntimeError):
    """The target could not be run or did not answer like a Python interpreter."""


_MARKER = "SPLEETER-MATRIX-FACTS:"
# Runs inside the target. Kept Python-2-parseable so an ancient interpreter
# still answers (and is then blocked by python-version) instead of crashing.
_PROBE_SCRIPT = r"""
import json, struct, sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
try:
    import sysconfig
    purelib = sysconfig.get_paths()["purelib"]
except Exception:
    purelib = ""
def version_of(name):
    try:
        from importlib import metadata
    except ImportError:
        try:
            import pkg_resources
            return pkg_resources.get_distribution(name).version
        except Exception:
            return None
    try:
        return metadata.version(name)
    except Exception:
        return None
impl = getattr(sys, "implementation", None)
facts = {
    "python_version": "%d.%d.%d" % tuple(sys.version_info[:3]),
    "bits": struct.calcsize("P") * 8,
    "executable": sys.executable,
    "platform": sys.platform,
    "implementation": impl.name if impl else "cpython",
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "real_prefix", getattr(sys, "base_prefix", sys.prefix)),
    "purelib": purelib,
}
for name in ("pip", "setuptools", "wheel", "numpy", "nuitka"):
    facts[name + "_version"] = version_of(name)
sys.stdout.write("MARKER" + json.dumps(facts) + "\n")
""".replace("MARKER", _MARKER)


def probe_target(python_exe: Path, timeout: float = 60) -> TargetFacts:
    """Ask the target about itself in one subprocess, without importing numpy.

    ``-E -s``: PYTHON* variables and the user site would not reach the cell's
    venv either, so they must not colour its facts.
    """
    argv = [str(python_exe), "-E", "-s", "-c", _PROBE_SCRIPT]
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ProbeError(f"{python_exe} did not answer within {timeout:g}s") from None
    except OSError as exc:
        raise ProbeError(f"cannot run {python_exe}: {exc}") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ProbeError(f"{python_exe} exited with {proc.returncode}: {' | '.join(tail)}")
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith(_MARKER):
            return TargetFacts.from_json(json.loads(line[len(_MARKER) :]))
    raise ProbeError(
        f"{python_exe} ran but printed no facts: is it a Python interpreter (not a launcher or a compiled app)?"
    )
