"""Package names, versions and specifiers as they appear in installer logs.

Just enough to answer the questions the rules ask ("is one of the versions pip
ignored for its Requires-Python one that would have satisfied the
requirement?"). Names, versions and specifiers themselves are parsed in their
one home, :mod:`harness.versions` (``packaging``), which this re-exports.
"""
from __future__ import annotations

import difflib
import re
from typing import Dict, List, Optional, Tuple

# Re-exported: the rules, the advice and the report read them as reqs.X.
from harness.versions import canonical as canonical
from harness.versions import satisfies as satisfies
from harness.versions import split_requirement as split_requirement
from harness.versions import version_key as version_key


def clean_requirement(text: str) -> Optional[str]:
    """A requirement as the log names it, tidied for display: ``"jax>=0.3.15"``."""
    name, spec = split_requirement(text)
    if not name:
        return None
    return name + spec


def pinned_version(spec: str) -> Optional[str]:
    match = re.match(r"^===?\s*([^,\s]+)$", spec.strip())
    return match.group(1) if match else None


def name_pattern(name: str) -> str:
    """A regex for ``name`` that accepts ``-``, ``_`` and ``.`` for one another."""
    return "[-_.]".join(re.escape(part) for part in re.split(r"[-_.]+", name))


def version_in_log(name: str, text: str, before: Optional[int] = None) -> Optional[str]:
    """The version of ``name`` the log shows being fetched or built (the last one before ``before``)."""
    pattern = name_pattern(name)
    patterns = (
        rf"Collecting {pattern}==(?P<v>[0-9][\w.+!-]*)",
        rf"Building {pattern}==(?P<v>[0-9][\w.+!-]*)",
        rf"(?:^|[\s/\\`'\"(]){pattern}-(?P<v>\d[\w.+!]*?)(?:\.tar\.gz|\.zip|\.tar\.bz2|-py\d|-cp\d|\.whl)",
        # meson-python builds (numpy, scipy, ...) print the project they configure
        rf"^\s*Project name: {pattern}\s*\n\s*Project version: (?P<v>\d[\w.+!]*)",
    )
    found: List[Tuple[int, str]] = []
    area = text if before is None else text[:before]
    for regex in patterns:
        for match in re.finditer(regex, area, re.IGNORECASE | re.MULTILINE):
            found.append((match.start(), match.group("v")))
    if not found:
        return None
    return max(found)[1]


def with_version(name: Optional[str], text: str, before: Optional[int] = None) -> Optional[str]:
    """``"llvmlite"`` -> ``"llvmlite==0.39.1"`` when the log shows which version it was."""
    if not name:
        return None
    req_name, spec = split_requirement(name)
    if not req_name:
        return None
    if spec:
        return req_name + spec
    version = version_in_log(req_name, text, before)
    return f"{req_name}=={version}" if version else req_name


def max_below(upper_spec: str) -> Optional[str]:
    """The newest ``3.x`` allowed by a Requires-Python spec, e.g. ``"<3.12,>=3.8"`` -> ``"3.11"``."""
    for minor in range(13, 5, -1):
        candidate = f"3.{minor}"
        if satisfies(candidate + ".0", upper_spec):
            return candidate
    return None


def previous_minor(version: str) -> Optional[str]:
    """The Python minor just before ``version`` ("3.12" or "3.12.4" -> "3.11"): the newest one an exclusive upper
    bound allows, and the one to suggest instead of the Python a log already runs. None below 3.1."""
    parts = re.match(r"(\d+)\.(\d+)", version)
    if not parts or int(parts.group(2)) == 0:
        return None
    return f"{parts.group(1)}.{int(parts.group(2)) - 1}"


def next_minor(version: str) -> str:
    """The Python minor just after ``version`` ("3.9" or "3.9.13" -> "3.10")."""
    parts = re.match(r"(\d+)\.(\d+)", version)
    return f"{parts.group(1)}.{int(parts.group(2)) + 1}" if parts else version


