"""Advice when the interpreter does not fit: its version, its bitness, its absence, another Python's pip, conda's env."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose import context, reqs, stdlib
from harness.diagnose.advice.base import (
    DEFAULT_PACK,
    SUPPORTED_PYTHONS,
    VENV,
    Facts,
    bare_pip,
    blocker_name,
    distribution,
    fresh,
    install_cmd,
    installed_packages,
    new_venv,
    old_spleeter_dependency,
    on_windows,
    pin_spleeter,
    q,
    this_python,
    tied_to_pack,
    venv_pip,
)
from harness.diagnose.advice.wheels import pin_not_offered
from harness.diagnose.rules.checks import LAST_WINDOWS_INSTALLER, PYINSTALLER_FOR_PYTHON, source_only_release

# Python 2 backports of standard-library modules: on Python 3 the module is built in, the backport only breaks
BACKPORTS = {"enum34": "enum", "futures": "concurrent.futures", "configparser": "configparser", "typing": "typing",
             "subprocess32": "subprocess", "functools32": "functools", "pathlib": "pathlib", "argparse": "argparse",
             "backports.functools-lru-cache": "functools.lru_cache"}


def lagging_release(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The newest release of a package that always ships wheels, picked unasked as a source archive on a Python its
    line supports (reqs.lagging_release): the release before it has wheels for this Python, and so does the next
    Python (or, on the newest one the line names, the one before)."""
    if not (f.python and reqs.lagging_release(f.log, f.blocker, f.python)):
        return None
    name, spec = reqs.split_requirement(f.blocker or "")
    version = reqs.pinned_version(spec or "") or ""
    pin = f'{bare_pip(f)} install "{name}<{".".join(version.split(".")[:2])}"'
    newest = reqs.newest_python(f.blocker) or f.python
    other = (reqs.next_minor(f.python) if reqs.version_key(f.python) < reqs.version_key(newest)
             else reqs.previous_minor(f.python))
    return (f"{name} {version}, the release pip picked, came as a source archive: it has no wheel for Python "
            f"{f.python} on this platform (a new release's wheels for a Python can be late, or the release dropped "
            f"that Python) and its source build fails. Install the release before it, which has wheels for Python "
            f"{f.python} (`{pin}`), or use Python {other}, which {name} {version} has wheels for.", (pin,))


