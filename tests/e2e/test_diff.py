"""harness diff on two small real runs: spleeter's pins as they are, then a changed pin set.

Both runs really install spleeter 2.4.2 on Python 3.10 (uv, the shared cache) and run the chain on
the sample item. The second run's matrix adds `numpy==1.26.4` to `default` (TensorFlow 2.12.1 wants
numpy < 1.24: the install must fail) and `numpy==1.23.4` to `wheel-first` (still installs, with
another numpy). The diff must name the flipped cell and the pin and versions that explain both.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.report.browser import find_browser

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def harness(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def _matrix(tmp: Path, name: str, default_pin: str = "", wheel_first_pin: str = "") -> Path:
    text = (ROOT / "matrix.yaml").read_text(encoding="utf-8")
    text = text.replace("item: samples/two-speakers", f"item: {ROOT / 'samples' / 'two-speakers'}")
    plain = '      - name: install\n        requirements: ["{pack}"]\n'
    if default_pin:
        assert plain in text
        text = text.replace(plain, plain.replace('["{pack}"]', f'["{{pack}}", "{default_pin}"]'), 1)
    wheels = '        requirements: ["{pack}"]\n        args: ["--only-binary=:all:"]\n'
    if wheel_first_pin:
        assert wheels in text
        text = text.replace(wheels, wheels.replace('["{pack}"]', f'["{{pack}}", "{wheel_first_pin}"]'), 1)
    path = tmp / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("diff")
    out = tmp / "results"
    for run_id, matrix in (("as-is", _matrix(tmp, "as-is")),
                           ("changed", _matrix(tmp, "changed", "numpy==1.26.4", "numpy==1.23.4"))):
        done = harness("run", "--matrix", str(matrix), "--python", "3.10", "--strategy", "default",
                       "--strategy", "wheel-first", "--out", str(out), "--run-id", run_id,
                       "--work-dir", str(tmp / "work"), "--workers", "2", "--fail-on", "never")
        assert done.returncode == 0, done.stdout + done.stderr
    return out / "as-is", out / "changed"


def test_diff_names_the_flipped_cell_and_the_pin_and_versions_that_explain_it(runs):
    old, new = runs
    done = harness("diff", str(old), str(new), "--json", "--fail-on", "regressions")
    assert done.returncode == 1, done.stdout + done.stderr  # a regression: the workflow's signal
    data = json.loads(done.stdout)
    changes = {(c["python"], c["strategy"]): c for c in data["changes"]}
    flipped = changes[("3.10", "default")]
    assert (flipped["change"], flipped["old_status"], flipped["new_status"]) == ("regression", "passed", "failed")
    causes = {c["kind"]: c for c in flipped["causes"]}
    assert causes["diagnosis"]["new"] == "dependency-conflict"
    assert (causes["pin"]["subject"], causes["pin"]["new"]) == ("numpy", "1.26.4")
    moved = changes[("3.10", "wheel-first")]
    assert moved["change"] == "moved" and moved["new_status"] == "passed"
    numpy = [c for c in moved["causes"] if c["kind"] == "version" and c["subject"] == "numpy"]
    assert numpy and numpy[0]["new"] == "1.23.4" and numpy[0]["old"] != "1.23.4"
    back = harness("diff", str(new), str(old), "--fail-on", "regressions")
    assert back.returncode == 0, back.stdout + back.stderr
    assert "### Fixed: failing before, passing now" in back.stdout
    assert "- **3.10 · linux · `default`**: ❌ failed (dependency-conflict) → ✅ passed" in back.stdout


def test_report_with_previous_opens_with_the_diff_and_writes_a_screenshot(runs):
    old, new = runs
    if find_browser() is None:
        pytest.skip("no Chromium (run.sh installs it)")
    done = harness("report", str(new), "--previous", str(old), "--screenshot", timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (new / "table.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (new / "table.html").read_text(encoding="utf-8")
    assert page.index('id="diff"') < page.index('id="matrix"') and "Regressions: passed before" in page
    links = re.findall(r'<a class="log" href="([^"]+)"', page)
    assert len(links) >= 10 and all((new / link).is_file() for link in links)
    assert "logs/3.10--wheel-first/stage-separate.log" in links
    assert 'data-status="failed"' in page and "sdr_gain_db" in page
    lines = done.stdout.splitlines()
    assert any(line.split()[:2] == ["default", "F1"] for line in lines), done.stdout
