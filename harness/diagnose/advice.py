"""What to do about a diagnosis: one next action and the commands a user runs by hand.

The text is sharpened by what we know of the cell (its Python, installer and
platform) and by what the log showed (the blocker, the Python to move to, a
URL). Commands are the ones a user would type: ``uv`` commands when the cell
used uv, ``pip`` ones otherwise, Windows spellings on Windows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple

from harness.diagnose import reqs

VENV = ".venv-spleeter"
DEFAULT_PACK = "spleeter==2.4.2"  # the pack the matrix verifies; used when the caller names none
SUPPORTED_PYTHONS = ("3.11", "3.10", "3.9", "3.8")  # DEFAULT_PACK's Requires-Python, newest first

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
    bits: Optional[int] = None  # 32 | 64, when the log shows it
    shell: str = "posix"  # "posix" | "powershell" | "cmd": the user's own shell, for the commands
    ran: Tuple[str, ...] = ()  # commands the log shows the user already ran
    groups: Mapping[str, str] = field(default_factory=dict)  # what the rule's pattern captured
    log: str = ""  # the normalised log, for advice that names what it shows (package names, hosts)


def q(arg: str) -> str:
    """Quote an argument for both cmd.exe and POSIX shells when it holds shell syntax."""
    return f'"{arg}"' if re.search(r"[<>|&^ \[\]]", arg) else arg


def _windows(f: Facts) -> bool:
    return f.platform == "windows"


def _pip(f: Facts) -> str:
    return f"{VENV}\\Scripts\\python -m pip" if _windows(f) else f"{VENV}/bin/python -m pip"


def _set_env(f: Facts, name: str, value: str) -> str:
    """Setting an environment variable for the commands that follow, in the user's shell."""
    if f.shell == "powershell":
        return f'$env:{name}="{value}"'
    if f.shell == "cmd":
        return f"set {name}={value}"
    return f"export {name}={value}"


def _curl(f: Facts) -> str:
    """PowerShell aliases ``curl`` to Invoke-WebRequest; curl.exe is the real one on Windows 10+."""
    return "curl.exe" if _windows(f) else "curl"


def _bare_pip(f: Facts) -> str:
    """pip run through the interpreter the user means: the launcher on Windows."""
    if _windows(f):
        return f"py -{f.python} -m pip" if f.python else "py -m pip"
    return f"python{f.python} -m pip" if f.python else "python3 -m pip"


def _install(f: Facts, *args: str) -> str:
    """Install ``args`` into the fallback venv with the cell's installer."""
    joined = " ".join(q(a) for a in args)
    if f.installer == "conda":
        return f"conda run -n spleeter python -m pip install {joined}"
    return f"uv pip install -p {VENV} {joined}" if f.installer == "uv" else f"{_pip(f)} install {joined}"


def _new_venv(f: Facts, python: str) -> str:
    if f.installer == "conda":
        return f"conda create -y -n spleeter python={python}"
    if f.installer == "uv":
        return f"uv venv -p {python} {VENV}"
    return f"py -{python} -m venv {VENV}" if _windows(f) else f"python{python} -m venv {VENV}"


def _fresh(f: Facts, python: str, *args: str) -> Tuple[str, ...]:
    if not args and _windows(f) and f.pack == DEFAULT_PACK:
        return _windows_242(f, python)
    return (_new_venv(f, python), _install(f, *(args or (f.pack,))))


def _windows_242(f: Facts, python: str) -> Tuple[str, ...]:
    """spleeter 2.4.2 on Windows: its tensorflow-io-gcs-filesystem==0.32.0 has no Windows wheel, so 0.31.0."""
    if f.installer == "uv":
        return (_new_venv(f, python), f"echo {GCS_OVERRIDE}> overrides.txt",
                f"uv pip install -p {VENV} --override overrides.txt {f.pack}")
    return (_new_venv(f, python), _install(f, "--no-deps", f.pack), _install(f, *SPLEETER_242_PINNED))


def _windows_note(f: Facts) -> str:
    """What a Windows user must know before installing the pack (none elsewhere)."""
    if not _windows(f) or f.pack != DEFAULT_PACK:
        return ""
    return (f" On Windows install it with {GCS_OVERRIDE} (2.4.2's 0.32.0 has no Windows wheel: the no-deps-pinned "
            f"strategy), or use spleeter==2.4.0 on Python 3.10.")


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


# Releases that only spleeter <= 2.3 pins: seeing them built means an older spleeter was picked (uv ignores
# Requires-Python upper bounds; pip falls back to 2.1.0 on Pythons the new ones exclude). spleeter 2.4.x
# needs none of them (its metadata: tensorflow 2.12.1, no numba/llvmlite/librosa).
OLD_SPLEETER_PINS = ("llvmlite", "numba", "librosa", "tensorflow", "numpy")


def _old_spleeter_dependency(f: Facts) -> bool:
    """The blocker is a dependency only old spleeter releases pin, and spleeter is being installed."""
    if f.pack != DEFAULT_PACK or _name(f) not in OLD_SPLEETER_PINS:
        return False
    pinned = reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1]) or ""
    old = {"llvmlite": "0.40", "numba": "0.57", "tensorflow": "2.12", "numpy": "1.19", "librosa": "0.9"}
    too_old = bool(pinned) and reqs.version_key(pinned) < reqs.version_key(old[_name(f)])
    return bool(re.search(r"spleeter", f.log, re.IGNORECASE)) and (too_old or _name(f) in ("llvmlite", "numba"))


