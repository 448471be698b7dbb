"""The MAX_PATH budget from real wheel file lists: a recorded one (tensorflow-intel) and real zips read by range."""
from __future__ import annotations

import hashlib
import io
import json
import urllib.error
import zipfile
from pathlib import Path

import pytest

from harness.install import winsys
from harness.plan import wheelpaths
from harness.plan.wheelpaths import RangeFile, WheelPathReader, site_relpath, summarize, venv_root_max
from harness.results import Distribution

RECORDED = Path(__file__).parent / "data" / "plan" / "tensorflow_intel-2.12.1-cp310-win_amd64.files.json"


def test_members_map_to_site_packages_like_pip_installs_them():
    assert site_relpath("tensorflow/python/x.pyd") == "tensorflow\\python\\x.pyd"
    assert site_relpath("pkg-1.0.data/purelib/pkg/a.py") == "pkg\\a.py"
    assert site_relpath("pkg-1.0.data/platlib/pkg/b.pyd") == "pkg\\b.pyd"
    assert site_relpath("pkg-1.0.data/scripts/tool.exe") is None  # goes to Scripts\, not site-packages
    assert site_relpath("pkg-1.0.data/headers/pkg.h") is None
    assert site_relpath("tensorflow/include/") is None  # a directory entry


def test_recorded_tensorflow_intel_file_list_gives_the_measured_155_and_an_85_char_venv_root():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    paths = summarize(recorded["wheel"], recorded["members"])
    assert paths.longest_relpath == 155
    assert paths.deepest_file.endswith("Bufferization\\IR\\BufferizableOpInterface.cpp.inc")
    assert paths.longest_dir_relpath == 125
    budget = wheelpaths.budget_of([paths], "recorded")
    assert budget.venv_root_max == 85 and budget.wheel == recorded["wheel"]
    # the boundary, checked as Windows would count it: C:\ + root, then \Lib\site-packages\ + the deepest file
    root = "C:\\" + "r" * (budget.venv_root_max - 3)
    full = root + "\\" + wheelpaths.SITE_PACKAGES + "\\" + paths.deepest_file
    assert len(full) == winsys.MAX_PATH - 1
    # and preflight's figure for the same relpath agrees
    assert winsys.max_site_packages_length(155) - len("\\Lib\\site-packages") == 85


def test_a_deep_directory_can_be_the_tighter_limit():
    # 247 chars of directory (CreateDirectoryW) binds before 259 of file when the file name is short
    assert venv_root_max(150, 149) == min(259 - 19 - 150, 247 - 19 - 149) == 79


def make_wheel(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, b"x" * 4000)  # enough bytes that the directory is not in the first block
    return buffer.getvalue()


class RangeServer:
    """Serves a byte string the way files.pythonhosted.org does: 206 with Content-Range, or 200 when told to."""

    def __init__(self, body: bytes, honour_range: bool = True):
        self.body, self.honour_range, self.requests = body, honour_range, []

    def __call__(self, request, timeout):
        spec = request.headers["Range"].split("=", 1)[1]
        self.requests.append(spec)
        size = len(self.body)
        if spec.startswith("-"):
            start, end = max(0, size - int(spec[1:])), size - 1
        else:
            first, _, last = spec.partition("-")
            start, end = int(first), min(size - 1, int(last) if last else size - 1)
        if not self.honour_range:
            return Response(200, self.body, {})
        return Response(206, self.body[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{size}"})


class Response(io.BytesIO):
    def __init__(self, status, body, headers):
        super().__init__(body)
        self.status, self.headers = status, headers


@pytest.mark.parametrize("honour_range", [True, False])
def test_range_file_reads_the_central_directory_of_a_real_zip(monkeypatch, honour_range):
    monkeypatch.setattr(wheelpaths, "BLOCK", 1024)
    names = [f"pkg/{'sub/' * n}file{n}.py" for n in range(200)]
    body = make_wheel(names)
    server = RangeServer(body, honour_range)
    remote = RangeFile("https://example.invalid/pkg-1.0-py3-none-any.whl", server)
    assert zipfile.ZipFile(remote).namelist() == names
    if honour_range:
        assert all(not spec.startswith("0-") for spec in server.requests)  # never the whole file
        assert sum(len(b) for b in remote.blocks.values()) < len(body) / 10


def test_reader_caches_by_sha256_and_falls_back_to_the_measured_constant_offline(tmp_path):
    body = make_wheel(["pkg/" + "d" * 40 + "/module.py", "pkg/__init__.py"])
    dist = Distribution("pkg", "1.0", "pkg-1.0-py3-none-any.whl", "https://example.invalid/pkg-1.0-py3-none-any.whl",
                        hashlib.sha256(body).hexdigest())
    reader = WheelPathReader(cache_dir=tmp_path, opener=RangeServer(body))
    budget = reader.budget([dist])
    assert budget.longest_relpath == len("pkg\\" + "d" * 40 + "\\module.py") and budget.wheels_read == 1

    def offline(request, timeout):
        raise urllib.error.URLError("no network")

    cached = WheelPathReader(cache_dir=tmp_path, opener=offline).budget([dist])
    assert cached.longest_relpath == budget.longest_relpath and "0 range requests" in cached.source
    other = Distribution("other", "1.0", "other-1.0-py3-none-any.whl", "https://example.invalid/o.whl", "f" * 64)
    fallback = WheelPathReader(cache_dir=tmp_path, opener=offline).budget([dist, other])
    assert fallback.longest_relpath == 155 and fallback.venv_root_max == 85
    assert fallback.source.startswith("offline: the measured constant") and "no network" in fallback.source
