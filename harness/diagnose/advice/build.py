"""Advice for source builds: the compiler, the build backend, metadata generation, a wheel elsewhere."""
from __future__ import annotations

import difflib
import re
from typing import Optional, Tuple

from harness.diagnose import reqs
from harness.diagnose.advice.base import (
    OLD_PIP,
    Facts,
    another_projects_log,
    bare_pip,
    blocker_name,
    distribution,
    fresh,
    install_cmd,
    new_venv,
    old_spleeter_dependency,
    on_windows,
    pin_spleeter,
    q,
    set_env,
    this_python,
    tied_to_pack,
    wheels_instead,
    write_line,
)
from harness.diagnose.advice.python import interpreter_advice, lagging_release
from harness.diagnose.context import posix_evidence
from harness.diagnose.rules.cues import (
    C1083_OPEN,
    C1083_QUOTE,
    CMAKE_MISSING,
    FORTRAN_MISSING,
    GDAL_CONFIG_MISSING,
    PROJ_MISSING,
    REMOVED_FROM_SETUPTOOLS,
    RUST_MISSING,
)

BACKEND_PACKAGES = (
    ("poetry", "poetry-core"), ("flit", "flit-core"), ("hatch", "hatchling"),
    ("meson", "meson-python"), ("pdm", "pdm-backend"), ("setuptools", "setuptools wheel"), ("uv", "uv_build"),
)


WINGET_BUILD_TOOLS = ('winget install --id Microsoft.VisualStudio.2022.BuildTools --override '
                      '"--quiet --wait --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"')


def msvc_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "msvc-sdk-header-missing":
        header = f.groups.get("header", "crtdbg.h")
        return (f"The compiler runs but cannot find {header}, a header of the Windows SDK / Universal CRT: in the "
                f"Visual Studio Installer modify the Build Tools and add the Windows 10 SDK (or the Windows 11 SDK; the workload 'Desktop "
                f"development with C++' with its recommended components includes it), open a new terminal and retry; "
                f"or avoid building {f.blocker or 'it'}: {wheel_elsewhere(f)}.",
                (WINGET_BUILD_TOOLS,))
    # on Linux/macOS the compiler to install is the OS's (the build-tool table's), not MSVC
    compiler = missing_build_tool(f) if not on_windows(f) and posix_evidence(f.log) else None
    if compiler:
        return compiler
    # setuptools 74 changed how it finds MSVC, and missed installed Build Tools under conda's Pythons
    detection = (" If the Build Tools are installed already, this is setuptools 74's MSVC detection (it misses them "
                 "under conda's Python): pin `setuptools<74` for the build." if re.search(
                     r"setuptools\s*(?:>=?\s*|==\s*|-|\s)(?:7[4-9]|8\d)\b", f.log) else "")
    return (f"Install the Microsoft C++ Build Tools (workload 'Desktop development with C++'; the Visual C++ "
            f"Redistributable is not enough), open a new terminal and retry; or avoid building "
            f"{f.blocker or 'it'}: {wheel_elsewhere(f)}.{detection}",
            (WINGET_BUILD_TOOLS, new_venv(f, f.python or f.target_python), install_cmd(f, "--only-binary=:all:", f.pack)))


# a package's own build or import saying Windows is not a platform it supports
NOT_ON_WINDOWS = re.compile(r"only supports? (?:the )?Linux|(?:is )?not supported on Windows|does not support Windows|"
                            r"Windows is not supported|not (?:yet )?available on Windows", re.IGNORECASE)


def wheel_elsewhere(f: Facts) -> str:
    """Where a wheel of the blocker exists: the newest Python it was built for, or the first release built for
    this Python (numpy 2.0.2 on 3.13: Python 3.12, or numpy>=2.1)."""
    name = blocker_name(f)
    newest = reqs.newest_python(f.blocker if reqs.split_requirement(f.blocker or "")[1] else None)
    first = reqs.first_release_for(name, f.python)
    ways = ([f"Python {newest}, the newest it has wheels for"] if newest and newest != f.python else []) + (
        [f"{name} {first} or newer (`{name}>={first}`), the first release with wheels for Python {f.python}"]
        if first else [])
    return " or ".join(ways) if ways else "use a Python that has a wheel for it"


