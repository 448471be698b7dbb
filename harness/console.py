"""What a console can show: one check for its encoding, one table of status marks with ASCII fallbacks.

Old Windows consoles (cp437, cp1252) cannot print ``✅`` or ``╰─>``; what goes to them is
chosen here, once, for the table, the preflight checks and the diagnoses alike. Imports only
the result vocabulary, so any module that prints can use it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from harness.results import BLOCKED, FAILED, PASSED, SKIPPED, TIMEOUT


@dataclass(frozen=True)
class Mark:
    glyph: str  # what a Unicode console, table.md and table.html show
    ascii: str  # what an ASCII console shows, and the compact terminal table (emoji widths differ there)


# A cell's or a step's status.
CELL_MARKS: Dict[str, Mark] = {PASSED: Mark("✅", "ok"), FAILED: Mark("❌", "F"), BLOCKED: Mark("❌", "F"),
                               SKIPPED: Mark("⏭", "skip"), TIMEOUT: Mark("⏱", "T")}
# A preflight check's status (harness.install.preflight's PASS, WARN, BLOCK, NOT_APPLICABLE).
CHECK_MARKS: Dict[str, Mark] = {"pass": Mark("\u2714", "+"), "warn": Mark("\u26a0", "!"),
                                "block": Mark("\u2716", "x"), "not-applicable": Mark("\u2013", "-")}
NOT_RUN = Mark("—", "-")
UNKNOWN = Mark("?", "?")
DIAGNOSIS_GLYPHS = "×╰─>"  # what a rendered diagnosis draws its frame with


def can_encode(stream: Any, text: str) -> bool:
    """Whether ``stream`` (sys.stdout, sys.stderr, ...) can print ``text``; a stream with no encoding is ASCII."""
    encoding: Optional[str] = getattr(stream, "encoding", None)
    try:
        text.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
