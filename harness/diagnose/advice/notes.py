"""Sentences the log's own machine adds to any advice: a 32-bit Python, a very new Python, Windows paths near
MAX_PATH, a conda environment mixed with pip.

A rule names the failure it sees; the machine the log shows can make that
failure's usual remedy miss. A build or a missing wheel on a 32-bit Python
is mostly the bitness (binary packages rarely publish win32 wheels), a build
on a Python released months ago mostly its newness (wheels follow later), a
Windows build under a deep folder the 260-character limit, and a DLL that
does not load inside a conda environment mostly pip's and conda's copies of
the same native libraries disagreeing. Each note is added only when the log
shows that machine and the advice does not already say it.
"""
from __future__ import annotations

import re

from harness.diagnose import reqs
from harness.diagnose.advice.base import CONDA_ENV, OLD_PIP, Facts, bare_pip, blocker_name, on_windows
from harness.diagnose.advice.runtime import importing

# failures whose usual way out is a wheel, which a 32-bit interpreter rarely gets
NEEDS_A_WHEEL = ("no-wheel-for-platform", "source-build-failed", "metadata-generation-failed",
                 "msvc-build-tools-missing", "build-backend-missing", "dll-load-failed")
# a build from source (or none to be had) where a wheel was missing: a new Python's usual fate (a missing backend
# or a DLL is another story)
SOURCE_BUILDS = ("no-wheel-for-platform", "source-build-failed", "metadata-generation-failed", "msvc-build-tools-missing")
# a DLL that did not load: conda and pip each bring their own copies of the native libraries (a NumPy-ABI
# break is a version question, answered by the pin, and a GPU library a CUDA one, so neither is here)
NATIVE_MIX = ("dll-load-failed",)
# CUDA's own libraries: a GPU setup question, not a pip/conda mix
GPU_LIBRARY = re.compile(r"cudnn|cudart|cublas|cufft|nvcuda|libcuda|DNN library|cuInit", re.IGNORECASE)
# wheels their makers ship for pip only, in conda envs too: conda's builds of them lag the releases by far
PIP_FIRST = ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel", "torch")


def bits_note(f: Facts, action: str) -> str:
    """On a 32-bit Python, the 64-bit one that gets the wheels (unless the advice already says 64-bit)."""
    if f.category not in NEEDS_A_WHEEL or re.search(r"64-bit|x64|amd64", action):
        return ""
    if f.bits is None:
        return win64_only_note(f) if f.category in SOURCE_BUILDS else ""
    if f.bits != 32:
        return ""
    how = f" (`py -{f.python}-64`, from the python.org 64-bit installer)" if on_windows(f) and f.python else (
        " (the python.org 64-bit installer)" if on_windows(f) else "")
    return (f" This Python is 32-bit, and most binary packages publish 64-bit wheels only: a 64-bit Python{how} "
            "installs them without a build.")


def win64_only_note(f: Facts) -> str:
    """A Windows build of a release that has 64-bit Windows wheels only, for this Python too, from a log that does
    not show the bitness: the interpreter is most probably 32-bit, and a 64-bit one takes the wheel."""
    end = reqs.win64_only(f.blocker) if on_windows(f) else None
    newest = reqs.newest_python(f.blocker)
    if not end or (f.python and newest and reqs.version_key(newest) < reqs.version_key(f.python)):
        return ""  # (that release has no wheel for this Python at all: a Python-version matter, not the bitness)
    name = blocker_name(f)
    return (f" {name} {end} and later publish 64-bit Windows wheels only, so a 32-bit Python gets the source archive "
            f"(`python -c \"import struct; print(struct.calcsize('P') * 8)\"` prints 32 there): a 64-bit Python "
            f"(python.org's 'Windows installer (64-bit)') installs the wheel, or stay on {name}<{end}, the last "
            "releases with 32-bit wheels.")


# the first Python minor that is, for a while after its release, newer than many packages' wheels
NEWEST_PYTHONS = "3.13"


def new_python_note(f: Facts, action: str) -> str:
    """A build on a Python newer than most wheels: the previous minor, where pip finds them (unless the advice
    already names a Python to use)."""
    if (f.category not in SOURCE_BUILDS or not f.python
            or reqs.version_key(f.python) < reqs.version_key(NEWEST_PYTHONS)
            or re.search(r"older Python|Python 3\.\d+\b(?<!Python " + re.escape(f.python) + ")", action)):
        return ""
    previous = reqs.previous_minor(f.python)
    return (f" Python {f.python} is newer than many packages' wheels: on Python {previous} (or an older Python) pip "
            "finds a prebuilt wheel instead of building.")


# a Windows path as a build log prints it (doubled backslashes too)
WINDOWS_PATH = re.compile(r"[A-Za-z]:\\{1,2}(?:[^\\\s'\"<>|]+\\{1,2})+[^\\\s'\"<>|]*")
DEEP_PATH = 200  # MAX_PATH is 260: a build adds its own folders and file names under a path this long


def long_path_note(f: Facts, action: str) -> str:
    """A Windows build whose paths in the log come near MAX_PATH: the short cache folder or long paths."""
    if not on_windows(f) or f.category not in SOURCE_BUILDS or "LongPathsEnabled" in action:
        return ""
    deepest = max((len(p.replace("\\\\", "\\")) for p in WINDOWS_PATH.findall(f.log)), default=0)
    if deepest < DEEP_PATH:
        return ""
    cache = ("uv's cache to a short folder (UV_CACHE_DIR=C:\\uvc)" if f.installer == "uv" or "\\uv\\cache" in f.log
             else "the build to a short folder (TMP/TEMP=C:\\t, or the project under C:\\src)")
    return (f" Its paths reach {deepest} characters, near Windows' 260 limit: with long paths off, move {cache} or "
            "enable long paths (LongPathsEnabled=1).")


def conda_note(f: Facts, action: str) -> str:
    """In a conda environment, the native packages from conda alone (unless the advice already says conda)."""
    if (f.category not in NATIVE_MIX or "conda" in action or GPU_LIBRARY.search(f.log)
            or not CONDA_ENV.search(f.log)):
        return ""
    module = blocker_name(f) if f.blocker else importing(f.log)
    if not module or module == "the package" or module.lower() in PIP_FIRST:
        return ""
    return (f" In a conda environment, do not mix pip and conda for native packages: reinstall {module} with conda "
            f"(`conda install {module}`, after `pip uninstall {module}`), or create a fresh env.")


# the user turned wheels off for everything: no pip, old or new, would have taken one
NO_BINARY_AT_ALL = re.compile(r"--no-binary[= ]:all:")


def old_pip_first(f: Facts, action: str) -> str:
    """A build (or a missing wheel) under a pip whose wording is older than 19: upgrading pip comes first, since it
    misses the newer wheels (manylinux2014, macOS 11) that would need no build at all. A prefix, not a note."""
    if (f.category not in NEEDS_A_WHEEL or f.category == "dll-load-failed" or not OLD_PIP.search(f.log)
            or "upgrade pip" in action.lower() or NO_BINARY_AT_ALL.search(f.log)):
        return ""
    return (f"First upgrade pip (`{bare_pip(f)} install --upgrade pip setuptools wheel`): this old pip misses the newer "
            f"wheels that need no build at all. Then, if it still fails: ")
