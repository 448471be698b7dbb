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
PLAN = Path(__file__).parent / "data" / "plan"
PIP_ANSWERS = {  # the question's distinguishing requirement → (recorded log, recorded report, exit code)
    "--no-deps": (None, "win-cp310-pip-no-deps.report.json", 0),
    "spleeter==2.4.2": ("win-cp310-pip-spleeter-fails.log", None, 1),
    "tensorflow-io-gcs-filesystem==0.32.0": ("win-cp310-pip-pins-032-fails.log", None, 1),
    "tensorflow-io-gcs-filesystem==0.31.0": (None, "win-cp310-pip-pins-031.report.json", 0),
}


class Replay:
    """Answers `uv pip compile` and pip's dry run with the recording that matches the question (captured
    on Linux for win_amd64 and CPython 3.10: uv's compile output and pylock, pip's log and --report)."""

    def __init__(self):
        self.argvs = []
        self.pip_argvs = []
        self.questions = []

    def __call__(self, argv, log, timeout, env):
        if "harness.plan.pipdriver" in argv:
            return self.pip(argv, log)
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
        pylock = {"win-cp310-spleeter-no-deps.txt": "win-cp310-uv-no-deps.pylock.toml",
                  "win-cp310-pins-031.txt": "win-cp310-uv-pins-031.pylock.toml"}.get(name or "")
        if pylock and "--output-file" in argv:
            Path(argv[argv.index("--output-file") + 1]).write_text((PLAN / pylock).read_text(encoding="utf-8"))
        return ProcResult(tuple(argv), code, False, 0.1, log)

    def pip(self, argv, log):
        self.pip_argvs.append(list(argv))
        key = next((k for k in PIP_ANSWERS if k in argv), None)
        recorded, report, code = PIP_ANSWERS[key] if key else (None, None, 0)
        log.parent.mkdir(parents=True, exist_ok=True)
        text = (PLAN / recorded).read_text(encoding="utf-8") if recorded else "Would install pip-25.0\n"
        log.write_text("$ " + " ".join(argv) + "\n" + text, encoding="utf-8")
        if report:
            Path(argv[argv.index("--report") + 1]).write_text((PLAN / report).read_text(encoding="utf-8"))
        elif code == 0:  # bootstrap steps: a small real-shaped report
            Path(argv[argv.index("--report") + 1]).write_text('{"version": "1", "install": []}')
        return ProcResult(tuple(argv), code, False, 0.1, log)


def options(tmp_path, replay, **kw):
    return ResolveOptions(platform=PLATFORMS["windows"], out_dir=tmp_path, run_id="dry", compiler=replay,
                          read_wheel_paths=False, write_locks=False, **kw)


def default():
    return matrix.load(ROOT / "matrix.yaml")


def test_parse_compiled_normalises_names_and_extras():
    found = parse_compiled("httpx[http2]==0.19.0\nTensorflow_IO-gcs.filesystem==0.31.0\n# comment\nnumpy==1.23.5\n")
    assert found == {"httpx": "0.19.0", "tensorflow-io-gcs-filesystem": "0.31.0", "numpy": "1.23.5"}


def test_wheel_first_is_blocked_on_windows_by_the_gcs_filesystem_pin(tmp_path):
    replay = Replay()
    m = default()
    cell = resolve_cell(m, m.strategy("wheel-first"), "3.10", options(tmp_path, replay))
    assert cell.status == FAILED and cell.target == "win_amd64" and cell.is_dry and cell.platform == ""
    diagnosis = cell.diagnosis
    assert diagnosis.category == "no-wheel-for-platform"
    assert diagnosis.blocker == "tensorflow-io-gcs-filesystem==0.32.0"
    argv = replay.argvs[0]
    assert argv[argv.index("--python-platform") + 1] == "x86_64-pc-windows-msvc"
    assert argv[argv.index("--python-version") + 1] == "3.10" and "--only-binary=:all:" in argv


