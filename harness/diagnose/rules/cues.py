"""The fallback when no rule matched: weigh the log's cue words per cause and name the most probable one.

A rule needs a tool's exact wording; a log nobody has seen often shows only fragments of it - a traceback cut
before its last line, a non-English Windows message, a bare ``pip debug`` - whose words still point at one
cause. Each :class:`Cause` lists such cues with a weight; the cause whose cues weigh most (at least
:data:`ENOUGH`) is reported, its category's advice given as if the rule named in ``like`` had matched. When
nothing weighs enough, the diagnosis stays "other". Causes are listed in root-cause order, which breaks ties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Match, Optional, Pattern, Tuple

from harness.diagnose.rules.base import CONNECTION, FLAGS, Rule

ENOUGH = 3  # one strong cue (3), or a middling one (2) with a weak one (1) beside it


@dataclass(frozen=True)
class Cause:
    """A probable cause: its category, the cue patterns with their weights, and whose advice fits it."""

    name: str
    category: str
    cues: Tuple[Tuple[int, Pattern[str]], ...]
    summary: str
    like: str = ""  # the rule whose advice applies ("" = the category's own advice)
    needs: Optional[Pattern[str]] = None  # a cue without which the cause is not considered


def cues(*weighted: Tuple[int, str]) -> Tuple[Tuple[int, Pattern[str]], ...]:
    return tuple((weight, re.compile(pattern, FLAGS)) for weight, pattern in weighted)


CHECKSUM = (r"\b(?:SHA-?256|checksum|md5)\b[^\n]*(?:mismatch|does not match|not match|wrong)"
            r"|(?:mismatch|does not match)[^\n]*\b(?:SHA-?256|checksum|hash)\b")
# what reading a truncated or corrupt download says (torch.load, zip, gzip, pickle)
CORRUPT_FILE = (r"PytorchStreamReader failed|failed finding central directory|invalid load key|BadZipFile|"
                r"Not a gzip file|unexpected end of data|Compressed file ended|EOFError: Ran out of input|"
                r"truncated|file is corrupt|unexpected EOF, expected \d+ more bytes|The file might be corrupted")
# the exception was raised by a download function itself (its frame is the last, a raise right below it)
RAISED_IN_DOWNLOAD = (r", line \d+, in (?:_?download\w*|\w+_download|load_state_dict_from_url|urlretrieve)\s*\n"
                      r"\s*raise\b")
MODEL_CALL = (r"\b(?:load_model|download_model|_download|hf_hub_download|snapshot_download|from_pretrained|"
              r"download_url_to_file|load_state_dict_from_url|urlretrieve|cached_download|get_model|load_checkpoint)\b")

CAUSES: Tuple[Cause, ...] = (
    # a pasted `pyenv install --list` is someone looking for a version their pyenv does not know yet
    Cause("pyenv", "interpreter-unavailable",
          cues((3, r"\bpyenv install (?:--list|-l)\b"), (2, r"\bdefinition not found|No definition found"),
               (1, r"\bpyenv (?:versions|global|local|--version)\b")),
          "most probable cause: pyenv does not know the Python version asked for (pyenv is older than it)",
          like="pyenv-version-missing"),
    Cause("interpreter", "interpreter-unavailable",
          cues((3, r"\bNo (?:runtime|Python|interpreter) (?:installed|found)"),
               (2, r"\bpy(?:\.exe)? (?:install|list|--list|-0p?)\b")),
          "most probable cause: the Python version asked for is not installed (or not known to the tool)"),
    Cause("32-bit", "python-32-bit",
          # (sys.platform is "win32" on 64-bit Windows too: a weak cue on its own)
          cues((3, r"Program Files \(x86\)[\\/][^\n]*python"), (2, r"\b32[ -]?bit\b"), (1, r"\bwin32\b(?!com|api)"),
               (1, r"\bx86\b(?![-_]64)")),
          "most probable cause: a 32-bit Python (TensorFlow and most binary packages publish 64-bit wheels only)"),
    Cause("ssl", "ssl-certificate",
          cues((3, r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|SSLCertVerificationError|"
                   r"self[- ]signed certificate|unable to get local issuer|invalid peer certificate"),
               (2, r"\bSSLError\b|\bSSL: ")),
          "most probable cause: a TLS certificate this machine does not trust (a proxy or antivirus)"),
    Cause("spleeter-model", "model-download-failed",
          cues((2, r"\bspleeter:\d?stems\b|pretrained_models|\bMODEL_PATH\b"), (2, r"spleeter[\\/](?:model|resources)"),
               (1, r"\bdownload(?:ing|ed)?\b|internet|connection"), (1, CONNECTION),
               (1, r"ReadTimeout|timed out")),
          "most probable cause: spleeter could not fetch its pretrained model (an interrupted or blocked download)",
          needs=re.compile(r"spleeter", re.IGNORECASE)),
    # a model call in a traceback is not enough (a library too old for the model fails there too): the log must
    # also show the download failing or the file being corrupt
    Cause("model-download", "model-download-failed",
          cues((2, MODEL_CALL), (3, CHECKSUM), (2, CORRUPT_FILE),
               (1, r"\.(?:ckpt|pth|pt|onnx|safetensors|pb|h5|bin)\b|\bcheckpoint|\bweights\b|[\\/]models?[\\/]"),
               (1, r"\b(?:re-?)?download(?:ing|ed|s)?\b"), (1, CONNECTION)),
          "most probable cause: a model (weights) download failed or left a corrupt file", like="model-url-failed",
          needs=re.compile(f"{CHECKSUM}|{CORRUPT_FILE}|{CONNECTION}|{RAISED_IN_DOWNLOAD}|HTTP ?Error \\d{{3}}|"
                           f"status code \\d{{3}}", FLAGS)),
    Cause("timeout", "timeout",
          cues((3, r"Read timed out|ReadTimeout(?:Error)?\b|socket\.timeout|operation timed out"),
               (1, r"\btimed? ?out\b|TimeoutError"), (2, r"in _error_catcher\b")),
          "most probable cause: a download or connection ran out of time", like="network-timeout"),
    Cause("network", "network-or-index", cues((3, CONNECTION), (1, r"\bproxy\b|\bfirewall\b|\bVPN\b")),
          "most probable cause: the machine could not reach the server (DNS, proxy, firewall)"),
    # a traceback cut inside ffmpeg-python's probe/run: the call that starts the ffprobe/ffmpeg program
    Cause("ffmpeg", "ffmpeg-missing",
          cues((3, r"\bffmpeg\.(?:probe|run|input)\(|ffmpeg[\\/]_(?:probe|run)\.py"), (1, r"\bff(?:mpeg|probe)\b")),
          "most probable cause: the ffmpeg/ffprobe program that ffmpeg-python starts is not installed or not on PATH",
          like="ffmpeg-not-found"),
    # a NumPy-ABI break's words, in a traceback cut before the rule's exact message
    Cause("numpy-abi", "numpy-abi",
          cues((3, r"compiled (?:using|against) NumPy|_ARRAY_API|numpy\.(?:_?core)\.(?:_?multiarray|umath) failed to "
                   r"import|ndarray size changed|module compiled against (?:ABI|API) version"),
               (1, r"\bnumpy\b")),
          "most probable cause: a compiled module built for another NumPy than the installed one (NumPy 2 vs 1.x)"),
    Cause("cpu", "cpu-without-avx",
          cues((3, r"\bAVX2? instructions?\b|\bIllegal instruction\b|0xC000001D|STATUS_ILLEGAL_INSTRUCTION"),
               (1, r"\bCPU\b|\bprocessor\b")),
          "most probable cause: the CPU lacks an instruction set (AVX) the prebuilt binary needs"),
    # llvmlite's loader (binding/ffi.py) raising OSError: its own DLL, in a traceback cut before the message
    Cause("llvmlite-dll", "dll-load-failed",
          cues((2, r"llvmlite[\\/]binding[\\/]\w+\.py|import llvmlite\.binding"), (1, r"^OSError\b|\bOSError\s+Traceback")),
          "most probable cause: llvmlite's native library did not load (a broken or mismatched llvmlite install)",
          like="llvmlite-library"),
    Cause("dll", "dll-load-failed",
          cues((3, r"WinError 12[67]\b|WinError 193\b|The specified (?:module|procedure) could not be found|"
                   r"is not a valid Win32 application|cannot open shared object file"),
               (2, r"vcruntime\d*|msvcp\d+|Visual C\+\+ Redistributable|VC_redist"), (1, r"\.dll\b|\bDLL\b")),
          "most probable cause: a native library (DLL / .so) did not load"),
    Cause("long-path", "long-path",
          cues((3, r"LongPathsEnabled|\bMAX_PATH\b|path (?:is )?too long|filename or extension is too long|"
                   r"WinError 206")),
          "most probable cause: a path longer than Windows' 260-character limit (long paths are off)"),
    # a Python the package does not (yet) support, in the package's or the tool's own words
    Cause("python-version", "python-version-unsupported",
          cues((3, r"requires a different Python|Requires-Python|python_requires|(?:is )?not (?:yet )?supported (?:on|for|"
                   r"with|by) Python 3\.\d+|Python 3\.\d+ is not (?:yet )?supported|unsupported Python version|"
                   r"only (?:supports?|versions?) Python"),
               (1, r"\bPython 3\.\d+\b")),
          "most probable cause: this Python version is not supported by the package (too new or too old)"),
    Cause("conda", "conda-env-conflict",
          cues((3, r"UnsatisfiableError|LibMambaUnsatisfiableError|^Package [\w.-]+ conflicts for:|Found conflicts!"),
               (1, r"\bconda\b")),
          "most probable cause: conda cannot solve the environment's specs together"),
    Cause("conflict", "dependency-conflict",
          cues((3, r"ResolutionImpossible|conflicting dependencies|which is incompatible|VersionConflict|"
                   r"version conflict"),
               (1, r"\bconflicts?\b")),
          "most probable cause: two requirements need versions of one package that exclude each other"),
    Cause("backtracking", "resolver-backtracking",
          cues((3, r"backtrack|taking longer than usual|looking at multiple versions"),
               # the user's own words for a resolution that does not end: "resolving ... for 32 hours",
               # "dependencies installation never finishes"
               (2, r"\bfor \d+\s*(?:hours?|days?)\b|never (?:finish(?:es)?|ends?|completes?)\b|runs? forever|takes? forever"),
               (1, r"resolv|dependenc")),
          "most probable cause: pip's resolver is backtracking through many versions"),
    Cause("permission", "permission-denied",
          cues((3, r"\[(?:Errno 13|WinError 5)\]|Permission denied|Access is denied|Operation not permitted")),
          "most probable cause: no permission to write where the install goes"),
    Cause("msvc", "msvc-build-tools-missing",
          cues((3, r"Microsoft Visual C\+\+ (?:14|Build Tools)|vcvarsall|\bcl\.exe\b|Visual Studio Build Tools")),
          "most probable cause: a source build on Windows without the MSVC Build Tools"),
    Cause("backend", "build-backend-missing",
          cues((3, r"BackendUnavailable|Cannot import '[\w.]+'|No module named '(?:setuptools|poetry|hatchling|"
                   r"flit_core|mesonpy|skbuild|scikit_build_core|maturin)'"),
               (1, r"pyproject\.toml|build-backend|build-system")),
          "most probable cause: the package's build backend is missing from its build environment"),
    Cause("build", "source-build-failed",
          cues((3, r"Failed building wheel|Failed to build\b|Building wheel for \S+ \([^)]*\) \.\.\. error|"
                   r"error: command '[^'\n]+' failed|Build backend failed|make: \*\*\*"),
               (1, r"\b(?:gcc|g\+\+|clang|cmake|ninja|meson)\b"), (1, r"build_meta|setup\.py")),
          "most probable cause: a package had to be built from source and the build failed"),
    Cause("metadata", "metadata-generation-failed",
          cues((3, r"egg_info[^\n]*(?:failed|error)|Preparing (?:wheel )?metadata[^\n]*error|metadata-generation-failed|"
                   r"get_requires_for_build")),
          "most probable cause: a package's metadata step (its setup.py) failed"),
    Cause("no-wheel", "no-wheel-for-platform",
          cues((3, r"is not a supported wheel|No matching distribution|from versions: none")),
          "most probable cause: no wheel of the package fits this Python and platform"),
)


def best_guess(text: str) -> Optional[Tuple[Rule, "Match[str]"]]:
    """The most probable cause of a log no rule matched, as a rule of priority 0 and its strongest cue's match."""
    best: Optional[Tuple[int, Cause, List[Tuple[int, Match[str]]]]] = None
    for cause in CAUSES:
        if cause.needs is not None and not cause.needs.search(text):
            continue
        found = [(weight, m) for weight, m in ((w, p.search(text)) for w, p in cause.cues) if m is not None]
        weight = sum(w for w, _ in found)
        if weight >= ENOUGH and (best is None or weight > best[0]):
            best = (weight, cause, found)
    if best is None:
        return None
    _, cause, found = best
    strongest = max(found, key=lambda pair: (pair[0], -pair[1].start()))[1]
    patterns = tuple(m.re for _, m in sorted(found, key=lambda pair: -pair[0]))
    rule = Rule(cause.like or f"cue-{cause.name}", cause.category, 0, patterns, summary=cause.summary)
    return rule, strongest



