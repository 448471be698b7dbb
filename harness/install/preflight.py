"""Preflight: named checks that say, before an install starts, what will stop it.

Each check looks at the facts of one target interpreter (gathered by a single
subprocess, :func:`probe_target`) and at the host (disk, PATH, on Windows the
registry and vswhere), and ends as pass / warn / block / not-applicable with a
fix the operator can run. The OS calls are injected through
:class:`SystemProbes`, so every check -- the Windows ones included -- is unit
tested on any platform with recorded outputs.

Usage: ``python -m harness preflight [--python 3.10|PATH] [--allow-source-builds] [--json]``
(exit 0 when nothing blocks, 1 when something does).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from harness.install import winsys
from harness.results import Category, Diagnosis

PASS, WARN, BLOCK, NOT_APPLICABLE = "pass", "warn", "block", "not-applicable"
STATUSES = (PASS, WARN, BLOCK, NOT_APPLICABLE)
INSTALLERS = ("pip", "uv")

# pip 19.3 is the first pip that accepts manylinux2014 wheels (PEP 599); every
# TensorFlow 2.12.1 Linux wheel is tagged manylinux_2_17 / manylinux2014, so an
# older pip on Linux finds no wheel for it at all. win_amd64 and macosx tags are
# understood by any pip (Python 3.8.0 itself shipped pip 19.2.3), so there an
# older pip only gets the legacy-resolver warning below.
MIN_PIP = "19.3"
# pip 20.3 made the backtracking resolver the default; the legacy one installs
# whatever it meets first, which breaks spleeter's numpy<2 vs TF numpy<=1.24.3.
RESOLVER_PIP = "20.3"
# The fallback when the plan's wheels cannot be read (offline): the budget is
# normally computed from the real file lists (harness.plan.wheelpaths), which
# give the same figure for TF 2.12.1. Measured: the deepest file of
# tensorflow_intel-2.12.1 (cp38..cp311 win_amd64 wheels), relative to site-packages:
# tensorflow/include/external/llvm-project/mlir/_virtual_includes/
# BufferizableOpInterfaceIncGen/mlir/Dialect/Bufferization/IR/BufferizableOpInterface.cpp.inc
# (the same file TensorFlow issue #55300 fails on).
TF_LONGEST_RELPATH = 155
# Measured: a TF 2.12.1 + spleeter 2.4.2 venv (cp310, Linux) holds 2.2 GB.
TF_VENV_BYTES = int(2.2 * 1000**3)
GIB = 1024**3


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one named check; ``category`` is the Diagnosis category a block maps to."""

    name: str
    status: str
    message: str
    fix: str = ""
    details: Tuple[str, ...] = ()
    category: str = ""

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        data["details"] = list(self.details)
        return data

    def to_diagnosis(self) -> Diagnosis:
        """The same verdict as a Diagnosis, for a cell that preflight stopped."""
        return Diagnosis(
            category=Category.parse(self.category or "other"),
            blocker=None,
            next_action=self.fix,
            evidence=self.details,
            summary=self.message,
        )


@dataclass(frozen=True)
class TargetFacts:
    """What one subprocess probe of the target interpreter (or venv) reports."""

    python_version: str
    bits: int
    executable: str
    platform: str  # sys.platform of the target: "win32" / "linux" / "darwin"
    pip_version: Optional[str] = None
    setuptools_version: Optional[str] = None
    wheel_version: Optional[str] = None
    numpy_version: Optional[str] = None
    nuitka_version: Optional[str] = None
    implementation: str = "cpython"
    prefix: str = ""
    base_prefix: str = ""
    purelib: str = ""  # the target's site-packages

    @property
    def in_venv(self) -> bool:
        return bool(self.prefix) and bool(self.base_prefix) and self.prefix != self.base_prefix

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TargetFacts":
        def text(key: str) -> Optional[str]:
            value = data.get(key)
            return None if value is None else str(value)

        return cls(
            python_version=str(data["python_version"]),
            bits=int(data["bits"]),
            executable=str(data.get("executable") or ""),
            platform=str(data["platform"]),
            pip_version=text("pip_version"),
            setuptools_version=text("setuptools_version"),
            wheel_version=text("wheel_version"),
            numpy_version=text("numpy_version"),
            nuitka_version=text("nuitka_version"),
            implementation=str(data.get("implementation") or "cpython"),
            prefix=str(data.get("prefix") or ""),
            base_prefix=str(data.get("base_prefix") or ""),
            purelib=str(data.get("purelib") or ""),
        )


