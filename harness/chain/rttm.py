"""RTTM, the NIST "who spoke when" format that diarization tools read and write.

One ``SPEAKER`` line per turn, ten space-separated fields::

    SPEAKER <file-id> <channel> <start> <duration> <NA> <NA> <speaker> <NA> <NA>

Only SPEAKER lines carry turns; other record types (SPKR-INFO, ...) are
skipped, as scoring tools do. A line that is a SPEAKER record but malformed is
an error with its line number, so a broken Diarize stage fails with a reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List

_SPEAKER_RE = re.compile(r"^[A-Za-z0-9_.:-]+$")


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``speaker`` talks from ``start`` for ``duration`` seconds."""

    file_id: str
    start: float
    duration: float
    speaker: str

    @property
    def end(self) -> float:
        return self.start + self.duration


def parse_rttm(text: str, source: str = "<rttm>") -> List[Turn]:
    """Turns of an RTTM document, in file order; ``ValueError("source:LINE: ...")`` when malformed."""
    turns = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#") or fields[0] != "SPEAKER":
            continue
        if len(fields) < 9:
            raise ValueError(f"{source}:{number}: SPEAKER line has {len(fields)} fields, expected 10")
        try:
            start, duration = float(fields[3]), float(fields[4])
        except ValueError:
            raise ValueError(
                f"{source}:{number}: start/duration are not numbers: {fields[3]!r} {fields[4]!r}") from None
        if start < 0 or duration <= 0:
            raise ValueError(f"{source}:{number}: turn must start at >= 0 and last > 0 s")
        if not _SPEAKER_RE.match(fields[7]):
            raise ValueError(f"{source}:{number}: bad speaker label {fields[7]!r}")
        turns.append(Turn(fields[1], start, duration, fields[7]))
    return turns


def read_rttm(path: Path) -> List[Turn]:
    return parse_rttm(Path(path).read_text(encoding="utf-8"), str(path))


def format_rttm(turns: Iterable[Turn]) -> str:
    """RTTM text, one line per turn, times to the millisecond."""
    lines = [
        f"SPEAKER {t.file_id} 1 {t.start:.3f} {t.duration:.3f} <NA> <NA> {t.speaker} <NA> <NA>"
        for t in turns
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def write_rttm(path: Path, turns: Iterable[Turn]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_rttm(turns), encoding="utf-8")
    return path
