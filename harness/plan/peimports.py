"""``resolve --inspect-wheels``: which DLLs would a Windows plan fail to load?

Each ``.pyd``/``.dll`` of the plan's win_amd64 wheels names the DLLs it needs
in its PE import table. A DLL that its own wheel does not ship (another
package's copy helps only if that package happens to be imported first:
pandas ships an msvcp140.dll, TensorFlow, imported before it, does not), that stock
Windows 10+ does not ship (the UCRT's ``api-ms-win-crt-*`` included) and that
CPython's installer does not put beside ``python.exe`` must come from
somewhere else: for the VC++ runtime names that is the Visual C++ 2015-2022
x64 redistributable, and without it ``import`` fails with
``DLL load failed``. Members are read out of the wheel with HTTP range
requests (:class:`~harness.plan.wheelpaths.RangeFile`); members larger than
:data:`MAX_MEMBER` compressed bytes are skipped and listed (TensorFlow's
170 MB ``_pywrap_tensorflow_internal.pyd`` would mean reading the whole wheel).
"""
from __future__ import annotations

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, List, Sequence, Set, Tuple

from harness.plan.wheelpaths import RangeFile
from harness.results import PASSED, Category, Diagnosis, Distribution, StepKind, StepResult

MAX_MEMBER = 8 * 1024 * 1024
VC_REDIST = ("msvcp140.dll", "msvcp140_1.dll", "msvcp140_2.dll", "msvcp140_atomic_wait.dll",
             "msvcp140_codecvt_ids.dll", "concrt140.dll", "vcomp140.dll", "vccorlib140.dll")
# python.org's CPython (3.8+) ships these beside python.exe.
WITH_CPYTHON = ("vcruntime140.dll", "vcruntime140_1.dll", "python3.dll")
_PYTHON_DLL = re.compile(r"^python3\d+\.dll$")
STOCK_WINDOWS = frozenset(n.lower() + ".dll" for n in (
    "KERNEL32 KERNELBASE NTDLL USER32 GDI32 ADVAPI32 SHELL32 SHLWAPI OLE32 OLEAUT32 COMDLG32 COMCTL32 WS2_32 "
    "MSWSOCK IPHLPAPI DNSAPI WINHTTP WININET CRYPT32 BCRYPT NCRYPT SECUR32 RPCRT4 SETUPAPI CFGMGR32 VERSION "
    "WINMM DBGHELP PSAPI USERENV POWRPROF NETAPI32 NORMALIZ IMM32 UCRTBASE MSVCRT D3D11 DXGI D3D12 OPENGL32 "
    "WINTRUST IMAGEHLP SHCORE UXTHEME DWMAPI WTSAPI32 NTMARTA AVRT MFPLAT MF MFREADWRITE OLE32 COMBASE "
    "DWRITE D2D1 WINDOWSCODECS PROPSYS HID WLDAP32 MPR SRVCLI WEVTAPI BCRYPTPRIMITIVES").split())
REDIST_FIX = "winget install Microsoft.VCRedist.2015+.x64  (or https://aka.ms/vs/17/release/vc_redist.x64.exe)"


@dataclass(frozen=True)
class Inspection:
    """The DLLs a plan's binaries import that nothing in the plan, Windows or CPython provides."""

    missing: Dict[str, Tuple[str, ...]]  # DLL -> the members that import it
    binaries: int
    skipped: Tuple[str, ...]  # members too large to read by range requests

    def diagnosis(self) -> Diagnosis:
        vc = sorted(d for d in self.missing if d in VC_REDIST)
        other = sorted(d for d in self.missing if d not in VC_REDIST)
        if vc:
            first = vc[0]
            return Diagnosis(category=Category.DLL_LOAD_FAILED, blocker=first,
                             next_action="Install the Visual C++ 2015-2022 x64 redistributable: " + REDIST_FIX,
                             evidence=tuple(f"{d} imported by {', '.join(self.missing[d][:2])}" for d in vc + other),
                             summary=f"predicted: the plan needs {', '.join(vc)} from the VC++ 2015-2022 x64 "
                                     "redistributable, which neither the plan nor CPython ships")
        return Diagnosis(category=Category.DLL_LOAD_FAILED, blocker=other[0],
                         next_action=f"Find which package or runtime provides {', '.join(other)}",
                         evidence=tuple(f"{d} imported by {', '.join(self.missing[d][:2])}" for d in other),
                         summary=f"predicted: {', '.join(other)} not in the plan nor in stock Windows")


