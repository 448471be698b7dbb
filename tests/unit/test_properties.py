"""Property tests of the two readers of user-supplied files: the matrix loader and the cell reader.

For any document or bytes, the result is a loaded value, or a clean refusal: ``MatrixError``
whose every problem is one ``matrix.yaml:LINE: ...`` line, or a cell skipped with one warning.
Never another exception; and whatever the cell reader accepts, the report builds from.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import matrix
from harness.cells import plan_cells
from harness.errors import MatrixError
from harness.report import write_reports
from harness.results import CellResult, Diagnosis, InterpreterInfo, StepResult, read_cells, write_cell

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = re.compile(r"matrix\.yaml:[0-9]+: [^\n]+")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=True),
                    st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)

VALID = yaml.safe_load((ROOT / "matrix.yaml").read_text(encoding="utf-8"))
VALID["chain"]["item"] = str(ROOT / "samples" / "two-speakers")  # the copy lives in a temp folder


def load_or_refuse(path: Path) -> None:
    try:
        loaded = matrix.load(path)
    except MatrixError as exc:
        assert exc.problems, "a refusal names at least one problem"
        for problem in exc.problems:
            assert PROBLEM.fullmatch(problem), problem
        return
    assert isinstance(loaded, matrix.Matrix)
    for cell in plan_cells(loaded):  # a loaded matrix plans, and its cells name safe files
        assert re.fullmatch(r"[A-Za-z0-9._-]+", cell.key), cell.key


def paths_of(data, prefix=()):
    """Every key path into a nested document."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, prefix + (key,))
    elif isinstance(data, list):
        for position, value in enumerate(data):
            yield from paths_of(value, prefix + (position,))


def mutated(document, data: st.DataObject):
    """``document`` with one value somewhere in it replaced by an arbitrary one (or deleted)."""
    document = copy.deepcopy(document)
    paths = [p for p in paths_of(document) if p]
    path = data.draw(st.sampled_from(paths))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(values)
    return document


@SETTINGS
@given(data=st.data())
def test_any_mutation_of_the_default_matrix_loads_or_is_refused_line_by_line(tmp_path, data):
    path = tmp_path / "matrix.yaml"
    path.write_text(yaml.safe_dump(mutated(VALID, data), allow_unicode=True), encoding="utf-8")
    load_or_refuse(path)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#?,\n 1.\t%@`~\\")), max_size=120))
def test_any_yaml_like_text_loads_or_is_refused_line_by_line(tmp_path, text):
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    load_or_refuse(path)


@SETTINGS
@given(blob=st.binary(max_size=300))
def test_any_bytes_load_or_are_refused_line_by_line(tmp_path, blob):
    path = tmp_path / "matrix.yaml"
    path.write_bytes(blob)
    load_or_refuse(path)


def valid_cell() -> dict:
    diagnosis = Diagnosis("no-wheel-for-platform", "jax", "use 3.9", ("pip download jax",), ("no wheel",), "no jax")
    steps = (StepResult("install", "failed", 1.5, ("uv", "pip"), 1, "/l/install.log", "tail", "no jax",
                        diagnosis=diagnosis, metrics={"cleanup": "x"}),
             StepResult("separate", "passed", kind="stage", metrics={"sdr_gain_db": 14.2}))
    cell = CellResult("r", "3.8", "wheel-first", "uv", "failed", steps,
                      InterpreterInfo("3.8", "3.8.18", "/py", "64bit", "pyenv"), 3.0, "t", "linux", "spleeter",
                      versions={"spleeter": "2.4.2"}, cleanup=("venv not deleted",))
    return cell.to_json()


def read_one(tmp_path: Path, payload: bytes):
    run = tmp_path / "run"
    (run / "cells").mkdir(parents=True, exist_ok=True)
    (run / "cells" / "3.8--x.json").write_bytes(payload)
    warnings = []
    cells = read_cells(run, warnings.append)
    assert len(cells) + len(warnings) == 1
    for warning in warnings:
        assert warning.startswith(f"warning: {run / 'cells' / '3.8--x.json'}") and "\n" not in warning, warning
    if cells:
        write_reports(cells, tmp_path / "report")  # whatever is accepted must also report
    return cells


@SETTINGS
@given(data=st.data())
def test_any_mutation_of_a_cell_file_is_read_or_skipped_and_reports(tmp_path, data):
    read_one(tmp_path, json.dumps(mutated(valid_cell(), data)).encode("utf-8"))


@SETTINGS
@given(value=values)
def test_any_json_document_as_a_cell_is_read_or_skipped(tmp_path, value):
    read_one(tmp_path, json.dumps(value).encode("utf-8"))


@SETTINGS
@given(blob=st.binary(max_size=200))
def test_any_bytes_as_a_cell_are_skipped_with_one_warning(tmp_path, blob):
    read_one(tmp_path, blob)


def test_a_valid_cell_survives_the_round_trip(tmp_path):
    cell = CellResult.from_json(valid_cell())
    write_cell(tmp_path, cell)
    assert read_cells(tmp_path) == [cell]
