"""Advice when no category fits: still the most probable cause the evidence names."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.advice.base import (
    VENV,
    Facts,
    bare_pip,
    distribution,
    installed_packages,
    on_windows,
    q,
    venv_pip,
)
from harness.diagnose.advice.python import host_of_import
from harness.diagnose.advice.runtime import SAME_NAME, pyttsx3_driver_advice
from harness.diagnose.rules.other import NAMESPACE_OR_CORE


def other_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "ensurepip-missing":
        return ensurepip_advice(f)
    if f.rule == "module-not-installed" and re.search(r"site-packages[\\/]pyttsx[\\/]", f.log):
        return ("This is the old pyttsx, a Python 2 package whose driver import fails on Python 3: uninstall it and "
                f"install its successor pyttsx3 (`{bare_pip(f)} uninstall -y pyttsx`, `{bare_pip(f)} install pyttsx3`; "
                "on Windows it also needs pywin32), then `import pyttsx3`.",
                (f"{bare_pip(f)} uninstall -y pyttsx", f"{bare_pip(f)} install pyttsx3"))
    if f.rule == "misspelt-package":
        return misspelt_advice(f)
    if f.rule == "typographic-dash-in-name":
        typed = f.blocker or ""
        meant = re.sub("[\u2010-\u2015\u2212]", "-", typed)
        line = next((ln.strip() for ln in f.log.splitlines() if typed in ln and "install" in ln), "")
        again = re.sub(r"^\S*[$>]\s*", "", line.replace(typed, meant)) if line else ""
        return (f"The name {typed} contains a typographic dash (copied from a web page or document), not the ASCII "
                f"hyphen '-', so no package has that name: type the command again with a plain hyphen - the package "
                f"is {meant}{f' (`{again}`)' if again else ''} - and check requirements files copied the same way.",
                (again,) if again else ())
    if f.rule == "program-not-found":
        return program_advice(f)
    if f.rule == "torchaudio-no-backend":
        return torchaudio_backend_advice(f)
    if f.rule == "pyttsx3-driver-import":
        return pyttsx3_driver_advice(f)
    if f.rule == "module-not-installed" and f.blocker:
        host = host_of_import(f)  # a notebook's kernel, a PyInstaller bundle: that program's own Python
        if host:
            return host
        dist = distribution(f.blocker)
        deps = (" The package was installed with --no-deps: install its pinned dependencies as well." if "--no-deps"
                in f.log else " If the package that imports it should have brought it, its metadata misses the "
                              "dependency: install it by hand (`pip check` lists what else is missing).")
        which = "where python" if on_windows(f) else "which python3"
        return (f"The module `{f.blocker}` is not installed in the Python that ran: install {dist} into that same "
                f"interpreter (`{bare_pip(f)} install {q(dist)}`), and check that it is the one your tools live in "
                f"(`{which}`, `python -m pip -V`).{deps}",
                (f"{bare_pip(f)} install {q(dist)}", f"{bare_pip(f)} check"))
    guess = probable_cause(f)
    if guess:
        return guess
    return ("No known failure pattern matched: read the evidence lines and the full log, then rerun the step "
            "verbosely.", (f"{venv_pip(f)} install -v {q(f.pack)}",))


# Programs Python packages start, by the OS package that brings each where its name differs (Debian, Homebrew)
PROGRAM_PACKAGES = {"gcc": ("build-essential", "gcc"), "g++": ("build-essential", "gcc"), "make": ("build-essential", "make"),
                    "nvcc": ("nvidia-cuda-toolkit", ""), "java": ("default-jre", "openjdk"), "node": ("nodejs", "node"),
                    "rubberband": ("rubberband-cli", "rubberband"), "aria2c": ("aria2", "aria2"), "7z": ("p7zip-full", "p7zip"),
                    "opusenc": ("opus-tools", "opus-tools"), "espeak": ("espeak", "espeak"), "pdflatex": ("texlive-latex-base", "")}


def misspelt_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A requirement no index has, close to a well-known name: the name as PyPI spells it."""
    typed, spec = reqs.split_requirement(f.blocker or "")
    right = reqs.misspelt(typed or "") or "the package"
    command = f"{bare_pip(f)} install {q(right + (spec or ''))}"
    return (f"No index has a package named {typed}: it is most probably a misspelling of {right} - check the "
            f"spelling (https://pypi.org/project/{right}/) and install it by its right name (`{command}`).", (command,))


