"""What to do about a diagnosis: one next action and the commands a user runs by hand.

The text is sharpened by what we know of the cell (its Python, installer and
platform) and by what the log showed (the blocker, the Python to move to, a
URL). Commands are the ones a user would type: ``uv`` commands when the cell
used uv, ``pip`` ones otherwise, Windows spellings on Windows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from harness.diagnose import reqs

VENV = ".venv-spleeter"

# Facts from spleeter 2.4.2's metadata (Requires-Dist) with the one pin that has no
# Windows wheels swapped for the last release that has them. Checked with
# `uv pip compile --python-platform x86_64-pc-windows-msvc --override` on 3.8 and 3.11.
GCS_BLOCKER = "tensorflow-io-gcs-filesystem==0.32.0"
GCS_OVERRIDE = "tensorflow-io-gcs-filesystem==0.31.0"
SPLEETER_242_PINNED = (
    "tensorflow==2.12.1", GCS_OVERRIDE, "numpy<2", "pandas>=1.3,<2", "httpx[http2]>=0.19,<0.20",
    "norbert>=0.2.1,<0.3", "typer>=0.3.2,<0.4", "ffmpeg-python>=0.2,<0.3",
)
DEFAULT_MODEL_URL = "https://github.com/deezer/spleeter/releases/download/v1.4.0/2stems.tar.gz"

BACKEND_PACKAGES = (
    ("poetry", "poetry-core"), ("flit", "flit-core"), ("hatch", "hatchling"),
    ("meson", "meson-python"), ("pdm", "pdm-backend"), ("setuptools", "setuptools wheel"),
)


@dataclass(frozen=True)
class Facts:
    """Everything the advice may use, gathered by the engine from the log and the context."""

    category: str
    blocker: Optional[str]
    pack: str
    python: Optional[str]
    target_python: str
    installer: str  # "pip" | "uv"
    platform: str  # "linux" | "windows" | "macos"
    rule: str = ""
    url: Optional[str] = None
    backend: Optional[str] = None
    seconds: Optional[float] = None
    step: Optional[str] = None
    fell_back_to: Optional[str] = None  # e.g. "spleeter 2.1.0": what pip picked instead of the pack
    strategy: Optional[str] = None  # the install strategy that failed, e.g. "wheel-first"


def q(arg: str) -> str:
    """Quote an argument for both cmd.exe and POSIX shells when it holds shell syntax."""
    return f'"{arg}"' if re.search(r"[<>|&^ \[\]]", arg) else arg


def _windows(f: Facts) -> bool:
    return f.platform == "windows"


def _pip(f: Facts) -> str:
    return f"{VENV}\\Scripts\\python -m pip" if _windows(f) else f"{VENV}/bin/python -m pip"


def _install(f: Facts, *args: str) -> str:
    """Install ``args`` into the fallback venv with the cell's installer."""
    joined = " ".join(q(a) for a in args)
    return f"uv pip install -p {VENV} {joined}" if f.installer == "uv" else f"{_pip(f)} install {joined}"


def _new_venv(f: Facts, python: str) -> str:
    if f.installer == "uv":
        return f"uv venv -p {python} {VENV}"
    return f"py -{python} -m venv {VENV}" if _windows(f) else f"python{python} -m venv {VENV}"


def _fresh(f: Facts, python: str, *args: str) -> Tuple[str, ...]:
    return (_new_venv(f, python), _install(f, *(args or (f.pack,))))


def _this_python(f: Facts) -> str:
    return f"Python {f.python}" if f.python else "this Python"


def _wheels_instead(f: Facts) -> str:
    """Where to get a wheel instead of a build; no point suggesting wheel-first to wheel-first."""
    if f.strategy == "wheel-first":
        return f"use Python {f.target_python}, where wheels exist"
    return f"use the wheel-first strategy (--only-binary=:all:) or Python {f.target_python}, where wheels exist"


def _name(f: Facts) -> str:
    name, _ = reqs.split_requirement(f.blocker or "")
    return name or "the package"


