"""Reports: the table (golden Markdown), its JSON and HTML, and a JUnit file that parses."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from harness.report import render, write_reports
from harness.report.table import build, recommend
from harness.results import (
    BLOCKED,
    FAILED,
    PASSED,
    SKIPPED,
    CellResult,
    Diagnosis,
    InterpreterInfo,
    StepResult,
    merge_runs,
    read_cells,
    write_cell,
)

PY312 = Diagnosis(
    category="python-version-unsupported", blocker="tensorflow==2.12.1",
    next_action="use Python 3.11 or older: uv venv -p 3.11",
    manual_fallback=("py -3.11 -m venv .venv", ".venv\\Scripts\\python -m pip install spleeter==2.4.2"),
    evidence=("tensorflow==2.12.1 has no wheels with a matching Python ABI tag",),
    summary="spleeter 2.4.2 needs Python <3.12",
)


def interp(version):
    return InterpreterInfo(version[:4].rstrip("."), version, f"/py/{version}/bin/python", "64bit", "pyenv")


def cell(python, strategy, status, steps=(), winner=None, reason=""):
    return CellResult(run_id="r", python=python, strategy=strategy, installer="uv", status=status, steps=steps,
                      interpreter=interp(python + ".1"), platform="linux", pack="spleeter==2.4.2",
                      winner=winner, reason=reason)


def sample_cells():
    ok = (StepResult("venv", PASSED, kind="provision"), StepResult("install", PASSED, 3.2),
          StepResult("import-check", PASSED, kind="verify"))
    failed = (StepResult("venv", PASSED, kind="provision"),
              StepResult("install", FAILED, 1.0, log_tail="error: No solution found", diagnosis=PY312,
                         message=PY312.headline()))
    stages = (StepResult("separate", PASSED, kind="stage", metrics={"sdr_gain_db": 14.25}),
              StepResult("diarize", FAILED, kind="stage", message="no speech found"),
              StepResult("tts", SKIPPED, kind="stage", message="skipped: diarize failed"))
    unavailable = Diagnosis("interpreter-unavailable", None, "install Python 3.9", summary="no Python 3.9")
    return [
        cell("3.10", "wheel-first", PASSED, ok),
        cell("3.12", "wheel-first", FAILED, failed),
        cell("3.10", "resilient", PASSED, ok + stages[:1], winner="bootstrap"),
        cell("3.12", "resilient", FAILED, failed),
        cell("3.10", "source-build", SKIPPED, reason="needs opt-in (--allow-source-builds)"),
        cell("3.9", "wheel-first", BLOCKED, (StepResult("provision", BLOCKED, kind="provision",
                                                         diagnosis=unavailable),)),
        cell("3.11", "resilient", FAILED, ok + stages),
    ]


GOLDEN = """\
## spleeter-matrix compatibility

**Recommended on linux: Python 3.10 with `resilient`, installed by `bootstrap`. Tried first: 3.12: python-version-unsupported; 3.11: diarize failed (no speech found).**

| strategy | 3.9 · linux | 3.10 · linux | 3.11 · linux | 3.12 · linux |
|---|---|---|---|---|
| `wheel-first` | ❌ interpreter-unavailable [1] | ✅ | — | ❌ python-version-unsupported [2] |
| `resilient` | — | ✅ via bootstrap · chain 1/1 | ❌ other in diarize [3] | ❌ python-version-unsupported [2] |
| `source-build` | — | ⏭ skipped: needs opt-in (--allow-source-builds) | — | — |

✅ passed (install + import check, and the smoke chain where it ran) · ❌ failed, with the diagnosed category · ⏭ skipped · ⏱ timed out · — not run

### Smoke chain

| cell | separate | diarize | tts |
|---|---|---|---|
| 3.10 · linux · `resilient` | ✅ sdr_gain_db 14.25 | — | — |
| 3.11 · linux · `resilient` | ✅ sdr_gain_db 14.25 | ❌ — no speech found | ⏭ — skipped: diarize failed |

### Blockers and next actions

1. **`interpreter-unavailable`** on linux, step `provision`: no Python 3.9  
   Cells: `wheel-first` (3.9)  
   Next action: install Python 3.9
2. **`python-version-unsupported`** — blocker `tensorflow==2.12.1` on linux, step `install`: spleeter 2.4.2 needs Python &lt;3.12  
   Cells: `wheel-first` (3.12); `resilient` (3.12)  
   Next action: use Python 3.11 or older: uv venv -p 3.11
   Manual fallback: `py -3.11 -m venv .venv`; `.venv\\Scripts\\python -m pip install spleeter==2.4.2`
3. **`other`** on linux, step `diarize`: no speech found  
   Cells: `resilient` (3.11)  
   Next action: open the step's log
