"""What changed between two runs of the matrix, and the cause the data shows for each change.

The weekly run exists because new wheels on PyPI can break a strategy with no change here; a
red cell alone does not say whether it was red last week, nor why it turned. :func:`compare`
pairs the cells of two results dirs by (where, python, strategy) and, for every cell whose status
moved, lists what the recorded data says moved with it: resolved versions (the cell's key
versions, each step's resolution, ``pip-freeze.txt``), requested pins, the interpreter, the
cell's inputs, the diagnosis and its blocker, steps that began (or stopped) failing, and the
chain metrics (SDR, DER, ...). Cells whose status stayed put but whose versions, diagnosis or
metrics moved are listed too, and cells added or gone.

Rendered as Markdown (the job summary, the terminal) and JSON; ``--fail-on`` turns it into an
exit code a workflow can act on.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from harness.report.causes import Cause, causes_between
from harness.report.runs import Identity, LoadedCell, load
from harness.report.table import SYMBOLS
from harness.results import PASSED, CellResult, version_key

# How a cell moved between the runs.
REGRESSION = "regression"  # passed → failed / timed out / blocked
FIXED = "fixed"  # failed / timed out / blocked → passed
CHANGED = "changed"  # any other status move (e.g. failed → timeout, passed → skipped)
MOVED = "moved"  # same status, but versions, diagnosis or metrics moved
ADDED = "added"
GONE = "gone"
KINDS = (REGRESSION, FIXED, CHANGED, MOVED, ADDED, GONE)

SHOWN_VERSIONS = 8  # per cell in Markdown; JSON has them all



@dataclass(frozen=True)
class CellChange:
    where: str
    python: str
    strategy: str
    kind: str
    old_status: Optional[str]
    new_status: Optional[str]
    causes: Tuple[Cause, ...] = ()
    old_text: str = ""  # status plus the diagnosed category, e.g. "failed (no-wheel-for-platform)"
    new_text: str = ""
    target: Optional[str] = None  # a dry resolution's target platform (CellResult.target)

    @property
    def label(self) -> str:
        where = self.where if self.target is None else f"resolves on {self.target}"
        return f"{self.python} · {where} · `{self.strategy}`"

    def to_json(self) -> Dict[str, Any]:
        return {"where": self.where, "python": self.python, "strategy": self.strategy, "change": self.kind,
                "old_status": self.old_status, "new_status": self.new_status, "old": self.old_text,
                "new": self.new_text, "causes": [c.to_json() for c in self.causes]}


@dataclass(frozen=True)
class RunDiff:
    old: str
    new: str
    old_cells: int
    new_cells: int
    changes: Tuple[CellChange, ...]
    unchanged: int  # cells in both runs with nothing moved

    def of(self, kind: str) -> Tuple[CellChange, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> Dict[str, int]:
        return {kind: len(self.of(kind)) for kind in KINDS}


# ----------------------------------------------------------------------------- comparing


def compare(old_dir: Path, new_dir: Path) -> "RunDiff":
    """The diff of two results dirs (each a run dir, a merged dir, or a folder of run dirs)."""
    return compare_loaded(load(old_dir), load(new_dir), str(old_dir), str(new_dir))


def compare_loaded(old: Dict[Identity, LoadedCell], new: Dict[Identity, LoadedCell],
                   old_name: str = "old", new_name: str = "new") -> "RunDiff":
    changes: List[CellChange] = []
    for ident in sorted(set(old) | set(new), key=lambda i: (i[0], version_key(i[1]), i[2])):
        before, after = old.get(ident), new.get(ident)
        if before is None or after is None:
            present = (after or before)
            assert present is not None
            kind = ADDED if before is None else GONE
            text = status_text(present.cell)
            changes.append(CellChange(*ident, kind=kind,
                                      old_status=None if before is None else before.cell.status,
                                      new_status=None if after is None else after.cell.status,
                                      old_text="" if before is None else text, new_text=text if before is None else "",
                                      target=present.cell.target))
            continue
        change = _paired(ident, before, after)
        if change is not None:
            changes.append(change)
    paired = len(set(old) & set(new))
    moved = sum(c.kind not in (ADDED, GONE) for c in changes)
    return RunDiff(old_name, new_name, len(old), len(new), tuple(changes), paired - moved)


def _paired(ident: Identity, before: LoadedCell, after: LoadedCell) -> Optional[CellChange]:
    causes = tuple(causes_between(before, after))
    old_status, new_status = before.cell.status, after.cell.status
    if old_status == new_status:
        if not causes:
            return None
        kind = MOVED
    elif old_status == PASSED and new_status.bad:
        kind = REGRESSION
    elif old_status.bad and new_status == PASSED:
        kind = FIXED
    else:
        kind = CHANGED
    if kind != MOVED and not causes:
        causes = (Cause("unknown", "nothing recorded moved (versions, pins, inputs and diagnosis read the same): "
                                   "compare the step logs"),)
    return CellChange(*ident, kind=kind, old_status=old_status, new_status=new_status, causes=causes,
                      old_text=status_text(before.cell), new_text=status_text(after.cell), target=after.cell.target)



def status_text(cell: CellResult) -> str:
    """``✅ passed``, ``❌ failed (no-wheel-for-platform)``: the glyph always with its word."""
    text = f"{SYMBOLS.get(cell.status, '?')} {cell.status}"
    diagnosis = cell.diagnosis
    if cell.status.bad and diagnosis:
        text += f" ({diagnosis.category})"
    return text


# ----------------------------------------------------------------------------- rendering

SECTIONS = (
    (REGRESSION, "Regressions: passed before, failing now"),
    (FIXED, "Fixed: failing before, passing now"),
    (CHANGED, "Other status changes"),
    (MOVED, "Same status, but something moved"),
    (ADDED, "Added (not in the previous run)"),
    (GONE, "Gone (in the previous run, not in this one)"),
)


def summary_line(diff: RunDiff) -> str:
    counts = diff.counts()
    parts = [f"{counts[REGRESSION]} regression" + ("" if counts[REGRESSION] == 1 else "s"),
             f"{counts[FIXED]} fixed", f"{counts[CHANGED]} other status changes",
             f"{counts[MOVED]} with the same status but something moved",
             f"{counts[ADDED]} added", f"{counts[GONE]} gone", f"{diff.unchanged} unchanged"]
    if counts[REGRESSION]:
        parts[0] = f"**{parts[0]}**"
    return ", ".join(parts)


def markdown(diff: RunDiff, title: str = "What changed since the previous run") -> str:
    lines = [f"## {title}", "",
             f"Compared {_md(diff.old)} ({diff.old_cells} cells) with {_md(diff.new)} ({diff.new_cells} cells): "
             f"{summary_line(diff)}.", ""]
    if not diff.changes:
        lines += ["Nothing changed: every cell has the status, versions, diagnosis and chain metrics it had.", ""]
    for kind, heading in SECTIONS:
        changes = diff.of(kind)
        if not changes:
            continue
        lines += [f"### {heading}", ""]
        for change in changes:
            if kind in (ADDED, GONE):
                lines.append(f"- **{change.label}**: {change.new_text or change.old_text}")
                continue
            move = (f"{change.old_text} → {change.new_text}" if change.old_text != change.new_text
                    else change.new_text)
            lines.append(f"- **{change.label}**: {move}")
            lines += [f"  - {cause.text}" for cause in _shown(change.causes)]
        lines.append("")
    return "\n".join(lines)


def _shown(causes: Sequence[Cause]) -> List[Cause]:
    versions = [c for c in causes if c.kind == "version"]
    if len(versions) <= SHOWN_VERSIONS:
        return list(causes)
    hidden = versions[SHOWN_VERSIONS:]
    kept = [c for c in causes if c not in hidden]
    return kept + [Cause("version", f"… and {len(hidden)} more version changes (see diff.json)")]


def _md(name: str) -> str:
    return name if name.startswith(("run ", "the ")) else f"`{name}`"


def as_json(diff: RunDiff) -> Dict[str, Any]:
    return {"schema": 1, "old": diff.old, "new": diff.new, "old_cells": diff.old_cells,
            "new_cells": diff.new_cells, "unchanged": diff.unchanged, "counts": diff.counts(),
            "changes": [c.to_json() for c in diff.changes]}


# ----------------------------------------------------------------------------- command line

FAIL_ON = ("regressions", "changes", "never")


def exit_code(diff: RunDiff, fail_on: str) -> int:
    """1 when ``fail_on`` is met: any regression, or any status change / added / gone cell."""
    if fail_on == "regressions":
        return 1 if diff.of(REGRESSION) else 0
    if fail_on == "changes":
        return 1 if any(c.kind != MOVED for c in diff.changes) else 0
    return 0


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    """Add ``diff OLD NEW`` to the harness's command line."""
    parser = sub.add_parser("diff", help="what changed between two results dirs (merged or not), and why")
    parser.add_argument("old", type=Path, help="the earlier results dir (a run dir, results/merged, or a folder "
                                               "of run dirs)")
    parser.add_argument("new", type=Path, help="the later results dir")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--md-out", type=Path, default=None, help="also write the Markdown here")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--old-label", default=None, help="how to name the earlier run (default: its path)")
    parser.add_argument("--new-label", default=None, help="how to name the later run (default: its path)")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="never",
                        help="exit 1 on any regression, on any status change or added/gone cell, or never "
                             "(the default)")
    parser.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    diff = compare_loaded(load(args.old), load(args.new), args.old_label or str(args.old),
                          args.new_label or str(args.new))
    text, data = markdown(diff), json.dumps(as_json(diff), indent=2, ensure_ascii=False) + "\n"
    for target, content in ((args.md_out, text), (args.json_out, data)):
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    sys.stdout.write(data if args.json else text)
    return exit_code(diff, args.fail_on)
