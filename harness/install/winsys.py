"""Windows OS probes for preflight: registry reads, vswhere, the MAX_PATH budget.

Every OS call sits behind a small function taking plain callables, so the
preflight checks can be unit tested on any platform with recorded outputs
(registry values, vswhere stdout). On other platforms the registry readers
return None instead of failing: importing this module never needs ``winreg``.
"""

from __future__ import annotations

import ntpath
import sys
from typing import Callable, List, Mapping, Optional, Sequence, Tuple, Union

# MAX_PATH counts the terminating NUL: a full path may hold 259 characters.
MAX_PATH = 260

LONG_PATHS_KEY = r"HKLM\SYSTEM\CurrentControlSet\Control\FileSystem"
LONG_PATHS_VALUE = "LongPathsEnabled"

# The component every "Desktop development with C++" / Build Tools install has.
VC_TOOLS_COMPONENT = "Microsoft.VisualStudio.Component.VC.Tools.x86.x64"
VSWHERE_RELATIVE = r"Microsoft Visual Studio\Installer\vswhere.exe"
VSWHERE_TIMEOUT = 60.0
# Visual C++ 14.0 (Build Tools 2015) registers here instead of in vswhere;
# 14.0 is the minimum that builds extensions for CPython 3.5+.
VC7_KEYS = (
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\VisualStudio\SxS\VC7",
    r"HKLM\SOFTWARE\Microsoft\VisualStudio\SxS\VC7",
)
VC7_VALUE = "14.0"
# The VC++ 2015-2022 redistributable (msvcp140_1.dll, which TensorFlow loads).
VC_REDIST_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\VisualStudio\14.0\VC\Runtimes\x64",
)
VC_REDIST_VALUE = "Installed"

_HIVES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER",
    "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
}

RegistryValue = Union[int, str, None]


def split_key(key_path: str) -> Tuple[str, str]:
    """``HKLM\\SYSTEM\\X`` -> (``HKEY_LOCAL_MACHINE``, ``SYSTEM\\X``); unknown hives are an error."""
    hive, _, subkey = key_path.partition("\\")
    if hive.upper() not in _HIVES or not subkey:
        raise ValueError(f"not a registry key path: {key_path!r}")
    return _HIVES[hive.upper()], subkey


def read_registry_value(key_path: str, value_name: str) -> RegistryValue:
    """One registry value, or None when absent or not on Windows.

    The 64-bit view is asked for explicitly so a 32-bit Python is not silently
    redirected to WOW6432Node (paths that name WOW6432Node still read it).
    """
    hive_name, subkey = split_key(key_path)
    if sys.platform != "win32":
        return None
    import winreg  # only exists on Windows

    hive = getattr(winreg, hive_name)
    access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
    try:
        with winreg.OpenKey(hive, subkey, 0, access) as key:
            value, _kind = winreg.QueryValueEx(key, value_name)
    except OSError:
        return None
    return value if isinstance(value, (int, str)) else None


def read_registry_dword(key_path: str, value_name: str) -> Optional[int]:
    value = read_registry_value(key_path, value_name)
    return value if isinstance(value, int) else None


def read_registry_str(key_path: str, value_name: str) -> Optional[str]:
    value = read_registry_value(key_path, value_name)
    return value if isinstance(value, str) else None


def vswhere_path(environ: Mapping[str, str]) -> str:
    """Where the Visual Studio Installer always puts vswhere (VS 2017 and later)."""
    base = environ.get("ProgramFiles(x86)") or r"C:\Program Files (x86)"
    return ntpath.join(base, VSWHERE_RELATIVE)


def vswhere_argv(exe: str) -> List[str]:
    """Installations that have the x86/x64 C++ compiler, one installationPath per line."""
    return [exe, "-products", "*", "-requires", VC_TOOLS_COMPONENT, "-property", "installationPath"]


def parse_vswhere_output(text: str) -> Tuple[str, ...]:
    """vswhere prints one path per line (CRLF) and nothing at all when no instance matches."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def find_msvc(
    which: Callable[[str], Optional[str]],
    run: Callable[[Sequence[str], float], Tuple[int, str]],
    read_str: Callable[[str, str], Optional[str]],
    environ: Mapping[str, str],
) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """(installation paths, evidence lines): vswhere first, then the VC 14.0 registry values."""
    evidence: List[str] = []
    exe = vswhere_path(environ)
    if which(exe):
        returncode, out = run(vswhere_argv(exe), VSWHERE_TIMEOUT)
        paths = parse_vswhere_output(out) if returncode == 0 else ()
        evidence.append(f"vswhere exit {returncode}, {len(paths)} installation(s) with {VC_TOOLS_COMPONENT}")
        if paths:
            return paths, tuple(evidence)
    else:
        evidence.append(f"vswhere not found at {exe}")
    for key in VC7_KEYS:
        value = read_str(key, VC7_VALUE)
        if value:
            evidence.append(f"{key} {VC7_VALUE} = {value}")
            return (value,), tuple(evidence)
    evidence.append(f"no {VC7_VALUE} value under SxS\\VC7")
    return (), tuple(evidence)


def venv_site_packages(venv_dir: str) -> str:
    """A Windows venv's site-packages: ``<venv>\\Lib\\site-packages``."""
    return ntpath.join(venv_dir.rstrip("\\/"), "Lib", "site-packages")


def longest_install_path(site_packages: str, longest_relpath: int) -> int:
    """Length of the deepest file the pack writes: ``<site-packages>\\<relpath>``."""
    return len(site_packages.rstrip("\\/")) + 1 + longest_relpath


def max_site_packages_length(longest_relpath: int) -> int:
    """The longest site-packages path that keeps every pack file under MAX_PATH."""
    return MAX_PATH - 1 - 1 - longest_relpath