def _pin_spleeter(f: Facts) -> str:
    return (f"pin {f.pack}: an older spleeter was picked, and only spleeter <= 2.3 needs {_name(f)} "
            f"(uv ignores their Requires-Python upper bound; pip falls back to 2.1.0)")


def _python_version_unsupported(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    what = f.blocker or f.pack
    if f.rule == "wheel-for-another-python":
        wheel_python = f"{f.groups.get('major')}.{f.groups.get('minor')}"
        return (f"The wheel of {what} is built for Python {wheel_python} (cp{wheel_python.replace('.', '')}) and this "
                f"is {_this_python(f)}: use Python {wheel_python} for that file, or pick the file built for your "
                f"Python (let pip choose it from the index).",
                (_new_venv(f, wheel_python), _install(f, f.blocker or f.pack)))
    constraint = f.groups.get("constraint")
    if constraint:
        return (f"{what} has no wheel for {_this_python(f)} and cannot build there (no distutils): add the "
                f"constraint uv suggests (`{constraint}`), or use Python {f.target_python}.",
                (_install(f, constraint, f.pack),))
    if f.installer == "conda":
        return (f"Use Python {f.target_python}: {what} has no build for {_this_python(f)}; create a fresh env "
                f"with `{_new_venv(f, f.target_python)}` (not the base environment) and install there, or use "
                f"{f.pack}, which supports Python 3.8-3.11.", _fresh(f, f.target_python))
    if f.fell_back_to:
        return (f"Use Python {f.target_python}: pip fell back to {f.fell_back_to} because {f.pack} excludes "
                f"{_this_python(f)}; create a venv with `{_new_venv(f, f.target_python)}` and install {f.pack} there.",
                _fresh(f, f.target_python))
    if f.rule == "pure-python-none":
        return (f"pip saw no release of {what} that accepts {_this_python(f)} (spleeter ships pure-Python wheels, so "
                f"only Requires-Python can exclude it): spleeter 1.x needs Python 3.7 (or 3.6), 2.4.x supports "
                f"3.8-3.11 - install {f.pack} with Python {f.target_python}, or an old spleeter 1.x with Python 3.7.",
                _fresh(f, f.target_python))
    if _old_spleeter_dependency(f):
        return (f"{what} does not support {_this_python(f)}; {_pin_spleeter(f)}. {f.pack} has wheels for Python "
                f"3.8-3.11, or keep the old pin with Python {f.target_python}.", _fresh(f, f.python or f.target_python))
    if f.rule == "python-guard-in-build" and not f.blocker:
        what = f"the package being built (its setup.py allows Python {f.groups.get('spec') or 'older versions'})"
    # a Python older than the pack supports is a way out for the blocker alone, not for the pack
    target = f.pack if f.pack != DEFAULT_PACK or f.target_python in SUPPORTED_PYTHONS else (f.blocker or f.pack)
    return (f"Use Python {f.target_python}: {what} does not support {_this_python(f)}; "
            f"create a venv with `{_new_venv(f, f.target_python)}` and install {target} there"
            f"{_newer_release(f)}.", _fresh(f, f.target_python, *((target,) if target != f.pack else ())))


def _newer_release(f: Facts) -> str:
    """The other way out of an old pin: a release built for this Python, and the constraint that makes the
    resolver take it when something deeper pulled the old one in (uv's "was included because" chain)."""
    name = _name(f)
    first = reqs.first_release_for(name, f.python) if f.python else None
    chain = re.search(r"`" + re.escape(name) + r"` \(v[\d.]+\) was included because ([\s\S]+?)(?:\n\S|$)", f.log)
    parents = re.findall(r"`([\w.-]+)` \(v[\d.]+\)", chain.group(1)) if chain else []
    pinned = next((p for p in reversed(parents) if p != name and reqs.first_release_for(p, f.python)), None)
    if pinned:
        return (f"; or constrain {pinned}>={reqs.first_release_for(pinned, f.python)} (the first {pinned} with wheels "
                f"for Python {f.python}), so the resolver stops picking the old release")
    return f"; or use {name}>={first}, the first release with wheels for Python {f.python}" if first else ""


def _gcs_blocked(f: Facts) -> bool:
    """tensorflow-io-gcs-filesystem after 0.31.0 has no Windows wheels for any Python."""
    if _name(f) != "tensorflow-io-gcs-filesystem":
        return False
    pinned = reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1])
    newer = not pinned or reqs.version_key(pinned) > reqs.version_key("0.31")
    # Linux and macOS always see some release; none at all is Windows, whatever the log shows of the machine
    nothing = re.search(r"tensorflow-io-gcs-filesystem\S* \(from versions: none\)", f.log)
    if f.platform == "macos" or _newer_than_wheels(f):
        return False
    return f.blocker == GCS_BLOCKER or (newer and (_windows(f) or bool(nothing)))


def _nothing_listed(f: Facts) -> bool:
    """The index offered no release of the blocker at all: the interpreter is the problem, not the pin."""
    name = _name(f)
    # the requirement line may be console-wrapped once before pip's version list
    return bool(re.search(rf"{reqs.name_pattern(name)}[^\n]*\n?[^\n]*\(from versions: ?(?:none)?\)", f.log,
                          re.IGNORECASE))


def _apple_silicon_tensorflow(f: Facts) -> bool:
    return f.platform == "macos" and _name(f).startswith("tensorflow") and _nothing_listed_or_bare(f)


def _nothing_listed_or_bare(f: Facts) -> bool:
    return _nothing_listed(f) or bool(re.search(r"No matching distribution found for tensorflow\S*\s*$", f.log,
                                                 re.MULTILINE))


