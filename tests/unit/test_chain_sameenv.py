"""The chain once per distinct environment: real venvs, real installs (offline), real threads."""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path
from typing import List

from harness import matrix
from harness.cells import plan_cells
from harness.chain.sameenv import OncePerKey, fingerprint
from harness.proc import clean_env
from harness.progress import Progress
from harness.provision import venv_python
from harness.results import FAILED, PASSED, StepResult, read_cells
from harness.runner import Runner, RunOptions
from tests.unit.wheels import tiny_wheel

PY = "%d.%d" % sys.version_info[:2]


def venv_with(tmp_path: Path, name: str, wheel: Path) -> Path:
    venv = tmp_path / name
    env = clean_env()
    subprocess.run(["uv", "venv", "--no-config", "--python", sys.executable, str(venv)], check=True,
                   capture_output=True, timeout=120, env=env)
    subprocess.run(["uv", "pip", "install", "--no-config", "--offline", "--no-index", "--python",
                    str(venv_python(venv)), str(wheel)], check=True, capture_output=True, timeout=120, env=env)
    return venv


def module_file(venv: Path) -> Path:
    return next(venv.glob("lib*/python*/site-packages/tinypkg/__init__.py"))


def rewrite(path: Path, data: bytes) -> None:
    """A new file in place of the old one: uv hardlinks files from its cache, so both venvs share inodes."""
    path.unlink()
    path.write_bytes(data)


def print_of(venv: Path) -> str:
    return fingerprint(venv, sys.executable, PY).digest


def test_two_venvs_with_the_same_files_share_a_fingerprint_and_one_differing_file_splits_them(tmp_path):
    wheel = tiny_wheel(tmp_path / "wheels", b"VALUE = 1\n")
    first, second = venv_with(tmp_path, "a", wheel), venv_with(tmp_path, "b-longer-path", wheel)
    assert print_of(first) == print_of(second)  # the venvs' own paths are in no hashed file

    # What an installer or a first import leaves differently does not count: bytecode, INSTALLER, uv's
    # note on a wheel it built (uv_build.json).
    subprocess.run([str(venv_python(second)), "-m", "compileall", "-q", str(module_file(second).parent)], check=True,
                   timeout=60)
    rewrite(next(second.glob("lib*/python*/site-packages/tinypkg-1.0.dist-info")) / "INSTALLER", b"pip\n")
    (next(second.glob("lib*/python*/site-packages/tinypkg-1.0.dist-info")) / "uv_build.json").write_bytes(b"{}")
    assert any(second.glob("lib*/python*/site-packages/tinypkg/__pycache__/*.pyc"))
    assert print_of(first) == print_of(second)

    # One byte of one file, same size: a different environment.
    rewrite(module_file(second), b"VALUE = 2\n")
    assert print_of(first) != print_of(second)
    rewrite(module_file(second), b"VALUE = 1\n")
    assert print_of(first) == print_of(second)

    # One extra file anywhere the interpreter can import from, even an empty one.
    (module_file(second).parent / "extra.py").write_bytes(b"")
    assert print_of(first) != print_of(second)


def test_the_interpreter_is_part_of_the_fingerprint(tmp_path):
    venv = venv_with(tmp_path, "a", tiny_wheel(tmp_path / "wheels", b"VALUE = 1\n"))
    same = fingerprint(venv, sys.executable, PY)
    assert same.files >= 4 and same.bytes > 0
    assert fingerprint(venv, sys.executable, PY + ".99").digest != same.digest
    assert fingerprint(venv, "/other/python", PY).digest != same.digest


def test_a_second_caller_waits_for_the_first_and_shares_only_what_it_keeps():
    once: OncePerKey[str] = OncePerKey(lambda result: result == "good")
    calls: List[str] = []
    release = threading.Event()
    answers = {}

    def slow(owner: str):
        def work() -> str:
            calls.append(owner)
            release.wait(10)
            return "good"
        return work

    first = threading.Thread(target=lambda: answers.update(first=once.run("env", "first", slow("first"))))
    first.start()
    while not calls:
        threading.Event().wait(0.01)
    second = threading.Thread(target=lambda: answers.update(second=once.run("env", "second", slow("second"))))
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for the first, not racing it
    release.set()
    first.join(10), second.join(10)
    assert calls == ["first"]
    assert answers == {"first": (None, "good"), "second": ("first", "good")}

    # A result that is not kept (a failed chain) is computed again by the next caller.
    assert once.run("other", "x", lambda: "bad") == (None, "bad")
    assert once.run("other", "y", lambda: "good") == (None, "good")
    assert once.run("other", "z", lambda: "unused") == ("y", "good")


