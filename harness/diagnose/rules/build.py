"""Rules: source builds (a missing backend, no MSVC, metadata generation, a failed compile)."""
from __future__ import annotations

from typing import Tuple

from harness.diagnose.context import OLD_PIP
from harness.diagnose.rules.base import ERROR_STATUS, EXCEPTION, Rule, rx
from harness.diagnose.rules.checks import (
    inside_build,
    inside_metadata_step,
    inside_wheel_build,
    setuptools_config_rejected_unstaged,
    setuptools_removal_outside_metadata,
)
from harness.diagnose.rules.cues import (
    C1083_OPEN,
    C1083_QUOTE,
    CMAKE_MISSING,
    FORTRAN_MISSING,
    LIBRARY_CONFIG_MISSING,
    REMOVED_FROM_SETUPTOOLS,
    RUST_MISSING,
)
from harness.diagnose.rules.extract import build_subject, fixed, rust_subject

# a module a build imports (setuptools & co. have their own rules: they are the backend, not a build-time dependency)
# (numpy.distutils' "No module named 'numpy.distutils._msvccompiler' in numpy.distutils; trying from distutils" is
# its fallback speaking, not a missing module)
BUILD_TIME_IMPORT = rx(r"No module named '(?P<backend>(?!(?:setuptools|distutils|pkg_resources|pip)\b|_)[A-Za-z]\w*)"
                       r"(?:\.[\w.]+)?'(?! in numpy\.distutils; trying from distutils)")

# the headers of the Windows SDK / Universal CRT, which MSVC's own headers include
SDK_HEADERS = r"(?:io|stdio|stdlib|string|windows|basetsd|crtdbg|corecrt|stddef|ctype|wchar|math|errno|limits|assert)\.h"

