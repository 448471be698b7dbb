"""The preflight checks: each looks at the target's facts or the host and returns a Verdict.

A check is a plain function of a :class:`CheckContext`; :mod:`.registry` names them, orders them
and says where each applies. The Windows-only ones live in :mod:`.windows`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.install import winsys
from harness.install.preflight.model import (
    BLOCK,
    GIB,
    PASS,
    RESOLVER_PIP,
    TF_VENV_BYTES,
    WARN,
    PreflightOptions,
    TargetFacts,
    Verdict,
)
from harness.install.preflight.probes import SystemProbes
from harness.versions import base_version, parse_version, satisfies


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at; ``work_dir`` is the venv directory (existing or to be made)."""

    facts: TargetFacts
    options: PreflightOptions
    work_dir: Path
    probes: SystemProbes

    @property
    def python(self) -> str:
        """The target's executable as a copy-pastable command word."""
        exe = self.facts.executable or "python"
        return f'"{exe}"' if " " in exe else exe

    def long_paths_enabled(self) -> bool:
        return self.probes.read_registry_dword(winsys.LONG_PATHS_KEY, winsys.LONG_PATHS_VALUE) == 1


def _gib(n: int) -> str:
    return f"{n / GIB:.1f} GiB"


def check_python_version(ctx: CheckContext) -> Verdict:
    facts, spec = ctx.facts, ctx.options.requires_python
    fix = (
        f"Use a CPython inside {spec}, trying 3.11, then 3.10, 3.9, 3.8: e.g. `uv python install 3.10`, "
        "then rerun with `--python 3.10` (Windows: `py -3.10`)."
    )
    category = "python-version-unsupported"
    if facts.implementation != "cpython":
        message = f"{facts.implementation} {facts.python_version}: TensorFlow publishes wheels for CPython only"
        return Verdict(BLOCK, message, fix, category=category)
    if satisfies(facts.python_version, spec):
        return Verdict(PASS, f"Python {facts.python_version} satisfies Requires-Python {spec}")
    message = (
        f"Python {facts.python_version} is outside the pack's Requires-Python {spec}: "
        "pip skips those releases (old spleeter or 'No matching distribution')"
    )
    return Verdict(BLOCK, message, fix, category=category)


def check_python_bits(ctx: CheckContext) -> Verdict:
    bits = ctx.facts.bits
    if bits == 64:
        return Verdict(PASS, "64-bit interpreter")
    message = f"{bits}-bit interpreter: TensorFlow 2.12 has no {bits}-bit wheels (win_amd64, x86_64, aarch64 only)"
    fix = (
        "Install the 64-bit CPython (python.org 'Windows installer (64-bit)' or `uv python install 3.10`) "
        "and select it explicitly, e.g. `py -3.10-64`."
    )
    return Verdict(BLOCK, message, fix, category="no-wheel-for-platform")


def check_pip(ctx: CheckContext) -> Verdict:
    version, minimum = ctx.facts.pip_version, ctx.options.min_pip
    if version is None:
        fix = f"{ctx.python} -m ensurepip --upgrade"
        return Verdict(BLOCK, "pip is not installed in the target", fix, category="pip-outdated")
    fix = f'{ctx.python} -m pip install --upgrade "pip>={RESOLVER_PIP}"'
    if parse_version(version) < parse_version(minimum) and ctx.facts.platform.startswith("linux"):
        message = f"pip {version} is older than {minimum}: it cannot see TensorFlow's manylinux2014 wheels"
        return Verdict(BLOCK, message, fix, category="pip-outdated")
    if parse_version(version) < parse_version(RESOLVER_PIP):
        message = f"pip {version} has the legacy resolver (before {RESOLVER_PIP}): it can break the numpy pins"
        return Verdict(WARN, message, fix, category="pip-outdated")
    return Verdict(PASS, f"pip {version}")