"""


def test_markdown_golden():
    table = build(sample_cells(), ["3.12", "3.11", "3.10", "3.9"], ["wheel-first", "resilient", "source-build"])
    assert render.markdown(table) == GOLDEN


def test_recommendation_follows_the_fallback_order():
    rec = recommend(sample_cells(), "linux", ["3.11", "3.10"])
    assert rec.python == "3.10" and rec.winner == "bootstrap"
    assert rec.rejected == (("3.11", "diarize failed (no speech found)"),)
    none = recommend([c for c in sample_cells() if c.python != "3.10"], "linux")
    assert none.python is None and "No interpreter passes" in none.sentence()


def test_json_and_html_carry_the_same_cells(tmp_path):
    table, files = write_reports(sample_cells(), tmp_path, ["3.12", "3.11", "3.10"])
    data = json.loads(files.json.read_text(encoding="utf-8"))
    row = next(r for r in data["rows"] if r["strategy"] == "wheel-first")
    cell312 = row["cells"]["3.12 · linux"]
    assert cell312["status"] == FAILED
    assert cell312["diagnosis"]["category"] == "python-version-unsupported"
    assert cell312["diagnosis"]["next_action"].startswith("use Python 3.11")
    assert data["recommendations"][0]["python"] == "3.10"
    page = files.html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "python-version-unsupported" in page
    # Standalone: its one script is inline, and nothing is fetched from anywhere.
    assert re.findall(r"<script[^>]*>", page) == ["<script>"]
    assert not re.search(r"\b(src|href)=\"(https?:)?//", page) and "@import" not in page and "url(" not in page
    assert balanced_tags(page)


def balanced_tags(page: str) -> bool:
    """Every non-void element that opens also closes, in order."""
    from html.parser import HTMLParser

    void = {"meta", "br", "link", "img", "hr", "input"}
    stack = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in void:
                stack.append(tag)

        def handle_endtag(self, tag):
            assert stack and stack.pop() == tag, f"unbalanced </{tag}>"

    Checker().feed(page)
    return not stack


def test_junit_parses_with_one_suite_per_python(tmp_path):
    _, files = write_reports(sample_cells(), tmp_path)
    root = ET.parse(files.junit).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"python-3.9-linux", "python-3.10-linux", "python-3.11-linux", "python-3.12-linux"}
    failure = suites["python-3.12-linux"].find("testcase[@name='wheel-first :: install']/failure")
    assert failure.get("message") == PY312.headline()
    assert "next action: use Python 3.11" in failure.text
    skipped = suites["python-3.10-linux"].find("testcase[@name='source-build :: cell']/skipped")
    assert "opt-in" in skipped.get("message")
    stage = suites["python-3.11-linux"].find("testcase[@name='resilient :: tts']/skipped")
    assert stage is not None


def test_cells_round_trip_and_merge_later_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for c in sample_cells():
        write_cell(first, c)
    retried = cell("3.12", "wheel-first", PASSED, ())
    write_cell(second, retried)
    assert read_cells(first) == sorted(read_cells(first), key=lambda c: c.key)
    assert {c.key for c in read_cells(first)} == {c.key for c in sample_cells()}
    merged = merge_runs([first, second])
    assert next(c for c in merged if c.key == "3.12--wheel-first").status == PASSED
    assert len(merged) == len(sample_cells())
    original = next(c for c in read_cells(first) if c.key == "3.12--wheel-first")
    assert original.diagnosis == PY312


def test_markdown_passes_no_raw_html_from_logs_or_cell_files():
    evil = Diagnosis(category="other", blocker="pkg`<b>x</b>", next_action="run <script>alert(1)</script> | rm",
                     manual_fallback=("echo `hi` <img src=x onerror=alert(1)>",),
                     summary="<img src=x onerror=alert(1)>\nsecond line")
    steps = (StepResult("install", FAILED, diagnosis=evil, message=evil.headline()),)
    cells = [cell("3.10", "default", FAILED, steps), cell("3.11<i>", "<b>s</b>", PASSED)]
    text = render.markdown(build(cells))
    import re

    outside_code = re.sub(r"(`+)(.+?)\1", "", text)  # code spans render their content as text
    assert "<" not in outside_code and ">" not in outside_code.replace("—", ""), outside_code
    assert "&lt;img src=x onerror=alert(1)&gt; second line" in text  # shown as text, on one line
    assert "`` echo `hi` <img src=x onerror=alert(1)> ``" in text  # inside a code span HTML is inert
    assert "`` pkg`<b>x</b> ``" in text  # a backtick in the blocker cannot close its code span early
    assert "run &lt;script&gt;alert(1)&lt;/script&gt; \\| rm" in text
    assert all(line.count("|") == 0 or not line.startswith("| ") or line.endswith("|") for line in text.splitlines())


def test_report_skips_a_bad_cell_file_with_a_warning_and_reports_the_rest(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    run = tmp_path / "run"
    write_cell(run, cell("3.10", "default", PASSED))
    (run / "cells" / "3.11--default.json").write_text('{"run_id": "r", "python": "3.11", "strat')
    (run / "cells" / "3.12--default.json").write_text('[1, 2]')
    done = subprocess.run([sys.executable, "-m", "harness", "report", str(run)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {run / 'cells' / '3.11--default.json'}:1: not JSON: Unterminated string starting at; skipped",
        f"warning: {run / 'cells' / '3.12--default.json'}:1: not a cell result: cell: expected an object; skipped",
    ]
    assert "| `default` | ✅ |" in (run / "table.md").read_text(encoding="utf-8")


def test_a_merge_into_a_folder_the_harness_did_not_create_deletes_nothing(tmp_path):
    from harness.errors import UsageError
    from harness.report.runs import gather
    from harness.results import CellResult, write_cell

    run = tmp_path / "run"
    write_cell(run, CellResult(run_id="r", python="3.10", strategy="default", installer="uv", status="passed",
                               platform="linux"))
    theirs = tmp_path / "theirs"
    (theirs / "cells").mkdir(parents=True)
    (theirs / "cells" / "precious.json").write_text("{}")
    with pytest.raises(UsageError, match="not created by the harness"):
        gather([run], theirs)
    assert (theirs / "cells" / "precious.json").read_text() == "{}"
    gather([run], tmp_path / "merged")  # a new folder is ours: marked, then filled
    gather([run], tmp_path / "merged")  # and ours again the next time, its old cells replaced
    assert [p.name for p in (tmp_path / "merged" / "cells").iterdir()] == ["3.10--default.json"]