# The newest Python each release line ships wheels for (PyPI's files), for the packages whose old releases
# land in spleeter installs. Older than its Python, such a release has no wheel and no longer builds there
# (NumPy before 1.26 builds with distutils, which Python 3.12 removed; llvmlite needs one exact LLVM), so the
# way out is the Python its wheels stop at: a Python-version problem, not a build one.
NEWEST_PYTHON = {
    "numpy": (("1.0", "3.5"), ("1.12", "3.6"), ("1.15", "3.7"), ("1.17", "3.8"), ("1.19.3", "3.9"), ("1.21", "3.10"),
              ("1.23", "3.11"), ("1.26", "3.12"), ("2.1", "3.13")),
    # (the first release with cp3X wheels on PyPI: llvmlite 0.36 / numba 0.53 for 3.9, numba 0.47 for 3.8)
    "llvmlite": (("0.31", "3.8"), ("0.36", "3.9"), ("0.38", "3.10"), ("0.40", "3.11"), ("0.42", "3.12"),
                 ("0.44", "3.13")),
    "numba": (("0.47", "3.8"), ("0.53", "3.9"), ("0.55", "3.10"), ("0.57", "3.11"), ("0.59", "3.12"),
              ("0.61", "3.13")),
    # wheels only, so a release is unusable on any newer Python (1.13: 3.7, 2.2: 3.8, ... 2.20: 3.13)
    "tensorflow": (("1.0", "3.6"), ("1.13", "3.7"), ("2.2", "3.8"), ("2.5", "3.9"), ("2.8", "3.10"),
                   ("2.12", "3.11"), ("2.16", "3.12"), ("2.20", "3.13")),
    # torch's wheels on PyPI (Windows ones from 1.6 on; before that only on download.pytorch.org)
    "torch": (("1.0", "3.7"), ("1.4", "3.8"), ("1.7.1", "3.9"), ("1.11", "3.10"), ("1.13", "3.11"), ("2.2", "3.12"),
              ("2.5", "3.13")),
    # the first release with cp3X wheels (win_amd64 or manylinux x86_64) on PyPI, read from its files
    "pandas": (("0.19.1", "3.6"), ("0.23.2", "3.7"), ("0.25.2", "3.8"), ("1.1.3", "3.9"), ("1.3.3", "3.10"),
               ("1.5.0", "3.11"), ("2.1.1", "3.12"), ("2.2.3", "3.13"), ("2.3.3", "3.14"), ("3.0.6", "3.15")),
    "scipy": (("0.18.1", "3.6"), ("1.1.0", "3.7"), ("1.3.2", "3.8"), ("1.5.4", "3.9"), ("1.7.2", "3.10"),
              ("1.9.2", "3.11"), ("1.11.2", "3.12"), ("1.14.1", "3.13"), ("1.16.1", "3.14"), ("1.18.1", "3.15")),
    "scikit-learn": (("0.18.1", "3.6"), ("0.19.2", "3.7"), ("0.22", "3.8"), ("0.24.0", "3.9"), ("1.0.2", "3.10"),
                     ("1.1.3", "3.11"), ("1.3.1", "3.12"), ("1.5.2", "3.13"), ("1.7.2", "3.14"), ("1.9.1", "3.15")),
    "h5py": (("2.6.0", "3.6"), ("2.8.0", "3.7"), ("2.9.0", "3.8"), ("3.0.0", "3.9"), ("3.6.0", "3.10"),
             ("3.8.0", "3.11"), ("3.10.0", "3.12"), ("3.12.0", "3.13"), ("3.15.0", "3.14")),
    # more compiled packages whose old releases meet new Pythons in these logs: the first release with a cp3X (not
    # abi3) wheel for 64-bit Windows, x86_64 Linux or macOS, read from PyPI's JSON in December 2026
    "pillow": (("4.0.0", "3.6"), ("5.1.0", "3.7"), ("6.2.1", "3.8"), ("8.0.0", "3.9"), ("8.3.2", "3.10"),
               ("9.2.0", "3.11"), ("9.5.0", "3.12"), ("10.4.0", "3.13"), ("11.3.0", "3.14")),
    "matplotlib": (("1.5.3", "3.6"), ("2.2.2", "3.7"), ("2.2.5", "3.8"), ("3.2.2", "3.9"), ("3.5.0", "3.10"),
                   ("3.6.0", "3.11"), ("3.7.3", "3.12"), ("3.9.2", "3.13"), ("3.10.5", "3.14")),
    "sentencepiece": (("0.0.2", "3.6"), ("0.1.1", "3.7"), ("0.1.85", "3.8"), ("0.1.94", "3.9"), ("0.1.96", "3.10"),
                      ("0.1.98", "3.11"), ("0.2.0", "3.12"), ("0.2.1", "3.14")),
    "tokenizers": (("0.9.4", "3.9"), ("0.11.3", "3.10"), ("0.13.2", "3.11"), ("0.14.0", "3.12"), ("0.15.1", "3.13")),
    "pygame": (("1.9.3", "3.6"), ("1.9.4", "3.7"), ("1.9.6", "3.8"), ("2.0.0", "3.9"), ("2.0.2", "3.10"),
               ("2.1.3", "3.11"), ("2.5.0", "3.12"), ("2.6.1", "3.13")),
    "pyarrow": (("0.2.0", "3.6"), ("0.11.0", "3.7"), ("0.16.0", "3.8"), ("3.0.0", "3.9"), ("6.0.0", "3.10"),
                ("10.0.1", "3.11"), ("14.0.0", "3.12"), ("18.0.0", "3.13"), ("22.0.0", "3.14")),
    "grpcio": (("1.1.3", "3.6"), ("1.13.0", "3.7"), ("1.24.3", "3.8"), ("1.33.1", "3.9"), ("1.41.0", "3.10"),
               ("1.49.1", "3.11"), ("1.59.0", "3.12"), ("1.66.2", "3.13"), ("1.75.1", "3.14")),
    "lxml": (("3.7.2", "3.6"), ("4.2.2", "3.7"), ("4.4.1", "3.8"), ("4.5.2", "3.9"), ("4.6.3", "3.10"),
             ("4.9.1", "3.11"), ("4.9.3", "3.12"), ("5.3.0", "3.13"), ("6.0.1", "3.14")),
    "psycopg2-binary": (("2.7.3.2", "3.6"), ("2.7.5", "3.7"), ("2.8.4", "3.8"), ("2.8.6", "3.9"), ("2.9.1", "3.10"),
                        ("2.9.5", "3.11"), ("2.9.9", "3.12"), ("2.9.10", "3.13"), ("2.9.11", "3.14")),
    "onnxruntime": (("0.1.2", "3.7"), ("1.2.0", "3.8"), ("1.7.0", "3.9"), ("1.12.0", "3.10"), ("1.15.0", "3.11"),
                    ("1.17.0", "3.12"), ("1.20.0", "3.13"), ("1.24.1", "3.14")),
    "torchvision": (("0.3.0", "3.7"), ("0.5.0", "3.8"), ("0.8.2", "3.9"), ("0.12.0", "3.10"), ("0.15.1", "3.11"),
                    ("0.17.0", "3.12"), ("0.21.0", "3.13"), ("0.24.0", "3.14")),
    "torchaudio": (("0.3.0", "3.7"), ("0.4.0", "3.8"), ("0.7.2", "3.9"), ("0.11.0", "3.10"), ("2.0.1", "3.11"),
                   ("2.2.0", "3.12"), ("2.6.0", "3.13"), ("2.9.0", "3.14")),
    "pywin32": (("222", "3.6"), ("223", "3.7"), ("225", "3.9"), ("302", "3.10"), ("303", "3.11"), ("306", "3.12"),
                ("307", "3.13"), ("311", "3.14")),
    "tiktoken": (("0.1.2", "3.11"), ("0.5.2", "3.12"), ("0.8.0", "3.13"), ("0.12.0", "3.14")),
    "shapely": (("1.5.17.post1", "3.6"), ("1.6.4.post2", "3.7"), ("1.7.0", "3.8"), ("1.7.1", "3.9"),
                ("1.8.0", "3.10"), ("1.8.5", "3.11"), ("2.0.2", "3.12"), ("2.0.6", "3.13"), ("2.1.2", "3.14")),
    "fiona": (("1.7.1.post1", "3.6"), ("1.7.13", "3.7"), ("1.8.12", "3.8"), ("1.8.18", "3.9"), ("1.8.21", "3.10"),
              ("1.8.22", "3.11"), ("1.9.5", "3.12"), ("1.10.0", "3.13")),
    "rasterio": (("1.0.0", "3.7"), ("1.1.1", "3.8"), ("1.2.0", "3.9"), ("1.3.0", "3.10"), ("1.3.3", "3.11"),
                 ("1.3.8.post1", "3.12"), ("1.3.11", "3.13"), ("1.4.4", "3.14")),
    "netcdf4": (("1.2.6", "3.6"), ("1.4.0", "3.7"), ("1.5.2", "3.8"), ("1.5.4", "3.9"), ("1.5.8", "3.10"),
                ("1.6.1", "3.11"), ("1.6.5", "3.12"), ("1.7.2", "3.13"), ("1.7.4", "3.14")),
    "tables": (("3.3.0", "3.6"), ("3.4.4", "3.7"), ("3.6.1", "3.9"), ("3.7.0", "3.10"), ("3.8.0", "3.11"),
               ("3.9.1", "3.12"), ("3.10.1", "3.13")),
    "onnx": (("1.0.1", "3.6"), ("1.5.0", "3.7"), ("1.7.0", "3.8"), ("1.9.0", "3.9"), ("1.12.0", "3.10"),
             ("1.13.0", "3.11"), ("1.16.0", "3.12"), ("1.18.0", "3.13")),
    "scikit-image": (("0.13.0", "3.6"), ("0.13.1", "3.7"), ("0.16.2", "3.8"), ("0.18.0", "3.9"), ("0.19.0", "3.10"),
                     ("0.20.0", "3.11"), ("0.22.0", "3.12"), ("0.25.0", "3.13"), ("0.26.0", "3.14")),
    "statsmodels": (("0.8.0", "3.6"), ("0.9.0", "3.7"), ("0.10.2", "3.8"), ("0.12.1", "3.9"), ("0.13.1", "3.10"),
                    ("0.13.3", "3.11"), ("0.14.0", "3.12"), ("0.14.3", "3.13"), ("0.14.5", "3.14")),
    "kiwisolver": (("1.0.1", "3.7"), ("1.1.0", "3.8"), ("1.3.1", "3.9"), ("1.3.2", "3.10"), ("1.4.4", "3.11"),
                   ("1.4.5", "3.12"), ("1.4.7", "3.13"), ("1.4.9", "3.14")),
    "numexpr": (("2.6.1", "3.6"), ("2.6.7", "3.7"), ("2.7.0", "3.8"), ("2.7.2", "3.9"), ("2.8.0", "3.10"),
                ("2.8.4", "3.11"), ("2.8.7", "3.12"), ("2.10.2", "3.13"), ("2.12.0", "3.14")),
    "tensorflow-text": (("0.1.0", "3.7"), ("2.2.0", "3.8"), ("2.5.0", "3.9"), ("2.8.1", "3.10"), ("2.12.0", "3.11"),
                        ("2.18.1", "3.12"), ("2.20.1", "3.13")),
    "pyzmq": (("16.0.2", "3.6"), ("17.0.0", "3.7"), ("18.1.0", "3.8"), ("19.0.2", "3.9"), ("22.2.1", "3.10"),
              ("23.2.1", "3.11"), ("25.1.1", "3.12"), ("26.1.0", "3.13")),
    "greenlet": (("0.4.11", "3.6"), ("0.4.13", "3.7"), ("0.4.15", "3.8"), ("0.4.17", "3.9"), ("1.1.0", "3.10"),
                 ("1.1.3", "3.11"), ("3.0.0", "3.12"), ("3.1.0", "3.13"), ("3.2.0", "3.14")),
    "gevent": (("1.2.0", "3.6"), ("1.3.0", "3.7"), ("1.5.0", "3.8"), ("20.6.1", "3.9"), ("21.8.0", "3.10"),
               ("22.8.0", "3.11"), ("23.7.0", "3.12"), ("24.10.1", "3.13"), ("25.4.1", "3.14")),
    "faiss-cpu": (("1.5.3", "3.7"), ("1.6.1", "3.8"), ("1.6.4", "3.9"), ("1.7.1.post3", "3.10"), ("1.7.3", "3.11"),
                  ("1.8.0", "3.12"), ("1.9.0.post1", "3.13"), ("1.12.0", "3.14")),
    "praat-parselmouth": (("0.1.0", "3.6"), ("0.3.1", "3.7"), ("0.3.3", "3.8"), ("0.4.0", "3.9"), ("0.4.1", "3.10"),
                          ("0.4.2", "3.11"), ("0.4.3", "3.12"), ("0.4.5", "3.13"), ("0.4.7", "3.14")),
    "orjson": (("1.1.0", "3.7"), ("2.0.11", "3.8"), ("2.2.0", "3.9"), ("3.4.7", "3.10"), ("3.7.7", "3.11"),
               ("3.9.3", "3.12"), ("3.10.7", "3.13"), ("3.11.1", "3.14")),
}


