"""nox sessions for spleeter-matrix.

Why the sessions are *host* environments: every cell needs its own fresh venv
per strategy on an interpreter the harness provisions (uv find/install, then
local discovery), which nox's one-venv-per-session model cannot express. So a
session's venv (built with uv: fast) only holds the harness, and the harness
creates the cells' venvs itself. ``smoke-3.10`` therefore means "run every
strategy of Python 3.10", not "run the harness on 3.10".
"""
from __future__ import annotations

import os
import sys

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests"]

PYTHONS = ("3.8", "3.9", "3.10", "3.11")
RESULTS = os.environ.get("MATRIX_OUT", "results")


def _install(session: nox.Session, extras: str = "chain") -> None:
    session.install("-e", f".[{extras}]")


def _run_harness(session: nox.Session, *args: str) -> None:
    session.run("python", "-m", "harness", *args, *session.posargs)


def _resolve_targets() -> list:
    """Dry-resolve for win_amd64 (the product's platform) and for this host: a hash-pinned lock per
    Python for both lands in results/<run>/locks/ (on Windows the two are one)."""
    host = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    return ["--resolve", "windows"] + (["--resolve", host] if host != "windows" else [])


def _make_smoke(version: str):
    def smoke(session: nox.Session) -> None:
        _install(session)
        run_id = os.environ.get("MATRIX_RUN_ID", f"smoke-{version}")
        _run_harness(session, "run", "--python", version, "--run-id", run_id, "--out", RESULTS,
                     *_resolve_targets(), "--fail-on", "resilient")

    smoke.__doc__ = f"Every strategy on Python {version}, then the smoke chain on the sample item."
    return smoke


for _version in PYTHONS:
    nox.session(name=f"smoke-{_version}", python=None)(_make_smoke(_version))


def _make_enduser(version: str):
    def enduser(session: nox.Session) -> None:
        _install(session)
        run_id = os.environ.get("MATRIX_RUN_ID", f"enduser-{version}")
        # The win_amd64 plan of `resilient` first: its lock's MAX_PATH budget, computed from the real
        # wheels, is what the install checks the pack venv's location against before it downloads.
        plan_id = f"{run_id}-plan"
        session.run("python", "-m", "harness", "resolve", "--platform", "windows", "--python", version,
                    "--strategy", "resilient", "--run-id", plan_id, "--out", RESULTS)
        # The pack venv: --venv, else %LOCALAPPDATA%\<$PACK_PRODUCT>\packs\spleeter\py<version> (harness default).
        _run_harness(session, "enduser", "--python", version, "--run-id", run_id, "--out", RESULTS,
                     "--lock", os.path.join(RESULTS, plan_id, "locks"))

    enduser.__doc__ = (f"Python {version} as a user's machine has it: the product's install into a per-user "
                       "pack venv with no build tools or ffmpeg on PATH, then the chain (end-user profile).")
    return enduser


for _version in PYTHONS:
    nox.session(name=f"enduser-{_version}", python=None)(_make_enduser(_version))


@nox.session(python=None)
def matrix(session: nox.Session) -> None:
    """The whole default matrix (all Pythons × all strategies + chain); prints the table."""
    _install(session)
    run_id = os.environ.get("MATRIX_RUN_ID", "matrix")
    _run_harness(session, "run", "--run-id", run_id, "--out", RESULTS, *_resolve_targets(),
                 "--fail-on", "resilient", "--screenshot")


@nox.session(python=None)
def resolve(session: nox.Session) -> None:
    """Dry resolution of the default matrix for win_amd64 (no Windows needed); `-- --platform linux` for Linux."""
    _install(session)
    session.run("python", "-m", "harness", "resolve", "--out", RESULTS, *(session.posargs or ["--platform", "windows"]))


@nox.session(python=None)
def report(session: nox.Session) -> None:
    """Merge result dirs (`nox -s report -- DIR...`) into results/merged/."""
    _install(session, "chain")
    if not session.posargs:
        session.error("give the result dirs: nox -s report -- results/RUN [results/RUN2 ...]")
    session.run("python", "-m", "harness", "report", *session.posargs, "--out", os.path.join(RESULTS, "merged"))


@nox.session(python=None)
def diff(session: nox.Session) -> None:
    """What changed between two results dirs and why (`nox -s diff -- OLD NEW [--fail-on regressions]`)."""
    session.install("-e", ".")  # reading cells needs no chain libraries
    if len(session.posargs) < 2:
        session.error("give two results dirs: nox -s diff -- results/OLD results/NEW")
    session.run("python", "-m", "harness", "diff", *session.posargs)


# The code checks, pinned: a new ruff or mypy release must not turn CI red with no change here.
CODE_LINTERS = ("ruff==0.17.6", "mypy==2.4.1", "types-PyYAML==6.0.12.20261122")


@nox.session(python=None)
def lint(session: nox.Session) -> None:
    """actionlint + zizmor on the GitHub workflows (a broken workflow fails here, not on GitHub), then ruff and
    mypy on the code (configured in pyproject.toml)."""
    session.run("bash", "tools/lint-workflows.sh", external=True)
    # The harness with its extras too: mypy --strict must see numpy's, packaging's and pip's own types, or it
    # would judge a different program from the one the tests run (missing imports turn into Any).
    session.install("-e", ".[chain,inspect]", *CODE_LINTERS)
    session.run("ruff", "check", "harness", "tests", "benchmarks", "noxfile.py")
    session.run("mypy")  # files and options: [tool.mypy] in pyproject.toml


@nox.session(python=None)
def tests(session: nox.Session) -> None:
    """Workflow lint, unit tests (offline, parallel; then on 3.8 and 3.11 through tox-uv), then the end-to-end
    tests (real installs, real chain)."""
    _install(session, "test")
    lint(session)
    # Here the browser test of table.html must run, not skip: run.sh installs Chromium.
    session.run("pytest", "tests/unit", "-q", "-n", "auto", "-p", "no:cacheprovider",
                env={"SPLEETER_MATRIX_REQUIRE_BROWSER": "1"})
    # The harness claims Python 3.8-3.11: its unit tests also run on both ends of that range (tox-uv envs,
    # tox.ini), so a 3.9+ idiom in code that runs inside a 3.8 venv fails here, not on a user's machine.
    session.install("tox>=4.21", "tox-uv>=1.11")
    session.run("tox", "-e", os.environ.get("UNIT_PYTHONS", "py38,py311"), "--", "tests/unit", "-q", "-n", "auto",
                "-p", "no:cacheprovider")
    # loadfile: each e2e module builds one venv and shares it between its own tests.
    session.run("pytest", "tests/e2e", "-q", "-n", os.environ.get("E2E_WORKERS", "auto"), "--dist", "loadfile",
                "-p", "no:cacheprovider", "-rs", "--durations=15")
