"""Preflight's terminal table: a mark, a label and the message per check, fixes and evidence under it."""
from __future__ import annotations

from typing import Any, Sequence

from harness.console import CHECK_MARKS, can_encode
from harness.install.preflight.model import BLOCK, NOT_APPLICABLE, PASS, WARN, CheckResult

_LABELS = {PASS: "pass", WARN: "warn", BLOCK: "BLOCK", NOT_APPLICABLE: "n/a"}


def summary_line(results: Sequence[CheckResult]) -> str:
    counts = [
        (sum(1 for r in results if r.status == s), label)
        for s, label in ((BLOCK, "block"), (WARN, "warn"), (PASS, "pass"), (NOT_APPLICABLE, "not applicable"))
    ]
    return ", ".join(f"{n} {label}" for n, label in counts if n) or "no checks"


def render_table(results: Sequence[CheckResult], ascii_only: bool = False) -> str:
    """One line per check, then its fix and evidence indented under the message."""
    marks = {status: mark.ascii if ascii_only else mark.glyph for status, mark in CHECK_MARKS.items()}
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


def emit(text: str, stream: Any) -> None:
    """Write without ever crashing on a console that can't encode a path."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def needs_ascii(stream: Any) -> bool:
    """Whether ``stream`` cannot show the marks (an old Windows console's code page)."""
    return not can_encode(stream, "".join(mark.glyph for mark in CHECK_MARKS.values()))