# torch's own libraries, and its C++ names (at::, c10::, torch::) as a loader reports a missing symbol
TORCH_LIBRARY = r"lib(?:torch|c10)\w*\.(?:so|dylib)"
TORCH_SYMBOL = r"(?:undefined symbol|Symbol not found):? _{1,2}Z\w*?N[KVr]*\d+(?:at|c10|torch)\d"  # (NK: a const method)
# the packages whose every wheel is built for one exact torch release, and pins it
TORCH_COMPANIONS = ("xformers", "torchvision", "torchaudio")
# the command line of a pip install that names one of them
COMPANION_INSTALL = r"\bpip3?(?:\.exe)? install [^\n]*?\b(?P<companion>" + "|".join(TORCH_COMPANIONS) + r")\b"
# what setuptools-rust, maturin and cargo say when a build needs Rust and no toolchain is installed
RUST_MISSING = (r"can't find Rust compiler|would avoid the need for a Rust compiler|Cargo, the Rust package manager, is "
                r"not installed|error: (?:could not find|can't find) `?cargo`?|rustc: command not found")
# the machine itself, not a wheel's platform tag (manylinux2014_aarch64.whl in another platform's listing)
ARM = re.compile(r"piwheels|raspberry|raspbian|\bJetson\b|\btegra\b|\bL4T\b|JetPack|\barmhf\b|arm-linux-gnueabihf"
                 # Windows on ARM: pip's own report of the machine, or the platform named by the user
                 r"|\"platform_machine\":\s*\"ARM64\"|\bwin_arm64\b(?![\w.-]*\.whl)|\bWindows\b[^\n]{0,30}\bARM64\b"
                 r"|(?<![\w-])(?:armv[67]l|aarch64)\b(?![\w.-]*\.whl)|\blinux[-_]aarch64\b(?![\w.-]*\.whl)", re.IGNORECASE)
