"""Interpreter discovery and venv layout, Windows paths included (OS calls injected)."""
from __future__ import annotations

import json
import sys
from pathlib import Path, PureWindowsPath

from harness import provision
from harness.provision import InterpreterFinder, ProvisionOptions, parse_py_launcher, venv_python

# Recorded `py -0p` outputs: the launcher of Python 3.11+ and the older one.
PY_0P_NEW = """\
 -V:3.12 *        C:\\Users\\runner\\AppData\\Local\\Programs\\Python\\Python312\\python.exe
 -V:3.11          C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64\\python.exe
 -V:3.10          C:\\hostedtoolcache\\windows\\Python\\3.10.11\\x64\\python.exe
 -V:3.9-32        C:\\Python39-32\\python.exe
"""
PY_0P_OLD = """\
Installed Pythons found by py Launcher for Windows
 -3.9-64 *       C:\\Python39\\python.exe
 -3.8-32         C:\\Python38-32\\python.exe
"""


def test_venv_python_layouts():
    assert venv_python(Path("v"), windows=True) == Path("v") / "Scripts" / "python.exe"
    assert venv_python(Path("v"), windows=False) == Path("v") / "bin" / "python"


def test_parse_py_launcher_new_and_old_forms():
    pairs = parse_py_launcher(PY_0P_NEW)
    assert pairs[0] == ("3.12", "C:\\Users\\runner\\AppData\\Local\\Programs\\Python\\Python312\\python.exe")
    assert ("3.9-32", "C:\\Python39-32\\python.exe") in pairs
    old = parse_py_launcher(PY_0P_OLD)
    assert old == [("3.9", "C:\\Python39\\python.exe"), ("3.8-32", "C:\\Python38-32\\python.exe")]


def test_py_launcher_prefers_64bit_and_exact_tag():
    runner = lambda argv, timeout: (0, PY_0P_NEW, "")  # noqa: E731
    found = provision.py_launcher_candidates("3.10", runner, windows=True)
    assert found == ["C:\\hostedtoolcache\\windows\\Python\\3.10.11\\x64\\python.exe"]
    assert provision.py_launcher_candidates("3.9", runner, windows=True) == ["C:\\Python39-32\\python.exe"]
    assert provision.py_launcher_candidates("3.10", runner, windows=False) == []


