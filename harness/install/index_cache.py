"""Each file from the network once per run for pip: a loopback caching index in front of PyPI.

pip's own HTTP cache stores nothing when the way to PyPI drops caching headers (this machine's
proxy does, a corporate one may too), so every pip cell downloaded TensorFlow again. uv's cache
has no such problem, so only pip strategies are pointed here.

The index is proxpi (a maintained PyPI caching mirror): it serves PyPI's own project pages
(files, hashes, requires-python, yanked, core metadata) and keeps each file it fetched on disk,
so pip sees the same candidates and resolves the same plan, and a file that a second cell wants
comes from disk. It listens on 127.0.0.1 only, on a port the OS picks, and stops by itself when
the harness's end of its stdin closes (the harness ended, however it ended).

Run as ``python -m harness.install.index_cache CACHE_DIR STATS_JSON [UPSTREAM]`` by :class:`IndexCache`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

WSGIApp = Callable[[Dict[str, Any], Callable[..., Any]], Iterable[bytes]]

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
UPSTREAM = "https://pypi.org/simple/"


@dataclass(frozen=True)
class CacheStats:
    network_bytes: int  # files fetched from PyPI by the cache in this run (each once)
    served_bytes: int  # files pip received from the cache
    files_served: int
    passed_through: int  # redirects to PyPI (a download the cache gave up waiting for)

    @property
    def cached_bytes(self) -> int:
        return max(0, self.served_bytes - self.network_bytes)

    def line(self) -> str:
        text = (f"pip files: {size_text(self.served_bytes)} in {self.files_served} downloads, "
                f"{size_text(self.network_bytes)} of it from the network, {size_text(self.cached_bytes)} "
                "from the index cache")
        return text + (f"; {self.passed_through} sent to PyPI directly" if self.passed_through else "")


def size_text(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


_HELD: List[Any] = []  # open lock files: a lock lasts as long as the harness process


def hold_folder(folder: Path) -> bool:
    """Take ``folder``'s lock for this process; False when another run holds it (then use a folder of your own).

    Two caches writing one folder would delete each other's half-downloaded files at start.
    Without ``fcntl`` (Windows) the folder is taken as free.
    """
    try:
        import fcntl
    except ImportError:
        return True
    Path(folder).mkdir(parents=True, exist_ok=True)
    handle = open(Path(folder).with_suffix(".lock"), "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _HELD.append(handle)
    return True


class IndexCache:
    """The caching index for one run: ``url`` while it runs; :meth:`stop` gives the byte counts."""

    def __init__(self, cache_dir: Path, log_path: Path, python: str = sys.executable, upstream: str = UPSTREAM) -> None:
        self.cache_dir = Path(cache_dir)
        self.upstream = upstream
        self.log_path = Path(log_path)
        self.python = python
        self.stats_path = self.log_path.with_suffix(".json")
        self.url = ""
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._before = 0

    def start(self) -> str:
        """Start the server; its URL, or "" (with the reason in the log) when it could not start."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._before = folder_bytes(self.cache_dir)
        log = open(self.log_path, "ab")
        try:
            self._process = subprocess.Popen(
                [self.python, "-m", "harness.install.index_cache", str(self.cache_dir), str(self.stats_path),
                 self.upstream],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        finally:
            log.close()
        assert self._process.stdout is not None  # stdout=PIPE above
        port = _first_line(self._process.stdout, START_TIMEOUT)
        if not port.isdigit():
            self.stop()
            return ""
        self.url = f"http://127.0.0.1:{port}/index/"
        return self.url

    def stop(self) -> Optional[CacheStats]:
        """Close its stdin (it writes its counts and exits), wait, kill it if it does not."""
        process, self._process = self._process, None
        if process is None:
            return None
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(STOP_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait(STOP_TIMEOUT)
        try:
            counts = json.loads(self.stats_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return CacheStats(network_bytes=folder_bytes(self.cache_dir) - self._before,
                          served_bytes=int(counts.get("served_bytes", 0)),
                          files_served=int(counts.get("files_served", 0)),
                          passed_through=int(counts.get("passed_through", 0)))


def _first_line(stream: IO[bytes], timeout: float) -> str:
    """The first line of ``stream``, or "" after ``timeout`` (a thread: pipes cannot be polled on Windows)."""
    got = []
    reader = threading.Thread(target=lambda: got.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return got[0].decode("ascii", "replace").strip() if got else ""


# -- the server side (its own process)

class _Counting:
    """WSGI middleware counting the bytes of the files (not the pages) the cache hands out."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.counts = {"served_bytes": 0, "files_served": 0, "passed_through": 0}

    def __call__(self, environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        is_file = path.startswith("/index/") and not path.endswith("/") and path.count("/") >= 3
        status: List[str] = []

        def recording_start(code: str, headers: List[Tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(code)
            return start_response(code, headers, exc_info)

        body = self.app(environ, recording_start)
        if not is_file:
            return body
        return self._count(body, status)

    def _count(self, body: Iterable[bytes], status: List[str]) -> Iterator[bytes]:
        sent = 0
        try:
            for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            with self.lock:
                if status and status[0].startswith("200"):
                    self.counts["served_bytes"] += sent
                    self.counts["files_served"] += 1
                elif status and status[0].startswith("30"):
                    self.counts["passed_through"] += 1

    def write(self, target: str) -> None:
        with self.lock:
            Path(target).write_text(json.dumps(self.counts), encoding="utf-8")


def serve(cache_dir: str, stats_path: str, upstream: str = UPSTREAM) -> None:
    # proxpi reads its configuration at import. A long download timeout makes pip wait for the
    # cache's own download instead of being redirected to PyPI (which would fetch the file twice).
    os.environ.update({"PROXPI_INDEX_URL": upstream, "PROXPI_CACHE_DIR": cache_dir,
                       "PROXPI_DOWNLOAD_TIMEOUT": "1800", "PROXPI_CACHE_SIZE": str(64 * 1024 ** 3),
                       "PROXPI_CONNECT_TIMEOUT": "30", "PROXPI_READ_TIMEOUT": "120",
                       "PROXPI_LOGGING_LEVEL": "WARNING"})
    from proxpi.server import app
    from werkzeug.serving import make_server

    counting = _Counting(app)
    server = make_server("127.0.0.1", 0, counting, threaded=True)

    def stop_when_the_harness_is_gone() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the harness closed it, or died
        counting.write(stats_path)
        os._exit(0)

    threading.Thread(target=stop_when_the_harness_is_gone, daemon=True).start()
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(*sys.argv[1:4])
