"""What a log says about the machine it came from: Python version, bitness, platform, shell, installer.

A stranger's pasted log comes without the runner's context, so the advice
reads it from the log itself: ``Using Python 3.11.9 environment``,
``lib/python3.12/site-packages``, ``[MSC v.1916 32 bit (Intel)]``,
``(venv) PS C:\\...>``. Each reader returns ``None`` when the log does not say,
and the advice then stays generic rather than guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from harness.diagnose import reqs

# Where a log names the running interpreter's version, most explicit first.
_PYTHON_VERSION = (
    r"Using (?:CPython |Python )(?P<v>3\.\d+)(?:\.\d+)? (?:environment|interpreter)",
    r"the current Python version \((?P<v>3\.\d+)",
    r"Cannot install on Python version (?P<v>3\.\d+)",
    r"requires a different Python:? \(?(?P<v>3\.\d+)",
    r"^Python (?P<v>3\.\d+)\.\d+\b",
    r"^\s*[-*] (?:\*\*)?Python(?: version)?:?(?:\*\*)?:? (?P<v>3\.\d+)(?:\.\d+)?\b",  # an issue template's "- Python 3.10.2"
    r"\bsys\.version: (?P<v>3\.\d+)",
    r"Your python: python=(?P<v>3\.\d+)",
    r"\(python (?P<v>3\.\d+)\)",
    r"[\\/]lib[\\/]python(?P<v>3\.\d+)[\\/]",
    r"[\\/]Python(?P<v>3\d{1,2})(?:-32)?[\\/]",
    r"PythonSoftwareFoundation\.Python\.(?P<v>3\.\d+)_",
    # a Dockerfile's official Python image (as written, and in docker build's step lines)
    r"^\s*(?:Step \d+/\d+ : |#\d+ \[[^\]\n]*\] )?FROM\s+(?:\S+/)?python:(?P<v>3\.\d+)\b",
    r"\bbuild[\\/](?:lib|temp)\.[\w.-]+?-cpython-(?P<v>3\d{1,2})\b",  # setuptools' build folder names the Python
    # (not an interpreter asked for: nox's "using python3.8 in", virtualenv's "-p python3.8")
    r"(?<!using )(?<!-p )(?<!--python )python(?P<v>3\.\d+)(?:\.exe)? ",
    r"\bpy -(?P<v>3\.\d+)(?:-(?:32|64))? ",  # the py launcher's version switch at the prompt
    r"my current python version is (?P<v>3\.\d+)",
    # what the reporter states: an issue template's "Python version" field, `python --version`, "Python (3.8.0 64-bit)"
    r"(?<!different )(?<!requires )python version\s*[:\-]?\s*\(?(?:python\s*)?(?P<v>3\.\d+)\b",
    r"--version\s+Python (?P<v>3\.\d+)",
    r"\bPython\b[^\n]{0,40}\((?P<v>3\.\d+)(?:\.\d+)? (?:32|64)-bit\)",
    # the wheel pip picked for this interpreter (a rejected one says nothing about it)
    r"(?:Using cached|Downloading) \S+?-cp(?P<v>3\d{1,2})-(?:cp3\d{1,2}m?|abi3|none)-(?:win|manylinux|macosx|linux)",
    r"\b(?:use|using|on|in|with|running|run|have|installed|support)\s+python\s+(?P<v>[23]\.\d+)\b",
)
# A 32-bit interpreter or OS: sys.version's "32 bit (Intel)", a setup.py refusing "to compile on 32-bit windows", the python37-32 folder, win32 wheels, i686, armv7l.
BITS_32 = r"\[MSC v\.\d+ 32 bit|\b32[ -]?bit [Pp]ython\b|\(x32\)|\b[Pp]ython:? ?\d\.\d+(?:\.\d+)? x32\b|(?:compile|build) on 32-bit windows|\bPython\b[^\n]{0,30}\)\s*32[ -]bit\b|[\\/]python3\d+-32[\\/]|-win32\.whl|\bcp3\d+-win32\b|\(32-bit runtime\)|Need python for x86_64, but found x86\b|\bi[3-6]86\b|-686-pae\b|\bbuild[\\/](?:lib|temp)\.win32-(?:cpython-)?\d|\bPython [23]\.\d+(?:\.\d+)? \(32 ?bit\)"
_BITS_32 = re.compile(BITS_32, re.IGNORECASE)
_BITS_64 = re.compile(r"\[MSC v\.\d+ 64 bit|win_amd64|x86_64|\bamd64\b|aarch64|arm64|(?<!Windows \d\d )(?<!Windows \d )"
                      r"\(64-bit\)|\d 64-bit\)",
                      re.IGNORECASE)
# cmd's and PowerShell's "command not found" in the languages Windows ships, with {tool} where the name goes
# (each language quotes it differently: 'pip', "pip", «pip», “pip”)
_Q = "[\"'\u201c\u201d\u00ab\u00bb\u201e]\\s?"
NOT_RECOGNISED_CMD = (
    "[`'\"]{tool}' is not recognized as an internal or external command",
    "Der Befehl " + _Q + "{tool}" + _Q + " ist entweder falsch geschrieben",
    _Q + "{tool}" + _Q + " (?:n'est pas reconnu en tant que commande|no se reconoce como un comando|"
    "n\u00e3o \u00e9 reconhecido como um comando|non \u00e8 riconosciuto come comando|"
    "\u043d\u0435 \u044f\u0432\u043b\u044f\u0435\u0442\u0441\u044f \u0432\u043d\u0443\u0442\u0440\u0435\u043d\u043d\u0435\u0439)",
    _Q + "{tool}" + _Q + " ?(?:\u4e0d\u662f\u5185\u90e8\u6216\u5916\u90e8\u547d\u4ee4|\u306f\u3001\u5185\u90e8\u30b3\u30de\u30f3\u30c9)",
)
NOT_RECOGNISED_POWERSHELL = (
    "The term '?{tool}'? is not recognized as (?:the|a) name of a cmdlet",  # PowerShell 7 says "a name"
    "(?:Die Benennung|Le terme|El t\u00e9rmino|O termo|Termine|\u0418\u043c\u044f) ?" + _Q + "{tool}" + _Q
    + "[^\n]{0,40}?(?:Cmdlet|cmdlet|\u043a\u043e\u043c\u0430\u043d\u0434\u043b\u0435\u0442)",
    "\u65e0\u6cd5\u5c06" + _Q + "{tool}" + _Q + "\u9879\u8bc6\u522b\u4e3a cmdlet",
)


def not_recognised(tool: str) -> Tuple[str, ...]:
    """Patterns for Windows' "not recognized" message about ``tool`` (a regex, e.g. a named group)."""
    return tuple(t.replace("{tool}", tool) for t in NOT_RECOGNISED_CMD + NOT_RECOGNISED_POWERSHELL)


