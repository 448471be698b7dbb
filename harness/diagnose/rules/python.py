"""Rules: the interpreter does not fit (32-bit, a Python version a release excludes) and conda's environment pins."""
from __future__ import annotations

from typing import Tuple

from harness.diagnose import context, reqs
from harness.diagnose.rules.base import ERROR_STATUS, EXCEPTION, REQ, TENSORFLOW_NOT_FOUND, Rule, rx
from harness.diagnose.rules.checks import (
    conda_base_check,
    ignored_cover_the_pin,
    not_a_wheel_only_dead_end,
    pin_outside_listed_range,
    pinned_older_than_python,
    pinned_was_ignored,
    posix_without_bits,
    python_312_or_newer,
    python_312_or_newer_or_said,
    python_312_or_newer_or_unknown,
    range_was_ignored,
    release_older_than_python,
    single_spec_incompatible,
    wheel_python_differs,
    windows_without_version,
)
from harness.diagnose.rules.extract import build_subject, conda_pin, fixed, group, wheel_requirement

# conda's verdict when a spec names nothing its channels have, up to the first listed spec
PACKAGES_NOT_FOUND = r"^\W*PackagesNotFoundError: The following packages are not available from current channels:\s*\n"
# nothing after the match that says what conda found (its verdict is better evidence than its searching)
STILL_SEARCHING = r"(?![\s\S]*(?:UnsatisfiableError|were found\s+to be|conflicts for:|incompatible with|Your python:))"

PYTHON_RULES: Tuple[Rule, ...] = (
    # python-32-bit: no wheel for a 32-bit interpreter (TensorFlow has none at all)
    Rule("python-32-bit", "python-32-bit", 76,
         rx(r"Could not find a version that satisfies the requirement " + REQ,
             r"No matching distribution found for " + REQ,
             r"(?P<req>[A-Za-z][\w.]*-\d[\w.]*)-\S*win_amd64\.whl is not a supported wheel on this platform"),
         requires=rx(context.BITS_32),
         blocker=wheel_requirement,
         summary="{blocker} has no wheel for a 32-bit Python"),
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
    Rule("tensorflow-release-older-than-python", "python-version-unsupported", 42,
         rx(TENSORFLOW_NOT_FOUND), check=pinned_older_than_python,
         blocker=group("req"), summary="{blocker} has no wheel for a Python as new as this one"),
    Rule("pin-outside-listed-versions", "python-version-unsupported", 52,
         rx(r"satisfies the requirement (?P<req>(?:tensorflow|tensorflow-gpu|torch|numpy|scipy|pandas)==[\w.]+)"
            r"[^\n]*?\(from versions: (?P<versions>[^)]{1,4000})\)"),  # a pasted list may wrap
         check=pin_outside_listed_range, blocker=group("req"),
         summary="{blocker} has no release for this Python: pip lists only the releases that fit it"),
    Rule("torch-release-older-than-python", "python-version-unsupported", 42,
         rx(r"(?:No matching distribution found for|satisfies the requirement) (?P<req>torch==[\w.]+)(?=[\s(]|$)"),
         check=pinned_older_than_python, blocker=group("req"), summary="{blocker} has no wheel for a Python as new as this one"),
    # an installed package written for a newer Python than the one running it (f-strings, walrus, match)
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
    Rule("distutils-removed", "python-version-unsupported", 76,
         rx(r"distutils was removed from the standard library in Python (?P<py>3\.\d+)[^\n]*?"
             r"(?:Consider adding a constraint \(like `(?P<constraint>[^`]+)`\))?",
             r"No module named 'distutils'"),
         check=python_312_or_newer_or_said, blocker=build_subject,
         summary="{blocker} still builds with distutils, which Python 3.12 removed"),
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
         rx(r"Getting requirements to build wheel did not run successfully",
             r"Failed to (?:download and )?build `(?:numpy|llvmlite|numba)==",
             r"Failed to fetch wheel: (?:numpy|llvmlite|numba)==",
             r"Failed building wheel for (?:llvmlite|numba)",
             r"Building wheel for (?:numpy|llvmlite|numba) \((?:setup\.py|pyproject\.toml)\)" + ERROR_STATUS,
             r"pip subprocess to install build dependencies did not run successfully",
             r"Failed building wheel for numpy", r"Could not build wheels for numpy",
             r"Preparing (?:wheel )?metadata \((?:pyproject\.toml|setup\.py)\)" + ERROR_STATUS,
             r"metadata-generation-failed",
             # pip itself crashing while it prepares such an sdist (the traceback cut before its last line)
             r"^ERROR: Exception:$"),
         check=release_older_than_python, blocker=build_subject,
         summary="{blocker} has no wheel for this Python and its source no longer builds there"),
    # get-pip.py installs today's pip, whose code an old Python cannot even parse
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
            r"^UnsatisfiableError: The following specifications were found\s+to be in conflict"),
         blocker=fixed(None), summary="conda cannot solve the request against what this environment already holds"),
    Rule("conda-package-not-found", "conda-env-conflict", 74,
         rx(r"^ResolvePackageNotFound:",
            r"^PackagesNotFoundError: The following packages are not available from current channels",
            r"nothing provides requested "), blocker=fixed(None),
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
    Rule("uv-requested-python", "python-version-unsupported", 60,
         rx(r"the requested Python version \((?P<have>[^)]+)\) does not satisfy Python(?P<spec>\S+?) "
             r"and (?P<req>\S+?) depends on"),
         blocker=group("req"), summary="{blocker} needs a different Python"),
    # no-wheel-for-platform (the generic form: nothing more specific matched)
    Rule("ignored-for-python", "python-version-unsupported", 39,
         rx(r"Ignored the following versions that require a different python version: (?P<list>[^\n]+)"),
         summary="most probable cause: the releases that would fit need another Python"),
)
