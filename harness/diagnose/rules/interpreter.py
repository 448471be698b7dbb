"""Rules: no interpreter, the harness's own timeout, and a pip or script that belongs to another Python."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose.context import not_recognised
from harness.diagnose.rules.base import Rule, rx
from harness.diagnose.rules.checks import (
    in_build_step,
    in_uv_build_env,
    installed_for_another_python,
    installed_then_missing,
    pip_versions_differ,
    script_tool,
    source_only_release,
)
from harness.diagnose.rules.extract import (
    command_name,
    fixed,
    group,
    interpreter_named,
    launcher_script,
    path_group,
    pyenv_version,
)

INTERPRETER_RULES: Tuple[Rule, ...] = (
    # interpreter-unavailable
    # pyenv has the command, in a version that is installed but not selected for this shell or folder
    Rule("pyenv-version-not-selected", "interpreter-unavailable", 100,
         rx(r"The `(?P<cmd>[\w.-]+)' command exists in these Python versions:\s*\n\s*(?P<version>[\w.-]+)"),
         # (uv inspecting pyenv's shims while it looks for a Python has its own rule and advice)
         check=lambda text, m: "Failed to inspect Python interpreter" not in text,
         blocker=lambda text, m: m.group("cmd"),
         summary="{blocker} is installed under pyenv, but no selected version provides it",
         action="pyenv has {blocker} in the installed version {version}, but that version is not selected here: select "
                "it - for this shell `pyenv shell {version}`, for this folder `pyenv local {version}` (writes "
                ".python-version), or everywhere `pyenv global {version}` (with `system` and others after it if needed) - "
                "then run {blocker} again. To stay on the selected version, run it through its own Python (`python "
                "-m {blocker}` - a version may ship the command under another name only, such as pip3)."),
    Rule("uv-no-interpreter", "interpreter-unavailable", 100,
         rx(r"No interpreter found(?: for (?P<py>[^\n]+?))? in ",
             r"Failed to inspect Python interpreter from [^\n]*?`(?P<py>[^`]+)`",
             # (unless pyenv goes on to name the installed version that has it: pyenv-version-not-selected)
             r"pyenv: (?P<py>python[\d.]*): command not found(?!\s*\n\s*The `)",
             r"failed to find interpreter for [^\n]*?python_spec='(?P<py>[^']+)'",
             r"Python interpreter (?P<py>[\d.]+) not found",
             r"No suitable Python runtime found",

             r"Python was not found; run without arguments to install from the Microsoft Store",
             # tox (3 and 4) for an env whose basepython is not installed; an app's installer that finds none
             r"InterpreterNotFound: (?P<py>python[\d.]*)",
             r"could not find python interpreter with spec\(s\): (?P<py>python[\d.]*|py\d+)",
             r"No python was detected on your system\. Please install Python(?: version (?P<py>\d\.\d+)[\d.]* or higher)?",
             # uv ran a project's script with the env's python, and there is none (the env's base Python is gone)
             r"Failed to spawn: `(?P<py>python[\d.]*(?:\.exe)?)`\s*\n\s*Caused by: program not found",
             r"\[harness\] could not start: [^\n]*(?P<py>python[\d.]*(?:\.exe)?)'?$"),
         blocker=interpreter_named, summary="no usable interpreter for {blocker}"),
    # pipenv, for the python_version its Pipfile asks for: below pyenv's own failure when pipenv went on to it
    Rule("pipenv-python-missing", "interpreter-unavailable", 60,
         rx(r"Warning: Python (?P<py>\d+\.\d+(?:\.\d+)?) was not found on your system"),
         blocker=interpreter_named, summary="pipenv finds no {blocker}"),
    # Windows' py: the classic launcher ("Requested Python version (3.9) not installed", "Python 3.9 not found!")
    # and the Python install manager that replaces it ("No runtime installed that matches 3.12")
    Rule("py-runtime-missing", "interpreter-unavailable", 100,
         rx(r"No runtime installed that matches (?P<py>\d\.\d+)",
            r"Requested Python version \((?P<py>\d\.\d+)[^)\n]*\) (?:is )?not installed",
            r"^Python (?P<py>\d\.\d+)(?:-(?:32|64))? not found!",
            # pipx asking the launcher
            r"No executable for the provided Python version '(?P<py>\d\.\d+)' found in py launcher"),
         blocker=interpreter_named, summary="the py launcher has no {blocker}"),
    # early uv (and puffin) on Windows: only python.exe on PATH or the py launcher's list, so pyenv-win's .bat
    # shims and the Store's WindowsApps alias leave it with nothing
    Rule("uv-windows-discovery", "interpreter-unavailable", 99,
         rx(r"Failed to run `py --list-paths` to find Python installations",
            r"Could not find `python\.exe` in PATH and `py --list-paths` did not list any Python versions",
            r"failed to canonicalize path `[^`\n]*WindowsApps[\\/]python3?\.exe`"),
         blocker=fixed("Python"), summary="uv finds no Python it can use (shims, the Store alias, no py launcher)",
         action="This uv finds Python only as a real python.exe on PATH or through the py launcher's list: pyenv-win's "
                "shims are .bat files and WindowsApps\\python.exe is the Microsoft Store's alias, so it finds nothing "
                "it can run. Upgrade uv (`uv self update`, or `pipx upgrade uv`), or pass the interpreter itself - "
                "`uv venv --python PATH-TO-python.exe` (`pyenv which python` prints it) - and turn the Store's alias off "
                "under 'Manage App Execution Aliases'."),
    # the Microsoft Store's Python redirects writes under AppData to its own LocalCache: a venv made there is not
    # where the installer then looks for it
    Rule("store-python-redirects-appdata", "wrong-interpreter", 88,
         rx(r"Actual location: +\"?[^\n\"]*\\Packages\\PythonSoftwareFoundation\.Python\.(?P<py>3\.\d+)_\w+\\LocalCache\\",
            r"WindowsApps\\PythonSoftwareFoundation\.Python\.(?P<py>3\.\d+)_\w+\\python\.exe -m venv[\s\S]{0,400}?"
            r"Actual environment location may have moved due to redirects"),
         blocker=fixed("Microsoft Store Python"), summary="the Microsoft Store Python redirected the venv under AppData",
         action="This is the Microsoft Store's Python {py}, which silently redirects every write under AppData to its "
                "own LocalCache folder, so the venv the installer made is not where it then runs it (No pyvenv.cfg): "
                "install Python from python.org (or `winget install Python.Python.{py}`), remove the Store one (Settings"
                " > Apps) or turn its app execution aliases off, and run the installer again with that Python."),
    # uv given a path without .exe (Git Bash's `$(which python)`) on Windows: no such file, so no interpreter
    Rule("uv-python-path-without-exe", "interpreter-unavailable", 100,
         rx(r"Checking for Python interpreter at path `(?P<path>[A-Za-z]:[\\/][^`\n]*[\\/]python3?)`",
            r"No interpreter found for path `(?P<path>[A-Za-z]:[\\/][^`\n]*[\\/]python3?)`"),
         blocker=path_group("path"), summary="uv was given a Python path without python.exe",
         action="uv was given {blocker}, which on Windows is no file (Git Bash's `$(which python)` drops the .exe): "
                "pass the interpreter itself - `--python {blocker}.exe` (or `--python 3.11`), or set "
                "UV_PROJECT_ENVIRONMENT / activate the env - and run it again."),
    # uv's Python install renaming its download into place, refused by the file system (Windows Server's ReFS /
    # network drives: "Incorrect function"): newer uv copies instead
    Rule("uv-python-install-rename", "other", 70,
         rx(r"failed to rename file from [^\n]*[\\/]uv[\\/]python[\\/][^\n]*\(os error 1\)"),
         blocker=fixed("uv"), summary="uv could not move its downloaded Python into place on this file system",
         action="uv could not rename its downloaded Python into place (\"Incorrect function\": this file system - "
                "Windows Server's ReFS, a network or virtual drive - does not support that rename): upgrade uv (`uv "
                "self update`; releases from 0.6.14 on fall back to copying), or point UV_PYTHON_INSTALL_DIR at a "
                "folder on an NTFS drive."),
    # poetry runs the project with the Python it finds first, not the one poetry itself was installed with
    Rule("poetry-python-not-allowed", "wrong-interpreter", 90,
         rx(r"(?:Current|The currently activated) Python version \(?(?P<have>\d+\.\d+)[\d.]*\)? is not (?:allowed|supported) by "
            r"the project \((?P<want>[^)]+)\)"),
         blocker=lambda text, m: f"Python {m.group('have')}", summary="poetry picked a Python the project does not allow",
         action="poetry picked Python {have}, which the project does not allow ({want}): point it at an allowed one - "
                "`poetry env use python3.12` (or the full path of that python) - then `poetry install` again."),
    # uv probed the first Python on PATH and cannot use it (MSYS2's mingw build, a broken or foreign one)
    Rule("uv-cannot-use-python", "wrong-interpreter", 90,
         rx(r"Can't use Python at [`'](?P<path>[^`'\n]+)[`']"),
         blocker=path_group("path"), summary="uv picked {blocker}, which it cannot use",
         action="uv picked {path} (the first Python it found, e.g. on PATH), which it cannot use: pass the "
                "interpreter you mean (`uv venv --python C:\\path\\to\\python.exe`, or `--python 3.12`), or put "
                "that Python before it on PATH."),
    Rule("uv-no-venv", "interpreter-unavailable", 100,
         rx(r"No virtual environment found(?: for Python (?P<py>[\d.]+))?",
             r"Failed to locate a virtualenv or Conda environment",
             r"No Python (?:default installation found in virtual environments|interpreters found in system toolchains)"),
         blocker=fixed(None), summary="uv found no virtual environment to install into"),
    Rule("pyenv-version-missing", "interpreter-unavailable", 100,
         # pyenv says "version `3.9.1' is not installed", pyenv-win "version '3.5.6' not installed"
         rx(r"pyenv: version [`'](?P<py>[\d.]+)' (?:is )?not installed",
             r"pyenv specific python requisite didn't meet",
             r"pyenv-install: definition not found: (?P<py>[\d.]+)",
             r"python-build: definition not found: (?P<py>[\d.]+)"),
         blocker=pyenv_version, summary="pyenv has no {blocker}"),
    # pyenv (python-build) compiled the interpreter without a library it needs: its build dependencies
    # python.org builds Windows installers only for a branch's bugfix releases: a later (security) release is
    # source only, so its python-X.Y.Z.exe is a 404 for pyenv-win and for anyone who types the URL
    Rule("python-org-source-only", "interpreter-unavailable", 72,
         rx(r"python\.org/ftp/python/(?P<py>\d+\.\d+\.\d+)/python-(?P=py)[\w.-]*\.(?:exe|msi)\b[\s\S]{0,600}?"
            r"\b(?:404|Not Found|file not found)\b"),
         check=lambda text, m: source_only_release(m.group("py")),
         blocker=interpreter_named, summary="python.org has no Windows installer for {blocker}"),
    # the python.org installer's own log: Windows Installer refused its MSI packages (0x80070659 is "this
    # installation is forbidden by system policy", 0x80070643 a fatal error inside the MSI)
    Rule("python-installer-msi-failed", "interpreter-unavailable", 90,
         rx(r"Error (?P<code>0x8007\w{4}): Failed to (?:install|execute|configure)[^\n]*MSI package"),
         blocker=fixed("the Python installer"), summary="Windows Installer refused the Python installer's packages",
         action="Windows Installer refused the Python installer's MSI packages (error {code}; 0x80070659 is "
                "Windows Installer's 'forbidden by system policy'): run the installer's Customize path and untick 'Install for all "
                "users' (a per-user install needs no policy), or install Python without Windows Installer - `winget "
                "install Python.Python.3.11 --scope user`, the Microsoft Store, or `uv python install 3.11`; on a "
                "managed PC ask IT to allow it (DisableMSI / AppLocker policy in the registry)."),
    # 0x80070661: "This installation package is not supported by this processor type" - the installer of another
    # architecture (ARM64 on an x64 PC, or the reverse)
    Rule("python-installer-wrong-architecture", "other", 91,
         rx(r"\b0x80070661\b"),
         blocker=fixed("the Python installer"), summary="the Python installer is for another processor type",
         action="Windows says this installer is not for this processor type (0x80070661): it is the build for another "
                "architecture (ARM64 on an x64 PC, or x64 on 32-bit Windows). Download the one for this PC - on an x64 machine python.org's 'Windows installer (64-bit)', the "
                "amd64 file - (`winget install Python.Python.3.11` picks it for you)."),
    # a venv (or pipx's shared one) still points at the Python it was made from, which is gone: uninstalled, or
    # replaced by another minor version
    Rule("venv-base-python-gone", "interpreter-unavailable", 100,
         rx(r"did not find executable at '(?P<path>[^'\n]*python[\w.]*)'",
            # the venv launcher's own words (pyvenv.cfg's home is gone)
            r"No Python at '\"?(?P<path>[^'\"\n]+)"),
         blocker=path_group("path"), summary="the Python this environment was made from is gone ({blocker})",
         action="This environment was made from {blocker}, which is no longer there (that Python was uninstalled, or "
                "replaced by another minor version): recreate the environment with a Python that is installed - a "
                "venv: delete it and `py -3.11 -m venv .venv` again; pipx: delete its `shared` folder (its pyvenv.cfg "
                "names the old Python) and `pipx reinstall-all --python PATH-TO-python.exe` (or set PIPX_DEFAULT_PYTHON)"
                " - or install that Python again."),
    Rule("python-build-failed", "source-build-failed", 100,
         rx(r"(?:ERROR|WARNING): The Python (?P<ext>\w+) extension was not compiled",
            r"^BUILD FAILED \((?P<os>[^)]*?) using python-build",
            # the same, as the build's own last words (zlib missing when it installs pip; no working C compiler)
            r"zipimport\.ZipImportError: can't decompress data; (?P<ext>zlib) not available",
            r"configure: error: in `[^`\n]*python-build[^`\n]*[\\/]Python-[\d.]+'",
            # a Python (pyenv's, or built by hand) that was compiled without a library's headers has no such
            # extension: its own standard-library module (lib/python3.X/bz2.py, not site-packages) fails to import it
            r"[\\/]lib[\\/]python\d\.\d+[\\/](?:\w+[\\/])?\w+\.py\", line \d+, in <module>\s*\n[^\n]*\n\s*"
            r"(?:ModuleNotFoundError|ImportError): No module named '?_(?P<ext>bz2|lzma|ctypes|sqlite3|tkinter|curses|ssl|"
            r"hashlib|uuid|gdbm|dbm|readline|ffi)\b'?",
            # attrs' warning when ctypes does not import: this Python was built without libffi's headers
            r"RuntimeWarning: Missing (?P<ext>ctypes)\.  Some features",
            # an old Python's own OpenSSL modules failing to compile against a newer OpenSSL (1.1's opaque structs)
            r"Python-[\d.]+/Modules/_(?P<ext>ssl)\.c:\d+:\d+: error:",
            r"Python-[\d.]+/Modules/_hashopenssl\.c:\d+:\d+: error:"),
         blocker=lambda text, m: _python_built(text),
         summary="{blocker} was compiled without a module it needs: a library's development files were missing"),
    Rule("python-not-on-path", "interpreter-unavailable", 66,
         rx(*not_recognised(r"(?P<tool>pip3?|python3?|py)(?:\.exe)?"),
            r"(?:^|\s)(?P<tool>pip3?|python3?): command not found"),
         blocker=command_name, summary="{blocker} is not on PATH"),
    # timeout
    Rule("harness-timeout", "timeout", 95,
         rx(r"\[harness\] timed out after (?P<secs>[\d.]+) s",
             r"TimeoutExpired: Command [^\n]* timed out after (?P<secs>[\d.]+) seconds"),
         summary="the step did not finish in time"),
    Rule("py3-wheel-rejected", "wrong-interpreter", 73,
         rx(r"-py3-none-any\.whl is not a supported wheel on this platform"),
         blocker=fixed("pip"), summary="a pure-Python 3 wheel was rejected: the pip that ran is Python 2's"),
    # wrong-interpreter: the pip or console script that ran is another Python's
    Rule("pip-of-another-python", "wrong-interpreter", 66,
         rx(r"No module named '?pip'?[`'\".]*$",
             r"^[`'\"]?pip \d[\d.]* from \S+ \(python \d+\.\d+\)",
             r"(?:^|[\s'`])(?P<tool>pip\d?) -V\s+result"),
         check=lambda text, m: ("pip -V" in m.group(0) or "No module named" in m.group(0) and not in_build_step(text, m)
                                and not in_uv_build_env(text, m)
                                or pip_versions_differ(text, m)),
         blocker=fixed("pip"), summary="the pip that ran belongs to another Python than the one meant"),
    Rule("pip3-of-python2", "wrong-interpreter", 67,
         rx(r"\bpip3(?:\.\d+)? (?:-V|--version)\s*\n[^\n]*pip [\d.]+ from \S+ \(python 2\.\d+\)"),
         blocker=fixed("pip"), summary="the pip3 command belongs to Python 2"),
    # a setup.py in Python 3 syntax (annotations, "->") that fails to parse: the pip that ran it is Python 2's
    Rule("python2-parses-setup", "wrong-interpreter", 67,
         rx(r"setup\.py\"?, line \d+\s*\n[^\n]*(?:\)\s*->|\(\s*\w+\s*:\s*[A-Za-z_][\w.\[\]]*\s*[,)=])[^\n]*\n\s*\^\s*\n"
            r"\s*SyntaxError: invalid syntax"),
         blocker=fixed("pip"), summary="Python 2 ran a setup.py written for Python 3: the pip used is Python 2's"),
    # pip's own build subprocess runs under a Python 2 install (C:\Python27, /usr/lib/python2.7): the `pip` on
    # PATH is Python 2's, whatever Python 3 is also installed
    Rule("pip-build-under-python2", "wrong-interpreter", 65,
         rx(r"command: '(?P<py>[^'\n]*?(?:[\\/][Pp]ython27[\\/]python\.exe|[\\/]python2(?:\.7)?))' "
            r"'[^'\n]*?[\\/](?:[Pp]ython27|python2\.7)[\\/][^'\n]*?_in_process\.py'"),
         blocker=fixed("pip"), summary="the pip that ran is Python 2.7's (its build step runs Python 2)",
         action="The `pip` you ran belongs to Python 2.7 ({py}), an old install still first on PATH, so the build runs "
                "under Python 2: run your Python 3's own pip instead (`py -3 -m pip install ...` on Windows, `python3 "
                "-m pip install ...` elsewhere), best in a Python 3 virtual environment, and remove Python 2.7 from "
                "PATH (or uninstall it)."),
    # a build tool asks `python` about itself and gets Python 2's answers (sys.base_prefix is Python 3's)
    Rule("python-is-python2", "wrong-interpreter", 66,
         rx(r"AttributeError: 'module' object has no attribute 'base_prefix'",
            r"Caused by: (?P<py>python[\d.]*) is not a valid python interpreter"),
         blocker=fixed("python"), summary="`python` here is Python 2, and the tool needs Python 3",
         action="The `python` this tool ran is Python 2 (its sys has no base_prefix, which Python 3 added), and the "
                "build needs Python 3: give the tool the interpreter explicitly (maturin: `-i python3`; pip: `python3 "
                "-m pip install ...`), or work in a Python 3 venv (`python3 -m venv .venv`, then activate it), where "
                "`python` is Python 3."),
    Rule("module-installed-for-another-python", "wrong-interpreter", 66,
         rx(r"^(?P<py>\S*python[\d.]*): No module named '?(?P<tool>[A-Za-z_][\w]*)"),
         check=installed_for_another_python, blocker=lambda text, m: m.group("tool"),
         summary="{blocker} was installed for another Python than the one that ran"),
    Rule("console-script-other-python", "wrong-interpreter", 66,
         rx(r"File \"[^\"\n]*[\\/](?:bin|Scripts)[\\/](?P<tool>[\w.-]+?)(?:-script\.py)?\", line \d+[^\n]*\n"
             r"\s+from (?P=tool)\b[^\n]*\n(?:ModuleNotFoundError|ImportError): No module named '(?P=tool)'",
             # (a console may wrap the long line once, inside the path)
             r"Fatal error in launcher: Unable to create process using [^\n]*(?:\n[^\n]*)?[\\/](?P<tool>[\w.-]+?)(?:\.exe)?\""),
         blocker=launcher_script,
         summary="the {blocker} command belongs to another Python than the one it was installed into"),
    # pip 10.0.0/10.0.1 wrote launchers that quote a path with spaces twice ('""C:\Program Files\..."'): they
    # cannot start, whatever Python is installed
    Rule("pip10-launcher-quotes", "pip-outdated", 67,
         rx(r"Fatal error in launcher: Unable to create process using '\"\"[A-Za-z]:\\[^\n]* [^\n]*"),
         blocker=fixed("pip 10"), summary="pip 10 wrote launchers that quote a path with spaces twice",
         action="pip 10.0.0/10.0.1 wrote console-script launchers that quote a path with spaces (C:\\Program Files) "
                "twice, so they cannot start: upgrade pip (`python -m pip install --upgrade pip`), then reinstall the "
                "package so its launcher is written again (`python -m pip install --force-reinstall PACKAGE`); "
                "meanwhile `python -m PACKAGE` works."),
    Rule("installed-but-not-importable", "wrong-interpreter", 16,
         rx(r"(?:ModuleNotFoundError|ImportError): No module named '?(?P<mod>[A-Za-z_]\w*)'?$",
            r"^\S*python[\d.]*(?:\.exe)?: No module named '?(?P<mod>[A-Za-z_]\w*)'?$"),
         check=installed_then_missing, blocker=fixed("pip"),
         summary="pip installed the module into another Python than the one that imports it"),
    # pyenv-win's shims come after another Python on PATH (python.org's C:\PythonXY, MSYS2, the Store alias)
    Rule("python-before-pyenv-shims", "wrong-interpreter", 65,
         rx(r"Found (?P<path>[^\n]*python\.exe) version before pyenv in PATH",
            r"^(?P<path>[A-Za-z]:\\[^\n]*python\.exe)\s*\n[^\n]*\\\.pyenv\\pyenv-win\\shims\\python\b"),
         blocker=path_group("path"), summary="{blocker} comes before pyenv's shims on PATH",
         action="{blocker} comes before pyenv-win's shims on PATH, so `python` is that one, not pyenv's: move "
                "%USERPROFILE%\\.pyenv\\pyenv-win\\shims and ...\\pyenv-win\\bin to the top of PATH (System "
                "Properties > Environment Variables), or remove that Python's folder from PATH (and turn off the Store's "
                "python.exe app alias); open a new terminal, run `pyenv rehash`, and check with `where python` (or use "
                "`pyenv exec python`)."),
    # `pyenv global 3.9.6` and then `python --version` answers another Python: pyenv's shims are not what runs
    Rule("python-not-pyenv-version", "wrong-interpreter", 64,
         rx(r"pyenv (?:global|local|shell) (?P<want>\d+\.\d+(?:\.\d+)?)\b[\s\S]{0,800}?\bpython3? (?:--version|-V)\b"
            r"(?:[^\n]*\n){1,3}?[^\n]*?\bPython (?P<have>\d+\.\d+(?:\.\d+)?)\b",
            # or sys.executable names a python.exe that is not pyenv's
            r"pyenv (?:global|local|shell) (?P<want>\d+\.\d+(?:\.\d+)?)\b[\s\S]{0,800}?sys\.executable[^\n]*?(?:>|\n)\s*"
            r"(?P<have>[A-Za-z]:\\[^\n]*?python\.exe)"),
         check=lambda text, m: (".pyenv" not in m.group("have").lower() and not m.group("have").startswith(m.group("want"))
                                and not m.group("want").startswith(m.group("have"))),
         blocker=lambda text, m: m.group("have") if "\\" in m.group("have") else f"Python {m.group('have')}",
         summary="`python` is {blocker}, not the version pyenv was set to",
         action="pyenv is set to {want}, but `python` starts {blocker}: another Python comes before pyenv's shims on "
                "PATH (python.org's, the Store's alias, an old install). Move pyenv's shims and bin folders to the "
                "top of PATH (on Windows %USERPROFILE%\\.pyenv\\pyenv-win\\shims and ...\\bin, System Properties > "
                "Environment Variables), or remove the other Python from PATH; open a new terminal, `pyenv rehash`, "
                "and check with `where python` (`which -a python` elsewhere)."),
    # pyenv found the command only in another installed version than the one selected
    Rule("pyenv-command-in-other-version", "wrong-interpreter", 65,
         rx(r"pyenv: (?P<cmd>(?!python)[\w.-]+): command not found\s*\n(?:[^\n]*\n){0,2}?[^\n]*The `(?P=cmd)' command "
            r"exists in these Python versions:\s*\n\s*(?P<where>[\w./-]+)"),
         blocker=lambda text, m: m.group("cmd"), summary="{blocker} is installed only in another pyenv version",
         action="`{cmd}` is installed only in another pyenv version ({where}), not in the one selected here: select that "
                "version (`pyenv shell {where}`, or PYENV_VERSION={where}), or install the tool into the current one "
                "(`python -m pip install {cmd}`, then `pyenv rehash`)."),
    Rule("uv-no-download-for-request", "interpreter-unavailable", 70,
         rx(r"No download found for request: (?P<req>[\w.+-]+)"),
         blocker=group("req"), summary="this uv has no download of {blocker} (its list predates that Python)",
         action="This uv has no download for {blocker}: each uv release carries its own list of Python builds, and "
                "this one predates that Python (or its platform). Update uv (`uv self update`, or `python -m pip "
                "install -U uv` where pip installed it) and retry, or point uv at a Python that is installed "
                "(`--python PATH`)."),
    # uv 0.2's `uv toolchain` (renamed `uv python` in 0.3): an old uv whose Python installs have been fixed since
    Rule("uv-toolchain-era", "other", 30,
         rx(r"^error: [^\n]*[\\/]uv[\\/]data[\\/]toolchains[\\/][^\n]*"),
         blocker=fixed("uv"), summary="an old uv (the `uv toolchain` era, 0.2) failed installing a Python",
         action="This is an old uv (0.2, from before `uv toolchain` became `uv python`), and installing a Python was "
                "fixed in later releases: upgrade uv (`uv self update`, or `python -m pip install -U uv`), then `uv "
                "python install` the version again."),
    Rule("script-not-on-path", "wrong-interpreter", 64,
         rx(r"(?:^|\s)(?P<tool>[\w.-]+) :\s+The term '?(?P=tool)'? is not recognized as the name of a cmdlet",
            *not_recognised(r"(?P<tool>[\w.-]+)"),
             r"(?:^|\s)(?:zsh|bash|sh|fish): (?:command not found: (?P<ztool>[\w.-]+)|(?P<btool>[\w.-]+): command not found)",
             # PowerShell's error record when its first line (the term not recognized) was cut off
             r"ObjectNotFound: \((?P<tool>[\w.-]+):String\) \[\], CommandNotFoundException"),
         check=script_tool, blocker=command_name, summary="the {blocker} command is not on PATH"),
)


def _python_built(text: str) -> Optional[str]:
    found = (re.search(r"Installing Python-(\d+\.\d+\.\d+)", text)
             or re.search(r"python-build[^\n]*[\\/]Python-(\d+\.\d+\.\d+)", text)
             or re.search(r"[\\/]versions[\\/](\d+\.\d+\.\d+)[\\/]lib[\\/]python", text)
             or re.search(r"[\\/]lib[\\/]python(\d\.\d+)[\\/]\w+\.py\", line \d+, in <module>", text))
    return f"Python {found.group(1)}" if found else None

