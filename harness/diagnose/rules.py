"""The diagnosis rules, as data: what a failure looks like in a pip, uv or spleeter log.

Each :class:`Rule` names a category, the patterns that show it, a priority and,
optionally, a check on the match and a way to read the blocker from it.
Priorities encode cause and effect, so that the root cause wins over the
errors it leads to, whichever comes last in the log:

====  ===========================================================
 100  the interpreter is missing (nothing else could even start)
  95  the harness killed the step (timeout)
  91  a TLS certificate could not be verified (index or model download)
  90  spleeter could not fetch its model (89: the wrong ``ffmpeg``
      package, 88: ffmpeg missing, 87: a NumPy ABI break,
      86: a CPU without AVX, 85: a DLL)
  80  Windows long paths
  76  32-bit Python; a Python-version guard inside a build
  75  the pinned version excludes this Python (Requires-Python, ABI tag)
  74  conda solving against its base environment
  72  only wheels were allowed and there is none (uv says so)
  70  the index could not be reached, or uv's HTTP timeout ran out
  68  only wheels were allowed (pip's command line says so) and none matched
  66  pip (or a console script) belongs to another interpreter
  65  pip is too old to see today's wheels
  62  the build backend itself is missing
  60  no MSVC; a range requirement with Python-excluded versions
  56  spleeter took the model name for an input file
  55  metadata generation failed; spleeter's "ffprobe error" warning
  50  a source build failed; pip's pre-19.1 / pre-20.3 wording (old pip)
  46  numba and llvmlite do not match
  45  pip's resolver found a conflict; connection retries
  44  pip's resolver backtracks without end
  40  no matching distribution at all
  35  uv found no solution (its generic header)
  30  a build subprocess failed (pip's generic line)
  25  the process crashed (segfault, killed: memory)
  20  pip's warning that installed packages disagree
====  ===========================================================
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Match, Optional, Pattern, Tuple

from harness.diagnose import context, reqs

Check = Callable[[str, "Match[str]"], bool]


def _not_a_wheel_only_dead_end(text: str, match: "Match[str]") -> bool:
    """uv's derivation names newer releases that need a newer Python, but when it ends in
    "Wheels are required for `X`", the releases that *do* support this Python exist as
    sources only: the blocker is the wheel-only restriction (no-wheel-for-platform)."""
    name = re.split(r"[<>=!~ ]", match.group("req"), maxsplit=1)[0]
    return not re.search(r"Wheels are required for `" + re.escape(name) + r"`", text, _FLAGS)
Extract = Callable[[str, "Match[str]"], Optional[str]]

_FLAGS = re.IGNORECASE | re.MULTILINE


def _rx(*patterns: str) -> Tuple[Pattern[str], ...]:
    return tuple(re.compile(p, _FLAGS) for p in patterns)


@dataclass(frozen=True)
class Rule:
    """One way a category shows in a log.

    ``patterns``: any one matching is a hit; ``requires``: each must also match
    somewhere in the log; ``check``: a last look at the match (e.g. a version
    comparison a regex cannot do); ``also``: lines worth showing as evidence
    when present (the last match of each). ``summary`` is a one-line template
    that may use ``{blocker}``; ``action`` overrides the category's next-action
    template (fields: ``blocker``, ``pack``, ``python``).
    """

    name: str
    category: str
    priority: int
    patterns: Tuple[Pattern[str], ...]
    requires: Tuple[Pattern[str], ...] = ()
    check: Optional[Check] = None
    blocker: Optional[Extract] = None
    also: Tuple[Pattern[str], ...] = ()
    summary: str = ""
    action: str = ""


# -- blocker extractors -------------------------------------------------------------


def _group(name: str) -> Extract:
    def extract(text: str, match: "Match[str]") -> Optional[str]:
        value = match.groupdict().get(name)
        if not value:
            return None
        return reqs.with_version(_unwrapped(reqs.clean_requirement(value), text), text, match.start())

    return extract


def _unwrapped(requirement: Optional[str], text: str) -> Optional[str]:
    """A requirement cut by console wrapping (``tensorflow==1.15.``) completed from pip's verdict line."""
    if not requirement or not re.search(r"[=<>~]", requirement):
        return requirement
    found = re.search(r"No matching distribution found for " + re.escape(requirement) + r"([\w.]+)", text)
    return requirement + found.group(1) if found else requirement


_NOT_NAMES = ("wheel", "wheels", "collected", "installable", "the", "for")
_BUILD_SUBJECT = _rx(
    r"(?:Failed building wheel for|Building wheel for|Running setup\.py install for) (?P<name>[\w.-]+)",
    r"^\s*Building (?P<name>[\w.-]+==[^\s`]+)",
    r"Failed to (?:download and )?build `(?P<name>[^`]+)`",
    r"Could not build wheels for (?P<name>[\w.-]+)",
    r"pip-(?:install|wheel)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)_[0-9a-f]{32}",
    r"pip-(?:install|build)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)[\\/]+setup\.py",
    r"pip-(?:install|build)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)[\\/]+[\w.-]+[\\/]",
    r"(?:Downloading|Using cached|Processing) (?:\S*/)?(?P<name>[A-Za-z][\w.]*?)-\d[\w.+!]*\.(?:tar\.gz|zip|tar\.bz2)",
    r"Discarding \S*/(?P<name>[A-Za-z][\w.]*?)-\d[\w.+!]*\.(?:tar\.gz|zip)",
    r"fail to build package:\s+(?P<name>\S+)",
    r"Failed to fetch wheel: (?P<name>[\w.-]+==[^\s`]+)",
)


def build_subject(text: str, match: "Match[str]") -> Optional[str]:
    """The package whose build failed: the last build/sdist line at or before the error, else the first after."""
    before: List[Tuple[int, str]] = []
    after: List[Tuple[int, str]] = []
    for pattern in _BUILD_SUBJECT:
        for found in pattern.finditer(text):
            name = found.group("name")
            if name.lower() in _NOT_NAMES:
                continue
            (before if found.start() <= match.end() else after).append((found.start(), name))
    if before:
        name, limit = max(before)[1], match.end()
    elif after:
        name, limit = min(after)[1], None
    else:
        return None
    name = re.sub(r"_[0-9a-f]{32}$", "", name)  # pip's build dir: <name>_<hash>
    if re.search(r"[<>~=!]", name):
        return reqs.clean_requirement(name)
    return reqs.with_version(name, text, limit)


def _site_package(text: str, match: "Match[str]") -> Optional[str]:
    """The package a Windows path points into (site-packages or pip's build dir)."""
    span = text[max(0, match.start() - 2000): match.end() + 400]
    for pattern in (r"site-?packages[\\/]+(?P<name>[A-Za-z][\w.-]*)",
                    r"pip-install-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)_[0-9a-f]{32}"):
        found = re.search(pattern, span, re.IGNORECASE)
        if found:
            name = found.group("name").split("-")[0]
            return reqs.with_version(name, text, match.start())
    return None


def _dll_subject(text: str, match: "Match[str]") -> Optional[str]:
    if re.search(r"_?pywrap_tensorflow|tensorflow_core|[\\/]tensorflow[\\/]|\btensorflow\b", text, re.IGNORECASE):
        return "tensorflow"
    found = _site_package(text, match)
    return found.split("==")[0] if found else None


def _ffmpeg_tool(text: str, match: "Match[str]") -> Optional[str]:
    return "ffprobe" if "ffprobe" in match.group(0).lower() or "_probe.py" in match.group(0) else "ffmpeg"


def _pip_version(text: str, match: "Match[str]") -> Optional[str]:
    version = match.groupdict().get("v")
    return f"pip=={version}" if version else "pip"


def _interpreter(text: str, match: "Match[str]") -> Optional[str]:
    raw = match.groupdict().get("py") or match.group(0)
    found = re.search(r"(\d+\.\d+(?:\.\d+)?)", raw)
    return f"Python {found.group(1)}" if found else None


def contested(text: str, match: "Match[str]") -> Optional[str]:
    """In a conflict report, the package most of the clashing requirements are about."""
    area = text[max(0, match.start() - 200): match.end() + 4000]
    names = re.findall(r"(?:depends on|requested|require|requires) ([A-Za-z][\w.-]*?)(?=[<>=!~\s,]|$)",
                       area, re.MULTILINE)
    counts: Dict[str, int] = {}
    for name in names:
        key = reqs.canonical(name)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    order = list(counts)
    return max(order, key=lambda key: (counts[key], -order.index(key)))


