"""Checks: a last look at a match that a regular expression cannot take (versions, lengths, what else the log shows)."""
from __future__ import annotations

import re
from typing import Match, Optional, Tuple

from harness.diagnose import context, reqs, stdlib
from harness.diagnose.rules.base import CONNECTION, FLAGS
from harness.diagnose.rules.cues import ARM
from harness.diagnose.rules.extract import NUMPY_PYTHON_WARNING, build_subject, pip_in_log


def not_a_wheel_only_dead_end(text: str, match: "Match[str]") -> bool:
    """uv's derivation names newer releases that need a newer Python, but when it ends in
    "Wheels are required for `X`", the releases that *do* support this Python exist as
    sources only: the blocker is the wheel-only restriction (no-wheel-for-platform)."""
    name = re.split(r"[<>=!~ ]", match.group("req"), maxsplit=1)[0]
    return not re.search(r"Wheels are required for `" + re.escape(name) + r"`", text, FLAGS)


IGNORED = re.compile(r"Ignored the following versions that require a different python version: (?P<list>[^\n]*)",
                      re.IGNORECASE)


def ignored_versions(text: str) -> Tuple[str, ...]:
    found = IGNORED.search(text)
    if not found:
        return ()
    return tuple(re.findall(r"(?:^|;\s*)([0-9][\w.+!]*) Requires-Python", found.group("list")))


def pinned_was_ignored(text: str, match: "Match[str]") -> bool:
    """pip ignored exactly the pinned version for its Requires-Python."""
    _, spec = reqs.split_requirement(match.group("req"))
    pinned = reqs.pinned_version(spec)
    if not pinned:
        return False
    return any(reqs.version_key(v) == reqs.version_key(pinned) for v in ignored_versions(text))


def range_was_ignored(text: str, match: "Match[str]") -> bool:
    """pip ignored some version that would have satisfied the requirement."""
    _, spec = reqs.split_requirement(match.group("req"))
    return bool(spec) and any(reqs.satisfies(v, spec) for v in ignored_versions(text))


def old_pip(text: str, match: "Match[str]") -> bool:
    """pip before 20.3 has neither PEP 600 wheel tags nor the backtracking resolver.

    Before 19.3 it cannot read manylinux2014 wheels at all (tensorflow 2.12.1's);
    pip 20.0.2 also resolved spleeter's numba/llvmlite wrongly (deezer/spleeter#698).
    """
    return (reqs.version_key(match.group("v")) < reqs.version_key("20.3") and not newer_than_pin_listed(text)
            and not NOT_AN_OLD_PIPS_DOING.search(text))


# failures no pip release avoids: a download that timed out, a write Windows or the OS refused
NOT_AN_OLD_PIPS_DOING = re.compile(r"ReadTimeoutError|Read timed out|\[WinError 5\] Access is denied|"
                                   r"PermissionError: \[(?:Errno 13|WinError 5)\]")


def newer_than_pin_listed(text: str) -> bool:
    """pip's list of releases for a pinned requirement holds newer releases than the pin: this pip reads their wheels
    (an old pip misses the newest wheel tags, not one release in the middle), so the pin itself has no file here."""
    for found in re.finditer(r"satisfies the requirement [\w.-]+==(?P<pin>[\w.]+) \(from versions: (?P<list>[^)]*)\)", text):
        pin = reqs.version_key(found.group("pin"))
        if any(re.fullmatch(r"\d+(?:\.\d+)*", v.strip()) and reqs.version_key(v.strip()) > pin
               for v in found.group("list").split(",")):
            return True
    return False


def model_download_failed(text: str, match: "Match[str]") -> bool:
    """A model download that was followed by a traceback or an error before any success line."""
    after = text[match.end(): match.end() + 200000]
    success = re.search(r"model file\(s\) extracted|Extracting downloaded", after)
    failure = re.search(r"Traceback \(most recent call last\)|\b\w*(?:Error|Exception|Timeout)\b", after)
    if failure is None:
        return False
    return success is None or failure.start() < success.start()


