"""Advice when no wheel fits, pip is too old, or the install may not be written (permissions, MAX_PATH)."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.advice.base import (
    GCS_BLOCKER,
    GCS_OVERRIDE,
    VENV,
    Facts,
    bare_pip,
    blocker_name,
    fresh,
    install_cmd,
    new_venv,
    old_spleeter_dependency,
    on_windows,
    pin_spleeter,
    q,
    set_env,
    this_python,
    tied_to_pack,
    venv_pip,
    windows_242,
)
from harness.diagnose.rules.cues import ARM


def gcs_blocked(f: Facts) -> bool:
    """tensorflow-io-gcs-filesystem after 0.31.0 has no Windows wheels for any Python."""
    if blocker_name(f) != "tensorflow-io-gcs-filesystem":
        return False
    pinned = reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1])
    newer = not pinned or reqs.version_key(pinned) > reqs.version_key("0.31")
    # Linux and macOS always see some release; none at all is Windows, whatever the log shows of the machine
    nothing = re.search(r"tensorflow-io-gcs-filesystem\S* \(from versions: none\)", f.log)
    if f.platform == "macos" or newer_than_wheels(f):
        return False
    return f.blocker == GCS_BLOCKER or (newer and (on_windows(f) or bool(nothing)))


def nothing_listed(f: Facts) -> bool:
    """The index offered no release of the blocker at all: the interpreter is the problem, not the pin."""
    name = blocker_name(f)
    # the requirement line may be console-wrapped once before pip's version list
    return bool(re.search(rf"{reqs.name_pattern(name)}[^\n]*\n?[^\n]*\(from versions: ?(?:none)?\)", f.log,
                          re.IGNORECASE))


def intel_mac_tensorflow(f: Facts) -> bool:
    """On macOS, pip lists TensorFlow up to 2.16 and nothing newer: the wheels of an Intel Mac end there."""
    listed = re.search(r"satisfies the requirement tensorflow(?:[<>=!~][^\s(]*)?\s*\(from versions: [^)]*\b2\.16\.\d+\)", f.log)
    return f.platform == "macos" and bool(listed)


def apple_silicon_tensorflow(f: Facts) -> bool:
    return (f.platform == "macos" and blocker_name(f) in TENSORFLOW_ITSELF and nothing_listed_or_bare(f)
            and not INTEL_MAC.search(f.log))


# the user's own words (or the machine's) for an Intel Mac
INTEL_MAC = re.compile(r"\bx86[-_]64\b(?![\w.-]*\.whl)|\bIntel\b(?! MKL)", re.IGNORECASE)
# macOS 11 and later as a log (or its user) names it; Python built on the 11 SDK reports it as 10.16 to old tools
MACOS_11_OR_LATER = re.compile(r"\bmacOS(?: version)?:? ?(?:1[1-9]|2\d)\b|\bBig Sur\b|\bMonterey\b|\bVentura\b|"
                               r"\bSonoma\b|\bmacosx[-_]1[1-9]\b|\bmacosx[-_]10[-_.]16\b", re.IGNORECASE)


def pip_before_macos_11(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """pip before 20.3 cannot match wheels on macOS 11 and later (the platform tags changed with 11): on such a
    Mac, nothing found is this pip's doing."""
    shown = re.search(r"\bpip (\d+)\.(\d+)(?:\.\d+)? from |You are using pip version (\d+)\.(\d+)", f.log)
    if f.platform != "macos" or not shown or not MACOS_11_OR_LATER.search(f.log):
        return None
    major, minor = (int(n) for n in (shown.group(1) or shown.group(3), shown.group(2) or shown.group(4)))
    if (major, minor) >= (20, 3):
        return None
    return (f"This pip ({major}.{minor}) predates macOS 11: before pip 20.3 it cannot read the platform tags of macOS "
            f"11 and later, so it matches none of the wheels (Python builds report the system as 10.16 or 11). "
            f"Upgrade pip first (`{bare_pip(f)} install --upgrade pip`), then install {f.blocker or 'the package'} "
            f"again.", (f"{bare_pip(f)} install --upgrade pip",))


# TensorFlow's own distributions (not tensorflow-text, -io, -addons: their releases are separate projects)
TENSORFLOW_ITSELF = ("tensorflow", "tensorflow-gpu", "tensorflow-cpu")


def nothing_listed_or_bare(f: Facts) -> bool:
    return nothing_listed(f) or bool(re.search(r"No matching distribution found for tensorflow(?:-gpu|-cpu)?(?:[=<>!~]"
                                                 r"\S*)?\s*$", f.log, re.MULTILINE))


def newer_than_wheels(f: Facts) -> bool:
    """Nothing listed on a Python newer than TensorFlow's ecosystem had wheels for (3.13 and later)."""
    if not f.python:
        return False
    return reqs.version_key(f.python) >= reqs.version_key("3.13") and nothing_listed(f)


def os_floor_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """conda builds that need a newer macOS / glibc than the solver assumes: pixi's system-requirements, or
    conda's override of the detected version (when the machine really has it), or an older release."""
    kind, need = f.groups.get("os", "osx"), re.sub(r"\s", "", f.groups.get("need", ""))
    floor = need.lstrip("<>=")
    field = "macos" if kind == "osx" else "libc"
    what = "macOS" if kind == "osx" else "glibc"
    # (pixi's own wording, when the paste leaves out the command)
    if re.search(r"\bpixi\b|failed to solve the conda requirements of '", f.log, re.IGNORECASE):
        return (f"These conda builds need {what} {need} (__{kind}), and pixi solves for the {what} the workspace's "
                f"system-requirements declare (a default lower than that): if your machines have {what} {floor} or "
                f"newer, declare it - `[system-requirements]` with `{field} = \"{floor}\"` in pixi.toml (or "
                f"[tool.pixi.system-requirements] in pyproject.toml) - then `pixi install`; otherwise pin an older "
                f"release of the package built for your {what}.", ("pixi install",))
    override = f"CONDA_OVERRIDE_{kind.upper()}={floor}"
    return (f"These conda builds need {what} {need} (__{kind}), and conda does not see that here: on an older {what} "
            f"pin an older release built for it; if the machine does have it (a container or a detection problem), "
            f"set {override} for the install.", (set_env(f, f"CONDA_OVERRIDE_{kind.upper()}", floor),))


