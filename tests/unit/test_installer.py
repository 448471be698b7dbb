"""The strategy installer for real, offline: the 'pack' is pip itself, already in every seeded venv.

uv's --offline makes an install of an unknown package fail at once with a real
resolver error, so fallbacks, substitution retries and opt-ins run through the
same code as a spleeter install, in seconds and without a network.
"""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from harness import matrix
from harness.install.installer import InstallRequest, run_strategy
from harness.provision import InterpreterFinder, ProvisionOptions
from harness.results import FAILED, PASSED, SKIPPED

MATRIX = textwrap.dedent("""\
    pack:
      requirement: pip
      requires_python: ">=3.8"
      import_check: [pip]
    pythons: ["{py}"]
    strategies:
      - id: broken
        installer: uv
        steps:
          - name: install
            requirements: [no-such-package-for-harness-tests]
            args: ["--offline"]
      - id: pinned
        installer: uv
        steps:
          - name: deps
            requirements: [no-such-package-for-harness-tests==1.0]
            args: ["--offline"]
            substitutions:
              no-such-package-for-harness-tests==1.0: "{{pack}}"
      - id: opt-in-only
        installer: uv
        opt_in: source-builds
        steps:
          - name: install
            requirements: ["{{pack}}"]
      - id: resilient
        installer: uv
        fallback: [broken, opt-in-only, pinned]
    """)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    py = "%d.%d" % sys.version_info[:2]
    root = tmp_path_factory.mktemp("installer")
    path = root / "matrix.yaml"
    path.write_text(MATRIX.format(py=py), encoding="utf-8")
    loaded = matrix.load(path)
    interpreter, _ = InterpreterFinder(ProvisionOptions(allow_download=False)).find(py)
    assert interpreter is not None
    return loaded, interpreter, root


def request(setup, strategy_id, tmp_path, **kw):
    loaded, interpreter, _ = setup
    return InstallRequest(matrix=loaded, strategy=loaded.strategy(strategy_id), python=interpreter.requested,
                          interpreter=interpreter, venv_dir=tmp_path / "venv", log_dir=tmp_path / "logs", **kw)


def test_failed_step_is_diagnosed_from_its_real_log(setup, tmp_path):
    outcome = run_strategy(request(setup, "broken", tmp_path))
    assert outcome.status == FAILED
    names = [s.name for s in outcome.steps]
    assert names == ["preflight", "venv", "install"]
    install = outcome.steps[-1]
    assert install.returncode not in (0, None)
    assert "no-such-package-for-harness-tests" in Path(install.log_path).read_text(encoding="utf-8")
    assert install.diagnosis is not None and install.diagnosis.category != "timeout"
    assert install.command[:3] == ("uv", "pip", "install")


def test_substitution_retry_recovers(setup, tmp_path):
    outcome = run_strategy(request(setup, "pinned", tmp_path))
    assert outcome.status == PASSED
    assert [s.name for s in outcome.steps] == ["preflight", "venv", "deps", "deps-retry", "import-check"]
    assert outcome.steps[2].status == FAILED and outcome.steps[3].status == PASSED
    assert "pip" in outcome.steps[3].command
    assert outcome.versions["pip"]


def test_fallback_skips_opt_ins_and_records_the_winner(setup, tmp_path):
    outcome = run_strategy(request(setup, "resilient", tmp_path))
    assert outcome.status == PASSED and outcome.winner == "pinned"
    names = [s.name for s in outcome.steps]
    assert names[:4] == ["preflight", "broken/venv", "broken/install", "opt-in-only"]
    assert outcome.steps[3].status == SKIPPED and "opt-in" in outcome.steps[3].message
    assert names[-1] == "pinned/import-check"
    logs = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert "broken--install.log" in logs and "pinned--deps-retry.log" in logs


