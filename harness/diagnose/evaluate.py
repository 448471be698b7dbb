"""Scoring the engine on a labelled corpus: ``python -m harness diagnose --eval DIR``.

``DIR/manifest.yaml`` lists the logs (the format of ``tests/unit/data/logs``):
each entry names its ``file``, the root-cause ``category``, the categories an
expert could ``also`` defend, and the ``action`` key words a right next action
contains (any one of them). The engine gets no context, as for a log pasted by
a stranger: everything it knows it must read from the log itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from harness.diagnose import similar
from harness.diagnose.engine import diagnose_file, read_log
from harness.diagnose.text import normalise
from harness.results import CATEGORIES, Diagnosis

MANIFEST = "manifest.yaml"
ALL = "all"
_SPLIT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class CorpusError(ValueError):
    """A manifest that cannot be scored; the message is one ``file:line: what`` line."""


@dataclass(frozen=True)
class Labelled:
    """One log and what a reader of its thread says about it."""

    file: str
    category: str
    also: Tuple[str, ...]
    action: Tuple[str, ...]
    split: str

    def category_ok(self, diagnosis: Diagnosis) -> bool:
        return diagnosis.category in (self.category,) + self.also

    def action_ok(self, diagnosis: Diagnosis) -> bool:
        said = diagnosis.next_action.lower()
        return any(word.lower() in said for word in self.action)


@dataclass(frozen=True)
class Miss:
    entry: Labelled
    diagnosis: Diagnosis
    category_ok: bool
    action_ok: bool


@dataclass(frozen=True)
class Score:
    total: int
    category_right: int
    action_right: int
    misses: Tuple[Miss, ...]

    @staticmethod
    def percent(part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 0.0

    @property
    def category_pct(self) -> float:
        return self.percent(self.category_right, self.total)

    @property
    def action_pct(self) -> float:
        return self.percent(self.action_right, self.total)


def load_manifest(directory: Path) -> List[Labelled]:
    """The labelled entries of ``directory/manifest.yaml``, checked."""
    path = Path(directory) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CorpusError(f"{path}{line}: not valid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("logs"), list):
        raise CorpusError(f"{path}:1: expected a mapping with a 'logs' list")
    return [_entry(path, text, raw) for raw in data["logs"]]


def _entry(path: Path, text: str, raw: object) -> Labelled:
    if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
        raise CorpusError(f"{path}:1: every entry needs a 'file'")
    name = raw["file"]
    where = f"{path}:{_line_of(text, name)}"
    category = raw.get("category")
    also = tuple(raw.get("also") or ())
    for value in (category,) + also:
        if value not in CATEGORIES:
            raise CorpusError(f"{where}: unknown category {value!r} for {name}")
    assert isinstance(category, str)  # checked against CATEGORIES just above
    action = raw.get("action")
    if not isinstance(action, list) or not action or not all(isinstance(a, str) and a for a in action):
        raise CorpusError(f"{where}: {name} needs 'action': a list of key words")
    split = raw.get("split", "tune")
    if not isinstance(split, str) or not _SPLIT_NAME.match(split) or split == ALL:
        raise CorpusError(f"{where}: split of {name} must be a lower-case name such as tune or heldout, not {split!r}")
    if not (path.parent / name).is_file():
        raise CorpusError(f"{where}: {name} is listed but not in {path.parent}")
    return Labelled(file=name, category=category, also=also, action=tuple(action), split=split)


def _line_of(text: str, name: str) -> int:
    found = text.find(f"file: {name}")
    return text.count("\n", 0, found) + 1 if found >= 0 else 1


def score(directory: Path, entries: Sequence[Labelled]) -> Score:
    """Diagnose every entry's log without context and count what came out right."""
    category_right = action_right = 0
    misses: List[Miss] = []
    for entry in entries:
        diagnosis = diagnose_file(Path(directory) / entry.file, blind=True)
        cat_ok, act_ok = entry.category_ok(diagnosis), entry.action_ok(diagnosis)
        category_right += cat_ok
        action_right += act_ok
        if not (cat_ok and act_ok):
            misses.append(Miss(entry, diagnosis, cat_ok, act_ok))
    return Score(len(entries), category_right, action_right, tuple(misses))


def select(entries: Sequence[Labelled], split: str) -> List[Labelled]:
    return [e for e in entries if split == ALL or e.split == split]


def report(scores: Dict[str, Score], show_misses: bool = True) -> str:
    """The figures per split, then one line per miss."""
    lines = []
    for split, result in scores.items():
        lines.append(f"{split}: {result.total} logs; category {result.category_right}/{result.total} "
                     f"({result.category_pct:.1f}%), next action {result.action_right}/{result.total} "
                     f"({result.action_pct:.1f}%)")
    if show_misses:
        for split, result in scores.items():
            for miss in result.misses:
                lines.append(_miss_line(split, miss))
    return "\n".join(lines)


def _miss_line(split: str, miss: Miss) -> str:
    entry, got = miss.entry, miss.diagnosis
    what = []
    if not miss.category_ok:
        wanted = "|".join((entry.category,) + entry.also)
        what.append(f"category {got.category} (want {wanted})")
    if not miss.action_ok:
        what.append(f"action lacks {' / '.join(entry.action)}: {got.next_action[:160]}")
    return f"miss [{split}] {entry.file}: " + "; ".join(what)


def run(directory: Path, split: str, show_misses: bool = True) -> Tuple[str, Optional[Score]]:
    """The report for ``split`` ("all" also prints every split separately, in manifest order)."""
    entries = load_manifest(directory)
    if split == ALL:
        names = list(dict.fromkeys(e.split for e in entries))
        scores = {name: score(directory, select(entries, name)) for name in names}
        scores[ALL] = score(directory, entries)
    else:
        chosen = select(entries, split)
        if not chosen:
            raise CorpusError(f"{Path(directory) / MANIFEST}: no logs in split {split!r}")
        scores = {split: score(directory, chosen)}
    return report(scores, show_misses), scores.get(split)


def similar_model(directory: Path) -> Tuple[bytes, int]:
    """The similar-log model of a labelled corpus (:mod:`~harness.diagnose.similar`) and how many logs it holds:
    each log as the engine reads it, with the category its thread names."""
    entries = load_manifest(directory)
    texts = [(normalise(read_log(Path(directory) / entry.file)), entry.category) for entry in entries]
    return similar.build(texts), len({text for text, _ in texts})  # a log filed twice is held once

