"""The run's loopback caching index for pip: real proxpi, real pip, a loopback upstream (offline)."""
from __future__ import annotations

import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from harness.install.index_cache import IndexCache, hold_folder
from tests.unit.wheels import tiny_wheel


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def upstream(tmp_path, monkeypatch):
    """A PEP 503 index on loopback with one project, standing in for PyPI."""
    for var in ("no_proxy", "NO_PROXY"):  # a proxy configured for PyPI must not take loopback
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    root = tmp_path / "upstream"
    wheel = tiny_wheel(root / "files", b"VALUE = 1\n" * 5000)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    page = root / "simple" / "tinypkg"
    page.mkdir(parents=True)
    (page / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="../../files/{wheel.name}#sha256={digest}">{wheel.name}</a>'
        "</body></html>", encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/", wheel
    server.shutdown()
    server.server_close()


def pip_install(index: str, target: Path) -> str:
    """What the harness's pip cells do (isolated from the machine's pip config), into ``target``; its freeze."""
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    subprocess.run([sys.executable, "-m", "pip", "install", "--isolated", "--no-input", "--disable-pip-version-check",
                    "--index-url", index, "--no-cache-dir", "--target", str(target), "tinypkg"],
                   check=True, capture_output=True, timeout=120, env=env)
    done = subprocess.run([sys.executable, "-m", "pip", "list", "--isolated", "--format", "freeze", "--path",
                           str(target)], check=True, capture_output=True, text=True, timeout=60, env=env)
    return done.stdout


def test_pip_gets_the_same_install_and_each_file_comes_from_upstream_once(tmp_path, upstream):
    index_url, wheel = upstream
    direct = pip_install(index_url, tmp_path / "direct")
    cache = IndexCache(tmp_path / "cache", tmp_path / "logs" / "index-cache.log", upstream=index_url)
    url = cache.start()
    assert url.startswith("http://127.0.0.1:")  # loopback only
    first, second = pip_install(url, tmp_path / "one"), pip_install(url, tmp_path / "two")
    stats = cache.stop()
    assert direct == first == second == "tinypkg==1.0\n"
    size = wheel.stat().st_size
    counted = (stats.files_served, stats.served_bytes, stats.network_bytes, stats.cached_bytes)
    assert counted == (2, 2 * size, size, size)
    assert stats.passed_through == 0
    assert "of it from the network" in stats.line()

    # A second run with the same cache folder fetches nothing.
    again = IndexCache(tmp_path / "cache", tmp_path / "logs" / "index-cache-2.log", upstream=index_url)
    pip_install(again.start(), tmp_path / "three")
    stats = again.stop()
    assert (stats.network_bytes, stats.cached_bytes) == (0, size)


def test_the_cache_stops_by_itself_when_the_harness_end_of_its_stdin_closes(tmp_path, upstream):
    cache = IndexCache(tmp_path / "cache", tmp_path / "index-cache.log", upstream=upstream[0])
    cache.start()
    process = cache._process
    process.stdin.close()  # what the OS does when the harness dies, however it dies
    assert process.wait(30) == 0


def test_a_cache_folder_is_held_by_one_run_at_a_time(tmp_path):
    script = ("import sys, time; from pathlib import Path; from harness.install.index_cache import hold_folder; "
              "print(hold_folder(Path(sys.argv[1])), flush=True); time.sleep(30)")
    other = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "cache")], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert other.stdout.readline().strip() == "True"
        assert hold_folder(tmp_path / "cache") is False
        assert hold_folder(tmp_path / "another") is True
    finally:
        other.kill()
        other.wait(10)
