"""Preflight's terminal table: a mark, a label and the message per check, fixes and evidence under it."""
from __future__ import annotations

from typing import Any, Sequence

from harness.install.preflight.model import BLOCK, NOT_APPLICABLE, PASS, WARN, CheckResult

_MARKS = {PASS: "\u2714", WARN: "\u26a0", BLOCK: "\u2716", NOT_APPLICABLE: "\u2013"}
_ASCII_MARKS = {PASS: "+", WARN: "!", BLOCK: "x", NOT_APPLICABLE: "-"}
_LABELS = {PASS: "pass", WARN: "warn", BLOCK: "BLOCK", NOT_APPLICABLE: "n/a"}


def summary_line(results: Sequence[CheckResult]) -> str:
    counts = [
        (sum(1 for r in results if r.status == s), label)
        for s, label in ((BLOCK, "block"), (WARN, "warn"), (PASS, "pass"), (NOT_APPLICABLE, "not applicable"))
    ]
    return ", ".join(f"{n} {label}" for n, label in counts if n) or "no checks"


def render_table(results: Sequence[CheckResult], ascii_only: bool = False) -> str:
    """One line per check, then its fix and evidence indented under the message."""
    marks = _ASCII_MARKS if ascii_only else _MARKS
    bullet = "-" if ascii_only else "\u00b7"
    width = max((len(r.name) for r in results), default=0)
    indent = " " * (2 + 6 + 1 + width + 2)
    lines = []
    for r in results:
        lines.append(f"{marks[r.status]} {_LABELS[r.status]:<6} {r.name:<{width}}  {r.message}")
        if r.status in (WARN, BLOCK):
            for n, fix_line in enumerate(r.fix.splitlines()):
                lines.append(f"{indent}{'fix: ' if n == 0 else '     '}{fix_line}")
            lines.extend(f"{indent}{bullet} {d}" for d in r.details)
    lines.append(summary_line(results))
    return "\n".join(lines)


def can_encode(text: str, stream: Any) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def emit(text: str, stream: Any) -> None:
    """Write without ever crashing on a console that can't encode a path."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def needs_ascii(stream: Any) -> bool:
    """Whether ``stream`` cannot show the marks (an old Windows console's code page)."""
    return not can_encode("".join(_MARKS.values()), stream)