def test_no_deps_pinned_recovers_with_031_and_records_versions(tmp_path):
    m = default()
    cell = resolve_cell(m, m.strategy("no-deps-pinned"), "3.10", options(tmp_path, Replay()))
    assert cell.status == PASSED and cell.installer == "pip (dry, pip)"
    assert [s.name for s in cell.steps] == ["pack-no-deps", "pinned-deps", "pinned-deps-retry",
                                            "uv:pack-no-deps", "uv:pinned-deps", "uv:pinned-deps-retry"]
    assert cell.versions["tensorflow-io-gcs-filesystem"] == "0.31.0"
    assert cell.versions["tensorflow-intel"] == "2.12.1" and cell.versions["spleeter"] == "2.4.2"
    # pip's plan: every file of the Windows install, the Windows-only tensorflow-intel included
    names = {d.name for d in cell.distributions}
    assert len(cell.distributions) == 66 and {"spleeter", "tensorflow", "tensorflow-intel"} <= names
    intel = next(d for d in cell.distributions if d.name == "tensorflow-intel")
    assert intel.filename == "tensorflow_intel-2.12.1-cp310-cp310-win_amd64.whl" and len(intel.sha256) == 64
    assert intel.url.endswith("/" + intel.filename)
    assert cell.steps[1].diagnosis.blocker == "tensorflow-io-gcs-filesystem==0.32.0"


def test_resilient_names_the_member_that_resolves(tmp_path):
    m = default()
    cell = resolve_cell(m, m.strategy("resilient"), "3.10", options(tmp_path, Replay()))
    assert cell.status == PASSED and cell.winner == "no-deps-pinned"
    assert any(s.name == "source-build" and s.status == SKIPPED for s in cell.steps)
    logs = tmp_path / "dry" / "logs" / cell.key
    assert (logs / "bootstrap--install.log").exists() and (logs / "no-deps-pinned--pinned-deps-retry.log").exists()
    assert (logs / "no-deps-pinned--pinned-deps-retry.pip.log").exists()
    assert (logs / "no-deps-pinned--pinned-deps-retry.pip.report.json").exists()


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
    assert "| `no-deps-pinned` | ✅ |" in text  # for 3.10 pip's and uv's recorded plans agree, file for file
    no_deps = next(c for c in stored if c.strategy == "no-deps-pinned")
    assert no_deps.cross_check.agrees and no_deps.cross_check.status == PASSED
    assert "| `source-build` | ⏭ skipped: needs opt-in (--allow-source-builds) |" in text


def test_identical_resolutions_run_once_per_run(tmp_path):
    m = default()
    replay = Replay()
    cells = [("3.10", s) for s in m.strategies]
    results = resolve_matrix(m, cells, options(tmp_path, replay))
    asked = sum(len([s for s in c.steps if s.status != SKIPPED]) for c in results)
    assert len(replay.argvs) + len(replay.pip_argvs) < asked / 2  # resilient and the plain installs share questions
    resilient = next(c for c in results if c.strategy == "resilient")
    reused = [s for s in resilient.steps if s.log_path and "is reused" in Path(s.log_path).read_text()]
    assert reused and all(s.status in (PASSED, FAILED) for s in reused)
    assert resilient.status == PASSED and resilient.winner == "no-deps-pinned"
    assert len(set(replay.questions)) == len(replay.questions)  # no question asked twice


def test_pip_plans_wheels_only_and_says_so_for_source_strategies(tmp_path):
    m = default()
    replay = Replay()
    cell = resolve_cell(m, m.strategy("source-build"), "3.10", options(tmp_path, replay, allow_source_builds=True))
    assert cell.status == SKIPPED and cell.reason.startswith("needs sdists (--only-binary=:none:)")
    assert not replay.pip_argvs  # uv's answer rides along as the cross-check; pip is not asked
    assert cell.cross_check is not None and not cell.cross_check.agrees
    cell = resolve_cell(m, m.strategy("default-pip"), "3.10", options(tmp_path, replay))
    argv = replay.pip_argvs[-1]
    assert argv[argv.index("--platform") + 1] == "win_amd64" and "--only-binary=:all:" in argv
    assert argv[argv.index("--abi") + 1] == "cp310" and "--isolated" in argv and "--dry-run" in argv
    assert cell.status == FAILED and cell.diagnosis.blocker == "tensorflow-io-gcs-filesystem==0.32.0"