def program_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """subprocess could not start a program by its bare name: a system tool the package runs, not a Python package."""
    prog = f.blocker or "the program"
    deb, brew = PROGRAM_PACKAGES.get(prog, (prog, prog))
    caller = installed_packages(f.log)
    who = f" that {caller[-1]} runs" if caller else " the code runs"
    if on_windows(f):
        how = (f"install it with its Windows installer (or `winget search {prog}`, `choco install {prog}`) and add the "
               f"folder holding {prog}.exe to PATH")
        check = f"where {prog}"
    elif f.platform == "macos":
        how = f"install it (`brew install {brew or prog}`) and make sure its folder is on the PATH the program sees"
        check = f"command -v {prog}"
    else:
        how = (f"install it with the OS package manager (`sudo apt-get install -y {deb}` on Debian/Ubuntu; `brew "
               f"install {brew or prog}` on macOS; on Windows its installer, then add it to PATH)")
        check = f"command -v {prog}"
    ide = (" An IDE or service that starts Python may use a shorter PATH than your terminal: start it from a terminal "
           "where the command works, or give the program's full path." if re.search(
               r"\bpycharm\b|\bvs ?code\b|\bjupyter\b|\bsystemd\b|\bcron\b", f.log, re.IGNORECASE) else "")
    return (f"The program {prog}{who} is not installed or not on PATH (it is a system tool, not a Python package): "
            f"{how}, open a new terminal, and check with `{check}`.{ide}",
            ((f"sudo apt-get install -y {deb}",) if f.platform not in ("windows", "macos") else ()) + (check,))


def torchaudio_backend_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """torchaudio reads and writes audio through a backend it finds installed: soundfile everywhere, sox only on
    Linux/macOS, FFmpeg's shared libraries from torchaudio 2.1 on."""
    pip = bare_pip(f)
    wanted = f.groups.get("backend", "")
    if wanted.startswith("sox") and "soundfile" in f.groups.get("have", ""):
        return (f"torchaudio's {wanted} backend exists only on Linux and macOS; this torchaudio has soundfile: use it "
                f"(`torchaudio.set_audio_backend(\"soundfile\")`, or the program's option for it, e.g. "
                f"`--audio-backend soundfile`).", (f"{pip} install soundfile",))
    return (f"torchaudio has no {wanted + ' ' if wanted else ''}audio backend installed: install soundfile (`{pip} "
            f"install soundfile`; on Windows that is torchaudio's backend, and sox/sox_io exist only on Linux and macOS), "
            f"or ffmpeg (torchaudio 2.1 and later use its libraries: `conda install -c conda-forge ffmpeg`, or an "
            f"ffmpeg 'shared' build on PATH), then run again.", (f"{pip} install soundfile",))


def submodule_gone_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """`No module named 'X.Y'` means X itself imported (else Python names X): X is there, Y is not (any more)."""
    top, pip = f.blocker or "the package", bare_pip(f)
    sub = f"{top}.{f.groups['sub']}" if f.groups.get("sub") else "that module"
    known = reqs.removed_in(sub)
    if known:
        return removed_module_advice(f, top, sub, known)
    return (f"{top} is installed, but this release has no `{sub}`: it was removed or moved in a newer release "
            f"(tensorflow.contrib is gone in TensorFlow 2, for example), or it is newer than yours. Pin the {top} "
            f"release the code was written for (`{pip} install \"{top}<X\"`; `{pip} show {top}` shows yours), or "
            f"update the code to the new module path.", (f"{pip} show {top}",))


def removed_module_advice(f: Facts, top: str, module: str, known: Tuple[str, str]) -> Tuple[str, Tuple[str, ...]]:
    """A module a known release removed: the last release with it, or the new way of importing."""
    release, instead = known
    dist = reqs.DISTRIBUTION_OF.get(top, top)
    pip = bare_pip(f)
    return (f"`{module}` was removed in {dist} {release}, and the installed {dist} is that release or newer: either "
            f"pin the release the code was written for (`{pip} install \"{dist}<{release}\"`), or update the code - "
            f"{instead}.", (f'{pip} install "{dist}<{release}"', f"{pip} show {dist}"))


