"""Reports from cell results: JUnit XML, the compatibility table (Markdown, JSON), the report page."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from harness.report import render
from harness.report.junit import junit_text
from harness.report.table import Table, build
from harness.results import CellResult

if TYPE_CHECKING:
    from harness.report.diff import RunDiff


@dataclass(frozen=True)
class ReportFiles:
    junit: Path
    markdown: Path
    json: Path
    html: Path


def write_reports(cells: Sequence[CellResult], out_dir: Path, fallback_order: Sequence[str] = (),
                  strategy_order: Sequence[str] = (), diff: "Optional[RunDiff]" = None) -> "tuple[Table, ReportFiles]":
    """Write junit.xml and table.{md,json,html} into ``out_dir``; return the table and the paths.

    ``diff`` (a :class:`harness.report.diff.RunDiff` against the previous run) opens the page.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    table = build(cells, fallback_order, strategy_order)
    files = ReportFiles(out_dir / "junit.xml", out_dir / "table.md", out_dir / "table.json", out_dir / "table.html")
    files.junit.write_text(junit_text(cells), encoding="utf-8")
    files.markdown.write_text(render.markdown(table), encoding="utf-8")
    files.json.write_text(render.json_text(table), encoding="utf-8")
    files.html.write_text(render.html_text(table, root=out_dir, diff=diff), encoding="utf-8")
    return table, files
