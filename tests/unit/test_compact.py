"""The end-of-run table: the default matrix fits a 120-column terminal; labels and legend read right."""
from __future__ import annotations

from pathlib import Path

import yaml
from cellsets import STRATEGIES, default_matrix_cells, make_cell

from harness.report.compact import LEGEND, WIDTH, compact_text
from harness.report.table import build
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT

ROOT = Path(__file__).resolve().parents[2]


def _default_matrix_table(cells):
    data = yaml.safe_load((ROOT / "matrix.yaml").read_text(encoding="utf-8"))
    assert tuple(s["id"] for s in data["strategies"]) == STRATEGIES, "cellsets.py follows matrix.yaml"
    return build(cells, data["interpreter_fallback"], [s["id"] for s in data["strategies"]])


def test_the_default_matrix_fits_in_120_columns_with_every_group():
    # The merged weekly run: the runner's cells, the win_amd64 dry resolution, the end-user profile,
    # plus a linux group (a developer's ./run.sh matrix merged in): the widest table there is.
    linux = [make_cell(c.python, c.strategy, c.status, "linux", diagnosis=c.diagnosis, reason=c.reason)
             for c in default_matrix_cells(end_user=False) if c.platform == "windows"]
    table = _default_matrix_table(default_matrix_cells() + linux)
    assert len(table.columns) == 16
    text = compact_text(table, "results/merged/table.md")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH, max(lines, key=len)
    assert lines.count(LEGEND) == 1
    row = next(line for line in lines if line.startswith("wheel-first "))
    # Groups: linux, windows, windows end-user, win_amd64 (dry); the jax blocker per platform, then gcs.
    assert row.split() == ["wheel-first", "F1", "ok", "ok", "ok", "F2", "ok", "ok", "ok"] + ["-"] * 4 + ["F3"] * 4
    assert lines[-1] == "full table, footnotes and next actions: results/merged/table.md"


def test_the_full_markdown_row_of_the_same_table_is_far_wider():
    from harness.report.render import markdown

    table = _default_matrix_table(default_matrix_cells())
    widest = max(len(line) for line in markdown(table).splitlines() if line.startswith("| `"))
    assert widest > 2 * WIDTH  # why the terminal gets the compact view


def test_labels_golden():
    cells = [make_cell("3.10", "default", PASSED, "linux"), make_cell("3.11", "default", TIMEOUT, "linux"),
             make_cell("3.10", "source-build", SKIPPED, "linux", reason="needs opt-in"),
             make_cell("3.10", "default", FAILED, "resolve-win_amd64")]
    assert compact_text(build(cells, (), ("default", "source-build"))) == (
        "\n"
        "              linux      win_amd64 (dry)\n"
        "strategy      3.10 3.11  3.10\n"
        "default       ok   T1    F2\n"
        "source-build  skip -     -\n"
        + LEGEND + "\n"
        "[1] other (linux; default (3.11))\n"
        "[2] other (win_amd64 (dry); default (3.10))\n"
    )
