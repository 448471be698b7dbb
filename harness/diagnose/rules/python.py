"""Rules: the interpreter does not fit (32-bit, a Python version a release excludes) and conda's environment pins."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose import context, reqs, stdlib
from harness.diagnose.rules.base import ERROR_STATUS, EXCEPTION, REQ, TENSORFLOW_NOT_FOUND, Rule, rx
from harness.diagnose.rules.checks import (
    asked_above_listed,
    conda_base_check,
    ignored_cover_the_pin,
    lagging_release,
    not_a_wheel_only_dead_end,
    pin_outside_listed_range,
    pinned_older_than_python,
    pinned_was_ignored,
    pip_found_none_either,
    posix_without_bits,
    pyinstaller_older_than_python,
    python_312_or_newer,
    python_312_or_newer_or_said,
    python_312_or_newer_or_unknown,
    range_was_ignored,
    release_older_than_python,
    single_spec_incompatible,
    wheel_python_differs,
    windows_without_version,
)
from harness.diagnose.rules.extract import (
    build_subject,
    built_release,
    c_source_package,
    conda_pin,
    fixed,
    group,
    site_package,
    split_blocker,
    wheel_requirement,
)

# pip's words for a failed build (or its start, in an excerpt cut there) of a release it took as a source archive
BUILD_FAILED_ON_RELEASE = (
    r"Getting requirements to build wheel did not run successfully",
    r"Getting requirements to build wheel" + ERROR_STATUS,
    r"Failed to (?:download and )?build `(?:numpy|llvmlite|numba)==",
    r"Failed to fetch wheel: (?:numpy|llvmlite|numba)==",
    r"Failed building wheel for (?:llvmlite|numba)",
    r"Building wheel for (?:numpy|llvmlite|numba) \((?:setup\.py|pyproject\.toml)\)" + ERROR_STATUS,
    r"pip subprocess to install build dependencies did not run successfully",
    r"Failed building wheel for numpy", r"Could not build wheels for numpy",
    r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + ERROR_STATUS,
    r"metadata-generation-failed",
    # pip itself crashing while it prepares such an sdist (the traceback cut before its last line)
    r"^ERROR: Exception:$",
    # llvmlite's own build script on Windows, looking for a CMake generator for an old LLVM
    r"ffi[\\/]build\.py\", line \d+, in (?:main_win32|find_win32_generator)",
    # an excerpt cut before the build's error: pip already fell back to the old release's source
    r"Using legacy 'setup\.py install' for (?:numpy|llvmlite|numba)\b",
    r"Running setup\.py (?:install|bdist_wheel) for (?:numpy|llvmlite|numba)\b",
    # cut right after pip took such a release's source archive: nothing else happened after it
    r"(?:Using cached|Downloading) (?:numpy|llvmlite|numba)-[\d.]+\.tar\.gz\b[^\n]*\s*\Z",
)
# pip's and uv's words for any failed build or metadata step (the release is named by build_subject)
BUILD_FAILED = (
    r"Getting requirements to build wheel" + ERROR_STATUS,
    r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + ERROR_STATUS,
    r"Building wheel for [\w.-]+ \((?:setup\.py|pyproject\.toml)\)" + ERROR_STATUS,
    r"Failed building wheel for [\w.-]+", r"Could not build wheels for [\w.-]+", r"metadata-generation-failed",
    r"Failed to (?:download and )?build:? `[^`]+`",
)


def gone_from_this_python(text: str, m: "re.Match[str]") -> bool:
    """The module (or name) is one Python removed, and the log's Python, when it shows one, is that new."""
    found = m.groupdict()
    gone = stdlib.removed(found["mod"], found.get("attr"))
    if gone is None:
        return False
    have = context.read_python(text)
    if have is None:
        return True
    return reqs.version_key(have) >= reqs.version_key(gone[0])


# conda platforms (subdirs) many packages are not built for
ARM_SUBDIRS = r"osx-arm64|linux-aarch64|win-arm64|linux-ppc64le|linux-armv7l|linux-s390x"
# conda's verdict when a spec names nothing its channels have, up to the first listed spec
PACKAGES_NOT_FOUND = r"^\W*PackagesNotFoundError: The following packages are not available from current channels:\s*\n"
# nothing after the match that says what conda found (its verdict is better evidence than its searching)
STILL_SEARCHING = r"(?![\s\S]*(?:UnsatisfiableError|were found\s+to be|conflicts for:|incompatible with|Your python:))"

# a build's own isolated environment or backend step: distutils missing there is the build's, not the program's
_IN_A_BUILD = re.compile(r"pip-build-env|builds-v\d|[Bb]uild backend failed|build_wheel|Getting requirements to build"
                         r"|setup\.py|Preparing metadata")