def _newer_than_wheels(f: Facts) -> bool:
    """Nothing listed on a Python newer than TensorFlow's ecosystem had wheels for (3.13 and later)."""
    if not f.python:
        return False
    return reqs.version_key(f.python) >= reqs.version_key("3.13") and _nothing_listed(f)


def _no_wheel(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if _newer_than_wheels(f):
        return (f"No release of {_name(f)} has wheels for Python {f.python} (nothing is listed at all): use Python "
                f"{f.target_python} in a new venv (`{_new_venv(f, f.target_python)}`).", _fresh(f, f.target_python))
    if re.search(r"\balpine\b|\bmusl|\bapk add\b", f.log, re.IGNORECASE):
        return (f"Alpine Linux uses musl, and {f.blocker or 'the package'} publishes manylinux (glibc) wheels only: use "
                f"a glibc base image (python:3.11-slim, Debian/Ubuntu) instead of Alpine.",
                ("docker pull python:3.11-slim",))
    if _name(f).startswith("tensorflow-io") and not _gcs_blocked(f):
        return _tensorflow_io(f)
    if _gcs_blocked(f):
        return (f"Use the no-deps-pinned strategy: {f.blocker} has no Windows wheels for any Python, so install "
                f"{f.pack} with --no-deps and then its pinned dependencies with {GCS_OVERRIDE}.",
                _windows_242(f, f.target_python))
    name = _name(f)
    if f.rule in ("uv-only-binary", "pip-only-binary"):
        allow = (_install(f, f.pack) if f.installer == "uv" else
                 f"{_pip(f)} install --only-binary=:all: --no-binary={name} {q(f.pack)}")
        return (f"Only wheels were allowed and {f.blocker} has none for {_this_python(f)}: let {name} build from "
                f"source (pip: `--only-binary=:all: --no-binary={name}`; uv: leave out `--only-binary :all:`), "
                f"or use a newer Python whose {name} releases ship wheels.",
                (_new_venv(f, f.python or f.target_python), allow))
    if _apple_silicon_tensorflow(f):
        return ("On a Mac with Apple silicon, TensorFlow before 2.13 comes as tensorflow-macos (plus tensorflow-metal "
                "for the GPU); from 2.13 on `pip install tensorflow` has arm64 wheels for Python 3.9 and later. Use "
                "an arm64 Python (not one under Rosetta).",
                (f"{_bare_pip(f)} install tensorflow-macos tensorflow-metal",))
    if _nothing_listed(f) and f.bits != 64:
        pin = f" and pin {f.pack}" if _old_spleeter_dependency(f) else ""
        return (f"The index offers no release of {name} at all for this interpreter: it is a 32-bit Python "
                f"(TensorFlow has no 32-bit wheels) or a Python version {name} has no wheels for; install 64-bit "
                f"Python {f.target_python}{pin} and create the venv with it.", _fresh(f, f.target_python))
    if _old_spleeter_dependency(f):
        return (f"No wheel of {f.blocker} fits {_this_python(f)}: {_pin_spleeter(f)}; {f.pack} has wheels for "
                f"Python 3.8-3.11.", _fresh(f, f.target_python))
    if re.search(r"-win_x86_64\.whl", f.log):
        return ("The URL names a win_x86_64 wheel, a tag Windows never has: x64 Windows wheels are tagged "
                "win_amd64; take the win_amd64 file (or let pip pick from the index).", _fresh(f, f.target_python))
    bits = "64-bit " if f.bits != 64 else ""
    return (f"No wheel of {f.blocker or 'a dependency'} fits this Python/platform: use {bits}Python "
            f"{f.target_python}, or allow a source build (the source-build strategy, --allow-source-builds).",
            _fresh(f, f.target_python))


def _tensorflow_io(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """tensorflow-io (and its gcs-filesystem) ship wheels for few platforms: say which way out each one has."""
    name = _name(f)
    if f.platform == "macos":
        return (f"{name} has no wheel for this Mac (Apple silicon/arm64 releases came late): build the wheel from "
                f"source (`python setup.py -q bdist_wheel --project {name.replace('-', '_')}` in a tensorflow/io "
                f"checkout, then `pip install --no-deps dist/*.whl`), or use TensorFlow's Apple route "
                f"(tensorflow-macos) without it.", (f"{_bare_pip(f)} install tensorflow-macos",))
    if _windows(f):
        return (f"{name} publishes no Windows wheels for most releases (no Windows build): run it under WSL or on "
                f"Linux, or pin the last release that had a Windows wheel ({GCS_OVERRIDE} for the gcs "
                f"filesystem).", ("wsl --install",))
    return (f"No wheel of {f.blocker or name} fits this Python/platform: use Python {f.target_python} on "
            f"x86_64/aarch64 Linux, where {name} has wheels.", _fresh(f, f.target_python))


def _python_32_bit(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    what = f.blocker or "TensorFlow"
    python = f.python if f.python and reqs.version_key(f.python) >= reqs.version_key("3.8") else f.target_python
    installer = ("the python.org 'Windows installer (64-bit)'" if _windows(f)
                 else "a 64-bit OS and Python (x86_64/aarch64)")
    tag = re.search(r"-cp(\d)(\d+)\S*\.whl is not a supported wheel", f.log)
    if tag:
        wheel_python = f"{tag.group(1)}.{tag.group(2)}"
        return (f"This Windows wheel of {what} is for 64-bit Python {wheel_python} (cp{tag.group(1)}{tag.group(2)}) "
                f"and pip rejected it: this Python is 32-bit or not {wheel_python}; install 64-bit Python "
                f"{wheel_python} and run pip with it (`py -{wheel_python} -m pip install ...`).",
                (f"py -{wheel_python}-64 -m venv {VENV}", f"{_pip(f)} install {q(f.pack)}"))
    if f.bits != 32 and not _windows(f):
        # a guess from "nothing listed" on a machine the log does not show: name the three usual causes
        return (f"No release of {what} fits this interpreter at all. The usual causes: a 32-bit Python (install "
                f"64-bit Python {python}), a Python version it has no wheels for, or a Mac with Apple silicon and "
                f"a TensorFlow before 2.13 (use tensorflow-macos).", _fresh(f, python))
    return (f"This Python is 32-bit and {what} publishes 64-bit wheels only: install 64-bit Python {python} "
            f"({installer}), then create the venv with it.",
            (f"py -{python}-64 -m venv {VENV}" if _windows(f) else f"python{python} -m venv {VENV}",
             f"{_pip(f)} install {q(f.pack)}"))


def _conflict(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    name = _name(f)
    if f.fell_back_to and f.python and reqs.version_key(f.python) >= reqs.version_key("3.12"):
        return _python_version_unsupported(f)  # the clash is spleeter 2.1.0's, picked because 2.4 excludes 3.12
    if f.rule == "numba-llvmlite-mismatch":
        need = f.groups.get("need")
        return (f"numba and llvmlite do not match{f' (numba needs llvmlite {need})' if need else ''}: reinstall "
                f"them together (`{_bare_pip(f)} install --upgrade --force-reinstall numba llvmlite`), or install "
                f"{f.pack}, which needs neither, in a fresh venv.",
                (f"{_bare_pip(f)} install --upgrade --force-reinstall numba llvmlite",) + _fresh(f, f.python or f.target_python))
    bounded = _bounded_by_others(f, name)
    if bounded:
        return (f"Your pin on {name} clashes with what the other packages accept: use \"{bounded}\" (the range "
                f"the upper-bounded requirement allows) instead, or a release of that package that accepts your "
                f"pin.", (_install(f, bounded),))
    return (f"Drop or loosen the requirement that clashes on {name}: install {f.pack} alone in a fresh venv "
            f"and let it choose {name}.",
            _fresh(f, f.python or f.target_python) + ((f"{_pip(f)} check",) if f.installer != "uv" else ()))


def _bounded_by_others(f: Facts, name: str) -> Optional[str]:
    """pip's "conflict is caused by" lines: the user pinned ``name`` and another package caps it
    (``tensorflow-gpu 1.15.4 depends on numpy<1.19.0 and >=1.16.0``) -> ``numpy<1.19.0,>=1.16.0``."""
    pattern = reqs.name_pattern(name)
    if not re.search(rf"The user requested {pattern}==", f.log, re.IGNORECASE):
        return None
    capped = [spec for spec in re.findall(rf"^\s+\S+ \S+ depends on {pattern}([^\n]*<[^\n]*)$", f.log,
                                          re.IGNORECASE | re.MULTILINE)]
    if not capped:
        return None
    return name + ",".join(part.strip() for part in capped[0].split(" and "))


def _backtracking(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    names = re.findall(r"pip is looking at multiple versions of ([\w.-]+)", f.log)
    names = [n for n in dict.fromkeys(reversed(names)) if n != "this"][:3]
    named = f" ({', '.join(names)})" if names else ""
    return (f"pip's resolver is backtracking and may never finish: give it constraints - pin the packages it keeps "
            f"retrying{named} in a constraints file (`-c constraints.txt`) or tighten your own requirements; a "
            f"current pip or uv (which does not backtrack like this) also helps.",
            (f"{_pip(f)} install --upgrade pip", f"{_pip(f)} install -c constraints.txt {q(f.pack)}"))


def _msvc(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return (f"Install the Microsoft C++ Build Tools (workload 'Desktop development with C++'; the Visual C++ "
            f"Redistributable is not enough), open a new terminal and retry; or avoid building "
            f"{f.blocker or 'it'}: {_wheel_elsewhere(f)}.",
            ('winget install --id Microsoft.VisualStudio.2022.BuildTools --override '
             '"--quiet --wait --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"',
             _new_venv(f, f.python or f.target_python), _install(f, "--only-binary=:all:", f.pack)))


def _wheel_elsewhere(f: Facts) -> str:
    """Where a wheel of the blocker exists: the newest Python it was built for, or the first release built for
    this Python (numpy 2.0.2 on 3.13: Python 3.12, or numpy>=2.1)."""
    name = _name(f)
    newest = reqs.newest_python(f.blocker if reqs.split_requirement(f.blocker or "")[1] else None)
    first = reqs.first_release_for(name, f.python)
    ways = ([f"Python {newest}, the newest it has wheels for"] if newest and newest != f.python else []) + (
        [f"{name}>={first}, the first release with wheels for Python {f.python}"] if first else [])
    return " or ".join(ways) if ways else "use a Python that has a wheel for it"


def _numpy_too_old(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """An old NumPy on a newer Python: no wheel, and its sdist no longer builds there."""
    newest = reqs.newest_python(f.blocker)
    if not newest or not f.python or reqs.version_key(f.python) <= reqs.version_key(newest):
        return None
    return (f"{f.blocker} has no wheel for Python {f.python} and its source no longer builds there (distutils): use "
            f"{_wheel_elsewhere(f)}.", (_new_venv(f, newest), _install(f, "--only-binary=:all:", f.blocker or "numpy")))


def _source_build(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    too_old = _numpy_too_old(f)
    if too_old:
        return too_old
    if re.search(r"\bdoas\b|OpenBSD|FreeBSD|NetBSD|pkg_add", f.log):
        return (f"PyPI has no wheels for the BSDs, so {f.blocker or 'the package'} builds from source and fails: "
                f"install numpy/pandas and the other compiled dependencies from the OS packages (pkg_add / pkg), "
                f"or run on Linux, macOS or Windows, where wheels exist.", ("pkg_add py3-numpy py3-pandas",))
    if re.search(r"Python\.h: No such file or directory", f.log):
        dev = f"python{f.python}-dev" if f.python else "python3-dev"
        return (f"The Python headers (Python.h) are missing, so no C extension can build: install the Python "
                f"development package for this interpreter (`sudo apt-get install {dev}` on Debian/Ubuntu - "
                f"python3.X-dev for another 3.X, python-dev for Python 2; python3-devel on Fedora/RHEL), then retry; "
                f"or {_wheels_instead(f)}.", (f"sudo apt-get install -y {dev} build-essential",))
    if _name(f) == "llvmlite":
        why = "llvmlite only builds against one LLVM version (llvm-config)"
    else:
        why = f"building {f.blocker or 'a dependency'} from source failed (see the evidence)"
    if _old_spleeter_dependency(f):
        return (f"Do not build from source: {why}; {_pin_spleeter(f)}. Otherwise {_wheels_instead(f)}.",
                _fresh(f, f.python or f.target_python, f.pack))
    return (f"Do not build from source: {why}; {_wheels_instead(f)}.",
            _fresh(f, f.target_python, "--only-binary=:all:", f.pack))


def _metadata(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    too_old = _numpy_too_old(f)
    if too_old and not f.fell_back_to:
        return too_old
    imported = re.search(r"No module named '?([A-Za-z_]\w*)", f.log)
    if imported and imported.group(1) not in ("setuptools", "distutils", "pip", "numpy") and not f.fell_back_to:
        dist = _distribution(imported.group(1))
        return (f"The setup.py of {f.blocker or 'the package'} imports {imported.group(1)} before pip has installed "
                f"anything: install {dist} first (`{_bare_pip(f)} install {dist}`), then install "
                f"{_name(f)} again.", (f"{_bare_pip(f)} install {dist}", f"{_bare_pip(f)} install {_name(f)}"))
    if f.fell_back_to:
        return (f"pip fell back to {f.fell_back_to}, whose requirement {f.blocker or 'numpy<1.19'} only exists as "
                f"a source archive that no longer builds: use Python {f.target_python} and pin {f.pack}.",
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
    return ("Enable Windows long paths (set LongPathsEnabled=1 in an admin PowerShell, then open a new terminal) "
            "or create the venv in a short path such as C:\\sp.",
            ('New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" '
             "-Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force",
             f"py -{f.python or f.target_python} -m venv C:\\sp", f"C:\\sp\\Scripts\\python -m pip install {q(f.pack)}"))


def _pip_outdated(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return (f"Upgrade pip in the venv first ({f.blocker or 'this pip'} predates the wheels {f.pack} needs): "
            f"the bootstrap strategy, `python -m pip install --upgrade pip setuptools wheel`.",
            (_new_venv(f, f.python or f.target_python), f"{_pip(f)} install --upgrade pip setuptools wheel",
             f"{_pip(f)} install {q(f.pack)}"))


def _network(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "uv-http-timeout":
        current = int(f.seconds or 30)
        wanted = max(300, current * 4)
        return (f"uv gave up after its HTTP timeout ({current} s) while downloading {f.blocker or 'a file'}: raise "
                f"UV_HTTP_TIMEOUT (`{_set_env(f, 'UV_HTTP_TIMEOUT', str(wanted))}`) and rerun; on a slow link a "
                f"closer mirror (--index-url) helps too.",
                (_set_env(f, "UV_HTTP_TIMEOUT", str(wanted)), _install(f, f.pack)))
    if f.rule == "proxy-refused":
        code = f.groups.get("code")
        auth = (" wants authentication (407): give it the credentials (`--proxy http://USER:PASSWORD@PROXY:PORT` "
                "or HTTPS_PROXY, with @ and : inside them percent-encoded as %40 and %3A); a Windows (NTLM) proxy "
                "often needs a local relay such as cntlm or px" if code == "407" else
                f" refused the tunnel{f' ({code})' if code else ''}: check the proxy address and its rules for "
                "pypi.org / files.pythonhosted.org")
        return (f"The proxy{auth}, then rerun.",
                (_set_env(f, "HTTPS_PROXY", "http://USER:PASSWORD@PROXY:PORT"), _install(f, f.pack)))
    url = f.url or "https://pypi.org/simple/"
    host = re.sub(r"^\w+://([^/]+).*$", r"\1", url)
    return (f"Check that {host} is reachable from this machine (DNS, proxy, firewall, TLS interception) and "
            f"rerun; behind a proxy set HTTPS_PROXY, with a mirror pass --index-url.",
            (f"{_curl(f)} -sSI {url}",) + _fresh(f, f.python or f.target_python, "--index-url",
                                                  "https://pypi.org/simple", f.pack))


def _ssl(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    host = f.blocker or "the server"
    if f.platform == "macos":
        store = "run the python.org installer's 'Install Certificates.command' (or `pip install --upgrade certifi`)"
    else:
        store = "update the CA certificates (`pip install --upgrade certifi`)"
    tool = ("uv: `--native-tls` uses the system store" if f.installer == "uv" else
            "pip: `--cert PATH` or PIP_CERT")
    bundle = "C:\\certs\\company-ca.pem" if _windows(f) else "/path/to/company-ca.pem"
    return (f"The TLS certificate of {host} was not trusted: behind a proxy or antivirus that intercepts TLS, "
            f"point Python at that CA bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE; {tool}); otherwise {store}. "
            f"Do not turn verification off." + (" (--trusted-host only skips the check for the hosts it names: "
                                                  "pypi.org and files.pythonhosted.org today, not pypi.python.org.)"
                                                  if "--trusted-host" in f.log else ""),
            (_set_env(f, "SSL_CERT_FILE", bundle), _set_env(f, "REQUESTS_CA_BUNDLE", bundle),
             f"{_curl(f)} -sSI https://{host if f.blocker else 'pypi.org'}/"))


def _ffmpeg(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    install = {"windows": "winget install --id Gyan.FFmpeg", "macos": "brew install ffmpeg"}.get(
        f.platform, "sudo apt-get install -y ffmpeg")
    return (f"Install ffmpeg (it brings ffprobe) and put it on PATH: `{install}`, then open a new terminal "
            f"and rerun.", (install, "ffmpeg -version", "ffprobe -version"))


def _wrong_ffmpeg(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    shadow = re.search(r'File "((?:(?!site-packages)[^"\n])*[\\/]ffmpeg\.py)"', f.log)
    also = (f" Also rename {shadow.group(1)}: a script named ffmpeg.py hides the package." if shadow else "")
    return (f"The `ffmpeg` module that Python found is not ffmpeg-python ({f.blocker or 'ffmpeg'} or python-ffmpeg "
            f"from PyPI has no `{f.groups.get('attr') or 'input'}`): uninstall those and install ffmpeg-python."
            + also,
            (f"{_bare_pip(f)} uninstall -y ffmpeg python-ffmpeg ffmpeg-python", f"{_bare_pip(f)} install ffmpeg-python"))


def _numpy_abi(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    built, have = f.groups.get("built"), f.groups.get("have")
    if built and have and int(built, 16) > int(have, 16):
        return (f"A module was built against a newer NumPy than the installed {f.blocker or 'numpy'}: upgrade numpy "
                f"(`{_bare_pip(f)} install --upgrade numpy`), keeping it within what the other packages allow.",
                (f"{_bare_pip(f)} install --upgrade numpy",))
    removed = re.search(r"`(np\.\w+)` was removed in the NumPy 2\.0 release", f.log)
    if removed:
        return (f"This code uses {removed.group(1)}, which NumPy 2.0 removed: pin \"numpy<2\" (`{_bare_pip(f)} install "
                f"\"numpy<2\"`), or upgrade the package to a release made for NumPy 2.", (f'{_bare_pip(f)} install "numpy<2"',))
    return (f"A module here was built against NumPy 1.x and cannot load with {f.blocker or 'NumPy 2'}: pin "
            f"\"numpy<2\" (`{_bare_pip(f)} install \"numpy<2\"`), or upgrade the module to a release built for NumPy 2.",
            (f'{_bare_pip(f)} install "numpy<2"', f'{_bare_pip(f)} check'))


def _avx(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if _windows(f):
        check = ('Get-CimInstance Win32_Processor | Select-Object Name' if f.shell == "powershell"
                 else "wmic cpu get name")
    else:
        check = "grep -o -w -m1 avx /proc/cpuinfo" if f.platform == "linux" else "sysctl -a | grep -i avx"
    # "initialization routine failed" has a second usual cause on Windows: the MSVC runtime TensorFlow links
    redist = (" If it has AVX, install the Microsoft Visual C++ 2015-2022 Redistributable (x64) - TensorFlow's DLLs "
              "need it." if _windows(f) and not f.groups.get("isa") else "")
    return ("This CPU does not support the AVX instructions that TensorFlow's wheels (1.6 and later) are built "
            "with: run on a CPU with AVX, or use a TensorFlow built without AVX (a community or conda build); "
            "check the CPU first." + redist, (check,) + (("winget install --id Microsoft.VCRedist.2015+.x64",)
                                                        if redist else ()))


# System libraries Python packages load at run time, and the Debian/Ubuntu package that brings each.
SYSTEM_LIBRARIES = (("libespeak-ng", "espeak-ng libespeak-ng1"), ("libespeak", "espeak libespeak1"),
                    ("libsndfile", "libsndfile1"), ("libGL", "libgl1"), ("libportaudio", "libportaudio2"),
                    ("libgomp", "libgomp1"))


def _dll(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    module = _name(f) if f.blocker else "tensorflow"
    check = f'python -c "import {module}"'
    if re.search(r"mach-o, but wrong architecture|wrong ELF class", f.log):
        return ("The native library was built for another CPU architecture than this Python (an x86_64 Python under "
                "Rosetta with arm64 wheels, or the reverse): use a Python of the machine's own architecture (arm64 "
                "on Apple silicon), recreate the venv with it and reinstall.",
                ("python3 -c \"import platform; print(platform.machine())\"", "uname -m"))
    if f.rule == "llvmlite-library":
        conda = " (in a conda env: `conda install -c numba numba llvmlite`)" if f.installer == "conda" or re.search(
            r"anaconda|miniconda|conda", f.log, re.IGNORECASE) else ""
        return (f"llvmlite's native library did not load: reinstall numba and llvmlite together, from the same source "
                f"(`{_bare_pip(f)} install --force-reinstall --no-cache-dir numba llvmlite`){conda}"
                + ("; on Windows also install the Microsoft Visual C++ Redistributable (x64)" if _windows(f) else "")
                + ".", (f"{_bare_pip(f)} install --force-reinstall --no-cache-dir numba llvmlite",))
    lib = f.groups.get("lib") or ""
    package = next((pkg for prefix, pkg in SYSTEM_LIBRARIES if lib.startswith(prefix)), None)
    if package:
        install = "sudo apt-get install -y " + package
        return (f"The system library {lib} is not installed: install it with the OS package manager (`{install}` "
                f"on Debian/Ubuntu; espeak/espeak-ng, libsndfile etc. on other distributions), then re-run.",
                (install,))
    if re.search(r"DNN library is not found|Could not load library cudnn|CuDNN library: [\d.]+ but source", f.log):
        return ("TensorFlow's GPU build found no cuDNN that matches it: install the cuDNN (and CUDA) version this "
                "TensorFlow was built with and put its libraries on the library path (LD_LIBRARY_PATH / PATH), or "
                "run on the CPU (`CUDA_VISIBLE_DEVICES=-1`, or the CPU-only TensorFlow).",
                ("nvidia-smi", 'python -c "import tensorflow as tf; print(tf.sysconfig.get_build_info())"'))
    cuda = re.search(r"(libcu\w+\.so(?:\.[\d.]+)?): cannot open shared object file", f.log)
    if cuda:
        return (f"The GPU build needs the CUDA runtime {cuda.group(1)}: install the matching CUDA toolkit/cuDNN and "
                f"add its lib64 to LD_LIBRARY_PATH, or install the CPU build instead.",
                ("ldconfig -p | grep libcudart", "export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH", check))
    if not _windows(f) and f.platform:
        return (f"A shared library {module} needs is missing: install it (or use the CPU build), "
                f"then re-run `{check}`.", (check,))
    return (f"Install the Microsoft Visual C++ 2015-2022 Redistributable (x64), check that the CPU supports "
            f"AVX, then re-run `{check}`.", ("winget install --id Microsoft.VCRedist.2015+.x64", check))


def _model(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    url = f.url or DEFAULT_MODEL_URL
    name = re.sub(r"\.tar\.gz$", "", url.rstrip("/").rsplit("/", 1)[-1]) or "2stems"
    target = f"pretrained_models\\{name}" if _windows(f) else f"pretrained_models/{name}"
    here = "$PWD\\pretrained_models" if f.shell == "powershell" else "%CD%\\pretrained_models"
    model_path = _set_env(f, "MODEL_PATH", here if _windows(f) else "$PWD/pretrained_models")
    mkdir = f"mkdir {target}" if _windows(f) else f"mkdir -p {target}"
    return (f"Download the model archive by hand ({url}) and unpack it under MODEL_PATH; spleeter then skips "
            f"the download.", (f"{_curl(f)} -L -o {name}.tar.gz {url}", mkdir, f"tar -xzf {name}.tar.gz -C {target}",
                               model_path))


def _interpreter(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    wanted = re.sub(r"^Python ", "", f.blocker or "") or f.python or f.target_python
    if f.rule == "python-not-on-path":
        pip = "py -m pip" if _windows(f) else "python3 -m pip"
        return (f"{f.blocker or 'pip'} is not on PATH: run pip through the interpreter (`{pip} install {f.pack}`), "
                f"or reinstall Python with 'Add python.exe to PATH' ticked and open a new terminal.",
                ("py --list" if _windows(f) else "command -v python3", f"{pip} install {q(f.pack)}"))
    if f.rule == "uv-no-venv":
        py = f.groups.get("py")
        venv = f"uv venv -p {py}" if py else "uv venv"
        activate = ".venv\\Scripts\\activate" if _windows(f) else "source .venv/bin/activate"
        return (f"uv pip installs only into a virtual environment: create one first (`{venv}`, then `{activate}`), "
                f"or name the interpreter with --python PATH, or pass --system in a CI job or container.",
                (venv, activate, _install(f, f.pack)))
    if f.rule == "pyenv-version-missing":
        update = [] if any(r.startswith("pyenv update") for r in f.ran) else ["pyenv update"]
        steps = " then " if update else ""
        return (f"pyenv does not know Python {wanted}: {'run `pyenv update`,' if update else ''}{steps}pick a version "
                f"that `pyenv install --list` shows and `pyenv install` it (or set the local version to one that "
                f"`pyenv versions` lists).",
                tuple(update) + ("pyenv install --list", f"pyenv install {wanted}"))
    return (f"Install Python {wanted} (`uv python install {wanted}`, or the python.org installer / "
            f"`py -{wanted}` on Windows), or let the interpreter fallback use 3.11, 3.10, 3.9, 3.8.",
            (f"uv python install {wanted}", f"uv venv -p {wanted} {VENV}"))


def _wrong_interpreter(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    tool = f.blocker or "pip"
    python = f.python or f.target_python
    venv = f"py -{python} -m venv {VENV}" if _windows(f) else f"python{python} -m venv {VENV}"
    if tool == "pip":
        return (f"The `pip` you ran belongs to another Python: run pip through the interpreter you mean "
                f"(`{_bare_pip(f)} install ...`; if it has no pip, `python -m ensurepip --upgrade`), best in a venv "
                f"(`{venv}`).", (venv, f"{_pip(f)} install {q(f.pack)}"))
    if f.installer == "conda" and f.rule == "script-not-on-path":
        return (f"The `{tool}` command is not on PATH here: conda installed it into another environment - "
                f"`conda activate` that environment first (`conda env list` shows them), or run `python -m {tool}` "
                f"with that environment's Python.", ("conda env list", f"python -m {tool} --help"))
    return (f"The `{tool}` command that ran is not the one of the Python {tool} was installed into: use a venv "
            f"(`{venv}`) and run `python -m {tool}` from it instead of `{tool}`.",
            (venv, f"{_pip(f)} install {q(f.pack)}", f"{_pip(f).rsplit(' -m ', 1)[0]} -m {tool} --help"))


def _conda_env(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "conda-package-not-found":
        if re.search(r"^\s+-\s+[\w.-]+==?[\w.]+=\w+", f.log, re.MULTILINE):
            return ("The environment file pins exact conda builds (name==version=build) of another machine or "
                    "platform: re-export it with `conda env export --no-builds` (or --from-history), or delete the "
                    "build string after the last '=' on each line, then run `conda env create -f` again.",
                    ("conda env export --no-builds > environment.yml", "conda env create -f environment.yml"))
        return ("These channels have no such package for this platform: add the channel that has it (`-c "
                "conda-forge`), or move it under the file's `pip:` section.", ("conda search -c conda-forge PACKAGE",))
    base = "the base environment" if re.search(r"^\(base\)|anaconda", f.log, re.MULTILINE) else "this environment"
    return (f"conda is solving against everything already in {base} (the anaconda distribution pins hundreds of "
            f"packages): create a fresh env instead - `conda create -n spleeter python=3.10` - and install "
            f"{f.pack} there with pip.",
            ("conda create -y -n spleeter python=3.10", f"conda run -n spleeter python -m pip install {q(f.pack)}"))


def _permission(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    python = f.python or "3"
    if f.rule == "user-site-in-venv":
        return ("Inside a venv pip installs into the venv itself: run the same command without --user (drop --user; "
                "if you did not pass it, look for `user = true` in pip.conf / pip.ini or PIP_USER in the environment).",
                (f"{_bare_pip(f)} config list", f"{_bare_pip(f)} install {q(f.pack)}"))
    if f.rule == "externally-managed":
        system = "brew" if f.platform == "macos" or "Homebrew" in f.log else "apt"
        venv = f"python{python} -m venv ~/{VENV}"
        return (f"This Python belongs to the OS ({system}; PEP 668), so pip may not install into it: create a venv "
                f"(`{venv}`; on Debian/Ubuntu `sudo apt install python3-venv` first) and install with its pip, or use "
                f"pipx for a command-line tool. Avoid --break-system-packages.",
                (venv, f"~/{VENV}/bin/python -m pip install {q(f.pack)}"))
    venv = f"py -{f.python} -m venv {VENV}" if _windows(f) and f.python else (
        f"py -m venv {VENV}" if _windows(f) else f"python{python} -m venv {VENV}")
    admin = " (a Python installed for all users needs --user or an administrator prompt)" if _windows(f) else ""
    return (f"pip may not write into this Python's site-packages{admin}: install into a venv you own "
            f"(`{venv}`), or add --user; do not use sudo pip.",
            (venv, f"{_pip(f)} install {q(f.pack)}"))


def _timeout(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    step = f"The {f.step} step" if f.step else "The step"
    after = f" after {f.seconds:.0f} s" if f.seconds is not None else ""
    return (f"{step} was stopped{after}: rerun it with a longer timeout (matrix.yaml timeouts) or a "
            f"warm cache; if it hangs, run its command by hand to see where.",
            (_install(f, "-v", f.pack),) if f.installer == "uv" else (f"{_pip(f)} install -v {q(f.pack)}",))


def _distribution(module: str) -> str:
    """The PyPI name to install for an import name (win32com -> pywin32; otherwise the name itself)."""
    return reqs.DISTRIBUTION_OF.get(module, module.replace("_", "-"))


def _other(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "module-not-installed" and re.search(r"site-packages[\\/]pyttsx[\\/]", f.log):
        return ("This is the old pyttsx, a Python 2 package whose driver import fails on Python 3: uninstall it and "
                f"install its successor pyttsx3 (`{_bare_pip(f)} uninstall -y pyttsx`, `{_bare_pip(f)} install pyttsx3`; "
                "on Windows it also needs pywin32), then `import pyttsx3`.",
                (f"{_bare_pip(f)} uninstall -y pyttsx", f"{_bare_pip(f)} install pyttsx3"))
    if f.rule == "module-not-installed" and f.blocker:
        dist = _distribution(f.blocker)
        deps = (" The package was installed with --no-deps: install its pinned dependencies as well." if "--no-deps"
                in f.log else " If the package that imports it should have brought it, its metadata misses the "
                              "dependency: install it by hand (`pip check` lists what else is missing).")
        which = "where python" if _windows(f) else "which python3"
        return (f"The module `{f.blocker}` is not installed in the Python that ran: install {dist} into that same "
                f"interpreter (`{_bare_pip(f)} install {dist}`), and check that it is the one your tools live in "
                f"(`{which}`, `python -m pip -V`).{deps}",
                (f"{_bare_pip(f)} install {dist}", f"{_bare_pip(f)} check"))
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
    "numpy-abi": _numpy_abi,
    "resolver-backtracking": _backtracking,
    "ssl-certificate": _ssl,
    "cpu-without-avx": _avx,
    "wrong-ffmpeg-package": _wrong_ffmpeg,
    "wrong-interpreter": _wrong_interpreter,
    "conda-env-conflict": _conda_env,
    "python-32-bit": _python_32_bit,
    "permission-denied": _permission,
    "other": _other,
}


def advise(facts: Facts) -> Tuple[str, Tuple[str, ...]]:
    """(next action, manual fallback commands) for a diagnosis."""
    action, manual = ADVICE.get(facts.category, _other)(facts)
    return with_platform_notes(facts, action), manual


def with_platform_notes(facts: Facts, action: str) -> str:
    """Any advice that ends in installing the pack, on Windows, says how (the gcs-filesystem override)."""
    if facts.pack in action and GCS_OVERRIDE not in action:
        return action + _windows_note(facts)
    return action
