"""The diagnosis rules, as data: what a failure looks like in a pip, uv or spleeter log.

Each :class:`Rule` names a category, the patterns that show it, a priority and,
optionally, a check on the match and a way to read the blocker from it.
Priorities encode cause and effect, so that the root cause wins over the
errors it leads to, whichever comes last in the log:

====  ===========================================================
 100  the interpreter is missing (nothing else could even start)
  95  the harness killed the step (timeout)
  90  spleeter could not fetch its model (88: ffmpeg missing, 85: a DLL)
  80  Windows long paths
  75  the pinned version excludes this Python (Requires-Python, ABI tag)
  72  only wheels were allowed and there is none (uv says so)
  70  the index could not be reached
  68  only wheels were allowed (pip's command line says so) and none matched
  65  pip is too old to see today's wheels
  62  the build backend itself is missing
  60  no MSVC; a range requirement with Python-excluded versions
  55  metadata generation failed; spleeter's "ffprobe error" warning
  50  a source build failed; pip's pre-19.1 wording (old pip)
  45  pip's resolver found a conflict; connection retries
  40  no matching distribution at all
  35  uv found no solution (its generic header)
  30  a build subprocess failed (pip's generic line)
  20  pip's warning that installed packages disagree
====  ===========================================================
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Match, Optional, Pattern, Tuple

from harness.diagnose import reqs

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
        return reqs.with_version(reqs.clean_requirement(value), text, match.start()) if value else None

    return extract


_NOT_NAMES = ("wheel", "wheels", "collected", "installable", "the", "for")
_BUILD_SUBJECT = _rx(
    r"(?:Failed building wheel for|Building wheel for|Running setup\.py install for) (?P<name>[\w.-]+)",
    r"^\s*Building (?P<name>[\w.-]+==[^\s`]+)",
    r"Failed to (?:download and )?build `(?P<name>[^`]+)`",
    r"Could not build wheels for (?P<name>[\w.-]+)",
    r"pip-(?:install|wheel)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)_[0-9a-f]{32}",
    r"pip-(?:install|build)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)[\\/]+setup\.py",
    r"(?:Downloading|Using cached|Processing) (?:\S*/)?(?P<name>[A-Za-z][\w.]*?)-\d[\w.+!]*\.(?:tar\.gz|zip|tar\.bz2)",
    r"Discarding \S*/(?P<name>[A-Za-z][\w.]*?)-\d[\w.+!]*\.(?:tar\.gz|zip)",
    r"fail to build package:\s+(?P<name>\S+)",
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
    if re.search(r"_?pywrap_tensorflow|tensorflow_core|[\\/]tensorflow[\\/]", text, re.IGNORECASE):
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
    return bool(pinned) and any(reqs.version_key(v) == reqs.version_key(pinned) for v in _ignored_versions(text))


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


def _long_windows_path(text: str, match: "Match[str]") -> bool:
    """A Windows path at MAX_PATH (260) or near it: pip's temporary names add a few characters."""
    path = match.group("path").replace("\\\\", "\\")
    return bool(re.match(r"^[A-Za-z]:\\", path)) and len(path) >= 240


def _model_download_failed(text: str, match: "Match[str]") -> bool:
    """A model download that was followed by a traceback or an error before any success line."""
    after = text[match.end(): match.end() + 200000]
    success = re.search(r"model file\(s\) extracted|Extracting downloaded", after)
    failure = re.search(r"Traceback \(most recent call last\)|\b\w*(?:Error|Exception|Timeout)\b", after)
    return bool(failure) and (not success or failure.start() < success.start())


def _no_versions_listed(text: str, match: "Match[str]") -> bool:
    """Retries only matter when the index then listed nothing: otherwise they were transient."""
    return not re.search(r"\(from versions: (?!none\))[^)]+\)", text)


# -- the rules ------------------------------------------------------------------------

_REQ = r"(?P<req>[A-Za-z0-9][\w.\-\[\]]*(?:[<>=!~]=?[^\s,()]+(?:,[<>=!~]=?[^\s,()]+)*)?)"

