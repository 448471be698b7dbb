"""A pip install once per distinct resolution: the key, the marks, and the claim a cell must settle."""
from __future__ import annotations

import io
import sys
import textwrap
import threading
from pathlib import Path
from typing import Dict, Optional

from harness import matrix
from harness.cells import plan_cells
from harness.install.share import InstallShare, SharedInstall, effective_args, install_key, same_resolution_as
from harness.progress import Progress
from harness.report.render import markdown
from harness.report.table import build
from harness.results import PASSED, CellResult, Distribution, StepKind, StepResult
from harness.runner import Runner, RunOptions
from tests.unit.wheels import tiny_wheel

PY = ("/usr/bin/python3.10", "3.10.13")
PY_HERE = "%d.%d" % sys.version_info[:2]


def wheel(name: str, sha: str = "a" * 64, filename: str = "") -> Distribution:
    return Distribution(name, "1.0", filename or f"{name}-1.0-py3-none-any.whl", f"https://x/{name}.whl", sha)


PLAN = (wheel("spleeter"), wheel("tensorflow", "b" * 64))


def test_resolver_only_options_do_not_change_the_key_and_install_options_do():
    base = install_key(PY, "venv0", ["--no-compile"], PLAN)
    assert base is not None
    for resolver_only in (["--only-binary=:all:"], ["--only-binary", ":all:"], ["--upgrade"], ["--no-deps"],
                          ["--upgrade-strategy", "eager"], ["--prefer-binary"], ["--no-build-isolation"]):
        assert install_key(PY, "venv0", ["--no-compile", *resolver_only], PLAN) == base, resolver_only
    assert effective_args(["--only-binary", ":all:", "--no-compile", "--report", "r.json"]) == (
        "--no-compile", "--report", "r.json")
    assert install_key(PY, "venv0", [], PLAN) != base  # pip would byte-compile: other files
    assert install_key(PY, "venv0", ["--no-compile", "--user"], PLAN) != base


def test_the_key_holds_the_interpreter_the_venv_before_and_every_file_of_the_plan():
    base = install_key(PY, "venv0", [], PLAN)
    assert install_key(("/other/python3.10", "3.10.13"), "venv0", [], PLAN) != base
    assert install_key(PY, "venv-with-cython", [], PLAN) != base
    assert install_key(PY, "venv0", [], (PLAN[0], wheel("tensorflow", "c" * 64))) != base
    assert install_key(PY, "venv0", [], PLAN[:1]) != base
    assert install_key(PY, "venv0", [], tuple(reversed(PLAN))) == base  # a plan is a set


def test_on_windows_a_venv_in_a_longer_path_never_takes_a_shorter_ones_install():
    # With long paths off, the deepest file may fit under MAX_PATH in 3.10--default-pip but not 4 characters
    # deeper in 3.10--wheel-first-pip: the installer passes the venv path's length there (None elsewhere).
    short, longer = (install_key(PY, "venv0", [], PLAN, venv_path_length=n) for n in (40, 44))
    assert short != longer and short == install_key(PY, "venv0", [], PLAN, venv_path_length=40)
    assert install_key(PY, "venv0", [], PLAN) not in (short, longer)


def test_a_plan_that_builds_or_lacks_hashes_is_never_shared():
    assert install_key(PY, "venv0", [], ()) is None
    assert install_key(PY, "venv0", [], PLAN + (wheel("jax", filename="jax-0.4.13.tar.gz"),)) is None
    assert install_key(PY, "venv0", [], PLAN + (wheel("jax", sha=""),)) is None


def shared(owner: str = "3.10/default-pip", ok: bool = True) -> SharedInstall:
    install = StepResult(name="install", status=PASSED, duration=21.5, log_path="/logs/install.log",
                         message="", kind=StepKind.INSTALL)
    check = StepResult(name="import-check", status=PASSED if ok else "failed", duration=6.0,
                       message="tensorflow 2.12.1", kind=StepKind.VERIFY)
    return SharedInstall(owner, 117, (install, check), (("tensorflow", "2.12.1"),), "tensorflow==2.12.1\n", "env")


def test_a_taken_step_says_whose_it_is_took_no_time_and_is_named_for_this_cell():
    install, check = (same_resolution_as(shared(), s, "bootstrap/") for s in shared().steps)
    assert (install.name, check.name) == ("bootstrap/install", "bootstrap/import-check")
    assert install.duration == check.duration == 0.0
    assert install.message.startswith(
        "install: same resolution as 3.10/default-pip (pip planned the same 117 distributions")
    assert check.message.endswith(": tensorflow 2.12.1")
    assert "its log is /logs/install.log" in install.log_tail
    assert install.metrics["same_resolution_as"] == "3.10/default-pip"


def test_a_second_cell_waits_for_the_claim_and_takes_only_a_passed_install():
    share = InstallShare()
    assert share.claim("plan") is None  # the first cell claims it
    got: Dict[str, Optional[object]] = {}
    waiter = threading.Thread(target=lambda: got.update(second=share.claim("plan")))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # waits instead of unpacking the same files beside the first
    share.settle("plan", "3.10/default-pip", shared(ok=False))  # its import check failed: not shared
    waiter.join(10)
    assert got["second"] is None  # so the second cell now holds the claim and installs itself
    share.settle("plan", "3.10/bootstrap", shared("3.10/bootstrap"))
    taken = share.claim("plan")
    assert taken is not None and taken.owner == "3.10/bootstrap" and taken.result.files == 117
    share.settle("other", "x", None)  # settling what nobody claimed is harmless