def no_wheel_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "build-refuses-windows":
        return not_on_windows_advice(f)
    if f.rule == "os-virtual-package-floor":
        return os_floor_advice(f)
    if f.rule == "conda-not-built-for-subdir":
        return conda_subdir_advice(f)
    if f.rule == "uv-no-distribution-for-platform" and not tied_to_pack(f.blocker):
        return uv_platform_advice(f)
    if blocker_name(f) == "torch":
        return torch_advice(f)
    if blocker_name(f) in ("torchvision", "torchaudio") and (on_windows(f) or "+cu" in (f.blocker or "")):
        return companion_index_advice(f)
    if newer_than_wheels(f):
        return (f"No release of {blocker_name(f)} has wheels for Python {f.python} (nothing is listed at all): use Python "
                f"{f.target_python} in a new venv (`{new_venv(f, f.target_python)}`).", fresh(f, f.target_python))
    if re.search(r"\balpine\b|\bmusl|\bapk add\b", f.log, re.IGNORECASE):
        return (f"Alpine Linux uses musl, and {f.blocker or 'the package'} publishes manylinux (glibc) wheels only: use "
                f"a glibc base image (python:3.11-slim, Debian/Ubuntu) instead of Alpine.",
                ("docker pull python:3.11-slim",))
    if blocker_name(f).startswith("tensorflow-io") and not gcs_blocked(f):
        return tensorflow_io(f)
    if gcs_blocked(f):
        return (f"Use the no-deps-pinned strategy: {f.blocker} has no Windows wheels for any Python, so install "
                f"{f.pack} with --no-deps and then its pinned dependencies with {GCS_OVERRIDE}.",
                windows_242(f, f.target_python))
    name = blocker_name(f)
    if f.rule in ("uv-only-binary", "pip-only-binary"):
        allow = (install_cmd(f, f.pack) if f.installer == "uv" else
                 f"{venv_pip(f)} install --only-binary=:all: --no-binary={name} {q(f.pack)}")
        return (f"Only wheels were allowed and {f.blocker} has none for {this_python(f)}: let {name} build from "
                f"source (pip: `--only-binary=:all: --no-binary={name}`; uv: leave out `--only-binary :all:`), "
                f"or use a newer Python whose {name} releases ship wheels.",
                (new_venv(f, f.python or f.target_python), allow))
    if intel_mac_tensorflow(f):
        return ("TensorFlow's last wheels for Intel Macs (macOS x86_64) are 2.16.2 - pip lists nothing newer for this "
                "machine, and later releases have macOS wheels for Apple silicon only: pin `tensorflow==2.16.2` (with "
                "Python 3.9-3.12), or run a newer TensorFlow on Linux (a container, a cloud VM) or on an Apple silicon Mac.",
                (f"{venv_pip(f)} install \"tensorflow==2.16.2\"",))
    too_old = pip_before_macos_11(f)
    if too_old:
        return too_old
    if apple_silicon_tensorflow(f):
        return ("On a Mac with Apple silicon, TensorFlow before 2.13 comes as tensorflow-macos (plus tensorflow-metal "
                "for the GPU); from 2.13 on `pip install tensorflow` has arm64 wheels for Python 3.9 and later. Use "
                "an arm64 Python (not one under Rosetta).",
                (f"{bare_pip(f)} install tensorflow-macos tensorflow-metal",))
    if re.search(r"-win_x86_64\.whl", f.log):
        return ("The URL names a win_x86_64 wheel, a tag Windows never has: x64 Windows wheels are tagged "
                "win_amd64; take the win_amd64 file (or let pip pick from the index).", fresh(f, f.target_python))
    if f.rule == "poetry-no-candidates" and "==" in (f.blocker or ""):
        return poetry_locked_release_advice(f)
    if not tied_to_pack(f.blocker) and not old_spleeter_dependency(f):
        return foreign_no_wheel(f)
    if nothing_listed(f) and f.bits != 64:
        pin = f" and pin {f.pack}" if old_spleeter_dependency(f) else ""
        return (f"The index offers no release of {name} at all for this interpreter: it is a 32-bit Python "
                f"({name} has no 32-bit wheels) or a Python version {name} has no wheels for; install 64-bit "
                f"Python {f.target_python}{pin} and create the venv with it.{x86_64_rejected(f)}",
                fresh(f, f.target_python))
    if old_spleeter_dependency(f):
        return (f"No wheel of {f.blocker} fits {this_python(f)}: {pin_spleeter(f)}; {f.pack} has wheels for "
                f"Python 3.8-3.11.", fresh(f, f.target_python))
    bits = "64-bit " if f.bits != 64 else ""
    return (f"No wheel of {f.blocker or 'a dependency'} fits this Python/platform: use {bits}Python "
            f"{f.target_python}, or allow a source build (the source-build strategy, --allow-source-builds).",
            fresh(f, f.target_python))


UV_PLATFORM_HINT = re.compile(r"You're on [\w ]+ \(`(?P<tag>[^`]+)`\), but `[^`]+` \(v[^)]+\) only has wheels for the "
                              r"following platforms?: (?P<have>[^\n]+)")


