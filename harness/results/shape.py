"""The types a cell file must have before it becomes values.

A report built from a cell file must not crash on a number where a string belongs: each
field's type is checked first, and the first problem is named with its place in the file
(``cell.steps[2].status``).
"""
from __future__ import annotations

import math
from typing import Any, Tuple, Type

from harness.results.vocabulary import STATUSES

# (field, types, required)
_Spec = Tuple[Tuple[str, Tuple[Type[Any], ...], bool], ...]
_STR, _OPT_STR, _NUM = (str,), (str, type(None)), (int, float)
_CELL_FIELDS = (("run_id", _STR, True), ("python", _STR, True), ("strategy", _STR, True), ("status", _STR, True),
                ("installer", _STR, False), ("duration", _NUM, False), ("started_at", _STR, False),
                ("platform", _STR, False), ("pack", _STR, False), ("winner", _OPT_STR, False),
                ("reason", _STR, False), ("inputs_digest", _STR, False), ("resumed_from", _OPT_STR, False),
                ("profile", _STR, False), ("environment", _STR, False), ("chain_from", _STR, False),
                ("target", _OPT_STR, False))
_STEP_FIELDS = (("name", _STR, True), ("status", _STR, True), ("duration", _NUM, False),
                ("returncode", (int, type(None)), False), ("log_path", _OPT_STR, False), ("log_tail", _STR, False),
                ("message", _STR, False), ("kind", _STR, False))
_DIAGNOSIS_FIELDS = (("category", _STR, True), ("blocker", _OPT_STR, False), ("next_action", _STR, False),
                     ("summary", _STR, False))
_INTERPRETER_FIELDS = tuple((name, _STR, True) for name in ("requested", "version", "path", "arch", "source")) + (
    ("implementation", _STR, False),)


def _fields_problem(data: Any, spec: _Spec, where: str) -> str:
    if not isinstance(data, dict):
        return f"{where}: expected an object"
    for name, types, required in spec:
        if name not in data:
            if required:
                return f"{where}: missing {name!r}"
            continue
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, types):
            return f"{where}.{name}: {type(value).__name__} where {'/'.join(t.__name__ for t in types)} belongs"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{where}.{name}: not a finite number"
    return ""


def _strings(data: Any, key: str, where: str) -> str:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{where}.{key}: expected a list of strings"
    return ""


def cell_shape(data: Any) -> str:
    """The first problem of a cell file's data, or "" when every field has its type."""
    problem = _fields_problem(data, _CELL_FIELDS, "cell")
    if problem:
        return problem
    if data["status"] not in STATUSES:
        return f"cell.status: {data['status']!r} is not one of {', '.join(STATUSES)}"
    versions = data.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        return "cell.versions: expected an object of strings"
    if data.get("interpreter") is not None:
        problem = _fields_problem(data["interpreter"], _INTERPRETER_FIELDS, "cell.interpreter")
        if problem or set(data["interpreter"]) - {n for n, _, _ in _INTERPRETER_FIELDS}:
            return problem or "cell.interpreter: unknown fields"
    problem = _strings(data, "cleanup", "cell")
    steps = data.get("steps", [])
    if problem or not isinstance(steps, list):
        return problem or "cell.steps: expected a list"
    for position, step in enumerate(steps):
        where = f"cell.steps[{position}]"
        problem = _fields_problem(step, _STEP_FIELDS, where) or _strings(step, "command", where)
        if not problem and step["status"] not in STATUSES:
            problem = f"{where}.status: {step['status']!r} is not one of {', '.join(STATUSES)}"
        if not problem and not isinstance(step.get("metrics", {}), dict):
            problem = f"{where}.metrics: expected an object"
        diagnosis = step.get("diagnosis") if isinstance(step, dict) else None
        if not problem and diagnosis is not None:
            problem = _fields_problem(diagnosis, _DIAGNOSIS_FIELDS, where + ".diagnosis") or \
                _strings(diagnosis, "manual_fallback", where + ".diagnosis") or \
                _strings(diagnosis, "evidence", where + ".diagnosis")
        if problem:
            return problem
    return ""