# -- checks ---------------------------------------------------------------------------

_IGNORED = re.compile(r"Ignored the following versions that require a different python version: (?P<list>[^\n]*)",
                      re.IGNORECASE)


def _ignored_versions(text: str) -> Tuple[str, ...]:
    found = _IGNORED.search(text)
    if not found:
        return ()
    return tuple(re.findall(r"(?:^|;\s*)([0-9][\w.+!]*) Requires-Python", found.group("list")))


def _pinned_was_ignored(text: str, match: "Match[str]") -> bool:
    """pip ignored exactly the pinned version for its Requires-Python."""
    _, spec = reqs.split_requirement(match.group("req"))
    pinned = reqs.pinned_version(spec)
    if not pinned:
        return False
    return any(reqs.version_key(v) == reqs.version_key(pinned) for v in _ignored_versions(text))


def _range_was_ignored(text: str, match: "Match[str]") -> bool:
    """pip ignored some version that would have satisfied the requirement."""
    _, spec = reqs.split_requirement(match.group("req"))
    return bool(spec) and any(reqs.satisfies(v, spec) for v in _ignored_versions(text))


def _old_pip(text: str, match: "Match[str]") -> bool:
    """pip before 20.3 has neither PEP 600 wheel tags nor the backtracking resolver.

    Before 19.3 it cannot read manylinux2014 wheels at all (tensorflow 2.12.1's);
    pip 20.0.2 also resolved spleeter's numba/llvmlite wrongly (deezer/spleeter#698).
    """
    return reqs.version_key(match.group("v")) < reqs.version_key("20.3")


def _model_download_failed(text: str, match: "Match[str]") -> bool:
    """A model download that was followed by a traceback or an error before any success line."""
    after = text[match.end(): match.end() + 200000]
    success = re.search(r"model file\(s\) extracted|Extracting downloaded", after)
    failure = re.search(r"Traceback \(most recent call last\)|\b\w*(?:Error|Exception|Timeout)\b", after)
    if failure is None:
        return False
    return success is None or failure.start() < success.start()


def _no_versions_listed(text: str, match: "Match[str]") -> bool:
    """Retries only matter when the index then listed nothing: otherwise they were transient."""
    return not re.search(r"\(from versions: (?!none\))[^)]+\)", text)


def _long_windows_path(text: str, match: "Match[str]") -> bool:
    """A Windows path at MAX_PATH (260) or near it (pip's temporary names add a few characters),
    or one the excerpt cut before its closing quote, which only long paths give a reader."""
    path = match.group("path").replace("\\\\", "\\")
    if not re.match(r"^[A-Za-z]:\\", path):
        return False
    return len(path) >= 240 or match.group("end") != "'"


def _single_spec_incompatible(text: str, match: "Match[str]") -> bool:
    """conda names only the package being installed: its builds need another Python."""
    return not _conda_base(text)


def _conda_base(text: str) -> bool:
    """conda tried to keep a whole distribution (the anaconda metapackage, or many packages) in place."""
    specs = re.findall(r"^\s+-\s+([\w.-]+)(?:==\S+)? -> python\[", text, re.MULTILINE)
    return len(specs) >= 3 or any(s.startswith("anaconda") for s in specs)


def _conda_pin(text: str, match: "Match[str]") -> Optional[str]:
    """What holds the environment in place: the anaconda metapackage's pin, else the first package conda names."""
    found = (re.search(r"\banaconda==[\w.]+", text)
             or re.search(r"^\s+-\s+([\w.-]+) -> python\[", text, re.MULTILINE))
    if not found:
        return None
    return found.group(1) if found.groups() else found.group(0)


def _many_versions(text: str, match: "Match[str]") -> bool:
    """pip fetched one package in eight or more versions: it is backtracking."""
    name = reqs.name_pattern(match.group("name"))
    versions = set(re.findall(rf"(?:Using cached|Downloading) (?:\S*/)?{name}-(\d[\w.]*?)(?:-py|-cp|\.tar|\.zip)",
                              text, re.IGNORECASE))
    return len(versions) >= 8


def _first_wheel(text: str, match: "Match[str]") -> Optional[str]:
    """``tensorflow==2.2.0`` from the first wheel file the log names."""
    found = re.search(r"(?<![\w.-])(?P<name>[A-Za-z][\w.]*?)-(?P<v>\d[\w.]*?)-(?:cp\d+|py\d)[\w.-]*\.whl", text)
    return f"{reqs.canonical(found.group('name'))}=={found.group('v')}" if found else None


def _tensorflow_around(text: str, match: "Match[str]") -> bool:
    return bool(re.search(r"tensorflow|_pywrap", text, re.IGNORECASE))


def _spleeter_run(text: str, match: "Match[str]") -> bool:
    return bool(re.search(r"spleeter", text, re.IGNORECASE))


def _wheel_requirement(text: str, match: "Match[str]") -> Optional[str]:
    """``tensorflow_gpu-1.13.1`` (a wheel's name-version) as ``tensorflow-gpu==1.13.1``."""
    return reqs.clean_requirement(match.group("req").replace("-", "==", 1))


def _wheel_python_differs(text: str, match: "Match[str]") -> bool:
    python = context.read_python(text)
    return bool(python) and python != f"{match.group('major')}.{match.group('minor')}"


def _fixed(value: Optional[str]) -> Extract:
    return lambda text, match: value


def _numpy_version(text: str, match: "Match[str]") -> Optional[str]:
    """The NumPy the module met: named in the message, else in the log."""
    found = (re.search(r"cannot be run in\s+NumPy (\d[\w.]*?) as", text)
             or re.search(r"\bnumpy[ =]=?(\d+\.\d+\.\d+)", text, re.IGNORECASE))
    return f"numpy=={found.group(1)}" if found else "numpy"


def _wrong_ffmpeg(text: str, match: "Match[str]") -> Optional[str]:
    found = re.search(r"\bffmpeg-(\d[\w.]*)-py", text)
    return f"ffmpeg=={found.group(1)}" if found else "ffmpeg"


def _tls_host(text: str, match: "Match[str]") -> Optional[str]:
    """The host whose certificate failed: a URL or pip's connection line, else PyPI when pip hit /simple/."""
    found = (re.search(r"https?://([\w.-]+\.[a-z]{2,})[/:\"'\s]", text)
             or re.search(r"HTTPS connection \(\d+\): ([\w.-]+)", text))
    if found:
        return found.group(1)
    if re.search(r"\)': /simple/", text):
        return "pypi.org"
    return None


def _pyenv_version(text: str, match: "Match[str]") -> Optional[str]:
    return f"Python {match.group('py')}"


def _uv_download(text: str, match: "Match[str]") -> Optional[str]:
    found = (re.search(r"Failed to (?:download|fetch wheel:?|build) `?(?P<req>[A-Za-z][^`\s]*==[^`\s]+)", text)
             or re.search(r"Failed to fetch wheel: (?P<req>\S+)", text))
    return reqs.clean_requirement(found.group("req")) if found else None


def _command_name(text: str, match: "Match[str]") -> Optional[str]:
    groups = match.groupdict()
    return (groups.get("tool") or groups.get("ztool") or groups.get("btool") or "").lower() or None


def _not_ffmpeg(text: str, match: "Match[str]") -> bool:
    return match.group("tool").lower() not in ("ffmpeg", "ffprobe")


def _pip_tool(text: str, match: "Match[str]") -> bool:
    return match.group("tool").lower() in ("pip", "pip3", "python", "python3", "py")


def _script_tool(text: str, match: "Match[str]") -> bool:
    if match.groupdict().get("ztool") or match.groupdict().get("btool"):
        tool = match.group("ztool") or match.group("btool")
        return not re.match(r"(?:pip|python|py|ffmpeg|ffprobe|conda|pyenv|uv)\d*(?:\.\d+)?$", tool)
    return _not_ffmpeg(text, match) and not _pip_tool(text, match)


def _windows_without_version(text: str, match: "Match[str]") -> bool:
    """Windows, and the log names no Python version: a 32-bit interpreter is the usual reason TensorFlow
    lists nothing (the other, an unsupported version, would show in the log as the version)."""
    if context.read_python(text) is not None or context.read_bits(text) == 64:
        return False
    return context.read_platform(text) == "windows" or not context.posix_evidence(text)