@dataclass(frozen=True)
class PreflightOptions:
    """What the pack and the strategy need; bad values fail here, not mid-run."""

    requires_python: str = ">=3.8,<3.12"  # spleeter 2.4.2's Requires-Python
    allow_source_builds: bool = False
    installer: str = "pip"
    min_pip: str = MIN_PIP
    min_free_bytes: int = 3 * GIB  # the TF venv (2.2 GB) + downloaded wheels (~0.6 GB)
    numpy_max_exclusive: str = "2"  # spleeter 2.4.2: numpy<2.0.0 (TF 2.12 is built on numpy 1.x)
    numpy_pack_spec: str = ">=1.22,<=1.24.3"  # tensorflow 2.12.1's own numpy pin
    longest_pack_relpath: int = TF_LONGEST_RELPATH
    path_budget_source: str = "the measured constant (TF 2.12.1), not read from the wheels"
    ffmpeg_required: bool = False  # True: a missing ffmpeg/ffprobe blocks instead of warning

    def __post_init__(self) -> None:
        if self.installer not in INSTALLERS:
            raise ValueError(f"installer must be one of {INSTALLERS}, not {self.installer!r}")
        for spec in (self.requires_python, self.numpy_pack_spec):
            parse_specifiers(spec)
        for version in (self.min_pip, self.numpy_max_exclusive):
            parse_version(version)
        if self.min_free_bytes < 0 or self.longest_pack_relpath < 0:
            raise ValueError("min_free_bytes and longest_pack_relpath must not be negative")


def free_bytes(path: Path) -> int:
    """Free space where ``path`` is or will be (its nearest existing ancestor)."""
    probe = Path(os.path.abspath(str(path)))
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(str(probe)).free


def run_command(argv: Sequence[str], timeout: float) -> Tuple[int, str]:
    """(exit code, stdout); 127 when the program is missing, 124 on timeout."""
    try:
        proc = subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return 124, ""
    except OSError:
        return 127, ""
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class SystemProbes:
    """The host's OS calls; tests replace them with recorded answers."""

    which: Callable[[str], Optional[str]] = shutil.which
    disk_free: Callable[[Path], int] = free_bytes
    read_registry_dword: Callable[[str, str], Optional[int]] = winsys.read_registry_dword
    run: Callable[[Sequence[str], float], Tuple[int, str]] = run_command
    platform: str = sys.platform
    read_registry_str: Callable[[str, str], Optional[str]] = winsys.read_registry_str
    # os.environ is unhashable, which 3.11's dataclasses reject as a plain default.
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


# ---------------------------------------------------------------- versions
# A small PEP 440 subset (release, pre, post, dev) so preflight needs no
# third-party package inside any interpreter it runs with.
_VERSION_RE = re.compile(
    r"^\s*v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d*))?"
    r"(?:[-_.]?(?:post|rev|r)[-_.]?(?P<post>\d*))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev>\d*))?"
    r"(?:\+[a-z0-9.]+)?\s*$",
    re.IGNORECASE,
)
_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_SPEC_RE = re.compile(r"^\s*(===|==|!=|~=|>=|<=|>|<)\s*([^\s,;]+)\s*$")

VersionKey = Tuple[Tuple[int, ...], Tuple[int, int, int], int, Tuple[int, int]]


def parse_version(text: str) -> VersionKey:
    """A sortable key for a version string; ValueError when it is not a version."""
    match = _VERSION_RE.match(text)
    if not match:
        raise ValueError(f"not a version: {text!r}")
    release = tuple(int(p) for p in match.group("release").split("."))
    pre, post, dev = match.group("pre"), match.group("post"), match.group("dev")
    if pre:
        pre_key = (0, _PRE_RANK[pre.lower()], int(match.group("pre_n") or 0))
    elif dev is not None and post is None:
        pre_key = (-1, 0, 0)  # 1.0.dev0 sorts before 1.0a0
    else:
        pre_key = (1, 0, 0)
    post_key = int(post or 0) if post is not None else -1
    dev_key = (0, int(dev or 0)) if dev is not None else (1, 0)
    return release, pre_key, post_key, dev_key


