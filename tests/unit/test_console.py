"""One encoding check and one marks table for every console writer."""
from __future__ import annotations

import io

from harness.console import CELL_MARKS, CHECK_MARKS, DIAGNOSIS_GLYPHS, can_encode
from harness.install.preflight import STATUSES
from harness.report.compact import LEGEND
from harness.results import BLOCKED, FAILED, PASSED, SKIPPED, TIMEOUT


def stream(encoding):
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)


def test_a_console_that_cannot_encode_the_glyphs_gets_ascii():
    assert can_encode(stream("utf-8"), DIAGNOSIS_GLYPHS)
    assert not can_encode(stream("cp1252"), DIAGNOSIS_GLYPHS)  # an old Windows console
    assert not can_encode(stream("ascii"), "✅")
    assert not can_encode(object(), "✅")  # a stream without an encoding is taken as ASCII
    assert can_encode(object(), "ok")


def test_every_status_has_a_glyph_and_an_ascii_mark():
    assert set(CELL_MARKS) == {PASSED, FAILED, BLOCKED, SKIPPED, TIMEOUT}
    assert set(CHECK_MARKS) == set(STATUSES)
    for mark in list(CELL_MARKS.values()) + list(CHECK_MARKS.values()):
        assert mark.ascii.isascii() and not mark.glyph.isascii()
    assert LEGEND.startswith("ok passed") and "Tn timed out · skip skipped · - not run" in LEGEND
