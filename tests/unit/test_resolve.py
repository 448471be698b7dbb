"""Dry resolution, offline: the resolver's real output for win_amd64 is replayed from recordings."""
from __future__ import annotations

from pathlib import Path

from harness import matrix
from harness.proc import ProcResult
from harness.report.render import markdown
from harness.report.table import build
from harness.resolve import PLATFORMS, ResolveOptions, parse_compiled, resolve_cell, resolve_matrix
from harness.results import FAILED, PASSED, SKIPPED, read_cells

ROOT = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).parent / "data" / "resolve"


class Replay:
    """Answers `uv pip compile` with the recording that matches the requirements file (captured on Linux
    with --python-platform x86_64-pc-windows-msvc --python-version 3.10)."""

    def __init__(self):
        self.argvs = []
        self.questions = []

    def __call__(self, argv, log, timeout, env):
        self.argvs.append(list(argv))
        reqs = Path(argv[-1]).read_text(encoding="utf-8").split()
        self.questions.append((tuple(argv[:-1]), tuple(reqs)))
        if "--no-deps" in argv:
            name, code = "win-cp310-spleeter-no-deps.txt", 0
        elif "spleeter==2.4.2" in reqs:
            name, code = "win-cp310-spleeter-fails.txt", 1
        elif "tensorflow-io-gcs-filesystem==0.32.0" in reqs:
            name, code = "win-cp310-pins-032-fails.txt", 1
        elif "tensorflow-io-gcs-filesystem==0.31.0" in reqs:
            name, code = "win-cp310-pins-031.txt", 0
        else:  # pip / setuptools / wheel bootstrap steps
            name, code = None, 0
        text = (RECORDED / name).read_text(encoding="utf-8") if name else "pip==25.0\nsetuptools==75.0\n"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("$ " + " ".join(argv) + "\n" + text, encoding="utf-8")
        return ProcResult(tuple(argv), code, False, 0.1, log)


def options(tmp_path, replay):
    return ResolveOptions(platform=PLATFORMS["windows"], out_dir=tmp_path, run_id="dry", compiler=replay)


def default():
    return matrix.load(ROOT / "matrix.yaml")


def test_parse_compiled_normalises_names_and_extras():
    found = parse_compiled("httpx[http2]==0.19.0\nTensorflow_IO-gcs.filesystem==0.31.0\n# comment\nnumpy==1.23.5\n")
    assert found == {"httpx": "0.19.0", "tensorflow-io-gcs-filesystem": "0.31.0", "numpy": "1.23.5"}


def test_wheel_first_is_blocked_on_windows_by_the_gcs_filesystem_pin(tmp_path):
    replay = Replay()
    m = default()
    cell = resolve_cell(m, m.strategy("wheel-first"), "3.10", options(tmp_path, replay))
    assert cell.status == FAILED and cell.platform == "resolve-win_amd64"
    diagnosis = cell.diagnosis
    assert diagnosis.category == "no-wheel-for-platform"
    assert diagnosis.blocker == "tensorflow-io-gcs-filesystem==0.32.0"
    argv = replay.argvs[0]
    assert argv[argv.index("--python-platform") + 1] == "x86_64-pc-windows-msvc"
    assert argv[argv.index("--python-version") + 1] == "3.10" and "--only-binary=:all:" in argv


def test_no_deps_pinned_recovers_with_031_and_records_versions(tmp_path):
    m = default()
    cell = resolve_cell(m, m.strategy("no-deps-pinned"), "3.10", options(tmp_path, Replay()))
    assert cell.status == PASSED
    assert [s.name for s in cell.steps] == ["pack-no-deps", "pinned-deps", "pinned-deps-retry"]
    assert cell.versions["tensorflow-io-gcs-filesystem"] == "0.31.0"
    assert cell.versions["tensorflow-intel"] == "2.12.1" and cell.versions["spleeter"] == "2.4.2"


def test_resilient_names_the_member_that_resolves(tmp_path):
    m = default()
    cell = resolve_cell(m, m.strategy("resilient"), "3.10", options(tmp_path, Replay()))
    assert cell.status == PASSED and cell.winner == "no-deps-pinned"
    assert any(s.name == "source-build" and s.status == SKIPPED for s in cell.steps)
    logs = tmp_path / "dry" / "logs" / cell.key
    assert (logs / "bootstrap--install.log").exists() and (logs / "no-deps-pinned--pinned-deps-retry.log").exists()


def test_matrix_cells_land_beside_live_ones_and_form_a_column_group(tmp_path):
    m = default()
    cells = [("3.10", m.strategy(s)) for s in ("wheel-first", "no-deps-pinned", "source-build")]
    resolve_matrix(m, cells, options(tmp_path, Replay()))
    stored = read_cells(tmp_path / "dry")
    assert sorted(c.key for c in stored) == [
        "3.10--no-deps-pinned--resolve-win_amd64", "3.10--source-build--resolve-win_amd64",
        "3.10--wheel-first--resolve-win_amd64"]
    text = markdown(build(stored))
    assert "| strategy | 3.10 · resolves on win_amd64 |" in text
    assert "| `wheel-first` | ❌ no-wheel-for-platform [1] |" in text
    assert "| `source-build` | ⏭ skipped: needs opt-in (--allow-source-builds) |" in text


def test_identical_resolutions_run_once_per_run(tmp_path):
    m = default()
    replay = Replay()
    cells = [("3.10", s) for s in m.strategies]
    results = resolve_matrix(m, cells, options(tmp_path, replay))
    asked = sum(len([s for s in c.steps if s.status != SKIPPED]) for c in results)
    assert len(replay.argvs) < asked / 2  # resilient and the plain installs share their questions
    resilient = next(c for c in results if c.strategy == "resilient")
    reused = [s for s in resilient.steps if s.log_path and "is reused" in Path(s.log_path).read_text()]
    assert reused and all(s.status in (PASSED, FAILED) for s in reused)
    assert resilient.status == PASSED and resilient.winner == "no-deps-pinned"
    assert len(set(replay.questions)) == len(replay.questions)  # no question asked twice