# The oldest Python each TensorFlow line has wheels for (PyPI's files): with NEWEST_PYTHON, the range a pin fits.
OLDEST_PYTHON = {
    "tensorflow": (("2.2", "3.5"), ("2.4", "3.6"), ("2.7", "3.7"), ("2.12", "3.8"), ("2.14", "3.9"), ("2.21", "3.10")),
}


# The first release of each line with no 32-bit Windows wheel (win32) while it has 64-bit ones (win_amd64), from
# PyPI's files: from there on a source build of it on Windows most often means the Python is 32-bit.
WIN32_WHEELS_END = {"pandas": "2.1.0", "scipy": "1.9.2", "matplotlib": "3.8.0", "scikit-learn": "1.1.3", "h5py": "3.0.0"}


def win64_only(requirement: Optional[str]) -> Optional[str]:
    """``pandas==2.2.1`` -> ``"2.1.0"``: that release has 64-bit Windows wheels only; None if it has 32-bit ones too,
    its version is not known, or the package is not one whose 32-bit wheels are known to have ended."""
    name, spec = split_requirement(requirement or "")
    end = WIN32_WHEELS_END.get(name or "")
    version = pinned_version(spec or "")
    return end if end and version and version_key(version) >= version_key(end) else None


def lagging_release(text: str, requirement: Optional[str], python: str) -> bool:
    """``requirement`` (``pandas==2.3.0``) is a release of a package that ships wheels for every Python its line
    supports (NEWEST_PYTHON), pip took its source archive unasked (no ``==`` pin in the log), and ``python`` is one
    the line has wheels for: that one release lacks them here."""
    name, spec = split_requirement(requirement or "")
    version = pinned_version(spec or "")
    newest = newest_python(requirement)
    if not (name and version and newest) or version_key(python) > version_key(newest):
        return False
    pattern = name_pattern(name)
    asked = requested(text) or ""
    if "==" in asked or re.search(rf"\b{pattern}\s*==|requirements\.txt", text, re.IGNORECASE):
        return False
    return bool(re.search(rf"{pattern}-{re.escape(version)}\.(?:tar\.gz|zip)\b", text, re.IGNORECASE))