BUILD_RULES: Tuple[Rule, ...] = (
    # build-backend-missing
    # an old setup script (or numpy.distutils, cffi) using what the newest setuptools removed: isolated builds
    # always install the newest one
    Rule("setuptools-removed-api", "build-backend-missing", 63,
         rx(REMOVED_FROM_SETUPTOOLS.pattern), check=setuptools_removal_outside_metadata, blocker=build_subject,
         summary="building {blocker} uses what the newest setuptools removed"),
    Rule("setuptools-rejects-setup-config", "metadata-generation-failed", 64,
         rx(REMOVED_FROM_SETUPTOOLS.pattern), check=setuptools_config_rejected_unstaged, blocker=build_subject,
         summary="the setup script of {blocker} uses an option or setup.cfg key the newest setuptools removed"),
    # a meson-python (or scikit-build-core) editable install rebuilds on import with the ninja/meson of pip's
    # isolated build env, which pip deleted after the install
    Rule("editable-rebuild-env-gone", "build-backend-missing", 64,
         rx(r"_editable_loader\.py\", line \d+, in (?:rebuild|find_spec)"),
         requires=rx(r"pip-build-env-|FileNotFoundError|No such file or directory"),
         blocker=fixed("ninja"), summary="an editable install rebuilds with build tools from pip's deleted build env",
         action="The editable install rebuilds the project on import with the ninja and meson of pip's temporary "
                "build environment, which pip deleted after installing: install the build tools into this venv "
                "(`python -m pip install meson-python meson ninja`) and reinstall without build isolation "
                "(`python -m pip install --no-build-isolation -e .`), so the rebuild finds them."),
    Rule("backend-unavailable", "build-backend-missing", 62,
         rx(r"BackendUnavailable",
            r"Call to `(?P<backend>uv_build|uv)\.build_\w+` failed[\s\S]{0,400}?No module named '(?:uv|uv_build)'",
             r"Backend '(?P<backend>[^']+)' is not available",
             r"No module named '(?P<backend>poetry(?:\.core)?(?:\.masonry)?|poetry_core|flit_core|hatchling"
             r"|mesonpy|setuptools\.build_meta|pdm\.backend)'",
             r"doesn't declare it as a build dependency"),
         blocker=build_subject, also=EXCEPTION, summary="the build backend of {blocker} is not installed"),
    # a setup.py importing what an older Cython does not have (Cython.Build's build_ext came in 0.29): the Cython
    # installed is too old for the package's build
    Rule("cython-too-old", "build-backend-missing", 62,
         rx(r"from Cython\.[\w.]+ import [^\n]+\n\s*(?:\S+\s+)?ImportError: cannot import name '?(?P<name>\w+)"),
         blocker=build_subject, summary="the Cython installed is too old for the build of {blocker}",
         action="The build imports `{name}` from Cython, and the Cython installed is too old to have it: upgrade "
                "Cython in the Python that builds (`python -m pip install --upgrade Cython`), then install the package "
                "again (with --no-build-isolation if its setup.py imports Cython before declaring it)."),
    Rule("bdist-wheel-missing", "build-backend-missing", 62,
         rx(r"error: invalid command 'bdist_wheel'"),
         blocker=build_subject, summary="the wheel package is missing, so {blocker} cannot be built as a wheel",
         action="The wheel package is missing, so setup.py has no bdist_wheel command: install wheel into this "
                "Python (`python -m pip install --upgrade pip setuptools wheel`, or the OS package python3-wheel), then "
                "retry."),
    Rule("setuptools-missing-in-build", "build-backend-missing", 62,
         rx(r"No module named '(?P<backend>setuptools)'",
            r"since (?P<backend>setuptools) is not available in the build environment"),
         requires=rx(r"build_meta|_in_process|build backend|get_requires_for_build|prepare_metadata|setup\.py"),
         blocker=build_subject, summary="setuptools is missing from the build environment of {blocker}"),
    # an isolated build environment gets its build requirements from where the install looks: with --no-index that
    # is only the --find-links folder, and `pip download` saves no build requirements there
    Rule("offline-build-requirement-missing", "build-backend-missing", 62,
         rx(r"No matching distribution found for (?P<backend>setuptools|wheel|Cython|scikit-build(?:-core)?|"
            r"poetry-core|flit[-_]core|hatchling|meson-python|maturin|setuptools[-_]scm)\b(?:[<>=!~]=?[^\s,]+)*\s*$"),
         requires=rx(r"^\s*(?:#\d+ [\d.]+ )?(?:Looking in links:|Ignoring indexes:)|--no-index\b"),
         blocker=build_subject, summary="the build requirement of {blocker} is not where this offline install looks",
         action="pip builds {blocker} in an isolated build environment, which installs its build requirement "
                "`{backend}` from the same places as the install - with --no-index only the --find-links folder, "
                "which lacks it: put the build requirements in that folder too (`pip download setuptools wheel -d "
                "DIR`, and whatever else the package's build-system.requires names), or install them into the venv "
                "and install with --no-build-isolation."),
    # a development checkout carries no Cython-generated C files (a release's sdist does): its build needs Cython
    Rule("checkout-needs-cython", "build-backend-missing", 62,
         rx(r"Cython is required to compile (?P<backend>[\w.-]+) from a development branch",
            r"Cython-generated file '[^'\n]+' not found"),
         blocker=build_subject, summary="a development checkout is being built without Cython",
         action="This is a development checkout, which ships no Cython-generated C files (a release's sdist and "
                "wheels do): install Cython into the Python that builds (`python -m pip install cython`) and build "
                "again - or install a release package instead of the checkout (`pip install PACKAGE`)."),
    # meson-python finds no meson: not installed where a --no-build-isolation build runs, or (numpy, scipy) the git
    # submodule with their vendored meson was never checked out
    Rule("meson-not-found", "build-backend-missing", 62,
         rx(r"meson-python: error: Could not find meson version (?P<want>[\d.]+) or newer, found (?P<found>[\w.]*)"),
         blocker=fixed("meson"), summary="meson-python finds no usable meson for the build",
         action="meson-python found no meson {want} or newer for the build. In a git checkout of a project that "
                "vendors meson (numpy, scipy), its submodules were not fetched: `git submodule update --init` (or clone "
                "with --recursive); otherwise install meson and ninja into the Python that builds before "
                "--no-build-isolation (`python -m pip install meson ninja meson-python`), or build with isolation."),
    # an application (not a build) imports pkg_resources: it came with setuptools, which setuptools 82 removed it
    # from and which venvs of Python 3.12 and later no longer get at all
    Rule("pkg-resources-missing", "build-backend-missing", 40,
         rx(r"^\s*(?:ModuleNotFoundError|ImportError): No module named '?pkg_resources'?"),
         blocker=fixed("setuptools"), summary="the code imports pkg_resources, which this Python's setuptools lacks",
         action="The code imports pkg_resources, which came with setuptools until setuptools 82 removed it (and venvs "
                "of Python 3.12 and later get no setuptools at all): install a setuptools that still has it into the "
                "same Python (`python -m pip install \"setuptools<82\"`), or run the application with the Python "
                "version its installer asks for."),
    # a setup.py (or build script) imports a build-time dependency the isolated build environment lacks
    Rule("build-imports-missing-module", "build-backend-missing", 61,
         BUILD_TIME_IMPORT,
         check=inside_wheel_build, blocker=build_subject,
         summary="the build of the package imports {blocker}, which its build environment does not have"),
    # meson and CMake ask the build's Python for NumPy's headers: no numpy in the build environment (isolated
    # builds have only what build-system.requires lists)
    Rule("build-needs-numpy-headers", "build-backend-missing", 61,
         rx(r"ERROR: Command `[^`\n]*import (?P<backend>numpy);[^`\n]*get_include\(\)[^`\n]*` failed with status \d+",
            r"Could NOT find Python3?\b[^\n]*\(missing:[^)\n]*Python3?_(?P<backend>NumPy)_INCLUDE_DIRS",
            r"Run-time dependency (?P<backend>numpy) found: NO",
            # the compiler's own word: the C extension includes NumPy's header, and no numpy was there to give it
            r"fatal error(?: C1083)?:\s+[^\n]*?['\"]?(?P<backend>numpy)/arrayobject\.h['\"]?:? (?:No such file|file not found)"),
         blocker=build_subject, summary="the build of {blocker} needs NumPy's headers, and its build environment has no numpy"),
    # ... by a pip before 19, whose wording shows it, and the module is a build helper that only pyproject.toml's
    # build requires bring (setuptools-rust, scikit-build): the old pip ignores those (and builds at all because it
    # cannot see the newer wheels), so upgrading pip is the fix, not the module
    Rule("old-pip-build-import", "pip-outdated", 62,
         rx(r"No module named '(?P<backend>setuptools_rust|skbuild)'"), check=lambda text, m: inside_build(text, m) and bool(OLD_PIP.search(text)),
         blocker=build_subject, summary="an old pip (before 19) built {blocker} without its declared build requirements",
         action="This pip is older than 19 (its wording shows it): it builds {blocker} from source because it cannot "
                "see the newer wheels (manylinux2014, abi3), and it ignores the build requirements the sdist declares "
                "in pyproject.toml (here `{backend}`). Upgrade pip first (`python -m pip install --upgrade pip`), "
                "then install {blocker} again: a current pip takes the wheel, or builds with what the sdist asks for."),
    Rule("metadata-imports-missing-module", "metadata-generation-failed", 61,
         BUILD_TIME_IMPORT,
         check=inside_metadata_step, blocker=build_subject,
         summary="preparing the package's metadata imports {blocker}, which its build environment does not have"),
    # tensorflow-gpu's last releases (2.11 on) are placeholder sdists: it is no longer published
    Rule("tensorflow-gpu-placeholder", "other", 65,
         rx(r"tensorflow[-_]gpu-(?P<version>2\.1[1-9][\w.]*)\.tar\.gz",
            r"The \"tensorflow-gpu\" package has been removed"),
         blocker=fixed("tensorflow-gpu"), summary="tensorflow-gpu is no longer published: its last releases are placeholders",
         action="tensorflow-gpu is no longer published: its releases from 2.11 on are placeholders that refuse to "
                "build. Install `tensorflow` instead (it carries the GPU support itself on Linux/WSL2, `pip install "
                "\"tensorflow[and-cuda]\"`); on native Windows GPU support ended with 2.10 (`pip install "
                "\"tensorflow<2.11\"`, Python 3.10 or older)."),
    # PyPI's two PyTorch placeholders: `pytorch` (the wrong name) and torch 0.1.2 (all pip finds where no torch wheel
    # fits: a 32-bit Python, one too new or too old, or Windows before torch 1.6 came to PyPI)
    Rule("pytorch-name-placeholder", "other", 65,
         rx(r"You tried to install \"pytorch\"", r"^Collecting pytorch\s*$(?:\n[^\n]*){0,3}?pytorch-0\.1\.2\.tar\.gz"),
         blocker=fixed("pytorch"), summary="`pytorch` on PyPI is a placeholder: PyTorch's package is torch",
         action="`pytorch` on PyPI is only a placeholder that refuses to install: PyTorch's package is torch - `pip "
                "install torch` (pytorch.org's selector gives the command with the index for your CPU or CUDA), and "
                "write torch, not pytorch, in requirements files."),
    Rule("torch-placeholder", "no-wheel-for-platform", 65,
         rx(r"PyTorch does not currently provide packages for PyPI", r"torch-0\.1\.2(?:\.post\d)?\.tar\.gz"),
         blocker=fixed("torch"), summary="pip found no torch wheel for this Python and fell back to the 0.1.2 placeholder"),
    # a placeholder release that refuses to install and names the real distribution
    Rule("deprecated-placeholder", "metadata-generation-failed", 64,
         rx(r"The '(?P<old>[\w.-]+)' PyPI package is deprecated, use '(?P<new>[\w.-]+)'"),
         blocker=lambda text, m: m.group("old"),
         summary="{blocker} is a deprecated placeholder on PyPI that refuses to install"),
    # setup.py imports a module its isolated build environment does not have (it is not declared in
    # build-system.requires): numpy, torch, Cython, setuptools itself
    Rule("setup-imports-undeclared", "build-backend-missing", 61,
         rx(r"^\s*ModuleNotFoundError: No module named '(?P<module>[A-Za-z_]\w*)'"),
         requires=rx(r"get_requires_for_build_(?:wheel|sdist|editable)|_get_build_requires|run_setup|"
                     r"Getting requirements to build (?:wheel|editable|sdist)|"
                     r"exec\(code, locals\(\)\)|Build backend failed|build_meta"),
         blocker=build_subject, also=EXCEPTION,
         summary="the build of {blocker} imports a module its isolated build environment does not have"),
    # a build with Rust (setuptools-rust, maturin: tokenizers, cryptography, orjson, pydantic-core) and no Rust
    # toolchain; a wheel (a current pip sees it, or a Python it has wheels for) needs none
    # rustc ran and refused the code (cargo's summary, or rustc's own error with its source location)
    Rule("rust-compile-error", "source-build-failed", 62,
         rx(r"error: could not compile `(?P<crate>[\w-]+)`", r"^error(?:\[E\d+\])?: [^\n]+\n\s*--> [\w./\\-]+\.rs:\d+:\d+"),
         blocker=rust_subject,
         summary="the Rust compiler rejected the code of {blocker}"),
    Rule("rust-missing", "source-build-failed", 62, rx(RUST_MISSING), blocker=build_subject,
         summary="building {blocker} needs a Rust compiler, which is not installed"),
    # a CUDA extension (apex, flash-attn, xformers ...) built with a toolkit other than the one torch was built with
    Rule("cuda-toolkit-mismatch", "source-build-failed", 63,
         rx(r"compiled with a version of Cuda that does not match the version used to compile Pytorch",
            r"The detected CUDA version \((?P<found>[\d.]+)\) mismatches the version that was used to compile\s+PyTorch "
            r"\((?P<torch>[\d.]+)\)"),
         blocker=build_subject, summary="{blocker} is being built with another CUDA toolkit than the one torch was built with",
         action="The build compiles CUDA code with the toolkit nvcc finds (CUDA_HOME), and that is another CUDA version "
                "than the one the installed torch was built with (`python -c \"import torch; print(torch.version.cuda)\"`): "
                "install the matching CUDA toolkit and point CUDA_HOME (and PATH) at it, or install the torch build for "
                "the CUDA you have (pytorch.org's selector: `--index-url https://download.pytorch.org/whl/cuXXX`), or "
                "take a prebuilt wheel of the package for your torch and CUDA."),
    # CMake 4.0 (March 2025) dropped compatibility with cmake_minimum_required() below 3.5, which old projects (and
    # the pybind11 or other sources they vendor) still declare
    Rule("cmake4-policy-minimum", "source-build-failed", 64,
         rx(r"Compatibility with CMake < 3\.5 has been removed from CMake"),
         blocker=build_subject, summary="the build of {blocker} declares a CMake minimum below 3.5, which CMake 4 refuses",
         action="CMake 4 (since March 2025) refuses projects whose cmake_minimum_required() is below 3.5, and this build "
                "(or a library it vendors, such as an old pybind11) still declares one: set CMAKE_POLICY_VERSION_MINIMUM=3.5 "
                "for the build (`CMAKE_POLICY_VERSION_MINIMUM=3.5 pip install ...`; PowerShell `$env:"
                "CMAKE_POLICY_VERSION_MINIMUM=\"3.5\"`), or build with CMake 3 (`pip install \"cmake<4\"`, then "
                "install with --no-build-isolation, or a PIP_CONSTRAINT file with cmake<4), or take a newer release "
                "of {blocker} or a wheel, so nothing is built."),
    # the build (or its metadata step) asks a C library's config program, and the library is not installed: the
    # build itself is the problem, whichever step ran it (pip found no wheel)
    Rule("library-config-missing", "source-build-failed", 60, rx(LIBRARY_CONFIG_MISSING), blocker=build_subject,
         summary="building {blocker} needs a C library whose development files are not installed"),
    # a CUDA extension's build (torch.utils.cpp_extension) finds no CUDA toolkit at all: nvcc is not installed
    Rule("cuda-toolkit-missing", "source-build-failed", 63,
         rx(r"CUDA_HOME environment variable is not set",
            # flash-attn's setup.py checks it itself (its traceback may be cut before the message)
            r"raise_if_cuda_home_none\(",
            r"(?:^|\s)nvcc(?:\.exe)?: (?:command )?not found|'nvcc' is not recognized as an internal or external command"),
         blocker=build_subject, summary="building {blocker} needs the CUDA toolkit (nvcc), which is not installed",
         action="The build compiles CUDA code and finds no CUDA toolkit: the NVIDIA driver and torch's own "
                "CUDA runtime do not include the compiler (nvcc). Install the CUDA toolkit of the version torch was built "
                "with (`python -c \"import torch; print(torch.version.cuda)\"`; conda: `conda install -c nvidia "
                "cuda-toolkit`), set CUDA_HOME to it (and its bin on PATH), then build again - or take a prebuilt wheel of "
                "the package for your torch and CUDA, which needs no toolkit."),
    # h5py's own build looks for the HDF5 library first: a source build where pip found no h5py wheel
    Rule("h5py-build-no-hdf5", "source-build-failed", 63,
         rx(r"Unable to load dependency HDF5, make sure HDF5 is installed properly"), blocker=fixed("h5py"),
         summary="h5py is being built from source, and its build finds no HDF5 library",
         action="pip is building h5py from source - it found no h5py wheel for this Python and platform - and the "
                "build needs the HDF5 library. Take a wheel instead: `pip install --only-binary=:all: h5py` (a Python "
                "newer than h5py's wheels, or a retry after a release whose wheels were not uploaded yet, is the usual "
                "reason there was none), or conda's (`conda install -c conda-forge h5py`); to build it, install HDF5 "
                "first (`sudo apt-get install libhdf5-dev`, `brew install hdf5`; HDF5_DIR points the build at it)."),
    # a build that needs Fortran (scipy from source, BLAS/LAPACK) and finds no Fortran compiler: not MSVC's
    Rule("fortran-missing", "source-build-failed", 61,
         rx(FORTRAN_MISSING), blocker=build_subject, summary="building {blocker} needs a Fortran compiler"),
    # a build that runs the cmake program where none is installed (pip's cmake wheel brings one on any OS)
    Rule("cmake-missing", "source-build-failed", 61,
         rx(CMAKE_MISSING), blocker=build_subject, summary="building {blocker} needs CMake, which is not installed"),
    # msvc-build-tools-missing
    Rule("msvc-missing", "msvc-build-tools-missing", 60,
         rx(r"Microsoft Visual C\+\+ \d+\.\d+(?: or greater)?\s+is\s+required",
             r"Unable to find vcvarsall\.bat",
             # (cl.exe "failed with exit code N" ran and compiled badly: the Build Tools are there)
             r"error: command '[^'\n]*cl\.exe' failed(?! with exit (?:code|status))",
             r"Generator\s+Visual Studio [^\n]* could not find any instance of Visual Studio",
             r"ERROR: Unknown compiler\(s\): \[\['icl'\], \['cl'\]",
             # the Windows SDK half of the Build Tools: its resource compiler (its C headers: msvc-sdk-header-missing)
             r"LNK1158: cannot run 'rc\.exe'",
             # wxPython's build script looking for the compiler; CMake finding none at all (any OS)
             r"^\s*CL\.exe: NOT FOUND", r"No CMAKE_(?:C|CXX)_COMPILER could be found",
             # dlib's setup says it in words; CMake falling back to NMake on Windows found no Visual Studio
             r"You must use Visual Studio to build a python extension on windows",
             r"Please install Visual Studio or MS ?Build first",
             r"-- Building for: NMake Makefiles\s*\n[\s\S]{0,200}?CMake Error"),
         blocker=build_subject, summary="building {blocker} needs the Microsoft C++ Build Tools"),
    # MSVC's own headers that cannot find the CRT/SDK ones (crtdbg.h, io.h ...): the Windows SDK is not installed
    Rule("msvc-sdk-header-missing", "msvc-build-tools-missing", 65,
         rx(rf"fatal error C1083: {C1083_OPEN}{C1083_QUOTE}(?P<header>{SDK_HEADERS}){C1083_QUOTE}"),
         blocker=build_subject, summary="the C compiler runs but the Windows SDK's headers are missing"),
    # numpy.distutils looking for LAPACK/BLAS to build scipy (or numpy) from source: none on this machine
    Rule("no-lapack-blas", "source-build-failed", 62,
         rx(r"NotFoundError: no lapack/blas resources found", r"(?:lapack|blas)_opt_info:?\s*\n[\s\S]{0,400}?NOT AVAILABLE"),
         requires=rx(r"NotFoundError|numpy\.distutils"),
         blocker=build_subject, summary="building {blocker} needs LAPACK/BLAS libraries that are not installed",
         action="The source build of {blocker} needs LAPACK/BLAS libraries, which are not installed - and on Windows "
                "almost nobody builds scipy from source: install a prebuilt wheel instead (a Python version that "
                "{blocker} publishes wheels for, `--only-binary=:all:`), or take it from conda (`conda install scipy`); "
                "on Linux install OpenBLAS (`libopenblas-dev`) first if you must build."),
    # MSVC ran and could not find a C library's header (not the SDK's own headers above): the library is missing
    Rule("msvc-library-header-missing", "source-build-failed", 61,
         rx(rf"fatal error C1083: {C1083_OPEN}{C1083_QUOTE}(?!(?:{SDK_HEADERS}){C1083_QUOTE})(?P<header>[\w./+-]+\.h)"
            rf"{C1083_QUOTE}"),
         blocker=build_subject, summary="building {blocker} needs a C library whose header is not installed"),
    # metadata-generation-failed
    Rule("metadata-failed", "metadata-generation-failed", 55,
         rx(r"metadata-generation-failed",
             r"Encountered error while generating package metadata",
             r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + ERROR_STATUS,
             r"Command \"python setup\.py egg_info\" failed with error code",
             r"python setup\.py egg_info Check the logs for full command output",
             r"Call to `[\w.:]+\.prepare_metadata_for_build_(?:wheel|editable)` failed"),
         blocker=build_subject, also=EXCEPTION,
         summary="generating the metadata of {blocker} failed (a source build)"),
    # source-build-failed
    Rule("build-failed", "source-build-failed", 50,
         rx(r"Failed building wheel for (?P<name>[\w.-]+)",
             # uv 0.3+ "Failed to build `X`", uv 0.1-0.2 "Failed to build: `X`" and its backend lines
             r"Failed to (?:download and )?build:? `(?P<name>[^`]+)`",
             r"Build backend failed to (?:determine (?:extra|metadata) requires|build (?:wheel|editable)) "
             r"(?:with|through) `build_\w+\(\)`",
             r"Could not build wheels for (?P<name>[\w.-]+)",
             # pip's error box alone (an excerpt cut above the spinner line and below the verdict)
             r"× Building wheel for (?P<name>[\w.-]+) \((?:setup\.py|pyproject\.toml)\) did not run successfully",
             r"Failed to build installable wheels for some pyproject\.toml based projects \((?P<name>[^)]+)\)",
             r"error: legacy-install-failure",
             r"Running setup\.py install for (?P<name>[\w.-]+)" + ERROR_STATUS,
             # pip < 10: 'Command "python -u -c "...setup.py..." install --record ..." failed with error code 1 in
             # /tmp/pip-build-xyz/NAME/' (an excerpt may hold only that line)
             r"Command \"[^\n]*?setup\.py[^\n]*? install --record [^\n]*?\" failed with error code \d+ in "
             r"\S*?[\\/]pip-(?:install|build)-[^\\/\s]+[\\/](?P<name>[\w.-]+)[\\/]?\s*$",
             # pip 20's: "ERROR: Command errored out with exit status 1: ...pip-install-xyz\\NAME\\setup.py... install --record"
             r"ERROR: Command errored out with exit status \d+: [^\n]*?[\\/]pip-install-[^\\/\s]+[\\/]+(?P<name>[\w.-]+)"
             r"[\\/]+setup\.py[^\n]*? install --record",
             r"Building wheel for (?P<name>[\w.-]+) \((?:setup\.py|pyproject\.toml)\)" + ERROR_STATUS,
             r"Could not find a `llvm-config` binary",
             r"Building llvmlite requires LLVM",
             r"llvm-config failed executing",
             r"No such file or directory: 'llvm-config'",
             r"llvm-config: not found|llvm-config(?:\.exe)?: command not found",
             r"LLVM version\.\.\. Traceback",
             r"ffi[\\/]build\.py\", line \d+, in main_posix",
             r"numpy\.distutils\.system_info\.\w+_info|numpy[\\/]distutils[\\/]system_info\.py",
             r"RuntimeError: Running cythonize failed",
             r"[\\/]tools[\\/]cythonize\.py\", line \d+",
             r"^\s*[\w/\\.-]+\.pyx:\d+:\d+: (?!warning)",
             r"error: command '[^'\n]*(?:gcc|g\+\+|cc|c\+\+|clang)' failed",
             r"unable to execute '(?:[\w.-]*-)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(?:-[\d.]+)?(?:\.exe)?':",
             # waf (PyInstaller's bootloader build) probing for any C compiler
             r"could not configure a C compiler!",
             r"error: Command \"(?:\S*[\\/])?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(?:-[\d.]+)? -",
             r"^\s*(?:clang|gcc|cc|g\+\+|clang\+\+): error: ",
             r"fatal error: (?:python[\d.]*/)?Python\.h: No such file or directory"),
         blocker=build_subject, also=EXCEPTION, summary="building {blocker} from source failed"),
    Rule("subprocess-error", "source-build-failed", 30,
         rx(r"error: subprocess-exited-with-error", r"ninja: build stopped: subcommand failed"),
         blocker=build_subject, summary="a build step of {blocker} failed"),
)