def no_versions_listed(text: str, match: "Match[str]") -> bool:
    """Retries only matter when the index then listed nothing (otherwise they were transient), and not while the
    resolver was backtracking (pip's own "taking longer than usual": the retries are a side effect)."""
    return not re.search(r"\(from versions: (?!none\))[^)]+\)|This is taking longer than usual", text)


def index_answered(text: str, match: "Match[str]") -> bool:
    """The index was reached (no retries, no connection or TLS errors): an empty answer is then the index's own."""
    return not re.search(rf"Retrying \(Retry\(|ProxyError|SSLError|{CONNECTION}", text)


def long_windows_path(text: str, match: "Match[str]") -> bool:
    """A Windows path at MAX_PATH (260) or near it (pip's temporary names add a few characters),
    or one the excerpt cut before its closing quote, which only long paths give a reader."""
    path = match.group("path").replace("\\\\", "\\")
    if not re.match(r"^[A-Za-z]:\\", path):
        return False
    # a redacted folder (%PathToRepo%, <user>) hides the real length; TensorFlow's include tree is the deepest
    hidden = bool(re.search(r"%\w+%|<[\w ]+>", path)) and len(path) >= 150
    return len(path) >= 240 or match.group("end") != "'" or hidden or "\\tensorflow\\include\\external\\" in path


def conda_manifest_path_long(text: str, match: "Match[str]") -> bool:
    """conda's "specified in the package manifest cannot be found" for a file whose full path - the package's
    folder in pkgs plus the manifest's relative path - reaches MAX_PATH: Windows would not write it."""
    return len(match.group("pkg")) + 1 + len(match.group("path")) >= 240


# The last release of each branch that python.org built Windows installers for; later ones are source only.
LAST_WINDOWS_INSTALLER = {"2.7": "2.7.18", "3.4": "3.4.4", "3.5": "3.5.4", "3.6": "3.6.8", "3.7": "3.7.9",
                          "3.8": "3.8.10", "3.9": "3.9.13", "3.10": "3.10.11", "3.11": "3.11.9", "3.12": "3.12.10"}


def source_only_release(version: str) -> bool:
    """A Python release after its branch's last Windows installer (3.6.10, 3.8.20): python.org has no .exe of it."""
    minor = ".".join(version.split(".")[:2])
    last = LAST_WINDOWS_INSTALLER.get(minor)
    return last is not None and int(version.split(".")[2]) > int(last.split(".")[2])


def single_spec_incompatible(text: str, match: "Match[str]") -> bool:
    """conda names only the package being installed: its builds need another Python."""
    return not conda_base(text)


def conda_base(text: str) -> bool:
    """conda tried to keep a whole distribution (the anaconda metapackage, or many packages) in place."""
    specs = re.findall(r"^\s*(?:-\s+)?([\w.-]+)(?:==?\S+)? -> python\[", text, re.MULTILINE)
    if re.search(r"found to be in conflict:\s*\n\s*-\s+anaconda==", text):
        return True
    return len(specs) >= 3 or any(s.startswith("anaconda") for s in specs)


def versions_fetched(name: str, text: str) -> int:
    """How many versions of ``name`` the log shows pip downloading (or taking from its cache)."""
    pattern = reqs.name_pattern(name)
    return len(set(re.findall(rf"(?:Using cached|Downloading) (?:\S*/)?{pattern}-(\d[\w.]*?)(?:-py|-cp|\.tar|\.zip)",
                              text, re.IGNORECASE)))


def most_fetched(text: str, match: "Match[str]") -> Optional[str]:
    """The package pip fetched in the most versions: the one it backtracks on longest."""
    names = set(re.findall(r"^\s*(?:Using cached|Downloading) (?:\S*/)?([A-Za-z][\w.]*?)-\d", text, re.MULTILINE))
    return reqs.canonical(max(sorted(names), key=lambda name: versions_fetched(name, text))) if names else None


def many_versions(text: str, match: "Match[str]") -> bool:
    """pip fetched one package in four or more versions (pip 20.3+ fetches a second version only when it backtracks)."""
    return versions_fetched(match.group("name"), text) >= 4


def tensorflow_around(text: str, match: "Match[str]") -> bool:
    return bool(re.search(r"tensorflow|_pywrap|\bspleeter\b", text, re.IGNORECASE))  # spleeter runs TensorFlow


