"""Locks from recorded plans: written, read back, and refused when they do not fit the interpreter."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pip._vendor.packaging import tags as pip_tags

from harness import cli
from harness.plan import pipplan
from harness.plan.lock import winners, write_locks
from harness.plan.pylock import LockError, check_lock, read_lock, tomllib, wheel_tags
from harness.results import FAILED, PASSED, CellResult, PathBudget, write_cell

PLAN = Path(__file__).parent / "data" / "plan"
WIN_CP310 = [str(t) for t in list(pip_tags.cpython_tags((3, 10), ["cp310"], ["win_amd64"]))
             + list(pip_tags.compatible_tags((3, 10), "cp310", ["win_amd64"]))]
LINUX_CP311 = [str(t) for t in list(pip_tags.cpython_tags((3, 11), ["cp311"], ["manylinux_2_17_x86_64", "linux_x86_64"]))
               + list(pip_tags.compatible_tags((3, 11), "cp311", ["manylinux_2_17_x86_64", "linux_x86_64"]))]


def win_cell(strategy="resilient", status=PASSED, **kw) -> CellResult:
    dists = pipplan.read_report(PLAN / "win-cp310-pip-pins-031.report.json")
    budget = PathBudget(155, "tensorflow\\include\\x.inc", "tensorflow_intel-2.12.1-cp310-cp310-win_amd64.whl",
                        85, "66 wheels' file lists", 66)
    return CellResult(run_id="dry", python="3.10", strategy=strategy, installer="pip (dry, pip)", status=status,
                      target="win_amd64", winner="no-deps-pinned" if strategy == "resilient" else None,
                      distributions=dists, path_budget=budget, **kw)


def test_wheel_tags_expand_compressed_tag_sets():
    assert wheel_tags("six-1.17.0-py2.py3-none-any.whl") == ("py2-none-any", "py3-none-any")
    assert wheel_tags("numpy-1.23.5-cp310-cp310-win_amd64.whl") == ("cp310-cp310-win_amd64",)
    with pytest.raises(LockError):
        wheel_tags("not-a-wheel.whl")


def test_the_winner_per_python_and_platform_is_resilient_else_the_first_strategy_that_resolves():
    plain = win_cell("no-deps-pinned")
    assert winners([plain, win_cell("resilient")], ["no-deps-pinned", "resilient"])[0].strategy == "resilient"
    assert winners([plain, win_cell("resilient", status=FAILED)], ["no-deps-pinned", "resilient"]) == [plain]
    live = replace(plain, platform="linux", target=None)  # a cell that ran here: no lock from it
    assert winners([live]) == []


def test_locks_are_written_as_pep751_and_hashed_requirements_and_read_back(tmp_path):
    written = write_locks(tmp_path, [win_cell()])
    assert [p.name for p in written] == ["pylock.win_amd64-py310.toml", "requirements.win_amd64-py310.txt"]
    pylock, requirements = written
    data = tomllib.loads(pylock.read_text(encoding="utf-8"))
    assert data["lock-version"] == "1.0" and data["requires-python"] == "==3.10.*"
    assert data["environments"] == ["sys_platform == 'win32' and platform_machine == 'AMD64' and "
                                    "python_version == '3.10'"]
    intel = next(p for p in data["packages"] if p["name"] == "tensorflow-intel")
    assert intel["wheels"][0]["name"] == "tensorflow_intel-2.12.1-cp310-cp310-win_amd64.whl"
    assert len(intel["wheels"][0]["hashes"]["sha256"]) == 64
    assert data["tool"]["spleeter-matrix"]["venv-root-max"] == 85
    for lock in written:
        entries, _ = read_lock(lock)
        assert len(entries) == 65 and all(len(e.sha256) == 64 for e in entries)
        check_lock(lock, entries, WIN_CP310)  # installable on win_amd64 CPython 3.10
    text = requirements.read_text(encoding="utf-8")
    assert "tensorflow-intel==2.12.1 --hash=sha256:" in text
    assert "venv root may be at most 85 characters" in text


def test_a_lock_for_another_platform_is_refused_naming_the_wheels(tmp_path):
    pylock, _ = write_locks(tmp_path, [win_cell()])
    entries, _ = read_lock(pylock)
    with pytest.raises(LockError) as error:
        check_lock(pylock, entries, LINUX_CP311, interpreter="/usr/bin/python3.11")
    message = str(error.value)
    assert "is tagged cp310-cp310-win_amd64; /usr/bin/python3.11 installs none of these tags" in message
    assert message.count("\n") == 4 and message.endswith("more)")  # five named, the rest counted


def test_a_missing_hash_is_refused_with_its_line(tmp_path):
    _, requirements = write_locks(tmp_path, [win_cell()])
    lines = requirements.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("numpy=="))
    lines[number - 1] = "numpy==1.23.5"
    requirements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries, _ = read_lock(requirements)
    with pytest.raises(LockError) as error:
        check_lock(requirements, entries, WIN_CP310)
    assert str(error.value) == f"{requirements}:{number}: numpy 1.23.5: no sha256 hash (a lock installs only with " \
                               "--require-hashes)"


def test_lock_install_refuses_a_foreign_lock_before_making_the_venv(tmp_path, capsys):
    pylock, _ = write_locks(tmp_path, [win_cell()])
    venv = tmp_path / "venv"
    code = cli.main(["lock", "install", str(pylock), "--venv", str(venv), "--python", sys.executable])
    assert code == 2 and not venv.exists()
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "win_amd64" in err and "Traceback" not in err


def test_lock_command_writes_from_a_run_dir_and_rejects_an_empty_one(tmp_path, capsys):
    run = tmp_path / "run"
    write_cell(run, win_cell())
    assert cli.main(["lock", str(run)]) == 0
    assert (run / "locks" / "pylock.win_amd64-py310.toml").is_file()
    assert cli.main(["lock", str(tmp_path / "nothing")]) == 2
    assert "no cells/ folder" in capsys.readouterr().err


def test_install_takes_the_budget_of_the_lock_for_the_python_it_tries(tmp_path, capsys):
    from harness.install.user_install import path_budget

    write_locks(tmp_path, [win_cell()])
    budget = path_budget(tmp_path / "locks", "3.10")
    assert budget.venv_root_max == 85 and budget.longest_relpath == 155
    assert "pylock.win_amd64-py310.toml (computed from its wheels' file lists)" in budget.source
    assert path_budget(tmp_path / "locks", "3.11") is None  # no lock for 3.11: the measured constant, said so
    assert "no win_amd64 lock for Python 3.11" in capsys.readouterr().out