def api_gone_advice(f: Facts, module: Optional[str] = None, name: Optional[str] = None) -> Tuple[str, Tuple[str, ...]]:
    """The installed release of a library lacks a name the code uses: the versions do not match."""
    module = module or f.blocker or "PACKAGE"
    name = name or f.groups.get("attr", "that name")
    pip = bare_pip(f)
    known = reqs.removed_in(f"{f.groups.get('frm') or module}.{name}")
    if known:
        return removed_module_advice(f, module, f"{f.groups.get('frm') or module}.{name}", known)
    top = module.split(".")[0]
    if top in SAME_NAME and re.search(rf"^{re.escape(SAME_NAME[top][1])}\s+\d[\w.]*\s*$", f.log, re.MULTILINE):
        # the pip list shows the other PyPI project of that import name installed too: its files shadow the meant one
        meant, wrong = SAME_NAME[top]
        return (f"Two PyPI projects install the module `{top}`, and both are here: {meant} (the one the code means) "
                f"and `{wrong}`, whose files shadow it, so `{name}` is missing. Remove the other one and reinstall "
                f"the right one: `{pip} uninstall {wrong}`, then `{pip} install --force-reinstall {meant}`.",
                (f"{pip} uninstall -y {wrong}", f"{pip} install --force-reinstall {meant}"))
    return (f"Most probably a version mismatch: the installed {module} no longer (or not yet) has `{name}` - an API "
            f"change between releases. Pin the {module} release the code was written for (`{pip} install "
            f"\"{module}<X\"`, older than the release that removed it; `{pip} show {module}` shows yours), upgrade "
            f"{module} if yours is older than the code (`{pip} install --upgrade {module}`), or upgrade the code that "
            f"calls it.", (f"{pip} show {module}", f"{pip} check"))


# classes whose owner a bare traceback does not name: the package to pin when their API changed
OBJECT_OWNERS = {"Separator": "spleeter", "AudioAdapter": "spleeter", "Codec": "spleeter",
                 "Engine": "pyttsx3", "FilterableStream": "ffmpeg-python", "OutputStream": "ffmpeg-python"}