def brand_new_python(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The log's Python is its minor's first release (X.Y.0) and nothing of the package is there for it: the
    package's wheels for a new Python come months later, so the Python before it is the way out (or, once they are
    out, the first release with them)."""
    name = blocker_name(f)
    if not f.python or not context.first_of_its_minor(f.log, f.python):
        return None
    before = reqs.previous_minor(f.python)
    if reqs.split_requirement(f.blocker or "")[1] or not reqs.NEWEST_PYTHON.get(name) or not before:
        return None
    first = reqs.first_release_for(name, f.python)
    later = f", or, once it is out, {name}>={first}, the first release with wheels for it" if first else ""
    return (f"Python {f.python}.0 is its minor's first release, and {name} had no wheels for Python {f.python} yet "
            f"(a package's wheels for a new Python come months after it): use Python {before} in a new venv "
            f"(`{new_venv(f, before)}`){later}.", (new_venv(f, before),))


def python_version_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    what = f.blocker or f.pack
    name = reqs.split_requirement(what)[0]
    if name in BACKPORTS and (not f.python or f.python.startswith("3")):
        return (f"{name} is a backport of Python 3's {BACKPORTS[name]} for Python 2.7 and has no build for Python 3: "
                f"drop {name} from the requirements (remove it from requirements.txt / environment.yml; Python 3 has "
                f"{BACKPORTS[name]} built in), or, if a package insists on it, that package needs Python 2.7 or a newer "
                f"release.", (f"{bare_pip(f)} uninstall -y {name}",))
    if f.rule in ("stdlib-module-removed", "stdlib-name-removed"):
        return stdlib_removed_advice(f)
    if f.rule == "poetry-project-range":
        return project_range_advice(f)
    lagging = lagging_release(f) if f.rule == "lagging-release" else None
    if lagging:
        return lagging
    fresh_python = brand_new_python(f)
    if fresh_python:
        return fresh_python
    if f.rule == "package-python-guard":
        spec = f.groups.get("spec") or f">={f.groups.get('floor')}"
        low, high = _bounds(spec.replace(" and ", ","))
        pick = ((reqs.previous_minor(high) or high) if high else f.target_python
                if not low or reqs.version_key(f.target_python) >= reqs.version_key(low) else low)
        have = f.groups.get("have") or f.python
        return (f"{f.blocker} supports Python {spec} only, and this is {f'Python {have}' if have else 'an older one'}: "
                f"create a venv with Python {pick} (`{new_venv(f, pick)}`) and install {f.blocker} there - or a newer "
                f"{f.blocker} release (or its maintained fork) if one supports your Python.",
                (new_venv(f, pick),))
    if f.rule == "uv-requested-python" and re.match(r"[<>=!~^]", f.groups.get("have", "")):
        # a range, not an interpreter: the project's requires-python, which uv locks for as a whole
        need = f.groups.get("spec", "")
        return (f"uv locks for every Python the project's requires-python admits ({f.groups['have']}), and "
                f"{f.blocker or 'a dependency'} needs Python {need}: raise the floor in pyproject.toml (`requires-python "
                f"= \"{need}\"` under [project]; `uv python pin` only chooses the interpreter that runs), then `uv lock` "
                f"/ `uv add` again.", ("uv lock",))
    if f.rule == "uv-split-python":
        return uv_split_advice(f)
    unlisted = pin_not_offered(f) if not tied_to_pack(f.blocker) else None
    if unlisted:  # another project's pin: its own release list, not the pack's Pythons, is the way out
        return unlisted
    if f.rule == "wheel-for-another-python":
        wheel_python = f"{f.groups.get('major')}.{f.groups.get('minor')}"
        return (f"The wheel of {what} is built for Python {wheel_python} (cp{wheel_python.replace('.', '')}) and this "
                f"is {this_python(f)}: use Python {wheel_python} for that file, or pick the file built for your "
                f"Python (let pip choose it from the index).",
                (new_venv(f, wheel_python), install_cmd(f, f.blocker or f.pack)))
    if f.rule == "pyo3-older-than-python":
        return pyo3_advice(f)
    if f.rule == "pyinstaller-older-than-python":
        return pyinstaller_advice(f)
    if f.rule == "setup-py-syntax":
        return setup_syntax_advice(f)
    if f.rule == "c-api-changed":
        return c_api_advice(f)
    if f.rule == "distutils-import-at-runtime":
        dist = distribution(f.blocker or "PACKAGE")
        return (f"{f.blocker} imports distutils when it runs, and Python 3.12 removed distutils from the standard "
                f"library: upgrade {dist} (its newer releases no longer import it: `{bare_pip(f)} install --upgrade "
                f"{dist}`), or install setuptools into this environment (`{bare_pip(f)} install setuptools` - it "
                f"provides distutils again), or run it on Python 3.11.",
                (f"{bare_pip(f)} install --upgrade {dist}", f"{bare_pip(f)} install setuptools"))
    if f.rule == "distutils-removed" and reqs.split_requirement(what)[0] not in ("numpy", "llvmlite", "numba"):
        removed = f.groups.get("py") or "3.12"
        name = blocker_name(f) if f.blocker else "PACKAGE"
        return (f"Python {removed} removed distutils, which the build of {f.blocker or 'the package'} still imports: "
                f"install setuptools into the build (`{bare_pip(f)} install --upgrade setuptools` - it provides "
                f"distutils again - then `{bare_pip(f)} install --no-build-isolation {name}`), or take a newer "
                f"release that no longer uses distutils, or use Python 3.11.", (new_venv(f, "3.11"),))
    constraint = f.groups.get("constraint")
    if constraint:
        return (f"{what} has no wheel for {this_python(f)} and cannot build there (no distutils): add the "
                f"constraint uv suggests (`{constraint}`), or use Python {f.target_python}.",
                (install_cmd(f, constraint, f.pack),))
    if f.installer == "conda":
        return (f"Use Python {f.target_python}: {what} has no build for {this_python(f)}; create a fresh env "
                f"with `{new_venv(f, f.target_python)}` (not the base environment) and install there, or use "
                f"{f.pack}, which supports Python 3.8-3.11.", fresh(f, f.target_python))
    if f.fell_back_to:
        return (f"Use Python {f.target_python}: pip fell back to {f.fell_back_to} because {f.pack} excludes "
                f"{this_python(f)}; create a venv with `{new_venv(f, f.target_python)}` and install {f.pack} there.",
                fresh(f, f.target_python))
    if f.rule == "pure-python-none":
        return (f"pip saw no release of {what} that accepts {this_python(f)} (spleeter ships pure-Python wheels, so "
                f"only Requires-Python can exclude it): spleeter 1.x needs Python 3.7 (or 3.6), 2.4.x supports "
                f"3.8-3.11 - install {f.pack} with Python {f.target_python}, or an old spleeter 1.x with Python 3.7.",
                fresh(f, f.target_python))
    if old_spleeter_dependency(f):
        return (f"{what} does not support {this_python(f)}; {pin_spleeter(f)}. {f.pack} has wheels for Python "
                f"3.8-3.11, or keep the old pin with Python {f.target_python}.", fresh(f, f.python or f.target_python))
    if f.rule == "python-guard-in-build" and not f.blocker:
        what = f"the package being built (its setup.py allows Python {f.groups.get('spec') or 'older versions'})"
    if f.rule == "asked-above-every-listed":
        listed = [v.strip() for v in f.groups.get("listed", "").split(",") if v.strip()]
        newest = max(listed, key=reqs.version_key) if listed else "an older release"
        return (f"pip lists {blocker_name(f)} only up to {newest} for {this_python(f)}: the newer releases "
                f"({f.blocker}) declare a Requires-Python that excludes it, so pip leaves them out. Upgrade Python - a "
                f"venv with Python {f.target_python} (`{new_venv(f, f.target_python)}`) - or, to stay on this Python, "
                f"use a release of the package that asks for {f.blocker} from before it did, which accepts "
                f"{blocker_name(f)}<={newest}.", fresh(f, f.target_python))
    if PIPX.search(f.log):  # pipx makes the app's venv with its own default Python, not the one on PATH
        py = f.target_python
        return (f"Use Python {py}: {what} does not support {this_python(f)}, the Python pipx makes its venvs with by "
                f"default: install it with another one (`pipx install --python python{py} {f.blocker or 'PACKAGE'}`, "
                f"a path or, with the py launcher, `--python {py}`), or set PIPX_DEFAULT_PYTHON to that interpreter.",
                (f"pipx install --python python{py} {f.blocker or 'PACKAGE'}",))
    # a Python older than the pack supports is a way out for the blocker alone, not for the pack
    target = f.pack if f.pack != DEFAULT_PACK or f.target_python in SUPPORTED_PYTHONS else (f.blocker or f.pack)
    if not tied_to_pack(f.blocker):
        target = f.blocker or f.pack  # another project's package: the way out is that package, not the pack
    return (f"Use Python {f.target_python}: {what} does not support {this_python(f)}; "
            f"create a venv with `{new_venv(f, f.target_python)}` and install {target} there"
            f"{newer_release(f)}.", fresh(f, f.target_python, *((target,) if target != f.pack else ())))


# the Python whose C API no longer has what old generated C (Cython before 0.29.x/3.0) reaches into
C_API_CHANGED_IN = {"exc_type": "3.7", "use_tracing": "3.11", "recursion_depth": "3.11", "cframe": "3.13",
                    "ob_digit": "3.12", "curexc_type": "3.12", "curexc_traceback": "3.12", "_PyLong_AsByteArray": "3.13",
                    "longintrepr.h": "3.11"}


def c_api_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """An old release's pre-generated C that a newer Python's C API breaks: a release made for that Python, or the
    Python before it."""
    what = f.groups.get("member") or f.groups.get("member2") or f.groups.get("func") or f.groups.get("header") or ""
    changed = C_API_CHANGED_IN.get(what, "")
    py = f.python if f.python and (not changed or reqs.version_key(f.python) >= reqs.version_key(changed)) else changed
    before = reqs.previous_minor(py) if py else None
    name = blocker_name(f) if f.blocker else "the package"
    upgrade = f"{bare_pip(f)} install --upgrade {name}"
    return (f"The C source of {f.blocker or 'this release'} (generated by an older Cython and shipped in its source "
            f"archive) uses CPython internals (`{what}`) that Python {py or 'this version'} changed: that release has "
            f"no wheel for this Python and cannot build here. Install a release of {name} made for Python "
            f"{py or 'this version'} (`{upgrade}`; loosen the pin that holds the old one - for a dependency, the "
            f"package that pins it may need its own upgrade), or use Python {before or 'the version before'} in a new "
            f"venv.", (upgrade,) + ((new_venv(f, before),) if before else ()))


def setup_syntax_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A source archive's setup.py that this Python cannot parse: Python 2 code on Python 3 wants a newer release of
    the package; anything else is syntax this Python is too old for."""
    name = blocker_name(f)
    if re.search(r"Missing parentheses in call to 'print'|^\s*print ['\"]", f.log, re.MULTILINE):
        upgrade = f"{bare_pip(f)} install --upgrade {name}"
        return (f"The setup.py of {f.blocker} is Python 2 code (a print statement), which this Python 3 cannot run: "
                f"that release predates Python 3 support - take a newer release of {name} (`{upgrade}`, loosening "
                f"the pin that asks for the old one), or its maintained fork.", (upgrade,))
    return (f"The setup.py of {f.blocker} uses syntax {this_python(f)} does not know: that release is written for a "
            f"newer Python - use a newer Python (a supported Python version of {name}; Python {f.target_python} in "
            f"a new venv: `{new_venv(f, f.target_python)}`), or pin an older {name} release that still supports "
            f"this one.", fresh(f, f.target_python, name))


