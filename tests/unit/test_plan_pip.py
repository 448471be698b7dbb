"""pip's plan for another platform: the marker trap (real pip, offline, on tiny real wheels) and recorded reports."""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from harness.plan import pipplan
from harness.plan.targets import PLATFORMS
from harness.proc import clean_env

PLAN = Path(__file__).parent / "data" / "plan"


def wheel(folder: Path, name: str, requires=()) -> Path:
    """A minimal valid wheel (METADATA, WHEEL, RECORD) whose dependencies carry platform markers."""
    path = folder / f"{name}-1.0-py3-none-any.whl"
    files = {
        f"{name}/__init__.py": b"",
        f"{name}-1.0.dist-info/METADATA": ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name
                                           + "".join(f"Requires-Dist: {r}\n" for r in requires)).encode(),
        f"{name}-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode()},"
                     f"{len(b)}\n" for n, b in files.items()) + f"{name}-1.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        for n, b in files.items():
            archive.writestr(n, b)
        archive.writestr(f"{name}-1.0.dist-info/RECORD", record)
    return path


def plan(tmp_path: Path, driver: bool) -> set:
    index = tmp_path / "wheels"
    index.mkdir(exist_ok=True)
    wheel(index, "app", ['winonly==1.0; sys_platform == "win32"', 'linuxonly==1.0; sys_platform == "linux"'])
    wheel(index, "winonly")
    wheel(index, "linuxonly")
    markers = tmp_path / "markers.json"
    markers.write_text(json.dumps(PLATFORMS["windows"].marker_environment("3.10")), encoding="utf-8")
    report = tmp_path / f"report-{driver}.json"
    argv = pipplan.dry_run_argv(PLATFORMS["windows"], "3.10", ["--no-index", "--find-links", str(index)],
                                ["app==1.0"], markers, report, tmp_path / "target")
    if not driver:  # plain pip, same flags: markers evaluated for this host
        argv = [sys.executable, "-m", "pip"] + argv[argv.index("--") + 1:]
    done = subprocess.run(argv, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    assert done.returncode == 0, done.stdout.decode()
    return {d.name for d in pipplan.read_report(report)}


def test_the_driver_evaluates_markers_for_windows_where_plain_pip_uses_the_host(tmp_path):
    assert plan(tmp_path, driver=True) == {"app", "winonly"}
    if sys.platform.startswith("linux"):
        assert plan(tmp_path, driver=False) == {"app", "linuxonly"}  # the trap: --platform alone is not enough


def test_recorded_windows_plan_holds_tensorflow_intel_and_all_65_files():
    dists = pipplan.read_report(PLAN / "win-cp310-pip-pins-031.report.json")
    assert len(dists) == 65
    intel = {d.name: d for d in dists}["tensorflow-intel"]
    assert intel.version == "2.12.1" and intel.filename.endswith("-cp310-cp310-win_amd64.whl")
    assert all(len(d.sha256) == 64 and d.url.startswith("https://") for d in dists)
    report = json.loads((PLAN / "win-cp310-pip-pins-031.report.json").read_text(encoding="utf-8"))
    assert report["environment"]["sys_platform"] == "win32"  # pip itself reports the patched environment


def test_source_strategies_cannot_be_planned_by_pip_and_say_why():
    assert pipplan.needs_sources(["--only-binary=:all:"]) is None
    assert pipplan.needs_sources(["--no-build-isolation"]) is None
    assert pipplan.needs_sources(["--only-binary=:none:"]).startswith("needs sdists (--only-binary=:none:)")
    assert pipplan.needs_sources(["--no-binary=:all:"]).startswith("needs sdists (--no-binary=:all:)")


def test_dry_run_argv_is_isolated_wheel_only_and_drops_build_flags(tmp_path):
    argv = pipplan.dry_run_argv(PLATFORMS["windows"], "3.9", ["--no-build-isolation", "--upgrade", "--no-deps"],
                                ["spleeter==2.4.2"], tmp_path / "m.json", tmp_path / "r.json", tmp_path / "t")
    assert argv[1:4] == ["-m", "harness.plan.pipdriver", str(tmp_path / "m.json")]
    for flag in ("--isolated", "--dry-run", "--ignore-installed", "--only-binary=:all:", "--no-deps"):
        assert flag in argv
    assert "--no-build-isolation" not in argv and "--upgrade" not in argv
    assert argv[argv.index("--abi") + 1] == "cp39" and argv[argv.index("--python-version") + 1] == "3.9"
    assert argv[-1] == "spleeter==2.4.2"
    linux = pipplan.dry_run_argv(PLATFORMS["linux"], "3.9", [], ["x"], tmp_path / "m", tmp_path / "r", tmp_path / "t")
    assert "manylinux2014_x86_64" in linux and "manylinux_2_28_x86_64" in linux


def test_the_driver_serves_a_cached_wheel_metadata_without_the_network(tmp_path):
    """A wheel URL names one immutable file: a METADATA read once is answered from the cache afterwards."""
    url = "https://files.pythonhosted.org/packages/aa/bb/jax-0.4.30-py3-none-any.whl"
    key = hashlib.sha256(url.encode()).hexdigest()
    (tmp_path / f"{key}.METADATA").write_bytes(b"Metadata-Version: 2.1\nName: jax\nVersion: 0.4.30\n"
                                               b"Requires-Dist: numpy>=1.22\n")
    code = ("import sys\n"
            "from harness.plan.pipdriver import use_metadata_cache\n"
            "assert use_metadata_cache(sys.argv[1])\n"
            "from pip._internal.operations import prepare\n"
            "from pip._internal.utils.temp_dir import global_tempdir_manager\n"  # what pip's command sets up
            "with global_tempdir_manager():\n"
            "    dist = prepare.dist_from_wheel_url('jax', sys.argv[2], None)\n"  # no session: a miss would crash
            "    print(dist.version, [str(r) for r in dist.iter_dependencies()])\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), url], capture_output=True, text=True,
                          timeout=120, env=clean_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.4.30 ['numpy>=1.22']"