def probable_cause(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """Nothing matched: the last exception the log shows still names the most probable cause."""
    pip = bare_pip(f)
    exceptions = re.findall(r"^\s*(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception))\b:? ?([^\n]*)$", f.log, re.MULTILINE)
    if not exceptions and not re.search(r"' object has no attribute '", f.log):
        return last_error_line(f) or cut_traceback(f)
    kind, message = exceptions[-1] if exceptions else ("AttributeError", "")
    tool = re.search(r"\b([\w.-]+) (?:is )?not installed on (?:your|this) system", message)
    if tool:
        name = tool.group(1)
        return (f"Most probably the program {name} is missing from the system (not a Python package): install it "
                f"with the OS package manager (`sudo apt-get install {name}`, `brew install {name}`; on Windows its "
                f"installer, then add it to PATH) and open a new terminal.", (f"sudo apt-get install -y {name}",))
    if re.match(r"\s*Traceback \(most recent call last\)", message):
        message = ""  # IPython's header line, "FileNotFoundError   Traceback (most recent call last)"
    missing = re.search(r"No module named '?([A-Za-z_][\w]*)", message)
    if missing:
        dist = distribution(missing.group(1))
        return (f"Most probably `{missing.group(1)}` is not installed in the Python that ran: install it there "
                f"(`{pip} install {dist}`) and check that `python -m pip -V` names that interpreter.",
                (f"{pip} install {dist}",))
    attr = re.search(r"module '([\w.]+)' has no attribute '(\w+)'|cannot import name '(\w+)' from '([\w.]+)'", message)
    module = (attr.group(1) or attr.group(4)).split(".")[0] if attr else ""
    if attr and module not in NAMESPACE_OR_CORE:  # the standard library's own modules do not come in releases
        return api_gone_advice(f, module, attr.group(2) or attr.group(3))
    obj = re.search(r"'(\w+)' object has no attribute '(\w+)", message or f.log)
    caller = installed_packages(f.log)
    owner = OBJECT_OWNERS.get(obj.group(1)) if obj else None
    if obj and owner:
        private = " (a private attribute, which a library may change in any release)" if obj.group(2).startswith("_") else ""
        return (f"Most probably a version mismatch: the code calls `{obj.group(1)}.{obj.group(2)}`{private}, which the "
                f"installed {owner} no longer has - an API change between releases. Install the older {owner} release "
                f"the code was written for (`{pip} install \"{owner}==X.Y\"`; `{pip} show {owner}` shows yours) or "
                f"update the code to the new API.", (f"{pip} show {owner}",))
    if obj and caller:
        return (f"Most probably a version mismatch: {caller[-1]} calls `{obj.group(2)}` on a `{obj.group(1)}` from a "
                f"library whose installed release changed that API (often a dependency the resolver took newer than "
                f"{caller[-1]} supports): pin that dependency to the release {caller[-1]} was written for, or upgrade "
                f"{caller[-1]} (`{pip} show {caller[-1]}` lists what it requires).", (f"{pip} show {caller[-1]}",))
    if obj:
        return (f"Most probably a version mismatch: the library that defines `{obj.group(1)}` changed its API and no "
                f"longer has `{obj.group(2)}`: install the older release of it the code was written for "
                f"(`{pip} install \"PACKAGE==X.Y\"`; `{pip} list` shows what you have) or update the code.",
                (f"{pip} list",))
    if kind == "FileNotFoundError" or kind == "OSError" and re.search(r"WinError 2|No such file", message):
        return ("Most probably a program or file the code starts is missing (a command-line tool not on PATH, or a "
                "wrong path): install the tool it runs and put it on PATH, or fix the path, then open a new terminal.",
                ("where ffmpeg" if on_windows(f) else "command -v ffmpeg",))
    if kind == "PermissionError":
        return ("Most probably a permission problem: the file is in use or owned by another user - close programs "
                "using it, or work in a folder (or venv) you own.", ())
    return (f"The last error is {kind}: {message.strip()[:120]} - most probably the cause; look at the lines just "
            f"above it for the package and call that raised it, and reinstall that package in a fresh venv "
            f"(`{pip} install --force-reinstall --no-cache-dir PACKAGE`) if it comes from an installed library.",
            (f"{pip} check",))


def ensurepip_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """Debian-family Pythons (and deadsnakes') leave ensurepip to a pythonX.Y-venv package."""
    named = re.search(r"python(3\.\d+)", f.log)
    version = named.group(1) if named else (f.python or "3")
    package = f"python{version}-venv" if version != "3" else "python3-venv"
    return (f"This Python has no ensurepip (Debian, Ubuntu and the deadsnakes PPA ship it separately), so `venv` "
            f"cannot install pip into a new environment: install `{package}` (`sudo apt-get install {package}`) and "
            f"create the venv again, or create it with uv (`uv venv -p {version}`) or virtualenv instead.",
            (f"sudo apt-get install -y {package}", f"python{version} -m venv {VENV}"))


def last_error_line(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """No Python exception, but an OS error or a tool's ``Error:`` line: that line is the probable cause."""
    lines = re.findall(r"^\s*((?:\[(?:WinError|Errno) \d+\]|Error:|error:|ERROR:|fatal:)[^\n]{4,})$", f.log, re.MULTILINE)
    if not lines:
        return None
    line = lines[-1].strip()[:160]
    if re.match(r"\[(?:WinError 2|Errno 2)\]", line):
        return ("Most probably a program the code starts is missing (WinError 2 / Errno 2 without a file name is "
                "usually the executable itself, e.g. ffmpeg, git or a compiler): install it and put it on PATH, then "
                "open a new terminal.", ("where ffmpeg" if on_windows(f) else "command -v ffmpeg",))
    return (f"The last error line is `{line}` - most probably the cause: search for that message together with the "
            f"package or tool named just above it, and rerun that step verbosely (`-v`) to see what it tried.",
            (f"{venv_pip(f)} install -v {q(f.pack)}",))


def cut_traceback(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A traceback pasted without its exception, whose last frame is an import: importing that module failed."""
    frames = re.findall(r"^\s*File \"[^\"]+\", line \d+, in [^\n]+\n\s*(?:from ([\w.]+) import|import ([\w.]+))",
                        f.log, re.MULTILINE)
    if not frames or not re.search(r"Traceback \(most recent call last\)", f.log):
        return None
    module = (frames[-1][0] or frames[-1][1]).split(".")[0]
    dist = distribution(module)
    windows = (" On Windows a compiled package that fails to import usually misses the Microsoft Visual C++ "
               "Redistributable (x64): install it." if on_windows(f) else "")
    store = (" This is the Microsoft Store's Python, whose sandboxed folders break some native packages: prefer the "
             "python.org installer." if "PythonSoftwareFoundation.Python." in f.log else "")
    return (f"The traceback is cut before its error line, but it fails while importing {module}: most often a broken "
            f"or mismatched install of {dist} or of a native library it loads - reinstall it in a fresh venv "
            f"(`{bare_pip(f)} install --force-reinstall --no-cache-dir {dist}`), and look at the traceback's last "
            f"line for the exact error.{windows}{store}",
            (f"{bare_pip(f)} install --force-reinstall --no-cache-dir {dist}",))