def imported_dlls(data: bytes) -> List[str]:
    import pefile  # optional: pip install pefile (only --inspect-wheels needs it)

    pe = pefile.PE(data=data, fast_load=True)
    pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
                                           pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"]])
    names = [e.dll.decode("ascii", "replace") for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", ())]
    # delay-loaded DLLs are optional until called; they are not a load failure
    return names


def _binaries(dist: Distribution) -> Tuple[List[str], List[Tuple[str, bytes]], List[str]]:
    """(every file name the wheel installs, (member, bytes) of its binaries, skipped members)."""
    with zipfile.ZipFile(RangeFile(dist.url)) as archive:
        infos = archive.infolist()
        files = [i.filename.rsplit("/", 1)[-1].lower() for i in infos]
        read, skipped = [], []
        for info in infos:
            if not info.filename.lower().endswith((".pyd", ".dll")):
                continue
            if info.compress_size > MAX_MEMBER:
                skipped.append(f"{info.filename} ({info.compress_size // 2**20} MB)")
                continue
            read.append((info.filename, archive.read(info)))
    return files, read, skipped


def provided_elsewhere(dll: str) -> bool:
    name = dll.lower()
    return (name in STOCK_WINDOWS or name.startswith(("api-ms-win-", "ext-ms-win-")) or name in WITH_CPYTHON
            or bool(_PYTHON_DLL.match(name)))


def find_missing(imports: Sequence[Tuple[str, Sequence[str], Set[str]]]) -> Dict[str, Tuple[str, ...]]:
    """DLL -> importing members, for each imported DLL that neither the member's wheel nor the system provides."""
    missing: Dict[str, List[str]] = {}
    for member, dlls, shipped in imports:
        for dll in dlls:
            name = dll.lower()
            if name not in shipped and not provided_elsewhere(name):
                missing.setdefault(name, []).append(member)
    return {k: tuple(v) for k, v in sorted(missing.items())}


def inspect_plan(distributions: Sequence[Distribution], workers: int = 8) -> Inspection:
    """Read every binary of the plan's Windows wheels (up to MAX_MEMBER each) and list what nothing provides."""
    wheels = [d for d in distributions if d.filename.endswith(".whl") and "win" in d.filename]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        read = list(pool.map(_binaries, wheels))
    imports, unreadable = [], []
    for files, binaries, _ in read:
        for member, data in binaries:
            try:
                imports.append((member, imported_dlls(data), set(files)))
            except Exception as exc:  # noqa: BLE001 - pefile.PEFormatError and kin: one bad file, not the plan
                unreadable.append(f"{member} (not a readable PE file: {exc})")
    skipped = tuple(s for _, _, skipped in read for s in skipped) + tuple(unreadable)
    return Inspection(find_missing(imports), len(imports), skipped)


def inspection_step(inspection: Inspection) -> StepResult:
    """The prediction as a passed step of the dry cell (a prediction is not a resolution failure)."""
    diagnosis = inspection.diagnosis() if inspection.missing else None
    message = diagnosis.headline() if diagnosis else f"every DLL of {inspection.binaries} binaries is provided"
    return StepResult(name="inspect-wheels", status=PASSED, kind=StepKind.CROSS_CHECK, diagnosis=diagnosis,
                      message=message,
                      metrics={"missing": {k: list(v) for k, v in inspection.missing.items()},
                               "binaries": inspection.binaries, "skipped": list(inspection.skipped)})


def require_pefile() -> None:
    """Fail before resolving anything when --inspect-wheels cannot run."""
    try:
        import pefile  # noqa: F401  (imported to see that it can be)
    except ImportError:
        from harness.errors import UsageError

        raise UsageError("--inspect-wheels needs pefile: pip install 'spleeter-matrix[inspect]' "
                         "(or pip install pefile)") from None