def check_build_backend(ctx: CheckContext) -> Verdict:
    facts = ctx.facts
    found = (("setuptools", facts.setuptools_version), ("wheel", facts.wheel_version))
    missing = [name for name, version in found if version is None]
    if not missing:
        message = f"setuptools {facts.setuptools_version}, wheel {facts.wheel_version}"
        return Verdict(PASS, message)
    if ctx.options.allow_source_builds:
        status, why = BLOCK, "source builds without build isolation need them"
    else:
        status, why = WARN, "only needed if a package must build from source"
    message = f"{' and '.join(missing)} not installed in the target ({why})"
    fix = f"{ctx.python} -m pip install --upgrade setuptools wheel"
    return Verdict(status, message, fix, category="build-backend-missing")


def check_numpy(ctx: CheckContext) -> Verdict:
    version, options = ctx.facts.numpy_version, ctx.options
    if version is None:
        return Verdict(PASS, "numpy not installed; the install brings the pinned one")
    fix = f'{ctx.python} -m pip install "numpy{options.numpy_pack_spec}"  (or install into a fresh venv)'
    # Compare the release only: numpy 2.0.0rc1 already has the numpy 2 ABI.
    if base_version(version) >= parse_version(options.numpy_max_exclusive):
        # Only the environment the pack is installed into matters: a fresh venv
        # made from a base interpreter does not see the base's numpy.
        in_venv = ctx.facts.in_venv
        where = "the target venv" if in_venv else "the base interpreter (a fresh venv won't see it)"
        message = (
            f"numpy {version} in {where}: the pack needs numpy<{options.numpy_max_exclusive} "
            "(TensorFlow 2.12 fails to import on numpy 2)"
        )
        return Verdict(BLOCK if in_venv else WARN, message, fix, category="dependency-conflict")
    if not satisfies(version, options.numpy_pack_spec):
        message = (
            f"numpy {version} is outside TensorFlow's pin {options.numpy_pack_spec}: "
            "pip will replace it, a --no-deps install keeps it"
        )
        return Verdict(WARN, message, fix, category="dependency-conflict")
    return Verdict(PASS, f"numpy {version} fits {options.numpy_pack_spec}")


def check_nuitka(ctx: CheckContext) -> Verdict:
    version = ctx.facts.nuitka_version
    if version is None:
        return Verdict(PASS, "Nuitka not installed in the target")
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
    return Verdict(WARN, message, fix, details, category="source-build-failed")


def ffmpeg_fix(platform: str) -> str:
    if platform == "win32":
        return "winget install Gyan.FFmpeg  (or choco install ffmpeg), then open a new terminal"
    if platform == "darwin":
        return "brew install ffmpeg"
    return "sudo apt-get install ffmpeg  (or your distribution's ffmpeg package)"


def check_ffmpeg(ctx: CheckContext) -> Verdict:
    found = [(tool, ctx.probes.which(tool)) for tool in ("ffmpeg", "ffprobe")]
    details = tuple(f"{tool}: {path or 'not on PATH'}" for tool, path in found)
    missing = [tool for tool, path in found if not path]
    if not missing:
        return Verdict(PASS, "ffmpeg and ffprobe on PATH", details=details)
    # spleeter's audio adapter raises "ffmpeg binary not found" / "ffprobe binary
    # not found" before it loads anything.
    message = f"{' and '.join(missing)} not on PATH: spleeter can't load audio without both, Mux needs ffmpeg"
    status = BLOCK if ctx.options.ffmpeg_required else WARN
    return Verdict(status, message, ffmpeg_fix(ctx.probes.platform), details, "ffmpeg-missing")


def check_disk(ctx: CheckContext) -> Verdict:
    free, minimum = ctx.probes.disk_free(ctx.work_dir), ctx.options.min_free_bytes
    where = f"{_gib(free)} free at {ctx.work_dir}"
    need = f"a TensorFlow 2.12 venv takes {TF_VENV_BYTES / 1000**3:.1f} GB plus downloaded wheels"
    fix = f"Free space or put the work dir on another disk: at least {_gib(minimum)} per cell venv."
    if free < minimum:
        message = f"{where}, below {_gib(minimum)}: {need}"
        return Verdict(BLOCK, message, fix, category="other")
    if free < 2 * minimum:
        return Verdict(WARN, f"{where}: room for one cell venv only ({need})", fix, category="other")
    return Verdict(PASS, where)
