"""Target platforms of a dry resolution: what uv, pip and the environment markers call each one.

pip's ``--platform`` only chooses wheel tags; the environment markers of every
requirement (``sys_platform == "win32"``...) are still evaluated for the host.
So a target carries the marker environment a real interpreter there reports,
and :mod:`harness.plan.pipdriver` hands it to pip.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple


@dataclass(frozen=True)
class TargetPlatform:
    name: str  # what the user types: windows | linux | macos
    uv_platform: str  # uv's --python-platform
    tag: str  # the wheel tag family: a dry cell's ``target``, shown in the table and in lock names
    pip_platforms: Tuple[str, ...]  # pip's --platform values, most specific first
    os_name: str
    sys_platform: str
    platform_system: str
    platform_machine: str
    platform_release: str
    platform_version: str

    @property
    def is_windows(self) -> bool:
        return self.sys_platform == "win32"

    def marker_environment(self, python: str) -> Dict[str, str]:
        """PEP 508 marker values of CPython ``python`` (``3.10``) on this platform.

        ``python_full_version`` is ``X.Y.0``, as uv assumes for ``--python-version X.Y``,
        so both resolvers evaluate the same markers.
        """
        full = python if python.count(".") >= 2 else f"{python}.0"
        return {
            "implementation_name": "cpython",
            "implementation_version": full,
            "os_name": self.os_name,
            "platform_machine": self.platform_machine,
            "platform_python_implementation": "CPython",
            "platform_release": self.platform_release,
            "platform_system": self.platform_system,
            "platform_version": self.platform_version,
            "python_full_version": full,
            "python_version": ".".join(python.split(".")[:2]),
            "sys_platform": self.sys_platform,
        }


def _manylinux(arch: str) -> Tuple[str, ...]:
    # pip does not widen a manylinux_2_28 tag to older glibcs by itself: name each one (2_28 is uv's target).
    modern = tuple(f"manylinux_2_{minor}_{arch}" for minor in range(28, 4, -1))
    return modern + (f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}", f"linux_{arch}")


def _macos_arm64() -> Tuple[str, ...]:
    return tuple(f"macosx_{major}_0_{arch}" for major in range(14, 10, -1) for arch in ("arm64", "universal2"))


PLATFORMS = {
    "windows": TargetPlatform("windows", "x86_64-pc-windows-msvc", "win_amd64", ("win_amd64",),
                              "nt", "win32", "Windows", "AMD64", "10", "10.0.19045"),
    "linux": TargetPlatform("linux", "x86_64-manylinux_2_28", "manylinux_x86_64", _manylinux("x86_64"),
                            "posix", "linux", "Linux", "x86_64", "6.1.0", "#1 SMP PREEMPT_DYNAMIC"),
    "macos": TargetPlatform("macos", "aarch64-apple-darwin", "macosx_arm64", _macos_arm64(),
                            "posix", "darwin", "Darwin", "arm64", "23.0.0", "Darwin Kernel Version 23.0.0"),
}


def platform_for_tag(tag: str) -> TargetPlatform:
    """The target platform a dry cell was resolved for (its ``target``, such as ``win_amd64``); KeyError for others."""
    for target in PLATFORMS.values():
        if target.tag == tag:
            return target
    raise KeyError(tag)
