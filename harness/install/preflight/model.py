"""Preflight's values: what the pack needs (options), what the target is (facts), what a check said."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, Mapping, Optional, Tuple

from harness.results import Category, Diagnosis
from harness.versions import parse_specifiers, parse_version

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
class Verdict:
    """What one check found; the registry names it (:class:`CheckResult`)."""

    status: str
    message: str
    fix: str = ""
    details: Tuple[str, ...] = ()
    category: str = ""  # the Diagnosis category a block maps to


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one named check; ``category`` is the Diagnosis category a block maps to."""

    name: str
    status: str
    message: str
    fix: str = ""
    details: Tuple[str, ...] = ()
    category: str = ""

    @classmethod
    def named(cls, name: str, verdict: Verdict) -> "CheckResult":
        return cls(name, verdict.status, verdict.message, verdict.fix, verdict.details, verdict.category)

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
