"""Blocker extractors: from a rule's match to the package (or tool, or interpreter) that blocks."""
from __future__ import annotations

import re
from typing import Dict, List, Match, Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.rules.base import Extract, rx


def group(name: str) -> Extract:
    def extract(text: str, match: "Match[str]") -> Optional[str]:
        value = match.groupdict().get(name)
        if not value:
            return None
        return reqs.with_version(unwrapped(reqs.clean_requirement(value), text), text, match.start())

    return extract


def path_group(name: str) -> Extract:
    """A file path as the log wrote it (``group`` would read ``C:\\...`` as a requirement named ``c``)."""
    def extract(text: str, match: "Match[str]") -> Optional[str]:
        value = (match.groupdict().get(name) or "").strip()
        return value or None

    return extract


def unwrapped(requirement: Optional[str], text: str) -> Optional[str]:
    """A requirement cut by console wrapping (``tensorflow==1.15.``) completed from pip's verdict line."""
    if not requirement or not re.search(r"[=<>~]", requirement):
        return requirement
    found = re.search(r"No matching distribution found for " + re.escape(requirement) + r"([\w.]+)", text)
    return requirement + found.group(1) if found else requirement


NOT_NAMES = ("wheel", "wheels", "collected", "installable", "the", "for")


BUILD_SUBJECT = rx(
    r"(?:Failed building wheel for|Building wheel for|Running setup\.py (?:install|develop) for) (?P<name>[\w.-]+)",
    r"^\s*Building (?P<name>[\w.-]+==[^\s`]+)",
    r"Failed to (?:download and )?build:? `(?P<name>[^`]+)`",
    r"Could not build wheels for (?P<name>[\w.-]+)",
    r"pip-(?:install|wheel)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)_[0-9a-f]{32}",
    r"pip-(?:install|build)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)[\\/]+setup\.py",
    r"pip-(?:install|build)-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)[\\/]+[\w.-]+[\\/]",
    r"(?:Downloading|Using cached|Processing) (?:\S*/)?(?P<name>[A-Za-z][\w.-]*?)-\d[\w.+!]*\.(?:tar\.gz|zip|tar\.bz2)",
    r"Discarding \S*/(?P<name>[A-Za-z][\w.]*?)-\d[\w.+!]*\.(?:tar\.gz|zip)",
    r"fail to build package:\s+(?P<name>\S+)",
    r"Failed to build '(?P<name>[\w.-]+)' when",
    r"Failed to fetch wheel: (?P<name>[\w.-]+==[^\s`]+)",
)
# last resort, when no build line names it: the one package the command line installs (`uv pip install X`)
COMMAND_SUBJECT = rx(r"^[^\n]*?\b(?:pip3? install|uv add) (?P<name>[A-Za-z][\w.-]*(?:==[\w.]+)?) *$")


def build_subject(text: str, match: "Match[str]") -> Optional[str]:
    """The package whose build failed: the last build/sdist line at or before the error, else the first after."""
    before: List[Tuple[int, str]] = []
    after: List[Tuple[int, str]] = []
    for pattern in BUILD_SUBJECT:
        for found in pattern.finditer(text):
            name = found.group("name")
            if name.lower() in NOT_NAMES:
                continue
            (before if found.start() <= match.end() else after).append((found.start(), name))
    if before:
        name, limit = max(before)[1], match.end()
    elif after:
        name, limit = min(after)[1], None
    else:
        command = [found.group("name") for found in COMMAND_SUBJECT[0].finditer(text)
                   if found.group("name").lower() not in NOT_NAMES + ("pip", "setuptools")]
        if len(set(command)) != 1:
            return None
        name, limit = command[0], None
    name = re.sub(r"_[0-9a-f]{32}$", "", name)  # pip's build dir: <name>_<hash>
    if re.search(r"[<>~=!]", name):
        return reqs.clean_requirement(name)
    return reqs.with_version(name, text, limit)


# numpy's own setup.py, when it is older than the Python building it
NUMPY_PYTHON_WARNING = re.compile(r"NumPy (\d+\.\d+\.\d+) may not yet support Python (3\.\d+)")


def rust_subject(text: str, match: "Match[str]") -> Optional[str]:
    """The package whose Rust code failed to compile: the build pip names, else the crate rustc's error points into
    (``--> tokenizers-lib/src/...`` is tokenizers'), else cargo's crate."""
    crate = re.search(r"-->\s+(?:\.\./)*([A-Za-z][\w-]*?)(?:-lib)?[\\/]src[\\/]", text)
    return build_subject(text, match) or (crate.group(1) if crate else match.groupdict().get("crate"))


