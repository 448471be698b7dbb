"""Venvs deleted in the background: gone from their place at once, deleted by one thread, at most `limit` waiting."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from harness.rundir import NotOwnedError, mark
from harness.trash import Trash


def marked(folder: Path, files: int = 3) -> Path:
    folder.mkdir(parents=True)
    mark(folder, "venv")
    for n in range(files):
        (folder / f"f{n}.py").write_text("x = 1\n", encoding="utf-8")
    return folder


def test_a_venv_leaves_its_place_at_once_and_is_deleted_by_close(tmp_path):
    trash = Trash(tmp_path / "run" / ".trash").start()
    venvs = [marked(tmp_path / "run" / name) for name in ("3.10--default", "3.10--default-pip", "3.11--default")]
    for venv in venvs:
        trash.put(venv)
        assert not venv.exists()  # the next cell may reuse the name at once
    marked(tmp_path / "run" / "3.10--default")  # the same name again, while the old one may still be deleting
    trash.put(tmp_path / "run" / "3.10--default")
    trash.close()
    assert list((tmp_path / "run" / ".trash").iterdir()) == []


def test_an_unmarked_folder_is_refused_and_stays(tmp_path):
    trash = Trash(tmp_path / ".trash").start()
    (tmp_path / "mine").mkdir()
    with pytest.raises(NotOwnedError):
        trash.put(tmp_path / "mine")
    trash.close()
    assert (tmp_path / "mine").is_dir()


def test_a_killed_runs_leftovers_are_deleted_when_the_next_trash_starts(tmp_path):
    leftover = marked(tmp_path / ".trash" / "3.8--default-1")
    stranger = tmp_path / ".trash" / "not-ours"
    stranger.mkdir()
    Trash(tmp_path / ".trash").start().close()
    assert not leftover.exists() and stranger.is_dir()


def test_put_waits_while_limit_folders_are_waiting(tmp_path, monkeypatch):
    import harness.trash as trash_mod

    release = threading.Event()
    real_remove = trash_mod.remove_owned

    def slow_remove(folder):
        release.wait(30)
        real_remove(folder)

    monkeypatch.setattr(trash_mod, "remove_owned", slow_remove)
    trash = Trash(tmp_path / ".trash", limit=1).start()
    trash.put(marked(tmp_path / "a"))  # taken by the deleter, which waits
    trash.put(marked(tmp_path / "b"))  # waits in the queue: the queue is full now
    third = threading.Thread(target=trash.put, args=(marked(tmp_path / "c"),))
    third.start()
    third.join(0.5)
    assert third.is_alive()  # blocked: a worker does not run ahead of the deleter
    release.set()
    third.join(30)
    trash.close()
    assert not any((tmp_path / ".trash").iterdir())