def compare_versions(left: str, right: str) -> int:
    """-1 / 0 / 1; releases are zero-padded, so 3.12 == 3.12.0."""
    a, b = parse_version(left), parse_version(right)
    width = max(len(a[0]), len(b[0]))
    ka = (a[0] + (0,) * (width - len(a[0])),) + a[1:]
    kb = (b[0] + (0,) * (width - len(b[0])),) + b[1:]
    return (ka > kb) - (ka < kb)


def parse_specifiers(spec: str) -> Tuple[Tuple[str, str], ...]:
    """``">=3.8,<3.12"`` -> ((">=", "3.8"), ("<", "3.12")); ValueError on anything else."""
    clauses = []
    for piece in spec.split(","):
        match = _SPEC_RE.match(piece)
        if not match:
            raise ValueError(f"not a version specifier: {piece.strip()!r} in {spec!r}")
        op, version = match.groups()
        if op != "===":
            parse_version(version[:-2] if version.endswith(".*") and op in ("==", "!=") else version)
        clauses.append((op, version))
    return tuple(clauses)


def _release_prefix_matches(version: str, prefix: str) -> bool:
    wanted = parse_version(prefix)[0]
    return parse_version(version)[0][: len(wanted)] == wanted


def satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` meets every clause of ``spec``."""
    for op, wanted in parse_specifiers(spec):
        if op == "===":
            ok = version.strip() == wanted
        elif op in ("==", "!=") and wanted.endswith(".*"):
            ok = _release_prefix_matches(version, wanted[:-2]) == (op == "==")
        elif op == "~=":
            parent = ".".join(wanted.split(".")[:-1])
            ok = compare_versions(version, wanted) >= 0 and _release_prefix_matches(version, parent)
        else:
            cmp = compare_versions(version, wanted)
            ok = {"==": cmp == 0, "!=": cmp != 0, ">=": cmp >= 0, "<=": cmp <= 0, ">": cmp > 0, "<": cmp < 0}[op]
        if not ok:
            return False
    return True


# ------------------------------------------------------------------ checks
@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at; ``work_dir`` is the venv directory (existing or to be made)."""

    facts: TargetFacts
    options: PreflightOptions
    work_dir: Path
    probes: SystemProbes

    @property
    def windows(self) -> bool:
        return self.probes.platform == "win32"

    @property
    def python(self) -> str:
        """The target's executable as a copy-pastable command word."""
        exe = self.facts.executable or "python"
        return f'"{exe}"' if " " in exe else exe

    def long_paths_enabled(self) -> bool:
        return self.probes.read_registry_dword(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE) == 1


def _gib(n: int) -> str:
    return f"{n / GIB:.1f} GiB"


def check_python_version(ctx: CheckContext) -> CheckResult:
    facts, spec = ctx.facts, ctx.options.requires_python
    fix = (
        f"Use a CPython inside {spec}, trying 3.11, then 3.10, 3.9, 3.8: e.g. `uv python install 3.10`, "
        "then rerun with `--python 3.10` (Windows: `py -3.10`)."
    )
    category = "python-version-unsupported"
    if facts.implementation != "cpython":
        message = f"{facts.implementation} {facts.python_version}: TensorFlow publishes wheels for CPython only"
        return CheckResult("python-version", BLOCK, message, fix, category=category)
    if satisfies(facts.python_version, spec):
        return CheckResult("python-version", PASS, f"Python {facts.python_version} satisfies Requires-Python {spec}")
    message = (
        f"Python {facts.python_version} is outside the pack's Requires-Python {spec}: "
        "pip skips those releases (old spleeter or 'No matching distribution')"
    )
    return CheckResult("python-version", BLOCK, message, fix, category=category)


def check_python_bits(ctx: CheckContext) -> CheckResult:
    bits = ctx.facts.bits
    if bits == 64:
        return CheckResult("python-bits", PASS, "64-bit interpreter")
    message = f"{bits}-bit interpreter: TensorFlow 2.12 has no {bits}-bit wheels (win_amd64, x86_64, aarch64 only)"
    fix = (
        "Install the 64-bit CPython (python.org 'Windows installer (64-bit)' or `uv python install 3.10`) "
        "and select it explicitly, e.g. `py -3.10-64`."
    )
    return CheckResult("python-bits", BLOCK, message, fix, category="no-wheel-for-platform")


def check_pip(ctx: CheckContext) -> CheckResult:
    version, minimum = ctx.facts.pip_version, ctx.options.min_pip
    if ctx.options.installer == "uv":
        return CheckResult("pip", NOT_APPLICABLE, "installer is uv pip, which does not use the target's pip")
    if version is None:
        fix = f"{ctx.python} -m ensurepip --upgrade"
        return CheckResult("pip", BLOCK, "pip is not installed in the target", fix, category="pip-outdated")
    fix = f'{ctx.python} -m pip install --upgrade "pip>={RESOLVER_PIP}"'
    if compare_versions(version, minimum) < 0 and ctx.facts.platform.startswith("linux"):
        message = f"pip {version} is older than {minimum}: it cannot see TensorFlow's manylinux2014 wheels"
        return CheckResult("pip", BLOCK, message, fix, category="pip-outdated")
    if compare_versions(version, RESOLVER_PIP) < 0:
        message = f"pip {version} has the legacy resolver (before {RESOLVER_PIP}): it can break the numpy pins"
        return CheckResult("pip", WARN, message, fix, category="pip-outdated")
    return CheckResult("pip", PASS, f"pip {version}")


def check_build_backend(ctx: CheckContext) -> CheckResult:
    facts = ctx.facts
    found = (("setuptools", facts.setuptools_version), ("wheel", facts.wheel_version))
    missing = [name for name, version in found if version is None]
    if not missing:
        message = f"setuptools {facts.setuptools_version}, wheel {facts.wheel_version}"
        return CheckResult("setuptools-wheel", PASS, message)
    if ctx.options.allow_source_builds:
        status, why = BLOCK, "source builds without build isolation need them"
    else:
        status, why = WARN, "only needed if a package must build from source"
    message = f"{' and '.join(missing)} not installed in the target ({why})"
    fix = f"{ctx.python} -m pip install --upgrade setuptools wheel"
    return CheckResult("setuptools-wheel", status, message, fix, category="build-backend-missing")


def check_numpy(ctx: CheckContext) -> CheckResult:
    version, options = ctx.facts.numpy_version, ctx.options
    if version is None:
        return CheckResult("numpy", PASS, "numpy not installed; the install brings the pinned one")
    fix = f'{ctx.python} -m pip install "numpy{options.numpy_pack_spec}"  (or install into a fresh venv)'
    # Compare the release only: numpy 2.0.0rc1 already has the numpy 2 ABI.
    release = ".".join(str(n) for n in parse_version(version)[0])
    if compare_versions(release, options.numpy_max_exclusive) >= 0:
        # Only the environment the pack is installed into matters: a fresh venv
        # made from a base interpreter does not see the base's numpy.
        in_venv = ctx.facts.in_venv
        where = "the target venv" if in_venv else "the base interpreter (a fresh venv won't see it)"
        message = (
            f"numpy {version} in {where}: the pack needs numpy<{options.numpy_max_exclusive} "
            "(TensorFlow 2.12 fails to import on numpy 2)"
        )
        return CheckResult("numpy", BLOCK if in_venv else WARN, message, fix, category="dependency-conflict")
    if not satisfies(version, options.numpy_pack_spec):
        message = (
            f"numpy {version} is outside TensorFlow's pin {options.numpy_pack_spec}: "
            "pip will replace it, a --no-deps install keeps it"
        )
        return CheckResult("numpy", WARN, message, fix, category="dependency-conflict")
    return CheckResult("numpy", PASS, f"numpy {version} fits {options.numpy_pack_spec}")


def check_nuitka(ctx: CheckContext) -> CheckResult:
    version = ctx.facts.nuitka_version
    if version is None:
        return CheckResult("nuitka", PASS, "Nuitka not installed in the target")
    # Nuitka registers setuptools entry points for every build in its
    # environment. Measured with Nuitka 4.3.3 + current setuptools they stay
    # dormant unless a package asks for them, so this warns, never blocks; a
    # Nuitka-compiled program standing in for python is caught by the probe
    # instead (it prints no facts).
    message = (
        f"Nuitka {version} is installed: it registers setuptools commands and the build_with_nuitka "
        "keyword for every build in this environment"
    )
    fix = f"{ctx.python} -m pip uninstall -y nuitka  (keep Nuitka in its own build venv, not the pack's)"
    details = (
        "distutils.setup_keywords: build_with_nuitka",
        "distutils.commands: bdist_nuitka, build_nuitka, install_nuitka",
    )
    return CheckResult("nuitka", WARN, message, fix, details, category="source-build-failed")


MSVC_FIX = (
    "Install Build Tools for Visual Studio with the C++ workload:\n"
    "winget install Microsoft.VisualStudio.2022.BuildTools --override "
    '"--quiet --wait --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"'
)


def check_msvc(ctx: CheckContext) -> CheckResult:
    if not ctx.windows:
        return CheckResult("msvc-build-tools", NOT_APPLICABLE, "not Windows")
    if not ctx.options.allow_source_builds:
        message = "source builds not allowed (--allow-source-builds): wheels need no compiler"
        return CheckResult("msvc-build-tools", NOT_APPLICABLE, message)
    probes = ctx.probes
    paths, evidence = winsys.find_msvc(probes.which, probes.run, probes.read_registry_str, probes.environ)
    if paths:
        return CheckResult("msvc-build-tools", PASS, f"MSVC build tools at {paths[0]}", details=evidence)
    message = "no MSVC C++ build tools: source builds fail with 'Microsoft Visual C++ 14.0 or greater is required'"
    return CheckResult("msvc-build-tools", BLOCK, message, MSVC_FIX, evidence, category="msvc-build-tools-missing")


LONG_PATHS_FIX = "\n".join(
    (
        "Enable Win32 long paths (as administrator), then open a new terminal:",
        'PowerShell: New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" '
        "-Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force",
        'cmd: reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" /v LongPathsEnabled /t REG_DWORD /d 1 /f',
        "gpedit.msc: Computer Configuration > Administrative Templates > System > Filesystem > Enable Win32 long paths",
    )
)


def check_long_paths(ctx: CheckContext) -> CheckResult:
    if not ctx.windows:
        return CheckResult("long-paths", NOT_APPLICABLE, "not Windows (no MAX_PATH limit)")
    value = ctx.probes.read_registry_dword(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE)
    shown = "absent" if value is None else value
    evidence = (f"{winsys.LONG_PATHS_KEY} {winsys.LONG_PATHS_VALUE} = {shown}",)
    if value == 1:
        return CheckResult("long-paths", PASS, "Win32 long paths enabled", details=evidence)
    message = f"Win32 long paths disabled: every file path must stay under {winsys.MAX_PATH} characters"
    return CheckResult("long-paths", WARN, message, LONG_PATHS_FIX, evidence, category="long-path")


def site_packages_for(facts: TargetFacts, work_dir: Path) -> str:
    """Where the pack lands: the target's own site-packages if it is a venv, else the venv made in work_dir."""
    if facts.in_venv and facts.purelib:
        return facts.purelib
    return winsys.venv_site_packages(str(work_dir))


def check_path_length(ctx: CheckContext) -> CheckResult:
    if not ctx.windows:
        return CheckResult("path-length", NOT_APPLICABLE, "not Windows (no MAX_PATH limit)")
    relpath = ctx.options.longest_pack_relpath
    site = site_packages_for(ctx.facts, ctx.work_dir)
    longest = winsys.longest_install_path(site, relpath)
    details = (
        f"site-packages: {site} ({len(site)} chars)",
        f"deepest pack file: {relpath} chars below site-packages -> {longest} chars",
        f"budget from: {ctx.options.path_budget_source}",
    )
    if ctx.long_paths_enabled():
        message = f"longest path {longest} chars; long paths are enabled"
        return CheckResult("path-length", PASS, message, details=details)
    if longest < winsys.MAX_PATH:
        return CheckResult("path-length", PASS, f"longest path {longest} chars < {winsys.MAX_PATH}", details=details)
    root_max = winsys.max_site_packages_length(relpath) - len("\\Lib\\site-packages")
    message = (
        f"the deepest pack file would be {longest} chars (limit {winsys.MAX_PATH - 1}) "
        f"and long paths are disabled: the venv root may be at most {root_max} characters"
    )
    fix = (
        f"Use a venv whose root has at most {root_max} characters (site-packages at most "
        f"{winsys.max_site_packages_length(relpath)}; e.g. C:\\sm\\venv), or:\n" + LONG_PATHS_FIX
    )
    return CheckResult("path-length", BLOCK, message, fix, details, category="long-path")


def check_vc_redist(ctx: CheckContext) -> CheckResult:
    if not ctx.windows:
        return CheckResult("vc-redist", NOT_APPLICABLE, "not Windows")
    for key in winsys.VC_REDIST_KEYS:
        if ctx.probes.read_registry_dword(key, winsys.VC_REDIST_VALUE) == 1:
            evidence = (f"{key} {winsys.VC_REDIST_VALUE} = 1",)
            return CheckResult("vc-redist", PASS, "Visual C++ 2015-2022 x64 runtime installed", details=evidence)
    message = "Visual C++ 2015-2022 x64 runtime not registered: importing TensorFlow may fail (msvcp140_1.dll)"
    fix = "winget install Microsoft.VCRedist.2015+.x64  (or https://aka.ms/vs/17/release/vc_redist.x64.exe)"
    return CheckResult("vc-redist", WARN, message, fix, category="dll-load-failed")


def ffmpeg_fix(platform: str) -> str:
    if platform == "win32":
        return "winget install Gyan.FFmpeg  (or choco install ffmpeg), then open a new terminal"
    if platform == "darwin":
        return "brew install ffmpeg"
    return "sudo apt-get install ffmpeg  (or your distribution's ffmpeg package)"


def check_ffmpeg(ctx: CheckContext) -> CheckResult:
    found = [(tool, ctx.probes.which(tool)) for tool in ("ffmpeg", "ffprobe")]
    details = tuple(f"{tool}: {path or 'not on PATH'}" for tool, path in found)
    missing = [tool for tool, path in found if not path]
    if not missing:
        return CheckResult("ffmpeg", PASS, "ffmpeg and ffprobe on PATH", details=details)
    # spleeter's audio adapter raises "ffmpeg binary not found" / "ffprobe binary
    # not found" before it loads anything.
    message = f"{' and '.join(missing)} not on PATH: spleeter can't load audio without both, Mux needs ffmpeg"
    status = BLOCK if ctx.options.ffmpeg_required else WARN
    return CheckResult("ffmpeg", status, message, ffmpeg_fix(ctx.probes.platform), details, "ffmpeg-missing")


def check_disk(ctx: CheckContext) -> CheckResult:
    free, minimum = ctx.probes.disk_free(ctx.work_dir), ctx.options.min_free_bytes
    where = f"{_gib(free)} free at {ctx.work_dir}"
    need = f"a TensorFlow 2.12 venv takes {TF_VENV_BYTES / 1000**3:.1f} GB plus downloaded wheels"
    fix = f"Free space or put the work dir on another disk: at least {_gib(minimum)} per cell venv."
    if free < minimum:
        message = f"{where}, below {_gib(minimum)}: {need}"
        return CheckResult("disk-space", BLOCK, message, fix, category="other")
    if free < 2 * minimum:
        return CheckResult("disk-space", WARN, f"{where}: room for one cell venv only ({need})", fix, category="other")
    return CheckResult("disk-space", PASS, where)


Check = Callable[[CheckContext], CheckResult]
CHECKS: Tuple[Tuple[str, Check], ...] = (
    ("python-version", check_python_version),
    ("python-bits", check_python_bits),
    ("pip", check_pip),
    ("setuptools-wheel", check_build_backend),
    ("numpy", check_numpy),
    ("nuitka", check_nuitka),
    ("msvc-build-tools", check_msvc),
    ("long-paths", check_long_paths),
    ("path-length", check_path_length),
    ("vc-redist", check_vc_redist),
    ("ffmpeg", check_ffmpeg),
    ("disk-space", check_disk),
)
CHECK_NAMES = tuple(name for name, _ in CHECKS)


def run_checks(
    facts: TargetFacts, options: PreflightOptions, work_dir: Path, probes: SystemProbes = SystemProbes()
) -> List[CheckResult]:
    """Every check, in a fixed order. ``work_dir`` is the venv directory (existing or to be created).

    A check that raises becomes a warning naming the error: one broken probe
    must not hide the verdicts of the others.
    """
    ctx = CheckContext(facts, options, work_dir, probes)
    results = []
    for name, check in CHECKS:
        try:
            results.append(check(ctx))
        except Exception as exc:  # noqa: BLE001 - turned into a visible verdict
            message = f"check could not run: {type(exc).__name__}: {exc}"
            results.append(CheckResult(name, WARN, message, category="other"))
    return results


def blocking(results: Sequence[CheckResult]) -> List[CheckResult]:
    return [r for r in results if r.status == BLOCK]


# --------------------------------------------------------------- rendering
_MARKS = {PASS: "\u2714", WARN: "\u26a0", BLOCK: "\u2716", NOT_APPLICABLE: "\u2013"}
_ASCII_MARKS = {PASS: "+", WARN: "!", BLOCK: "x", NOT_APPLICABLE: "-"}
_LABELS = {PASS: "pass", WARN: "warn", BLOCK: "BLOCK", NOT_APPLICABLE: "n/a"}


def summary_line(results: Sequence[CheckResult]) -> str:
    counts = [
        (sum(1 for r in results if r.status == s), label)
        for s, label in ((BLOCK, "block"), (WARN, "warn"), (PASS, "pass"), (NOT_APPLICABLE, "not applicable"))
    ]
    return ", ".join(f"{n} {label}" for n, label in counts if n) or "no checks"


def render_table(results: Sequence[CheckResult], ascii_only: bool = False) -> str:
    """One line per check, then its fix and evidence indented under the message."""
    marks = _ASCII_MARKS if ascii_only else _MARKS
    bullet = "-" if ascii_only else "\u00b7"
    width = max((len(r.name) for r in results), default=0)
    indent = " " * (2 + 6 + 1 + width + 2)
    lines = []
    for r in results:
        lines.append(f"{marks[r.status]} {_LABELS[r.status]:<6} {r.name:<{width}}  {r.message}")
        if r.status in (WARN, BLOCK):
            for n, fix_line in enumerate(r.fix.splitlines()):
                lines.append(f"{indent}{'fix: ' if n == 0 else '     '}{fix_line}")
            lines.extend(f"{indent}{bullet} {d}" for d in r.details)
    lines.append(summary_line(results))
    return "\n".join(lines)


# --------------------------------------------------------------- probing
class ProbeError(RuntimeError):
    """The target could not be run or did not answer like a Python interpreter."""


_MARKER = "SPLEETER-MATRIX-FACTS:"
# Runs inside the target. Kept Python-2-parseable so an ancient interpreter
# still answers (and is then blocked by python-version) instead of crashing.
_PROBE_SCRIPT = r"""
import json, struct, sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
try:
    import sysconfig
    purelib = sysconfig.get_paths()["purelib"]
except Exception:
    purelib = ""
def version_of(name):
    try:
        from importlib import metadata
    except ImportError:
        try:
            import pkg_resources
            return pkg_resources.get_distribution(name).version
        except Exception:
            return None
    try:
        return metadata.version(name)
    except Exception:
        return None
impl = getattr(sys, "implementation", None)
facts = {
    "python_version": "%d.%d.%d" % tuple(sys.version_info[:3]),
    "bits": struct.calcsize("P") * 8,
    "executable": sys.executable,
    "platform": sys.platform,
    "implementation": impl.name if impl else "cpython",
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "real_prefix", getattr(sys, "base_prefix", sys.prefix)),
    "purelib": purelib,
}
for name in ("pip", "setuptools", "wheel", "numpy", "nuitka"):
    facts[name + "_version"] = version_of(name)
sys.stdout.write("MARKER" + json.dumps(facts) + "\n")
""".replace("MARKER", _MARKER)


def probe_target(python_exe: Path, timeout: float = 60) -> TargetFacts:
    """Ask the target about itself in one subprocess, without importing numpy.

    ``-E -s``: PYTHON* variables and the user site would not reach the cell's
    venv either, so they must not colour its facts.
    """
    argv = [str(python_exe), "-E", "-s", "-c", _PROBE_SCRIPT]
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ProbeError(f"{python_exe} did not answer within {timeout:g}s") from None
    except OSError as exc:
        raise ProbeError(f"cannot run {python_exe}: {exc}") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ProbeError(f"{python_exe} exited with {proc.returncode}: {' | '.join(tail)}")
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith(_MARKER):
            return TargetFacts.from_json(json.loads(line[len(_MARKER) :]))
    raise ProbeError(
        f"{python_exe} ran but printed no facts: is it a Python interpreter (not a launcher or a compiled app)?"
    )


_VERSION_REQUEST = re.compile(r"^\d+(\.\d+){0,2}$")


def locate_python(
    request: str,
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], Optional[str]] = shutil.which,
) -> Optional[Path]:
    """A path as given, or a version like ``3.10`` found in pyenv's versions dir, then on PATH.

    Temporary: the provision module's interpreter discovery replaces this.
    """
    if not _VERSION_REQUEST.match(request):
        path = Path(request).expanduser()
        return path if path.is_file() else None
    root = Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if root.is_dir():
        dirs = [
            d
            for d in root.iterdir()
            if (d.name == request or d.name.startswith(request + ".")) and _VERSION_REQUEST.match(d.name)
        ]
        for d in sorted(dirs, key=lambda d: parse_version(d.name), reverse=True):
            for rel in ("bin/python", "python.exe"):
                if (d / rel).is_file():
                    return d / rel
    found = which("python" + ".".join(request.split(".")[:2]))
    if found and "shims" not in Path(found).parts:  # pyenv shims don't run outside a pyenv shell
        return Path(found)
    return None


# -------------------------------------------------------------------- CLI
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m harness preflight",
        description="Check a target Python before installing the spleeter pack.",
    )
    add = parser.add_argument
    add("--python", metavar="X|PATH", help="version (3.10) or interpreter path; default: this interpreter")
    add("--allow-source-builds", action="store_true", help="source builds allowed (checks MSVC, setuptools)")
    add("--installer", choices=INSTALLERS, default="pip")
    add("--venv-dir", type=Path, help="the cell venv (default: the target if it is a venv, else ./work/venv)")
    add("--json", action="store_true", help="print JSON instead of the table")
    add("--ascii", action="store_true", help="ASCII marks only (old Windows consoles)")
    return parser


def _interpreter_block(message: str, fix: str) -> List[CheckResult]:
    return [CheckResult("interpreter", BLOCK, message, fix, category="interpreter-unavailable")]


def gather(args: argparse.Namespace) -> Tuple[Optional[TargetFacts], List[CheckResult]]:
    """Locate and probe the target, then run every check; a target that can't be probed is itself a block."""
    exe = locate_python(args.python) if args.python else Path(sys.executable)
    if exe is None:
        return None, _interpreter_block(
            f"no interpreter found for {args.python!r}", "Install it (`uv python install X.Y`) or pass its path."
        )
    try:
        facts = probe_target(exe)
    except ProbeError as exc:
        return None, _interpreter_block(str(exc), "Pass the path of a working python executable with --python.")
    options = PreflightOptions(allow_source_builds=args.allow_source_builds, installer=args.installer)
    venv_dir = args.venv_dir or (Path(facts.prefix) if facts.in_venv else Path("work") / "venv")
    return facts, run_checks(facts, options, Path(os.path.abspath(str(venv_dir))))


def _can_encode(text: str, stream: Any) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _emit(text: str, stream: Any) -> None:
    """Write without ever crashing on a console that can't encode a path."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    facts, results = gather(args)
    if args.json:
        payload = {
            "target": facts.to_json() if facts else None,
            "blocked": bool(blocking(results)),
            "results": [r.to_json() for r in results],
        }
        _emit(json.dumps(payload, indent=2), sys.stdout)
    else:
        if facts is not None:
            head = f"Python {facts.python_version}, {facts.bits}-bit, {facts.platform}"
            _emit(f"Preflight for {facts.executable} ({head})", sys.stdout)
        ascii_only = args.ascii or not _can_encode("".join(_MARKS.values()), sys.stdout)
        _emit(render_table(results, ascii_only=ascii_only), sys.stdout)
    return 1 if blocking(results) else 0


if __name__ == "__main__":
    sys.exit(main())