def built_release(text: str, match: "Match[str]") -> Optional[str]:
    """The package being built, or, in an excerpt that starts inside numpy's own build, the numpy it warns of."""
    warned = NUMPY_PYTHON_WARNING.search(text)
    return build_subject(text, match) or (f"numpy=={warned.group(1)}" if warned else None)


def site_package(text: str, match: "Match[str]") -> Optional[str]:
    """The package a Windows path points into (site-packages or pip's build dir)."""
    span = text[max(0, match.start() - 2000): match.end() + 400]
    for pattern in (r"site-?packages[\\/]+(?P<name>[A-Za-z][\w.-]*)",
                    r"pip-install-\w+[\\/]+(?P<name>[A-Za-z][\w.-]*?)_[0-9a-f]{32}"):
        found = re.search(pattern, span, re.IGNORECASE)
        if found:
            name = found.group("name")
            if not pattern.startswith("pip-install"):
                name = name.split("-")[0]  # site-packages: numpy-1.26.4.dist-info
                name = re.sub(r"\.py[cd]?$", "", name)  # a one-file module: site-packages\soundfile.py
            return reqs.with_version(name, text, match.start())
    return None


def c_source_package(text: str, match: "Match[str]") -> Optional[str]:
    """The package whose C source the compiler error is in (MSVC's ``numpy\\random\\mtrand.c(40475): error``,
    gcc's ``aiohttp/_websocket.c:3042:53: error``), else the package being built."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    found = re.match(r"\s*(?:[A-Za-z]:)?[\\/]?(?:[^\s\\/]+[\\/])*?(?P<name>[A-Za-z_]\w*)[\\/][^\s]*?\.c(?:pp)?"
                     r"(?:\(\d+\)|:\d+:\d+:)",  # (MSVC's file.c(40475), gcc's file.c:3042:53:)
                     text[line_start:match.start()])
    return found.group("name") if found and found.group("name").lower() not in ("src", "build", "temp") else \
        build_subject(text, match)


def dll_subject(text: str, match: "Match[str]") -> Optional[str]:
    if re.search(r"_?pywrap_tensorflow|tensorflow_core|[\\/]tensorflow[\\/]|\btensorflow\b", text, re.IGNORECASE):
        return "tensorflow"
    # the traceback's last frame inside an installed package before the error: the package whose import failed
    # (an earlier frame is the caller that imported it, e.g. pymc3 importing h5py)
    before = text[max(0, match.start() - 2000): match.start()]
    frames = re.findall(r"site-?packages[\\/]+([A-Za-z][\w.-]*?)(?:-[\d.]+\.dist-info)?[\\/]", before, re.IGNORECASE)
    if frames:
        return str(frames[-1])
    found = site_package(text, match)
    return found.split("==")[0] if found else None


def ffmpeg_tool(text: str, match: "Match[str]") -> Optional[str]:
    return "ffprobe" if "ffprobe" in match.group(0).lower() or "_probe.py" in match.group(0) else "ffmpeg"


def pip_version(text: str, match: "Match[str]") -> Optional[str]:
    version = match.groupdict().get("v")
    return f"pip=={version}" if version else "pip"


def interpreter_named(text: str, match: "Match[str]") -> Optional[str]:
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


def conda_pin(text: str, match: "Match[str]") -> Optional[str]:
    """What holds the environment in place: the anaconda metapackage's pin, else the first package conda names."""
    found = (re.search(r"\banaconda==[\w.]+", text)
             or re.search(r"^\s*(?:-\s+)?([\w.-]+)(?:==?\S+)? -> python\[", text, re.MULTILINE))
    if not found:
        return None
    return found.group(1) if found.groups() else found.group(0)


def first_wheel(text: str, match: "Match[str]") -> Optional[str]:
    """``tensorflow==2.2.0`` from the first wheel file the log names."""
    found = re.search(r"(?<![\w.-])(?P<name>[A-Za-z][\w.]*?)-(?P<v>\d[\w.]*?)-(?:cp\d+|py\d)[\w.-]*\.whl", text)
    return f"{reqs.canonical(found.group('name'))}=={found.group('v')}" if found else None