_WINDOWS = re.compile(r"(?:^|[\s'\"(=`>])(?:[A-Za-z]:|~)\\|\\AppData\\|\\Scripts\\|win_amd64|-win32\.whl|\.exe\b|WinError"
                      r"|DLL load failed|\bCommandNotFoundException\b|\bPS [A-Za-z]:\\|windows-x86_64|pc-windows"
                      r"|\\[\w.-]+>\s*(?:pip|python|py|conda)\b|%PATH%|\b\w+\.dll\b"
                      r"|\bWindows? (?:7|8|8\.1|10|11)\b|\bI use Windows?\b|\bAccess is denied\b"
                      r"|\[MSC v\.\d+ (?:32|64) bit \([^)\n]*\)\] on win32"  # CPython's own banner, built by MSVC
                      # the py launcher's own messages: it exists on Windows only
                      r"|\(os error 1[01]0\d\d\)|No such host is known"  # Winsock's codes and words
                      r"|\b(?:fatal )?error C[1-4]\d{3}: |\berror LNK\d{4}: "  # MSVC's compiler and linker codes
                      r"|No runtime installed that matches|Requested Python version \(|PYLAUNCHER_|"
                      r"Manage App Execution Aliases|install from the Microsoft Store|"
                      + "|".join(not_recognised(r"[\w.-]+")), re.IGNORECASE)