PYTHON_RULES: Tuple[Rule, ...] = (
    # python-32-bit: no wheel for a 32-bit interpreter (TensorFlow has none at all)
    # TensorFlow never had 32-bit builds: its native module missing on a 32-bit Python is the bitness
    Rule("tensorflow-on-32-bit", "python-32-bit", 87,
         rx(r"No module named '_?pywrap_tensorflow(?:_internal)?'|DLL load failed[^\n]*pywrap_tensorflow",
            r"Failed to load the native TensorFlow runtime"),
         requires=rx(context.BITS_32), blocker=fixed("tensorflow"),
         summary="TensorFlow's native module cannot load on a 32-bit Python"),
    # stable-diffusion-webui's launcher: its own check, and the torch install that fails on a newer Python
    Rule("app-tested-python", "python-version-unsupported", 80,
         rx(r"This program is tested with (?P<want>3\.\d+)(?:\.\d+)? Python, but you have (?P<have>3\.\d+)",
            r"RuntimeError: Couldn't install torch\.(?=[\s\S]*?^Python 3\.1[1-9]\.)|"
            r"^Python 3\.1[1-9]\.\d+ \(tags[\s\S]*?RuntimeError: Couldn't install torch\."),
         blocker=fixed("stable-diffusion-webui"), summary="the application is made for another Python than this one"),
    # C sources generated by a Cython from before Python 3.9 (which removed tp_print): an old release's sdist
    Rule("tp-print-removed", "python-version-unsupported", 74,
         rx(r"error C2039: [\"'\u201c]?tp_print|'(?:struct )?_typeobject' has no member named 'tp_print'|"
            r"\btp_print\b[^\n]*(?:is not a member|has no member|undeclared)"),
         blocker=c_source_package, summary="{blocker}'s C sources are older than this Python (no tp_print since 3.9)",
         action="The C sources of {blocker} were generated for Pythons before 3.9 (they use tp_print, which 3.9 "
                "removed): this old release cannot build here - unpin it and take a newer release with wheels for "
                "this Python (remove the version pin, or require a recent release: a newer {blocker}), or use "
                "a Python the old release was made for (3.8 or older)."),
    # MSYS2's (MinGW's) Python is not python.org's CPython: no PyPI wheel fits it, so pip builds everything from
    # source, and numpy's build does not support it
    Rule("msys2-python-builds", "wrong-interpreter", 77,
         rx(r"(?P<msys>[A-Za-z]:\\msys64\\(?:mingw64|mingw32|ucrt64|clang64|clangarm64|usr)\\bin\\python[\d.]*\.exe)"),
         requires=rx(r"Preparing metadata|Building wheel|Getting requirements to build|meson|setup\.py"),
         blocker=fixed("MSYS2 Python"), summary="pip runs under MSYS2's Python, for which PyPI has no wheels",
         action="This is MSYS2's Python ({msys}), not python.org's CPython: PyPI's Windows wheels do not fit it, so pip "
                "builds packages from source, and numpy & co. do not support that build. Install the package from "
                "MSYS2 (`pacman -S mingw-w64-x86_64-python-numpy`, the same prefix for others), or use a python.org "
                "Python (`py -3.11`) for pip installs, first on PATH."),
    Rule("python-32-bit", "python-32-bit", 76,
         rx(r"Could not find a version that satisfies the requirement " + REQ,
             r"No matching distribution found for " + REQ,
             r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*win_amd64\.whl is not a supported wheel on this platform"),
         requires=rx(context.BITS_32),
         blocker=wheel_requirement,
         summary="{blocker} has no wheel for a 32-bit Python"),
    # meson (numpy's, scipy's build) refusing a 32-bit interpreter under a 64-bit compiler: the sdist build only
    # happens because no wheel fits this 32-bit Python
    Rule("meson-32-bit-python", "python-32-bit", 77,
         rx(r"Need python for x86_64, but found x86\b"),
         blocker=built_release, summary="a 32-bit Python builds {blocker} from source: there is no wheel for it",
         action="This Python is 32-bit, so pip found no wheel and built {blocker} from source, which its 64-bit "
                "compiler refuses: install the 64-bit Python (python.org's 'Windows installer (64-bit)'), recreate the "
                "venv with it and install again (a 32-bit build needs the x86 MSVC environment and is rarely worth "
                "it)."),
    # a Windows source build on a Python the log shows is 32-bit: pip built it because no wheel fits that Python
    # (binary packages publish 64-bit Windows wheels only, or stopped publishing 32-bit ones)
    Rule("windows-build-on-32-bit", "python-32-bit", 76,
         rx(r"Failed building wheel for [\w.-]+", r"Could not build wheels for [\w.-]+",
            r"Preparing (?:wheel )?metadata \(pyproject\.toml\)(?: \.\.\. |: finished with status ')error",
            # setuptools' own build folder for a 32-bit Windows Python, in an excerpt that ends in the build's error
            r"\bbuild[\\/](?:lib|temp)\.win32-(?:cpython-)?\d+[\s\S]*(?:Exception|error):",
            # Pillow's setup.py finding no zlib/libjpeg (a Windows source build: its wheels bring them)
            r"ValueError: \w+ is required unless explicitly disabled using --disable-\w+"),
         check=lambda text, m: context.read_bits(text) == 32 and (
             context.read_platform(text) == "windows" or not context.posix_evidence(text)),
         blocker=lambda text, m: built_release(text, m) or reqs.requested(text),
         summary="a 32-bit Python builds {blocker} from source: no wheel fits it"),
    # a package's own build refusing a 32-bit interpreter (pyarrow's setup.py): no wheel fits, and no build is allowed
    Rule("build-refuses-32-bit", "python-32-bit", 77,
         rx(r"(?:Error|Exception): Not supported on 32-bit (?:Windows|Python)",
            r"(?:Error|Exception): 32-bit (?:Windows|Python|platforms?) (?:is|are) not supported"),
         blocker=built_release, summary="{blocker} does not support a 32-bit Python",
         action="This Python is 32-bit: {blocker} publishes 64-bit wheels only, and its own build refuses a 32-bit "
                "interpreter. Install the 64-bit Python (python.org's 'Windows installer (64-bit)', amd64), recreate "
                "the venv with it and install again."),
    Rule("wheel-for-another-python", "python-version-unsupported", 74,
         rx(r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-cp(?P<major>\d)(?P<minor>\d+)\S*\.whl is not a supported wheel"),
         check=wheel_python_differs, blocker=wheel_requirement,
         summary="{blocker}'s wheel is for another Python version than this one"),
    Rule("amd64-wheel-rejected", "python-32-bit", 73,
         rx(r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*win_amd64\.whl is not a supported wheel on this platform"),
         blocker=wheel_requirement,
         summary="a 64-bit Windows wheel of {blocker} was rejected: this Python is 32-bit (or another version)"),
    Rule("tensorflow-none-on-windows", "python-32-bit", 41,
         rx(TENSORFLOW_NOT_FOUND), requires=rx(r"\(from versions: ?(?:none)?\)"), check=windows_without_version,
         blocker=group("req"), summary="most probable cause: a 32-bit Python (TensorFlow has no 32-bit wheels)"),
    Rule("tensorflow-release-older-than-python", "python-version-unsupported", 51,
         rx(TENSORFLOW_NOT_FOUND), check=pinned_older_than_python,
         blocker=group("req"), summary="{blocker} has no wheel for a Python as new as this one"),
    Rule("pin-outside-listed-versions", "python-version-unsupported", 52,
         rx(r"satisfies the requirement (?P<req>[A-Za-z][\w.-]*==[\w.]+)"
            r"[^\n]*?\(from versions: (?P<versions>[^)]{1,4000})\)"),  # a pasted list may wrap
         check=pin_outside_listed_range, blocker=group("req"),
         summary="{blocker} has no release for this Python: pip lists only the releases that fit it"),
    Rule("torch-release-older-than-python", "python-version-unsupported", 42,
         rx(r"(?:No matching distribution found for|satisfies the requirement) (?P<req>torch==[\w.]+)(?=[\s(]|$)"),
         check=pinned_older_than_python, blocker=group("req"), summary="{blocker} has no wheel for a Python as new as this one"),
    # an installed package written for a newer Python than the one running it (f-strings, walrus, match)
    # the setup.py pip runs for a source archive does not even parse on this Python: the release is written for
    # another Python (a newer one's syntax; or Python 2's, "Missing parentheses in call to 'print'")
    Rule("setup-py-syntax", "python-version-unsupported", 66,
         rx(r"[\\/]pip-(?:build|install)-[^\\/\s]+[\\/](?P<req>[A-Za-z][\w.-]*?)(?:_[0-9a-f]{32})?[\\/]setup\.py\"?, "
            r"line \d+[^\n]*\n(?:[^\n]*\n){0,3}?\s*SyntaxError: [^\n]*"),
         blocker=group("req"), summary="the setup.py of {blocker} does not parse on this Python (another Python's syntax)"),
    Rule("syntax-newer-than-python", "python-version-unsupported", 43,
         rx(r"File \"[^\"\n]*(?:site|dist)-packages[\\/](?P<req>[A-Za-z][\w.-]*)[\\/][^\"\n]*\", line \d+[^\n]*\n"
            r"(?:[^\n]*\n){1,3}?SyntaxError: (?:invalid syntax|f-string)"),
         blocker=group("req"), summary="{blocker} uses syntax this Python does not know (a newer Python's)",
         action="{blocker} is written for a newer Python than the one running it (a SyntaxError inside the installed "
                "package: f-strings need Python 3.6, `:=` 3.8, `match` 3.10): use a newer Python in a new venv, or pin "
                "an older {blocker} release that still supports this one (`python -m pip install \"{blocker}<X\"`)."),
    Rule("pure-python-none", "python-version-unsupported", 42,
         rx(r"Could not find a version that satisfies the requirement (?P<req>spleeter(?:-gpu)?)(?:==[\w.]+)? "
             r"\(from versions: ?(?:none)?\)"),
         check=lambda text, m: context.read_bits(text) != 32, blocker=group("req"),
         summary="no {blocker} release accepts this Python (spleeter ships pure-Python wheels: it is the version)"),
    Rule("none-on-new-python", "python-version-unsupported", 41,
         rx(r"Could not find a version that satisfies the requirement " + REQ + r" \(from versions: ?(?:none)?\)"),
         check=lambda text, m: reqs.version_key(context.read_python(text) or "0") >= reqs.version_key("3.13"),
         blocker=group("req"), summary="no release of {blocker} has wheels for a Python this new"),
    # an extension module linked against another Python's DLL (python38.dll) imported by this one: a wheel or
    # build made for that Python, copied or installed into this one's site-packages
    Rule("extension-for-other-python", "python-version-unsupported", 80,
         rx(r"Module use of (?P<dll>python(?P<major>\d)(?P<minor>\d+)(?:_d)?\.dll) conflicts with this version of Python"),
         blocker=lambda text, m: site_package(text, m) or m.group("dll"),
         summary="a compiled module made for another Python version is imported here ({blocker})",
         action="A compiled module here links {dll}, so it was built for Python {major}.{minor}, and another Python is "
                "importing it (a wheel for {major}.{minor} copied or installed into this Python's site-packages, or "
                "PYTHONPATH pointing at that Python's packages): run it with Python {major}.{minor} (`py -{major}.{minor}`, "
                "64-bit if the module is), or reinstall {blocker} with this Python's own pip (`python -m pip install "
                "--force-reinstall {blocker}`) so it gets the build for this version; check PYTHONPATH too."),
    # the newest release pip lists is below the one asked for: pip leaves out the releases whose Requires-Python
    # excludes this Python, so the ones asked for exist for newer Pythons only (a mirror that lags is the other way)
    Rule("asked-above-every-listed", "python-version-unsupported", 42,
         rx(r"Could not find a version that satisfies the requirement " + REQ + r" \(from versions: (?P<listed>[^)\n]+)\)"),
         check=asked_above_listed, blocker=group("req"),
         summary="the {blocker} asked for exists only for newer Pythons (pip lists no release that high)"),
    Rule("tensorflow-none-on-posix", "python-version-unsupported", 41,
         rx(TENSORFLOW_NOT_FOUND), requires=rx(r"\(from versions: ?(?:none)?\)"), check=posix_without_bits,
         blocker=group("req"), summary="most probable cause: this Python version has no wheels of {blocker}"),
    # python-version-unsupported
    Rule("old-spleeter-for-new-python", "python-version-unsupported", 50,
         rx(r"spleeter 2\.[0-3]\.\d+ depends on"), check=python_312_or_newer,
         blocker=fixed("spleeter"), summary="only spleeter 2.1.0 installs on this Python, and its pins clash"),
    Rule("spleeter-210-installed", "python-version-unsupported", 50,
         rx(r"spleeter 2\.1\.0 requires [^\n]+, but you have"), check=python_312_or_newer_or_unknown,
         blocker=fixed("spleeter==2.1.0"), summary="pip installed spleeter 2.1.0, the only one this Python accepts"),
    Rule("python-guard-in-build", "python-version-unsupported", 76,
         rx(r"Cannot install on Python version (?P<have>[\d.]+); only versions (?P<spec>[^ ]+) are supported",
             r"in _guard_py_ver\b"),
         blocker=build_subject, also=EXCEPTION, summary="{blocker} refuses to build on this Python (its setup.py guard)"),
    # PyInstaller reads the bytecode of the Python it runs on: a release older than that Python crashes in its
    # analysis (IndexError, KeyError in its bytecode tables); its log header names both versions
    Rule("pyinstaller-older-than-python", "python-version-unsupported", 74,
         rx(r"INFO: PyInstaller: (?P<pyi>\d+\.\d+(?:\.\d+)?)\S*\s*\n(?:[^\n]*\n)?[^\n]*INFO: Python: (?P<have>3\.\d+)"),
         requires=rx(r"^Traceback \(most recent call last\)"), check=pyinstaller_older_than_python,
         blocker=lambda text, m: f"pyinstaller=={m.group('pyi')}",
         summary="{blocker} predates this Python (it cannot read its bytecode)"),
    # C source generated by an old Cython (shipped in a release's source archive) reaching into CPython internals
    # that a newer Python changed: no wheel of that release for this Python, and its source cannot build here
    Rule("c-api-changed", "python-version-unsupported", 76,
         rx(r"has no member named [\u2018'\"](?P<member>ob_digit|use_tracing|recursion_depth|curexc_type|"
            r"curexc_traceback|exc_type|cframe)[\u2019'\"]",
            r"too few arguments to function [\u2018'\"](?P<func>_PyLong_AsByteArray)[\u2019'\"]",
            # MSVC's code for a member that is gone (C2039, in any language); the header 3.11 moved under cpython/
            r"error C2039: [\u2018\u201c'\"]?(?P<member2>ob_digit|use_tracing|recursion_depth|curexc_type|"
            r"curexc_traceback|exc_type|cframe)[\u2019\u201d'\"]?:",
            r"(?:fatal error: |fatal error C1083: [^\n'\"]*?:\s?)[\u2018\u201c'\"]?(?P<header>longintrepr\.h)[\u2019\u201d'\"]?"),
         blocker=c_source_package, summary="the C source of {blocker} does not fit this Python's C API (a newer Python)"),
    # a Rust extension's PyO3 bindings older than the Python: PyO3 says so itself, or the Rust code no longer finds a
    # C-API function this Python dropped (pyo3::ffi lacks it)
    Rule("pyo3-older-than-python", "python-version-unsupported", 76,
         rx(r"the configured Python interpreter version \((?P<have>3\.\d+)\) is newer than PyO3's maximum supported "
            r"version \((?P<max>3\.\d+)\)",
            r"cannot find (?:function|value|type|struct|macro)[^\n]*? in (?:module|crate) `pyo3(?:::ffi|_ffi)`"),
         blocker=build_subject, summary="the Rust bindings (PyO3) of {blocker} are older than this Python"),
    Rule("distutils-removed", "python-version-unsupported", 76,
         rx(r"distutils was removed from the standard library in Python (?P<py>3\.\d+)[^\n]*?"
             r"(?:Consider adding a constraint \(like `(?P<constraint>[^`]+)`\))?",
             r"No module named 'distutils'"),
         # (a log that does not show its Python: 3.12+ is the reading, unless it is Debian's split-off distutils)
         check=lambda text, m: python_312_or_newer_or_said(text, m) or (
             not (context.read_python(text) or context.python_at_least(text)) and "dist-packages" not in text),
         blocker=build_subject,
         summary="{blocker} still builds with distutils, which Python 3.12 removed"),
    # an installed package imports distutils when it runs (not in a build): Python 3.12 removed it (Debian's split
    # python3-distutils, under dist-packages, is the other reading)
    Rule("distutils-import-at-runtime", "python-version-unsupported", 77,
         rx(r"site-packages[\\/]+(?P<pkg>[A-Za-z_]\w*)[\\/][^\n]*\n\s*(?:from distutils\b|import distutils\b)[^\n]*\n"
            r"(?:ModuleNotFoundError|ImportError): No module named '?distutils"),
         check=lambda text, m: "dist-packages" not in text and not _IN_A_BUILD.search(text),
         blocker=lambda text, m: m.group("pkg"),
         summary="{blocker} imports distutils when it runs, and Python 3.12 removed distutils"),
    # Python 3.12 removed pkgutil.ImpImporter, which the pkg_resources of setuptools < 66 (pip's own vendored
    # copy before 23.1) still touch: an old pip/setuptools, or an old pin that builds with one, on 3.12+
    Rule("impimporter-removed", "python-version-unsupported", 76,
         rx(r"module 'pkgutil' has no attribute 'ImpImporter'"), blocker=build_subject,
         summary="an old setuptools/pkg_resources (or a release pinned with one) on Python 3.12+",
         action="Python 3.12 removed pkgutil.ImpImporter, which old setuptools/pkg_resources still use: upgrade pip and "
                "setuptools first (`python -m pip install --upgrade pip setuptools`; in a venv, that venv's python), "
                "then a release of {blocker} made for Python 3.12 (e.g. numpy>=1.26); or use Python 3.11 if the pin "
                "must stay."),
    Rule("release-older-than-python", "python-version-unsupported", 76,
         rx(*BUILD_FAILED_ON_RELEASE), check=release_older_than_python, blocker=built_release,
         summary="{blocker} has no wheel for this Python and its source no longer builds there"),
    Rule("lagging-release", "python-version-unsupported", 56,
         rx(*BUILD_FAILED), check=lagging_release, blocker=built_release,
         summary="{blocker}, the newest release, has no wheel for this Python here and its source does not build"),

    # get-pip.py installs today's pip, whose code an old Python cannot even parse
    # today's get-pip.py checks the Python itself and names the versioned script to use instead
    Rule("get-pip-minimum-python", "python-version-unsupported", 74,
         rx(r"This script does not work on Python (?P<have>\d\.\d+)\.? The minimum supported Python version is "
            r"(?P<min>\d\.\d+)\. Please use (?P<url>https://bootstrap\.pypa\.io/\S+?/get-pip\.py)"),
         blocker=fixed("get-pip.py"), summary="today's get-pip.py does not run on this old Python",
         action="Today's get-pip.py needs Python {min} or newer, and this is Python {have}: run the one made for it, "
                "{url} (it installs the last pip for {have}), or better move to a supported Python."),
    Rule("get-pip-too-new", "python-version-unsupported", 74,
         rx(r"pip\.zip[\\/]pip[\\/][^\n]*\.py\"?, line \d+"),
         requires=rx(r"^\s*SyntaxError: invalid syntax", r"get-pip|<stdin>"),
         blocker=fixed("pip"), summary="this get-pip.py installs a pip too new for this Python",
         action="This get-pip.py brings a pip too new for this Python (the Python cannot parse its code): use the "
                "get-pip.py made for that Python, https://bootstrap.pypa.io/pip/X.Y/get-pip.py with X.Y your Python "
                "(an older version of pip), or better upgrade your Python to Python 3.8 or newer "
                "(Python {python} for {pack})."),
    # an old pip's verbose log: every release of the package skipped for its Requires-Python, nothing else failed
    Rule("link-requires-different-python", "python-version-unsupported", 40,
         rx(r"Link requires a different Python \((?P<have>[\d.]+) not in: '(?P<spec>[^']+)'\): "
            r"\S*/(?P<req>[A-Za-z][\w.]*?)-\d[^\s/]*\.(?:tar\.gz|zip|whl)"),
         blocker=group("req"), summary="{blocker} requires a different Python (Requires-Python)"),
    Rule("pip-requires-different-python", "python-version-unsupported", 75,
         rx(r"Package '(?P<req>[^']+)' requires a different Python: (?P<have>[\d.]+) not in '(?P<spec>[^']+)'"),
         blocker=group("req"), summary="{blocker} does not support this Python"),
    Rule("pip-pinned-requires-python", "python-version-unsupported", 75,
         rx(r"Could not find a version that satisfies the requirement " + REQ),
         requires=rx(r"Ignored the following versions that require a different python version"),
         check=pinned_was_ignored, blocker=group("req"),
         summary="{blocker} requires a different Python (Requires-Python)"),
    Rule("uv-abi-tag", "python-version-unsupported", 75,
         rx(r"Because all versions of (?P<req>\S+) have no wheels with a matching Python ABI tag",
             r"Because (?P<req>\S+) (?:has no wheels with a matching Python ABI tag"
             r"|is unusable because no wheels are available with a matching Python ABI)",
             r"(?<!\S)(?P<req>\S+) has no wheels with a matching Python ABI tag",
             r"You're using CPython [\d.]+ \(`cp\d+`\), but `(?P<req>[\w.-]+)` \(v[^)\s]+\) only has wheels with the "
             r"following Python ABI tags?:"),
         blocker=group("req"), also=rx(r"^hint: You require [^\n]+$"),
         summary="{blocker} has no wheel for this Python version (ABI tag)"),
    Rule("uv-current-python", "python-version-unsupported", 75,
         rx(r"the current Python version \((?P<have>[^)]+)\) does not satisfy Python(?P<spec>\S+?) "
             r"and (?P<req>\S+?) depends on"),
         check=not_a_wheel_only_dead_end, blocker=group("req"), summary="{blocker} does not support this Python"),
    # conda's older wording: a package whose dependency chain ends in another Python than the env's (conda itself
    # pinned in base is the environment's obstacle, not the package's: conda-base-environment)
    Rule("conda-chain-to-another-python", "python-version-unsupported", 76,
         rx(r"UnsatisfiableError: The following specifications were found to be in conflict:\s*\n(?:\s*-[^\n]*\n){0,12}?"
            r"\s*-\s+(?P<req>(?!(?:ana)?conda\b)[\w.-]+)(?:[ =][^\s>]+)? (?:->[^\n]*?)?-> python(?:[ =]|\[version=')(?P<other>[23]\.\d+)"),
         requires=rx(r"^\s*-\s+python(?:[ =]|==)3\.\d+\*?\s*$"),
         blocker=group("req"), summary="{blocker} has no conda build for this Python on these channels",
         action="{blocker} has no conda build for this Python on these channels (its dependencies lead to another "
                "Python): install it with pip inside the env (`pip install {blocker}`), try conda-forge (`conda "
                "install -c conda-forge {blocker}`), or create a new environment with a Python it is built for "
                "(`conda search {blocker}` lists its builds)."),
    # an application's own check of the interpreter it runs on (its setup script, not pip)
    Rule("app-python-range", "python-version-unsupported", 80,
         rx(r"python version needs to be greater (?:than )?or equal to (?P<low>3\.\d+)(?:\.\d+)? and less than "
            r"(?P<high>3\.\d+)"),
         summary="the application accepts only Python >= {blocker}",
         blocker=lambda text, m: m.group("low"),
         action="This application checks the Python it runs on and accepts only >= {low}, < {high}: install Python "
                "{low} (the python.org installer; on Windows `py -{low}` then finds it) and run its setup with it."),
    Rule("conda-python-incompatible", "python-version-unsupported", 75,
         rx(r"incompatible with the existing python installation in your environment:[\s\S]{0,400}?"
             r"-\s+(?P<req>[\w.-]+) -> python\[",
             r"^\s*-\s+(?P<req>[\w.-]+) -> python\[version='[^']+'\]\s*\n\s*Your python: python="),
         check=single_spec_incompatible, blocker=group("req"), summary="{blocker} has no build for this Python"),
    # conda-env-conflict: the base environment's pins, not the package, are the obstacle
    Rule("conda-base-environment", "conda-env-conflict", 74,
         rx(r"incompatible with the existing python installation in your environment:[\s\S]{0,400}?"
             r"-\s+(?P<req>[\w.-]+(?:==\S+)?) -> python\[",
             r"^Package [\w.-]+ conflicts for:",
             r"^\(base\)[^\n]*conda install[\s\S]{0,400}?failed with initial frozen solve",
             r"^\(base\)[^\n]*conda install[\s\S]{0,400}?^UnsatisfiableError: The following specifications were found",
             # the log ends inside the solve: conda is still searching after every fast path failed
             r"failed with repodata from current_repodata\.json, will retry with next repodata source\.[\s\S]*"
             r"Solving environment: [|/\\-]\s*\Z"),
         blocker=conda_pin,
         summary="conda cannot fit the package into the environment's existing pins (base environment)"),
    # mamba/libmamba refusing a pin (pinned_packages in .condarc, conda-meta/pinned) the environment already breaks
    Rule("conda-pin-breaks-installed", "conda-env-conflict", 74,
         rx(r"Your pinning does not match what's currently installed\.[^\n]*\n\s*Pin: (?P<pin>[^\n]+?)\s*\n\s*"
            r"Currently installed: (?:\S*::)?(?P<have>[^\s=]+==?[^\s=]+)"),
         blocker=lambda text, m: m.group("pin"), summary="a conda pin excludes what the environment already has",
         action="Your pin `{pin}` (pinned_packages in .condarc, or the environment's conda-meta/pinned file) "
                "excludes {have}, which this environment already has, so mamba refuses to solve: remove the pin (or "
                "change it to allow the installed version), install the version you want with conda install / mamba "
                "install, then add the pin back."),
    Rule("conda-many-specs", "conda-env-conflict", 74,
         rx(r"incompatible with the existing python installation in your environment:?\s*\n(?:\s*Specifications:\s*\n)?"
            r"\s*(?:-\s+)?[\w.-]+(?:==?\S+)? -> python\[",
            r"found to be in conflict:\s*\n\s*-\s+anaconda==\S+ -> "),
         check=conda_base_check, blocker=conda_pin,
         summary="conda cannot fit the package into the environment's existing pins"),
    # conda's classic solver, having failed its fast paths, searches the conflicts one by one: hours in a big env
    Rule("conda-solving-forever", "resolver-backtracking", 75,
         # only while the log ends inside the search: the verdict conda prints after it is the better evidence
         rx(r"^\W*Found conflicts! Looking for incompatible packages" + STILL_SEARCHING,
            r"^\W*Examining conflict for [^\n]+" + STILL_SEARCHING),
         blocker=fixed(None), summary="conda's solver is searching through the environment's conflicts (it can take hours)",
         action="conda's classic solver is working through the conflicts between the request and everything this "
                "environment (often base) already holds, which can take hours: stop it and install into a new "
                "environment instead (`conda create -n NAME python=3.10 PACKAGE`, then `conda activate NAME`), and use "
                "the libmamba solver (`conda config --set solver libmamba`; the default since conda 23.10) or mamba."),
    # conda has no such Python here: the channels hold no build of that version for this platform
    Rule("conda-python-not-available", "interpreter-unavailable", 76,
         rx(PACKAGES_NOT_FOUND + r"\s*-\s*python\s*=+\s*(?P<v>\d+(?:\.\d+)*)\s*$"),
         blocker=lambda text, m: f"python={m.group('v')}",
         summary="conda's channels have no Python {blocker} for this platform",
         action="conda's channels have no build of {blocker} for this platform (osx-arm64 builds start at Python 3.8, "
                "and old Pythons leave the channels): create the environment with a newer Python (`conda create -n "
                "NAME python=3.10`); if the project needs the old one, use the channel or platform that still has it "
                "(`conda create -n NAME -c conda-forge ...`; on Apple silicon `CONDA_SUBDIR=osx-64 conda create ...`, "
                "run under Rosetta). `conda search python` lists what the channels offer here."),
    # `conda create -n env python 3.5`: the version became a package name of its own
    Rule("conda-version-as-package", "other", 76,
         rx(PACKAGES_NOT_FOUND + r"\s*-\s*(?P<v>\d+(?:\.\d+)+)\s*$"),
         blocker=group("v"), summary="conda read the version {blocker} as the name of a package",
         action="conda read `{blocker}` as the name of a package: the version goes with its package and `=` "
                "(`conda create -n NAME python={blocker}`, no space before the version)."),
    # conda could not solve against the environment as it is: an inconsistent env, or even the flexible solve failed
    Rule("conda-solve-failed", "conda-env-conflict", 33,
         rx(r"^The environment is inconsistent, please check the package plan carefully",
            r"^Solving environment: failed with initial frozen solve",
            r"^(?:error\s+libmamba )?Could not solve for environment specs", r"LibMambaUnsatisfiableError",
            r"^UnsatisfiableError: The following specifications were found\s+to be incompatible with each other",
            r"^UnsatisfiableError: The following specifications were found\s+to be in conflict",
            # conda's solver, in any wording (conda's own verdict, not pip's: a fresh env is the way, as the labels of
            # all such logs accept)
            r"UnsatisfiableError"),
         blocker=fixed(None), summary="conda cannot solve the request against what this environment already holds"),
    # a 32-bit Anaconda/Miniconda searches the win-32 channels, where TensorFlow & co. were never built
    # poetry resolves for the project's whole declared Python range: a dependency capped below it fails the lock
    # poetry/PDM resolve for every Python the project's range admits: a dependency whose releases cap Python
    # below that range's top can never be installed for all of it (the project's range is the thing to narrow)
    Rule("poetry-project-range", "python-version-unsupported", 60,
         rx(r"The current project's (?:supported Python range|Python requirement) \((?P<project>[^)\n]+)\) is not "
            r"compatible with some of the required packages(?: Python requirement:)?\s*\n\s*-\s*(?P<pkg>[\w.-]+) requires "
            r"Python (?P<needs>[^,\n]+(?:, *[^,\n]+)*?), so",
            r"PythonRequirement\(name='python',[^\n]*?specifier=<PySpecSet\s*(?P<project>[^\n]*?[\d*])\s*>, editable"
            r"[^\n]*?parent=None\)[\s\S]{0,400}?specifier=<PySpecSet\s*(?P<needs>[^\n]*?[\d*])\s*>, editable[^\n]*?"
            r"parent=<Candidate (?P<pkg>[\w.-]+)@",
            # PDM 2.x: "Unable to find a resolution because the following dependencies don't work on all Python
            # versions defined by the project's `requires-python`: >=3.9.\n  python>=3.7,<3.12 (from <Candidate X@v"
            r"don't work\s+on all Python versions (?:defined by|in the range of) the\s+project's `requires-python`:\s*(?:```\s*)?"
            r"(?P<project>[<>=!~][^\n]*?)\.?\s*\n\s*python(?P<needs>[<>=!~][^\s(]*)\s+\(from <Candidate "
            r"(?P<pkg>[\w.-]+)@",
            # poetry before 1.0: "The current supported Python versions are *" ... "django (2.1) requires Python >=3.5"
            r"The current supported Python versions are (?P<project>[^\n]+?)\s*\n[\s\S]{0,600}?\b(?P<pkg>[\w.-]+) "
            r"\([^)\n]+\) requires Python (?P<needs>[^,\n]+)"),
         blocker=lambda text, m: m.group("pkg"),
         summary="the project's Python range is wider than {blocker} supports"),
    # an import of what Python removed from its standard library (PEP 594's dead batteries, Python 2's names)
    Rule("stdlib-module-removed", "python-version-unsupported", 20,
         rx(r"(?:ModuleNotFoundError|ImportError): No module named '?(?P<mod>[A-Za-z_]\w*)(?:\.[\w.]+)?'?\s*$"),
         check=gone_from_this_python, blocker=lambda text, m: m.group("mod"),
         summary="the code imports {blocker}, which this Python's standard library no longer has"),
    Rule("stdlib-name-removed", "python-version-unsupported", 20,
         rx(r"AttributeError: module '(?P<mod>[a-z]\w*)' has no attribute '(?P<attr>\w+)'",
            r"ImportError: cannot import name '(?P<attr>\w+)' from '(?P<mod>[a-z]\w*)'"),
         check=gone_from_this_python, blocker=lambda text, m: f"{m.group('mod')}.{m.group('attr')}",
         summary="the code uses {blocker}, which this Python's standard library no longer has"),
    # a package's own guard: "X requires python >= 3.9 and < 3.12 but your Python version is 3.12.0"
    Rule("package-python-guard", "python-version-unsupported", 74,
         rx(r"(?P<pkg>[A-Za-z][\w.-]*) requires [Pp]ython (?P<spec>[<>=]=?\s*\d+(?:\.\d+)*(?:\s*(?:and|,)\s*[<>]=?\s*"
            r"\d+(?:\.\d+)*)?),? but (?:your|the current|this) Python(?: version)? is (?P<have>\d+\.\d+)",
            # a setup.py's own guard: "ERROR: ipykernel requires Python version 3.4 or above."
            r"(?:^|ERROR: )\s*(?P<pkg>[A-Za-z][\w.-]*) requires Python(?: version)? (?P<floor>\d+(?:\.\d+)*)\+? or "
            r"(?:above|later|newer|higher)"),
         blocker=lambda text, m: m.group("pkg"), summary="{blocker} refuses this Python version"),
    # Python 3.11's dataclasses reject a mutable default that older Pythons took (fairseq 0.12.2's configs)
    Rule("dataclass-mutable-default", "python-version-unsupported", 74,
         rx(r"ValueError: mutable default <class '(?P<cls>[\w.]+)'> for field \w+ is not allowed: use default_factory"),
         blocker=lambda text, m: m.group("cls").split(".")[0] if "." in m.group("cls") else site_package(text, m),
         summary="code written before Python 3.11's dataclass check ({blocker})",
         action="Python 3.11 made dataclasses reject mutable defaults (here a {cls}), and {blocker} predates that check "
                "(fairseq 0.12.2 does): use Python 3.10 for it (`py -3.10 -m venv .venv`), or a release or fork of the "
                "package fixed for 3.11."),
    # an early uv (0.1.x) had no Windows launcher for 32-bit (x86) Pythons
    Rule("uv-no-x86-launcher", "python-32-bit", 78,
         rx(r"Unable to create Windows launch(?:er)? for x86 \(only x64_64 is supported\)"),
         blocker=fixed("uv"), summary="this uv cannot make console scripts for a 32-bit (x86) Python",
         action="The venv's Python is 32-bit (x86), and this uv could not create Windows launchers for it (only x64): "
                "use a 64-bit Python (python.org's 'Windows installer (64-bit)') for the venv - the audio and ML "
                "wheels need it anyway - or upgrade uv (`uv self update`), whose later releases make x86 launchers."),
    Rule("conda-win-32", "python-32-bit", 78,
         rx(r"^\W*(?:PackagesNotFoundError: The following packages are not available from current channels|"
            r"Packages missing in current channels)"),
         requires=rx(r"/win-32\b"),
         blocker=fixed("32-bit conda"), summary="this conda is the 32-bit one: its win-32 channels lack the package",
         action="This conda is 32-bit (it searches the win-32 channels), and TensorFlow and most of the audio stack "
                "are built for win-64 only: install the 64-bit Miniconda/Anaconda ('Windows 64-Bit' installer), then "
                "create the environment again with it."),
    # a conda env created without python has no pip of its own: `pip` is the system Python's
    Rule("conda-env-without-python", "conda-env-conflict", 66,
         rx(r"^\((?P<env>[\w.-]+)\) [^\n>]*>\s*pip3? install[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*Requirement already satisfied: "
            r"\S+ in (?P<site>[A-Za-z]:\\(?:(?!envs\\)[^\n(])*?site-packages)"),
         requires=rx(r"conda (?:create|activate)\b"),
         check=lambda text, m: m.group("env") != "base" and "conda" not in m.group("site").lower(),
         blocker=lambda text, m: m.group("env"), summary="the conda env {blocker} has no Python of its own: pip is the system one",
         action="The conda env {blocker} has no Python and no pip of its own (it was created without python), so "
                "`pip` is the system Python's ({site}): install them into the env (`conda install -n {blocker} "
                "python=3.10 pip`), or create it with a Python (`conda create -n {blocker} python=3.10`); then "
                "`python -m pip install ...` inside it."),
    # old conda's wording when a channel has no build of the package for this platform at all
    Rule("conda-missing-for-subdir", "no-wheel-for-platform", 75,
         rx(r"Package missing in current (?P<subdir>(?:win|osx|linux)-[\w]+) channels:\s*\n\s*-\s*(?P<pkg>[\w.-]+)"),
         blocker=lambda text, m: m.group("pkg"), summary="conda's channels have no {blocker} for this platform",
         action="conda's channels have no build of {blocker} for {subdir}: install it from PyPI inside the conda env "
                "(`python -m pip install {blocker}`, after the conda packages), or look for it on conda-forge (`conda "
                "search -c conda-forge {blocker}`)."),
    # a package in the per-user site (pip --user, AppData\Roaming\Python) comes before the conda env's own
    Rule("user-site-shadows-conda", "conda-env-conflict", 70,
         rx(r"AppData\\Roaming\\Python\\Python\d+\\site-packages\\(?P<pkg>[A-Za-z_]\w*)\\[^\n]*"),
         requires=rx(r"(?:ana|mini)conda|conda-forge|\(base\)", r"(?:Error|Exception)\b"),
         blocker=lambda text, m: m.group("pkg"),
         summary="a {blocker} in the user site (AppData\\Roaming\\Python) shadows the conda env's own",
         action="The {blocker} that loads is not the conda environment's but one installed with `pip install --user` "
                "(%APPDATA%\\Python\\PythonXY\\site-packages), which comes first on sys.path: remove it (`python -m pip "
                "uninstall {blocker}` with that Python outside the env, or delete its folder there), or set "
                "PYTHONNOUSERSITE=1 for the env; then import again."),
    # the channels build the package for x86 but not for this ARM (or POWER) platform: an env file made elsewhere
    Rule("conda-not-built-for-subdir", "no-wheel-for-platform", 75,
         rx(r"^Platform: (?P<subdir>" + ARM_SUBDIRS + r")\s*\n[\s\S]{0,800}?" + PACKAGES_NOT_FOUND
            + r"\s*-\s*(?P<pkg>[A-Za-z][\w.-]*)",
            PACKAGES_NOT_FOUND + r"\s*-\s*(?P<pkg>[A-Za-z][\w.-]*)[^\n]*\n[\s\S]{0,400}?conda\.anaconda\.org/[\w.-]+/"
            r"(?P<subdir>" + ARM_SUBDIRS + r")\b"),
         check=lambda text, m: m.group("pkg").lower() != "python",
         blocker=lambda text, m: m.group("pkg"), summary="conda's channels have no {blocker} for this platform"),
    # a CUDA build needs the __cuda virtual package: the NVIDIA driver's CUDA version as conda/mamba/pixi detect it
    Rule("conda-cuda-virtual-package", "conda-env-conflict", 72,
         rx(r"has constraint __cuda\s*(?P<need>[<>=]=?\s*[\d.]+)[^\n]*? conflicting with __cuda-(?P<have>[\d.]+)",
            r"__cuda\b[^\n]*?,? for which no candidates were found", r"nothing provides (?:requested )?__cuda\b",
            r"__cuda\b[^\n]*? is missing on the system"),
         blocker=fixed("__cuda"), summary="the CUDA build needs a CUDA driver version conda does not detect here"),
    # a conda build that needs a newer OS than the solver assumes: the __osx / __glibc virtual package (pixi takes
    # it from the workspace's system-requirements, conda from the machine or CONDA_OVERRIDE_*)
    Rule("os-virtual-package-floor", "no-wheel-for-platform", 72,
         rx(r"would require\s*\n?[^\n]*?__(?P<os>osx|glibc) (?P<need>>=?\s*[\d.]+)[^\n]*?, for which no candidates were found",
            r"nothing provides (?:requested )?__(?P<os>osx|glibc) (?P<need>>=?\s*[\d.]+)"),
         blocker=lambda text, m: f"__{m.group('os')}",
         summary="the package's conda builds need a newer OS version than the solver assumes ({blocker})"),
    Rule("conda-package-not-found", "conda-env-conflict", 74,
         rx(r"^ResolvePackageNotFound:",
            r"^PackagesNotFoundError: The following packages are not available from current channels",
            r"nothing provides requested "), blocker=fixed(None),
         # pip, tried first, found no file of that package at all: no build for this platform anywhere
         check=lambda text, m: not pip_found_none_either(text),
         summary="the environment file names conda packages (or exact builds) these channels do not have here"),
    # every release pip saw was ignored for its Requires-Python, and so none was left: the Python, not the wheels
    Rule("every-release-needs-another-python", "python-version-unsupported", 41,
         rx(r"Ignored the following versions that require a different python version: [^\n]*\n(?:\s*\n)?"
            r"(?:ERROR: )?Could not find a version that satisfies the requirement (?P<req>[^\s(]+) \(from versions: none\)"),
         check=ignored_cover_the_pin, blocker=group("req"), summary="every release of {blocker} needs another Python"),
    Rule("pip-range-requires-python", "python-version-unsupported", 60,
         rx(r"Could not find a version that satisfies the requirement " + REQ),
         requires=rx(r"Ignored the following versions that require a different python version"),
         check=range_was_ignored, blocker=group("req"),
         summary="the versions of {blocker} that fit this Python are unusable, the rest need another Python"),
    # the project's .python-version pins an interpreter its own requires-python excludes: the pin file is stale
    Rule("uv-python-version-file", "python-version-unsupported", 77,
         rx(r"The Python request from `(?P<file>\.python-versions?)` resolved to Python (?P<have>[\d.]+), which is "
            r"incompatible with the project's Python requirement: `(?P<spec>[^`]+)`"),
         blocker=fixed(".python-version"), summary="the project's .python-version asks for a Python its requires-python excludes",
         action="The project's {file} asks for Python {have}, which its own requires-python ({spec}) excludes: pin a "
                "Python the project accepts (`uv python pin X.Y` with the lowest version {spec} allows; it rewrites "
                "{file}), or delete {file}, then `uv sync` again."),
    Rule("uv-requested-python", "python-version-unsupported", 60,
         rx(r"the requested Python version \((?P<have>[^)]+)\) does not\s+satisfy\s+Python(?P<spec>\S+?)\s+"
             r"and (?:your project depends on (?P<dep>[^\s,]+)|all versions of (?P<all>[^\s,]+) depend on|(?P<req>\S+?) "
             r"depends on)"),
         blocker=lambda text, m: group("req")(text, m) or m.group("dep") or m.group("all"),
         summary="{blocker} needs a different Python"),
    # uv locks for every Python the project's requires-python admits: one of those (the split's markers) has no
    # solution although the active Python has one (a cp313-only wheel, a release capped below 3.14)
    Rule("uv-split-python", "python-version-unsupported", 58,
         rx(r"No solution found when resolving dependencies for split \((?:markers: )?(?P<split>[^)]*?)\):"
            r"[\s\S]{0,2000}?While the active Python version is (?P<have>\d+\.\d+), the resolution failed for other "
            r"Python versions supported by your\s+project"),
         blocker=split_blocker,
         summary="uv cannot lock {blocker} for every Python the project's requires-python admits"),
    # no-wheel-for-platform (the generic form: nothing more specific matched)
    Rule("ignored-for-python", "python-version-unsupported", 39,
         rx(r"Ignored the following versions that require a different python version: (?P<list>[^\n]+)"),
         summary="most probable cause: the releases that would fit need another Python"),
)