def wheel_requirement(text: str, match: "Match[str]") -> Optional[str]:
    """``tensorflow_gpu-1.13.1`` (a wheel's name-version) as ``tensorflow-gpu==1.13.1``."""
    return reqs.clean_requirement(match.group("req").replace("-", "==", 1))


def downloaded_file(text: str, match: "Match[str]") -> Optional[str]:
    """The file a download line names: a wheel as ``torch==2.6.0``, anything else as its file name."""
    name = match.group("file").rsplit("/", 1)[-1]
    wheel = re.match(r"([A-Za-z][\w.]*?)-(\d[\w.!+]*?)-(?:cp|py|pp)\d", name)
    return f"{reqs.canonical(wheel.group(1))}=={wheel.group(2)}" if wheel else name


def split_blocker(text: str, match: "Match[str]") -> Optional[str]:
    """In uv's report on one split of its universal lock, the package that has no solution there: the one with no
    fitting wheel or release, else the dependency of the project it names."""
    area = match.group(0)
    found = (re.search(r"Because ([A-Za-z][\w.-]*)==\S+ has no wheels", area)
             or re.search(r"your project depends on ([A-Za-z][\w.\[\]-]*)", area)
             or re.search(r"Because ([A-Za-z][\w.-]*)(?:[<>=!~]|\s+was not found)", area))
    return found.group(1) if found else None


def fixed(value: Optional[str]) -> Extract:
    return lambda text, match: value


def numpy_version(text: str, match: "Match[str]") -> Optional[str]:
    """The NumPy the module met: named in the message, else in the log."""
    found = (re.search(r"cannot be run in\s+NumPy (\d[\w.]*?) as", text)
             or re.search(r"\bnumpy[ =]=?(\d+\.\d+\.\d+)", text, re.IGNORECASE))
    return f"numpy=={found.group(1)}" if found else "numpy"


def wrong_ffmpeg(text: str, match: "Match[str]") -> Optional[str]:
    found = re.search(r"\bffmpeg-(\d[\w.]*)-py", text)
    return f"ffmpeg=={found.group(1)}" if found else "ffmpeg"


def tls_host(text: str, match: "Match[str]") -> Optional[str]:
    """The host whose certificate failed: a URL or pip's connection line, else PyPI when pip hit /simple/."""
    found = (re.search(r"https?://([\w.-]+\.[a-z]{2,})[/:\"'\s]", text)
             or re.search(r"HTTPS connection \(\d+\): ([\w.-]+)", text))
    if found:
        return found.group(1)
    if re.search(r"\)': /simple/", text):
        return "pypi.org"
    return None


def pyenv_version(text: str, match: "Match[str]") -> Optional[str]:
    return f"Python {match.group('py')}"


def uv_download(text: str, match: "Match[str]") -> Optional[str]:
    found = (re.search(r"Failed to (?:download|fetch wheel:?|build) `?(?P<req>[A-Za-z][^`\s]*==[^`\s]+)", text)
             or re.search(r"Failed to fetch wheel: (?P<req>\S+)", text))
    return reqs.clean_requirement(found.group("req")) if found else None


def command_name(text: str, match: "Match[str]") -> Optional[str]:
    groups = match.groupdict()
    return (groups.get("tool") or groups.get("ztool") or groups.get("btool") or "").lower() or None


def pip_in_log(text: str, match: "Match[str]") -> Optional[str]:
    """``pip==9.0.1`` from the log's own ``pip X from`` line (or its banner), else plain ``pip``."""
    shown = re.search(r"\bpip (\d[\d.]*) from ", text) or re.search(r"You are using pip version (\d[\d.]*)", text)
    return f"pip=={shown.group(1)}" if shown else "pip"


def launcher_script(text: str, match: "Match[str]") -> Optional[str]:
    """The script a broken launcher was for: not the interpreter it points at (a cut line names only python.exe),
    but the command the user typed (``>pip --version``), pip when nothing says."""
    tool = match.groupdict().get("tool") or "pip"
    if not re.fullmatch(r"python[\d.]*w?", tool, re.IGNORECASE):
        return tool
    typed = re.findall(r"^[^\n>]*>\s*([A-Za-z][\w.-]*)(?:\.exe)?\s", text[: match.start()], re.MULTILINE)
    return typed[-1] if typed and not re.fullmatch(r"python[\d.]*w?|py", typed[-1], re.IGNORECASE) else "pip"