def test_pyenv_candidates_newest_patch_first(tmp_path):
    for version in ("3.10.2", "3.10.13", "3.11.7"):
        exe = tmp_path / "versions" / version / "bin" / "python"
        exe.parent.mkdir(parents=True)
        exe.write_text("")
    found = provision.pyenv_candidates("3.10", {"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)}, windows=False)
    assert [Path(p).parts[-3] for p in found] == ["3.10.13", "3.10.2"]


def test_pyenv_win_layout(tmp_path):
    exe = tmp_path / ".pyenv" / "pyenv-win" / "versions" / "3.9.13" / "python.exe"
    exe.parent.mkdir(parents=True)
    exe.write_text("")
    found = provision.pyenv_candidates("3.9", {"USERPROFILE": str(tmp_path)}, windows=True)
    assert found == [str(exe)]


def test_windows_path_candidates_use_py_style_names():
    seen = []

    def which(name):
        seen.append(name)
        return "C:\\Python310\\python.exe" if name == "python310" else None

    assert provision.path_candidates("3.10", {}, which, windows=True) == ["C:\\Python310\\python.exe"]
    assert seen[0] == "python310"


class FakeRunner:
    """Answers uv and interpreter probes from a table; records the calls."""

    def __init__(self, table):
        self.table = table
        self.calls = []

    def __call__(self, argv, timeout):
        self.calls.append(list(argv))
        for prefix, answer in self.table:
            if list(argv[: len(prefix)]) == prefix:
                return answer
        return (1, "", "error: not found")


def probe_answer(version, bits=64):
    return (0, json.dumps({"version": version, "bits": bits, "impl": "cpython", "executable": "x"}), "")


def test_finder_prefers_uv_find_and_records_source():
    runner = FakeRunner([
        (["uv", "python", "find"], (0, "/uv/cpython-3.10.16/bin/python3\n", "")),
        (["/uv/cpython-3.10.16/bin/python3", "-c"], probe_answer("3.10.16")),
    ])
    info, attempts = InterpreterFinder(ProvisionOptions(), runner, environ={}).find("3.10")
    assert info.source == "uv-find" and info.version == "3.10.16" and info.arch == "64bit"
    assert not any(c[:3] == ["uv", "python", "install"] for c in runner.calls)


def test_finder_falls_back_when_uv_cannot_download(tmp_path):
    layout = ("python.exe",) if provision.IS_WINDOWS else ("bin", "python")
    exe = tmp_path.joinpath("versions", "3.9.18", *layout)
    exe.parent.mkdir(parents=True)
    exe.write_text("")
    runner = FakeRunner([
        (["uv", "python", "install"], (1, "", "error: Failed to download\n  cause: dns error")),
        ([str(exe), "-c"], probe_answer("3.9.18")),
    ])
    finder = InterpreterFinder(ProvisionOptions(), runner, environ={"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path),
                                                                    "USERPROFILE": str(tmp_path), "PATH": ""})
    info, attempts = finder.find("3.9")
    assert info.source == "pyenv" and info.path == str(exe)
    assert [a.source for a in attempts][:2] == ["uv-find", "uv-install"]
    assert "dns error" in attempts[1].detail


def test_finder_reports_every_place_tried_when_nothing_works(tmp_path):
    runner = FakeRunner([])
    finder = InterpreterFinder(ProvisionOptions(allow_download=False), runner,
                               environ={"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)})
    info, attempts = finder.find("3.7")
    assert info is None
    assert attempts[1].detail.startswith("downloads not allowed")


def test_a_shim_that_fails_is_not_trusted(tmp_path):
    runner = FakeRunner([(["/shims/python3.10", "-c"], (127, "", "pyenv: python3.10: command not found"))])
    assert provision.probe_interpreter("/shims/python3.10", runner) is None


def test_real_probe_of_this_interpreter():
    facts = provision.probe_interpreter(sys.executable)
    assert facts["version"].startswith("%d.%d." % sys.version_info[:2])
    assert facts["bits"] in (32, 64)


def test_windows_paths_survive_pure_path_handling():
    # Paths from `py -0p` are kept as text; a PureWindowsPath reads them on any OS.
    path = PureWindowsPath(parse_py_launcher(PY_0P_NEW)[1][1])
    assert path.name == "python.exe" and path.parts[0] == "C:\\"


def test_a_network_failure_stops_further_downloads_in_the_run(tmp_path):
    runner = FakeRunner([(["uv", "python", "install"], (1, "", "error: Failed to install cpython-3.9.25\n"
                                                             "  cause: dns error\n"
                                                             "  cause: failed to lookup address information"))])
    finder = InterpreterFinder(ProvisionOptions(), runner, environ={"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)})
    finder.find("3.9")
    finder.find("3.10")
    installs = [c for c in runner.calls if c[:3] == ["uv", "python", "install"]]
    assert len(installs) == 1
    _, attempts = finder.find("3.10")
    assert attempts[1].detail.startswith("skipped: an earlier download in this run failed")


def test_a_missing_version_does_not_stop_other_downloads(tmp_path):
    runner = FakeRunner([(["uv", "python", "install"], (1, "", "error: No download found for request: cpython-3.5"))])
    finder = InterpreterFinder(ProvisionOptions(), runner, environ={"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)})
    finder.find("3.5")
    finder.find("3.6")
    assert len([c for c in runner.calls if c[:3] == ["uv", "python", "install"]]) == 2


def test_pyenv_candidates_for_a_full_version_and_a_minor_prefix(tmp_path):
    """The cases preflight's own search handled: 3.10.13 over 3.10.2, "3.1" is not 3.10, "3.10.2" exactly."""
    layout = ("python.exe",) if provision.IS_WINDOWS else ("bin", "python")
    made = {}
    for name in ("3.10.13", "3.10.2", "3.1.5", "3.10-dev"):
        exe = tmp_path.joinpath("versions", name, *layout)
        exe.parent.mkdir(parents=True)
        exe.write_text("")
        made[name] = str(exe)
    env = {"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path), "USERPROFILE": str(tmp_path)}
    assert provision.pyenv_candidates("3.10", env) == [made["3.10.13"], made["3.10.2"]]
    assert provision.pyenv_candidates("3.1", env) == [made["3.1.5"]]
    assert provision.pyenv_candidates("3.10.2", env) == [made["3.10.2"]]


def test_locate_a_version_through_the_finder_and_a_path_as_given(tmp_path):
    runner = FakeRunner([
        (["uv", "python", "find"], (0, "/uv/cpython-3.10.16/bin/python3\n", "")),
        (["/uv/cpython-3.10.16/bin/python3", "-c"], probe_answer("3.10.16")),
    ])
    finder = InterpreterFinder(ProvisionOptions(), runner, environ={})
    assert provision.locate("3.10", finder)[0] == "/uv/cpython-3.10.16/bin/python3"
    exe = tmp_path / "python"
    exe.write_text("")
    calls = len(runner.calls)
    assert provision.locate(str(exe), finder) == (str(exe), ())
    path, attempts = provision.locate(str(tmp_path / "missing"), finder)
    assert path is None and attempts[0].detail.endswith("no such file")
    assert len(runner.calls) == calls  # a path is not searched for


def test_version_requests():
    assert all(provision.is_version_request(r) for r in ("3", "3.10", "3.10.13"))
    assert not any(provision.is_version_request(r) for r in ("python3.10", "./python", "3.10\n", "3.10.1.2"))