# MSVC's words before the header it cannot open, in any language ("Cannot open include file: ", German "Datei
# (Include) kann nicht geöffnet werden: "); the header follows in quotes
C1083_OPEN = r"[^\n'\"]*?:\s?"
# the quotes around the header it names: ASCII, or a localised message's typographic ones (Chinese “Python.h”)
C1083_QUOTE = "['\"\u201c\u201d\u2018\u2019]"
# what setuptools has removed that old setup scripts (and numpy.distutils, cffi) still use: use_2to3 in 58,
# setuptools.command.test in 72, distutils' MSVC compiler modules in 74, setup.cfg's dash-separated keys in 78.0.1
REMOVED_FROM_SETUPTOOLS = re.compile(r"No module named '?setuptools\.command\.test'?|cannot import name '?test'? from "
                                     r"'?setuptools\.command|use_2to3 is invalid|error in \S+ setup command: use_2to3"
                                     r"|module 'setuptools\.\w+' has no attribute '\w+'"
                                     r"|No module named '?distutils\.msvc9?compiler'?"
                                     r"|Invalid dash-separated (?:key|options?) '?[\w-]+'? in '?\w+'? \(setup\.cfg\)")
# a build script (setup.py, scikit-build, meson) that looks for the cmake program and finds none
# a C library's own config program (or folder variable) a source build asks for, not installed
GDAL_CONFIG_MISSING = (r"gdal-config(?:\.exe)?['\"]?: (?:command )?not found|No such file or directory: 'gdal-config'"
                       r"|Could not find gdal-config|A GDAL API version must be specified")
PROJ_MISSING = r"Proj executable not found\. Please set PROJ_DIR|proj executable not found|PROJ_DIR (?:is )?not set"
LIBRARY_CONFIG_MISSING = (rf"{GDAL_CONFIG_MISSING}|{PROJ_MISSING}|pg_config executable not found|pg_config is required"
                          r"|mysql_config not found|(?:xml2|xslt)-config: (?:command )?not found")
CMAKE_MISSING = (r"CMake must be installed|cmake: (?:command )?not found|No such file or directory: 'cmake'|Could not "
                 r"find CMake|Could not find \"cmake\" executable|'cmake' is not recognized as an internal or external "
                 r"command|Did not find CMake 'cmake'|CMake is not installed on your system")
# meson's and numpy.distutils' words for a build that needs Fortran (scipy, and what links BLAS/LAPACK from source)
FORTRAN_MISSING = (r"Unknown compiler\(s\): \[\['(?:ifort|gfortran|flang)'|No Fortran compiler found|Fortran compiler not "
                   r"found|could not find a Fortran compiler|gfortran: (?:command )?not found|Need a Fortran compiler")
