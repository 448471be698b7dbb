"""What the advice knows (:class:`Facts`) and how it spells commands in the user's own shell and installer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Mapping, Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.context import CONDA_ENV as CONDA_ENV
from harness.diagnose.context import OLD_PIP as OLD_PIP

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


def in_conda(f: "Facts") -> bool:
    """The log comes from a conda environment (or conda is the installer)."""
    return f.installer == "conda" or bool(CONDA_ENV.search(f.log))


def q(arg: str) -> str:
    """Quote an argument for both cmd.exe and POSIX shells when it holds shell syntax."""
    return f'"{arg}"' if re.search(r"[<>|&^ \[\]]", arg) else arg


def on_windows(f: Facts) -> bool:
    return f.platform == "windows"


def venv_pip(f: Facts) -> str:
    return f"{VENV}\\Scripts\\python -m pip" if on_windows(f) else f"{VENV}/bin/python -m pip"


def set_env(f: Facts, name: str, value: str) -> str:
    """Setting an environment variable for the commands that follow, in the user's shell."""
    if f.shell == "powershell":
        return f'$env:{name}="{value}"'
    if f.shell == "cmd":
        return f"set {name}={value}"
    return f"export {name}={value}"


def write_line(f: Facts, line: str, path: str) -> str:
    """Writing one line (a requirement such as ``setuptools<72``) to a file, in the user's shell: quoted for a
    POSIX shell, Set-Content for PowerShell (whose ``>`` writes UTF-16), ``^``-escaped for cmd."""
    if f.shell == "powershell":
        return f'Set-Content -Encoding ascii {path} "{line}"'
    if f.shell == "cmd":
        return "echo " + re.sub(r"([<>|&^])", r"^\1", line) + f"> {path}"
    return f'echo "{line}" > {path}'


def curl(f: Facts) -> str:
    """PowerShell aliases ``curl`` to Invoke-WebRequest; curl.exe is the real one on Windows 10+."""
    return "curl.exe" if on_windows(f) else "curl"


def bare_pip(f: Facts) -> str:
    """pip run through the interpreter the user means: the launcher on Windows."""
    if on_windows(f):
        return f"py -{f.python} -m pip" if f.python else "py -m pip"
    return f"python{f.python} -m pip" if f.python else "python3 -m pip"


def install_cmd(f: Facts, *args: str) -> str:
    """Install ``args`` into the fallback venv with the cell's installer."""
    joined = " ".join(q(a) for a in args)
    if f.installer == "conda":
        return f"conda run -n spleeter python -m pip install {joined}"
    return f"uv pip install -p {VENV} {joined}" if f.installer == "uv" else f"{venv_pip(f)} install {joined}"


def new_venv(f: Facts, python: str) -> str:
    if f.installer == "conda":
        return f"conda create -y -n spleeter python={python}"
    if f.installer == "uv":
        return f"uv venv -p {python} {VENV}"
    return f"py -{python} -m venv {VENV}" if on_windows(f) else f"python{python} -m venv {VENV}"


def fresh(f: Facts, python: str, *args: str) -> Tuple[str, ...]:
    if not args and on_windows(f) and f.pack == DEFAULT_PACK:
        return windows_242(f, python)
    return (new_venv(f, python), install_cmd(f, *(args or (f.pack,))))


def windows_242(f: Facts, python: str) -> Tuple[str, ...]:
    """spleeter 2.4.2 on Windows: its tensorflow-io-gcs-filesystem==0.32.0 has no Windows wheel, so 0.31.0."""
    if f.installer == "uv":
        return (new_venv(f, python), f"echo {GCS_OVERRIDE}> overrides.txt",
                f"uv pip install -p {VENV} --override overrides.txt {f.pack}")
    return (new_venv(f, python), install_cmd(f, "--no-deps", f.pack), install_cmd(f, *SPLEETER_242_PINNED))


def windows_note(f: Facts) -> str:
    """What a Windows user must know before installing the pack (none elsewhere)."""
    if not on_windows(f) or f.pack != DEFAULT_PACK:
        return ""
    return (f" On Windows install it with {GCS_OVERRIDE} (2.4.2's 0.32.0 has no Windows wheel: the no-deps-pinned "
            f"strategy), or use spleeter==2.4.0 on Python 3.10.")


def this_python(f: Facts) -> str:
    return f"Python {f.python}" if f.python else "this Python"


def wheels_instead(f: Facts) -> str:
    """Where to get a wheel instead of a build; no point suggesting wheel-first to wheel-first."""
    if f.strategy == "wheel-first":
        return f"use Python {f.target_python}, where wheels exist"
    if another_projects_log(f):  # the pack's Python means nothing to that package; its own wheels do
        newer = f" than {f.python}" if f.python else ""
        tools = ("; or, to build it, install the Microsoft C++ Build Tools (workload 'Desktop development with C++')"
                 if on_windows(f) else "")
        example = f", e.g. Python {f.target_python}" if f.target_python and f.target_python != f.python else ""
        return (f"install a prebuilt wheel instead: `--only-binary=:all:` shows which release has one, on a Python the "
                f"package publishes wheels for (an older Python{newer}, or a stable release, when this one is new or a "
                f"pre-release{example}){tools}")
    return f"use the wheel-first strategy (--only-binary=:all:) or Python {f.target_python}, where wheels exist"