def _posix_without_bits(text: str, match: "Match[str]") -> bool:
    """Linux or macOS, no sign of a 32-bit system: then no TensorFlow at all means the Python version; so it
    does anywhere on a Python newer than TensorFlow supported for long (3.13 and later)."""
    if context.read_bits(text) == 32:
        return False
    python = context.read_python(text)
    return context.posix_evidence(text) or bool(python and reqs.version_key(python) >= reqs.version_key("3.13"))


def _pinned_older_than_python(text: str, match: "Match[str]") -> bool:
    """A pinned TensorFlow whose newest Python is older than the one the log shows (1.13.1 on 3.8)."""
    python, newest = context.read_python(text), reqs.newest_python(match.group("req"))
    if not python or not newest:
        return False
    return reqs.version_key(python) > reqs.version_key(newest)


def _python_312_or_newer(text: str, match: "Match[str]") -> bool:
    python = context.read_python(text) or context.python_at_least(text)
    if not python:
        return False
    return reqs.version_key(python) >= reqs.version_key("3.12")


def _python_312_or_newer_or_unknown(text: str, match: "Match[str]") -> bool:
    """pip picks spleeter 2.1.0 only where 2.4 is excluded; a log that does not show its Python gets that reading."""
    return _python_312_or_newer(text, match) or not (context.read_python(text) or context.python_at_least(text))


def _python_312_or_newer_or_said(text: str, match: "Match[str]") -> bool:
    return bool(match.groupdict().get("py")) or _python_312_or_newer(text, match)


def _release_older_than_python(text: str, match: "Match[str]") -> bool:
    """The release being built (numpy, llvmlite, numba) is older than the log's Python: it has no wheel there."""
    python = context.read_python(text)
    if not python:
        return False
    candidates = [build_subject(text, match)]
    for name in reqs.NEWEST_PYTHON:
        built = reqs.version_in_log(name, text)
        if built and re.search(rf"{name}-{re.escape(built)}\.(?:tar\.gz|zip)", text):
            candidates.append(f"{name}=={built}")
    newest = [n for n in (reqs.newest_python(c) for c in candidates) if n]
    return bool(newest) and reqs.version_key(python) > reqs.version_key(newest[0])


def _pip_versions_differ(text: str, match: "Match[str]") -> bool:
    """Two ``pip -V`` answers naming different Pythons: ``pip`` and ``python -m pip`` are not the same."""
    pythons = set(re.findall(r"pip \d[\d.]* from \S+ \(python (\d+\.\d+)\)", text))
    return len(pythons) >= 2


# -- the rules ------------------------------------------------------------------------

_REQ = r"(?P<req>[A-Za-z0-9][\w.\-\[\]]*(?:[<>=!~]=?[^\s,()]+(?:,[<>=!~]=?[^\s,()]+)*)?)"

# TensorFlow itself (not tensorflow-io-gcs-filesystem & co.), as pip's verdict names it.
# (pipenv and poetry pass on only pip's first line, "Could not find a version that satisfies the requirement")
_TENSORFLOW_NOT_FOUND = r"(?:No matching distribution found for|satisfies the requirement) (?P<req>tensorflow(?:-(?:gpu|cpu|intel))?(?:[<>=!~]=?[^\s,()]+)?)(?=[\s(]|$)"

# Evidence worth adding when present: the last exception line, uv's hints, pip's verdict.
_EXCEPTION = (re.compile(r"^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Timeout|Unavailable)\b: [^\n]+$", re.MULTILINE),)
# pip's spinner line ends "... error" on a terminal and ": finished with status 'error'" in a pipe.
_ERROR_STATUS = r"(?: \.\.\. |: finished with status ')error"
_PIP_VERDICT = _rx(r"^(?:ERROR: )?No matching distribution found for [^\n]+$")
_CONFLICT_LINES = _rx(r"^\s+The user requested [^\n]+$", r"^\s+\S+ \S+ depends on [^\n]+$")

_PIP_MEMORY = ("pip ran out of memory on a large file (old pips hold the whole download, and its cache copy, in "
               "memory): rerun with --no-cache-dir (`python -m pip install --no-cache-dir ...`), upgrade pip, or add "
               "swap on a small machine.")

