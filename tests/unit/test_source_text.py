"""The source itself: no control characters in any module's text.

A regex written through an unraw string (or a tool that turned ``\\b`` into a backspace) still compiles and
silently never matches; a form feed or NUL is never intended either.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for top in ("harness", "tests", "benchmarks") for p in (ROOT / top).rglob("*.py")) + [
    ROOT / "noxfile.py"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_control_characters_in_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = CONTROL.search(text)
    assert found is None, f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, found.start()) + 1}: {found.group()!r}"
