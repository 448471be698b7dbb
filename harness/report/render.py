"""Rendering a :class:`~harness.report.table.Table` as Markdown, JSON and standalone HTML."""
from __future__ import annotations

import json
from typing import Any, Dict, List

from harness.report.table import SYMBOLS, Table
from harness.results import StepResult


def markdown(table: Table, title: str = "spleeter-matrix compatibility") -> str:
    lines = [f"## {title}", ""]
    for rec in table.recommendations:
        lines += [f"**{rec.sentence()}**", ""]
    header = ["strategy"] + [col.title for col in table.columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for strategy in table.strategies:
        row = [f"`{strategy}`"]
        for column in table.columns:
            cell = table.cells.get((strategy, column))
            row.append(_md_escape(cell.text) if cell else "—")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("✅ passed (install + import check, and the smoke chain where it ran) · ❌ failed, with the "
                 "diagnosed category · ⏭ skipped · ⏱ timed out · — not run")
    if table.chain_rows:
        lines += ["", "### Smoke chain", ""]
        header = ["cell"] + list(table.stage_names)
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for cell in table.chain_rows:
            stages = {s.name: s for s in cell.stages}
            row = [f"{cell.python} · {cell.where} · `{cell.strategy}`"]
            row += [_md_escape(stage_text(stages[n])) if n in stages else "—" for n in table.stage_names]
            lines.append("| " + " | ".join(row) + " |")
    if table.footnotes:
        lines += ["", "### Blockers and next actions", ""]
        for note in table.footnotes:
            blocker = f" — blocker `{note.blocker}`" if note.blocker else ""
            steps = ", ".join(f"`{step}`" for step in note.steps)
            lines.append(f"{note.number}. **`{note.category}`**{blocker} on {note.platform}, step {steps}: "
                         f"{_md_escape(note.summary)}  ")
            lines.append(f"   Cells: {note.where}  ")
            lines.append(f"   Next action: {_md_escape(note.next_action)}")
            if note.manual_fallback:
                lines.append("   Manual fallback: " + "; ".join(f"`{c}`" for c in note.manual_fallback))
    return "\n".join(lines) + "\n"


# The figure a reader checks first, per stage; other metrics stay in table.json.
KEY_METRICS = ("sdr_gain_db", "der", "segments", "ducking_db", "clipped_samples", "mp4_duration_s")


def stage_text(stage: StepResult) -> str:
    symbol = SYMBOLS.get(stage.status, "?")
    numeric = {k: v for k, v in stage.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    chosen = [(k, numeric[k]) for k in KEY_METRICS if k in numeric] or sorted(numeric.items())[:2]
    metrics = ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in chosen)
    text = symbol + (f" {metrics}" if metrics else "")
    if stage.status != "passed" and stage.message:
        text += f" — {stage.message}"
    return text


def as_json(table: Table) -> Dict[str, Any]:
    rows: List[Dict[str, Any]] = []
    for strategy in table.strategies:
        cells = {}
        for column in table.columns:
            cell = table.cells.get((strategy, column))
            if not cell:
                continue
            result = cell.cell
            diagnosis = result.diagnosis if result else None
            cells[column.title] = {
                "platform": column.platform, "python": column.python, "status": cell.status,
                "text": cell.text, "footnote": cell.footnote,
                "interpreter": result.interpreter.version if result and result.interpreter else None,
                "winner": result.winner if result else None,
                "versions": result.versions if result else {},
                "reason": result.reason if result else "",
                "diagnosis": diagnosis.to_json() if diagnosis else None,
                "stages": [{"name": s.name, "status": s.status, "message": s.message, "metrics": s.metrics}
                           for s in (result.stages if result else ())],
            }
        rows.append({"strategy": strategy, "cells": cells})
    return {
        "schema": 1,
        "columns": [{"title": c.title, "platform": c.platform, "python": c.python} for c in table.columns],
        "rows": rows,
        "footnotes": [{
            "number": n.number, "platform": n.platform,
            "cells": [{"python": p, "strategy": st, "step": sp} for p, st, sp in n.cells], "category": n.category, "blocker": n.blocker, "next_action": n.next_action,
            "manual_fallback": list(n.manual_fallback), "summary": n.summary,
        } for n in table.footnotes],
        "recommendations": [{
            "platform": r.platform, "python": r.python, "strategy": r.strategy, "winner": r.winner,
            "rejected": [list(x) for x in r.rejected], "sentence": r.sentence(),
        } for r in table.recommendations],
    }


def json_text(table: Table) -> str:
    return json.dumps(as_json(table), indent=2, ensure_ascii=False) + "\n"


def html_text(table: Table, title: str = "spleeter-matrix compatibility", **page_options: Any) -> str:
    """The standalone report page; it lives in :mod:`harness.report.page`."""
    from harness.report.page import page

    return page(table, title, **page_options)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