def numpy_crashed(text: str, match: "Match[str]") -> bool:
    """The illegal instruction is NumPy's (or its bundled OpenBLAS'), not TensorFlow's."""
    before = text[max(0, match.start() - 400):match.start()]
    near = text[max(0, match.start() - 400):match.end() + 400]
    return (bool(re.search(r"\bimport numpy\b", before) or re.search(r"numpy[\\/]|numpy\.libs|libopenblas", near,
                                                                      re.IGNORECASE))
            and not tensorflow_around(text, match))


def imported_before_crash(text: str, match: "Match[str]") -> Optional[str]:
    """The one package imported in the lines just before a crash (a `python -c` or an interactive import)."""
    before = text[max(0, match.start() - 300):match.start()]
    names = re.findall(r"(?:^|[\n;\"'>]\s*)(?:import|from)\s+([A-Za-z_]\w*)", before)
    names = [n for n in names if n not in stdlib.CORE_MODULES and n != "numpy"]
    return names[-1] if names else None


BUILD_STEP = re.compile(r"(?:python )?setup\.py egg_info|Getting requirements to build|Preparing (?:wheel )?metadata|Building wheel for"
                        r"|Running setup\.py|python setup\.py|_in_process\.py|build_meta", re.IGNORECASE)


# the stage pip announces (the last one before the import is the one that ran it)
BUILD_STAGE = re.compile(r"(?:python )?setup\.py egg_info|Getting requirements to build|Preparing (?:wheel )?metadata"
                         r"|Building wheel for|Running setup\.py install", re.IGNORECASE)
METADATA_STEP = re.compile(r"Getting requirements to build|Preparing (?:wheel )?metadata|egg_info", re.IGNORECASE)


def inside_build(text: str, match: "Match[str]") -> bool:
    """The import failed inside pip's build of a package (its setup.py or backend), not in the user's own code."""
    before = text[max(0, match.start() - 4000): match.start()]
    return bool(BUILD_STEP.search(before)) and bool(re.search(r"setup\.py|_in_process|<string>|build\.py", before))


def inside_metadata_step(text: str, match: "Match[str]") -> bool:
    """... and it was the metadata step (egg_info, get_requires_for_build) that ran the import."""
    steps = list(BUILD_STAGE.finditer(text[max(0, match.start() - 4000): match.start()]))
    return inside_build(text, match) and bool(steps) and bool(METADATA_STEP.search(steps[-1].group(0)))


def setuptools_removal_outside_metadata(text: str, match: "Match[str]") -> bool:
    """What setuptools removed, used by a build's requirements or wheel step (the metadata step's failure is its own
    category), and not by an old numpy being built itself (that numpy is older than the Python)."""
    steps = list(BUILD_STAGE.finditer(text[: match.start()]))
    if steps and re.match(r"Preparing (?:wheel )?metadata|(?:python )?setup\.py egg_info", steps[-1].group(0), re.I):
        return False
    return (reqs.split_requirement(build_subject(text, match) or "")[0] or "") != "numpy"


# the setup() call rejecting an option (use_2to3) or a setup.cfg key setuptools no longer reads: setup() checks
# them first, before any command runs, so a log showing no build step failed where metadata is made
SETUP_CONFIG_REJECTED = re.compile(r"use_2to3 is invalid|setup command: use_2to3|Invalid dash-separated")


def setuptools_config_rejected_unstaged(text: str, match: "Match[str]") -> bool:
    """What setuptools removed, rejected by setup() itself (an option, a setup.cfg key) in a log that shows no build
    step: the metadata step's failure (an isolated build's requirements or wheel step is setuptools-removed-api)."""
    return not BUILD_STAGE.search(text[: match.start()]) and bool(SETUP_CONFIG_REJECTED.search(match.group(0)))


def inside_wheel_build(text: str, match: "Match[str]") -> bool:
    return inside_build(text, match) and not inside_metadata_step(text, match)


