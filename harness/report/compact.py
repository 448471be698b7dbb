"""The table as a terminal shows it at the end of a run: short labels, one legend line, ≤ 120 columns.

table.md spells every cell out ("⏭ skipped: needs opt-in (--allow-source-builds)"), which makes
a row of the default matrix ~600 characters wide: fine for a job summary, unreadable in a
terminal. Here a cell is a label of a few ASCII characters (``ok``, ``F3`` for "failed, blocker
3", ``skip``), a column group per platform, and one short line per blocker under it; emoji are
left out because terminals disagree on how wide they are.
"""
from __future__ import annotations

import textwrap
from typing import Dict, List, Sequence, Tuple

from harness.console import CELL_MARKS, NOT_RUN, UNKNOWN
from harness.report.table import Column, Table, TableCell
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT

WIDTH = 120
GAP = "  "  # between column groups
_ASCII = {status: mark.ascii for status, mark in CELL_MARKS.items()}
LEGEND = (f"{_ASCII[PASSED]} passed (install, import check, chain) · {_ASCII[FAILED]}n failed, blocker n below · "
          f"{_ASCII[TIMEOUT]}n timed out · {_ASCII[SKIPPED]} skipped · {NOT_RUN.ascii} not run")


def label(cell: TableCell) -> str:
    mark = CELL_MARKS.get(cell.status, UNKNOWN).ascii
    return mark if cell.status in (PASSED, SKIPPED) else f"{mark}{cell.footnote or ''}"


def group_title(column: Column) -> str:
    if column.target is not None:
        return column.target + " (dry)"
    return column.platform.replace(" · ", " ").replace(" profile", "")


def _groups(columns: Sequence[Column]) -> List[Tuple[str, List[Column]]]:
    groups: Dict[str, List[Column]] = {}
    for column in columns:
        groups.setdefault(column.platform, []).append(column)
    return list(groups.items())


def compact_text(table: Table, markdown_path: str = "", width: int = WIDTH) -> str:
    """The compact view; every line fits in ``width`` columns (a long blocker line is cut with …)."""
    groups = _groups(table.columns)
    titles = {column.platform: group_title(column) for column in table.columns}
    labels = {key: label(cell) for key, cell in table.cells.items()}
    cell_width = max([len(v) for v in labels.values()] + [len(c.python) for c in table.columns] + [2])
    first = max([len(s) for s in table.strategies] + [len("strategy")])

    def columns_width(columns: Sequence[Column]) -> int:
        return len(columns) * cell_width + (len(columns) - 1)

    # A group is as wide as its columns or its title, whichever is wider; its columns pad to that.
    widths = [max(columns_width(cols), len(titles[p])) for p, cols in groups]

    def row(texts: Sequence[Sequence[str]]) -> str:
        return GAP.join(" ".join(t.ljust(cell_width) for t in group).ljust(w) for group, w in zip(texts, widths))

    head_groups = GAP.join(titles[p].ljust(w) for (p, _), w in zip(groups, widths))
    head_pythons = row([[c.python for c in cols] for _, cols in groups])
    lines = [line for r in table.recommendations
             for line in textwrap.wrap(r.sentence().replace("`", ""), width, subsequent_indent="  ")]
    lines += ["", f"{'':<{first}}  {head_groups}".rstrip(), f"{'strategy':<{first}}  {head_pythons}".rstrip()]
    for strategy in table.strategies:
        cells = row([[labels.get((strategy, c), NOT_RUN.ascii) for c in cols] for _, cols in groups])
        lines.append(f"{strategy:<{first}}  {cells}".rstrip())
    lines.append(_fit(LEGEND, width))
    for note in table.footnotes:
        blocker = f" {note.blocker}" if note.blocker else ""
        lines.append(_fit(f"[{note.number}] {note.category}{blocker} ({titles[note.platform]}; "
                          f"{note.where.replace('`', '')})", width))
    if markdown_path:
        lines.append(_fit(f"full table, footnotes and next actions: {markdown_path}", width))
    return "\n".join(lines) + "\n"


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[:width - 1] + "…"
