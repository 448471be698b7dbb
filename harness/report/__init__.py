"""Reports from cell results: JUnit XML and the compatibility table (Markdown, JSON, HTML)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from harness.report import render
from harness.report.junit import junit_text
from harness.report.table import Table, build
from harness.results import CellResult


@dataclass(frozen=True)
class ReportFiles:
    junit: Path
    markdown: Path
    json: Path
    html: Path


def write_reports(cells: Sequence[CellResult], out_dir: Path, fallback_order: Sequence[str] = (),
                  strategy_order: Sequence[str] = ()) -> "tuple[Table, ReportFiles]":
    """Write junit.xml and table.{md,json,html} into ``out_dir``; return the table and the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table = build(cells, fallback_order, strategy_order)
    files = ReportFiles(out_dir / "junit.xml", out_dir / "table.md", out_dir / "table.json", out_dir / "table.html")
    files.junit.write_text(junit_text(cells), encoding="utf-8")
    files.markdown.write_text(render.markdown(table), encoding="utf-8")
    files.json.write_text(render.json_text(table), encoding="utf-8")
    files.html.write_text(render.html_text(table), encoding="utf-8")
    return table, files