# libraries that run the ffmpeg executable (whisper, pydub, ffmpeg-python, moviepy, audioread, torchaudio's backend)
MEDIA_CALLERS = re.compile(r"ffmpeg[\\/]_run\.py|\bwhisper|pydub|moviepy|audioread|\bffmpeg\b|ffprobe|\.mp3\b|\.wav\b",
                           re.IGNORECASE)


def media_tool_context(text: str, match: "Match[str]") -> bool:
    """A file-not-found in a log about audio/video tools; a missing input file names its path instead."""
    line = text[match.start(): text.find("\n", match.start()) if "\n" in text[match.start():] else len(text)]
    if re.search(r"No such file or directory: '(?!ff)[^']*\.\w{2,4}'", line):
        return False
    return bool(MEDIA_CALLERS.search(text))


# where models come from: a hub, a release asset, a hard-coded URL in a model loader
MODEL_SOURCES = re.compile(r"huggingface|hf_hub|model|download_url|load_file_from_url|torch[\\/]hub"
                           r"|\.(?:bin|pt|pth|ckpt|onnx|safetensors)\b|VAD_SEGMENTATION_URL", re.IGNORECASE)


def model_download_context(text: str, match: "Match[str]") -> bool:
    """An HTTP refusal or checksum mismatch while a model was fetched (not pip reaching its index)."""
    around = text[max(0, match.start() - 1500): match.end() + 300]
    return bool(MODEL_SOURCES.search(around)) and not re.search(r"pip[\\/]_internal|Looking in indexes|Collecting ",
                                                                around)


def spleeter_run(text: str, match: "Match[str]") -> bool:
    return bool(re.search(r"spleeter", text, re.IGNORECASE))


def wheel_python_differs(text: str, match: "Match[str]") -> bool:
    python = context.read_python(text)
    return bool(python) and python != f"{match.group('major')}.{match.group('minor')}"


def script_tool(text: str, match: "Match[str]") -> bool:
    """The command not found is a package's console script (accelerate, svcg), not a tool with its own rule."""
    groups = match.groupdict()
    if groups.get("tool"):  # PowerShell/cmd: pyenv-win's or conda's command missing still means PATH
        return not re.match(r"(?:pip|python|py|ffmpeg|ffprobe)\d*$", groups["tool"], re.IGNORECASE)
    tool = groups.get("ztool") or groups.get("btool") or ""
    return not re.match(r"(?:pip|python|py|ffmpeg|ffprobe|conda|pyenv|uv)\d*(?:\.\d+)?$", tool)


def windows_without_version(text: str, match: "Match[str]") -> bool:
    """Windows, and the log names no Python version: a 32-bit interpreter is the usual reason TensorFlow
    lists nothing (the other, an unsupported version, would show in the log as the version)."""
    if context.read_python(text) is not None or context.read_bits(text) == 64:
        return False
    return context.read_platform(text) == "windows" or not context.posix_evidence(text)


def posix_without_bits(text: str, match: "Match[str]") -> bool:
    """Linux or macOS, no sign of a 32-bit system: then no TensorFlow at all means the Python version; so it
    does anywhere on a Python newer than TensorFlow supported for long (3.13 and later)."""
    if context.read_bits(text) == 32:
        return False
    python = context.read_python(text)
    # some release has wheels for it: the cause is elsewhere - unless the Python is its minor's first release
    # (X.Y.0), out before any TensorFlow had wheels for it (TensorFlow's wheels for a new Python come months later)
    if python and tensorflow_has_wheels_for(python) and not context.first_of_its_minor(text, python):
        return False
    return context.posix_evidence(text) or bool(python and reqs.version_key(python) >= reqs.version_key("3.13"))


def tensorflow_has_wheels_for(python: str) -> bool:
    """Some TensorFlow release on PyPI has 64-bit wheels for this Python (3.5 up to the newest line's)."""
    lines = reqs.NEWEST_PYTHON["tensorflow"]
    oldest = reqs.OLDEST_PYTHON["tensorflow"][0][1]
    return reqs.version_key(oldest) <= reqs.version_key(python) <= reqs.version_key(lines[-1][1])


def pinned_older_than_python(text: str, match: "Match[str]") -> bool:
    """A pinned TensorFlow whose newest Python is older than the one the log shows (1.13.1 on 3.8)."""
    python, newest = context.read_python(text), reqs.newest_python(match.group("req"))
    if not python or not newest:
        return False
    return reqs.version_key(python) > reqs.version_key(newest)