def pyinstaller_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A PyInstaller release older than the Python it runs on: it cannot read that Python's bytecode."""
    have, pyi = f.groups.get("have", ""), f.groups.get("pyi", "")
    need = PYINSTALLER_FOR_PYTHON.get(have, "a newer release")
    upgrade = f"{bare_pip(f)} install --upgrade pyinstaller"
    return (f"PyInstaller {pyi} predates Python {have} and cannot analyse its bytecode (each PyInstaller release "
            f"supports the Pythons out when it was made; Python {have} needs PyInstaller {need} or later): upgrade "
            f"PyInstaller (`{upgrade}`) in the environment that builds, or build with the older Python it supports.",
            (upgrade,))


def pyo3_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A Rust extension whose PyO3 predates this Python: no wheel here, and its code cannot compile against this
    Python's C API; a later release (a newer PyO3, with wheels) or the Python before this one are the ways out."""
    name = blocker_name(f) if f.blocker else "the package"
    have = f.groups.get("have") or f.python
    before = reqs.previous_minor(have) if have else None
    older = f"Python {before}" if before else "the Python before this one"
    upgrade = f"{bare_pip(f)} install --upgrade {name}"
    return (f"{f.blocker or 'This release'} binds Python through a PyO3 older than {this_python(f)}, so it has no "
            f"wheel here and its Rust code does not compile against this Python: upgrade {name} to a release made for "
            f"this Python (`{upgrade}`; loosen the pin that holds the old one - newer releases ship wheels for it), or "
            f"use {older} in a new venv.", (upgrade,) + ((new_venv(f, before),) if before else ()))


def newer_release(f: Facts) -> str:
    """The other way out of an old pin: a release built for this Python, and the constraint that makes the
    resolver take it when something deeper pulled the old one in (uv's "was included because" chain)."""
    name = blocker_name(f)
    first = reqs.first_release_for(name, f.python) if f.python else None
    chain = re.search(r"`" + re.escape(name) + r"` \(v[\d.]+\) was included because ([\s\S]+?)(?:\n\S|$)", f.log)
    parents = re.findall(r"`([\w.-]+)` \(v[\d.]+\)", chain.group(1)) if chain else []
    pinned = next((p for p in reversed(parents) if p != name and reqs.first_release_for(p, f.python)), None)
    if pinned:
        return (f"; or constrain {pinned}>={reqs.first_release_for(pinned, f.python)} (the first {pinned} with wheels "
                f"for Python {f.python}), so the resolver stops picking the old release")
    return f"; or use {name}>={first}, the first release with wheels for Python {f.python}" if first else ""


def python_32_bit_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    what = f.blocker or "TensorFlow"
    python = f.python if f.python and reqs.version_key(f.python) >= reqs.version_key("3.8") else f.target_python
    installer = ("the python.org 'Windows installer (64-bit)'" if on_windows(f)
                 else "a 64-bit OS and Python (x86_64/aarch64)")
    tag = re.search(r"-cp(\d)(\d+)\S*\.whl is not a supported wheel", f.log)
    if tag and f.bits == 64:  # a 64-bit Python rejecting a 64-bit wheel: its tags differ (another version, a beta)
        wheel_python = f"{tag.group(1)}.{tag.group(2)}"
        return (f"This Windows wheel of {what} is for CPython {wheel_python} (cp{tag.group(1)}{tag.group(2)}) and pip "
                f"rejected it: this Python's tags differ - another version, or a pre-release of {wheel_python} whose "
                f"ABI tag the final wheels do not carry: install the final Python {wheel_python} release and run pip "
                f"with it (`py -{wheel_python} -m pip install ...`).", (f"py -{wheel_python} -m pip debug --verbose",))
    if tag:
        wheel_python = f"{tag.group(1)}.{tag.group(2)}"
        return (f"This Windows wheel of {what} is for 64-bit Python {wheel_python} (cp{tag.group(1)}{tag.group(2)}) "
                f"and pip rejected it: this Python is 32-bit or not {wheel_python}; install 64-bit Python "
                f"{wheel_python} and run pip with it (`py -{wheel_python} -m pip install ...`).",
                (f"py -{wheel_python}-64 -m venv {VENV}", f"{venv_pip(f)} install {q(f.pack)}"))
    if f.bits != 32 and not on_windows(f):
        # a guess from "nothing listed" on a machine the log does not show: name the three usual causes
        return (f"No release of {what} fits this interpreter at all. The usual causes: a 32-bit Python (install "
                f"64-bit Python {python}), a Python version it has no wheels for, or a Mac with Apple silicon and "
                f"a TensorFlow before 2.13 (use tensorflow-macos).", fresh(f, python))
    name = reqs.split_requirement(what)[0] or what
    # TensorFlow and torch never had 32-bit wheels, and some packages' ended (WIN32_WHEELS_END); of others only
    # this release is known to have none here
    only_64 = name.lower() in ("tensorflow", "torch") or name.lower().startswith("tensorflow") or bool(
        reqs.win64_only(f.blocker))
    if not only_64 and f.blocker:
        return (f"This Python is 32-bit and pip found no 32-bit wheel of {what} for it, so it built the source and "
                f"failed: install 64-bit Python {python} ({installer}) and create the venv with it; or install the "
                f"previous version of {name} if that one has a 32-bit (win32) wheel - a new release's wheels can "
                f"also come a few days after its source.",
                (f"py -{python}-64 -m venv {VENV}" if on_windows(f) else f"python{python} -m venv {VENV}",
                 f"{venv_pip(f)} install {q(f.pack)}"))
    return (f"This Python is 32-bit and {what} publishes 64-bit wheels only: install 64-bit Python {python} "
            f"({installer}), then create the venv with it.",
            (f"py -{python}-64 -m venv {VENV}" if on_windows(f) else f"python{python} -m venv {VENV}",
             f"{venv_pip(f)} install {q(f.pack)}"))