_MACOS = re.compile(r"macosx_|\b(?:lib|temp)\.macosx-|/opt/homebrew/|/usr/local/Cellar/|/Users/[^/\s]+/|\.dylib\b|/private/var/folders/|/Library/Frameworks/|darwin|\bmac ?os\b"
                    r"|MacBook|Apple (?:M\d|Silicon)|mach-o", re.IGNORECASE)
_POWERSHELL = re.compile(r"^(?:\([\w.-]+\) )?PS [A-Za-z]:\\|CategoryInfo\s*:|FullyQualifiedErrorId|\$env:|" + "|".join(
    t.replace("{tool}", r"[\w.-]+") for t in NOT_RECOGNISED_POWERSHELL[1:]), re.IGNORECASE | re.MULTILINE)
_CMD = re.compile(r"^(?:\([\w.-]+\) ?)?[A-Za-z]:\\[^>\n]*>\s*\S|" + "|".join(
    t.replace("{tool}", r"[\w.-]+") for t in NOT_RECOGNISED_CMD), re.IGNORECASE | re.MULTILINE)
_UV = re.compile(r"^Using Python [\d.]+ environment at|^\s*(?:×|x|error:) No solution found|^Resolved \d+ packages? in"
                 r"|^\s*(?:×|error:) Failed to (?:build|download)|^\$ \S*uv(?:\.exe)? |\buv pip install\b|UV_HTTP_TIMEOUT"
                 r"|^\s*(?:\d+\.\d+ )?error: Failed to download distributions"
                 # uv's error chain and its cache's build directories (pip says neither)
                 r"|^\s*Caused by: |[\\/]\.?cache[\\/]uv[\\/]|[\\/]uv[\\/]cache[\\/]|[\\/]builds-v\d+[\\/]\.tmp", re.MULTILINE)
# a conda environment's paths (base or envs\NAME), the conda commands the user ran, an app's "(conda)" install
CONDA_ENV = re.compile(r"[\\/](?:ana|mini|micro)conda\d?[\\/]|[\\/]miniforge\d?[\\/]|[\\/]mambaforge[\\/]"
                       r"|\bconda (?:install|create|activate)\b|^\(base\) |\(conda\)", re.IGNORECASE | re.MULTILINE)
# pips before 19 ignore pyproject.toml's build requires (and newer wheel tags): their wording shows it
OLD_PIP = re.compile(r"Complete output from command |Command \"python setup\.py egg_info\" failed"
                     r"|You are using pip version (?:[1-9]|1[0-8])\.")
_CONDA = re.compile(r"\bconda (?:install|create)\b|UnsatisfiableError|Solving environment:|conflicts for:", re.IGNORECASE)
_PYENV = re.compile(r"\bpyenv(?:-install|-win)?\b")


@dataclass(frozen=True)
class LogContext:
    """The facts about the user's machine that the log itself shows."""

    python: Optional[str] = None  # "3.11": the interpreter that ran
    bits: Optional[int] = None  # 32 | 64
    platform: str = "linux"  # "linux" | "windows" | "macos"
    shell: str = "posix"  # "posix" | "powershell" | "cmd"
    installer: str = "pip"  # "pip" | "uv" | "conda"
    pyenv: bool = False
    ran: Tuple[str, ...] = ()  # commands the user already ran, e.g. "pyenv update"


def read(text: str) -> LogContext:
    """All the context a log gives, read once."""
    platform = read_platform(text)
    return LogContext(python=read_python(text), bits=read_bits(text), platform=platform,
                      shell=read_shell(text, platform), installer=read_installer(text),
                      pyenv=bool(_PYENV.search(text)), ran=tuple(_commands_run(text)))