def oldest_python(requirement: Optional[str]) -> Optional[str]:
    """``tensorflow==2.19.0`` -> ``"3.9"``: the oldest Python that release has wheels for (None: not known)."""
    name, spec = split_requirement(requirement or "")
    version = pinned_version(spec or "")
    return _line_value(OLDEST_PYTHON.get(name or "", ()), version) if version else None


def newest_python(requirement: Optional[str]) -> Optional[str]:
    """``numpy==1.22.0`` -> ``"3.10"``: the newest Python that release has wheels for (None: not known)."""
    name, spec = split_requirement(requirement or "")
    table = NEWEST_PYTHON.get(name or "")
    if not table or not spec or spec.lstrip().startswith(">"):  # a floor alone: the newest releases are in range
        return None
    version = pinned_version(spec) or re.sub(r"^[~=<>!]+", "", spec.split(",")[0])
    return _line_value(table, version) or table[0][1]  # older than every line: its first line's Python


def _line_value(table: Tuple[Tuple[str, str], ...], version: str) -> Optional[str]:
    """The value of the last release line of ``table`` that ``version`` has reached (None: older than all)."""
    found = None
    for line, value in table:
        if version_key(version) >= version_key(line):
            found = value
    return found


def first_release_for(name: str, python: Optional[str]) -> Optional[str]:
    """The oldest release of ``name`` with wheels for ``python`` (``numpy``, 3.13 -> ``2.1``), None if not known."""
    table = NEWEST_PYTHON.get(name)
    if not table or not python:
        return None
    return next((line for line, newest in table if version_key(newest) >= version_key(python)), None)