def interpreter_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    # the Python the log names as missing; without one, never the Python the log itself already runs
    wanted = re.sub(r"^Python ", "", f.blocker or "") or (
        f.target_python if f.target_python != f.python else reqs.previous_minor(f.python) or f.target_python)
    launcher = re.search(r"^py(?:\.exe)?\s*\n+Python (\d\.\d+)\.\d+", f.log, re.MULTILINE)
    if "run without arguments to install from the Microsoft Store" in f.log and launcher:
        found = launcher.group(1)  # the py launcher starts a real Python: only `python` on PATH is the alias
        return (f"Python {found} is installed - the py launcher starts it - but `python` on PATH is only the "
                f"Microsoft Store alias: run `py` instead (`py setup.py install`, `py -m pip install ...`), or add that "
                f"Python to PATH (its installer > Modify > 'Add Python to environment variables') and turn the "
                f"python.exe / python3.exe aliases off (Settings > Apps > Advanced app settings > App execution "
                f"aliases).", (f"py -{found} -m pip --version", "py -0p"))
    if "run without arguments to install from the Microsoft Store" in f.log:
        return (f"`python` here is only Windows' Microsoft Store alias, no real Python is installed (or it is not on "
                f"PATH): install Python {wanted} from python.org with 'Add python.exe to PATH' ticked (or `winget "
                f"install Python.Python.{wanted}`), then turn the python.exe / python3.exe aliases off (Settings > Apps "
                f"> Advanced app settings > App execution aliases) and open a new terminal; `py -{wanted}` works too.",
                (f"winget install Python.Python.{wanted}", f"py -{wanted} -m venv {VENV}"))
    have = re.search(r"^Python (" + re.escape(wanted) + r"(?:\.\d+)*)\s*$", f.log, re.MULTILINE) if wanted else None
    if f.rule == "uv-no-interpreter" and have:  # the Python is there: uv's own settings keep it from seeing it
        preference = re.search(r"python-preference\s*=\s*\"?([\w-]+)", f.log)
        why = f" (python-preference = {preference.group(1)})" if preference else ""
        find = f"py -{wanted} -c \"import sys; print(sys.executable)\"" if on_windows(f) else f"which python{wanted}"
        path = "C:\\path\\to\\python.exe" if on_windows(f) else f"/path/to/python{wanted}"
        return (f"Python {have.group(1)} is installed, but uv does not find it where its settings let it look{why}: "
                f"pass the interpreter itself with `--python {path}` (`uv python find` or `{find}` prints it), or "
                f"loosen uv's python-preference (`--python-preference system`, or managed to let uv install its own).",
                ((f"uv venv --python {path}",) if on_windows(f) else (f"uv venv --python \"$(command -v python{wanted})\"",)))
    if f.rule == "python-build-failed":
        return _python_built_advice(f, wanted)
    listed = re.findall(r"^\s*-V:(\d\.\d+)\S*\s", f.log, re.MULTILINE)  # `py -0`: the runtimes the launcher sees
    if "No suitable Python runtime found" in f.log and listed:
        default = re.search(r"^\s*(?:python3?\s*=|\$env:PY_PYTHON\s*=|set PY_PYTHON=)\s*\"?(?P<v>[\w.-]+)", f.log,
                            re.MULTILINE | re.IGNORECASE)
        said = f" ({default.group('v')})" if default else ""
        suffix = ("the launcher of Python 3.11+ no longer reads the old -64 suffix, so " if default
                  and re.search(r"-(?:64|32)$", default.group("v")) else "")
        plain = re.sub(r"-(?:64|32)$", "", default.group("v")) if default else listed[0]
        return (f"The py launcher sees installed Pythons ({', '.join(dict.fromkeys(listed[:4]))} ...), but none matches "
                f"its default{said}, which comes from py.ini's [defaults] (%LOCALAPPDATA%\\py.ini, next to py.exe) "
                f"or PY_PYTHON: {suffix}write the version as `py -0` lists it (`python={plain}`), or remove the "
                f"setting; `py -{plain}` works meanwhile.",
                (f"py -{plain} --version", "py -0p"))
    if "No suitable Python runtime found" in f.log:  # the launcher was asked (py -3.X, a shebang) for what is absent
        asked = re.search(r"\bpy(?:\.exe)? -(\d\.\d+)\b", f.log)
        v = asked.group(1) if asked else "3.X"
        return (f"Windows' py launcher was asked for a Python version that is not installed - the script runs `py "
                f"-{v}` (or its shebang / py.ini names one): `py -0` lists the installed ones"
                + ("" if asked else ", and the script's own py line names the one it wants")
                + f". Install that version from python.org (or `winget install Python.Python.{v}`), or change the "
                f"script's -{v} to an installed version the app supports.",
                ("py -0p", f"winget install Python.Python.{v}" if asked else "winget search Python.Python"))
    if f.rule == "pipenv-python-missing":
        path = "C:\\path\\to\\python.exe" if on_windows(f) else f"/path/to/python{wanted}"
        return (f"pipenv looks for Python {wanted} (the Pipfile's python_version) on PATH, or installs it through pyenv "
                f"or asdf, and finds none of them: install Python {wanted} (python.org, with 'Add python.exe to PATH') "
                f"and open a new terminal, or point pipenv at the interpreter itself (`pipenv --python {path}`); to use "
                f"the Python you have, change python_version in the Pipfile.", (f"pipenv --python {path}",))
    if re.search(r"No python was detected on your system", f.log):  # an app's installer script looks on PATH
        recommended = re.search(r"We recommend Python (\d+\.\d+(?:\.\d+)?)", f.log)
        version = recommended.group(1) if recommended else wanted
        return (f"The installer looks for python on PATH and finds none (or one it cannot use): install Python "
                f"{version} from python.org with 'Add python.exe to PATH' ticked (or reinstall Python with that box "
                f"ticked; `winget install Python.Python.{'.'.join(version.split('.')[:2])}`), open a new terminal so PATH "
                f"is read again, check `python --version`, then run the installer again.",
                ("python --version", "where python" if on_windows(f) else "command -v python3"))
    if f.rule == "python-not-on-path" and (f.blocker or "").startswith("python") and "pyenv" in f.log.lower():
        return ("`python` is not found although pyenv is set up: pyenv's shims folder is not on PATH, or has no shim "
                "yet. Put pyenv's bin and shims folders on PATH (on Windows %USERPROFILE%\\.pyenv\\pyenv-win\\bin and "
                "...\\shims, before WindowsApps, and turn off the Store's python.exe alias under 'Manage App Execution "
                "Aliases'), open a new terminal, run `pyenv rehash`, and check with `where python`.",
                ("pyenv rehash", "where python" if on_windows(f) else "which -a python"))
    if f.rule == "python-not-on-path":
        pip = "py -m pip" if on_windows(f) else "python3 -m pip"
        return (f"{f.blocker or 'pip'} is not on PATH: run pip through the interpreter (`{pip} install {f.pack}`), "
                f"or reinstall Python with 'Add python.exe to PATH' ticked and open a new terminal.",
                ("py --list" if on_windows(f) else "command -v python3", f"{pip} install {q(f.pack)}"))
    if f.rule == "uv-no-venv":
        py = f.groups.get("py")
        venv = f"uv venv -p {py}" if py else "uv venv"
        activate = ".venv\\Scripts\\activate" if on_windows(f) else "source .venv/bin/activate"
        return (f"uv pip installs only into a virtual environment: create one first (`{venv}`, then `{activate}`), "
                f"or name the interpreter with --python PATH, or pass --system in a CI job or container.",
                (venv, activate, install_cmd(f, f.pack)))
    # pyenv-win lists python.org's installers only: a release after its branch's last installer has no definition
    pyenv_win_source_only = (f.rule == "pyenv-version-missing" and on_windows(f) and wanted.count(".") == 2
                             and source_only_release(wanted))
    if (f.rule == "python-org-source-only" or pyenv_win_source_only) and wanted:
        last = LAST_WINDOWS_INSTALLER[".".join(wanted.split(".")[:2])]
        return (f"Python {wanted} has no Windows installer: python.org builds installers only up to a branch's last "
                f"bugfix release ({last} for {'.'.join(wanted.split('.')[:2])}); the security releases after it are "
                f"source only. Install {last} instead (`pyenv install {last}`, or its python.org installer) - or a newer "
                f"branch - and set that version (`pyenv global {last}` / `pyenv local {last}`).",
                (f"pyenv install {last}", f"pyenv local {last}"))
    if f.rule == "pyenv-version-missing":
        chosen = re.findall(r"pyenv (?:global|local|shell) (\d+\.\d+(?:\.\d+)?)\b", f.log)
        if f.blocker and wanted and chosen and wanted not in chosen:  # the log asks for another version than was set
            return (f"pyenv was set to {chosen[-1]}, yet it asks for {wanted}: a `.python-version` file in this folder "
                    f"or a parent (or the PYENV_VERSION variable) names {wanted} and wins over `pyenv global`. "
                    f"`pyenv version` shows where the version comes from: delete that file, or `pyenv local "
                    f"{chosen[-1]}` here, or `pyenv install {wanted}` if the project needs it.",
                    ("pyenv version", f"pyenv local {chosen[-1]}"))
        update = [] if any(r.startswith("pyenv update") for r in f.ran) else ["pyenv update"]
        how = ("update pyenv (`pyenv update`; a git checkout: `git -C \"$(pyenv root)\" pull`; Homebrew: `brew upgrade "
               "pyenv`), whose list of versions is only as new as pyenv itself, then " if update else "")
        which = f"Python {wanted}" if f.blocker else "the Python version asked for"
        return (f"pyenv does not know {which}: {how}pick a version that `pyenv install --list` shows and "
                f"`pyenv install` it (or set the local version to one that `pyenv versions` lists).",
                tuple(update) + ("pyenv install --list", f"pyenv install {wanted}"))
    if f.rule == "py-runtime-missing":
        tagged = re.search(rf"^\s*-V?:?({re.escape(wanted)}\.\d+)(?:-(?:32|64))?\b", f.log, re.MULTILINE) if wanted else None
        if tagged:  # registered under its full version (pyenv-win does so): an older launcher will not match -3.6
            return (f"The launcher does list that Python, as -{tagged.group(1)} (registered under its full version, "
                    f"as pyenv-win does), but this launcher does not match -{wanted} to it: ask for the full tag "
                    f"(`py -{tagged.group(1)}`), call its python.exe by its full path, or update the launcher (a newer "
                    f"python.org installer brings one); `py -0p` shows the tags and paths.",
                    (f"py -{tagged.group(1)} -V", "py -0p"))
        return (f"Windows' py launcher has no Python {wanted}: install it - `py install {wanted}` with the Python "
                f"install manager (the `py` of Python 3.14 and later), or the python.org installer for {wanted} "
                f"(`winget install Python.Python.{wanted}`) - then check with `py --list` and rerun.",
                (f"py install {wanted}", "py --list", f"py -{wanted} -m venv {VENV}"))
    pinned = re.search(r"version file at `([^`]+)`", f.log)
    if pinned or re.search(r"for executable name `", f.log):
        where = pinned.group(1) if pinned else ".python-version"
        return (f"uv takes the Python to use from {where}, and no interpreter matches it: fix or delete that "
                f".python-version (`uv python pin 3.12` writes a valid one; `uv python list` shows what uv can use), "
                f"or pass --python explicitly.", ("uv python list", "uv python pin 3.12"))
    asked_by = tool_asking(f, wanted)
    if asked_by:
        return asked_by
    have = re.search(r"Found existing installation for Python|Installed Python [\d.]+|^cpython-[\d.]+\S* +\S*[\\/]",
                     f.log, re.MULTILINE)
    if have and re.search(r"\buv\b", f.log):
        return ("uv says a Python is installed, yet `uv venv` finds none: an old uv binary (first on PATH, or older than "
                "uv-managed Pythons) does not look where the new one installed it - upgrade uv (`uv self update`, or "
                "reinstall it with the installer / `pipx upgrade uv`; `where uv` / `which -a uv` shows duplicates), or "
                "pass the interpreter explicitly (`uv venv --python PATH-TO-python`, or `--python-preference managed`).",
                ("uv self update", "uv python list", f"uv venv --python {wanted} {VENV}"))
    return (f"Install Python {wanted} (`uv python install {wanted}`, or the python.org installer / "
            f"`py -{wanted}` on Windows; `uv python list` shows what uv finds, `uv python pin {wanted}` records it), "
            f"or pass an interpreter's path with `--python PATH` (an old uv that finds none of them: `uv self update`); "
            f"or let the interpreter fallback use 3.11, 3.10, 3.9, 3.8.",
            (f"uv python install {wanted}", f"uv venv -p {wanted} {VENV}"))


