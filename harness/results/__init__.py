"""Result values of a run: what each step, stage and cell ended as.

The cell JSON written by :func:`write_cell` is the source of truth of a run: the
reports are rebuilt from these files alone, so a run that was interrupted, or
several runs from several CI jobs, can be merged afterwards.

Everything here is plain frozen data with a JSON round trip; the package imports
nothing from the rest of the harness but :mod:`harness.files` (which imports
nothing), so that every module can use it. One concept per module:

* :mod:`.vocabulary`: the words (``Status``, ``StepKind``, ``Category``) as ``str`` enums;
* :mod:`.diagnosis`: why a step failed;
* :mod:`.records`: steps, interpreters, cells; :mod:`.resolution`: what a dry resolution adds;
* :mod:`.store` and :mod:`.shape`: cell files written, checked, read and merged.
"""
from __future__ import annotations

from harness.results.diagnosis import Diagnosis
from harness.results.records import (
    DRY_LABEL,
    SCHEMA,
    CellResult,
    InterpreterInfo,
    StepResult,
    cell_key,
    dry_label,
    status_after,
)
from harness.results.resolution import CrossCheck, Distribution, PathBudget
from harness.results.store import (
    MAX_CELL_BYTES,
    CellFileError,
    cells_dir,
    merge_runs,
    read_cell,
    read_cells,
    version_key,
    write_cell,
)
from harness.results.vocabulary import (
    BLOCKED,
    CATEGORIES,
    FAILED,
    PASSED,
    SKIPPED,
    STATUSES,
    TIMEOUT,
    Category,
    Status,
    StepKind,
    Vocabulary,
)

__all__ = [
    "BLOCKED", "CATEGORIES", "DRY_LABEL", "FAILED", "MAX_CELL_BYTES", "PASSED", "SCHEMA", "SKIPPED", "STATUSES",
    "TIMEOUT", "Category", "CellFileError", "CellResult", "CrossCheck", "Diagnosis", "Distribution",
    "InterpreterInfo", "PathBudget", "Status", "StepKind", "StepResult", "Vocabulary", "cell_key", "cells_dir",
    "dry_label", "merge_runs", "read_cell", "read_cells", "status_after", "version_key",
    "write_cell",
]