def torch_companion(name: str, torch: str) -> Optional[str]:
    """The torchaudio/torchvision minor series made for a torch release: they follow torch's own releases
    (torch 1.M: torchaudio 0.M, torchvision 0.M+1; torch 2.M: torchaudio 2.M, torchvision 0.M+15)."""
    found = re.match(r"([12])\.(\d+)", torch)
    if not found:
        return None
    major, minor = int(found.group(1)), int(found.group(2))
    if name == "torchaudio":
        return f"0.{minor}" if major == 1 else f"2.{minor}"
    if name == "torchvision":
        return f"0.{minor + 1}" if major == 1 else f"0.{minor + 15}"
    return None


# Modules whole releases removed, which old code still imports: the release that removed each, and the new way
REMOVED_MODULES = {
    "moviepy.editor": ("2.0", "import the classes from moviepy itself (`from moviepy import VideoFileClip`)"),
    "tensorflow.contrib": ("2.0", "use its TensorFlow 2 replacement (tf.compat.v1, tf.keras, TensorFlow Addons)"),
    "sklearn.externals.joblib": ("0.23", "`import joblib` (install joblib)"),
}


def removed_in(module: str) -> Optional[Tuple[str, str]]:
    """``moviepy.editor`` -> ("2.0", the new way): the release that removed a module (or a parent of it), if known."""
    parts = module.split(".")
    return next((REMOVED_MODULES[".".join(parts[:n])] for n in range(len(parts), 1, -1)
                 if ".".join(parts[:n]) in REMOVED_MODULES), None)


