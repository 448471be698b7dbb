"""A dry resolution's target platform is its own field; cell files from before it still load."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from harness.report.diff import ADDED, GONE, compare
from harness.results import SCHEMA, CellResult, read_cell, read_cells, write_cell

RUNS = Path(__file__).resolve().parent / "data" / "runs"


def dry(**kw) -> CellResult:
    return CellResult("dry", "3.10", "default", "uv (dry, uv)", "failed", target="win_amd64", **kw)


def test_a_dry_cell_names_its_target_and_keeps_its_file_name_and_column_group(tmp_path):
    cell = dry()
    assert cell.is_dry and cell.platform == ""
    assert cell.key == "3.10--default--resolve-win_amd64" and cell.where == "resolve-win_amd64"
    path = write_cell(tmp_path, cell)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["platform"], data["target"], data["schema"]) == ("", "win_amd64", SCHEMA)
    assert read_cell(path) == cell


def test_a_cell_that_ran_here_has_no_target():
    live = CellResult("r", "3.10", "default", "uv", "passed", platform="linux")
    assert not live.is_dry and live.target is None and live.where == "linux" and live.key == "3.10--default"
    assert live.to_json()["target"] is None


def test_a_cell_file_from_before_the_target_field_maps_its_platform_prefix():
    """The recorded runs were written with ``platform: resolve-win_amd64`` (schema 1)."""
    path = RUNS / "base" / "cells" / "3.10--default--resolve-win_amd64.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["platform"] == "resolve-win_amd64" and "target" not in raw and raw["schema"] == 1
    old = read_cell(path)
    assert (old.platform, old.target, old.is_dry) == ("", "win_amd64", True)
    assert old.key == path.stem and old.where == "resolve-win_amd64"


def test_a_previous_run_in_the_old_format_diffs_against_a_new_one_cell_for_cell(tmp_path):
    """The report job diffs against the previous run's results, written before the field existed."""
    new = tmp_path / "new"
    for cell in read_cells(RUNS / "changed"):
        write_cell(new, cell)  # rewritten as schema 2: target, empty platform
    shutil.copytree(RUNS / "changed" / "logs", new / "logs")
    assert all(json.loads(p.read_text(encoding="utf-8"))["schema"] == SCHEMA for p in (new / "cells").iterdir())
    old_format = compare(RUNS / "base", RUNS / "changed")
    mixed = compare(RUNS / "base", new)
    assert [c.to_json() for c in mixed.changes] == [c.to_json() for c in old_format.changes]
    assert mixed.unchanged == old_format.unchanged
    # the two dry cells are the same cells in both formats: paired, not one gone and one added
    assert not {c.kind for c in mixed.changes} & {ADDED, GONE} and mixed.unchanged == 2