def _python_version_unsupported(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    what = f.blocker or f.pack
    return (f"Use Python {f.target_python}: {what} does not support {_this_python(f)}; "
            f"create a venv with `{_new_venv(f, f.target_python)}` and install {f.pack} there.",
            _fresh(f, f.target_python))


def _no_wheel(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.blocker == GCS_BLOCKER:
        manual = ((_new_venv(f, f.target_python), f"echo {GCS_OVERRIDE}> overrides.txt",
                   f"uv pip install -p {VENV} --override overrides.txt {f.pack}") if f.installer == "uv" else
                  (_new_venv(f, f.target_python), _install(f, "--no-deps", f.pack), _install(f, *SPLEETER_242_PINNED)))
        return (f"Use the no-deps-pinned strategy: {GCS_BLOCKER} has no Windows wheels for any Python, so install "
                f"{f.pack} with --no-deps and then its pinned dependencies with {GCS_OVERRIDE}.", manual)
    name = _name(f)
    if f.rule in ("uv-only-binary", "pip-only-binary"):
        allow = (_install(f, f.pack) if f.installer == "uv" else
                 f"{_pip(f)} install --only-binary=:all: --no-binary={name} {q(f.pack)}")
        return (f"Only wheels were allowed and {f.blocker} has none for {_this_python(f)}: let {name} build from "
                f"source (pip: `--only-binary=:all: --no-binary={name}`; uv: leave out `--only-binary :all:`), "
                f"or use a newer Python whose {name} releases ship wheels.",
                (_new_venv(f, f.python or f.target_python), allow))
    return (f"No wheel of {f.blocker or 'a dependency'} fits this Python/platform: use 64-bit Python "
            f"{f.target_python}, or allow a source build (the source-build strategy, --allow-source-builds).",
            _fresh(f, f.target_python))


def _conflict(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    name = _name(f)
    return (f"Drop or loosen the requirement that clashes on {name}: install {f.pack} alone in a fresh venv "
            f"and let it choose {name}.",
            _fresh(f, f.python or f.target_python) + ((f"{_pip(f)} check",) if f.installer != "uv" else ()))


def _msvc(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return (f"Install the Microsoft C++ Build Tools (workload 'Desktop development with C++'), open a new "
            f"terminal and retry; or avoid building {f.blocker or 'it'}: use a Python that has a wheel for it.",
            ('winget install --id Microsoft.VisualStudio.2022.BuildTools --override '
             '"--quiet --wait --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"',
             _new_venv(f, f.python or f.target_python), _install(f, "--only-binary=:all:", f.pack)))


def _source_build(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if _name(f) == "llvmlite":
        why = "llvmlite only builds against one LLVM version (llvm-config)"
    else:
        why = f"building {f.blocker or 'a dependency'} from source failed (see the evidence)"
    return (f"Do not build from source: {why}; {_wheels_instead(f)}.",
            _fresh(f, f.target_python, "--only-binary=:all:", f.pack))


def _metadata(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.fell_back_to:
        return (f"pip fell back to {f.fell_back_to}, whose pin {f.blocker or 'numpy<1.19'} only exists as a "
                f"source archive that no longer builds: use Python {f.target_python} and pin {f.pack}.",
                _fresh(f, f.target_python))
    return (f"{f.blocker or 'A dependency'} has no wheel here and its source build failed while preparing "
            f"metadata: {_wheels_instead(f)}.",
            _fresh(f, f.target_python, "--only-binary=:all:", f.pack))


def _backend(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    backend = f.backend or "setuptools"
    package = next((pkg for key, pkg in BACKEND_PACKAGES if key in backend), "setuptools wheel")
    return (f"Install the build backend ({package}) into the venv before --no-build-isolation, "
            f"or build with isolation (drop --no-build-isolation).",
            (_new_venv(f, f.python or f.target_python), _install(f, *package.split()),
             _install(f, "--no-build-isolation", f.pack)))


def _long_path(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return ("Enable Windows long paths (admin PowerShell, then a new terminal) or create the venv in a short "
            "path such as C:\\sp.",
            ('New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" '
             "-Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force",
             f"py -{f.target_python} -m venv C:\\sp", f"C:\\sp\\Scripts\\python -m pip install {q(f.pack)}"))


def _pip_outdated(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return (f"Upgrade pip in the venv first ({f.blocker or 'this pip'} predates the wheels {f.pack} needs): "
            f"the bootstrap strategy, `python -m pip install --upgrade pip setuptools wheel`.",
            (_new_venv(f, f.python or f.target_python), f"{_pip(f)} install --upgrade pip setuptools wheel",
             f"{_pip(f)} install {q(f.pack)}"))


def _network(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    url = f.url or "https://pypi.org/simple/"
    host = re.sub(r"^\w+://([^/]+).*$", r"\1", url)
    return (f"Check that {host} is reachable from this machine (DNS, proxy, firewall, TLS interception) and "
            f"rerun; behind a proxy set HTTPS_PROXY, with a mirror pass --index-url.",
            (f"curl -sSI {url}",) + _fresh(f, f.python or f.target_python, "--index-url",
                                           "https://pypi.org/simple", f.pack))


def _ffmpeg(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    install = {"windows": "winget install --id Gyan.FFmpeg", "macos": "brew install ffmpeg"}.get(
        f.platform, "sudo apt-get install -y ffmpeg")
    return (f"Install ffmpeg (it brings ffprobe) and put it on PATH: `{install}`, then open a new terminal "
            f"and rerun.", (install, "ffmpeg -version", "ffprobe -version"))


def _dll(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    module = _name(f) if f.blocker else "tensorflow"
    check = f'python -c "import {module}"'
    if not _windows(f) and f.platform:
        return (f"A shared library {module} needs is missing: install it (or use the CPU build), "
                f"then re-run `{check}`.", (check,))
    return (f"Install the Microsoft Visual C++ 2015-2022 Redistributable (x64), check that the CPU supports "
            f"AVX, then re-run `{check}`.", ("winget install --id Microsoft.VCRedist.2015+.x64", check))


def _model(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    url = f.url or DEFAULT_MODEL_URL
    name = re.sub(r"\.tar\.gz$", "", url.rstrip("/").rsplit("/", 1)[-1]) or "2stems"
    target = f"pretrained_models\\{name}" if _windows(f) else f"pretrained_models/{name}"
    model_path = "set MODEL_PATH=%CD%\\pretrained_models" if _windows(f) else "export MODEL_PATH=$PWD/pretrained_models"
    mkdir = f"mkdir {target}" if _windows(f) else f"mkdir -p {target}"
    return (f"Download the model archive by hand ({url}) and unpack it under MODEL_PATH; spleeter then skips "
            f"the download.", (f"curl -L -o {name}.tar.gz {url}", mkdir, f"tar -xzf {name}.tar.gz -C {target}",
                               model_path))


def _interpreter(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    wanted = f.python or re.sub(r"^Python ", "", f.blocker or "") or f.target_python
    return (f"Install Python {wanted} (`uv python install {wanted}`, or the python.org installer / "
            f"`py -{wanted}` on Windows), or let the interpreter fallback use 3.11, 3.10, 3.9, 3.8.",
            (f"uv python install {wanted}", f"uv venv -p {wanted} {VENV}"))


def _timeout(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    step = f"The {f.step} step" if f.step else "The step"
    after = f" after {f.seconds:.0f} s" if f.seconds is not None else ""
    return (f"{step} was stopped{after}: rerun it with a longer timeout (matrix.yaml timeouts) or a "
            f"warm cache; if it hangs, run its command by hand to see where.",
            (_install(f, "-v", f.pack),) if f.installer == "uv" else (f"{_pip(f)} install -v {q(f.pack)}",))


def _other(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return ("No known failure pattern matched: read the evidence lines and the full log, then rerun the step "
            "verbosely.", (f"{_pip(f)} install -v {q(f.pack)}",))


ADVICE: Dict[str, Callable[[Facts], Tuple[str, Tuple[str, ...]]]] = {
    "python-version-unsupported": _python_version_unsupported,
    "no-wheel-for-platform": _no_wheel,
    "dependency-conflict": _conflict,
    "msvc-build-tools-missing": _msvc,
    "source-build-failed": _source_build,
    "metadata-generation-failed": _metadata,
    "build-backend-missing": _backend,
    "long-path": _long_path,
    "pip-outdated": _pip_outdated,
    "network-or-index": _network,
    "ffmpeg-missing": _ffmpeg,
    "dll-load-failed": _dll,
    "model-download-failed": _model,
    "interpreter-unavailable": _interpreter,
    "timeout": _timeout,
    "other": _other,
}


def advise(facts: Facts) -> Tuple[str, Tuple[str, ...]]:
    """(next action, manual fallback commands) for a diagnosis."""
    return ADVICE.get(facts.category, _other)(facts)