# Import names people ask pip for, and the distribution that provides each.
DISTRIBUTION_OF = {"win32com": "pywin32", "win32api": "pywin32", "pywintypes": "pywin32", "cv2": "opencv-python",
                   "sklearn": "scikit-learn", "PIL": "pillow", "yaml": "pyyaml", "skimage": "scikit-image",
                   "MySQLdb": "mysqlclient", "bs4": "beautifulsoup4", "Crypto": "pycryptodome", "dateutil": "python-dateutil",
                   "speech_recognition": "SpeechRecognition",
                   # pkg_resources came with setuptools until setuptools 82 removed it
                   "pkg_resources": "setuptools<82"}


def install_names(import_name: Optional[str], text: str) -> Dict[str, str]:
    """The fields a rule's action uses for an import name: ``dist``, and a pyttsx note when pyttsx is involved."""
    if not import_name or import_name not in DISTRIBUTION_OF:
        return {}
    pyttsx = ("; the old pyttsx is unmaintained, pyttsx3 is its successor"
              if re.search(r"\bpyttsx\b(?!3)|pyttsx==", text) else "")
    return {"dist": DISTRIBUTION_OF[import_name], "pyttsx": pyttsx}


# `pip install X`, `pip3 install -U X`, `uv pip install X`, `uv add X`, `poetry add X`, `conda install X` as typed
_REQUESTED = re.compile(r"(?:\bpip\d?(?:\.\d+)?(?:\.exe)?|\buv pip|\bpython\d?(?:\.\d+)?(?:\.exe)? -m pip|\bpy(?: -[\d.]+)? -m pip)"
                        r" install((?: +-{1,2}[\w-]+(?:[= ](?!-)\S+)?)*) +[\"']?(?P<req>[A-Za-z][\w.\-\[\]]*"
                        r"(?:[<>=!~]=?[\w.*]+(?:,[<>=!~]=?[\w.*]+)*)?)"
                        r"|\b(?:uv|poetry) add +[\"']?(?P<add>[A-Za-z][\w.\-\[\]]*(?:[<>=!~]=?[\w.*]+)?)")