RULES: Tuple[Rule, ...] = (
    # interpreter-unavailable
    Rule("uv-no-interpreter", "interpreter-unavailable", 100,
         _rx(r"No interpreter found(?: for (?P<py>[^\n]+?))? in ",
             r"Failed to inspect Python interpreter from [^\n]*?`(?P<py>[^`]+)`",
             r"pyenv: (?P<py>python[\d.]*): command not found",
             r"failed to find interpreter for [^\n]*?python_spec='(?P<py>[^']+)'",
             r"Python interpreter (?P<py>[\d.]+) not found",
             r"No Python at '(?P<py>[^']+)'",
             r"No suitable Python runtime found",
             r"Python was not found; run without arguments to install from the Microsoft Store",
             r"\[harness\] could not start: [^\n]*(?P<py>python[\d.]*(?:\.exe)?)'?$"),
         blocker=_interpreter, summary="no usable interpreter for {blocker}"),
    Rule("uv-no-venv", "interpreter-unavailable", 100,
         _rx(r"No virtual environment found(?: for Python (?P<py>[\d.]+))?",
             r"Failed to locate a virtualenv or Conda environment",
             r"No Python (?:default installation found in virtual environments|interpreters found in system toolchains)"),
         blocker=_fixed(None), summary="uv found no virtual environment to install into"),
    Rule("pyenv-version-missing", "interpreter-unavailable", 100,
         _rx(r"pyenv: version [`'](?P<py>[\d.]+)' is not installed",
             r"pyenv-install: definition not found: (?P<py>[\d.]+)",
             r"python-build: definition not found: (?P<py>[\d.]+)"),
         blocker=_pyenv_version, summary="pyenv has no {blocker}"),
    Rule("python-not-on-path", "interpreter-unavailable", 66,
         _rx(r"'(?P<tool>pip3?|python3?|py)' is not recognized as an internal or external command",
             r"The term '?(?P<tool>pip3?|python3?|py)'? is not recognized as the name of a cmdlet",
             r"(?:^|\s)(?P<tool>pip3?|python3?): command not found"),
         blocker=_command_name, summary="{blocker} is not on PATH"),
    # timeout
    Rule("harness-timeout", "timeout", 95,
         _rx(r"\[harness\] timed out after (?P<secs>[\d.]+) s",
             r"TimeoutExpired: Command [^\n]* timed out after (?P<secs>[\d.]+) seconds"),
         summary="the step did not finish in time"),
    # ssl-certificate: the root cause of both a failed index and a failed model download
    Rule("tls-certificate", "ssl-certificate", 91,
         _rx(r"CERTIFICATE_VERIFY_FAILED",
             r"SSLCertVerificationError",
             r"certificate verify failed",
             r"invalid peer certificate",
             r"self[- ]signed certificate in certificate chain"),
         blocker=_tls_host, also=_EXCEPTION, summary="the TLS certificate of {blocker} could not be verified"),
    # model-download-failed
    Rule("spleeter-model-download", "model-download-failed", 90,
         _rx(r"Downloading model archive (?P<url>\S+)"), check=_model_download_failed,
         also=_EXCEPTION, summary="downloading the spleeter model archive failed"),
    Rule("spleeter-httpx-error", "model-download-failed", 90,
         _rx(r"httpx[\\/]_transports[\\/]default\.py", r"^httpx\.\w+(?:Error|Timeout)\b"), check=_spleeter_run,
         also=_EXCEPTION, summary="spleeter's model download failed (its only network use is the model)"),
    Rule("model-missing", "model-download-failed", 90,
         _rx(r"model provisioning failed",
             r"Couldn't find trained model at",
             r"Can't load save_path when it is None",
             r"Downloaded file is corrupted"),
         summary="the spleeter model is missing or incomplete"),
    # wrong-ffmpeg-package: `pip install ffmpeg` (or python-ffmpeg) instead of ffmpeg-python
    Rule("wrong-ffmpeg-module", "wrong-ffmpeg-package", 89,
         _rx(r"module 'ffmpeg' has no attribute '(?P<attr>\w+)'"),
         blocker=_wrong_ffmpeg, summary="the installed `ffmpeg` module is not ffmpeg-python"),
    # numpy-abi
    Rule("numpy2-abi", "numpy-abi", 87,
         _rx(r"compiled using NumPy 1\.x cannot be run in\s+NumPy (?P<v>[\d.]+)",
             r"_ARRAY_API not found",
             r"numpy\.(?:core|_core)\.(?:multiarray|_multiarray_umath) failed to import",
             r"numpy\.dtype size changed, may indicate binary incompatibility",
             r"`np\.\w+` was removed in the NumPy 2\.0 release",
             r"module compiled against (?:ABI|API) version (?P<built>(?:0x)?[0-9a-f]+) but this version of numpy is "
             r"(?P<have>(?:0x)?[0-9a-f]+)"),
         blocker=_numpy_version, summary="a module built against another NumPy cannot load with {blocker}"),
    # cpu-without-avx
    Rule("cpu-without-avx", "cpu-without-avx", 86,
         _rx(r"compiled to use (?P<isa>AVX\w*|SSE[\d.]+) instructions, but these aren.t available",
             r"DLL load failed[^\n]*initialization routine failed",
             r"A dynamic link library \(DLL\) initialization routine failed",
             r"exit code -1073741795"),
         blocker=_fixed("tensorflow"), summary="this CPU lacks the AVX instructions TensorFlow's wheels need"),
    Rule("illegal-instruction", "cpu-without-avx", 86,
         _rx(r"Illegal instruction"), check=_tensorflow_around,
         blocker=_fixed("tensorflow"), summary="TensorFlow used a CPU instruction (AVX) this CPU lacks"),
    # ffmpeg-missing
    Rule("ffmpeg-not-found", "ffmpeg-missing", 88,
         _rx(r"ffmpeg binary not found",
             r"FFMPEG binary \(ffmpeg\) not found",
             r"FfmpegMissing",
             r"ffmpeg not found on PATH",
             r"No such file or directory: '(?:ffprobe|ffmpeg)(?:\.exe)?'",
             r"'(?:ffmpeg|ffprobe)' is not recognized as an internal or external command",
             r"(?:^|\s)(?:ffmpeg|ffprobe): (?:command )?not found",
             r"\[harness\] could not start: [^\n]*ff(?:mpeg|probe)",
             r"ffmpeg[\\/]_probe\.py\", line \d+, in probe\s*\n\s*p = subprocess\.Popen"),
         blocker=_ffmpeg_tool, summary="{blocker} is not installed or not on PATH"),
    Rule("spleeter-winerror2", "ffmpeg-missing", 52,
         _rx(r"FileNotFoundError: \[WinError 2\]"), check=_spleeter_run,
         blocker=_fixed("ffprobe"), summary="spleeter could not start ffprobe (WinError 2: not on PATH)"),
    Rule("spleeter-model-as-input", "other", 56,
         _rx(r"Loading audio b'(?P<model>spleeter:[\w-]+)'"),
         summary="the model name {blocker} was read as an audio file",
         blocker=lambda text, m: m.group("model"),
         action="spleeter took `{blocker}` for an input file: pass the model with -p (`spleeter separate -p "
                "{blocker} -o output AUDIO`)."),
    Rule("spleeter-usage", "other", 56,
         _rx(r"Error: Missing argument 'FILES\.\.\.'", r"Error: (?:No such option|no such option): -i\b"),
         summary="spleeter's command line was not understood",
         action="spleeter 2.x takes the audio files as arguments and has no -i option any more: run "
                "`spleeter separate -p spleeter:2stems -o output AUDIO_FILE`."),
    Rule("spleeter-ffprobe-error", "ffmpeg-missing", 55,
         _rx(r"ffprobe error \(see stderr output for detail\)", r"An error occurs with ffprobe"),
         blocker=_fixed("ffprobe"), summary="ffprobe failed: missing ffmpeg or an unreadable input",
         action="ffprobe failed on the input: check that ffmpeg is installed and its bin folder is on PATH "
                "(`ffprobe -version` in a new terminal; the ffmpeg-python package alone is not ffmpeg), and that "
                "the input file exists and is audio."),
    # dll-load-failed
    Rule("llvmlite-library", "dll-load-failed", 85,
         _rx(r"Could not (?:find/)?load shared object file:? ?(?:(?:lib)?llvmlite\.(?:dll|so|dylib))?",
             r"Could not find module '[^'\n]*llvmlite\.dll'"),
         check=lambda text, m: "llvmlite" in text.lower(), blocker=_fixed("llvmlite"),
         summary="llvmlite's native library could not be loaded (a broken or mismatched llvmlite install)"),
    Rule("dll-load-failed", "dll-load-failed", 85,
         _rx(r"DLL load failed",
             r"Could not find the DLL\(s\) '(?P<dll>[\w.]+)",
             r"Could not find '(?P<dll>msvcp\d+(?:_\d)?\.dll)'",
             r"self_check\.py\",?\s*line \d+, in preload_check",
             r"Failed to load the native TensorFlow runtime",
             r"\[WinError 126\]",
             r"\[WinError 193\] %1 is not a valid Win32 application",
             r"(?:ImportError|OSError|NotFoundError): (?P<lib>[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file",
             r"mach-o, but wrong architecture|wrong ELF class: ELFCLASS\d+",
             r"DNN library is not found", r"Could not load library (?P<lib>cudnn\w*)",
             r"Loaded runtime CuDNN library: [\d.]+ but source was compiled with"),
         blocker=_dll_subject, summary="a native library of {blocker} could not be loaded"),
    # long-path
    Rule("pip-long-path-hint", "long-path", 80,
         _rx(r"does not have Windows Long Path support enabled", r"enable-long-paths"),
         blocker=_site_package, summary="a file path exceeded Windows' 260-character limit"),
    Rule("pip-long-path-oserror", "long-path", 80,
         _rx(r"Could not install packages due to an (?:OSError|EnvironmentError):\s*\[Errno 2\]\s*"
             r"No such file or directory:\s*'(?P<path>[^'\n]+)(?P<end>'|$)"),
         check=_long_windows_path, blocker=_site_package,
         summary="a file path exceeded Windows' 260-character limit"),
    # python-32-bit: no wheel for a 32-bit interpreter (TensorFlow has none at all)
    Rule("python-32-bit", "python-32-bit", 76,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ,
             r"No matching distribution found for " + _REQ,
             r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*win_amd64\.whl is not a supported wheel on this platform"),
         requires=_rx(context.BITS_32),
         blocker=_wheel_requirement,
         summary="{blocker} has no wheel for a 32-bit Python"),
    Rule("wheel-for-another-python", "python-version-unsupported", 74,
         _rx(r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-cp(?P<major>\d)(?P<minor>\d+)\S*\.whl is not a supported wheel"),
         check=_wheel_python_differs, blocker=_wheel_requirement,
         summary="{blocker}'s wheel is for another Python version than this one"),
    Rule("amd64-wheel-rejected", "python-32-bit", 73,
         _rx(r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*win_amd64\.whl is not a supported wheel on this platform"),
         blocker=_wheel_requirement,
         summary="a 64-bit Windows wheel of {blocker} was rejected: this Python is 32-bit (or another version)"),
    Rule("tensorflow-none-on-windows", "python-32-bit", 41,
         _rx(_TENSORFLOW_NOT_FOUND), requires=_rx(r"\(from versions: ?(?:none)?\)"), check=_windows_without_version,
         blocker=_group("req"), summary="most probable cause: a 32-bit Python (TensorFlow has no 32-bit wheels)"),
    Rule("tensorflow-release-older-than-python", "python-version-unsupported", 42,
         _rx(_TENSORFLOW_NOT_FOUND), check=_pinned_older_than_python,
         blocker=_group("req"), summary="{blocker} has no wheel for a Python as new as this one"),
    Rule("pure-python-none", "python-version-unsupported", 42,
         _rx(r"Could not find a version that satisfies the requirement (?P<req>spleeter(?:-gpu)?)(?:==[\w.]+)? "
             r"\(from versions: ?(?:none)?\)"),
         check=lambda text, m: context.read_bits(text) != 32, blocker=_group("req"),
         summary="no {blocker} release accepts this Python (spleeter ships pure-Python wheels: it is the version)"),
    Rule("none-on-new-python", "python-version-unsupported", 41,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ + r" \(from versions: ?(?:none)?\)"),
         check=lambda text, m: reqs.version_key(context.read_python(text) or "0") >= reqs.version_key("3.13"),
         blocker=_group("req"), summary="no release of {blocker} has wheels for a Python this new"),
    Rule("tensorflow-none-on-posix", "python-version-unsupported", 41,
         _rx(_TENSORFLOW_NOT_FOUND), requires=_rx(r"\(from versions: ?(?:none)?\)"), check=_posix_without_bits,
         blocker=_group("req"), summary="most probable cause: this Python version has no wheels of {blocker}"),
    # python-version-unsupported
    Rule("old-spleeter-for-new-python", "python-version-unsupported", 50,
         _rx(r"spleeter 2\.[0-3]\.\d+ depends on"), check=_python_312_or_newer,
         blocker=_fixed("spleeter"), summary="only spleeter 2.1.0 installs on this Python, and its pins clash"),
    Rule("spleeter-210-installed", "python-version-unsupported", 50,
         _rx(r"spleeter 2\.1\.0 requires [^\n]+, but you have"), check=_python_312_or_newer_or_unknown,
         blocker=_fixed("spleeter==2.1.0"), summary="pip installed spleeter 2.1.0, the only one this Python accepts"),
    Rule("python-guard-in-build", "python-version-unsupported", 76,
         _rx(r"Cannot install on Python version (?P<have>[\d.]+); only versions (?P<spec>[^ ]+) are supported",
             r"in _guard_py_ver\b"),
         blocker=build_subject, also=_EXCEPTION, summary="{blocker} refuses to build on this Python (its setup.py guard)"),
    Rule("distutils-removed", "python-version-unsupported", 76,
         _rx(r"distutils was removed from the standard library in Python (?P<py>3\.\d+)[^\n]*?"
             r"(?:Consider adding a constraint \(like `(?P<constraint>[^`]+)`\))?",
             r"No module named 'distutils'"),
         check=_python_312_or_newer_or_said, blocker=build_subject,
         summary="{blocker} still builds with distutils, which Python 3.12 removed"),
    Rule("release-older-than-python", "python-version-unsupported", 76,
         _rx(r"Getting requirements to build wheel did not run successfully",
             r"Failed to (?:download and )?build `(?:numpy|llvmlite|numba)==",
             r"Failed to fetch wheel: (?:numpy|llvmlite|numba)==",
             r"Failed building wheel for (?:llvmlite|numba)",
             r"Building wheel for (?:numpy|llvmlite|numba) \((?:setup\.py|pyproject\.toml)\)" + _ERROR_STATUS,
             r"pip subprocess to install build dependencies did not run successfully",
             r"Failed building wheel for numpy", r"Could not build wheels for numpy",
             r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + _ERROR_STATUS,
             r"metadata-generation-failed"),
         check=_release_older_than_python, blocker=build_subject,
         summary="{blocker} has no wheel for this Python and its source no longer builds there"),
    Rule("pip-requires-different-python", "python-version-unsupported", 75,
         _rx(r"Package '(?P<req>[^']+)' requires a different Python: (?P<have>[\d.]+) not in '(?P<spec>[^']+)'"),
         blocker=_group("req"), summary="{blocker} does not support this Python"),
    Rule("pip-pinned-requires-python", "python-version-unsupported", 75,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ),
         requires=_rx(r"Ignored the following versions that require a different python version"),
         check=_pinned_was_ignored, blocker=_group("req"),
         summary="{blocker} requires a different Python (Requires-Python)"),
    Rule("uv-abi-tag", "python-version-unsupported", 75,
         _rx(r"Because all versions of (?P<req>\S+) have no wheels with a matching Python ABI tag",
             r"Because (?P<req>\S+) (?:has no wheels with a matching Python ABI tag"
             r"|is unusable because no wheels are available with a matching Python ABI)",
             r"(?<!\S)(?P<req>\S+) has no wheels with a matching Python ABI tag"),
         blocker=_group("req"), also=_rx(r"^hint: You require [^\n]+$"),
         summary="{blocker} has no wheel for this Python version (ABI tag)"),
    Rule("uv-current-python", "python-version-unsupported", 75,
         _rx(r"the current Python version \((?P<have>[^)]+)\) does not satisfy Python(?P<spec>\S+?) "
             r"and (?P<req>\S+?) depends on"),
         check=_not_a_wheel_only_dead_end, blocker=_group("req"), summary="{blocker} does not support this Python"),
    Rule("conda-python-incompatible", "python-version-unsupported", 75,
         _rx(r"incompatible with the existing python installation in your environment:[\s\S]{0,400}?"
             r"-\s+(?P<req>[\w.-]+) -> python\[",
             r"^\s*-\s+(?P<req>[\w.-]+) -> python\[version='[^']+'\]\s*\n\s*Your python: python="),
         check=_single_spec_incompatible, blocker=_group("req"), summary="{blocker} has no build for this Python"),
    # conda-env-conflict: the base environment's pins, not the package, are the obstacle
    Rule("conda-base-environment", "conda-env-conflict", 74,
         _rx(r"incompatible with the existing python installation in your environment:[\s\S]{0,400}?"
             r"-\s+(?P<req>[\w.-]+(?:==\S+)?) -> python\[",
             r"^Package [\w.-]+ conflicts for:",
             r"^\(base\)[^\n]*conda install[\s\S]{0,400}?failed with initial frozen solve"),
         blocker=_conda_pin,
         summary="conda cannot fit the package into the environment's existing pins (base environment)"),
    Rule("conda-package-not-found", "conda-env-conflict", 74,
         _rx(r"^ResolvePackageNotFound:"), blocker=_fixed(None),
         summary="the environment file names conda packages (or exact builds) these channels do not have here"),
    Rule("uv-only-binary", "no-wheel-for-platform", 72,
         _rx(r"Wheels are required for `(?P<req>[^`]+)` because building from source is disabled"),
         blocker=_group("req"), summary="{blocker} has no wheel usable here and source builds are off"),
    Rule("uv-no-distribution-for-platform", "no-wheel-for-platform", 72,
         _rx(r"`?(?P<req>[A-Za-z][\w.-]*(?:==[\w.+!-]+)?)?[^`\n]*`? can't be installed because it doesn't have a source distribution or "
             r"wheel for the current platform"),
         blocker=_group("req"), summary="no wheel or source of {blocker} for this platform and Python"),
    Rule("py3-wheel-rejected", "wrong-interpreter", 73,
         _rx(r"-py3-none-any\.whl is not a supported wheel on this platform"),
         blocker=_fixed("pip"), summary="a pure-Python 3 wheel was rejected: the pip that ran is Python 2's"),
    Rule("uv-platform-tag", "no-wheel-for-platform", 72,
         _rx(r"Because (?P<req>\S+) (?:has no wheels with a matching platform tag"
             r"|is unusable because no wheels are available with a matching platform)",
             r"(?<!\S)(?P<req>\S+) has no wheels with a matching platform tag"),
         blocker=_group("req"), also=_rx(r"^hint: Wheels are available for [^\n]+$"),
         summary="{blocker} has no wheel for this platform"),
    Rule("poetry-no-candidates", "no-wheel-for-platform", 40,
         _rx(r"Unable to find installation candidates for (?P<name>[\w.-]+) \((?P<version>[^)\s]+)\)"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('version')}",
         summary="no file of {blocker} fits this platform (poetry found no candidate)"),
    Rule("uv-windows-hint", "no-wheel-for-platform", 72,
         _rx(r"You're on (?:Windows|macOS|Linux) \(`[\w.]+`\), but `(?P<name>[\w.-]+)` \(v(?P<version>[^)\s]+)\) only "
             r"has wheels for"),
         blocker=lambda text, m: f"{m.group('name')}=={m.group('version')}",
         summary="{blocker} has no wheel for this platform"),
    Rule("pip-unsupported-wheel", "no-wheel-for-platform", 72,
         _rx(r"(?<![\w.-])(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*\.whl is not a supported wheel on this platform"),
         blocker=_wheel_requirement,
         summary="{blocker} is a wheel for another platform"),
    Rule("pip-only-binary", "no-wheel-for-platform", 68,
         _rx(r"No matching distribution found for (?P<req>\S+)"),
         requires=_rx(r"^\$ [^\n]*--only-binary[= ]:all:"),
         blocker=_group("req"), summary="{blocker} has no wheel and only wheels were allowed"),
    # network-or-index
    Rule("uv-http-timeout", "network-or-index", 71,
         _rx(r"Failed to download distribution due to network timeout[^\n]*?(?:\(current value: (?P<secs>\d+)s\))?",
             r"(?:request or response body error|Caused by): operation timed out"),
         blocker=_uv_download, summary="uv's HTTP timeout ran out while downloading {blocker}"),
    Rule("proxy-refused", "network-or-index", 71,
         _rx(r"Tunnel connection failed: (?P<code>\d{3})[^\n']*",
             r"ProxyError\('Cannot connect to proxy",
             r"in _prepare_proxy\b"),
         summary="the proxy refused the connection"),
    Rule("index-unreachable", "network-or-index", 70,
         _rx(r"CondaHTTPError: HTTP \d+ [A-Z ]+ for url <(?P<url>[^>\s]+)>",
             r"Could not fetch URL (?P<url>\S+?):? ",
             r"Max retries exceeded with url",
             r"There was a problem confirming the ssl certificate",
             r"Cannot fetch index base URL",
             r"Could not install packages due to an (?:OSError|EnvironmentError): HTTPS?ConnectionPool",
             r"HTTP error \d{3} while getting",
             r"Failed to fetch:? `?(?P<url>https?://[^\s`]+)",
             r"Request failed after \d+ retries",
             r"error sending request for url \((?P<url>[^)\s]+)\)",
             r"dns error",
             r"tcp connect error",
             r"Could not connect, are you offline\?"),
         also=_PIP_VERDICT, summary="the package index could not be reached"),
    Rule("connection-retries", "network-or-index", 45,
         _rx(r"Retrying \(Retry\(total=\d+[^\n]*?(?:NewConnectionError|ConnectTimeoutError|ReadTimeoutError"
             r"|ProxyError|SSLError|ProtocolError)",
             r"Temporary failure in name resolution",
             r"Name or service not known",
             r"getaddrinfo failed",
             r"Read timed out"),
         check=_no_versions_listed, also=_PIP_VERDICT, summary="connections to the package index failed"),
    # wrong-interpreter: the pip or console script that ran is another Python's
    Rule("pip-of-another-python", "wrong-interpreter", 66,
         _rx(r"No module named '?pip'?[`'\".]*$",
             r"^[`'\"]?pip \d[\d.]* from \S+ \(python \d+\.\d+\)",
             r"(?:^|[\s'`])(?P<tool>pip\d?) -V\s+result"),
         check=lambda text, m: "pip -V" in m.group(0) or "No module named" in m.group(0) or _pip_versions_differ(text, m),
         blocker=_fixed("pip"), summary="the pip that ran belongs to another Python than the one meant"),
    Rule("console-script-other-python", "wrong-interpreter", 66,
         _rx(r"File \"[^\"\n]*[\\/](?:bin|Scripts)[\\/](?P<tool>[\w.-]+?)(?:-script\.py)?\", line \d+[^\n]*\n"
             r"\s+from (?P=tool)\b[^\n]*\n(?:ModuleNotFoundError|ImportError): No module named '(?P=tool)'",
             r"Fatal error in launcher: Unable to create process using [^\n]*[\\/](?P<tool>[\w.-]+?)(?:\.exe)?\""),
         blocker=lambda text, m: m.groupdict().get("tool") or "pip",
         summary="the {blocker} command belongs to another Python than the one it was installed into"),
    Rule("script-not-on-path", "wrong-interpreter", 64,
         _rx(r"'(?P<tool>[\w.-]+)' is not recognized as an internal or external command",
             r"(?:^|\s)(?P<tool>[\w.-]+) :\s+The term '?(?P=tool)'? is not recognized as the name of a cmdlet",
             r"The term '(?P<tool>[\w.-]+)' is not recognized as the name of a cmdlet",
             r"(?:^|\s)(?:zsh|bash|sh|fish): (?:command not found: (?P<ztool>[\w.-]+)|(?P<btool>[\w.-]+): command not found)"),
         check=_script_tool, blocker=_command_name, summary="the {blocker} command is not on PATH"),
    # pip-outdated
    Rule("old-pip-notice", "pip-outdated", 65,
         _rx(r"You are using pip version (?P<v>\d[\d.]*)",
             r"A new release of pip (?:is )?available: (?P<v>\d[\d.]*) ->",
             r"^pip (?P<v>\d[\d.]*) from ",
             r"Found existing installation: pip (?P<v>\d[\d.]*)"),
         check=_old_pip, blocker=_pip_version, summary="{blocker} is too old for today's wheels"),
    Rule("old-pip-wording", "pip-outdated", 50,
         _rx(r"^\s*(?:Could not find a version that satisfies the requirement|No matching distribution found for"
             r"|Could not find any downloads that satisfy the requirement|No distributions at all found for)"),
         blocker=lambda text, m: None, summary="an old pip (before 19.1) could not find a usable wheel",
         action="This pip predates 19.1 (its messages say so) and cannot see today's manylinux wheels: upgrade it "
                "first (the bootstrap strategy: `python -m pip install --upgrade pip`), then install {pack} again."),
    Rule("old-resolver-wording", "pip-outdated", 50,
         _rx(r"has requirement [^\n]+, but you'll have [^\n]+ which is incompatible"),
         blocker=_fixed(None), summary="pip's old (pre-20.3) resolver installed incompatible versions"),
    # permission-denied: pip may not write where it was pointed (a system or all-users Python)
    Rule("externally-managed", "permission-denied", 61,
         _rx(r"error: externally-managed-environment", r"This environment is externally managed"),
         blocker=_fixed("externally-managed-environment"),
         summary="this Python belongs to the OS or Homebrew (PEP 668): pip may not install into it"),
    Rule("user-site-in-venv", "permission-denied", 60,
         _rx(r"Can not perform a '--user' install\. User site-packages are not visible in this virtualenv"),
         blocker=_fixed("--user"), summary="--user was asked for inside a virtual environment"),
    Rule("install-permission-denied", "permission-denied", 60,
         _rx(r"Could not install packages due to an (?:OSError|EnvironmentError):? ?\[(?:Errno 13|WinError 5)\][^\n]*",
             r"(?:OSError|PermissionError): \[Errno 13\] Permission denied: '(?P<path>[^']+)'"),
         summary="pip may not write into this Python's site-packages"),
    # build-backend-missing
    Rule("backend-unavailable", "build-backend-missing", 62,
         _rx(r"BackendUnavailable",
             r"Backend '(?P<backend>[^']+)' is not available",
             r"No module named '(?P<backend>poetry(?:\.core)?(?:\.masonry)?|poetry_core|flit_core|hatchling"
             r"|mesonpy|setuptools\.build_meta|pdm\.backend)'",
             r"doesn't declare it as a build dependency"),
         blocker=build_subject, also=_EXCEPTION, summary="the build backend of {blocker} is not installed"),
    Rule("bdist-wheel-missing", "build-backend-missing", 62,
         _rx(r"error: invalid command 'bdist_wheel'"),
         blocker=build_subject, summary="the wheel package is missing, so {blocker} cannot be built as a wheel",
         action="The wheel package is missing, so setup.py has no bdist_wheel command: install wheel into this "
                "Python (`python -m pip install --upgrade pip setuptools wheel`, or the OS package python3-wheel), then "
                "retry."),
    Rule("setuptools-missing-in-build", "build-backend-missing", 62,
         _rx(r"No module named '(?P<backend>setuptools)'"),
         requires=_rx(r"build_meta|_in_process|build backend|get_requires_for_build|prepare_metadata|setup\.py"),
         blocker=build_subject, summary="setuptools is missing from the build environment of {blocker}"),
    # msvc-build-tools-missing
    Rule("msvc-missing", "msvc-build-tools-missing", 60,
         _rx(r"Microsoft Visual C\+\+ \d+\.\d+(?: or greater)?\s+is\s+required",
             r"Unable to find vcvarsall\.bat",
             r"error: command '[^'\n]*cl\.exe' failed",
             r"Generator\s+Visual Studio [^\n]* could not find any instance of Visual Studio",
             r"ERROR: Unknown compiler\(s\): \[\['icl'\], \['cl'\]"),
         blocker=build_subject, summary="building {blocker} needs the Microsoft C++ Build Tools"),
    Rule("pip-range-requires-python", "python-version-unsupported", 60,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ),
         requires=_rx(r"Ignored the following versions that require a different python version"),
         check=_range_was_ignored, blocker=_group("req"),
         summary="the versions of {blocker} that fit this Python are unusable, the rest need another Python"),
    Rule("uv-requested-python", "python-version-unsupported", 60,
         _rx(r"the requested Python version \((?P<have>[^)]+)\) does not satisfy Python(?P<spec>\S+?) "
             r"and (?P<req>\S+?) depends on"),
         blocker=_group("req"), summary="{blocker} needs a different Python"),
    # metadata-generation-failed
    Rule("metadata-failed", "metadata-generation-failed", 55,
         _rx(r"metadata-generation-failed",
             r"Encountered error while generating package metadata",
             r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + _ERROR_STATUS,
             r"Command \"python setup\.py egg_info\" failed with error code",
             r"python setup\.py egg_info Check the logs for full command output",
             r"Call to `[\w.:]+\.prepare_metadata_for_build_(?:wheel|editable)` failed"),
         blocker=build_subject, also=_EXCEPTION,
         summary="generating the metadata of {blocker} failed (a source build)"),
    # source-build-failed
    Rule("build-failed", "source-build-failed", 50,
         _rx(r"Failed building wheel for (?P<name>[\w.-]+)",
             r"Failed to (?:download and )?build `(?P<name>[^`]+)`",
             r"Could not build wheels for (?P<name>[\w.-]+)",
             r"Failed to build installable wheels for some pyproject\.toml based projects \((?P<name>[^)]+)\)",
             r"error: legacy-install-failure",
             r"Running setup\.py install for (?P<name>[\w.-]+)" + _ERROR_STATUS,
             r"Building wheel for (?P<name>[\w.-]+) \((?:setup\.py|pyproject\.toml)\)" + _ERROR_STATUS,
             r"Could not find a `llvm-config` binary",
             r"Building llvmlite requires LLVM",
             r"llvm-config failed executing",
             r"No such file or directory: 'llvm-config'",
             r"LLVM version\.\.\. Traceback",
             r"ffi[\\/]build\.py\", line \d+, in main_posix",
             r"numpy\.distutils\.system_info\.\w+_info|numpy[\\/]distutils[\\/]system_info\.py",
             r"RuntimeError: Running cythonize failed",
             r"error: command '[^'\n]*(?:gcc|g\+\+|cc|c\+\+|clang)' failed",
             r"fatal error: (?:python[\d.]*/)?Python\.h: No such file or directory"),
         blocker=build_subject, also=_EXCEPTION, summary="building {blocker} from source failed"),
    Rule("subprocess-error", "source-build-failed", 30,
         _rx(r"error: subprocess-exited-with-error", r"ninja: build stopped: subcommand failed"),
         blocker=build_subject, summary="a build step of {blocker} failed"),
    # dependency-conflict
    Rule("scipy-numpy-range", "dependency-conflict", 46,
         _rx(r"A NumPy version >=(?P<low>[\d.]+) and <(?P<high>[\d.]+) is required for this version of SciPy "
             r"\(detected version (?P<have>[\d.]+)"),
         blocker=_fixed("numpy"), summary="the installed NumPy is outside the range the installed SciPy needs",
         action="The installed packages disagree: SciPy wants \"numpy<{high}\" but numpy {have} is installed (a mix of "
                "system and user site-packages does this): install {pack} into a fresh venv, or pin \"numpy<{high}\"."),
    Rule("estimator-newer-than-tensorflow", "dependency-conflict", 48,
         _rx(r"tensorflow_estimator[\\/][^\n]*\n(?:[^\n]*\n){0,12}?AttributeError: module 'tensorflow' has no "
             r"attribute 'compat'"),
         blocker=_fixed("tensorflow-estimator"), summary="tensorflow-estimator is newer than the TensorFlow it runs with",
         action="tensorflow-estimator is newer than this TensorFlow (a 1.x without the tf.compat it expects): install "
                "the tensorflow-estimator of your TensorFlow's version (`python -m pip install \"tensorflow-estimator"
                "==X.Y.*\"` for TensorFlow X.Y), or start over in a fresh environment (conda: `conda create -n "
                "spleeter python=3.10`, then pip install {pack})."),
    Rule("tensorflow-broken-install", "dependency-conflict", 47,
         _rx(r"cannot import name '\w+' from 'tensorflow[\w.]*'",
             r"module 'tensorflow[\w.]*' has no attribute '\w+'"),
         blocker=_fixed("tensorflow"), summary="the TensorFlow in this environment is broken or mixed",
         action="The TensorFlow here is broken or mixed (files of two versions, or a conda and a pip copy in one "
                "environment): reinstall it cleanly in a fresh venv (`python -m pip install --force-reinstall "
                "--no-cache-dir ...`), or install {pack} (it needs TensorFlow 2.12.1) in a new venv."),
    Rule("pkg-resources-version-conflict", "dependency-conflict", 46,
         _rx(r"(?:Contextual)?VersionConflict: \((?P<name>[\w.-]+) (?P<have>[\w.]+) \([^)]*\), "
             r"Requirement\.parse\('(?P<need>[^']+)'\), \{'(?P<by>[\w.-]+)'\}\)"),
         blocker=lambda text, m: m.group("name"), summary="{blocker} is installed in a version another package rejects",
         action="{by} needs {need} but {name} {have} is installed: install the version it needs (`python -m pip install "
                "\"{need}\"`), or a {by} release that accepts {name} {have}."),
    Rule("numpy-alias-removed", "dependency-conflict", 46,
         _rx(r"module 'numpy' has no attribute '(?P<alias>float|int|bool|object|str|long|unicode|complex)'"),
         blocker=_fixed("numpy"),
         summary="numpy 1.24 removed a builtin-type alias (np.float, np.int, ...) this code still uses",
         action="numpy 1.24 removed the np.{alias} alias that this code (or an old dependency, e.g. librosa before "
                "0.10) still uses: pin \"numpy<1.24\" (`python -m pip install \"numpy<1.24\"`), or upgrade the "
                "package that uses it to a release made for current numpy."),
    Rule("ffmpeg-python-error", "other", 20,
         _rx(r"^(?:ffmpeg\._run\.)?Error: ffmpeg error \(see stderr output for detail\)"),
         summary="ffmpeg itself failed; ffmpeg-python only reports that it did",
         action="ffmpeg itself failed and ffmpeg-python only says so: print ffmpeg's own message (run with "
                "capture_stderr=True, catch ffmpeg.Error as e and print e.stderr.decode()), or run the ffmpeg command "
                "by hand - it names the bad input, codec or path."),
    Rule("numba-decorators-removed", "dependency-conflict", 46,
         _rx(r"No module named 'numba\.decorators'"),
         blocker=_fixed("numba"), summary="this librosa (< 0.8) needs numba.decorators, which numba 0.50 removed",
         action="librosa before 0.8 imports numba.decorators, which numba 0.50 removed: pin \"numba<0.50\" "
                "(numba==0.48.0 with llvmlite==0.31.0) next to the old librosa, or upgrade to librosa>=0.8 (or {pack}, "
                "which needs neither)."),
    Rule("numba-llvmlite-mismatch", "dependency-conflict", 46,
         _rx(r"Numba requires at least version (?P<need>[\d.]+) of llvmlite",
             r"unexpected keyword argument 'jitdebug'"),
         blocker=_fixed("llvmlite"), summary="numba and llvmlite versions do not match"),
    Rule("pip-conflict", "dependency-conflict", 45,
         _rx(r"ResolutionImpossible",
             r"because these package versions have conflicting dependencies",
             r"The conflict is caused by:",
             r"UnsatisfiableError",
             r"Found conflicts!"),
         blocker=contested, also=_CONFLICT_LINES, summary="the requirements on {blocker} cannot all be met"),
    Rule("uv-no-solution", "dependency-conflict", 35,
         _rx(r"No solution found when resolving dependencies",
             r"we can conclude that your requirements are unsatisfiable"),
         blocker=contested, also=_rx(r"^\s*And because you require [^\n]+$"),
         summary="the requirements on {blocker} cannot all be met"),
    Rule("poetry-facts", "dependency-conflict", 35,
         _rx(r"^\s*\d+: fact: \S+ \([^)]+\) depends on (?P<name>numpy|tensorflow|librosa|llvmlite|numba) \("),
         blocker=lambda text, m: m.group("name"), summary="the requirements on {blocker} cannot all be met"),
    # resolver-backtracking
    Rule("pip-backtracking", "resolver-backtracking", 44,
         _rx(r"This is taking longer than usual",
             r"pip is looking at multiple versions of [\w.-]+ to determine which version is compatible"),
         summary="pip's resolver is backtracking through many versions"),
    Rule("many-versions-downloaded", "resolver-backtracking", 44,
         _rx(r"^\s*(?:Using cached|Downloading) (?:\S*/)?(?P<name>[A-Za-z][\w.]*?)-\d"), check=_many_versions,
         blocker=lambda text, m: reqs.canonical(m.group("name")),
         summary="pip is fetching one package in version after version (backtracking)"),
    Rule("compiler-killed", "other", 58,
         _rx(r"fatal error: Killed signal terminated program (?:cc1plus|cc1|as|ld)\b",
             r"ld terminated with signal 9"),
         summary="the kernel killed the compiler: the build ran out of memory",
         action="The kernel killed the compiler (out of memory while building from source): build with fewer "
                "parallel jobs (`MAKEFLAGS=-j1`, `CMAKE_BUILD_PARALLEL_LEVEL=1`, `MAX_JOBS=1`), add swap or memory, "
                "or install a prebuilt wheel instead of building."),
    Rule("disk-full", "other", 60,
         _rx(r"\[Errno 28\] No space left on device"),
         summary="the disk pip downloads and unpacks to is full",
         action="The disk is full (Errno 28) - often the temp dir pip unpacks into, or its cache: free space (`df -h` "
                "shows which filesystem), or point TMPDIR (TEMP on Windows) at a bigger disk and add --no-cache-dir."),
    Rule("hash-mismatch", "network-or-index", 69,
         _rx(r"THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE"),
         blocker=_first_wheel, summary="a downloaded file of {blocker} failed its hash check (a broken download)",
         action="The file pip got for {blocker} does not match its published hash: a broken download or a corrupt "
                "cache entry (or a proxy/mirror altering files). Rerun with --no-cache-dir (or `pip cache purge` "
                "first) so it is downloaded again; check the file with sha256sum if it keeps failing."),
    # a crash: with spleeter almost always memory
    Rule("process-crashed", "other", 25,
         _rx(r"Segmentation fault", r"std::bad_alloc", r"\bMemoryError\b", r"^(?:zsh: )?[Kk]illed\b",
             r"Unable to allocate [\d.]+ [GMK]iB"),
         summary="the process crashed (out of memory, most likely)",
         action="The process was killed or crashed while separating: with spleeter that is almost always memory "
                "(5stems wants about 8 GB). Separate shorter pieces (`--duration 120` / `-d 120`), use the 2stems "
                "model, or run on a machine with more RAM."),
    Rule("pip-memory-error", "other", 26,
         _rx(r"\bMemoryError\b"), requires=_rx(r"pip[\\/](?:_internal[\\/])?(?:basecommand|cli|commands|req|download)"),
         summary="pip ran out of memory on a large download",
         action=_PIP_MEMORY),
    Rule("pip-crash-after-large-download", "other", 13,
         _rx(r"Downloading [^\n]*\((?P<size>\d{3,})(?:\.\d+)? ?MB\)[^\n]*(?:\n[^\n]*){0,2}?(?:ERROR: )?Exception:"),
         check=lambda text, m: int(m.group("size")) >= 300,
         summary="most probable cause: pip ran out of memory on a very large download",
         action=_PIP_MEMORY),
    Rule("distribution-not-found", "other", 24,
         _rx(r"DistributionNotFound: The '(?P<req>[^']+)' distribution was not found and is required by (?P<by>\S+)"),
         blocker=_group("req"), summary="{blocker} is missing from this environment",
         action="{blocker} is required but not installed in this interpreter: install it there (`python -m pip "
                "install \"{blocker}\"`) or reinstall the package that needs it in a fresh venv ({pack})."),
    # an import name asked for as a distribution name (or the reverse): pip cannot find it under that name
    Rule("import-name-not-on-pypi", "other", 66,
         _rx(r"(?:Could not find a version that satisfies the requirement|No matching distribution found for) "
             r"(?P<req>win32com|win32api|pywintypes|cv2|sklearn|PIL|yaml|skimage)\b",
             r"No module named '(?P<req>win32com|win32api|pywintypes)(?:\.\w+)?'"),
         blocker=lambda text, m: m.group("req"), summary="{blocker} is an import name, not the PyPI package's name",
         action="`{blocker}` is the name you import, not the one to install: install {dist} instead "
                "(`python -m pip install {dist}`){pyttsx}."),
    Rule("pyttsx3-driver-import", "other", 23,
         _rx(r"pyttsx3[\\/]driver\.py\", line \d+, in __init__\s*\n[>\s]*self\._module = importlib\.import_module"),
         summary="pyttsx3 could not load its platform speech driver",
         action="pyttsx3 could not load its speech driver: on Windows it needs pywin32 (`python -m pip install "
                "pywin32`), on Linux the espeak package (`sudo apt-get install espeak libespeak1`)."),
    # best guesses: nothing above matched, but the log still points somewhere
    Rule("guess-32-bit", "python-32-bit", 12,
         _rx(context.BITS_32),
         summary="most probable cause: a 32-bit Python (no TensorFlow wheels exist for it)"),
    Rule("module-not-installed", "other", 15,
         _rx(r"(?:ModuleNotFoundError|ImportError): No module named '?(?P<mod>[A-Za-z_]\w*)(?:\.[\w.]+)?'?"),
         blocker=lambda text, m: m.group("mod"), summary="the module {blocker} is not installed where the code runs"),
    Rule("pyttsx3-loop-running", "other", 23,
         _rx(r"RuntimeError: run loop already started"),
         summary="pyttsx3's event loop was started twice",
         action="pyttsx3's runAndWait() was called while its event loop was already running (a second call from a "
                "callback, thread or notebook cell): call runAndWait() once per batch of say() calls, from one thread, "
                "or end the running loop first (engine.endLoop() / engine.stop())."),
    Rule("cudart-warning-only", "other", 8,
         _rx(r"Ignore above cudart dlerror if you do not have a GPU set up on your machine"),
         summary="only TensorFlow's warning that no CUDA runtime was found",
         action="This is only TensorFlow's warning that it found no CUDA runtime: harmless without a GPU (TensorFlow "
                "runs on the CPU - ignore it). To use a GPU, install the CUDA and cuDNN versions this TensorFlow was "
                "built with and put their bin folder on PATH."),
    Rule("guess-illegal-instruction", "cpu-without-avx", 14,
         _rx(r"Illegal instruction"), blocker=_fixed("tensorflow"),
         summary="most probable cause: a prebuilt binary (TensorFlow's) uses AVX, which this CPU lacks",
         action="`Illegal instruction` from prebuilt ML binaries almost always means the CPU lacks AVX (TensorFlow's "
                "wheels since 1.6 and most images built on them need it): check the CPU flags (`grep -o -w -m1 avx "
                "/proc/cpuinfo`), and run on a CPU with AVX or use a build without it (TensorFlow 1.5 or older, or a "
                "community no-AVX build)."),
    Rule("guess-no-build-isolation", "build-backend-missing", 11,
         _rx(r"--no-build-isolation|--no-isolation"),
         summary="most probable cause: the build backend is missing under --no-build-isolation"),
    Rule("guess-tensorflow-import", "dependency-conflict", 9,
         _rx(r"tensorflow[\\/]__init__\.py\", line \d+, in <modul"),
         blocker=_fixed("tensorflow"), summary="most probable cause: importing TensorFlow failed (a broken install)",
         action="Importing TensorFlow failed inside its own package: reinstall it cleanly in a fresh venv "
                "(`python -m pip install --force-reinstall --no-cache-dir tensorflow`), or install {pack} in a new "
                "venv; if the error names a DLL or a .so file, that library is what is missing."),
    Rule("guess-spleeter-210-fallback", "metadata-generation-failed", 8,
         _rx(r"Collecting numpy<1\.19\.0,>=1\.16\.0 \(from spleeter\)"),
         blocker=_fixed("numpy<1.19.0,>=1.16.0"),
         summary="most probable cause: pip fell back to spleeter 2.1.0, whose numpy<1.19 no longer builds"),
    Rule("guess-tensorflow-native", "dll-load-failed", 10,
         _rx(r"pywrap_tensorflow"),
         blocker=_fixed("tensorflow"), summary="most probable cause: TensorFlow's native library did not load"),
    Rule("pip-installed-conflict", "dependency-conflict", 20,
         _rx(r"pip's dependency resolver does not currently take into account all the packages that are installed",
             r"^\S+ [\w.]+ requires [^\n]+, but you have [^\n]+ which is incompatible"),
         blocker=contested, summary="installed packages disagree about {blocker}"),
    # no-wheel-for-platform (the generic form: nothing more specific matched)
    Rule("ignored-for-python", "python-version-unsupported", 39,
         _rx(r"Ignored the following versions that require a different python version: (?P<list>[^\n]+)"),
         summary="most probable cause: the releases that would fit need another Python"),
    Rule("no-matching-distribution", "no-wheel-for-platform", 40,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ,
             r"No matching distribution found for " + _REQ),
         blocker=_group("req"), summary="no distribution of {blocker} fits this Python and platform"),
)