# Evidence worth adding when present: the last exception line, uv's hints, pip's verdict.
_EXCEPTION = (re.compile(r"^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Timeout|Unavailable)\b: [^\n]+$", re.MULTILINE),)
# pip's spinner line ends "... error" on a terminal and ": finished with status 'error'" in a pipe.
_ERROR_STATUS = r"(?: \.\.\. |: finished with status ')error"
_PIP_VERDICT = _rx(r"^(?:ERROR: )?No matching distribution found for [^\n]+$")
_CONFLICT_LINES = _rx(r"^\s+The user requested [^\n]+$", r"^\s+\S+ \S+ depends on [^\n]+$")

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
    # timeout
    Rule("harness-timeout", "timeout", 95,
         _rx(r"\[harness\] timed out after (?P<secs>[\d.]+) s",
             r"TimeoutExpired: Command [^\n]* timed out after (?P<secs>[\d.]+) seconds"),
         summary="the step did not finish in time"),
    # model-download-failed
    Rule("spleeter-model-download", "model-download-failed", 90,
         _rx(r"Downloading model archive (?P<url>\S+)"), check=_model_download_failed,
         also=_EXCEPTION, summary="downloading the spleeter model archive failed"),
    Rule("model-missing", "model-download-failed", 90,
         _rx(r"model provisioning failed",
             r"Couldn't find trained model at",
             r"Can't load save_path when it is None",
             r"Downloaded file is corrupted"),
         summary="the spleeter model is missing or incomplete"),
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
    Rule("spleeter-ffprobe-error", "ffmpeg-missing", 55,
         _rx(r"ffprobe error \(see stderr output for detail\)"),
         blocker=_ffmpeg_tool, summary="ffprobe failed: missing ffmpeg or an unreadable input",
         action="ffprobe failed on the input: check that ffprobe runs (`ffprobe -version`) and that the input "
                "file exists and is audio; install ffmpeg if it does not run."),
    # dll-load-failed
    Rule("dll-load-failed", "dll-load-failed", 85,
         _rx(r"DLL load failed",
             r"Failed to load the native TensorFlow runtime",
             r"\[WinError 126\]",
             r"\[WinError 193\] %1 is not a valid Win32 application",
             r"ImportError: [\w.+-]+\.so(?:\.\d+)*: cannot open shared object file"),
         blocker=_dll_subject, summary="a native library of {blocker} could not be loaded"),
    # long-path
    Rule("pip-long-path-hint", "long-path", 80,
         _rx(r"does not have Windows Long Path support enabled", r"enable-long-paths"),
         blocker=_site_package, summary="a file path exceeded Windows' 260-character limit"),
    Rule("pip-long-path-oserror", "long-path", 80,
         _rx(r"Could not install packages due to an (?:OSError|EnvironmentError):\s*\[Errno 2\]\s*"
             r"No such file or directory:\s*'(?P<path>[^'\n]+)'"),
         check=_long_windows_path, blocker=_site_package,
         summary="a file path exceeded Windows' 260-character limit"),
    # python-version-unsupported
    Rule("pip-requires-different-python", "python-version-unsupported", 75,
         _rx(r"Package '(?P<req>[^']+)' requires a different Python: (?P<have>[\d.]+) not in '(?P<spec>[^']+)'"),
         blocker=_group("req"), summary="{blocker} does not support this Python"),
    Rule("pip-pinned-requires-python", "python-version-unsupported", 75,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ),
         requires=_rx(r"Ignored the following versions that require a different python version"),
         check=_pinned_was_ignored, blocker=_group("req"),
         summary="{blocker} requires a different Python (Requires-Python)"),
    Rule("uv-abi-tag", "python-version-unsupported", 75,
         _rx(r"Because (?P<req>\S+) (?:has no wheels with a matching Python ABI tag"
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
             r"-\s+(?P<req>[\w.-]+) -> python\["),
         blocker=_group("req"), summary="{blocker} has no build for this Python"),
    Rule("uv-only-binary", "no-wheel-for-platform", 72,
         _rx(r"Wheels are required for `(?P<req>[^`]+)` because building from source is disabled"),
         blocker=_group("req"), summary="{blocker} has no wheel usable here and source builds are off"),
    Rule("uv-platform-tag", "no-wheel-for-platform", 72,
         _rx(r"Because (?P<req>\S+) (?:has no wheels with a matching platform tag"
             r"|is unusable because no wheels are available with a matching platform)",
             r"(?<!\S)(?P<req>\S+) has no wheels with a matching platform tag"),
         blocker=_group("req"), also=_rx(r"^hint: Wheels are available for [^\n]+$"),
         summary="{blocker} has no wheel for this platform"),
    Rule("pip-unsupported-wheel", "no-wheel-for-platform", 72,
         _rx(r"(?<![\w.-])(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*\.whl is not a supported wheel on this platform"),
         blocker=lambda text, m: reqs.clean_requirement(m.group("req").replace("-", "==", 1)),
         summary="{blocker} is a wheel for another platform"),
    Rule("pip-only-binary", "no-wheel-for-platform", 68,
         _rx(r"No matching distribution found for (?P<req>\S+)"),
         requires=_rx(r"^\$ [^\n]*--only-binary[= ]:all:"),
         blocker=_group("req"), summary="{blocker} has no wheel and only wheels were allowed"),
    # network-or-index
    Rule("index-unreachable", "network-or-index", 70,
         _rx(r"Could not fetch URL (?P<url>\S+?):? ",
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
             r"Could not connect, are you offline\?",
             r"invalid peer certificate"),
         also=_PIP_VERDICT, summary="the package index could not be reached"),
    Rule("connection-retries", "network-or-index", 45,
         _rx(r"Retrying \(Retry\(total=\d+[^\n]*?(?:NewConnectionError|ConnectTimeoutError|ReadTimeoutError"
             r"|ProxyError|SSLError|ProtocolError)",
             r"Temporary failure in name resolution",
             r"Name or service not known",
             r"getaddrinfo failed",
             r"Read timed out"),
         check=_no_versions_listed, also=_PIP_VERDICT, summary="connections to the package index failed"),
    # pip-outdated
    Rule("old-pip-notice", "pip-outdated", 65,
         _rx(r"You are using pip version (?P<v>\d[\d.]*)",
             r"A new release of pip (?:is )?available: (?P<v>\d[\d.]*) ->",
             r"^pip (?P<v>\d[\d.]*) from "),
         check=_old_pip, blocker=_pip_version, summary="{blocker} is too old for today's wheels"),
    Rule("old-pip-wording", "pip-outdated", 50,
         _rx(r"^\s*(?:Could not find a version that satisfies the requirement|No matching distribution found for"
             r"|Could not find any downloads that satisfy the requirement|No distributions at all found for)"),
         blocker=lambda text, m: None, summary="an old pip (before 19.1) could not find a usable wheel",
         action="This pip predates 19.1 (its messages say so) and cannot see today's manylinux wheels: upgrade it "
                "first (the bootstrap strategy: `python -m pip install --upgrade pip`), then install {pack} again."),
    # build-backend-missing
    Rule("backend-unavailable", "build-backend-missing", 62,
         _rx(r"BackendUnavailable",
             r"Backend '(?P<backend>[^']+)' is not available",
             r"No module named '(?P<backend>poetry(?:\.core)?(?:\.masonry)?|poetry_core|flit_core|hatchling"
             r"|mesonpy|setuptools\.build_meta|pdm\.backend)'",
             r"doesn't declare it as a build dependency"),
         blocker=build_subject, also=_EXCEPTION, summary="the build backend of {blocker} is not installed"),
    Rule("setuptools-missing-in-build", "build-backend-missing", 62,
         _rx(r"No module named '(?P<backend>setuptools)'"),
         requires=_rx(r"build_meta|_in_process|build backend|get_requires_for_build|prepare_metadata|setup\.py"),
         blocker=build_subject, summary="setuptools is missing from the build environment of {blocker}"),
    # msvc-build-tools-missing
    Rule("msvc-missing", "msvc-build-tools-missing", 60,
         _rx(r"Microsoft Visual C\+\+ \d+\.\d+(?: or greater)?\s+is\s+required",
             r"Unable to find vcvarsall\.bat",
             r"error: command '[^'\n]*cl\.exe' failed",
             r"Generator\s+Visual Studio [^\n]* could not find any instance of Visual Studio"),
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
             r"RuntimeError: Running cythonize failed",
             r"error: command '[^'\n]*(?:gcc|g\+\+|cc|c\+\+|clang)' failed"),
         blocker=build_subject, also=_EXCEPTION, summary="building {blocker} from source failed"),
    Rule("subprocess-error", "source-build-failed", 30,
         _rx(r"error: subprocess-exited-with-error", r"ninja: build stopped: subcommand failed"),
         blocker=build_subject, summary="a build step of {blocker} failed"),
    # dependency-conflict
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
    Rule("pip-installed-conflict", "dependency-conflict", 20,
         _rx(r"pip's dependency resolver does not currently take into account all the packages that are installed"),
         blocker=contested, summary="installed packages disagree about {blocker}"),
    # no-wheel-for-platform (the generic form: nothing more specific matched)
    Rule("no-matching-distribution", "no-wheel-for-platform", 40,
         _rx(r"Could not find a version that satisfies the requirement " + _REQ,
             r"No matching distribution found for " + _REQ),
         blocker=_group("req"), summary="no distribution of {blocker} fits this Python and platform"),
)