def tool_asking(f: Facts, wanted: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A tool that makes environments for a Python its configuration names (nox, tox, pre-commit) found none: where
    that Python is asked for, and how to provide it (with pyenv, its shims only expose the versions set)."""
    have = f" (this machine has Python {f.python})" if f.python and f.python != wanted else ""
    pyenv = (f" With pyenv: `pyenv install {wanted}`, then `pyenv local {f.python or 'X.Y'} {wanted}` (or `pyenv "
             f"global`) - its shims only expose python{wanted} for the versions set there." if "pyenv" in f.log else "")
    if re.search(r"pre-commit|py_env-python", f.log):
        return (f"pre-commit builds the hook's environment with python{wanted} - the hook's language_version, or "
                f"default_language_version in .pre-commit-config.yaml - and there is none{have}: set "
                f"`default_language_version: {{python: python3}}` (or the version you have) in .pre-commit-config.yaml, "
                f"or install Python {wanted}.{pyenv}",
                ("pre-commit clean", "pre-commit run --all-files"))
    if re.search(r"^nox > ", f.log, re.MULTILINE):
        return (f"nox runs this session with python{wanted} (the session's python= in noxfile.py, or -p), and there is "
                f"no real one{have}: install Python {wanted}, or run the sessions of the Pythons you have (`nox -p "
                f"{f.python or 'X.Y'}`, or `nox --no-error-on-missing-interpreters`).{pyenv}",
                ((f"pyenv install {wanted}",) if pyenv else (f"uv python install {wanted}",))
                + ("nox --no-error-on-missing-interpreters",))
    if re.search(r"\btox\b", f.log) and re.search(r"InterpreterNotFound|could not find python interpreter", f.log,
                                                  re.IGNORECASE):
        return (f"tox has no python{wanted} for this environment{have}: install it, or let tox skip the environments "
                f"whose Python is missing (`skip_missing_interpreters = true` in tox.ini, or `tox "
                f"--skip-missing-interpreters`).{pyenv}", ("tox --skip-missing-interpreters",))
    return None


# pipx running pip for an app's venv: its own report of pip's output, or its name
PIPX = re.compile(r"^PIP STDERR\s*\n-{5,}|\bpipx (?:install|run|inject|upgrade)\b|[\\/]pipx[\\/]venvs[\\/]", re.MULTILINE)


# pip's own version line or paths when it belongs to Python 2
PYTHON2_PIP = re.compile(r"^[`'\"]?pip \d[\d.]* from \S+ \(python 2\.\d+\)|python2\.\d[\\/](?:site|dist)-packages[\\/]pip\b",
                         re.MULTILINE)


def host_of_import(f: Facts) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The import fails inside a program that brings its own Python - a notebook's kernel, a PyInstaller bundle - so
    the module must go into that Python, not into the one a bare pip belongs to."""
    missing = re.search(r"No module named '?([A-Za-z_]\w*)", f.log)
    if not missing:
        return None
    module = missing.group(1)
    dist = distribution(module)
    if re.search(r"<ipython-input-|\bipykernel\b|\bjupyter\b|Cell In\[\d+\]", f.log, re.IGNORECASE):
        return (f"The notebook's kernel is another Python than the environment {module} was installed into: install it "
                f"from the notebook itself (`%pip install {dist}` in a cell installs into the kernel's Python), or make "
                f"the environment a kernel and pick it (`python -m pip install ipykernel`, then `python -m ipykernel "
                f"install --user --name ENV` inside that environment); `import sys; print(sys.executable)` in a cell "
                f"shows which Python runs.", (f"%pip install {dist}", "python -m ipykernel install --user --name ENV"))
    if re.search(r"PyInstaller[\\/]loader|pyimod0\d_\w+|_MEIPASS", f.log):
        return (f"The bundle was built by a PyInstaller that runs in another environment than the one {module} is "
                f"installed in, so the analysis did not find it: install pyinstaller into the environment that has "
                f"{dist} and build from there (`python -m pip install pyinstaller`, then `python -m PyInstaller ...`); "
                f"for a module imported indirectly add `--hidden-import {module}`.",
                (f"python -m pip install pyinstaller {dist}", f"python -m PyInstaller --hidden-import {module} main.py"))
    return None


def wrong_interpreter_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    tool = f.blocker or "pip"
    if f.rule == "module-installed-for-another-python":
        found = re.search(r"python(\d\.\d+)[\\/](?:site|dist)-packages", f.log)
        installed = found.group(1) if found else "3"
        ran = f.groups.get("py") or "python"
        return (f"{tool} was installed for Python {installed} (its site-packages), but `{ran}` is another Python: run "
                f"it with the interpreter it was installed for (`python{installed} -m {tool}`), or install it for "
                f"this one (`{ran} -m pip install {tool}` - always `python -m pip` with the python you run, not a bare "
                f"`pip`); a venv avoids the mix-up.",
                (f"python{installed} -m {tool} --help", f"{ran} -m pip install {tool}"))
    python = f.python or f.target_python
    venv = f"py -{python} -m venv {VENV}" if on_windows(f) else f"python{python} -m venv {VENV}"
    generic = "`py -m pip install ...` on Windows" if on_windows(f) else "`python3 -m pip install ...` on Linux/macOS"
    launcher = ("; a `Fatal error in launcher` means the pip.exe on PATH was made for a Python that is gone: recreate "
                "it with `py -m pip install --force-reinstall pip`, or remove the old Scripts folder from PATH"
                if "Fatal error in launcher" in f.log else "")
    mine = f"`{bare_pip(f)} install ...`, " if bare_pip(f) not in generic else ""
    if tool == "pip" and (f.rule == "python2-parses-setup" or PYTHON2_PIP.search(f.log)):
        return ("The `pip` you ran is Python 2's (its site-packages or version line says python 2.x), and today's "
                "packages are Python 3 only: use pip3 or, better, `python3 -m pip install ...` (Windows: `py -3 -m "
                "pip install ...`); if there is no pip for Python 3 yet, install it (`sudo apt install python3-pip`, "
                "or `python3 -m ensurepip --upgrade`).", (venv, f"{venv_pip(f)} install {q(f.pack)}"))
    host = host_of_import(f)
    if host:
        return host
    if tool == "pip":
        return (f"The `pip` you ran belongs to another Python: run pip through the interpreter you mean - `python -m "
                f"pip install ...` with that interpreter's python ({mine}{generic}; in a conda "
                f"env after `conda activate`, or `conda install` the package); if it has no pip, `python -m ensurepip "
                f"--upgrade`{launcher}. Best in a venv (`{venv}`).", (venv, f"{venv_pip(f)} install {q(f.pack)}"))
    if f.installer == "conda" and f.rule == "script-not-on-path":
        return (f"The `{tool}` command is not on PATH here: conda installed it into another environment - "
                f"`conda activate` that environment first (`conda env list` shows them), or run `python -m {tool}` "
                f"with that environment's Python (and install into it with `python -m pip install {tool}`).", ("conda env list", f"python -m {tool} --help"))
    activate = (r"`.venv\Scripts\activate` in PowerShell or cmd" if on_windows(f)
                else "`source .venv/bin/activate`")
    return (f"The `{tool}` command that ran is not the one of the Python {tool} was installed into: a venv's commands "
            f"are on PATH only while it is activated ({activate}, with your venv's folder), so activate the venv "
            f"{tool} was installed into and run it again; or run it through the interpreter (`python -m {tool}`; "
            f"install with `python -m pip install {tool}`, {generic}) rather than the bare `{tool}` "
            f"command{launcher}, best from a venv (`{venv}`).",
            (venv, f"{venv_pip(f)} install {q(f.pack)}", f"{venv_pip(f).rsplit(' -m ', 1)[0]} -m {tool} --help"))


def stdlib_removed_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """The code imports what Python took out of its standard library: never `pip install` that name, but a
    release of the calling package made for this Python, an older Python, or the module's redistribution."""
    module, name = f.groups.get("mod", f.blocker or ""), f.groups.get("attr")
    gone_in, instead = stdlib.removed(module, name) or ("3.12", "")
    what = f"{module}.{name}" if name else module
    caller = next((p for p in reversed(installed_packages(f.log)) if p != module), None)
    pip = bare_pip(f)
    who = caller or "the code"
    upgrade_cmd: Tuple[str, ...] = (f"{pip} install --upgrade {caller}",) if caller else ()
    upgrade = f"`{upgrade_cmd[0]}`" if upgrade_cmd else "its newer release"
    if gone_in == "3.0":
        return (f"`{what}` is Python 2's (Python 3 has {instead}): {who} was written for Python 2. Install a release "
                f"or maintained fork of it made for Python 3 ({upgrade}), or port the code (`2to3`; {what} -> {instead}).",
                upgrade_cmd + (f"{pip} list",))
    older = reqs.previous_minor(gone_in) or "3.11"
    have = f" (this is Python {f.python})" if f.python else ""
    fix = f" (its replacement is {instead})" if name else ""
    back = f"; or: {instead}" if not name and instead else ""
    target = f"{caller} to a release made for Python {gone_in} and later ({upgrade})" if caller else (
        f"the package that imports it to a release made for Python {gone_in} and later")
    return (f"Python {gone_in} removed `{what}` from its standard library{have}, and {who} still uses it{fix}: "
            f"upgrade {target}, or run it on Python {older} (`{new_venv(f, older)}`){back}. Installing `{module}` "
            f"from PyPI is not the fix.", upgrade_cmd + (new_venv(f, older),))


# installing mamba (or updating conda) into the base environment, where the installer itself must live
CONDA_ITSELF_INTO_BASE = re.compile(r"^[^\n]*\b(?:conda|mamba) install\b(?=[^\n]*\bmamba\b)[^\n]*$", re.MULTILINE)


def conda_env_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "conda-cuda-virtual-package":
        return conda_cuda_advice(f)
    if f.rule == "conda-package-not-found":
        # name==version=build in the file, or libmamba's "nothing provides requested zlib ==1.2.11 h7b6447c_3"
        if re.search(r"^\s+-\s+[\w.-]+==?[\w.]+=\w+|nothing provides requested [\w.-]+ ==?[\w.!]+ \w+_\d+\b",
                     f.log, re.MULTILINE):
            return ("The environment file pins exact conda builds (name==version=build) of another machine or "
                    "platform: re-export it with `conda env export --no-builds` (or --from-history), or delete the "
                    "build string after the last '=' on each line, then run `conda env create -f` again.",
                    ("conda env export --no-builds > environment.yml", "conda env create -f environment.yml"))
        return ("These channels have no such package for this platform: add the channel that has it (`-c "
                "conda-forge`), or move it under the file's `pip:` section.", ("conda search -c conda-forge PACKAGE",))
    if re.search(r"channel_priority:? strict|--strict-channel-priority|strict channel priority|"
                 r"CONDA_CHANNEL_PRIORITY=strict", f.log, re.IGNORECASE):
        return ("Strict channel priority is on: conda takes each package only from the highest-priority channel that "
                "has it, so what only a lower channel (or an older build) has looks unsatisfiable - the conflict it "
                "prints is misleading. Retry with flexible priority (`conda config --set channel_priority flexible`, "
                "or CONDA_CHANNEL_PRIORITY=flexible for one run), or put the channel that has the package first.",
                ("conda config --set channel_priority flexible", "conda config --show channels channel_priority"))
    base = "the base environment" if re.search(r"^\(base\)|anaconda", f.log, re.MULTILINE) else "this environment"
    if CONDA_ITSELF_INTO_BASE.search(f.log):
        # mamba (or conda) must live in base, so a new env is no way out: a base that holds nothing else is
        return ("conda cannot fit mamba into this base environment: an Anaconda base pins hundreds of packages "
                "(and mamba can only live in base). Install Miniforge instead (github.com/conda-forge/miniforge), "
                "whose base holds only conda and mamba from conda-forge, and create a new environment per project "
                "there; or keep this install and use conda's own libmamba solver (`conda install -n base "
                "conda-libmamba-solver`, then `conda config --set solver libmamba`; the default since conda 23.10).",
                ("conda config --set solver libmamba", "conda create -y -n spleeter python=3.10"))
    return (f"conda is solving against everything already in {base} (an old env, or the anaconda distribution, "
            f"pins hundreds of packages): create a new environment instead - `conda create -n spleeter python=3.10` - and "
            f"install {f.pack} there with pip (or only conda-forge packages: `conda create -n NAME -c conda-forge "
            f"python=3.10 PACKAGE`), rather than upgrading inside it; a slow solve also speeds up with the libmamba "
            f"solver (`conda config --set solver libmamba`, the default since conda 23.10).",
            ("conda create -y -n spleeter python=3.10", f"conda run -n spleeter python -m pip install {q(f.pack)}"))


def conda_cuda_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """CUDA builds depend on __cuda, which conda derives from the installed NVIDIA driver (none: no GPU seen)."""
    need, have = f.groups.get("need", "").replace(" ", ""), f.groups.get("have")
    seen = (f"the driver here offers CUDA {have} and the build wants __cuda{need}" if have else
            "no CUDA driver was detected (no NVIDIA GPU or driver here, or a tool that does not look)")
    pixi = (" With pixi, declare the CUDA version in the manifest (`[system-requirements]` `cuda = \"12\"`)."
            if re.search(r"\bpixi\b|for platform '|of 'default'", f.log) else "")
    return (f"The GPU (CUDA) build needs the __cuda virtual package, which conda derives from the NVIDIA driver: "
            f"{seen}. Update the NVIDIA driver to one for that CUDA, or ask for a build that fits this driver (an "
            f"older cudatoolkit / pytorch-cuda, or the CPU build); where the GPU is absent only while solving (a "
            f"container build, a login node), set CONDA_OVERRIDE_CUDA=12.0 (the version the machine that runs it has)."
            f"{pixi}", ("nvidia-smi", "conda info"))


# A standard-library extension module, by the library whose development files CPython's build needs for it:
# (Debian/Ubuntu package, Fedora/RHEL package, Homebrew formula)
STDLIB_EXTENSION_LIBS = {
    "ssl": ("libssl-dev", "openssl-devel", "openssl"), "hashlib": ("libssl-dev", "openssl-devel", "openssl"),
    "bz2": ("libbz2-dev", "bzip2-devel", "bzip2"), "lzma": ("liblzma-dev", "xz-devel", "xz"),
    "ctypes": ("libffi-dev", "libffi-devel", "libffi"), "ffi": ("libffi-dev", "libffi-devel", "libffi"),
    "sqlite3": ("libsqlite3-dev", "sqlite-devel", "sqlite"), "tkinter": ("tk-dev", "tk-devel", "tcl-tk"),
    "curses": ("libncurses-dev", "ncurses-devel", "ncurses"), "readline": ("libreadline-dev", "readline-devel", "readline"),
    "zlib": ("zlib1g-dev", "zlib-devel", "zlib"), "uuid": ("uuid-dev", "libuuid-devel", "ossp-uuid"),
    "gdbm": ("libgdbm-dev", "gdbm-devel", "gdbm"), "dbm": ("libgdbm-dev", "gdbm-devel", "gdbm"),
}


def _python_built_advice(f: Facts, wanted: str) -> Tuple[str, Tuple[str, ...]]:
    """A Python compiled (by pyenv, or by hand) while a library's headers were missing: it lacks that module for
    good, so installing anything into it cannot help; install the headers and compile it again."""
    if re.search(r"C compiler cannot create executables|no acceptable C compiler found", f.log):
        mac = f.platform == "macos" or bool(re.search(r"/var/folders/|\bXcode\b|darwin", f.log, re.IGNORECASE))
        tools = ("the Xcode Command Line Tools (`xcode-select --install`; after a macOS upgrade run it again, or "
                 "`sudo xcode-select --reset`)" if mac else "a C compiler (`sudo apt-get install -y build-essential`)")
        return (f"Compiling Python needs a working C compiler, and configure found none that can build programs: install "
                f"{tools}, open a new terminal, then `pyenv install {wanted}` again - or skip compiling: `uv python "
                f"install {wanted}` or the python.org installer.",
                ("xcode-select --install" if mac else "sudo apt-get install -y build-essential", f"pyenv install {wanted}"))
    # (unnamed: ensurepip failing in the build is zlib's absence - it cannot unpack pip's wheel - else ssl's)
    unnamed = "zlib" if re.search(r"zlib not available|ensurepip", f.log) else "ssl"
    named = re.findall(r"The Python (\w+) extension was not compiled", f.log) or [f.groups.get("ext") or unnamed]
    missing = list(dict.fromkeys(named))
    libs = [STDLIB_EXTENSION_LIBS.get(ext, ("", "", "")) for ext in missing]
    mac = f.platform == "macos"
    if mac:
        deps = "brew install " + " ".join(dict.fromkeys(lib[2] for lib in libs if lib[2]) or ["openssl", "xz", "zlib"])
        if "zlib" in missing:  # macOS's own zlib headers come with the Command Line Tools (an OS upgrade drops them)
            deps = "xcode-select --install; " + deps
    else:
        # the missing ones first, then the rest of pyenv's list, so the next build lacks none of them
        debs = [lib[0] for lib in libs if lib[0]] + [lib[0] for lib in STDLIB_EXTENSION_LIBS.values()]
        deps = "sudo apt-get install -y build-essential " + " ".join(dict.fromkeys(debs))
    fedora = "" if mac else " (Fedora: `sudo dnf install " + " ".join(
        dict.fromkeys([lib[1] for lib in libs if lib[1]] or ["openssl-devel", "zlib-devel"])) + "`)"
    modules = ", ".join(missing)
    version = re.sub(r"^Python ", "", f.blocker or "") or wanted
    pyenv = "pyenv" in f.log.lower()  # pyenv's own words or its ~/.pyenv folder
    rebuild = (f"`pyenv uninstall -f {version}` and `pyenv install {version}`" if pyenv
               else "compile that Python again (./configure && make && make install)")
    old = old_openssl_note(version, mac) if "ssl" in missing or "hashlib" in missing else ""
    shown = deps.replace("; ", "`, then `")
    return (f"{f.blocker or 'This Python'} was compiled without its {modules} module{'s' if len(missing) > 1 else ''}: "
            f"the development files of the library behind it were missing when it was built, and installing "
            f"packages into it cannot add it. Install them (`{shown}`){fedora}, then {rebuild}.{old} Or skip "
            f"compiling: `uv python install {wanted}`, your system's python3 package, or the python.org installer.",
            (*deps.split("; "), f"pyenv install --force {version}" if pyenv else f"uv python install {wanted}"))


def old_openssl_note(version: str, mac: bool) -> str:
    """Old Pythons build against old OpenSSL only: before 2.7.13 / 3.5.3 1.0.x, before 3.7 1.0.2 or 1.1."""
    if not re.match(r"\d+\.\d+", version or ""):
        return ""
    release, key = reqs.version_key(version), reqs.version_key
    if release < key("2.7.13") or key("3") <= release < key("3.5.3"):
        openssl, brew, deb = "1.0.x", "openssl@1.0", "libssl1.0-dev"
    elif release < key("3.7"):
        openssl, brew, deb = "1.0.2 or 1.1", "openssl@1.1", "libssl1.0-dev or libssl1.1's -dev"
    else:
        return ""
    where = (f"`CFLAGS=\"-I$(brew --prefix {brew})/include\" LDFLAGS=\"-L$(brew --prefix {brew})/lib\"` before the "
             f"build command" if mac else f"the {deb} headers (CFLAGS/LDFLAGS pointing at them)")
    return (f" Python {version} builds its ssl module against OpenSSL {openssl} only, which newer systems no longer "
            f"ship: give the build that OpenSSL ({where}), or use a newer Python.")


def _bounds(spec: str) -> Tuple[Optional[str], Optional[str]]:
    """The lower (>=) and upper (<) bound of a Python range such as ``>=3.9,<3.13`` (others: None)."""
    lower = re.findall(r">=\s*(\d+(?:\.\d+)*)", spec)
    upper = re.findall(r"<(?!=)\s*(\d+(?:\.\d+)*)", spec)
    return (max(lower, key=reqs.version_key) if lower else None, min(upper, key=reqs.version_key) if upper else None)


# the Python of one split of uv's universal lock: "python_full_version >= '3.14'", "python_full_version == '3.9.*'"
SPLIT_PYTHON = re.compile(r"python_(?:full_)?version\s*(?P<op>[<>=!]=?)\s*'(?P<v>\d+\.\d+)")


def uv_split_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """uv found a solution for the active Python but not for another one the project's requires-python admits:
    narrow requires-python to the side of that split where the active Python is."""
    have = f.groups.get("have", "")
    name = f.blocker or "a dependency"
    markers = re.sub(r"\s*\n\s*[|│]?\s*", " ", f.groups.get("split", ""))  # uv wraps them inside its tree
    split = SPLIT_PYTHON.search(markers)
    narrowed = f">={have}"
    if split:
        op, version = split.group("op"), split.group("v")
        above = reqs.version_key(version) > reqs.version_key(have)
        if above and op in (">=", ">", "=="):
            narrowed = f">={have},<{version}"  # the split lies above: cap below it
    return (f"uv locks for every Python the project's requires-python admits, and for "
            f"{markers or 'another Python'} there is no solution with {name} (Python {have}, the active "
            f"one, has one): narrow the project's range to the Pythons that work - `requires-python = \"{narrowed}\"` "
            f"under [project] in pyproject.toml - or limit the lock to the platforms you need with `[tool.uv] "
            f"environments`, then `uv lock` / `uv add` again.", ("uv lock",))


def project_range_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """Narrow the project's Python range to what the dependency supports (poetry's own suggestion when it makes
    one); where the two ranges do not meet at all, the project needs an older Python as well."""
    name = f.blocker or "the dependency"
    project, needs = f.groups.get("project", ""), f.groups.get("needs", "")
    suggested = re.findall(r"a possible solution would be to set the `python` property to \"([^\"]+)\"", f.log)
    low, _ = _bounds(project)
    need_low, need_high = _bounds(needs)
    start = max([v for v in (low, need_low) if v], key=reqs.version_key, default=None)
    disjoint = bool(start and need_high and reqs.version_key(start) >= reqs.version_key(need_high))
    if disjoint:
        start = need_low  # nothing of the project's range is left: its floor must come down too
    narrowed = suggested[-1] if suggested else ",".join(
        filter(None, [f">={start}" if start else "", f"<{need_high}" if need_high else ""]))
    pdm = ("PySpecSet" in f.log or re.search(r"\bpdm\b", f.log, re.IGNORECASE)
           or re.search(r"don't work\s+on all Python versions defined by the", f.log))  # PDM 2's own wording
    tool = "PDM" if pdm else "poetry"
    field = (f'requires-python = "{narrowed}"' if pdm else f'python = "{narrowed}"') if narrowed else "the range it supports"
    where = "[project] in pyproject.toml" if pdm else "[tool.poetry.dependencies] (or requires-python in [project])"
    older = ""
    if disjoint and need_high:
        below = reqs.previous_minor(need_high) or need_high
        older = f" Your range and {name}'s do not overlap at all: the project also needs Python {below} (`{new_venv(f, below)}`)."
    return (f"{tool} resolves for every Python your project's range admits ({project or 'its python setting'}), and "
            f"{name} supports only {needs or 'part of it'}: narrow the project's Python constraint to `{field}` in {where}, then lock again - or require a "
            f"newer {name} release that supports the whole range.{older}",
            (f"{'pdm' if pdm else 'poetry'} lock",))

