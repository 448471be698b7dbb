"""Interpreters and venvs.

Finding an interpreter goes from the most reproducible source to the least:
``uv python find``, then ``uv python install`` (when downloads are allowed),
then the machine's own interpreters (PATH, pyenv's folders, ``py -0p`` on
Windows). Every candidate is *run* before it is trusted: a pyenv shim for a
non-global version looks like a python on PATH but fails when called.
"""
from __future__ import annotations

import glob
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from harness.lifetime import IS_WINDOWS
from harness.proc import ProcResult, clean_env, not_started, run_capture, run_logged
from harness.results import InterpreterInfo
from harness.rundir import NotOwnedError, fresh_dir
from harness.versions import version_key

# Run inside the candidate; must work on any Python 3 (and fail clearly on 2.7).
_PROBE = (
    "import sys, struct, json, platform;"
    "print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3],"
    "'bits': struct.calcsize('P') * 8, 'impl': platform.python_implementation().lower(),"
    "'executable': sys.executable}))"
)
PY_LAUNCHER_LINE = re.compile(r"^\s*-V:(?P<tag>\S+?)\s+\*?\s*(?P<path>\S.*?)\s*$"  # py 3.11+: -V:3.10 * C:\...
                              r"|^\s*-(?P<old>\d\.\d+)(?:-(?P<bits>\d\d))?\s+\*?\s*(?P<oldpath>\S.*?)\s*$")

VERSION_REQUEST = re.compile(r"\d+(?:\.\d+){0,2}")
Runner = Callable[[Sequence[str], float], Tuple[Optional[int], str, str]]
UvStep = Callable[[str, "ProvisionOptions", Runner], Tuple[List[str], "Attempt"]]
# uv's wording when the download host cannot be reached at all (as opposed to "no such version").
NETWORK_FAILURE = re.compile(r"dns error|failed to lookup address|error sending request|connection refused"
                             r"|timed out|network is unreachable|tcp connect error", re.IGNORECASE)


@dataclass(frozen=True)
class ProvisionOptions:
    allow_download: bool = True
    uv: str = "uv"
    timeout: float = 300.0


@dataclass(frozen=True)
class Attempt:
    """One place we looked, for the 'interpreter unavailable' diagnosis."""

    source: str
    detail: str