_NOT_A_PACKAGE = {"pip", "setuptools", "wheel", "requirements", "r", "e", "upgrade", "u"}


# Distributions users type most, and the real names near them (so that none of those reads as a typo of another)
WELL_KNOWN = frozenset(("tensorflow", "tensorflow-gpu", "tensorflow-cpu", "tensorflow-intel", "tensorflow-macos",
                        "tensorflow-metal", "tensorflow-io", "tensorflow-io-gcs-filesystem", "tensorflow-text",
                        "tensorflow-addons", "tensorflow-hub", "tensorflow-estimator", "tensorboard", "tf-nightly",
                        "keras", "spleeter", "numpy", "pandas", "scipy", "matplotlib", "scikit-learn", "torch",
                        "torchaudio", "torchvision", "torchtext", "librosa", "soundfile", "pydub", "ffmpeg-python",
                        "ffmpeg", "moviepy", "opencv-python", "opencv-contrib-python", "pyttsx3", "pyaudio", "requests",
                        "pillow", "transformers", "tokenizers", "openai-whisper", "whisper", "numba", "llvmlite",
                        "jax", "jaxlib", "onnx", "onnxruntime", "onnxruntime-gpu", "setuptools", "wheel", "pip",
                        "virtualenv", "cython", "pyinstaller", "flask", "django", "selenium", "beautifulsoup4",
                        "pytest", "ipykernel", "jupyter", "notebook", "protobuf", "h5py", "seaborn", "sympy"))

# every name the tables here know, which a typo check must not read as a typo (sorted: difflib's candidates)
_KNOWN_NAMES = tuple(sorted(WELL_KNOWN | frozenset(NEWEST_PYTHON)
                            | frozenset(canonical(d) for d in DISTRIBUTION_OF.values())))


def misspelt(name: str) -> Optional[str]:
    """The well-known distribution ``name`` is most likely a typo of (``tesorflow`` -> ``tensorflow``); None when
    it is one of them, is one DISTRIBUTION_OF or NEWEST_PYTHON knows, or is near none."""
    known = _KNOWN_NAMES
    name = canonical(name)
    # a known name with a suffix (tensorflow-cpu-aws, torch-directml) is a variant of it, not a typo
    if name in known or len(name) < 5 or any(name.startswith(k + "-") or name.endswith("-" + k) for k in known):
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
    return close[0] if close else None


def requested(text: str) -> Optional[str]:
    """The package the user asked to install, from the first install command the log shows (not pip itself)."""
    for match in _REQUESTED.finditer(text):
        options = match.group(1) or ""
        if re.search(r"(?:^| )-(?:r|e|c)\b|--requirement|--editable", options):
            continue  # a requirements file or a local checkout: no one package
        req = match.group("req") or match.group("add")
        if req and not installer_itself(req) and not req.endswith((".txt", ".whl")):
            return clean_requirement(req)
    return None


def installer_itself(req: str) -> bool:
    """pip, setuptools, wheel (or an option word): not the package a user was after."""
    return (split_requirement(req)[0] or "").lower() in _NOT_A_PACKAGE