def read_python(text: str) -> Optional[str]:
    for pattern in _PYTHON_VERSION:
        found = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
        if found:
            value = found.group("v")
            return value if "." in value else f"{value[0]}.{value[1:]}"
    return python_from_offered(text)


def first_of_its_minor(text: str, python: str) -> bool:
    """The log shows its Python ``python`` (3.9) as that minor's first release (3.9.0): out before most compiled
    packages had wheels for it."""
    return bool(re.search(rf"\bPython(?: version)?:? ?{re.escape(python)}\.0\b", text, re.IGNORECASE))


def python_from_offered(text: str) -> Optional[str]:
    """The Python that pip's list of TensorFlow (or torch) releases implies: both ship wheels only, so the oldest
    release offered is the first one built for this interpreter (``from versions: 2.2.0rc1, ...`` -> 3.8)."""
    found = re.search(r"requirement (?P<name>tensorflow|torch)(?![\w-])\S*\s*\(from versions: (?P<first>[1-9]\d*\.\d+)[\w.]*",
                      text, re.IGNORECASE)
    return reqs.newest_python(f"{found.group('name').lower()}=={found.group('first')}") if found else None


def read_bits(text: str) -> Optional[int]:
    if _BITS_32.search(text):
        return 32
    # a 64-bit wheel this interpreter rejected says the opposite of a 64-bit interpreter, wherever it is named
    for rejected in set(re.findall(r"([^\s\"'/\\]+\.whl) is not a supported wheel on this platform", text)):
        text = text.replace(rejected, "")
    if _BITS_64.search(text):
        return 64
    return None


def bits_evidence(text: str) -> Optional[str]:
    """The words that show a 32-bit Python, for the summary."""
    found = _BITS_32.search(text)
    return found.group(0).strip("\\/[") if found else None


# lines that name Windows things on any machine: autoconf probing for cl.exe, a build telling what it builds for
_PROBES = re.compile(r"^checking (?:for|whether) [^\n]*$", re.MULTILINE)


def read_platform(text: str) -> str:
    if _WINDOWS.search(_PROBES.sub("", text)):
        return "windows"
    if _MACOS.search(text):
        return "macos"
    return "linux"


_POSIX = re.compile(r"/home/|/usr/|/opt/|/private/var/|manylinux|macosx_|\bLinux\b|darwin|^\S*\s*[~/][^\n$]*\$ |"
                    # a venv activated the POSIX way, Homebrew
                    r"^\s*(?:source|\.) \S*bin/activate\b|\bHomebrew\b|\bbrew (?:install|upgrade)\b|"
                    r"^[\w.-]+@[\w.-]+:", re.MULTILINE)


def posix_evidence(text: str) -> bool:
    """The log shows a Linux or macOS machine (paths, wheel tags, a shell prompt)."""
    return bool(_POSIX.search(text))


def read_shell(text: str, platform: str) -> str:
    if platform != "windows":
        return "posix"
    if _POWERSHELL.search(text):
        return "powershell"
    if _CMD.search(text):
        return "cmd"
    return "powershell"  # the default terminal of Windows 10 and 11


def read_installer(text: str) -> str:
    if _UV.search(text):
        return "uv"
    if _CONDA.search(text):
        return "conda"
    return "pip"


def _commands_run(text: str) -> List[str]:
    """Commands visible at a prompt (``$ pyenv update``), so the advice does not repeat them."""
    found = re.findall(r"^(?:\S*[$>#]|➜\s+\S+)\s+((?:pyenv|pip|python\S*|uv|conda) [^\n]+)$", text, re.MULTILINE)
    return [" ".join(command.split()) for command in found]


def python_at_least(text: str) -> Optional[str]:
    """A lower bound from pip's conflict markers (``python_version >= "3.12"``) on an applying requirement."""
    found = re.findall(r'python_version >= "(3\.\d+)"', text)
    return max(found, key=reqs.version_key) if found else None