def another_projects_log(f: Facts) -> bool:
    """A stranger's log about another project: it never names spleeter and is no step of the harness (whose
    steps install the pack, and whose advice may name its strategies)."""
    return bool(f.log) and not re.search(r"spleeter|^\[harness\] ", f.log, re.IGNORECASE | re.MULTILINE)


def blocker_name(f: Facts) -> str:
    name, _ = reqs.split_requirement(f.blocker or "")
    return name or "the package"


# Releases that only spleeter <= 2.3 pins: seeing them built means an older spleeter was picked (uv ignores
# Requires-Python upper bounds; pip falls back to 2.1.0 on Pythons the new ones exclude). spleeter 2.4.x
# needs none of them (its metadata: tensorflow 2.12.1, no numba/llvmlite/librosa).
OLD_SPLEETER_PINS = ("llvmlite", "numba", "librosa", "tensorflow", "numpy")


def old_spleeter_dependency(f: Facts) -> bool:
    """The blocker is a dependency only old spleeter releases pin, and spleeter is being installed."""
    if f.pack != DEFAULT_PACK or blocker_name(f) not in OLD_SPLEETER_PINS:
        return False
    pinned = reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1]) or ""
    old = {"llvmlite": "0.40", "numba": "0.57", "tensorflow": "2.12", "numpy": "1.19", "librosa": "0.9"}
    too_old = bool(pinned) and reqs.version_key(pinned) < reqs.version_key(old[blocker_name(f)])
    return bool(re.search(r"spleeter", f.log, re.IGNORECASE)) and (too_old or blocker_name(f) in ("llvmlite", "numba"))


def pin_spleeter(f: Facts) -> str:
    if f.fell_back_to and f.installer != "uv" and not re.search(r"\buv (?:pip|add|sync)\b", f.log):
        # pip honours Requires-Python: it takes 2.1.0 only when every newer spleeter excludes this Python
        if on_windows(f):  # 2.4.2's tensorflow-io-gcs-filesystem 0.32.0 has no Windows wheel: 2.4.0 on 3.10
            return (f"pip took {f.fell_back_to} because every newer spleeter excludes this Python (2.4.x needs Python "
                    f"<3.12): use Python 3.10 with spleeter 2.4.0 (`py -3.10 -m venv {VENV}`, then "
                    f"`{VENV}\\Scripts\\python -m pip install spleeter==2.4.0`; 2.4.2's tensorflow-io-gcs-filesystem "
                    f"0.32.0 has no Windows wheel)")
        # the newest Python spleeter 2.4 takes (target_python follows the old numpy's 3.8 here)
        return (f"pip took {f.fell_back_to} because every newer spleeter excludes this Python (2.4.x needs Python "
                f"<3.12): use Python 3.11 (`python3.11 -m venv {VENV}`), where pip picks {f.pack} itself")
    return (f"pin {f.pack}: an older spleeter was picked, and only spleeter <= 2.3 needs {blocker_name(f)} "
            f"(uv ignores their Requires-Python upper bound; pip falls back to 2.1.0)")


def installed_packages(log: str) -> List[str]:
    """The installed packages a traceback passes through, in order (their folder under site-/dist-packages)."""
    return re.findall(r"(?:site|dist)-packages[\\/]([A-Za-z][\w.-]*)[\\/]", log)


def distribution(module: str) -> str:
    """The PyPI name to install for an import name (win32com -> pywin32; otherwise the name itself)."""
    return reqs.DISTRIBUTION_OF.get(module) or LOWERED_DISTRIBUTION_OF.get(module.lower(), module.replace("_", "-"))


# (a blocker may come lowercased: mysqldb for MySQLdb)
LOWERED_DISTRIBUTION_OF = {name.lower(): dist for name, dist in reqs.DISTRIBUTION_OF.items()}


# The pack and the packages its releases pin: for these the way out stays within the pack's Pythons.
PACK_FAMILY = ("spleeter", "spleeter-gpu", "tensorflow", "tensorflow-gpu", "tensorflow-cpu",
               "tensorflow-io-gcs-filesystem", "tensorflow-estimator", "numpy", "pandas", "httpx", "norbert", "typer",
               "ffmpeg-python", "llvmlite", "numba", "librosa", "scipy", "h5py", "grpcio", "protobuf")


def tied_to_pack(blocker: Optional[str]) -> bool:
    """The blocker is the pack or one of its dependencies: the way out stays within the pack's Pythons."""
    name = reqs.canonical(reqs.split_requirement(blocker)[0] or "") if blocker else ""
    return not name or name in PACK_FAMILY or name.startswith("python")
