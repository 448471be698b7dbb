"""The compatibility table: strategies × interpreters, built once, rendered three ways.

:func:`build` turns cell results into a :class:`Table` value; the Markdown,
JSON and HTML renderers only format that value, so the three files can never
disagree about a cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from harness.console import CELL_MARKS
from harness.matrix import FALLBACK_STRATEGY
from harness.results import PASSED, SKIPPED, TIMEOUT, CellResult, Status, StepKind, version_key

# The marks live in harness.console.
SYMBOLS: Dict[str, str] = {status: mark.glyph for status, mark in CELL_MARKS.items()}


@dataclass(frozen=True)
class Column:
    platform: str  # the cells' column group (CellResult.where): ``windows``, ``resolve-win_amd64``
    python: str
    target: Optional[str] = None  # a dry resolution's target platform (CellResult.target)

    @classmethod
    def of(cls, cell: CellResult) -> "Column":
        return cls(cell.where, cell.python, cell.target)

    @property
    def title(self) -> str:
        if self.target is not None:
            return f"{self.python} · resolves on {self.target}"
        return f"{self.python} · {self.platform}"


@dataclass(frozen=True)
class Footnote:
    """One blocker and its next action, shared by every cell it applies to.

    Thirty cells failing on the same pin are one finding, not thirty: cells
    whose diagnosis reads the same (category, blocker, advice) share a number.
    """

    number: int
    platform: str
    category: str
    blocker: Optional[str]
    next_action: str
    manual_fallback: Tuple[str, ...]
    summary: str
    cells: Tuple[Tuple[str, str, str], ...]  # (python, strategy, step) it applies to

    @property
    def where_parts(self) -> Tuple[Tuple[str, str], ...]:
        """(strategy, "3.8, 3.9") pairs, strategies in first-seen order."""
        order: List[str] = []
        pythons: Dict[str, List[str]] = {}
        for python, strategy, _ in self.cells:
            if strategy not in pythons:
                order.append(strategy)
                pythons[strategy] = []
            pythons[strategy].append(python)
        return tuple((s, ", ".join(pythons[s])) for s in order)

    @property
    def where(self) -> str:
        """``default`` (3.8, 3.9), ``bootstrap`` (3.10)."""
        return "; ".join(f"`{s}` ({pythons})" for s, pythons in self.where_parts)

    @property
    def steps(self) -> Tuple[str, ...]:
        seen: List[str] = []
        for _, _, step in self.cells:
            if step not in seen:
                seen.append(step)
        return tuple(seen)


# What makes two cells share a footnote: (where, category, blocker, next action, manual fallback, summary).
NoteKey = Tuple[str, str, Optional[str], str, Tuple[str, ...], str]


@dataclass(frozen=True)
class TableCell:
    status: Status
    text: str
    footnote: Optional[int] = None
    cell: Optional[CellResult] = None
    disagreement: Optional[int] = None  # the footnote saying why pip's and uv's plans differ


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
    columns = tuple(sorted({Column.of(c) for c in cells},
                           key=lambda col: (col.target is not None, col.platform, version_key(col.python))))
    seen = list(strategy_order) + sorted({c.strategy for c in cells} - set(strategy_order))
    strategies = tuple(s for s in seen if any(c.strategy == s for c in cells))
    table_cells: Dict[Tuple[str, Column], TableCell] = {}
    notes: Dict[NoteKey, Footnote] = {}
    for cell in sorted(cells, key=lambda c: (c.is_dry, c.where, strategies.index(c.strategy),
                                             version_key(c.python))):
        column = Column.of(cell)
        note = _footnote(cell, notes)
        split = _disagreement(cell, notes)
        text = _cell_text(cell, note) + (_second_opinion(cell, split) if split else "")
        table_cells[(cell.strategy, column)] = TableCell(cell.status, text, note.number if note else None, cell,
                                                         split.number if split else None)
    footnotes = sorted(notes.values(), key=lambda n: n.number)
    platforms = sorted({c.where for c in cells if not c.is_dry})
    recs = tuple(recommend(cells, p, fallback_order) for p in platforms if any(
        c.strategy == FALLBACK_STRATEGY and c.where == p for c in cells))
    chain_rows = tuple(sorted((c for c in cells if c.stages), key=lambda c: (
        c.where, version_key(c.python), strategies.index(c.strategy))))
    stage_names: List[str] = []
    for cell in chain_rows:
        for stage in cell.stages:
            if stage.name not in stage_names:
                stage_names.append(stage.name)
    return Table(columns, strategies, table_cells, tuple(footnotes), recs, tuple(stage_names), chain_rows)


def recommend(cells: Sequence[CellResult], platform: str, fallback_order: Sequence[str] = ()) -> Recommendation:
    """The first interpreter (3.11 → 3.10 → …) whose fallback cell passed install *and* chain."""
    mine = {c.python: c for c in cells if c.where == platform and c.strategy == FALLBACK_STRATEGY}
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
        where = f" in {step.name}" if step.kind == StepKind.STAGE else ""
        return step.diagnosis.category + where
    return f"{step.name} {step.status}" + (f" ({step.message})" if step.message else "")


def _footnote(cell: CellResult, notes: Dict[NoteKey, Footnote]) -> Optional[Footnote]:
    """The cell's footnote: an existing one when its diagnosis reads the same, else a new number."""
    step = cell.failing_step
    if cell.status in (PASSED, SKIPPED) or step is None:
        return None
    diagnosis = step.diagnosis
    fields = (
        cell.where,
        diagnosis.category if diagnosis else "other",
        diagnosis.blocker if diagnosis else None,
        diagnosis.next_action if diagnosis else "open the step's log",
        diagnosis.manual_fallback if diagnosis else (),
        (diagnosis.summary if diagnosis else step.message) or step.message,
    )
    here = (cell.python, cell.strategy, step.name)
    known = notes.get(fields)
    note = replace(known, cells=known.cells + (here,)) if known else Footnote(len(notes) + 1, *fields, cells=(here,))
    notes[fields] = note
    return note