def numpy_too_old(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """An old NumPy on a newer Python: no wheel, and its sdist no longer builds there."""
    newest = reqs.newest_python(f.blocker)
    if not newest or not f.python or reqs.version_key(f.python) <= reqs.version_key(newest):
        return None
    why = " (distutils)" if blocker_name(f) == "numpy" else ""
    return (f"{f.blocker} has no wheel for Python {f.python} and its source no longer builds there{why}: use "
            f"{wheel_elsewhere(f)}.", (new_venv(f, newest), install_cmd(f, "--only-binary=:all:", f.blocker or "numpy")))


def source_build_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "python-build-failed":  # the interpreter itself was compiled (pyenv, asdf, by hand)
        return interpreter_advice(f)
    too_old = numpy_too_old(f)
    if too_old:
        return too_old
    if on_windows(f) and NOT_ON_WINDOWS.search(f.log):  # the package's own build says so: no Windows build exists
        return (f"{blocker_name(f) if f.blocker else 'The package'} says it does not support Windows (its build says "
                f"so), so there is no wheel and the source build cannot work here: run it under WSL2 (`wsl --install`, "
                f"then install it in a Linux venv) or on a Linux machine or container.",
                ("wsl --install",))
    if re.search(r"\bdoas\b|OpenBSD|FreeBSD|NetBSD|pkg_add", f.log):
        return (f"PyPI has no wheels for the BSDs, so {f.blocker or 'the package'} builds from source and fails: "
                f"install numpy/pandas and the other compiled dependencies from the OS packages (pkg_add / pkg), "
                f"or run on Linux, macOS or Windows, where wheels exist.", ("pkg_add py3-numpy py3-pandas",))
    if re.search(r"Python\.h: No such file or directory", f.log):
        dev = f"python{f.python}-dev" if f.python else "python3-dev"
        return (f"The Python headers (Python.h) are missing, so no C extension can build: install the Python "
                f"development package for this interpreter (`sudo apt-get install {dev}` on Debian/Ubuntu - "
                f"python3.X-dev for another 3.X, python-dev for Python 2; python3-devel on Fedora/RHEL), then retry; "
                f"or {wheels_instead(f)}.", (f"sudo apt-get install -y {dev} build-essential",))
    for missing in (missing_header, missing_build_tool, rust_too_new, missing_rust, setuptools_too_new):
        found = missing(f)
        if found:
            return found
    llvm = re.search(r"Building llvmlite requires LLVM (\d+(?:\.[\dx]+)*(?: or \d+(?:\.[\dx]+)*)?)(?:[^\n]*got '([\d.]+)')?", f.log)
    if blocker_name(f) == "llvmlite" or llvm or re.search(r"point LLVM_CONFIG to|llvm-config failed", f.log):
        which = (f" (this one needs LLVM {llvm.group(1)}" + (f"; llvm-config gave {llvm.group(2)}" if llvm.group(2) else "")
                 + ")" if llvm else "")
        why = (f"llvmlite only builds against one LLVM version (llvm-config){which}: to build it anyway install that "
               "LLVM and set LLVM_CONFIG to its llvm-config (`apt install llvm-N-dev` / `brew install llvm@N`), or get a "
               "prebuilt one - a llvmlite release with a wheel for this Python (`pip install llvmlite` without an old "
               "pin), or conda's (`conda install -c conda-forge llvmlite numba`)")
    else:
        why = f"building {f.blocker or 'a dependency'} from source failed (see the evidence)"
    if old_spleeter_dependency(f):
        return (f"Do not build from source: {why}; {pin_spleeter(f)}. Otherwise {wheels_instead(f)}.",
                fresh(f, f.python or f.target_python, f.pack))
    # a pinned release, or one of the packages whose first release with wheels for each Python is known
    elsewhere = (wheel_elsewhere(f) if reqs.split_requirement(f.blocker or "")[1]
                 or reqs.first_release_for(blocker_name(f), f.python) else "")
    first = reqs.first_release_for(blocker_name(f), f.python)
    also = (f"; {f.blocker} itself has wheels on {elsewhere}, or take a newer {blocker_name(f)} release with wheels "
            f"for your Python" if elsewhere and "use a Python" not in elsewhere else "")
    if first and not reqs.split_requirement(f.blocker or "")[1]:  # which release was built is not shown
        also = (f"; a newer {blocker_name(f)} has wheels for Python {f.python}: upgrade it (`{bare_pip(f)} install "
                f"--upgrade {blocker_name(f)}`; {elsewhere})")
    return (f"Do not build from source: {why}; {wheels_instead(f)}{also}.",
            fresh(f, f.target_python, "--only-binary=:all:", f.pack))


def metadata_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "deprecated-placeholder":
        return placeholder_advice(f)
    if f.rule == "metadata-imports-missing-module":
        return build_import_advice(f)
    removed = setuptools_too_new(f) if f.rule == "setuptools-rejects-setup-config" else None
    if removed:
        return removed
    too_old = numpy_too_old(f)
    if too_old and not f.fell_back_to:
        return too_old
    tool = missing_build_tool(f)  # setup.py looks the library up (pg_config, mysql_config) before any compiling
    if tool:
        return tool
    imported = re.search(r"No module named '?([A-Za-z_]\w*)", f.log)
    if imported and imported.group(1) not in ("setuptools", "distutils", "pip", "numpy") and not f.fell_back_to:
        dist = distribution(imported.group(1))
        return (f"The setup.py of {f.blocker or 'the package'} imports {imported.group(1)} before pip has installed "
                f"anything: install {dist} first (`{bare_pip(f)} install {dist}`), then install "
                f"{blocker_name(f)} again.", (f"{bare_pip(f)} install {dist}", f"{bare_pip(f)} install {blocker_name(f)}"))
    if f.fell_back_to:
        return (f"pip fell back to {f.fell_back_to}, whose requirement {f.blocker or 'numpy<1.19'} only exists as "
                f"a source archive that no longer builds: use Python {f.target_python} and pin {f.pack}.",
                fresh(f, f.target_python))
    if another_projects_log(f) and not (f.blocker and tied_to_pack(f.blocker)):
        return (REMOVED_FROM_SETUPTOOLS.search(f.log) and setuptools_too_new(f)) or broken_sdist_advice(f)
    lagging = lagging_release(f)
    if lagging:
        return lagging
    return (f"{f.blocker or 'A dependency'} has no wheel here and its source build failed while preparing "
            f"metadata: {wheels_instead(f)}.",
            fresh(f, f.target_python, "--only-binary=:all:", f.pack))


def broken_sdist_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """Another project's package whose own setup.py failed: the release (or the name) is the problem, not spleeter
    or the Python, unless the log says so - the way out is the name as PyPI spells it or another release."""
    name = blocker_name(f) if f.blocker else "the package"
    version = reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1])
    typed = reqs.requested(f.log)
    pinned = bool(typed and "==" in typed) or bool(re.search(r"==\s*\d|requirements\.txt", f.log))
    if version and not pinned:  # the newest release, picked by pip itself, is the broken one
        release = (f"{name} {version} - the release pip picked - ships a source archive whose setup.py fails: install "
                   f"the previous version (`{bare_pip(f)} install \"{name}<{version}\"`) or a newer version once "
                   f"one is out (or the project's repository)")
    else:
        release = (f"an old version pin that no longer builds on this Python is the usual cause: remove the version "
                   f"number (unpin it, e.g. in requirements.txt) or use a newer version with a wheel for "
                   f"{this_python(f)}")
    return (f"The metadata step of {name} failed in its own setup.py (not pip's fault, nor a missing wheel of a "
            f"dependency): {release}. If it says `No module named ...` or names a dependency, that is what to "
            f"install first; and check the package name is spelled as on PyPI (a misspelt or abandoned name is often "
            f"a broken sdist).", (f"{bare_pip(f)} index versions {name if f.blocker else 'NAME'}",
                                  f"{bare_pip(f)} install --only-binary=:all: {name if f.blocker else 'NAME'}"))


