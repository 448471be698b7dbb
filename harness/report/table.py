"""The compatibility table: strategies × interpreters, built once, rendered three ways.

:func:`build` turns cell results into a :class:`Table` value; the Markdown,
JSON and HTML renderers only format that value, so the three files can never
disagree about a cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from harness.results import BLOCKED, FAILED, PASSED, SKIPPED, TIMEOUT, CellResult, version_key

SYMBOLS = {PASSED: "✅", FAILED: "❌", BLOCKED: "❌", SKIPPED: "⏭", TIMEOUT: "⏱"}
FALLBACK_STRATEGY = "resilient"
DRY_PREFIX = "resolve-"  # platform tag of dry-resolution cells, e.g. "resolve-win_amd64"


@dataclass(frozen=True)
class Column:
    platform: str
    python: str

    @property
    def title(self) -> str:
        if self.platform.startswith(DRY_PREFIX):
            return f"{self.python} · resolves on {self.platform[len(DRY_PREFIX):]}"
        return f"{self.python} · {self.platform}"


@dataclass(frozen=True)
class Footnote:
    number: int
    python: str
    platform: str
    strategy: str
    step: str
    category: str
    blocker: Optional[str]
    next_action: str
    manual_fallback: Tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class TableCell:
    status: str
    text: str
    footnote: Optional[int] = None
    cell: Optional[CellResult] = None


@dataclass(frozen=True)
class Recommendation:
    python: Optional[str]
    platform: str
    strategy: str
    winner: Optional[str]
    rejected: Tuple[Tuple[str, str], ...]  # (python, why) for the ones tried before it

    def sentence(self) -> str:
        why = "; ".join(f"{py}: {reason}" for py, reason in self.rejected)
        if self.python is None:
            return (f"No interpreter passes `{self.strategy}` on {self.platform}"
                    + (f" ({why})." if why else ".") + " See the footnotes for each blocker.")
        won = f", installed by `{self.winner}`" if self.winner else ""
        before = f" Tried first: {why}." if why else ""
        return f"Recommended on {self.platform}: Python {self.python} with `{self.strategy}`{won}.{before}"


@dataclass(frozen=True)
class Table:
    columns: Tuple[Column, ...]
    strategies: Tuple[str, ...]
    cells: Dict[Tuple[str, Column], TableCell]
    footnotes: Tuple[Footnote, ...]
    recommendations: Tuple[Recommendation, ...]
    stage_names: Tuple[str, ...] = ()
    chain_rows: Tuple[CellResult, ...] = field(default_factory=tuple)


def build(cells: Sequence[CellResult], fallback_order: Sequence[str] = (),
          strategy_order: Sequence[str] = ()) -> Table:
    columns = tuple(sorted({Column(c.platform, c.python) for c in cells},
                           key=lambda col: (col.platform.startswith(DRY_PREFIX), col.platform,
                                            version_key(col.python))))
    seen = list(strategy_order) + sorted({c.strategy for c in cells} - set(strategy_order))
    strategies = tuple(s for s in seen if any(c.strategy == s for c in cells))
    table_cells: Dict[Tuple[str, Column], TableCell] = {}
    footnotes: List[Footnote] = []
    for cell in sorted(cells, key=lambda c: (strategies.index(c.strategy), c.platform, version_key(c.python))):
        column = Column(cell.platform, cell.python)
        note = _footnote(cell, len(footnotes) + 1)
        if note:
            footnotes.append(note)
        table_cells[(cell.strategy, column)] = TableCell(cell.status, _cell_text(cell, note), note.number if note else None, cell)
    platforms = sorted({c.platform for c in cells if not c.platform.startswith(DRY_PREFIX)})
    recs = tuple(recommend(cells, p, fallback_order) for p in platforms if any(
        c.strategy == FALLBACK_STRATEGY and c.platform == p for c in cells))
    chain_rows = tuple(c for c in cells if c.stages)
    stage_names: List[str] = []
    for cell in chain_rows:
        for stage in cell.stages:
            if stage.name not in stage_names:
                stage_names.append(stage.name)
    return Table(columns, strategies, table_cells, tuple(footnotes), recs, tuple(stage_names), chain_rows)


def recommend(cells: Sequence[CellResult], platform: str, fallback_order: Sequence[str] = ()) -> Recommendation:
    """The first interpreter (3.11 → 3.10 → …) whose fallback cell passed install *and* chain."""
    mine = {c.python: c for c in cells if c.platform == platform and c.strategy == FALLBACK_STRATEGY}
    order = list(fallback_order) or sorted(mine, key=version_key, reverse=True)
    rejected: List[Tuple[str, str]] = []
    for python in order:
        cell = mine.get(python)
        if cell is None:
            continue
        if cell.status == PASSED:
            return Recommendation(python, platform, FALLBACK_STRATEGY, cell.winner, tuple(rejected))
        rejected.append((python, _why(cell)))
    return Recommendation(None, platform, FALLBACK_STRATEGY, None, tuple(rejected))


def _why(cell: CellResult) -> str:
    step = cell.failing_step
    if step is None:
        return cell.reason or cell.status
    if step.diagnosis:
        where = f" in {step.name}" if step.kind == "stage" else ""
        return step.diagnosis.category + where
    return f"{step.name} {step.status}" + (f" ({step.message})" if step.message else "")


def _footnote(cell: CellResult, number: int) -> Optional[Footnote]:
    step = cell.failing_step
    if cell.status in (PASSED, SKIPPED) or step is None:
        return None
    diagnosis = step.diagnosis
    return Footnote(
        number=number, python=cell.python, platform=cell.platform, strategy=cell.strategy, step=step.name,
        category=diagnosis.category if diagnosis else "other",
        blocker=diagnosis.blocker if diagnosis else None,
        next_action=diagnosis.next_action if diagnosis else "open the step's log",
        manual_fallback=diagnosis.manual_fallback if diagnosis else (),
        summary=(diagnosis.summary if diagnosis else step.message) or step.message,
    )


def _cell_text(cell: CellResult, note: Optional[Footnote]) -> str:
    symbol = SYMBOLS.get(cell.status, "?")
    if cell.status == PASSED:
        text = symbol
        if cell.winner:
            text += f" via {cell.winner}"
        if cell.stages:
            text += f" · chain {sum(s.status == PASSED for s in cell.stages)}/{len(cell.stages)}"
    elif cell.status == SKIPPED:
        text = f"{symbol} skipped: {cell.reason}"
    elif cell.status == TIMEOUT:
        text = f"{symbol} timeout"
    else:
        text = f"{symbol} {note.category if note else cell.status}"
        if cell.stages and cell.failing_step and cell.failing_step.kind == "stage":
            text += f" in {cell.failing_step.name}"
    if note:
        text += f" [{note.number}]"
    if cell.resumed_from:
        text += " (resumed)"
    return text
