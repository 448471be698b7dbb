"""The chain once per distinct environment: a venv's fingerprint, and one chain run per fingerprint.

Two cells whose venvs hold the same interpreter and byte-for-byte the same files
run the same chain on the same item: the second run can only repeat the first
one's figures. The fingerprint is read from the files themselves (not from pip
freeze, not from RECORD), so a venv that differs in any file that an import can
load gets its own chain run. Left out are only what cannot change what runs:

- the venv's launchers and ``pyvenv.cfg`` (they name the venv's own path, so no two venvs share them),
- bytecode caches (``__pycache__``: pip compiles at install time, uv at first import; Python
  checks each ``.pyc`` against its source, which is hashed),
- an installer's bookkeeping in ``*.dist-info`` (``INSTALLER`` says "pip" or "uv", ``RECORD`` lists
  the bytecode, ``REQUESTED`` and ``direct_url.json`` say how the install was asked for,
  ``uv_build.json`` is uv's note on a wheel it built from an sdist: ``{}`` for jax 0.4.13 on 3.8,
  whose files uv and pip otherwise build byte for byte the same; ``uv_cache.json`` is uv's cache
  timestamp for a wheel installed from a local file or ``--find-links`` folder),
- the harness's own marker file, and uv's ``.lock`` (held while uv writes the venv).

Runs on the host (3.10+) and reads the venv directly: nothing is started inside the venv.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Tuple

from harness.once import OncePerKey as OncePerKey  # re-exported: its home moved to harness.once
from harness.results import StepResult
from harness.rundir import MARKER

SKIPPED_TOP = frozenset({"bin", "Scripts", "pyvenv.cfg", MARKER, ".gitignore", "CACHEDIR.TAG", ".lock"})
BOOKKEEPING = frozenset({"INSTALLER", "RECORD", "REQUESTED", "direct_url.json", "uv_build.json", "uv_cache.json"})
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    digest: str  # sha256 over the interpreter and every (path, content) pair
    files: int
    bytes: int
    seconds: float = 0.0  # how long the hashing took


def fingerprint(venv_dir: Path, interpreter_path: str, interpreter_version: str) -> Fingerprint:
    """The venv's identity for the chain: interpreter (path and version) plus every file it can import."""
    started = time.monotonic()
    total = hashlib.sha256(f"interpreter\0{interpreter_path}\0{interpreter_version}\n".encode("utf-8"))
    files = size = 0
    for relative, absolute in _files(Path(venv_dir)):
        total.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        if os.path.islink(absolute):
            total.update(b"link\0" + os.readlink(absolute).encode("utf-8", "surrogateescape"))
        else:
            digest, length = _file_digest(absolute)
            total.update(digest)
            size += length
        total.update(b"\n")
        files += 1
    return Fingerprint(total.hexdigest(), files, size, round(time.monotonic() - started, 2))


def _files(root: Path) -> Iterator[Tuple[str, Path]]:
    """(posix path below the venv, absolute path) of every counted file, in a fixed order."""
    for top, dirs, names in os.walk(root, followlinks=False):
        here = Path(top)
        at_root = here == root
        in_dist_info = here.name.endswith(".dist-info")
        # Symlinked folders (lib64 -> lib) are recorded as links, not walked twice.
        links = [d for d in dirs if os.path.islink(here / d)]
        dirs[:] = sorted(d for d in dirs if d not in links and d != "__pycache__" and
                         not (at_root and d in SKIPPED_TOP))
        for name in sorted(names + links):
            if at_root and name in SKIPPED_TOP or in_dist_info and name in BOOKKEEPING:
                continue
            absolute = here / name
            yield absolute.relative_to(root).as_posix(), absolute


def _file_digest(path: Path) -> Tuple[bytes, int]:
    digest = hashlib.sha256()
    length = 0
    with open(path, "rb") as handle:
        while True:
            block = handle.read(CHUNK)
            if not block:
                return digest.digest(), length
            digest.update(block)
            length += len(block)


def same_environment_as(first: str, step: StepResult, what: str = "chain") -> StepResult:
    """``step`` of ``first``'s run of ``what`` (its chain, or its import check), as a step of a cell whose venv
    had the same files: it did not run here."""
    note = f"{what}: same environment as {first}"
    return replace(step, duration=0.0, message=f"{note}: {step.message}" if step.message else note,
                   log_tail=f"{note} (this {'stage' if what == 'chain' else 'step'} ran there; its log is "
                            f"{step.log_path})\n{step.log_tail}",
                   metrics={**step.metrics, "same_environment_as": first})
