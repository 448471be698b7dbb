"""The deepest path a wheel installs, read from the wheel's own file list (its zip central directory).

A Windows venv puts a wheel's files under ``<venv>\\Lib\\site-packages\\``;
with long paths off, no full path may exceed 259 characters (MAX_PATH counts
the NUL) and no directory 247 (CreateDirectoryW's MAX_PATH - 12). So the
budget for the venv root is set by the longest file and the longest directory
of the whole wheel set.

The file list is the zip's central directory at the end of the file: an HTTP
range request for the tail (and one for the directory when it is larger)
reads it without downloading the wheel. An index that ignores ``Range`` gets
one full download into the cache instead. Each wheel's answer is cached by
its sha256, so a wheel is read once per machine.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Optional, Sequence, Tuple

from harness.install import winsys
from harness.results import Distribution, PathBudget

SITE_PACKAGES = "Lib\\site-packages"  # below a Windows venv root
MAX_DIR = winsys.MAX_PATH - 12  # CreateDirectoryW without long paths (counts the NUL, like MAX_PATH)
BLOCK = 256 * 1024  # bytes per range request: the tail of most wheels holds the whole directory
TIMEOUT = 60.0

Opener = Callable[[urllib.request.Request, float], "urllib.response.addinfourl"]


class WheelPathsUnavailable(RuntimeError):
    """The wheel's file list could not be read (offline, index error, not a zip)."""


@dataclass(frozen=True)
class WheelPaths:
    """What one wheel installs below site-packages: its deepest file and directory, in characters."""

    filename: str
    longest_relpath: int
    deepest_file: str  # relative to site-packages, backslashes
    longest_dir_relpath: int
    files: int

    def to_json(self) -> Dict[str, object]:
        return asdict(self)


def site_relpath(member: str) -> Optional[str]:
    """Where a zip member lands below site-packages (Windows separators), or None when it does not.

    ``*.data/purelib/`` and ``*.data/platlib/`` go to site-packages like the
    root; the other ``*.data/`` schemes (scripts, headers, data) go elsewhere.
    """
    if member.endswith("/"):
        return None
    head, _, rest = member.partition("/")
    if head.endswith(".data"):
        scheme, _, inner = rest.partition("/")
        if scheme not in ("purelib", "platlib") or not inner:
            return None
        member = inner
    return member.replace("/", "\\")


def summarize(filename: str, members: Iterable[str]) -> WheelPaths:
    longest, deepest, longest_dir, count = 0, "", 0, 0
    for member in members:
        rel = site_relpath(member)
        if rel is None:
            continue
        count += 1
        if len(rel) > longest:
            longest, deepest = len(rel), rel
        directory = rel.rpartition("\\")[0]
        longest_dir = max(longest_dir, len(directory))
    return WheelPaths(filename, longest, deepest, longest_dir, count)


def venv_root_max(longest_relpath: int, longest_dir_relpath: int) -> int:
    """The longest venv root (``C:\\...``) that keeps every file and directory of the set under the limits."""
    below = 1 + len(SITE_PACKAGES) + 1  # "\\Lib\\site-packages\\"
    by_file = winsys.MAX_PATH - 1 - below - longest_relpath
    by_dir = MAX_DIR - 1 - below - longest_dir_relpath
    return min(by_file, by_dir)


def budget_of(wheels: Sequence[WheelPaths], source: str) -> PathBudget:
    deepest = max(wheels, key=lambda w: w.longest_relpath)
    longest_dir = max(w.longest_dir_relpath for w in wheels)
    return PathBudget(longest_relpath=deepest.longest_relpath, deepest_file=deepest.deepest_file,
                      wheel=deepest.filename, venv_root_max=venv_root_max(deepest.longest_relpath, longest_dir),
                      source=source, wheels_read=len(wheels))


def measured_budget() -> PathBudget:
    """The fallback when the wheels cannot be read: the constant measured on TensorFlow 2.12.1's wheels."""
    from harness.install.preflight import TF_LONGEST_RELPATH

    return PathBudget(longest_relpath=TF_LONGEST_RELPATH, deepest_file="tensorflow\\include\\...",
                      wheel="tensorflow_intel-2.12.1",
                      venv_root_max=venv_root_max(TF_LONGEST_RELPATH, 0),
                      source="offline: the measured constant (TF 2.12.1), not the set's own wheels")


