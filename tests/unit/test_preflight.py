"""Preflight checks: every verdict from constructed facts and recorded OS answers.

The Windows checks are fed what Windows really answers (vswhere stdout with
CRLF, registry DWORDs or their absence), so they run on any platform; the
real probes are exercised too, where they exist.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path, PureWindowsPath
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from harness import matrix
from harness.install import preflight, winsys
from harness.install.preflight import (
    BLOCK,
    CHECK_NAMES,
    NOT_APPLICABLE,
    PASS,
    WARN,
    CheckResult,
    PreflightOptions,
    ProbeError,
    SystemProbes,
    TargetFacts,
    blocking,
    probe_target,
    render_table,
    run_checks,
)
from harness.install.preflight.cli import finder_for, gather
from harness.provision import InterpreterFinder, ProvisionOptions
from harness.versions import version_key

GIB = 1024**3
WINDOWS_CHECKS = ("msvc-build-tools", "long-paths", "path-length", "vc-redist")
VSWHERE = r"C:\Program Files (x86)\Microsoft Visual Studio\Installer\vswhere.exe"
# Recorded vswhere answers (it prints CRLF lines, and nothing when no instance matches).
VSWHERE_BUILDTOOLS = "C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\BuildTools\r\n"
VSWHERE_TWO = (
    "C:\\Program Files\\Microsoft Visual Studio\\2022\\Community\r\n"
    "C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\BuildTools\r\n"
)
PY38 = Path("/root/.pyenv/versions/3.8.18/bin/python")
PY312 = Path("/root/.pyenv/versions/3.12.1/bin/python")
PY27 = Path("/root/.pyenv/versions/2.7.18/bin/python")


def make_facts(**changes: object) -> TargetFacts:
    base = dict(
        python_version="3.10.13",
        bits=64,
        executable="/w/venv/bin/python",
        platform="linux",
        pip_version="23.0.1",
        setuptools_version="69.0.3",
        wheel_version="0.42.0",
        numpy_version=None,
        nuitka_version=None,
        prefix="/w/venv",
        base_prefix="/usr",
        purelib="/w/venv/lib/python3.10/site-packages",
    )
    base.update(changes)
    return TargetFacts(**base)  # type: ignore[arg-type]


def win_facts(**changes: object) -> TargetFacts:
    base: Dict[str, object] = dict(
        executable="C:\\sm\\venv\\Scripts\\python.exe",
        platform="win32",
        prefix="C:\\sm\\venv",
        base_prefix="C:\\Python310",
        purelib="C:\\sm\\venv\\Lib\\site-packages",
    )
    base.update(changes)
    return make_facts(**base)


class Recorder:
    """A fake ``run``: answers from a table and remembers every argv it got."""

    def __init__(self, answers: Dict[str, Tuple[int, str]]):
        self.answers = answers
        self.calls: List[Tuple[Tuple[str, ...], float]] = []

    def __call__(self, argv: Sequence[str], timeout: float) -> Tuple[int, str]:
        self.calls.append((tuple(argv), timeout))
        return self.answers[argv[0]]


def no_run(argv: Sequence[str], timeout: float) -> Tuple[int, str]:
    raise AssertionError(f"unexpected subprocess {argv}")


def make_probes(
    platform: str = "linux",
    on_path: Sequence[str] = ("ffmpeg", "ffprobe"),
    free: int = 100 * GIB,
    dwords: Optional[Dict[Tuple[str, str], int]] = None,
    strings: Optional[Dict[Tuple[str, str], str]] = None,
    run=no_run,
    files: Sequence[str] = (),
) -> SystemProbes:
    """Injected OS answers. ``files`` are absolute paths ``which`` accepts (like vswhere.exe)."""

    def which(name: str) -> Optional[str]:
        if name in files:
            return name
        return f"/usr/bin/{name}" if name in on_path else None

    return SystemProbes(
        which=which,
        disk_free=lambda path: free,
        read_registry_dword=lambda key, value: (dwords or {}).get((key, value)),
        run=run,
        platform=platform,
        read_registry_str=lambda key, value: (strings or {}).get((key, value)),
        environ={"ProgramFiles(x86)": "C:\\Program Files (x86)"},
    )


def check(
    name: str,
    facts: Optional[TargetFacts] = None,
    options: Optional[PreflightOptions] = None,
    probes: Optional[SystemProbes] = None,
    work_dir: object = Path("work") / "venv",
) -> CheckResult:
    results = run_checks(
        facts or make_facts(),
        options or PreflightOptions(),
        work_dir,
        probes or make_probes(),  # type: ignore[arg-type]
    )
    (result,) = [r for r in results if r.name == name]
    return result


LONG_PATHS_ON = {(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE): 1}
LONG_PATHS_OFF = {(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE): 0}


# ------------------------------------------------------------- options
@pytest.mark.parametrize(
    "changes",
    [{"requires_python": "3.8+"}, {"installer": "conda"}, {"min_pip": "latest"}, {"numpy_pack_spec": "<1.24,"}],
)
def test_bad_options_fail_at_construction(changes: Dict[str, str]) -> None:
    with pytest.raises(ValueError):
        PreflightOptions(**changes)  # type: ignore[arg-type]


# --------------------------------------------------------------- checks
def test_checks_run_in_a_fixed_order() -> None:
    results = run_checks(make_facts(), PreflightOptions(), Path("v"), make_probes())
    assert tuple(r.name for r in results) == CHECK_NAMES
    assert CHECK_NAMES == (
        "python-version",
        "python-bits",
        "pip",
        "setuptools-wheel",
        "numpy",
        "nuitka",
        "msvc-build-tools",
        "long-paths",
        "path-length",
        "vc-redist",
        "ffmpeg",
        "disk-space",
    )


def test_a_platform_check_elsewhere_is_not_applicable_without_running() -> None:
    def boom(ctx: preflight.CheckContext) -> preflight.Verdict:
        raise AssertionError("ran on the wrong platform")

    only_windows = preflight.Check("x", boom, "win32", "not Windows")
    ctx = preflight.CheckContext(make_facts(), PreflightOptions(), Path("v"), make_probes(platform="linux"))
    assert only_windows.verdict(ctx) == preflight.Verdict(NOT_APPLICABLE, "not Windows")
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES)
    # the registry names every verdict: no check writes its own name
    assert [c.name for c in preflight.CHECKS] == [r.name for r in run_checks(make_facts(), PreflightOptions(),
                                                                             Path("v"), make_probes())]


@pytest.mark.parametrize(
    "version, status",
    [("3.8.18", PASS), ("3.11.7", PASS), ("3.12.1", BLOCK), ("3.7.16", BLOCK), ("2.7.18", BLOCK)],
)
def test_python_version(version: str, status: str) -> None:
    result = check("python-version", make_facts(python_version=version))
    assert result.status == status
    if status == BLOCK:
        assert result.message.startswith(f"Python {version} is outside the pack's Requires-Python >=3.8,<3.12")
        assert "uv python install 3.10" in result.fix
        assert result.category == "python-version-unsupported"


def test_python_version_blocks_other_implementations() -> None:
    result = check("python-version", make_facts(implementation="pypy", python_version="3.10.14"))
    assert (result.status, result.message) == (BLOCK, "pypy 3.10.14: TensorFlow publishes wheels for CPython only")


def test_python_bits() -> None:
    assert check("python-bits").status == PASS
    result = check("python-bits", make_facts(bits=32))
    assert result.status == BLOCK
    assert "32-bit interpreter: TensorFlow 2.12 has no 32-bit wheels" in result.message
    assert "py -3.10-64" in result.fix
    assert result.category == "no-wheel-for-platform"


@pytest.mark.parametrize(
    "pip, status",
    [("23.0.1", PASS), ("20.3", PASS), ("20.2.4", WARN), ("19.3", WARN), ("19.2.3", BLOCK), ("9.0.1", BLOCK)],
)
def test_pip_versions(pip: str, status: str) -> None:
    result = check("pip", make_facts(pip_version=pip))
    assert result.status == status
    if status != PASS:
        assert result.fix == '/w/venv/bin/python -m pip install --upgrade "pip>=20.3"'
        assert result.category == "pip-outdated"


def test_old_pip_only_blocks_where_wheels_are_manylinux2014() -> None:
    assert check("pip", make_facts(pip_version="19.2.3", platform="linux")).status == BLOCK
    windows = check("pip", win_facts(pip_version="19.2.3"))  # what Python 3.8.0 shipped
    assert (windows.status, windows.fix) == (
        WARN,
        'C:\\sm\\venv\\Scripts\\python.exe -m pip install --upgrade "pip>=20.3"',
    )


def test_pip_missing_and_quoted_executable() -> None:
    result = check("pip", make_facts(pip_version=None, executable="C:\\My Apps\\py\\python.exe"))
    assert result.status == BLOCK
    assert result.fix == '"C:\\My Apps\\py\\python.exe" -m ensurepip --upgrade'


def test_pip_not_applicable_for_uv_and_min_pip_is_an_option() -> None:
    assert check("pip", make_facts(pip_version=None), PreflightOptions(installer="uv")).status == NOT_APPLICABLE
    assert check("pip", make_facts(pip_version="22.0"), PreflightOptions(min_pip="23")).status == BLOCK


def test_setuptools_wheel() -> None:
    assert check("setuptools-wheel").message == "setuptools 69.0.3, wheel 0.42.0"
    warn = check("setuptools-wheel", make_facts(wheel_version=None))
    assert (warn.status, warn.message) == (
        WARN,
        "wheel not installed in the target (only needed if a package must build from source)",
    )
    block = check(
        "setuptools-wheel",
        make_facts(setuptools_version=None, wheel_version=None),
        PreflightOptions(allow_source_builds=True),
    )
    assert block.status == BLOCK
    assert block.message.startswith("setuptools and wheel not installed")
    assert block.fix == "/w/venv/bin/python -m pip install --upgrade setuptools wheel"


@pytest.mark.parametrize(
    "numpy, in_venv, status",
    [
        (None, True, PASS),
        ("1.24.3", True, PASS),
        ("1.22.0", True, PASS),
        ("1.26.4", True, WARN),  # numpy 1.x, but outside TF 2.12.1's pin: pip replaces it
        ("2.0.1", True, BLOCK),
        ("2.0.0rc1", True, BLOCK),
        ("2.0.1", False, WARN),  # in a base interpreter: a fresh venv won't see it
    ],
)
def test_numpy(numpy: Optional[str], in_venv: bool, status: str) -> None:
    facts = make_facts(numpy_version=numpy, base_prefix="/usr" if in_venv else "/w/venv")
    result = check("numpy", facts)
    assert result.status == status
    if status == BLOCK:
        assert result.message == (
            f"numpy {numpy} in the target venv: the pack needs numpy<2 (TensorFlow 2.12 fails to import on numpy 2)"
        )
        assert result.fix.startswith('/w/venv/bin/python -m pip install "numpy>=1.22,<=1.24.3"')
        assert result.category == "dependency-conflict"


def test_nuitka() -> None:
    assert check("nuitka").status == PASS
    for options in (PreflightOptions(), PreflightOptions(allow_source_builds=True)):
        warn = check("nuitka", make_facts(nuitka_version="4.3.3"), options)
        assert warn.status == WARN
        assert warn.message.startswith("Nuitka 4.3.3 is installed: it registers setuptools commands")
        assert warn.fix.startswith("/w/venv/bin/python -m pip uninstall -y nuitka")
        assert warn.details[0] == "distutils.setup_keywords: build_with_nuitka"


SOURCE = PreflightOptions(allow_source_builds=True)


def test_msvc_not_applicable_off_windows_or_without_source_builds() -> None:
    assert check("msvc-build-tools", options=SOURCE).status == NOT_APPLICABLE
    result = check("msvc-build-tools", win_facts(), probes=make_probes("win32"))
    assert (result.status, result.message) == (
        NOT_APPLICABLE,
        "source builds not allowed (--allow-source-builds): wheels need no compiler",
    )


def test_msvc_found_by_vswhere() -> None:
    run = Recorder({VSWHERE: (0, VSWHERE_TWO)})
    result = check("msvc-build-tools", win_facts(), SOURCE, make_probes("win32", run=run, files=[VSWHERE]))
    assert result.status == PASS
    assert result.message == "MSVC build tools at C:\\Program Files\\Microsoft Visual Studio\\2022\\Community"
    assert run.calls == [
        (
            (
                VSWHERE,
                "-products",
                "*",
                "-requires",
                "Microsoft.VisualStudio.Component.VC.Tools.x86.x64",
                "-property",
                "installationPath",
            ),
            60.0,
        )
    ]
    assert result.details == (
        "vswhere exit 0, 2 installation(s) with Microsoft.VisualStudio.Component.VC.Tools.x86.x64",
    )


def test_msvc_registry_fallback_when_vswhere_finds_nothing() -> None:
    run = Recorder({VSWHERE: (0, "")})
    strings = {(winsys.VC7_KEYS[0], "14.0"): "C:\\Program Files (x86)\\Microsoft Visual Studio 14.0\\VC\\"}
    probes = make_probes("win32", run=run, files=[VSWHERE], strings=strings)
    result = check("msvc-build-tools", win_facts(), SOURCE, probes)
    assert result.status == PASS
    assert result.details[-1] == (
        "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\VisualStudio\\SxS\\VC7 14.0 = "
        "C:\\Program Files (x86)\\Microsoft Visual Studio 14.0\\VC\\"
    )


def test_msvc_blocks_when_nothing_is_found() -> None:
    result = check("msvc-build-tools", win_facts(), SOURCE, make_probes("win32"))
    assert result.status == BLOCK
    assert result.category == "msvc-build-tools-missing"
    assert "Microsoft.VisualStudio.Workload.VCTools" in result.fix
    assert result.details == (f"vswhere not found at {VSWHERE}", "no 14.0 value under SxS\\VC7")


def test_msvc_failing_vswhere_falls_back_and_blocks() -> None:
    run = Recorder({VSWHERE: (1, VSWHERE_BUILDTOOLS)})  # output of a failed run is not trusted
    result = check("msvc-build-tools", win_facts(), SOURCE, make_probes("win32", run=run, files=[VSWHERE]))
    assert result.status == BLOCK
    assert result.details[0].startswith("vswhere exit 1, 0 installation(s)")


def test_vswhere_location_follows_program_files_x86() -> None:
    assert winsys.vswhere_path({"ProgramFiles(x86)": "D:\\PF86"}) == (
        "D:\\PF86\\Microsoft Visual Studio\\Installer\\vswhere.exe"
    )
    assert winsys.vswhere_path({}) == VSWHERE
    assert winsys.parse_vswhere_output(VSWHERE_BUILDTOOLS) == (
        "C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\BuildTools",
    )


@pytest.mark.parametrize("value, status, shown", [(1, PASS, "1"), (0, WARN, "0"), (None, WARN, "absent")])
def test_long_paths(value: Optional[int], status: str, shown: str) -> None:
    dwords = {} if value is None else {(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE): value}
    result = check("long-paths", win_facts(), probes=make_probes("win32", dwords=dwords))
    assert result.status == status
    assert result.details == (f"HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem LongPathsEnabled = {shown}",)
    if status == WARN:
        assert (
            'reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" /v LongPathsEnabled /t REG_DWORD /d 1 /f'
            in result.fix
        )
        assert "New-ItemProperty" in result.fix and "Enable Win32 long paths" in result.fix


def test_path_length_uses_the_target_venv_site_packages() -> None:
    result = check("path-length", win_facts(), probes=make_probes("win32", dwords=LONG_PATHS_OFF))
    # C:\sm\venv\Lib\site-packages (28) + "\" + the 155-char TensorFlow header = 184
    assert (result.status, result.message) == (PASS, "longest path 184 chars < 260")


def test_path_length_for_a_venv_still_to_be_made_in_work_dir() -> None:
    base = make_facts(prefix="C:\\Python310", base_prefix="C:\\Python310", platform="win32")
    work_dir = PureWindowsPath("C:\\Users\\someone\\AppData\\Local\\Product\\packs\\spleeter\\venv")
    result = check("path-length", base, probes=make_probes("win32", dwords=LONG_PATHS_OFF), work_dir=work_dir)
    assert result.details[0] == (
        "site-packages: C:\\Users\\someone\\AppData\\Local\\Product\\packs\\spleeter\\venv"
        "\\Lib\\site-packages (76 chars)"
    )
    assert result.message == "longest path 232 chars < 260"


@pytest.mark.parametrize("site_length, status", [(103, PASS), (104, BLOCK)])
def test_path_length_boundary(site_length: int, status: str) -> None:
    site = "C:\\" + "d" * (site_length - len("C:\\"))
    facts = win_facts(purelib=site)
    result = check("path-length", facts, probes=make_probes("win32", dwords=LONG_PATHS_OFF))
    assert result.status == status
    if status == BLOCK:
        assert result.message == (
            "the deepest pack file would be 260 chars (limit 259) and long paths are disabled: "
            "the venv root may be at most 85 characters"
        )
        assert result.fix.startswith("Use a venv whose root has at most 85 characters (site-packages at most 103;")
        assert result.category == "long-path"
    on = check("path-length", facts, probes=make_probes("win32", dwords=LONG_PATHS_ON))
    assert on.status == PASS


def test_vc_redist() -> None:
    assert check("vc-redist", probes=make_probes("win32")).status == WARN
    for key in winsys.VC_REDIST_KEYS:
        result = check("vc-redist", probes=make_probes("win32", dwords={(key, "Installed"): 1}))
        assert (result.status, result.details) == (PASS, (f"{key} Installed = 1",))


def test_ffmpeg() -> None:
    assert check("ffmpeg").details == ("ffmpeg: /usr/bin/ffmpeg", "ffprobe: /usr/bin/ffprobe")
    warn = check("ffmpeg", probes=make_probes(on_path=["ffmpeg"]))
    assert warn.status == WARN
    assert warn.message.startswith("ffprobe not on PATH: spleeter can't load audio without both")
    assert warn.fix.startswith("sudo apt-get install ffmpeg")
    block = check("ffmpeg", options=PreflightOptions(ffmpeg_required=True), probes=make_probes("win32", on_path=[]))
    assert block.status == BLOCK
    assert block.message.startswith("ffmpeg and ffprobe not on PATH")
    assert block.fix.startswith("winget install Gyan.FFmpeg")
    assert block.category == "ffmpeg-missing"


@pytest.mark.parametrize("free_gib, status", [(100, PASS), (6, PASS), (5.9, WARN), (3, WARN), (2.9, BLOCK)])
def test_disk_space(free_gib: float, status: str) -> None:
    result = check("disk-space", probes=make_probes(free=int(free_gib * GIB)))
    assert result.status == status


def test_disk_space_asks_about_the_work_dir() -> None:
    asked: List[object] = []

    def disk_free(path: Path) -> int:
        asked.append(path)
        return 2 * GIB

    probes = SystemProbes(which=lambda n: None, disk_free=disk_free, platform="linux")
    result = check("disk-space", probes=probes, work_dir=Path("cells") / "venv")
    assert asked == [Path("cells") / "venv"]
    assert result.message.startswith(f"2.0 GiB free at {Path('cells') / 'venv'}, below 3.0 GiB")


def test_a_crashing_probe_becomes_a_warning_not_a_crash() -> None:
    def broken(path: Path) -> int:
        raise PermissionError("denied")

    probes = SystemProbes(which=lambda n: "/x", disk_free=broken, platform="linux")
    result = check("disk-space", probes=probes)
    assert (result.status, result.message) == (WARN, "check could not run: PermissionError: denied")


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows the real probes do apply")
def test_real_probes_off_windows_say_not_applicable(tmp_path: Path) -> None:
    results = run_checks(make_facts(), PreflightOptions(allow_source_builds=True), tmp_path / "venv")
    by_name = {r.name: r for r in results}
    assert [by_name[n].status for n in WINDOWS_CHECKS] == [NOT_APPLICABLE] * 4
    assert f"free at {tmp_path / 'venv'}" in by_name["disk-space"].message


@pytest.mark.skipif(sys.platform != "win32", reason="the real registry exists on Windows only")
def test_real_probes_on_windows_read_the_registry(tmp_path: Path) -> None:
    results = run_checks(make_facts(platform="win32"), PreflightOptions(), tmp_path / "venv")
    by_name = {r.name: r for r in results}
    assert by_name["long-paths"].status in (PASS, WARN)
    assert by_name["long-paths"].details[0].startswith("HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem")
    assert by_name["path-length"].status in (PASS, BLOCK)
    assert by_name["msvc-build-tools"].status == NOT_APPLICABLE  # source builds not allowed


def test_real_registry_reader() -> None:
    value = winsys.read_registry_dword(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE)
    if sys.platform == "win32":
        assert value in (None, 0, 1)
    else:
        assert value is None
    with pytest.raises(ValueError):
        winsys.read_registry_dword("HKXX\\Nowhere", "x")


def test_blocking_and_diagnosis() -> None:
    results = run_checks(make_facts(python_version="3.12.1"), PreflightOptions(), Path("v"), make_probes())
    (blocker,) = blocking(results)
    diagnosis = blocker.to_diagnosis()
    assert diagnosis.category == "python-version-unsupported"
    assert diagnosis.next_action == blocker.fix
    assert diagnosis.headline().startswith("python-version-unsupported: Python 3.12.1 is outside")


# ------------------------------------------------------------ rendering
GOLDEN_RESULTS = [
    CheckResult("python-version", PASS, "Python 3.10.13 satisfies Requires-Python >=3.8,<3.12"),
    CheckResult(
        "pip",
        BLOCK,
        "pip 19.2.3 is older than 19.3: it cannot see TensorFlow's manylinux2014 wheels",
        'python -m pip install --upgrade "pip>=20.3"',
    ),
    CheckResult(
        "long-paths",
        WARN,
        "Win32 long paths disabled",
        "line one\nline two",
        ("LongPathsEnabled = 0",),
    ),
    CheckResult("vc-redist", NOT_APPLICABLE, "not Windows"),
]

GOLDEN_UNICODE = """\
\u2714 pass   python-version  Python 3.10.13 satisfies Requires-Python >=3.8,<3.12
\u2716 BLOCK  pip             pip 19.2.3 is older than 19.3: it cannot see TensorFlow's manylinux2014 wheels
                         fix: python -m pip install --upgrade "pip>=20.3"
