"""A diagnosis as text, in pip's error / context / note / hint shape.

Rendering is separate from the data so the same :class:`Diagnosis` feeds the
terminal, the table footnotes and the JUnit message. ``ascii_only`` is for
consoles that cannot print box-drawing characters (old Windows code pages):
it drops the glyphs, as pip does, and replaces any other non-ASCII character.
"""
from __future__ import annotations

from typing import List

from harness.results import Diagnosis

HINT_INDENT = " " * 6
COMMAND_INDENT = " " * 8


def render(diagnosis: Diagnosis, *, ascii_only: bool = False) -> str:
    lines: List[str] = [f"error: {diagnosis.category}", ""]
    message = diagnosis.summary or diagnosis.category
    evidence = list(diagnosis.evidence)
    if ascii_only:
        lines.append(message)
        if evidence:
            lines.append("")
            lines.extend(evidence)
    elif evidence:
        lines.append(f"× {message}")
        lines.append(f"╰─> {evidence[0]}")
        lines.extend(f"    {line}" for line in evidence[1:])
    else:
        lines.append(f"× {message}")
    lines.append("")
    if diagnosis.blocker:
        lines.append(f"note: Blocker: {diagnosis.blocker}")
    lines.append(f"hint: {diagnosis.next_action}")
    if diagnosis.manual_fallback:
        lines.append(f"{HINT_INDENT}By hand:")
        lines.extend(f"{COMMAND_INDENT}{command}" for command in diagnosis.manual_fallback)
    text = "\n".join(lines)
    if ascii_only:
        text = text.encode("ascii", errors="replace").decode("ascii")
    return text