def test_opt_in_strategy_runs_only_when_allowed(setup, tmp_path):
    assert run_strategy(request(setup, "opt-in-only", tmp_path)).status == SKIPPED
    allowed = run_strategy(request(setup, "opt-in-only", tmp_path, allow_source_builds=True))
    assert allowed.status == PASSED


def test_preflight_checks_are_recorded(setup, tmp_path):
    outcome = run_strategy(request(setup, "broken", tmp_path))
    checks = {c["name"]: c["status"] for c in outcome.steps[0].metrics["checks"]}
    assert checks["python-version"] == "pass" and "disk-space" in checks


def test_a_venv_path_over_the_computed_budget_is_refused_before_anything_is_made(setup, tmp_path):
    from harness.install.preflight import SystemProbes
    from harness.results import PathBudget

    windows_long_paths_off = SystemProbes(platform="win32", read_registry_dword=lambda key, value: 0,
                                          read_registry_str=lambda key, value: None, which=lambda name: None)
    deep = PathBudget(longest_relpath=250, deepest_file="pkg\\deep", wheel="pkg-1.0-py3-none-any.whl",
                      venv_root_max=-10, source="pylock.win_amd64-py310.toml (computed from its wheels' file lists)")
    outcome = run_strategy(request(setup, "resilient", tmp_path, path_budget=deep, refuse_unfit_path=True,
                                   probes=windows_long_paths_off))
    assert outcome.status == FAILED and [s.name for s in outcome.steps] == ["preflight"]
    assert not (tmp_path / "venv").exists()
    checks = {c["name"]: c for c in outcome.steps[0].metrics["checks"]}
    assert checks["path-length"]["status"] == "block"
    assert "budget from: pylock.win_amd64-py310.toml (computed from its wheels' file lists)" in \
        checks["path-length"]["details"]
    # the matrix (refuse_unfit_path off) still runs the strategy: preflight predicts, the installer decides
    ran = run_strategy(request(setup, "broken", tmp_path, path_budget=deep, probes=windows_long_paths_off))
    assert [s.name for s in ran.steps][:2] == ["preflight", "venv"]


PIP_MATRIX = textwrap.dedent("""\
    pack:
      requirement: tinypkg
      requires_python: ">=3.8"
      import_check: [tinypkg]
    pythons: ["{py}"]
    strategies:
      - id: local-pip
        installer: pip
        steps:
          - name: install
            requirements: ["{{pack}}"]
            args: ["--no-index", "--find-links={wheels}"]
    """)


@pytest.mark.parametrize("compile_bytecode", [True, False])
def test_a_matrix_pip_install_leaves_the_bytecode_to_the_import_check(setup, tmp_path, monkeypatch,
                                                                       compile_bytecode):
    from tests.unit.wheels import tiny_wheel

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # the caller's shell must not decide the venv's bytecode
    _, interpreter, _ = setup
    wheels = tiny_wheel(tmp_path / "wheels", b"VALUE = 1\n").parent
    path = tmp_path / "matrix.yaml"
    path.write_text(PIP_MATRIX.format(py=interpreter.requested, wheels=wheels), encoding="utf-8")
    loaded = matrix.load(path)
    outcome = run_strategy(InstallRequest(matrix=loaded, strategy=loaded.strategy("local-pip"),
                                          python=interpreter.requested, interpreter=interpreter,
                                          venv_dir=tmp_path / "venv", log_dir=tmp_path / "logs",
                                          compile_bytecode=compile_bytecode))
    assert outcome.status == PASSED, [s.log_tail for s in outcome.steps]
    install = next(s for s in outcome.steps if s.name == "install")
    assert ("--no-compile" in install.command) is not compile_bytecode
    record = next((tmp_path / "venv").rglob("tinypkg-1.0.dist-info/RECORD")).read_text(encoding="utf-8")
    # pip lists the bytecode it wrote in RECORD; without it the import check wrote it (the venv's Python).
    assert ("__pycache__" in record) is compile_bytecode
    assert list((tmp_path / "venv").rglob("tinypkg/__pycache__/__init__.*.pyc"))