def setup_imports_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """An isolated build whose setup.py imports what build-system.requires does not declare."""
    found = re.findall(r"No module named '([A-Za-z_]\w*)'", f.log)
    module = found[-1] if found else "setuptools"
    dist = {"numpy": "numpy", "Cython": "cython", "torch": "torch", "setuptools": "setuptools",
            "pkg_resources": "setuptools", "skbuild": "scikit-build", "pybind11": "pybind11"}.get(module, module)
    name = blocker_name(f) if f.blocker else "PACKAGE"
    needs = " ".join(dict.fromkeys((dist, "setuptools", "wheel")))
    if f.installer == "uv" or "uv" in f.log.split()[:3] or ".cache/uv/" in f.log or "uv add" in f.log:
        return (f"{name}'s setup.py imports `{module}` while it builds but does not declare it in build-system.requires, "
                f"so uv's isolated build environment lacks it: install it first and build {name} without isolation "
                f"(`uv pip install {needs}` then `uv pip install --no-build-isolation {name}`), or in a uv project "
                f"declare it - `[tool.uv.extra-build-dependencies] {name} = [\"{dist}\"]` (uv 0.8+), or "
                f"`no-build-isolation-package = [\"{name}\"]` with {dist} in the project; a release of {name} with a "
                f"wheel for this Python avoids the build.",
                (f"uv pip install {needs}", f"uv pip install --no-build-isolation {name}"))
    if re.search(r"-m build\b|\bpyproject-build\b|ERROR Backend subprocess exited", f.log):
        # pypa/build, building the user's own project: the project's pyproject.toml is the place to declare it
        return (f"The project's setup.py imports `{module}` while it builds, but its pyproject.toml does not declare "
                f"it, so build's isolated environment lacks it: add it to the [build-system] requires (`requires = "
                f"[\"setuptools\", \"{dist}\"]`), or build without isolation after installing it (`{bare_pip(f)} "
                f"install {needs}` then `python -m build --no-isolation`).",
                (f"{bare_pip(f)} install {needs}", "python -m build --no-isolation"))
    return (f"{name}'s setup.py imports `{module}` while it builds but does not declare it, so pip's isolated build "
            f"environment lacks it: install it first, then build without isolation (`{bare_pip(f)} install {needs}` "
            f"then `{bare_pip(f)} install --no-build-isolation {name}`), or use a release of {name} with a wheel for "
            f"this Python.", (f"{bare_pip(f)} install {needs}", f"{bare_pip(f)} install --no-build-isolation {name}"))


