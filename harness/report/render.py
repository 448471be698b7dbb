"""Rendering a :class:`~harness.report.table.Table` as Markdown, JSON and standalone HTML."""
from __future__ import annotations

import html
import json
import re
from typing import Any, Dict, List, Optional

from harness.console import NOT_RUN
from harness.report.table import SYMBOLS, Table
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT, CellResult, PathBudget, StepResult, version_key


def markdown(table: Table, title: str = "spleeter-matrix compatibility") -> str:
    """The table as GitHub Markdown. Everything that comes from a log, a cell file or matrix.yaml is
    escaped: the job summary renders raw HTML, so a ``<img>`` in a pip log must arrive as text."""
    e = _md_escape
    lines = [f"## {e(title)}", ""]
    for rec in table.recommendations:
        lines += [f"**{e(rec.sentence())}**", ""]
    header = ["strategy"] + [e(col.title) for col in table.columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for strategy in table.strategies:
        row = [_md_code(strategy)]
        for column in table.columns:
            cell = table.cells.get((strategy, column))
            row.append(_md_escape(cell.text) if cell else "—")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append(f"{SYMBOLS[PASSED]} passed (install + import check, and the smoke chain where it ran) · "
                 f"{SYMBOLS[FAILED]} failed, with the diagnosed category · {SYMBOLS[SKIPPED]} skipped · "
                 f"{SYMBOLS[TIMEOUT]} timed out · {NOT_RUN.glyph} not run")
    if table.chain_rows:
        lines += ["", "### Smoke chain", ""]
        header = ["cell"] + list(table.stage_names)
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for chained in table.chain_rows:
            stages = {s.name: s for s in chained.stages}
            row = [f"{e(chained.python)} · {e(chained.where)} · {_md_code(chained.strategy)}"]
            row += [_md_escape(stage_text(stages[n])) if n in stages else "—" for n in table.stage_names]
            lines.append("| " + " | ".join(row) + " |")
    budgets = [(c.cell, c.cell.path_budget) for c in table.cells.values() if c.cell and c.cell.path_budget]
    if budgets:
        lines += ["", "### Windows path budget (from the plan's wheels)", "",
                  "| cell | deepest file below site-packages | venv root at most | read from |", "|---|---|---|---|"]
        for result, b in sorted(budgets, key=lambda p: (version_key(p[0].python), p[0].strategy)):
            lines.append(f"| {result.python} · `{result.strategy}` | {b.longest_relpath} chars "
                         f"(`{b.wheel}`) | **{b.venv_root_max}** chars | {_md_escape(b.source)} |")
    predicted = [(c.cell, s.diagnosis) for c in table.cells.values() if c.cell for s in c.cell.steps
                 if s.name == "inspect-wheels" and s.diagnosis]
    if predicted:
        lines += ["", "### Predicted DLL load failures (PE imports of the plan's binaries)", ""]
        for result, found in sorted(predicted, key=lambda p: (version_key(p[0].python), p[0].strategy)):
            lines.append(f"- {result.python} · `{result.strategy}`: {_md_escape(found.summary)}; "
                         f"next action: {_md_escape(found.next_action)}")
    if table.footnotes:
        lines += ["", "### Blockers and next actions", ""]
        for note in table.footnotes:
            blocker = f" — blocker {_md_code(note.blocker)}" if note.blocker else ""
            steps = ", ".join(_md_code(step) for step in note.steps)
            where = "; ".join(f"{_md_code(strategy)} ({e(pythons)})" for strategy, pythons in note.where_parts)
            lines.append(f"{note.number}. **{_md_code(note.category)}**{blocker} on {e(note.platform)}, step {steps}: "
                         f"{e(note.summary)}  ")
            lines.append(f"   Cells: {where}  ")
            lines.append(f"   Next action: {e(note.next_action)}")
            if note.manual_fallback:
                lines.append("   Manual fallback: " + "; ".join(_md_code(c) for c in note.manual_fallback))
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
            if result and result.is_dry:
                cells[column.title].update(plan_json(result, cell.disagreement))
        rows.append({"strategy": strategy, "cells": cells})
    return {
        "schema": 1,
        "columns": [{"title": c.title, "platform": c.platform, "python": c.python} for c in table.columns],
        "rows": rows,
        "footnotes": [{
            "number": n.number, "platform": n.platform,
            "cells": [{"python": p, "strategy": st, "step": sp} for p, st, sp in n.cells], "category": n.category,
            "blocker": n.blocker, "next_action": n.next_action,
            "manual_fallback": list(n.manual_fallback), "summary": n.summary,
        } for n in table.footnotes],
        "recommendations": [{
            "platform": r.platform, "python": r.python, "strategy": r.strategy, "winner": r.winner,
            "rejected": [list(x) for x in r.rejected], "sentence": r.sentence(),
        } for r in table.recommendations],
    }


def plan_json(result: CellResult, disagreement: Optional[int]) -> Dict[str, Any]:
    """A dry cell's plan: its files, the cross-checking resolver, and (win_amd64) its MAX_PATH budget."""
    budget = result.path_budget
    inspected = next((s for s in result.steps if s.name == "inspect-wheels"), None)
    return {
        "dll_prediction": dict(inspected.metrics, headline=inspected.message) if inspected else None,
        "distributions": [d.to_json() for d in result.distributions],
        "cross_check": dict(result.cross_check.to_json(), footnote=disagreement) if result.cross_check else None,
        "path_budget": dict(budget.to_json(), sentence=budget_sentence(budget)) if budget else None,
    }


def budget_sentence(budget: PathBudget) -> str:
    return (f"deepest file {budget.longest_relpath} characters below Lib\\site-packages\\ ({budget.wheel}); "
            f"with long paths off, the venv root may be at most {budget.venv_root_max} characters")


def json_text(table: Table) -> str:
    return json.dumps(as_json(table), indent=2, ensure_ascii=False) + "\n"


def html_text(table: Table, title: str = "spleeter-matrix compatibility", **page_options: Any) -> str:
    """The standalone report page; it lives in :mod:`harness.report.page`."""
    from harness.report.page import page

    return page(table, title, **page_options)


def _md_escape(text: str) -> str:
    """Plain text inside a Markdown table cell: no HTML, no cell break, one line."""
    text = html.escape(" ".join(str(text).splitlines()), quote=False)
    return text.replace("|", "\\|")


def _md_code(text: str) -> str:
    """A code span whose content cannot close it early (a fence longer than any backtick run inside)."""
    text = " ".join(str(text).splitlines()).replace("|", "\\|")
    longest = max([0] + [len(m) for m in re.findall(r"`+", text)])
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"