def uv_platform_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """uv resolves once for every platform, so its pick can be a release without a wheel for this one."""
    name, _, version = (f.blocker or "the package").partition("==")
    registry = re.search(r"Distribution `[^`@]+ @ registry\+(?P<index>https?://[^`\s]+)`", f.log)
    if registry and not re.match(r"https?://(?:pypi\.org|files\.pythonhosted\.org)/", registry.group("index")):
        # an extra index (PyTorch's) carries its own, partial copies of common packages, and uv takes a package
        # from the first index that has it: PyPI's files for it are never considered
        index = registry.group("index")
        return (f"uv took {f.blocker or name} from {index}, not from PyPI: that index carries its own copies of some "
                f"common packages, with fewer files, and uv takes each package from the first index that has it. Pin "
                f"the index to the packages that need it - `explicit = true` on its [[tool.uv.index]] entry and "
                f"`[tool.uv.sources] torch = {{ index = \"...\" }}` (the PyTorch guide in uv's docs) - or let uv "
                f"compare indexes (`--index-strategy unsafe-best-match`).",
                ("uv lock --index-strategy unsafe-best-match",))
    hint = UV_PLATFORM_HINT.search(f.log)
    tag = f" ({hint.group('tag')})" if hint else ""
    have = f"; its wheels are for {hint.group('have').strip()}" if hint else ""
    mac = re.match(r"macosx_(\d+)_(\d+)", hint.group("tag")) if hint else None
    newer_mac = [int(m) for m in re.findall(r"macosx_(\d+)_\d+", hint.group("have"))] if hint else []
    old_mac = (f" This macOS ({mac.group(1)}.{mac.group(2)}) is older than the macOS its wheels need "
               f"({min(newer_mac)}.0): a newer macOS takes them too." if mac and newer_mac
               and min(newer_mac) > int(mac.group(1)) else "")
    below = f'"{name}<{version}"' if version else f'"{name}<X"'
    other = f.target_python if f.target_python != f.python else (reqs.previous_minor(f.python) or "3.11")
    files = ("" if hint else f" Its files on PyPI (https://pypi.org/project/{name}/#files) name the Pythons (cp3XX) and "
                             f"platforms it has wheels for: a Python among them also works (Python {other}: `uv venv -p {other}`).")
    return (f"uv picked {f.blocker or name}, which has neither a wheel nor a source distribution for this "
            f"platform{tag}{have}. Pin a release that has one (`uv add {below}`, or `[tool.uv] "
            f"constraint-dependencies = [{below}]` when another package brings it in), or tell uv which platforms "
            f"the project must run on (`[tool.uv] required-environments = [...]`) so it picks a release with wheels "
            f"for them.{old_mac}{files}", (f"uv add {below}",))


# conda packages whose PyPI project has another name
CONDA_ON_PYPI = {"pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch", "py-opencv": "opencv-python", "pytables": "tables"}


def conda_subdir_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """conda's channels lack an ARM build of the package: PyPI may have one, and a Mac can run an Intel env."""
    pkg, subdir = f.blocker or "the package", f.groups.get("subdir", "this platform")
    pypi = CONDA_ON_PYPI.get(pkg, pkg)
    rosetta = (f"; or create an Intel (osx-64) environment that runs under Rosetta: `CONDA_SUBDIR=osx-64 conda create "
               f"-n NAME python=3.10 {pkg}`, then `conda activate NAME` and `conda config --env --set subdir osx-64`"
               if subdir == "osx-arm64" else "; or run it on an x86_64 machine or container")
    return (f"conda's channels have no {pkg} built for {subdir} (many packages are built for x86_64 only, or not yet "
            f"for ARM): install it from PyPI inside the env (`python -m pip install {pypi}`) if PyPI has a wheel for "
            f"this platform, or build it from source{rosetta}. `conda search -c conda-forge {pkg} --subdir {subdir}` "
            f"shows whether conda-forge has it.", (f"conda search -c conda-forge {pkg} --subdir {subdir}",))


def offered_versions(f: Facts, pre: bool = False) -> Tuple[str, ...]:
    """The releases pip listed for the blocker ("from versions: 1.0, 1.1, ..."), pre-releases left out unless asked."""
    name = blocker_name(f)
    found = re.findall(rf"{reqs.name_pattern(name)}[^\n]*\n?[^\n]*\(from versions: ([^)]*)\)", f.log, re.IGNORECASE)
    listed = [v.strip() for v in found[-1].split(",")] if found else []
    final = r"\d+(?:\.\d+)*(?:\.post\d+)?"
    return tuple(v for v in listed if re.fullmatch(final + (r"(?:\.?(?:a|b|rc|dev)\d*)?" if pre else ""), v))