# ------------------------------------------------------------------ reading over HTTP
def _urlopen(request: urllib.request.Request, timeout: float) -> "urllib.response.addinfourl":
    response: "urllib.response.addinfourl" = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - https wheel URLs
    return response


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file that fetches only the byte ranges read."""

    def __init__(self, url: str, opener: Opener = _urlopen, timeout: float = TIMEOUT) -> None:
        super().__init__()
        self.url, self.opener, self.timeout = url, opener, timeout
        self.blocks: Dict[int, bytes] = {}
        self.pos = 0
        self.requests = 0
        self.size = self._fetch_tail()

    def _get(self, first: int, last: Optional[int]) -> Tuple[int, Optional[int], bytes]:
        spec = f"bytes={first}-{'' if last is None else last}" if first >= 0 else f"bytes={first}"
        request = urllib.request.Request(self.url, headers={"Range": spec, "User-Agent": "spleeter-matrix"})
        self.requests += 1
        with self.opener(request, self.timeout) as response:
            body = response.read()
            status = getattr(response, "status", 200)
            content_range = response.headers.get("Content-Range", "")
        if status != 206 or "/" not in content_range:
            return 0, len(body), body  # the whole file: this index ignores Range
        start = int(content_range.split()[1].split("-")[0])
        return start, int(content_range.rsplit("/", 1)[1]), body

    def _fetch_tail(self) -> int:
        start, total, body = self._get(-BLOCK, None)
        total = total if total is not None else len(body)
        self._store(start, body)
        return total

    def _store(self, start: int, body: bytes) -> None:
        # Cached as one block per distinct fetch, keyed by its start offset.
        self.blocks[start] = body

    def _find(self, offset: int) -> Optional[Tuple[int, bytes]]:
        for start, body in self.blocks.items():
            if start <= offset < start + len(body):
                return start, body
        return None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        wanted = min(len(buffer), self.size - self.pos)
        if wanted <= 0:
            return 0
        found = self._find(self.pos)
        if found is None:
            last = min(self.size, self.pos + max(wanted, BLOCK)) - 1
            start, _, body = self._get(self.pos, last)
            self._store(start, body)
            found = (start, body)
        start, body = found
        chunk = body[self.pos - start: self.pos - start + wanted]
        buffer[: len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)


def default_cache_dir() -> Path:
    root = os.environ.get("SPLEETER_MATRIX_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "spleeter-matrix")
    return Path(root) / "wheel-paths"


class WheelPathReader:
    """Reads (and caches by sha256) the file-list summary of each wheel of a plan."""

    def __init__(self, cache_dir: Optional[Path] = None, opener: Opener = _urlopen, workers: int = 8) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self.opener = opener
        self.workers = workers
        self.requests = 0

    def _cached(self, sha256: str) -> Optional[WheelPaths]:
        path = self.cache_dir / f"{sha256}.json"
        try:
            return WheelPaths(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def _remember(self, sha256: str, paths: WheelPaths) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        target = self.cache_dir / f"{sha256}.json"
        tmp = target.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")  # several cells read one wheel
        tmp.write_text(json.dumps(paths.to_json()), encoding="utf-8")
        os.replace(tmp, target)

    def read(self, dist: Distribution) -> WheelPaths:
        if not dist.filename.endswith(".whl"):
            raise WheelPathsUnavailable(f"{dist.filename} is not a wheel: its installed files are unknown until built")
        cached = self._cached(dist.sha256) if dist.sha256 else None
        if cached is not None:
            return cached
        try:
            remote = RangeFile(dist.url, self.opener)
            if remote.size > BLOCK and len(remote.blocks.get(0, b"")) == remote.size:
                _check_sha256(remote.blocks[0], dist)  # a full download: verify what we read
            with zipfile.ZipFile(remote) as archive:
                paths = summarize(dist.filename, archive.namelist())
            self.requests += remote.requests
        except (urllib.error.URLError, OSError, zipfile.BadZipFile, ValueError) as exc:
            raise WheelPathsUnavailable(f"{dist.filename}: {type(exc).__name__}: {exc}") from None
        if dist.sha256:
            try:
                self._remember(dist.sha256, paths)
            except OSError:
                pass  # a read-only cache costs a re-read next time, not the answer
        return paths

    def budget(self, distributions: Sequence[Distribution]) -> PathBudget:
        """The plan's budget from every wheel; the measured constant (said so) when any cannot be read."""
        wheels = [d for d in distributions if d.filename.endswith(".whl")]
        if not wheels:
            return measured_budget()
        before = self.requests
        try:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                read = list(pool.map(self.read, wheels))
        except WheelPathsUnavailable as exc:
            fallback = measured_budget()
            return PathBudget(**{**fallback.to_json(), "source": f"{fallback.source} ({exc})"})
        fetched = self.requests - before
        how = f"{len(read)} wheels' file lists ({fetched} range requests, the rest from the cache)"
        return budget_of(read, how)


def _check_sha256(body: bytes, dist: Distribution) -> None:
    if dist.sha256 and hashlib.sha256(body).hexdigest() != dist.sha256:
        raise ValueError(f"downloaded {dist.filename} does not match its sha256")


def budget_from_lock(path: Path, reader: Optional[WheelPathReader] = None) -> PathBudget:
    """The MAX_PATH budget of a lock written by ``harness lock``: recorded in it, else read from its wheels.

    Falls back to the measured constant, and says so in ``source``, when the lock
    holds no figure and its wheels cannot be read (offline).
    """
    from harness.plan.pylock import distributions_of, read_lock

    entries, tool = read_lock(path)
    if "longest-relpath" in tool and "venv-root-max" in tool:
        return PathBudget(longest_relpath=int(tool["longest-relpath"]), deepest_file=str(tool.get("deepest-file", "")),
                          wheel="", venv_root_max=int(tool["venv-root-max"]),
                          source=f"{path} (computed from its wheels' file lists)", wheels_read=len(entries))
    return (reader or WheelPathReader()).budget(distributions_of(path))