OFFLINE_PIP = textwrap.dedent("""\
    pack:
      requirement: tinypkg
      requires_python: ">=3.8"
      import_check: [tinypkg]
    pythons: ["{py}"]
    strategies:
      - id: plain
        installer: pip
        steps:
          - {{name: install, requirements: ["{{pack}}"], args: ["--no-index", "--find-links={wheels}"]}}
      - id: binary
        installer: pip
        steps:
          - {{name: install, requirements: ["{{pack}}"],
              args: ["--no-index", "--find-links={wheels}", "--only-binary=:all:"]}}
      - id: more
        installer: pip
        steps:
          - {{name: install, requirements: ["{{pack}}", tinyextra], args: ["--no-index", "--find-links={wheels}"]}}
      - id: fallback
        installer: pip
        fallback: [binary]
      - id: uv
        installer: uv
        steps:
          - {{name: install, requirements: ["{{pack}}"], args: ["--offline", "--no-index", "--find-links={wheels}"]}}
    """)


def pip_matrix(tmp_path: Path) -> matrix.Matrix:
    wheels = tmp_path / "wheels"
    tiny_wheel(wheels, b"VALUE = 1\n")
    tiny_wheel(wheels, b"EXTRA = 1\n", name="tinyextra")
    path = tmp_path / "matrix.yaml"
    path.write_text(OFFLINE_PIP.format(py=PY_HERE, wheels=wheels.as_posix()), encoding="utf-8")
    return matrix.load(path)


def run_cells(tmp_path: Path, **kw) -> Dict[str, CellResult]:
    m = pip_matrix(tmp_path)
    options = RunOptions(out_dir=tmp_path / "results", run_id="r1", work_dir=tmp_path / "work", workers=1,
                         run_chain=False, allow_python_downloads=False, check_disk=False, pip_index_cache=False, **kw)
    order = ("plain", "binary", "more", "fallback", "uv")
    cells = [c for name in order for c in plan_cells(m) if c.strategy.id == name]
    return {c.strategy: c for c in Runner(m, options, Progress(io.StringIO())).run(cells)}


def test_pip_cells_with_the_same_plan_install_once_and_a_different_plan_installs_itself(tmp_path):
    cells = run_cells(tmp_path)
    assert all(c.status == PASSED for c in cells.values()), {k: c.status for k, c in cells.items()}
    first = f"{PY_HERE}/plain"
    assert (cells["plain"].install_from, cells["binary"].install_from, cells["more"].install_from) == ("", first, "")
    assert cells["fallback"].install_from == first and cells["fallback"].winner == "binary"
    # Every cell asked its own pip; a taken install says whose it is, under this cell's step names.
    names = {k: [s.name for s in c.steps] for k, c in cells.items()}
    assert names["binary"] == ["preflight", "venv", "install-plan", "install", "import-check"]
    # A cell no other cell of the run may share with (its own requirements) installs without a plan first.
    assert names["more"] == ["preflight", "venv", "install", "import-check"]
    assert names["fallback"] == ["preflight", "binary/venv", "binary/install-plan", "binary/install",
                                 "binary/import-check"]
    taken = cells["binary"].steps[3]
    assert taken.duration == 0.0 and taken.message.startswith(f"install: same resolution as {first}")
    assert cells["binary"].steps[2].message == "pip plans 1 distributions (all wheels)"
    assert cells["binary"].versions == cells["plain"].versions
    logs = tmp_path / "results" / "r1" / "logs"
    assert (logs / f"{PY_HERE}--binary" / "pip-freeze.txt").read_text() == \
        (logs / f"{PY_HERE}--plain" / "pip-freeze.txt").read_text()
    assert "tinypkg==1.0" in (logs / f"{PY_HERE}--plain" / "pip-freeze.txt").read_text()
    table = markdown(build(list(cells.values())))
    assert f"install: same resolution as {first}" in table


def test_a_venv_with_the_same_files_as_one_already_checked_takes_its_import_check(tmp_path):
    cells = run_cells(tmp_path)
    # uv unpacked the same wheel into the same files as pip did for `plain`: that cell's import check serves.
    check = cells["uv"].steps[-1]
    assert check.name == "import-check" and check.duration == 0.0
    assert check.message.startswith(f"import check: same environment as {PY_HERE}/plain")
    assert cells["uv"].versions == cells["plain"].versions
    # `more` also holds tinyextra: its own check.
    assert not cells["more"].steps[-1].message.startswith("import check: same environment")
    everyone = run_cells(tmp_path / "again", chain_every_cell=True)
    assert everyone["uv"].steps[-1].duration > 0 and "same environment" not in everyone["uv"].steps[-1].message


def test_install_every_cell_unpacks_in_every_cell(tmp_path):
    cells = run_cells(tmp_path, install_every_cell=True)
    assert all(c.status == PASSED and not c.install_from for c in cells.values())
    assert all("install-plan" not in [s.name for s in c.steps] for c in cells.values())
