"""Strategy steps become the exact argv an installer gets."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness import matrix
from harness.install import commands

ROOT = Path(__file__).resolve().parents[2]


def default():
    return matrix.load(ROOT / "matrix.yaml")


def test_pip_argv_is_isolated_and_uses_the_venv_interpreter():
    exe = Path("/v/bin/python")
    argv = commands.install_argv("pip", exe, ["--only-binary=:all:"], ["spleeter==2.4.2"])
    assert argv == [str(exe), "-m", "pip", "install", "--isolated", "--no-input",
                    "--disable-pip-version-check", "--only-binary=:all:", "spleeter==2.4.2"]


def test_uv_argv_targets_the_venv_and_ignores_config():
    exe = Path("/v/bin/python")
    argv = commands.install_argv("uv", exe, [], ["spleeter==2.4.2"])
    assert argv == ["uv", "pip", "install", "--no-config", "--python", str(exe), "spleeter==2.4.2"]
    user = commands.install_argv("uv", Path("/v/bin/python"), [], ["x"], keep_user_config=True)
    assert "--no-config" not in user


def test_pack_placeholder_and_pins_are_expanded():
    m = default()
    step = m.strategy("no-deps-pinned").steps[1]
    reqs = commands.expand_requirements(step, m, "3.10")
    assert "tensorflow-io-gcs-filesystem==0.32.0" in reqs
    first = commands.expand_requirements(m.strategy("wheel-first").steps[0], m, "3.10")
    assert first == ("spleeter==2.4.2",)


def test_substitution_swaps_exact_requirements_only():
    reqs = ("tensorflow==2.12.1", "tensorflow-io-gcs-filesystem==0.32.0")
    out = commands.substitute(reqs, [("tensorflow-io-gcs-filesystem==0.32.0", "tensorflow-io-gcs-filesystem==0.31.0")])
    assert out == ("tensorflow==2.12.1", "tensorflow-io-gcs-filesystem==0.31.0")


def test_import_check_code_runs_and_reports_versions():
    # PyYAML is a dependency of the harness, so it is installed wherever these tests run (pip may not be).
    code = commands.import_check_code(["json", "yaml"], ["PyYAML", "no-such-dist"])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    versions = commands.parse_versions(out)
    assert versions["python"].startswith("%d.%d" % sys.version_info[:2])
    assert versions["PyYAML"].split(".")[0].isdigit() and "no-such-dist" not in versions


def test_import_check_fails_on_a_missing_module():
    code = commands.import_check_code(["no_such_module_here"], [])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr


def test_compile_argv_targets_windows():
    argv = commands.compile_argv(["--only-binary=:all:", "--no-build-isolation"], Path("req.txt"), "3.11",
                                 "x86_64-pc-windows-msvc")
    assert argv[argv.index("--python-platform") + 1] == "x86_64-pc-windows-msvc"
    assert "--no-build-isolation" not in argv and "--only-binary=:all:" in argv


def test_pip_run_args_put_the_index_and_no_compile_before_the_steps_own():
    assert commands.pip_run_args() == ()
    assert commands.pip_run_args("http://127.0.0.1:9/index/", compile_bytecode=False) == (
        "--index-url", "http://127.0.0.1:9/index/", "--timeout", "600", "--no-compile")
    assert commands.pip_run_args(compile_bytecode=False) == ("--no-compile",)
