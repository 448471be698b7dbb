"""The end-user profile: a user's machine made from a runner's environment, and its own column group.

The PATH and variables below are what windows-latest shows (Visual Studio 2022's developer
prompt, Strawberry Perl's gcc, mingw64); the tests run the Windows branches on Linux.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from harness.install.enduser import default_pack_venv, long_paths_effective, user_machine
from harness.report import write_reports
from harness.results import PASSED, CellResult, StepResult, merge_runs, write_cell

MSVC_BIN = r"C:\Program Files\Microsoft Visual Studio\2022\Enterprise\VC\Tools\MSVC\14.44.35207\bin\HostX64\x64"
RUNNER_PATH = ";".join([
    r"D:\a\spleeter-matrix\spleeter-matrix\.nox\enduser-3-10\Scripts",
    MSVC_BIN,
    r"C:\Strawberry\c\bin",
    r"C:\mingw64\bin",
    r"C:\Windows\system32",
    r"C:\Windows",
    r"C:\hostedtoolcache\windows\Python\3.12.10\x64",
    "",
])
RUNNER_FILES = {
    MSVC_BIN + r"\cl.exe", MSVC_BIN + r"\link.exe",
    r"C:\Strawberry\c\bin\gcc.exe", r"C:\mingw64\bin\gcc.exe",
    r"C:\Windows\system32\cmd.exe",
    r"D:\a\spleeter-matrix\spleeter-matrix\.nox\enduser-3-10\Scripts\uv.exe",
}


def windows_exists(path: str) -> bool:
    return path.replace("/", "\\") in RUNNER_FILES


def test_a_user_machine_has_no_compiler_or_media_tool_on_path_and_no_msvc_discovery():
    env = {"Path": RUNNER_PATH, "VSINSTALLDIR": r"C:\Program Files\Microsoft Visual Studio\2022\Enterprise",
           "INCLUDE": r"C:\...\include", "ProgramFiles(x86)": r"C:\Program Files (x86)", "USERNAME": "runneradmin"}
    machine = user_machine(env, windows=True, no_tools_dir=r"D:\a\_temp\no-build-tools", exists=windows_exists)
    kept = machine.env["Path"].split(";")
    assert kept == [r"D:\a\spleeter-matrix\spleeter-matrix\.nox\enduser-3-10\Scripts", r"C:\Windows\system32",
                    r"C:\Windows", r"C:\hostedtoolcache\windows\Python\3.12.10\x64"]
    assert machine.removed_path_entries == (MSVC_BIN, r"C:\Strawberry\c\bin", r"C:\mingw64\bin")
    assert "VSINSTALLDIR" not in machine.env and "INCLUDE" not in machine.env
    # setuptools and preflight look for %ProgramFiles(x86)%\Microsoft Visual Studio\Installer\vswhere.exe
    assert machine.env["ProgramFiles(x86)"] == r"D:\a\_temp\no-build-tools"
    assert machine.env["USERNAME"] == "runneradmin"
    assert set(machine.cleared_variables) == {"VSINSTALLDIR", "INCLUDE", "ProgramFiles(x86)"}
    assert machine.facts()["removed_path_entries"] == list(machine.removed_path_entries)


def test_windows_capitalised_names_are_cleared_too():
    # os.environ on Windows hands out every name in capitals.
    env = {"PATH": MSVC_BIN, "DEVENVDIR": r"C:\VS\Common7\IDE", "VCTOOLSINSTALLDIR": r"C:\VS\VC",
           "PROGRAMFILES(X86)": r"C:\Program Files (x86)"}
    machine = user_machine(env, windows=True, no_tools_dir=r"D:\t\none", exists=windows_exists)
    assert machine.env == {"PATH": "", "ProgramFiles(x86)": r"D:\t\none"}
    assert set(machine.cleared_variables) == {"DEVENVDIR", "VCTOOLSINSTALLDIR", "PROGRAMFILES(X86)"}


def test_the_harness_env_stays_on_path_even_when_it_holds_a_hidden_tool():
    scripts = r"D:\a\r\r\.nox\enduser-3-10\Scripts"
    machine = user_machine({"PATH": scripts + ";" + MSVC_BIN}, windows=True, no_tools_dir="X", keep=[scripts],
                           exists=lambda p: p.endswith(("ffmpeg.exe", "cl.exe")))
    assert machine.env["PATH"] == scripts


def test_off_windows_the_same_rules_use_colons_and_leave_program_files_alone(tmp_path):
    tools = tmp_path / "usr-bin"
    tools.mkdir()
    (tools / "ffmpeg").write_text("")
    clean = tmp_path / "venv-bin"
    clean.mkdir()
    machine = user_machine({"PATH": f"{clean}:{tools}"}, windows=False, no_tools_dir=str(tmp_path / "none"))
    assert machine.env["PATH"] == str(clean)
    assert machine.removed_path_entries == (str(tools),)
    assert "ProgramFiles(x86)" not in machine.env


def test_the_pack_goes_where_the_product_puts_it():
    env = {"LOCALAPPDATA": r"C:\Users\runneradmin\AppData\Local"}
    venv = default_pack_venv("SpleeterProduct", "3.10", env, windows=True)
    assert str(venv).replace("/", "\\") == r"C:\Users\runneradmin\AppData\Local\SpleeterProduct\packs\spleeter\py3.10"
    assert default_pack_venv("P", "3.9", {"HOME": "/home/u"}, windows=False) == \
        Path("/home/u/.local/share/P/packs/spleeter/py3.9")


def test_long_paths_are_never_a_limit_off_windows(tmp_path):
    assert long_paths_effective(tmp_path, windows=False) is True
    assert list(tmp_path.iterdir()) == []


def test_the_windows_long_path_probe_writes_past_260_characters_and_removes_only_its_own(tmp_path):
    (tmp_path / "user-file.txt").write_text("keep")
    written = []

    def record(deep):
        written.append(len(str(deep / "probe.txt")))
        deep.mkdir(parents=True)
        (deep / "probe.txt").write_text("x")

    assert long_paths_effective(tmp_path, windows=True, create=record) is True
    assert written and written[0] > 260
    assert [p.name for p in tmp_path.iterdir()] == ["user-file.txt"]

    def refuse(deep):  # what Windows answers with LongPathsEnabled=0
        (deep.parents[len(deep.parts) - len(tmp_path.parts) - 2]).mkdir(parents=True)
        raise FileNotFoundError(3, "The system cannot find the path specified", str(deep))

    assert long_paths_effective(tmp_path, windows=True, create=refuse) is False
    assert [p.name for p in tmp_path.iterdir()] == ["user-file.txt"]


def _cell(profile: str, status: str = PASSED) -> CellResult:
    step = StepResult(name="end-user-profile", status=PASSED, kind="provision", metrics={"venv_path_chars": 63})
    return CellResult(run_id="r", python="3.10", strategy="resilient", installer="pip", status=status,
                      steps=(step,), platform="windows", profile=profile, winner="no-deps-pinned")


def test_the_end_user_cell_is_its_own_column_group_file_and_junit_suite(tmp_path):
    runner_dir, user_dir = tmp_path / "windows-py3.10", tmp_path / "enduser-py3.10"
    assert write_cell(runner_dir, _cell("")).name == "3.10--resilient.json"
    assert write_cell(user_dir, _cell("end-user")).name == "3.10--resilient--end-user.json"
    cells = merge_runs([runner_dir, user_dir])
    assert [c.where for c in cells] == ["windows", "windows · end-user profile"]  # both kept, not merged
    assert CellResult.from_json(json.loads((user_dir / "cells" / "3.10--resilient--end-user.json").read_text())) \
        .profile == "end-user"
    _, files = write_reports(cells, tmp_path / "merged", ("3.11", "3.10"), ("resilient",))
    table = json.loads(files.json.read_text())
    assert [c["title"] for c in table["columns"]] == ["3.10 · windows", "3.10 · windows · end-user profile"]
    assert "Recommended on windows · end-user profile: Python 3.10" in files.markdown.read_text()
    suites = ET.parse(files.junit).getroot().findall("testsuite")
    assert sorted(s.get("name") for s in suites) == ["python-3.10-windows", "python-3.10-windows-end-user"]
    user_suite = next(s for s in suites if s.get("name").endswith("end-user"))
    assert {c.get("classname") for c in user_suite.findall("testcase")} == {"windows-end-user.py310.resilient"}