def python_312_or_newer(text: str, match: "Match[str]") -> bool:
    python = context.read_python(text) or context.python_at_least(text)
    if not python:
        return False
    return reqs.version_key(python) >= reqs.version_key("3.12")


def python_312_or_newer_or_unknown(text: str, match: "Match[str]") -> bool:
    """pip picks spleeter 2.1.0 only where 2.4 is excluded; a log that does not show its Python gets that reading."""
    return python_312_or_newer(text, match) or not (context.read_python(text) or context.python_at_least(text))


def python_312_or_newer_or_said(text: str, match: "Match[str]") -> bool:
    return bool(match.groupdict().get("py")) or python_312_or_newer(text, match)


# the first PyInstaller release that supports each Python (its changelog)
PYINSTALLER_FOR_PYTHON = {"3.6": "3.3", "3.7": "3.4", "3.8": "3.6", "3.9": "4.1", "3.10": "4.6"}


def pyinstaller_older_than_python(text: str, match: "Match[str]") -> bool:
    """The PyInstaller in its log header is older than the first release that supports the Python it names."""
    need = PYINSTALLER_FOR_PYTHON.get(match.group("have"))
    return need is not None and reqs.version_key(match.group("pyi")) < reqs.version_key(need)


def release_older_than_python(text: str, match: "Match[str]") -> bool:
    """The release being built (numpy, llvmlite, numba) is older than the log's Python: it has no wheel there."""
    # numpy's own setup.py warns when it is older than the Python building it
    warned = NUMPY_PYTHON_WARNING.search(text)
    python = context.read_python(text) or (warned.group(2) if warned else None)
    if not python:
        return False
    candidates = [build_subject(text, match)] + ([f"numpy=={warned.group(1)}"] if warned else [])
    for name in reqs.NEWEST_PYTHON:
        built = reqs.version_in_log(name, text)
        if built and re.search(rf"{name}-{re.escape(built)}\.(?:tar\.gz|zip)", text):
            candidates.append(f"{name}=={built}")
    newest = [n for n in (reqs.newest_python(c) for c in candidates) if n]
    return bool(newest) and reqs.version_key(python) > reqs.version_key(newest[0])


def lagging_release(text: str, match: "Match[str]") -> bool:
    """The failed build is of the newest release of a package that ships wheels for every Python its line supports,
    taken unasked as a source archive on an x86 Windows or Linux Python the line has wheels for (reqs.lagging_release):
    on ARM and macOS a missing wheel is the platform's, not the release's."""
    python = context.read_python(text)
    if not python or ARM.search(text) or context.read_platform(text) == "macos":
        return False
    return reqs.lagging_release(text, build_subject(text, match), python)


def pip_found_none_either(text: str) -> bool:
    """A package conda's channels lack is one pip, in the same log, found no release of at all."""
    missing = re.findall(r"^\s+- ([A-Za-z][\w.-]*)", text, re.MULTILINE)
    return any(re.search(rf"No matching distribution found for {re.escape(name)}\b", text) and
               re.search(rf"requirement {re.escape(name)}\b[^\n]*\(from versions: ?(?:none)?\)", text)
               for name in missing)


def in_build_step(text: str, match: "Match[str]") -> bool:
    """The match is inside a package's build (pip's "Getting requirements to build ..." step, its setup.py): an
    import there fails in the isolated build environment, not in the user's Python."""
    before = text[max(0, match.start() - 3000): match.start()]
    return bool(BUILD_STEP.search(before)) and bool(re.search(r"Traceback \(most recent call last\)", before))