\u26a0 warn   long-paths      Win32 long paths disabled
                         fix: line one
                              line two
                         \u00b7 LongPathsEnabled = 0
\u2013 n/a    vc-redist       not Windows
1 block, 1 warn, 1 pass, 1 not applicable"""

GOLDEN_ASCII = """\
+ pass   python-version  Python 3.10.13 satisfies Requires-Python >=3.8,<3.12
x BLOCK  pip             pip 19.2.3 is older than 19.3: it cannot see TensorFlow's manylinux2014 wheels
                         fix: python -m pip install --upgrade "pip>=20.3"
! warn   long-paths      Win32 long paths disabled
                         fix: line one
                              line two
                         - LongPathsEnabled = 0
- n/a    vc-redist       not Windows
1 block, 1 warn, 1 pass, 1 not applicable"""


def test_render_table_golden() -> None:
    assert render_table(GOLDEN_RESULTS) == GOLDEN_UNICODE
    assert render_table(GOLDEN_RESULTS, ascii_only=True) == GOLDEN_ASCII
    render_table(GOLDEN_RESULTS, ascii_only=True).encode("ascii")


def test_render_table_empty() -> None:
    assert render_table([]) == "no checks"


# -------------------------------------------------------------- probing
@pytest.mark.parametrize("exe, version", [(PY38, "3.8.18"), (PY312, "3.12.1")])
def test_probe_target_real_interpreters(exe: Path, version: str) -> None:
    if not exe.is_file():
        pytest.skip(f"{exe} not on this machine")
    facts = probe_target(exe)
    assert (facts.python_version, facts.bits, facts.platform) == (version, 64, sys.platform)
    assert facts.executable == str(exe)
    assert facts.pip_version is not None and version_key(facts.pip_version) > version_key("19.3")
    assert facts.numpy_version is None and facts.nuitka_version is None
    assert not facts.in_venv
    assert facts.purelib.endswith(f"python{version.rsplit('.', 1)[0]}/site-packages")
    if version == "3.12.1":
        assert facts.setuptools_version is None  # 3.12 no longer ships setuptools


def test_probe_target_python2_answers_and_is_blocked() -> None:
    if not PY27.is_file():
        pytest.skip(f"{PY27} not on this machine")
    facts = probe_target(PY27)
    assert facts.python_version == "2.7.18"
    assert check("python-version", facts).status == BLOCK


def test_probe_target_running_interpreter_sees_its_venv() -> None:
    facts = probe_target(Path(sys.executable))
    assert facts.python_version == "%d.%d.%d" % sys.version_info[:3]
    assert facts.in_venv == (sys.prefix != getattr(sys, "base_prefix", sys.prefix))


def test_probe_target_reads_metadata_without_importing(tmp_path: Path) -> None:
    """A real venv holding a numpy 2 whose import would explode: the probe only reads its dist-info."""
    import venv

    venv.EnvBuilder(with_pip=False).create(str(tmp_path / "venv"))
    exe = tmp_path / "venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    before = probe_target(exe)
    assert before.in_venv and before.numpy_version is None and before.pip_version is None
    site = Path(before.purelib)
    _touch(site / "numpy" / "__init__.py").write_text("raise SystemExit('numpy was imported')\n")
    _touch(site / "numpy-2.0.2.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: numpy\nVersion: 2.0.2\n"
    )
    after = probe_target(exe)
    assert after.numpy_version == "2.0.2"
    result = check("numpy", after)
    assert (result.status, result.category) == (BLOCK, "dependency-conflict")


def test_probe_target_missing_interpreter(tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="cannot run"):
        probe_target(tmp_path / "no-python")


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for a non-Python program")
def test_probe_target_program_that_is_not_python(tmp_path: Path) -> None:
    fake = tmp_path / "fake"
    fake.write_text("#!/bin/sh\necho hello\n")
    fake.chmod(0o755)
    with pytest.raises(ProbeError, match="printed no facts"):
        probe_target(fake)


def test_facts_json_round_trip() -> None:
    facts = win_facts(numpy_version="1.24.3")
    assert TargetFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts


# ------------------------------------------------------------ locating
def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def _provision_probe(version: str) -> Tuple[int, str, str]:
    return 0, json.dumps({"version": version, "bits": 64, "impl": "cpython", "executable": "x"}), ""


def test_preflight_and_run_resolve_the_same_interpreter(tmp_path: Path) -> None:
    """`preflight --python 3.10` and `run --python 3.10` search with one finder and one policy.

    The layout is one where they used to disagree: preflight's own search took pyenv's newest 3.10
    first, run's finder asks uv first.
    """
    from harness.cli import build_parser as run_parser
    from harness.runner import Runner, RunOptions

    pyenv_310 = _touch(tmp_path / "versions" / "3.10.99" / "bin" / "python")
    uv_answer = sys.executable  # real, so that preflight can probe it after finding it

    def processes(argv: Sequence[str], timeout: float) -> Tuple[Optional[int], str, str]:
        if list(argv[1:3]) == ["python", "find"]:
            return 0, uv_answer + "\n", ""
        if list(argv[1:2]) == ["-c"]:  # provision's probe of a candidate
            return _provision_probe("3.10.13")
        return 1, "", "error: not in this layout"

    environ = {"PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path), "PATH": ""}
    pf_args = preflight.build_parser().parse_args(["--python", "3.10"])
    run_args = run_parser().parse_args(["run", "--python", "3.10"])
    run_options = RunOptions(uv=run_args.uv, allow_python_downloads=not run_args.no_python_downloads)

    run_policy = Runner(matrix.load(Path(__file__).parents[2] / "matrix.yaml"), run_options).finder.options
    assert finder_for(pf_args).options == run_policy  # same uv, same download policy, same timeout

    facts, _ = gather(pf_args, InterpreterFinder(finder_for(pf_args).options, processes, environ))
    ran, _ = InterpreterFinder(run_policy, processes, environ).find("3.10")
    assert facts is not None and ran is not None
    assert facts.executable == ran.path == uv_answer
    assert str(pyenv_310) != uv_answer


def test_preflight_takes_a_path_as_given(tmp_path: Path) -> None:
    args = preflight.build_parser().parse_args(["--python", sys.executable])
    facts, _ = gather(args, InterpreterFinder(ProvisionOptions(allow_download=False), no_process))
    assert facts is not None and facts.executable == sys.executable
    missing = preflight.build_parser().parse_args(["--python", str(tmp_path / "missing")])
    facts, results = gather(missing, InterpreterFinder(ProvisionOptions(allow_download=False), no_process))
    assert facts is None and [(r.name, r.status) for r in results] == [("interpreter", BLOCK)]


def no_process(argv: Sequence[str], timeout: float) -> Tuple[Optional[int], str, str]:
    raise AssertionError(f"a path needs no search: {argv}")


# ------------------------------------------------------------------ CLI
def test_main_json_on_the_running_interpreter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = preflight.main(["--python", sys.executable, "--json", "--venv-dir", str(tmp_path / "venv")])
    payload = json.loads(out.getvalue())
    assert payload["target"]["python_version"] == "%d.%d.%d" % sys.version_info[:3]
    assert [r["name"] for r in payload["results"]] == list(CHECK_NAMES)
    assert code == (1 if payload["blocked"] else 0)
    assert payload["blocked"] == any(r["status"] == BLOCK for r in payload["results"])


def test_main_unknown_interpreter_is_a_block(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    code = preflight.main(["--python", "3.99", "--ascii", "--no-python-downloads"])
    assert code == 1
    assert out.getvalue() == (
        "x BLOCK  interpreter  no interpreter found for '3.99'\n"
        "                      fix: Install it (`uv python install X.Y`) or pass its path.\n"
        "1 block\n"
    )