def venv_python(venv_dir: Path, windows: bool = IS_WINDOWS) -> Path:
    """The interpreter inside a venv: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return Path(venv_dir) / ("Scripts" if windows else "bin") / ("python.exe" if windows else "python")


def probe_interpreter(path: str, runner: Optional[Runner] = None) -> Optional[Dict[str, Any]]:
    """Run a candidate and return its facts, or None when it is not a working python."""
    runner = runner or (lambda argv, timeout: run_capture(argv, timeout))
    code, out, _ = runner([path, "-c", _PROBE], 30)
    if code != 0:
        return None
    try:
        facts = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return facts if isinstance(facts, dict) else None


def matches(version: str, requested: str) -> bool:
    return version == requested or version.startswith(requested + ".")


def is_version_request(request: str) -> bool:
    """``3.10`` or ``3.10.13`` asks for a version; anything else a user passes is a path."""
    return VERSION_REQUEST.fullmatch(request) is not None


# ----------------------------------------------------------------------------- candidates


def uv_find(requested: str, options: ProvisionOptions, runner: Runner) -> Tuple[List[str], Attempt]:
    # --system: a project's .venv or .tox env of the right version is not an interpreter to build cells from.
    code, out, err = runner([options.uv, "python", "find", "--no-config", "--system", requested], 60)
    if code == 0 and out.strip():
        return [out.strip().splitlines()[-1]], Attempt("uv-find", out.strip())
    return [], Attempt("uv-find", _last_line(err) or f"exit code {code}")


def uv_install(requested: str, options: ProvisionOptions, runner: Runner) -> Tuple[List[str], Attempt]:
    if not options.allow_download:
        return [], Attempt("uv-install", "downloads not allowed (--no-python-downloads)")
    code, _, err = runner([options.uv, "python", "install", "--no-config", requested], options.timeout)
    if code != 0:
        return [], Attempt("uv-install", _last_line(err) or f"exit code {code}")
    code, out, err = runner([options.uv, "python", "find", "--no-config", "--system", "--python-preference",
                             "only-managed", requested], 60)
    if code == 0 and out.strip():
        return [out.strip().splitlines()[-1]], Attempt("uv-install", "installed " + out.strip())
    return [], Attempt("uv-install", _last_line(err) or "installed but not found")


def path_candidates(requested: str, environ: Mapping[str, str], which: Callable[[str], Optional[str]] = shutil.which,
                    windows: bool = IS_WINDOWS) -> List[str]:
    names = [f"python{requested}", f"python{requested.split('.')[0]}", "python"]
    if windows:
        names = [f"python{requested.replace('.', '')}", "python"]
    found = []
    for name in names:
        hit = which(name)
        if hit and hit not in found:
            found.append(hit)
    return found


def pyenv_candidates(requested: str, environ: Mapping[str, str], windows: bool = IS_WINDOWS) -> List[str]:
    """Interpreters in pyenv's (or pyenv-win's) versions folder, newest patch first."""
    home = Path(environ.get("USERPROFILE" if windows else "HOME", "~")).expanduser()
    roots = [environ.get("PYENV_ROOT"), str(home / ".pyenv")]
    if windows:
        roots.append(str(home / ".pyenv" / "pyenv-win"))
    found: List[str] = []
    for root in filter(None, roots):
        base = os.path.join(glob.escape(root), "versions")
        # "3.10" is any 3.10.x folder; "3.10.2" is that folder itself (and 3.10.2.x, should one exist).
        folders = glob.glob(os.path.join(base, requested)) + glob.glob(os.path.join(base, f"{requested}.*"))
        for folder in sorted(folders, key=lambda f: version_key(os.path.basename(f)), reverse=True):
            exe = Path(folder) / ("python.exe" if windows else "bin/python")
            if exe.exists() and str(exe) not in found:
                found.append(str(exe))
    return found


def parse_py_launcher(output: str) -> List[Tuple[str, str]]:
    """Parse ``py -0p``: returns (tag, path) pairs. Handles the old (``-3.10-64``) and new (``-V:3.10``) forms."""
    pairs = []
    for line in output.splitlines():
        match = PY_LAUNCHER_LINE.match(line)
        if not match:
            continue
        if match.group("tag"):
            pairs.append((match.group("tag"), match.group("path")))
        else:
            tag = match.group("old") + ("-32" if match.group("bits") == "32" else "")
            pairs.append((tag, match.group("oldpath")))
    return pairs


def py_launcher_candidates(requested: str, runner: Runner, windows: bool = IS_WINDOWS) -> List[str]:
    if not windows:
        return []
    code, out, _ = runner(["py", "-0p"], 30)
    if code != 0:
        return []
    # 64-bit first: TensorFlow has no 32-bit wheels.
    wanted = [p for tag, p in parse_py_launcher(out) if tag == requested]
    wanted += [p for tag, p in parse_py_launcher(out) if tag.startswith(requested + "-") and p not in wanted]
    return wanted


# ----------------------------------------------------------------------------- the finder


class InterpreterFinder:
    """Finds one interpreter per requested version, once, safely from many threads."""

    def __init__(self, options: ProvisionOptions = ProvisionOptions(), runner: Optional[Runner] = None,
                 environ: Optional[Mapping[str, str]] = None) -> None:
        self.options = options
        self.runner = runner or (lambda argv, timeout: run_capture(argv, timeout, env=clean_env()))
        self.environ = dict(os.environ if environ is None else environ)
        self._cache: Dict[str, Tuple[Optional[InterpreterInfo], Tuple[Attempt, ...]]] = {}
        self._locks: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._unreachable = ""  # why downloads failed on the network earlier in this run

    def find(self, requested: str) -> Tuple[Optional[InterpreterInfo], Tuple[Attempt, ...]]:
        """Search once per version; cells of other versions search at the same time."""
        with self._guard:
            lock = self._locks.setdefault(requested, threading.Lock())
        with lock:
            if requested not in self._cache:
                self._cache[requested] = self._search(requested)
            return self._cache[requested]

    def _search(self, requested: str) -> Tuple[Optional[InterpreterInfo], Tuple[Attempt, ...]]:
        attempts: List[Attempt] = []
        sources: Iterable[Tuple[str, Callable[[], List[str]]]] = (
            ("uv-find", lambda: self._from_uv(uv_find, requested, attempts)),
            ("uv-install", lambda: self._download(requested, attempts)),
            ("py-launcher", lambda: py_launcher_candidates(requested, self.runner)),
            ("path", lambda: path_candidates(requested, self.environ)),
            ("pyenv", lambda: pyenv_candidates(requested, self.environ)),
        )
        for source, candidates in sources:
            for path in candidates():
                info = self._accept(path, requested, source, attempts)
                if info:
                    return info, tuple(attempts)
                if source.startswith("uv"):
                    break
        return None, tuple(attempts)

    def _from_uv(self, step: UvStep, requested: str, attempts: List[Attempt]) -> List[str]:
        paths, attempt = step(requested, self.options, self.runner)
        attempts.append(attempt)
        return paths

    def _download(self, requested: str, attempts: List[Attempt]) -> List[str]:
        """``uv python install``, unless an earlier download in this run already failed on the network:
        where the download host is unreachable each attempt costs ~10 s of retries for nothing."""
        with self._guard:
            unreachable = self._unreachable
        if unreachable:
            attempts.append(Attempt("uv-install", f"skipped: an earlier download in this run failed ({unreachable})"))
            return []
        paths = self._from_uv(uv_install, requested, attempts)
        if not paths and NETWORK_FAILURE.search(attempts[-1].detail):
            with self._guard:
                self._unreachable = attempts[-1].detail
        return paths

    def _accept(self, path: str, requested: str, source: str, attempts: List[Attempt]) -> Optional[InterpreterInfo]:
        facts = probe_interpreter(path, self.runner)
        if facts is None:
            attempts.append(Attempt(source, f"{path}: does not run"))
            return None
        if not matches(facts["version"], requested):
            attempts.append(Attempt(source, f"{path}: is {facts['version']}"))
            return None
        return InterpreterInfo(
            requested=requested, version=facts["version"], path=path,
            arch=f"{facts['bits']}bit", source=source, implementation=facts.get("impl", "cpython"),
        )


def locate(request: str, finder: InterpreterFinder) -> Tuple[Optional[str], Tuple[Attempt, ...]]:
    """What a ``--python`` option names: for a version, the finder's interpreter (the one ``run`` builds
    its venvs from); otherwise a path, taken as given when it is a file (its caller probes it)."""
    if is_version_request(request):
        info, attempts = finder.find(request)
        return (info.path if info else None), attempts
    path = Path(request).expanduser()
    if path.is_file():
        return str(path), ()
    return None, (Attempt("path", f"{path}: no such file"),)


def create_venv(interpreter: InterpreterInfo, venv_dir: Path, log_path: Path, timeout: float,
                uv: str = "uv", env: Optional[Mapping[str, str]] = None) -> ProcResult:
    """A fresh venv with pip seeded (pip strategies need it; uv strategies ignore it).

    The folder is made and marked *before* uv fills it (``--allow-existing``), so a venv that a
    kill interrupted is still recognisably ours and the next run may delete it. A folder that
    cannot be replaced (not ours; a file held open on Windows) fails this step with the reason.
    """
    argv = [uv, "venv", "--no-config", "--seed", "--allow-existing", "--python", interpreter.path, str(venv_dir)]
    try:
        fresh_dir(venv_dir, "venv")
    except (OSError, NotOwnedError) as exc:
        return not_started(argv, log_path, f"cannot replace {venv_dir}: {exc}")
    return run_logged(argv, log_path, timeout, env=env if env is not None else clean_env())


def _last_line(text: str) -> str:
    """The error line of a uv message plus its innermost cause (e.g. the DNS failure behind a download error)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")]
    causes = [line for line in lines if line.lower().startswith("cause:")]
    if errors:
        return errors[0] + (f" ({causes[-1]})" if causes else "")
    return lines[-1] if lines else ""