MATRIX = textwrap.dedent("""\
    pack:
      requirement: pip
      requires_python: ">=3.8"
      import_check: [pip]
    pythons: ["{py}"]
    strategies:
      - id: one
        installer: uv
        steps:
          - {{name: install, requirements: ["{{pack}}"], args: ["--offline"]}}
      - id: same
        installer: uv
        steps:
          - {{name: install, requirements: ["{{pack}}"], args: ["--offline"]}}
      - id: plus-one-file
        installer: uv
        steps:
          - {{name: install, requirements: ["{{pack}}", "{wheel}"], args: ["--offline"]}}
    """)


class CountingRunner(Runner):
    """The real runner and real installs; the chain is a stand-in that records where it ran (the real
    chain needs TensorFlow: tests/e2e runs it)."""

    ran: List[str]

    def _chain_enabled(self) -> bool:
        return True

    def _chain(self, cell, venv_dir, log_dir, before) -> List[StepResult]:
        self.ran.append(cell.strategy.id)
        return [StepResult(name="separate", status=PASSED, kind="stage", duration=1.5, log_tail="real output",
                           metrics={"sdr_gain_db": 14.25})]


def run_matrix(tmp_path: Path, runner_class=CountingRunner, workers: int = 2, **options):
    wheel = tiny_wheel(tmp_path / "wheels", b"VALUE = 1\n")
    path = tmp_path / "matrix.yaml"
    path.write_text(MATRIX.format(py=PY, wheel=wheel.as_posix()), encoding="utf-8")
    m = matrix.load(path)
    runner = runner_class(m, RunOptions(out_dir=tmp_path / "results", run_id="r1", work_dir=tmp_path / "work",
                                        workers=workers, allow_python_downloads=False, check_disk=False, **options),
                          progress=Progress(io.StringIO()))
    runner.ran = []
    runner.run(plan_cells(m))
    return runner.ran, {c.strategy: c for c in read_cells(tmp_path / "results" / "r1")}


def test_the_runner_chains_once_per_environment_and_says_whose_run_a_cell_reuses(tmp_path):
    ran, cells = run_matrix(tmp_path)
    assert sorted(ran) in (["one", "plus-one-file"], ["plus-one-file", "same"])
    shared = "same" if "one" in ran else "one"
    chained = {"one", "same"} - {shared}
    reused = cells[shared]
    assert reused.status == PASSED and reused.chain_from == f"{PY}/{chained.pop()}"
    assert reused.environment == cells["one" if shared == "same" else "same"].environment
    stage = reused.stages[0]
    assert stage.message.startswith("chain: same environment as ") and stage.duration == 0.0
    assert stage.metrics["sdr_gain_db"] == 14.25 and stage.log_tail.startswith("chain: same environment as")
    # The venv with one more file ran its own chain and says nothing of the others.
    assert cells["plus-one-file"].chain_from == "" and cells["plus-one-file"].environment != reused.environment

    from harness.report.junit import junit_text
    from harness.report.table import build
    assert f"chain: same environment as {reused.chain_from}" in junit_text(list(cells.values()))
    table = build(list(cells.values()))
    texts = [c.text for c in table.cells.values()]
    assert sum("same environment as" in t for t in texts) == 1


def test_chain_every_cell_runs_it_everywhere(tmp_path):
    ran, cells = run_matrix(tmp_path, chain_every_cell=True)
    assert sorted(ran) == ["one", "plus-one-file", "same"]
    assert all(c.chain_from == "" for c in cells.values())


def test_a_failed_chain_is_not_shared(tmp_path):
    class Failing(CountingRunner):
        def _chain(self, cell, venv_dir, log_dir, before):
            return [replace(step, status=FAILED) for step in super()._chain(cell, venv_dir, log_dir, before)]

    ran, cells = run_matrix(tmp_path, Failing, workers=1)
    assert sorted(ran) == ["one", "plus-one-file", "same"]
    assert all(c.status == FAILED and not c.chain_from for c in cells.values())
