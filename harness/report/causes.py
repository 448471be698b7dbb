"""What the recorded data shows moved with a cell between two runs: its causes.

Versions (the cell's key versions, each step's resolution, ``pip-freeze.txt``), requested pins,
the interpreter, the inputs, the diagnosis and its blocker, steps that began or stopped failing,
and the chain metrics. :mod:`harness.report.diff` pairs the cells and says which kind of change
each one is; this module only reads the two cells of a pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from harness.diagnose.reqs import canonical
from harness.report.render import KEY_METRICS
from harness.report.runs import LoadedCell
from harness.resolve import parse_compiled  # a pip freeze has the same name==version lines
from harness.results import PASSED, CellResult, Diagnosis, StepKind, StepResult
from harness.versions import pin

# The chain figures worth naming when they move (the table's own); rounding hides float noise between runs.
METRICS = KEY_METRICS
METRIC_DIGITS = 2
# Packages a reader looks for first in a version change; the rest follow alphabetically.
FIRST_PACKAGES = ("spleeter", "tensorflow", "tensorflow-intel", "tensorflow-io-gcs-filesystem", "numpy")

@dataclass(frozen=True)
class Cause:
    """One thing the data shows moved with a cell: a version, a pin, a blocker, a step, a metric."""

    kind: str  # version | pin | interpreter | inputs | winner | diagnosis | step | metric | reason | unknown
    text: str  # Markdown, one line
    subject: str = ""  # the package, step or metric
    old: Optional[str] = None
    new: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "old": self.old, "new": self.new, "text": self.text}

def causes_between(before: LoadedCell, after: LoadedCell) -> List[Cause]:
    old, new = before.cell, after.cell
    causes: List[Cause] = []
    causes += _diagnosis_causes(old, new)
    causes += _step_causes(old, new)
    causes += _pin_causes(old, new)
    if old.inputs_digest and new.inputs_digest and old.inputs_digest != new.inputs_digest:
        causes.append(Cause("inputs", "the cell's inputs changed here (matrix.yaml: its strategy, pins, pack or "
                                      "chain, or the interpreter)", "inputs", old.inputs_digest, new.inputs_digest))
    causes += _version_causes(resolved_versions(old, before.root), resolved_versions(new, after.root))
    causes += _metric_causes(old, new)
    old_py = old.interpreter.version if old.interpreter else None
    new_py = new.interpreter.version if new.interpreter else None
    if old_py and new_py and old_py != new_py:
        causes.append(Cause("interpreter", f"interpreter {old_py} → {new_py}", "python", old_py, new_py))
    if old.winner != new.winner and (old.winner or new.winner):
        causes.append(Cause("winner", f"installed by `{new.winner or 'none'}` (was `{old.winner or 'none'}`)",
                            "winner", old.winner, new.winner))
    if old.reason != new.reason and (old.reason and new.reason):
        causes.append(Cause("reason", f"skip reason: {new.reason} (was: {old.reason})", "reason", old.reason,
                            new.reason))
    return causes


def _diagnosis_causes(old: CellResult, new: CellResult) -> List[Cause]:
    before, after = old.diagnosis, new.diagnosis
    def key(found: Optional[Diagnosis]) -> Optional[Tuple[str, Optional[str]]]:
        return (found.category, found.blocker) if found else None

    if key(before) == key(after):
        return []
    if after is None:
        assert before is not None
        return [Cause("diagnosis", f"blocker gone: `{before.category}`" + _blocker(before.blocker), "diagnosis",
                      before.category, None)]
    step = new.failing_step
    where = f" in {'stage' if step and step.kind == StepKind.STAGE else 'step'} `{step.name}`" if step else ""
    was = f" (was `{before.category}`{_blocker(before.blocker)})" if before else ""
    summary = f": {after.summary}" if after.summary and after.summary != after.category else ""
    return [Cause("diagnosis", f"new blocker: `{after.category}`{_blocker(after.blocker)}{where}{summary}{was}",
                  "diagnosis", before.category if before else None, after.category)]


def _blocker(blocker: Optional[str]) -> str:
    return f" (`{blocker}`)" if blocker else ""


def _step_causes(old: CellResult, new: CellResult) -> List[Cause]:
    """Steps and stages that began to fail, or that pass again, by name."""
    before = {s.name: s for s in old.steps}
    causes: List[Cause] = []
    for step in new.steps:
        was = before.get(step.name)
        noun = "stage" if step.kind == StepKind.STAGE else "step"
        # A diagnosed step's message is the diagnosis headline, which its own cause already says.
        message = f": {step.message}" if step.message and step.status != PASSED and not step.diagnosis else ""
        if was is None:
            if step.status.bad:
                causes.append(Cause("step", f"{noun} `{step.name}` (new in this run) {step.status}{message}",
                                    step.name, None, step.status))
        elif was.status == PASSED and step.status.bad:
            causes.append(Cause("step", f"{noun} `{step.name}` began to fail{message}", step.name, was.status,
                                step.status))
        elif was.status.bad and step.status == PASSED:
            causes.append(Cause("step", f"{noun} `{step.name}` passes again", step.name, was.status, step.status))
    return causes


def resolved_versions(cell: CellResult, root: Optional[Path] = None) -> Dict[str, str]:
    """Every version the cell's data records: key versions, each step's resolution, the venv's freeze.

    ``root`` is the results dir holding the cell's logs (its ``pip-freeze.txt``), when there is one.
    """
    found: Dict[str, str] = {}
    freeze = Path(root) / "logs" / cell.key / "pip-freeze.txt" if root is not None else None
    if freeze is not None and freeze.is_file():
        found.update(parse_compiled(freeze.read_text(encoding="utf-8", errors="replace")))
    for step in cell.steps:
        for name in ("resolved", "versions"):
            value = step.metrics.get(name)
            if isinstance(value, dict):
                found.update({canonical(k): str(v) for k, v in value.items()})
    found.update({canonical(k): str(v) for k, v in cell.versions.items()})
    return found


def _version_causes(old: Dict[str, str], new: Dict[str, str]) -> List[Cause]:
    """Versions that changed; appeared/vanished ones only when both sides resolved something."""
    names = [n for n in set(old) & set(new) if old[n] != new[n]]
    if old and new:
        names += [n for n in set(old) ^ set(new)]
    causes = []
    for name in sorted(names, key=package_order):
        before, after = old.get(name), new.get(name)
        text = (f"`{name}` {before} → {after}" if before and after else
                f"`{name}` {after} (new)" if after else f"`{name}` {before} (gone)")
        causes.append(Cause("version", text, name, before, after))
    return causes


def package_order(name: str) -> Tuple[int, str]:
    return (FIRST_PACKAGES.index(name) if name in FIRST_PACKAGES else len(FIRST_PACKAGES), name)


def _pin_causes(old: CellResult, new: CellResult) -> List[Cause]:
    """Requirements the installer was asked for (``name==version`` in a step's argv) that differ."""
    before = {s.name: _pins(s) for s in old.steps}
    causes = []
    for step in new.steps:
        pins, was = _pins(step), before.get(step.name)
        if was is None:
            continue
        for name in sorted(set(pins) | set(was), key=package_order):
            a, b = was.get(name), pins.get(name)
            if a == b:
                continue
            text = (f"requested `{name}=={a}` → `{name}=={b}`" if a and b else
                    f"requested `{name}=={b}`, a new pin" if b else f"no longer requests `{name}=={a}`")
            causes.append(Cause("pin", f"{text} (step `{step.name}`)", name, a, b))
    return causes


def _pins(step: StepResult) -> Dict[str, str]:
    """The name==version pins on a step's command line (names canonical)."""
    return dict(filter(None, (pin(token) for token in step.command)))


def _metric_causes(old: CellResult, new: CellResult) -> List[Cause]:
    before = {s.name: s for s in old.stages}
    causes = []
    for stage in new.stages:
        was = before.get(stage.name)
        if was is None:
            continue
        for metric in METRICS:
            a, b = _number(was.metrics.get(metric)), _number(stage.metrics.get(metric))
            if a is None or b is None or round(a, METRIC_DIGITS) == round(b, METRIC_DIGITS):
                continue
            shown_a, shown_b = _fmt(a), _fmt(b)
            causes.append(Cause("metric", f"{stage.name} {metric} {shown_a} → {shown_b}", f"{stage.name}.{metric}",
                                shown_a, shown_b))
    return causes


def _number(value: Any) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.{METRIC_DIGITS}f}"