# pip's own words when `import setuptools` fails in the Python that runs a legacy setup.py: it is missing there, or
# installed but broken (setuptools 77.0.0/77.0.1 failed to import beside an old packaging)
NOT_AVAILABLE = re.compile(r"since setuptools is not available in the build environment")


def unimportable_setuptools(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    pip = bare_pip(f)
    return (f"pip could not import setuptools in the Python that runs {f.pack}'s setup.py: it is missing there, or "
            f"installed but broken (a release that fails to import, such as setuptools 77.0.0/77.0.1 beside an old "
            f"packaging). Upgrade it in that environment (`{pip} install --upgrade setuptools wheel packaging`) - or "
            f"declare it in pyproject.toml's build-system requires (`requires = [\"setuptools\", \"wheel\"]`) for "
            f"isolated builds - then install again.",
            (f"{pip} install --upgrade setuptools wheel packaging", install_cmd(f, f.pack)))


def backend_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule in ("build-imports-missing-module", "build-needs-numpy-headers"):
        return build_import_advice(f)
    if f.rule == "setuptools-removed-api":
        removed = setuptools_too_new(f)
        if removed:
            return removed
    if f.rule == "setuptools-missing-in-build" and NOT_AVAILABLE.search(f.log):
        return unimportable_setuptools(f)
    if f.rule == "setup-imports-undeclared" or (
            f.rule == "setuptools-missing-in-build" and not re.search(r"--no-(?:build-)?isolation", f.log)):
        return setup_imports_advice(f)
    backend = f.groups.get("backend") or f.backend or "setuptools"
    typo = misspelt_backend(backend)
    if typo:  # the backend's module name in pyproject.toml is wrong, not the installed packages
        return (f"pyproject.toml names the build backend `{backend}`, which no package provides: it is spelled "
                f"`{typo}` - fix `build-backend = \"{typo}\"` in the [build-system] table of pyproject.toml and "
                f"build again.", (f"{bare_pip(f)} install .",))
    package = next((pkg for key, pkg in BACKEND_PACKAGES if key in backend), "setuptools wheel")
    old = re.search(r"setuptools-(?:[0-3]\d|4[01])\.[\d.]+", f.log)
    if "setuptools" in backend and old and not re.search(r"--no-(?:build-)?isolation", f.log):
        return (f"The build ran with an old setuptools ({old.group(0)}) whose setuptools.build_meta does not work for "
                f"isolated (PEP 517) builds: require a recent one in pyproject.toml's [build-system] (`requires = "
                f"[\"setuptools>=42\", \"wheel\"]`), or upgrade setuptools and build without isolation.",
                (f"{bare_pip(f)} install --upgrade setuptools wheel",))
    return (f"Install the build backend ({package}) into the venv before --no-build-isolation, "
            f"or build with isolation (drop --no-build-isolation).",
            (new_venv(f, f.python or f.target_python), install_cmd(f, *package.split()),
             install_cmd(f, "--no-build-isolation", f.pack)))


# The build backends' module names (PEP 517 ``build-backend``), to recognise one spelled wrong.
KNOWN_BACKENDS = ("setuptools.build_meta", "setuptools.build_meta:__legacy__", "poetry.core.masonry.api",
                  "flit_core.buildapi", "hatchling.build", "pdm.backend", "mesonpy", "scikit_build_core.build",
                  "maturin", "sipbuild.api", "uv_build")


def misspelt_backend(backend: str) -> str:
    """The known backend ``backend`` is a misspelling of ("" when it is one, or close to none)."""
    if backend in KNOWN_BACKENDS:
        return ""
    close = difflib.get_close_matches(backend, KNOWN_BACKENDS, n=1, cutoff=0.85)
    return close[0] if close else ""


# C headers source builds often miss, and the system package that brings each (Debian/Ubuntu, Homebrew).
HEADERS = (("portaudio.h", "portaudio19-dev", "portaudio"), ("sndfile.h", "libsndfile1-dev", "libsndfile"),
           ("ffi.h", "libffi-dev", "libffi"), ("openssl/", "libssl-dev", "openssl"), ("zlib.h", "zlib1g-dev", "zlib"),
           ("yaml.h", "libyaml-dev", "libyaml"), ("libxml/", "libxml2-dev", "libxml2"), ("lzma.h", "liblzma-dev", "xz"),
           ("espeak", "libespeak-dev", "espeak"), ("cblas.h", "libopenblas-dev", "openblas"),
           ("gmp.h", "libgmp-dev", "gmp"), ("hdf5.h", "libhdf5-dev", "hdf5"), ("sqlite3.h", "libsqlite3-dev", "sqlite"),
           ("jack/jack.h", "libjack-jackd2-dev", "jack"), ("alsa/", "libasound2-dev", "alsa-lib"),
           ("mysql.h", "default-libmysqlclient-dev", "mysql-client"), ("X11/", "libx11-dev", "libx11"))
# Windows has no -dev packages: where the C library behind a header comes from there, or what needs none
WINDOWS_LIBRARIES = {
    "mysql.h": "MySQL Connector/C or MariaDB Connector/C (point MYSQLCLIENT_CONNECTOR at it) - or PyMySQL, a pure "
               "Python driver that needs no build (`pip install PyMySQL`, then `pymysql.install_as_MySQLdb()`)",
    "my_config.h": "MySQL Connector/C or MariaDB Connector/C (point MYSQLCLIENT_CONNECTOR at it) - or PyMySQL, a "
                   "pure Python driver that needs no build (`pip install PyMySQL`, then `pymysql.install_as_MySQLdb()`)",
}


def windows_python_headers(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """Python.h missing on Windows: a Python without its include folder - the embeddable package (the python_embeded
    of portable apps such as ComfyUI's), which every python.org installer does have."""
    name = blocker_name(f) if f.blocker else "the package"
    wheel = f"{bare_pip(f)} install --only-binary=:all: {blocker_name(f) if f.blocker else 'PACKAGE'}"
    return (f"This Python has no C headers (Python.h): most often an embeddable Python (a portable app's "
            f"python_embeded, the embeddable zip), which ships without its include and libs folders, so nothing "
            f"compiles against it. Install a prebuilt wheel of {name} made for this Python instead (`{wheel}`, or "
            f"the project's own cpXY-win_amd64 wheel for it), or copy the include and libs folders from the "
            f"python.org installer of exactly this version into it, then build again.", (wheel,))


def missing_header(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A C header the compiler did not find: the system library's development package is missing."""
    found = re.search(rf"fatal error C1083: {C1083_OPEN}{C1083_QUOTE}([\w./+-]+\.h){C1083_QUOTE}", f.log) or re.search(
        # clang may break the line after "fatal error:" and indent the header onto the next one
        r"fatal error:\s+'?([\w./+-]+\.h)'?(?::)? (?:No such file or directory|file not found)", f.log,
        re.IGNORECASE) or re.search(
        # gcc's own form in any language: the header, its localised message, then the #include line it quotes
        r"fatal error: '?([\w./+-]+\.h)'?: [^\n]+\n[^\n]*#\s*include\b", f.log)
    if found and found.group(1).endswith("Python.h") and on_windows(f):
        return windows_python_headers(f)
    if not found or found.group(1).endswith("Python.h"):
        return missing_link_library(f)
    header = found.group(1)
    apt, brew = next(((a, b) for key, a, b in HEADERS if key in header),
                     (f"the -dev package that provides {header} (`apt-file search {header}`)",
                      # the library's name: the header's folder (llvm/IR/X.h -> llvm), else its stem (gsl.h -> gsl)
                      header.split("/")[0] if "/" in header else header[:-2]))
    if on_windows(f):  # no system package manager: a prebuilt wheel, or the library from conda
        return (f"The build of {f.blocker or 'the package'} needs the C library behind {header}, which is not installed "
                f"(the compiler itself ran): install a prebuilt wheel instead - a newer release of "
                f"{blocker_name(f)} that has Windows wheels for your Python, or one built by others (pipwin, or "
                f"`conda install -c conda-forge {blocker_name(f)}`) - or install the library "
                + next((where for key, where in WINDOWS_LIBRARIES.items() if key in header),
                       f"{brew} (`conda install -c conda-forge {brew}`, vcpkg) and point the build at its include and "
                       "lib folders") + ".",
                (f"{bare_pip(f)} install --only-binary=:all: {blocker_name(f)}",))
    install = (f"brew install {brew}" if f.platform == "macos" else f"sudo apt-get install -y {apt}"
               if " " not in apt else f"apt-file search {header}")
    debian = f"`sudo apt-get install {apt}`" if " " not in apt else apt
    return (f"The build of {f.blocker or 'the package'} needs the C header {header}, which is not installed: install "
            f"the library's development files - {debian} on Debian/Ubuntu, `brew install {brew}` "
            f"on macOS (conda: `conda install -c conda-forge {brew}`) - then install again; or use a release or Python "
            f"that has a wheel, so nothing needs compiling.", (install,))


# a C library the build links or loads, not found: the linker's -lNAME, or a setup.py that dlopens it (h5py's
# "Loading library to get version: libhdf5.so")
LINK_LIBRARY = re.compile(r"\bld[\w.-]*: cannot find -l(?P<lib>[\w+-]+)|"
                          r"^\s*error: lib(?P<lib2>[\w+-]+)\.so[.\d]*: cannot open shared object file", re.MULTILINE)


def missing_link_library(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The build found no C library to link or load (not a header): its system package, as for a header."""
    found = LINK_LIBRARY.search(f.log)
    if not found or on_windows(f):
        return None
    name = found.group("lib") or found.group("lib2")
    apt, brew = next(((a, b) for key, a, b in HEADERS if key.startswith(name + ".") or b == name),
                     (f"lib{name}-dev", name))
    return (f"The build of {f.blocker or 'the package'} needs the C library lib{name}, which is not installed: install "
            f"its development files - `sudo apt-get install {apt}` on Debian/Ubuntu, `brew install {brew}` on macOS "
            f"(conda: `conda install -c conda-forge {brew}`) - then install again; or use a release or Python that has "
            f"a wheel for this platform, so nothing needs compiling.",
            (f"brew install {brew}" if f.platform == "macos" else f"sudo apt-get install -y {apt}",))


def build_import_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """setup.py imports numpy/Cython/... at build time: provide it to the build, or make the build declare it."""
    module = (f.groups.get("backend") or f.backend or "numpy").replace("NumPy", "numpy")
    dist = distribution(module)
    pip = bare_pip(f)
    if imports_itself(f, module):
        return (f"setup.py imports {module} from its own source folder, and this Python did not put that folder on "
                f"sys.path: the Windows embeddable Python does that (its python3X._pth fixes sys.path; add a line "
                f"`.` or uncomment `import site` there), as does PYTHONSAFEPATH. Use a full Python from the python.org "
                f"installer (or `uv python install`) for pip installs, or install a wheel of {module} instead of "
                f"building it.", (f"{pip} install --only-binary=:all: {dist}",))
    upgrade = (f"First upgrade pip (`{pip} install --upgrade pip setuptools wheel`): this old pip ignores the "
               f"project's pyproject.toml build requires and the newer wheels that need no build at all. "
               if OLD_PIP.search(f.log) else "")
    target = blocker_name(f) if f.blocker else "PACKAGE"
    return (f"{upgrade}The package's build imports {module}, which its build environment does not have: install "
            f"{dist} first (`{pip} install {dist}`), then build without isolation so the build sees it (`{pip} "
            f"install --no-build-isolation {target}`); the lasting fix is the project listing {dist} in its "
            f"pyproject.toml [build-system] requires (setup_requires for old setup.py projects), or a release that "
            f"ships a wheel.",
            (f"{pip} install --upgrade pip setuptools wheel", f"{pip} install {dist}",
             f"{pip} install --no-build-isolation {target}"))


def imports_itself(f: Facts, module: str) -> bool:
    """The setup.py being run imports the very package it builds (``from parse import __version__`` in parse's)."""
    return bool(re.search(rf"[\\/]{re.escape(module)}_[0-9a-f]{{32}}[\\/]setup\.py\", line \d+[^\n]*\n\s*(?:from|import) "
                          rf"{re.escape(module)}\b", f.log))


def placeholder_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A deprecated placeholder (``sklearn``): install the real distribution, and fix the requirement naming it."""
    found = re.search(r"The '([\w.-]+)' PyPI package is deprecated, use '([\w.-]+)'", f.log)
    old, new = (found.group(1), found.group(2)) if found else (f.blocker or "it", "the real package")
    allow = re.search(r"\b([A-Z][A-Z0-9_]*ALLOW[A-Z0-9_]*)\b", f.log)
    stopgap = (f"; until a dependency that still requires {old} is fixed, {allow.group(1)}=True lets it install"
               if allow else "")
    return (f"`{old}` is a deprecated placeholder on PyPI that refuses to install: install {new} instead (`"
            f"{bare_pip(f)} install {new}`) and replace {old} by {new} in requirements files and setup.py{stopgap}.",
            (f"{bare_pip(f)} install {new}",))


# the C libraries whose config program a build asks for: a library, not a tool, on Windows
LIBRARY_TOOLS = frozenset(("GDAL's gdal-config (GDAL's development files)", "PROJ (its proj program and development files)",
                           "libxml2's and libxslt's development files", "libjpeg's and zlib's development files"))


# build tools a source build ran but did not find, and how each platform installs them
BUILD_TOOLS = (
    # before the C entry: meson's "Unknown compiler(s)" names the language's compilers
    (FORTRAN_MISSING, "a Fortran compiler (gfortran)", "sudo apt-get install -y gfortran", "brew install gcc"),
    (r"command '(?:[\w-]*-)?(?:gcc|cc|g\+\+|clang)' failed: No such file|unable to execute '(?:[\w-]*-)?(?:gcc|cc|g\+\+|clang)'"
     r"|Unknown compiler\(s\)|(?:gcc|cc): (?:command )?not found|No CMAKE_(?:C|CXX)_COMPILER could be found"
     r"|could not configure a C compiler",
     "a C/C++ compiler (gcc or clang)", "sudo apt-get install -y build-essential python3-dev", "xcode-select --install"),
    (CMAKE_MISSING, "CMake", "sudo apt-get install -y cmake", "brew install cmake"),
    # a library's own config program, which its -dev package brings (the binary wheel needs none of it)
    (r"pg_config executable not found|pg_config is required|pg_config: (?:command )?not found",
     "PostgreSQL's pg_config (libpq's development files; or install psycopg2-binary, which needs no build)",
     "sudo apt-get install -y libpq-dev", "brew install libpq"),
    (r"mysql_config not found|mysql_config: (?:command )?not found|Can not find valid pkg-config name",
     "MySQL's mysql_config (the client library's development files)",
     "sudo apt-get install -y default-libmysqlclient-dev pkg-config", "brew install mysql-client pkg-config"),
    (GDAL_CONFIG_MISSING,
     "GDAL's gdal-config (GDAL's development files)", "sudo apt-get install -y libgdal-dev", "brew install gdal"),
    (PROJ_MISSING, "PROJ (its proj program and development files)", "sudo apt-get install -y proj-bin libproj-dev",
     "brew install proj"),
    (r"(?:xml2|xslt)-config: (?:command )?not found|Please make sure the libxml2 and libxslt development packages",
     "libxml2's and libxslt's development files", "sudo apt-get install -y libxml2-dev libxslt1-dev",
     "brew install libxml2 libxslt"),
    # Pillow's setup.py looking for the image libraries it needs (jpeg, zlib) before compiling anything
    (r"The headers or library files could not be found for (?:jpeg|zlib)",
     "libjpeg's and zlib's development files", "sudo apt-get install -y libjpeg-dev zlib1g-dev",
     "brew install libjpeg zlib"),
    (r"pkg-config is required|pkg-config: (?:command )?not found|Did not find pkg-config",
     "pkg-config (and the -dev package of the library it looks up)", "sudo apt-get install -y pkg-config",
     "brew install pkg-config"),
)


def missing_build_tool(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The build ran a compiler, CMake or pkg-config that is not installed: install it, or avoid the build."""
    for pattern, what, apt, mac in BUILD_TOOLS:
        if re.search(pattern, f.log, re.IGNORECASE):
            windows = (" (on Windows the Microsoft C++ Build Tools)" if what.startswith("a C") else
                       " (anywhere: `pip install cmake`)" if what == "CMake" else
                       " (on Windows conda-forge's `fortran-compiler`, or MSYS2's mingw-w64 gfortran, on PATH)"
                       if what.startswith("a Fortran") else "")
            if f.platform == "windows" and what.startswith("libjpeg") and reqs.NEWEST_PYTHON.get(blocker_name(f)):
                return None  # Pillow ships Windows wheels: the release/Python without one is the finding
            if f.platform == "windows" and what in LIBRARY_TOOLS:  # no such library there: a wheel, or conda-forge's
                name = blocker_name(f)
                return (f"Building {f.blocker or 'the package'} from source needs {what}, which Windows does not have "
                        f"- pip builds it only because it found no wheel for this Python: install a release that has a "
                        f"Windows wheel for your Python ({wheels_instead(f)}), or install it from conda-forge, which "
                        f"brings the library too (`conda install -c conda-forge {name}`)"
                        + ("; to build it anyway, install GDAL (OSGeo4W, or conda-forge's gdal) and set GDAL_VERSION "
                           "and its include/library folders (GDAL_CONFIG where a gdal-config exists)" if "GDAL" in what
                           else "") + ".",
                        (f"{bare_pip(f)} install --only-binary=:all: {name}", f"conda install -c conda-forge {name}"))
            if what.startswith("a C/") and re.search(r"\balpine\b|\bmusl\b|\bapk add\b", f.log, re.IGNORECASE):
                return (f"Building {f.blocker or 'the package'} from source needs a C compiler, and this Alpine image "
                        f"has none: install Alpine's toolchain (`apk add --no-cache build-base`, plus python3-dev and "
                        f"linux-headers for most C extensions) in the Dockerfile before the pip install; or use a "
                        f"glibc image (python:3.X-slim), where many packages have wheels and nothing compiles.",
                        ("apk add --no-cache build-base python3-dev linux-headers",))
            if what.startswith("a C/") and re.search(r"com\.termux|\bTermux\b", f.log):
                return (f"Building {f.blocker or 'the package'} from source needs a C compiler, and this Termux "
                        f"(Android) has none: install it with Termux's own package manager (`pkg install clang`; "
                        f"Android has no wheels on PyPI, so compiled packages always build here) and retry.",
                        ("pkg install clang",))
            # the commands by hand are the log's own platform's (a Windows user is not told to run apt-get)
            manual = ((WINGET_BUILD_TOOLS if what.startswith("a C") else f"{bare_pip(f)} install cmake"
                       if what == "CMake" else "conda install -c conda-forge fortran-compiler"
                       if what.startswith("a Fortran") else "conda install -c conda-forge pkg-config",)
                      if f.platform == "windows" else (apt, mac))
            return (f"Building {f.blocker or 'the package'} from source needs {what}, which is not installed: install it "
                    f"- `{apt}` on Debian/Ubuntu, `{mac}` on macOS{windows} - and retry; or avoid the build with a "
                    f"release or Python that has a wheel for it ({wheels_instead(f)}).",
                    manual)
    return None


# packages whose source build is a Rust extension (maturin / setuptools-rust): their sdist needs a Rust toolchain
RUST_BUILT = frozenset(("tokenizers", "tiktoken", "orjson", "pydantic-core", "safetensors", "rpds-py", "cryptography",
                        "jiter", "polars", "watchfiles", "bcrypt", "maturin", "ormsgpack", "css-inline"))


def rust_too_new(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The Rust compiler ran and rejected the release's code: an old release whose code today's rustc refuses
    (new lints made errors), not a missing tool."""
    if f.rule != "rust-compile-error":
        return None
    name = blocker_name(f)
    rustc = re.search(r"rustc (\d+\.\d+)\.\d+", f.log)
    which = f" ({rustc.group(0)})" if rustc else ""
    # the Rust before the one that refused it, when the log shows which one that was
    older = reqs.previous_minor(rustc.group(1)) if rustc else None
    toolchain = (f"`rustup toolchain install {older}` and `rustup default {older}`" if older else
                 "`rustup toolchain install` a release from before the one you have")
    return (f"The Rust compiler{which} rejected the code of {f.blocker or 'this release'}: an old release's Rust code "
            f"that newer compilers refuse. Take a newer {name} whose code builds (or has a wheel for your Python): "
            f"`{bare_pip(f)} install --upgrade {name}` (loosen the pin that holds the old one); or build it with an "
            f"older Rust ({toolchain}).",
            (f"{bare_pip(f)} install --upgrade {name}",) + ((f"rustup toolchain install {older}",) if older else ()))


def missing_rust(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A Rust extension (tokenizers, cryptography, pydantic-core ...) built without a Rust toolchain - said so, or a
    Rust package's build that failed with no C compiler error in sight."""
    name = blocker_name(f)
    if not re.search(RUST_MISSING, f.log) and not (name in RUST_BUILT and not COMPILER_FAILED.search(f.log)):
        return None
    rustup = "winget install Rustlang.Rustup" if on_windows(f) else "curl https://sh.rustup.rs -sSf | sh"
    newer = f", or a newer {name} (`{bare_pip(f)} install --upgrade {name}`)" if name in RUST_BUILT else ""
    return (f"{f.blocker or 'The package'} builds a Rust extension and no Rust compiler was found: first upgrade "
            f"pip (`{bare_pip(f)} install --upgrade pip`; an old pip misses the prebuilt wheel), or use a Python "
            f"that has a wheel for it{newer}; to build anyway install Rust with rustup (https://rustup.rs; on Windows "
            f"rustup-init.exe plus the C++ Build Tools), open a new terminal and retry.",
            (f"{bare_pip(f)} install --upgrade pip", rustup))


# the traceback ends in setup.py's own code run by setuptools' backend, not in a compiler
SETUP_PY_RAISED = re.compile(r"build_meta\.py\", line \d+, in run_setup|exec\(code, locals\(\)\)")
COMPILER_FAILED = re.compile(r"error: command '[^'\n]+' failed|fatal error:|\bcl\.exe\b|\bgcc\b|\bclang\b|\bcmake\b",
                             re.IGNORECASE)


def setuptools_too_new(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """An old sdist whose setup.py fails under the newest setuptools, which an isolated build always installs."""
    removed = REMOVED_FROM_SETUPTOOLS.search(f.log)
    if not removed and not (SETUP_PY_RAISED.search(f.log) and not COMPILER_FAILED.search(f.log)
                            and reqs.pinned_version(reqs.split_requirement(f.blocker or "")[1])):
        return None
    name = f.blocker or "the package"
    cap = ("setuptools<58" if removed and "2to3" in removed.group(0) else
           "setuptools<74" if removed and "msvc" in removed.group(0) else
           "setuptools<78" if removed and "dash-separated" in removed.group(0) else "setuptools<72")
    where = "setup.cfg" if removed and "setup.cfg" in removed.group(0) else "setup.py"
    why = (f"its {where} uses what setuptools has since removed (`{removed.group(0)}`)" if removed else
           "its setup.py itself failed under the newest setuptools, which the isolated build installs (an old "
           "release often uses setuptools APIs removed since: setuptools.command.test in 72, use_2to3 in 58)")
    if f.installer == "uv":
        write = write_line(f, cap, "build-constraints.txt")
        how = (f"give the build an older setuptools: `{write}`, then `uv pip install --build-constraint "
               f"build-constraints.txt ...` (in a project: `[tool.uv] build-constraint-dependencies = "
               f"[\"{cap}\"]`)")
        manual: Tuple[str, ...] = (write, f"uv pip install --build-constraint build-constraints.txt {q(name)}")
    else:
        write = write_line(f, cap, "constraints.txt")
        how = (f"give the build an older setuptools through a constraint file pip passes to build environments "
               f"(`{write}`, then `{set_env(f, 'PIP_CONSTRAINT', 'constraints.txt')}` and install again)")
        manual = (write, set_env(f, "PIP_CONSTRAINT", "constraints.txt"), f"{bare_pip(f)} install {q(name)}")
    return (f"{name} was built from source and {why}: {how}; or take a newer release of {blocker_name(f)} that "
            f"builds with today's setuptools (or has a wheel).", manual)