def pin_not_offered(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A pin (``name==X``) that pip's own list of releases for this Python/platform leaves out, while it lists
    others: the pin is the problem, and the listed releases are the way out."""
    name = blocker_name(f)
    _, spec = reqs.split_requirement(f.blocker or "")
    offered = offered_versions(f)
    pinned = re.fullmatch(r"==\s*([\w.]+)", spec or "")
    if not (pinned and offered and pinned.group(1) not in offered):
        return None
    # an application pins its own releases: the older Python it was made for keeps every pin (pip's list is this one's)
    older = (f" (Python {f.target_python}: `{new_venv(f, f.target_python)}`)" if f.python and f.target_python != f.python
             and reqs.version_key(f.target_python) < reqs.version_key(f.python) else "")
    key = reqs.version_key(pinned.group(1))
    # releases listed on both sides of the pin: this pip skips a stretch of releases, most often because their wheels
    # carry a newer platform tag (manylinux2014, manylinux_2_28, macOS 11) than this pip can read
    gap = (" Releases before and after it are listed, so this pip skips a stretch of them - most often their wheels "
           f"carry a newer platform tag than an old pip reads: upgrade pip first (`{bare_pip(f)} install --upgrade "
           "pip`) and retry the same pin." if any(reqs.version_key(v) < key for v in offered)
           and any(reqs.version_key(v) > key for v in offered_versions(f, pre=True)) else "")
    above = sorted((v for v in offered if reqs.version_key(v) > key), key=reqs.version_key)
    nearest = f"the nearest listed release above it, `{name}=={above[0]}`, " if above and above[0] != offered[-1] else ""
    return (f"{name}=={pinned.group(1)} has no file for this Python/platform, but the index offers {name} "
            f"{offered[0]} to {offered[-1]} here: move the pin to {nearest}a listed release (`{name}>={offered[0]}`, "
            f"or the newest, `{name}=={offered[-1]}`), or use a Python that {pinned.group(1)} was released "
            f"for{older}.{gap}",
            ((f"{bare_pip(f)} install --upgrade pip",) if gap else ())
            + (f"{bare_pip(f)} install \"{name}=={above[0]}\"" if nearest else f"{bare_pip(f)} install \"{name}>={offered[0]}\"",))


def foreign_no_wheel(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """No wheel of a package outside the pack: which Pythons and platforms it ships wheels for is its own
    matter (the pack's Python range says nothing about it), so the advice says how to find out and each way out."""
    name = blocker_name(f)
    unlisted = pin_not_offered(f)
    if unlisted:
        return unlisted
    where = ("This machine is Windows, and many ML packages publish no Windows wheels at all: run it under WSL2 "
             "(`wsl --install`, then pip inside Ubuntu gets the Linux wheels) or in Docker" if on_windows(f) else
             "If it has no wheels for your OS at all (common on Windows for ML packages), run it under WSL2 or in "
             "Docker (the Linux wheels)")
    bits = "" if f.bits == 64 else " A 32-bit Python gets none of the usual wheels: use a 64-bit one."
    # the Python to try: the one before the log's own (wheels for a new Python come months after its release), else
    # the log's bound or the newest most of the ecosystem had wheels for - never the user's own
    try_python = (reqs.previous_minor(f.python) if f.python else None) or f.target_python
    older = (f" (e.g. Python {try_python}: `{new_venv(f, try_python)}`)" if try_python != f.python else "")
    return (f"pip sees no release of {name} with a wheel for this Python and platform: its files on PyPI "
            f"(https://pypi.org/project/{name}/#files) name the Pythons (cp3XX) and platforms (win_amd64, manylinux, "
            f"macosx) it ships. Use one of those Pythons in a new venv - most often an older Python, as packages "
            f"publish wheels for a new Python months after its release{older} - or a newer {name} release if one "
            f"supports yours (drop an old pin). {where}; or build it from source.{bits}{x86_64_rejected(f)}"
            f"{apple_silicon_note(f)}",
            (f"{bare_pip(f)} download {name} --no-deps --only-binary=:all: -d .",) + (("wsl --install",) if on_windows(f) else ()))


def tensorflow_io(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """tensorflow-io (and its gcs-filesystem) ship wheels for few platforms: say which way out each one has."""
    name = blocker_name(f)
    if f.platform == "macos":
        return (f"{name} has no wheel for this Mac (Apple silicon/arm64 releases came late): build the wheel from "
                f"source (`python setup.py -q bdist_wheel --project {name.replace('-', '_')}` in a tensorflow/io "
                f"checkout, then `pip install --no-deps dist/*.whl`), or use TensorFlow's Apple route "
                f"(tensorflow-macos) without it.", (f"{bare_pip(f)} install tensorflow-macos",))
    if on_windows(f):
        return (f"{name} publishes no Windows wheels for most releases (no Windows build): run it under WSL or on "
                f"Linux, or pin the last release that had a Windows wheel ({GCS_OVERRIDE} for the gcs "
                f"filesystem).", ("wsl --install",))
    return (f"No wheel of {f.blocker or name} fits this Python/platform: pin the last {name} release that has a "
            f"wheel for it ({GCS_OVERRIDE} is the last with Windows wheels; macOS/arm64 releases came late), e.g. next "
            f"to an older TensorFlow the release made for it, or use Python {f.target_python} on x86_64/aarch64 Linux, "
            f"where {name} has wheels.", fresh(f, f.target_python))


def long_path_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    return ("Enable Windows long paths (set LongPathsEnabled=1 in an admin PowerShell, then open a new terminal; "
            "for git checkouts also `git config --system core.longpaths true`) or create the venv in a short path "
            "such as C:\\sp (the Microsoft Store Python's deep folder adds ~100 characters: the python.org installer "
            "avoids it).",
            ('New-ItemProperty -Path "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" '
             "-Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force",
             f"py -{f.python or f.target_python} -m venv C:\\sp", f"C:\\sp\\Scripts\\python -m pip install {q(f.pack)}"))


def pip_outdated_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "old-pip-wording":
        return old_pip_wording_advice(f)
    built = re.search(r"Downloading [^\n]*?[/ ]([A-Za-z][\w-]*?)-\d[\d.]*\.(?:tar\.gz|zip)\b", f.log)
    if f.rule == "sdist-of-wheel-package" and built:
        return (f"Upgrade pip first (`python -m pip install --upgrade pip`): {built.group(1)} has manylinux wheels on "
                f"PyPI, but {f.blocker or 'this pip'} fell back to building its source archive because it cannot read "
                f"their platform tag (manylinux2014 needs pip 19.3, manylinux_2_28 pip 20.3); with a current pip it "
                f"installs the wheel in seconds.",
                (f"{bare_pip(f)} install --upgrade pip", f"{bare_pip(f)} install {built.group(1)}"))
    denied = re.search(r"\[(?:WinError 5|Errno 13)\]|Access is denied|Permission denied", f.log, re.IGNORECASE)
    if denied:  # the old pip could not even replace itself: where it lives is not the user's to write
        return (f"Upgrade pip first ({f.blocker or 'this pip'} is old), but not where the write was refused "
                f"({denied.group(0)}): in a Python installed for all users upgrade with --user or from a terminal run "
                f"as administrator (`python -m pip install --upgrade pip --user`), or - better - in a venv you own "
                f"(the bootstrap strategy).",
                (new_venv(f, f.python or f.target_python), f"{venv_pip(f)} install --upgrade pip setuptools wheel",
                 f"{venv_pip(f)} install {q(f.pack)}"))
    return (f"Upgrade pip in the venv first ({f.blocker or 'this pip'} predates the wheels {f.pack} needs): "
            f"the bootstrap strategy, `python -m pip install --upgrade pip setuptools wheel`.",
            (new_venv(f, f.python or f.target_python), f"{venv_pip(f)} install --upgrade pip setuptools wheel",
             f"{venv_pip(f)} install {q(f.pack)}"))


def old_pip_wording_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """pip's pre-19.1 words (Python 2's pip is rule python2-pip-wording): an old pip, which cannot see today's wheels."""
    poetry = (" In a poetry project upgrade the pip inside its venv: `poetry run pip install --upgrade pip` (or a "
              "newer poetry, whose venvs get a current pip)." if re.search(r"\bpoetry\b", f.log, re.IGNORECASE) else "")
    return (f"This pip predates 19.1 (its messages say so) and cannot see today's manylinux wheels: upgrade pip first "
            f"(the bootstrap strategy: `python -m pip install --upgrade pip`), then install {f.pack} again.{poetry} If "
            f"a current pip still lists nothing, the interpreter is the cause: the package has wheels for 64-bit "
            f"Pythons of the versions it supports only.",
            (new_venv(f, f.python or f.target_python), f"{venv_pip(f)} install --upgrade pip setuptools wheel"))


# The OS package manager that owns an externally managed Python, from the words of its EXTERNALLY-MANAGED file
SYSTEM_PYTHON = (("pacman", r"pacman|Arch", "sudo pacman -S python-pipx", "python-xyz"),
                 ("brew", r"Homebrew|\bbrew install", "brew install pipx", "brew install xyz"),
                 ("dnf", r"\bdnf\b|Fedora", "sudo dnf install pipx", "python3-xyz"),
                 ("apt", r"", "sudo apt install python3-venv python3-full pipx", "python3-xyz"))


def externally_managed_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """PEP 668: the OS's Python refuses pip; a venv (or pipx for an application) is the way, not the override."""
    manager, _, setup, package = next(entry for entry in SYSTEM_PYTHON if re.search(entry[1], f.log))
    python = f"python{f.python}" if f.python else "python3"
    venv = f"{python} -m venv ~/{VENV}"
    return (f"This Python belongs to the OS ({manager}; PEP 668), so pip may not install into it: create a virtual "
            f"environment (`{venv}`; `{setup}` first if venv or pipx is missing) and install with that venv's pip - in "
            f"a script or Dockerfile too, e.g. `~/{VENV}/bin/python -m pip install ...`; for a command-line "
            f"application use pipx (`pipx install NAME`), or the OS package ({package}). --break-system-packages (or "
            f"PIP_BREAK_SYSTEM_PACKAGES=1) overrides the check at the risk of breaking the OS's own tools: only in a "
            f"throwaway container.",
            (venv, f"~/{VENV}/bin/python -m pip install {q(f.pack)}"))


def file_locked_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A file held by another process: a scanner or a running program - or, inside a test tool's environment, that
    tool's own command running from the environment it is updating."""
    tool_env = re.search(r"[\\/]+\.(tox|nox)[\\/]+[\w.-]+[\\/]+(?:Scripts|bin)[\\/]+[\w.-]+\.exe", f.log)
    own = (f" Here the locked file is a command inside the {tool_env.group(1)} environment itself, which is running "
           f"while the environment is updated: recreate it instead of updating it in place (`{tool_env.group(1)} -r` / "
           f"`--recreate`{'; or delete the .tox folder' if tool_env.group(1) == 'tox' else ''})."
           if tool_env else "")
    return ("Another process holds a file the install is writing (Windows' sharing/lock violation): most often an "
            "antivirus or EDR scanning each freshly written file, else a running program of this environment (the "
            "app, Jupyter, an IDE). Close those programs and retry; if it keeps failing at random files, add an "
            "antivirus exclusion for the environment and the installer's cache folder (uv: `uv cache dir`; pip: "
            f"`pip cache dir`), or pause real-time scanning for the install.{own}",
            ((f"{tool_env.group(1)} -r",) if tool_env else ()) + ("pip cache dir",))


def permission_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    python = f.python or "3"
    if f.rule == "externally-managed":
        return externally_managed_advice(f)
    if f.rule == "file-locked":
        return file_locked_advice(f)
    if f.rule == "user-site-in-venv":
        return ("Inside a venv pip installs into the venv itself: run the same command without --user (drop --user; "
                "if you did not pass it, look for `user = true` in pip.conf / pip.ini or PIP_USER in the environment).",
                (f"{bare_pip(f)} config list", f"{bare_pip(f)} install {q(f.pack)}"))
    if f.rule == "conda-not-writable":
        return conda_permission_advice(f)
    venv = f"py -{f.python} -m venv {VENV}" if on_windows(f) and f.python else (
        f"py -m venv {VENV}" if on_windows(f) else f"python{python} -m venv {VENV}")
    target = permission_target(f.log)
    if not on_windows(f) and not re.search(r"\[WinError|[A-Za-z]:\\\\", f.log):
        return (f"pip may not write into this Python's site-packages ({target or 'a system location'}): install into a "
                f"venv you own (`{venv}`), or add --user; do not use sudo pip (and do not chown system directories).",
                (venv, f"{venv_pip(f)} install {q(f.pack)}"))
    if target and re.search(r"[\\/]uvx?\.exe$", target):
        return ("uv cannot replace its own uv.exe while it runs: this uv was installed into the venv it is changing "
                "(a `pip install uv` there, or uv in the project's requirements). Run a uv installed outside the venv "
                "- the standalone installer, `pipx install uv`, or `py -m pip install --user uv` - or keep uv out of "
                "the venv's requirements.", ("uv --version", "where uv" if f.shell == "cmd" else "Get-Command uv"))
    if target and runtime_refusal(f.log, target):
        return (f"The program itself, not an install, was refused {target}: on Windows opening a folder as if it were "
                "a file gives exactly this error, as does a file another program holds open or a folder you may not "
                "write. Check that the path you passed (an option's value, a config or output path) names a file and "
                "not a directory, that it exists, and that you can write where the output goes.",
                (f'dir "{target}"',))
    if f.rule == "all-users-python-not-writable":
        upgrade = ("; to upgrade pip itself there: `python -m pip install --upgrade pip --user`"
                   if re.search(r"install (?:--upgrade pip|pip (?:-U|--upgrade))|Found existing installation: pip ", f.log) else "")
        folder = re.match(r"(?i)(.*?[\\/](?:site-packages|Scripts))(?:[\\/]|$)", target or "")
        running = (" (or, if this Python is running - the app itself, Jupyter, an IDE - close it: a loaded .pyd/.dll "
                  "cannot be replaced either)" if target and re.search(r"\.(?:pyd|dll)'?$", target) else "")
        return (f"This Python is installed for all users ({folder.group(1) if folder else target or 'Program Files'}), "
                f"and a normal user may not write there: add --user, or run the terminal as administrator{upgrade}"
                f"{running}; better, install into a venv you own (`{venv}`).",
                (venv, f"{venv_pip(f)} install {q(f.pack)}"))
    if target and re.search(r"[\\/](?:pip|pip3)(?:\.\d+)?\.exe'?$", target):
        return ("pip cannot replace its own pip.exe while it runs: upgrade it through the interpreter instead - "
                "`python -m pip install --upgrade pip` (in a venv: `.venv\\Scripts\\python -m pip ...`) - and use "
                "`python -m pip` from then on.", ("python -m pip install --upgrade pip",))
    in_use = bool(target and re.search(r"\.(?:pyd|dll|exe)'?$", target)) or "WinError 32" in f.log
    app = next((name for cue, name in PORTABLE_APPS if re.search(cue, target or f.log, re.IGNORECASE)), None)
    first = (f"a file pip must replace is in use by the running {app}: close {app} (every window and its server "
             f"console) so it is not running, install, then start it again" if in_use and app else
             "a file pip must replace is in use: close every program that runs this Python (the app or web UI, "
             "Jupyter, an IDE, a second terminal) and retry" if in_use else
             "Windows refused the write: if the Python is installed for all users, add --user or run the terminal as "
             "administrator; if a running program holds the files, close it and retry")
    if in_use and app:  # (the app's own Python is the one its extensions must go into: no other venv)
        home = re.match(r"(?i)(.*?)[\\/]+Lib[\\/]+site-packages", (target or "").replace("\\\\", "\\"))
        python = f'"{home.group(1)}\\python.exe"' if home else "python"
        return (f"{first[0].upper()}{first[1:]}; if it still fails, a virus scanner may hold the file: retry "
                f"once it has finished, or from an administrator prompt.", (f"{python} -m pip install {q(f.pack)}",))
    return (f"{first[0].upper()}{first[1:]}; otherwise install into a venv you own (`{venv}`), add --user, or use an "
            f"administrator prompt. Upgrade pip itself with `python -m pip install --upgrade pip`.",
            (venv, f"{venv_pip(f)} install {q(f.pack)}"))


# apps that bring their own Python and load the packages a node or extension installer then replaces
PORTABLE_APPS = ((r"python_embeded|ComfyUI", "ComfyUI"), (r"stable-diffusion-webui", "the Stable Diffusion web UI"),
                 (r"text-generation-webui", "text-generation-webui"), (r"InvokeAI", "InvokeAI"),
                 (r"Fooocus", "Fooocus"))


def conda_permission_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """conda's own write checks: the target environment, its package cache and envs list, the envs directories."""
    windows = on_windows(f) or bool(re.search(r"[A-Za-z]:\\", f.log))
    python = f.python or f.target_python or "3.8"
    create = f"conda create -n myenv python={python}"
    own = ("run the Anaconda Prompt as administrator (an all-users install), or " if windows else
           "or, if you own the install but root changed its files (a `sudo conda`), `sudo chown -R $USER` it; or ")
    location = re.search(r"environment location: ([^\n]+)", f.log)
    path = re.search(r"^\s*path: ([^\n]+)", f.log, re.MULTILINE)
    if "NoWritable" in f.log:
        return ("None of conda's envs/pkgs directories is writable by you: point envs_dirs / pkgs_dirs in ~/.condarc "
                "(or CONDA_ENVS_PATH / CONDA_PKGS_DIRS) at a folder you own"
                + ("" if windows else ", or give yourself back ~/.conda (`sudo chown -R $USER ~/.conda`)") + ".",
                ("conda config --show envs_dirs pkgs_dirs",))
    if path and ";" in path.group(1):
        return (f"conda builds its paths from HOME, and HOME here holds a list of paths ({path.group(1).strip()[:80]}): "
                "set HOME (or unset it, so USERPROFILE is used) to your user folder, then retry; if that is not it, "
                "run the Anaconda Prompt as administrator.", ("echo %HOME%",))
    if path and not windows and re.search(r"\bsudo\b", f.log):
        return (f"conda cannot write {path.group(1).strip()}: run through sudo it still takes the caller's HOME (so "
                "another user's ~/.conda) and chowns what it writes to SUDO_UID/SUDO_GID: run it as the user whose files "
                "they are with a login environment - `sudo -H -u USER conda ...` or `sudo -i` - (unset SUDO_UID and "
                "SUDO_GID if a script left them set), or set pkgs_dirs / envs_dirs in ~/.condarc to folders that user "
                "owns.", ("conda config --show pkgs_dirs envs_dirs", "env | grep -E '^(HOME|SUDO_)'"))
    if path:
        return (f"conda cannot write {path.group(1).strip()} - its package cache or environment list under ~/.conda "
                "belongs to another user (often after running conda with sudo): "
                + ("run the prompt as administrator, or " if windows else "`sudo chown -R $USER ~/.conda`, or ")
                + "set pkgs_dirs / envs_dirs in ~/.condarc to folders you own.",
                ("conda config --show pkgs_dirs envs_dirs",))
    where = location.group(1).strip() if location else "this environment"
    return (f"conda may not install into {where} (it belongs to root or all users): create an environment of your "
            f"own and install there - `{create}` (it goes to ~/.conda/envs) or `conda create --prefix ~/envs/myenv "
            f"python={python}` - {own}ask the machine's admin to install it into that base.",
            (create, "conda activate myenv"))


def permission_target(log: str) -> str:
    """The file the write was refused for, as the log quotes it (doubled backslashes undone): pip's and Python's
    ``Access is denied: 'path'``, or uv's ``failed to remove file `path``` followed by its ``Caused by``."""
    found = (re.search(r"(?:Access is denied|\[WinError \d+\][^:\n]*|Permission denied|[^\x00-\x7f]+。?):\s*'([^'\n]+)'", log)
             or re.search(r"failed to (?:remove|rename|write|create|open|copy) (?:file|directory) `([^`\n]+)`\s*\n"
                          r"\s*Caused by: [^\n]*(?:Access is denied|Permission denied|os error [15]\b)", log))
    return found.group(1).replace("\\\\", "\\").replace("/", "\\") if found else ""


# where an install writes: a refusal there is pip's or uv's, not the program's
INSTALL_PLACES = re.compile(r"site-packages|[\\/](?:Scripts|Lib|include|bin)(?:[\\/]|$)|[\\/]Python\d*[\\/]|"
                            r"[\\/](?:Temp|tmp)[\\/]|pip-|\.dist-info|[\\/]\.?cache[\\/]|[\\/]envs?[\\/]|[\\/]pkgs[\\/]|conda",
                            re.IGNORECASE)
# an installer's own code in the traceback: the refusal is its write, wherever it went
INSTALLER_CODE = re.compile(r"pip[\\/]_internal|[\\/]conda[\\/]|[\\/]setuptools[\\/]|[\\/]uv[\\/]")


def runtime_refusal(log: str, target: str) -> bool:
    """A program's own open() refused, no installer at work: a traceback and no install lines in the log, and
    the path is none of the places an install writes."""
    installing = re.search(r"^\s*(?:Collecting|Installing collected packages|Downloading|Resolved \d+|Prepared \d+)",
                           log, re.MULTILINE)
    return ("Traceback (most recent call last)" in log and not installing and not INSTALL_PLACES.search(target)
            and not INSTALLER_CODE.search(log))


def first_torch_for(f: Facts) -> str:
    """A 64-bit Python newer than the torch pip found: the first torch release with wheels for it."""
    first = reqs.first_release_for("torch", f.python) if f.bits != 32 else None
    return (f" On a 64-bit Python {f.python} the first torch with wheels for it is {first}: require `torch>={first}` "
            f"(or the package release that does), or use an older Python (Python {reqs.previous_minor(f.python or '')}, "
            f"where older torch releases have wheels)." if first else "")


def torch_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """PyTorch's CUDA builds (``+cu118``) and its old Windows wheels live on PyTorch's own index, not on PyPI."""
    if f.rule == "torch-placeholder":
        return ("pip found no torch wheel for this Python and platform and fell back to torch 0.1.2, a placeholder "
                "that only refuses: torch ships 64-bit wheels only, for the Pythons of its time (on Windows from "
                "torch 1.6 on PyPI, older ones at download.pytorch.org) - use a 64-bit Python that torch supports and "
                "the command pytorch.org's selector gives (`pip install torch --index-url "
                "https://download.pytorch.org/whl/cpu`), or conda (`conda install pytorch -c pytorch`)."
                + first_torch_for(f), ("pip install torch --index-url https://download.pytorch.org/whl/cpu",))
    if f.platform == "macos" or re.search(r"\bmacosx_\d+_\d+_x86_64\b[^\n]*but `?torch", f.log):
        return mac_torch_advice(f)
    local = re.search(r"\+(cu\d+|cpu|rocm[\d.]+)", f.blocker or "")
    index = f"https://download.pytorch.org/whl/{local.group(1) if local else 'cpu'}"
    newest = reqs.newest_python(f.blocker if reqs.split_requirement(f.blocker or "")[1] else None)
    python = (f"; this release has wheels up to Python {newest} - on a newer Python use Python {newest} or a newer "
              f"torch (`torch>={reqs.first_release_for('torch', f.python)}` for Python {f.python})"
              if newest and f.python and reqs.version_key(f.python) > reqs.version_key(newest) else
              f"; a release this old may also need an older Python (Python {newest} or older)" if newest else "")
    # torch 0.1.2 is an old sdist placeholder: offered alone, no wheel on PyPI fits this interpreter at all
    placeholder = (" PyPI offers this interpreter only torch 0.1.2, a placeholder without wheels: if this is a 32-bit "
                   "Python (the usual reason on Windows), install 64-bit Python (x86-64) and use it instead."
                   if re.search(r"\(from versions: 0\.1\.2[\w.]*(?:, 0\.1\.2[\w.]*)*\)", f.log) else "")
    if placeholder:
        placeholder += first_torch_for(f)
    return (f"{f.blocker or 'torch'} is not on PyPI for this Python/platform: PyTorch publishes its CUDA builds "
            f"(+cuXXX) and older Windows wheels on its own index - install from download.pytorch.org "
            f"(`pip install \"{f.blocker or 'torch'}\" --extra-index-url {index}`, the command pytorch.org's "
            f"selector prints) or with conda (`conda install pytorch -c pytorch`){python}.{placeholder}",
            (f"{bare_pip(f)} install {q(f.blocker or 'torch')} --extra-index-url {index}",))


def companion_index_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """torchvision/torchaudio's CUDA builds and their older Windows wheels are on PyTorch's index, like torch's."""
    wanted = f.blocker or blocker_name(f)
    return (f"{wanted} is not on PyPI for this platform: PyTorch publishes the CUDA builds (+cuXXX) and the older "
            f"Windows wheels of torchvision and torchaudio on its own index, beside torch's - install them from there, "
            f"together with the torch release they pair with (`pip install {q(wanted)} -f "
            f"https://download.pytorch.org/whl/torch_stable.html`; for current releases `--index-url "
            f"https://download.pytorch.org/whl/cpu` or /cuXXX, the command pytorch.org's selector prints).",
            (f"{bare_pip(f)} install {q(wanted)} -f https://download.pytorch.org/whl/torch_stable.html",))


def mac_torch_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """PyTorch's macOS wheels are arm64 only from 2.3 on: 2.2.2 is the last for Intel Macs, and an x86_64 Python on
    Apple silicon (Rosetta, an old Anaconda) asks for those Intel wheels too."""
    rosetta = re.search(r"Darwin [\d.]+ arm64|\barm64\b(?![\w.-]*\.whl)[^\n]*\n?[^\n]*x86_64|Apple M\d|\bM[1-4] (?:Pro|Max|Ultra)?",
                        f.log)
    arm = ("This is an Apple silicon Mac running an x86_64 Python (Rosetta, or an old Intel Anaconda): use an arm64 "
           "Python - python.org's universal2 installer, Homebrew's, `uv python install`, Miniforge arm64 - and create the "
           "venv with it; PyTorch's macOS wheels are arm64 from 2.3 on. " if rosetta else "")
    intel = ("On an Intel Mac the last PyTorch wheels are 2.2.2: pin `torch==2.2.2` (with torchvision 0.17.2, "
             "torchaudio 2.2.2; Python 3.12 at most), or run a newer torch on Linux or an Apple silicon Mac.")
    return (arm + intel, (f"{bare_pip(f)} install \"torch==2.2.2\"", 'python3 -c "import platform; print(platform.machine())"'))


ARM_CATEGORIES = ("no-wheel-for-platform", "python-32-bit", "python-version-unsupported", "source-build-failed",
                  "metadata-generation-failed")
# where a wheel is missing, on ARM the platform is the cause: its advice replaces "64-bit Python 3.11"
ARM_FIRST = ("no-wheel-for-platform", "python-32-bit")


# an arm64 Mac: Homebrew's Apple-silicon prefix, the machine or wheel tag it reports, the chip the user names
APPLE_SILICON = re.compile(r"/opt/homebrew/|\bmacosx_\d+_\d+_arm64\b(?![\w.-]*\.whl)|\barm64-apple-darwin|"
                           r"\b(?:Apple )?M[1-4](?: (?:Pro|Max|Ultra))? (?:Mac|chip|MacBook)|\bMac(?:Book)?[^\n]{0,20}\bM[1-4]\b")


def apple_silicon_note(f: Facts) -> str:
    """On Apple silicon, a package with only Intel macOS wheels still installs into an x86_64 Python (Rosetta 2)."""
    if f.platform not in ("macos", None) or not APPLE_SILICON.search(f.log):
        return ""
    return (" This Mac is Apple silicon (arm64): when the package ships only Intel (x86_64) macOS wheels, an x86_64 "
            "Python run through Rosetta 2 installs them - `arch -x86_64 /usr/local/bin/python3 -m venv .venv-x86` "
            "with an Intel Homebrew or python.org's universal2 Python (`python3-intel64`) - until it publishes arm64 "
            "or universal2 wheels.")


def x86_64_rejected(f: Facts) -> str:
    """A Linux x86_64 wheel this pip rejected on a machine the log does not name: the machine may be ARM."""
    if ARM.search(f.log) or not re.search(r"(?:manylinux\w*|linux)_x86_64\.whl is not a supported wheel", f.log):
        return ""
    return (" An x86_64 Linux wheel was rejected: if this is an ARM board (aarch64 - a Jetson, a Raspberry Pi), "
            "it needs ARM builds - for a Jetson NVIDIA's wheels for its JetPack, elsewhere the project's aarch64 "
            "wheels or piwheels.")


def arm_note(f: Facts) -> str:
    """An ARM board (a Raspberry Pi, piwheels, a Jetson): PyPI has ARM wheels for few releases, and 32-bit ARM
    (armv7l) for almost none; name what this platform does have."""
    if f.category not in ARM_CATEGORIES or not ARM.search(f.log) or f.rule == "conda-not-built-for-subdir":
        return ""  # (conda's ARM answer is its own: conda_subdir_advice)
    on = UV_PLATFORM_HINT.search(f.log)
    if on and not ARM.search(on.group("tag")):
        return ""  # uv names this platform, and the ARM in its hint is a platform the wheels are for
    offered = re.search(r"\(from versions: ([^)]+)\)", f.log)
    versions = [v.strip() for v in offered.group(1).split(",")] if offered else []
    versions = [v for v in versions if re.fullmatch(r"\d[\w.]*", v)]
    pick = (f" The index does have {versions[-1]} for this board: pin that (`{blocker_name(f)}=={versions[-1]}`)."
            if versions else "")
    vendor = arm_tensorflow(f)
    if on_windows(f):
        return (" This is Windows on ARM (ARM64), for which few packages publish win_arm64 wheels: install the x64 "
                "(amd64) Python instead - Windows runs it under emulation and pip then gets the x64 wheels - or build "
                f"from source.{pick}")
    if f.bits == 64 or re.search(r"aarch64|arm64|Jetson|tegra|L4T|JetPack", f.log, re.IGNORECASE):
        return (f" This is an ARM machine that is already aarch64: PyPI has aarch64 wheels only for some releases - take a "
                f"release the project (or piwheels, or the board's vendor, e.g. NVIDIA for Jetson) builds for ARM, "
                f"or build from source.{vendor}{pick}")
    return (f" This is an ARM machine (Raspberry Pi / piwheels / aarch64): PyPI has ARM wheels only for some releases "
            f"and almost none for 32-bit ARM (armv7l) - use a 64-bit OS (aarch64), where more wheels exist, take a "
            f"release piwheels or the project builds for ARM, or build from source.{vendor}{pick}")


def arm_tensorflow(f: Facts) -> str:
    """TensorFlow on ARM: NVIDIA builds it for Jetson, the community (and tensorflow-cpu-aws) for other aarch64."""
    if not blocker_name(f).startswith("tensorflow") and not re.search(r"\btensorflow\b", f.log):
        return ""
    if re.search(r"Jetson|tegra|L4T|JetPack", f.log, re.IGNORECASE):
        return (" For TensorFlow on a Jetson use NVIDIA's Jetson wheels for your JetPack (`pip install --extra-index-url "
                "https://developer.download.nvidia.com/compute/redist/jp/vXY tensorflow`, XY your JetPack version).")
    return (" For TensorFlow on aarch64: TensorFlow 2.10+ publishes aarch64 wheels (tensorflow-cpu-aws, and "
            "tensorflow itself from 2.13); older releases come from the community's tensorflow-aarch64 builds.")


def arm_advice(f: Facts) -> Optional[str]:
    """The ARM answer itself, when the missing wheel is the platform's."""
    nothing = f.category == "python-version-unsupported" and "(from versions: none)" in f.log
    if f.category not in ARM_FIRST and not nothing:  # nothing offered at all on ARM: the platform, not the Python
        return None
    note = arm_note(f)
    return f"No wheel of {f.blocker or 'the package'} fits this platform.{note}" if note else None


def poetry_locked_release_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """poetry locked one exact release and none of its files fits this platform (a new release whose wheels for it
    are late or missing, a platform it dropped): the release before it, pinned in pyproject.toml, or a re-lock."""
    name, version = (f.blocker or "").split("==", 1)
    newest = reqs.newest_python(f.blocker)
    if f.python and newest and reqs.version_key(f.python) > reqs.version_key(newest):
        # the locked release is older than this Python: a later release (or that release's Python) is the way out
        return (f"poetry locked {name} {version}, whose wheels stop at Python {newest}, and this is Python {f.python}: "
                f"update {name} to a release with wheels for Python {f.python} (loosen its pin in pyproject.toml, "
                f"then `poetry update {name}`), or make the environment with Python {newest} (`poetry env use "
                f"{newest}`).", (f"poetry update {name}", f"poetry env use {newest}"))
    pin = f'poetry add "{name}<{version}"'
    return (f"poetry locked {name} {version}, and no file of that release fits this platform and Python (a new "
            f"release's wheels for a platform can be late or missing): pin {name} below it in pyproject.toml "
            f"(`{pin}` takes the release before, which has them), or `poetry update {name}` once a fitting release "
            f"is out; `poetry show {name}` and PyPI's file list (https://pypi.org/project/{name}/{version}/#files) "
            f"show what each release ships.", (pin, f"poetry update {name}"))


def not_on_windows_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A package whose own build refuses Windows: no Windows build exists. Run it on Linux (WSL2), or - where it is
    an optional speed-up another package asks for (uvloop, uwsgi) - leave it out on Windows with a marker."""
    name = blocker_name(f) if f.blocker else "The package"
    marker = f"{blocker_name(f) if f.blocker else 'PACKAGE'}; sys_platform != 'win32'"
    return (f"{name} does not support Windows (its own build says so), so no wheel exists for it and its source "
            f"cannot build here: run the program under WSL2 (`wsl --install`, then a Linux venv) or on Linux; where "
            f"it is optional (an event loop or server a project only prefers), skip it on Windows with an "
            f"environment marker in the requirements (`{marker}`).", ("wsl --install",))