def in_uv_build_env(text: str, match: "Match[str]") -> bool:
    """The line is about uv's own throwaway build environment (a .tmpXXXX/.venv folder): a setup.py that runs pip or
    imports what it never declared failed there, not the user's venv."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    return bool(re.search(r"[\\/]\.tmp\w+[\\/]\.venv[\\/]", text[line_start:match.end()]))


def pip_versions_differ(text: str, match: "Match[str]") -> bool:
    """Two ``pip -V`` answers naming different Pythons: ``pip`` and ``python -m pip`` are not the same."""
    pythons = set(re.findall(r"pip \d[\d.]* from \S+ \(python (\d+\.\d+)\)", text))
    return len(pythons) >= 2


def terminal_timeout(text: str, match: "Match[str]") -> bool:
    """A timeout that ended the run: not one of pip's "Retrying ..." warnings (a retry that then succeeded), and
    not a model download (spleeter's own category)."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line = text[line_start: text.find("\n", match.start()) if "\n" in text[match.start():] else len(text)]
    return "Retrying (Retry(" not in line and not re.search(r"Downloading model archive", text)


def conda_base_check(text: str, match: "Match[str]") -> bool:
    return conda_base(text)


def ignored_cover_the_pin(text: str, match: "Match[str]") -> bool:
    """The ignored releases are the requirement's own: an unpinned requirement, or its pin among them
    (pip's list can be another package's, e.g. numpy's, printed before this verdict)."""
    pinned = reqs.pinned_version(reqs.split_requirement(match.group("req"))[1])
    return not pinned or any(reqs.version_key(v) == reqs.version_key(pinned) for v in ignored_versions(text))


# The first pip that reads each manylinux tag (PEP 571, 599, 600).
TAG_PIP = {"2010": "19.0", "2014": "19.3"}


def pip_older_than_tag(text: str, match: "Match[str]") -> bool:
    shown = pip_in_log(text, match)
    if not shown or "==" not in shown:
        return False
    needed = TAG_PIP.get(match.group("tag"), "20.3")
    return reqs.version_key(shown.split("==")[1]) < reqs.version_key(needed)


def old_pip_own_error(text: str, match: "Match[str]") -> bool:
    """The traceback ends in a programming error (not the network, a permission or a missing file)."""
    last = re.findall(r"^(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception))\b", text[match.start():], re.MULTILINE)
    return bool(last) and last[-1] in ("TypeError", "AttributeError", "KeyError", "ValueError", "IndexError",
                                       "UnicodeDecodeError", "ImportError", "NameError")


def installed_for_another_python(text: str, match: "Match[str]") -> bool:
    """pip's lines name a site-packages of one Python, the banner (``Python 2.7.14``) or path another."""
    installed = set(re.findall(r"python(\d\.\d+)[\\/](?:site|dist)-packages", text))
    ran = set(re.findall(r"^Python (\d\.\d+)", text, re.MULTILINE)) | set(re.findall(r"python(\d\.\d+)$",
                                                                                      match.group("py")))
    return bool(installed) and bool(ran) and not installed & ran


def installed_then_missing(text: str, match: "Match[str]") -> bool:
    """``pip install X`` (or pip saying X is installed) earlier in the log, then ``No module named 'X'``: the
    pip that ran installed into another interpreter than the ``python`` that imports (``pip show X`` finding it
    anywhere in the log says the same)."""
    module = re.escape(match.group("mod"))
    return bool(re.search(rf"^[^\n]*\bpip3?(?:\.exe)? install\b[^\n]*\b{module}\b|^(?:Successfully installed|Requirement "
                          rf"already satisfied:)[^\n]*\b{module}\b|^[^\n]*\bpip3? show {module}\s*\n(?:[^\n]*\n)*?Location: ",
                          text, re.MULTILINE | re.IGNORECASE)
                # the user's own words: the module is installed ("I am sure that 'wmi' has been installed", "a module
                # that could be loaded from myENV")
                or re.search(rf"\b{module}'? (?:has been|is|was) (?:already )?installed|\bI(?:'m| am) sure [^\n]{{0,40}}"
                             rf"installed|could be (?:loaded|imported) from|\b(?:already|definitely) installed [^\n]{{0,20}}"
                             rf"\b{module}\b", text, re.IGNORECASE)
                # the project's requirements installed "successfully" before, and still the import is missing
                or re.search(r"\bpip3?(?:\.exe)? install -r \S*requirements[\w.-]*\.txt\b[^\n]*(?:\n[^\n]*){0,2}?"
                             r"(?:installed successfully|Successfully installed)", text[:match.start()], re.IGNORECASE))


# packages whose every release has wheels for Windows, Linux and macOS on the Pythons of its time
WHEELS_EVERYWHERE = ("tensorflow", "tensorflow-gpu", "torch", "numpy", "scipy", "pandas")


def pin_outside_listed_range(text: str, match: "Match[str]") -> bool:
    """pip lists only the releases with a wheel for this Python; an exact pin older than all of them (or newer than
    all of them) is a release made for another Python, not a missing wheel."""
    pinned = reqs.pinned_version(reqs.split_requirement(match.group("req"))[1])
    listed = [v.strip() for v in match.group("versions").split(",")]
    finals = [v for v in listed if re.fullmatch(r"\d+(?:\.\d+)*", v)]
    everywhere = (reqs.split_requirement(match.group("req"))[0] or "").lower() in WHEELS_EVERYWHERE
    # one final listed of TensorFlow or numpy is a new line's first release beside its rcs (a platform's first
    # wheels); of another package it still says that the pinned release has no file for this Python
    if not pinned or len(finals) < (2 if everywhere else 1) or pinned in listed:
        return False
    keys = sorted(reqs.version_key(v) for v in finals)
    if reqs.version_key(pinned) < keys[0]:
        return True  # older than every release this Python has: any pip sees old wheels, so the Python is newer
    # newer than every listed release: a Python too old for it - unless the pip is too old to read the newer
    # wheels' tags (pre-19.1 wording has no "ERROR:"), or the machine is an ARM board with few wheels at all
    modern_pip = text[max(0, match.start() - 60): match.start()].rstrip().endswith("ERROR: Could not find a version that")
    arm = re.search(r"piwheels|raspberry|raspbian|armv[67]l|aarch64", text, re.IGNORECASE)
    # (only for packages that publish wheels for every platform: a newer pin of another package, such as
    # tensorflow-io-gcs-filesystem 0.32 on Windows, is a release without a wheel for this platform)
    # a Python inside the pinned release's own range: the newer releases are missing for this platform (Intel
    # macOS has no TensorFlow after 2.16), not for this Python
    python, oldest, newest = (context.read_python(text), reqs.oldest_python(match.group("req")),
                              reqs.newest_python(match.group("req")))
    fits = bool(python and oldest and newest and reqs.version_key(oldest) <= reqs.version_key(python)
                <= reqs.version_key(newest))
    return everywhere and reqs.version_key(pinned) > keys[-1] and modern_pip and not arm and not fits


def not_windows(text: str, match: "Match[str]") -> bool:
    """The log shows a Linux or macOS machine (its paths), not Windows."""
    return context.read_platform(text) != "windows" and context.posix_evidence(text)


def shadowing_script(text: str, module: str) -> Optional[str]:
    """The user's own MODULE.py that a traceback runs (outside site-packages), which hides the package MODULE."""
    for found in re.finditer(r'File "(?P<path>[^"\n]*[\\/]' + re.escape(module) + r'\.py)", line \d+', text):
        if not re.search(r"(?:site|dist)-packages|[\\/]lib[\\/]python\d", found.group("path")):
            return found.group("path")
    return None


def asked_above_listed(text: str, match: "Match[str]") -> bool:
    """A lower bound (``numpy>2``, ``>=2.0``) above every release pip listed, from PyPI (a mirror may just lag)."""
    _, spec = reqs.split_requirement(match.group("req"))
    # (an exact pin missing is as often the platform's: pip lists only releases with a file for both)
    floor = re.match(r"\s*>=?\s*(\d+(?:\.\d+)*)(?![\w.]*(?:a|b|rc|dev)\d)", spec or "")  # (a pre-release: maybe unpublished)
    found = [re.match(r"\d+(?:\.\d+)*", v.strip()) for v in match.group("listed").split(",")]
    listed = [v.group(0) for v in found if v]  # (1.10.0.post2 is 1.10.0)
    if not floor or not listed or re.search(r"^Looking in indexes: (?![^\n]*pypi\.org)", text, re.MULTILINE):
        return False
    return all(reqs.version_key(v) < reqs.version_key(floor.group(1)) for v in listed)