DISAGREE = "resolvers-disagree"


def _disagreement(cell: CellResult, notes: Dict[NoteKey, Footnote]) -> Optional[Footnote]:
    """A footnote for a dry cell whose cross-checking resolver (uv, beside pip) reached another plan."""
    check = cell.cross_check
    if check is None or check.agrees:
        return None
    fields = (cell.where, DISAGREE, None,
              "pip's verdict is the cell's: the product installs with pip; uv's is shown for comparison",
              (), f"pip {cell.status}, {check.resolver} {check.status}: {check.why}")
    here = (cell.python, cell.strategy, "plan")
    known = notes.get(fields)
    note = replace(known, cells=known.cells + (here,)) if known else Footnote(len(notes) + 1, *fields, cells=(here,))
    notes[fields] = note
    return note


def _second_opinion(cell: CellResult, note: Footnote) -> str:
    check = cell.cross_check
    assert check is not None
    return f" · {check.resolver}: {SYMBOLS.get(check.status, '?')} [{note.number}]"


def _cell_text(cell: CellResult, note: Optional[Footnote]) -> str:
    symbol = SYMBOLS.get(cell.status, "?")
    if cell.status == PASSED:
        text = symbol
        if cell.winner:
            text += f" via {cell.winner}"
        if cell.stages:
            text += f" · chain {sum(s.status == PASSED for s in cell.stages)}/{len(cell.stages)}"
            if cell.chain_from:
                text += f", chain: same environment as {cell.chain_from}"
        if cell.install_from:
            text += f" · install: same resolution as {cell.install_from}"
    elif cell.status == SKIPPED:
        text = f"{symbol} skipped: {cell.reason}"
    else:
        word = TIMEOUT if cell.status == TIMEOUT else (note.category if note else cell.status)
        text = f"{symbol} {word}"
        if cell.stages and cell.failing_step and cell.failing_step.kind == StepKind.STAGE:
            text += f" in {cell.failing_step.name}"  # a stage that failed or timed out: which one
    if note:
        text += f" [{note.number}]"
    if cell.resumed_from:
        text += " (resumed)"
    return text
