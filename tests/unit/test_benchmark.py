"""benchmarks/matrix_speed.py without running it: the printed report (golden text), the figures' JSON,
the options, the disk refusal, and how a finished cell's JSON becomes a row. Offline and fast."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from benchmarks import matrix_speed as bench
from benchmarks.figures import Figures, ratio, verdict
from benchmarks.table import format_report, missed_targets
from harness.errors import InsufficientDiskError
from harness.results import CellResult, Diagnosis, InterpreterInfo, StepResult, write_cell


def _run(wall, parts=(), ok=True, detail=""):
    return {"ok": ok, "wall_s": wall, "parts": list(parts), "detail": detail, "command": ["python", "-m", "harness"]}


def _part(name, wall, install=None, ok=True, detail=""):
    return {"name": name, "ok": ok, "wall_s": wall, "install_s": install, "detail": detail}


FAKE = {
    "machine": {"date": "2025-11-25T16:00:00+00:00", "platform": "Linux-6.1.0-x86_64-with-glibc2.36",
                "cpu": "AMD EPYC 7B13", "cores": 2, "ram_gib": 23.4, "python": "3.11.7", "uv": "0.13.9",
                "pip": "23.2.1", "free_disk_gib": 67.0, "load_before": [3.46, 3.15, 1.8],
                "load_after": [2.1, 2.5, 2.2]},
    "pack": "spleeter==2.4.2", "pythons": ["3.8", "3.10"], "strategies": ["default"], "workers": 2,
    "baseline": _run(400.0, [
        _part("3.8--default", 210.0, 200.0,
              detail="venv 3.0 s; 3.8.18 (pyenv, lookup 1.2 s not counted), pip 23.0.1, tensorflow 2.13.1"),
        _part("3.10--default", 190.0, 185.5,
              detail="venv 2.5 s; 3.10.13 (pyenv, lookup 0.0 s not counted), pip 23.0.1, tensorflow 2.12.1")],
        detail="pip cache after the last cell: 0 MiB"),
    "harness_cold": _run(120.0, [
        _part("3.8--default", 110.0, 90.0, detail="3.8.18 (uv-find), tensorflow 2.13.1"),
        _part("3.10--default", 100.0, 80.0, ok=False, detail="failed: network-or-index: read timed out")], ok=False),
    "harness_warm": _run(30.5, detail="uv cache after this run: 2210 MiB", parts=[
        _part("3.8--default", 25.0, 8.0, detail="3.8.18 (uv-find), tensorflow 2.13.1"),
        _part("3.10--default", 24.0, 7.5, detail="3.10.13 (uv-find), tensorflow 2.12.1")]),
    "single_warm": _run(20.0, [_part("3.10--default", 15.0, 6.25, detail="3.10.13 (uv-find), tensorflow 2.12.1")]),
    "chain": {"python": "3.10", "item": "samples/two-speakers", "ok": True, "wall_s": 48.0, "cpu_s": 61.4,
              "stages_cpu_s": 57.0, "model_s": 12.0, "detail": "",
              "stages": [_part("separate", 30.0, detail="passed: 2 stems"), _part("mux", 1.0, detail="passed: mp4")]},
    "resolve_platform": "windows",
    "resolve_cold": _run(41.0, detail="36 cells: 4 failed, 28 passed, 4 skipped"),
    "resolve_warm": None,
    "notes": ["chain item given with --item: samples/two-speakers (matrix.yaml names samples/default)"],
    "nox_peer": _run(80.0, detail="2 cells"),
    "tox_peer": _run(40.0, detail="2 cells"),
    "main_cold": _run(600.0, detail="36 cells: 4 failed, 28 passed, 4 skipped; chain ran 13 times for 28 cells"),
    "main_warm": _run(230.0, ok=False, detail="36 cells: 28 passed; exit code 1"),
}

GOLDEN = """\
Matrix speed benchmark, 2025-11-25T16:00:00+00:00
machine: 2 cores (AMD EPYC 7B13), 23.4 GiB RAM, 67 GiB free disk; Linux-6.1.0-x86_64-with-glibc2.36
versions: python 3.11.7 (harness), uv 0.13.9, pip 23.2.1 (harness env)
load average 1/5/15 min: before 3.46 3.15 1.80; after 2.10 2.50 2.20
cells: 2 (3.8, 3.10 x default), pack spleeter==2.4.2, harness workers 2

measurement                                              time  x base  target      outcome
-------------------------------------------------- ---------- -------  ----------- -------
(a) naive baseline: venv + pip, cold cache            400.0 s
    pip cache after the last cell: 0 MiB
    3.8--default                                      210.0 s                      ok  install 200.0 s; venv 3.0 s; 3.8.18 (pyenv, lookup 1.2 s not counted), pip 23.0.1, tensorflow 2.13.1
    3.10--default                                     190.0 s                      ok  install 185.5 s; venv 2.5 s; 3.10.13 (pyenv, lookup 0.0 s not counted), pip 23.0.1, tensorflow 2.12.1
(b) harness, cold uv cache, 2 workers                 120.0 s   0.30x  <= 0.35x    met, FAILED (1 of 2)
    3.8--default                                      110.0 s                      ok  install 90.0 s; 3.8.18 (uv-find), tensorflow 2.13.1
    3.10--default                                     100.0 s                      FAILED  install 80.0 s; failed: network-or-index: read timed out
(c) harness, warm uv cache, 2 workers                  30.5 s   0.08x
    uv cache after this run: 2210 MiB
    3.8--default                                       25.0 s                      ok  install 8.0 s; 3.8.18 (uv-find), tensorflow 2.13.1
    3.10--default                                      24.0 s                      ok  install 7.5 s; 3.10.13 (uv-find), tensorflow 2.12.1
(c) one cell alone, warm cache (3.10--default)         20.0 s   0.05x
    its install step                                    6.2 s          <= 10 s     met
(d) smoke chain on the sample item, wall               48.0 s
    samples/two-speakers in the 3.10 cell's venv
    CPU, whole chain process tree                      61.4 s          < 60 s      MISSED
    CPU, stage subprocesses only                       57.0 s
    separate                                           30.0 s                      ok  passed: 2 stems
    mux                                                 1.0 s                      ok  passed: mp4
    model provisioning (install time, not counted)     12.0 s
(e) dry resolution, whole matrix, windows, cold        41.0 s          < 60 s      met
    36 cells: 4 failed, 28 passed, 4 skipped
(e) dry resolution, whole matrix, windows, warm       skipped
(f) plain noxfile, nox -j 2, warm uv cache             80.0 s   0.20x
    harness warm / this                                 0.38x          <= 0.6x     met
    2 cells
(f) tox-uv, tox p -p 2, warm uv cache                  40.0 s   0.10x
    harness warm / this                                 0.76x          <= 0.6x     MISSED
    2 cells
(g) main job ./run.sh matrix, cold, 2 workers         600.0 s          <= 8 min    MISSED
    36 cells: 4 failed, 28 passed, 4 skipped; chain ran 13 times for 28 cells
(g) main job ./run.sh matrix, warm, 2 workers         230.0 s          <= 4 min    FAILED
    36 cells: 28 passed; exit code 1
    warm / cold                                         0.38x

targets missed: chain CPU 61.4 s (target < 60 s); warm harness 0.76x the tox-uv peer (target <= 0.6x); cold main job 10.0 min (target <= 8 min)

note: baseline: per cell, one after another: `python -m venv` with the interpreter the harness finds, then
      `pip install <pack>` with the venv's bundled pip, no pip configuration, one pip cache that is empty at
      the start; finding the interpreter, an import check and pip freeze are not timed
note: harness: the whole `python -m harness run --no-chain` process (interpreter lookup, preflight, venvs,
      installs, import checks, pip freeze, venv removal, reports), one uv cache shared by the parallel cells
note: peers (f): the same cells' install + import check as a user writes them with nox or tox-uv
      (benchmarks/peers.py), after the harness runs, on the same warm uv cache; strategies that are not one
      plain install are left out of them
note: cold = empty cache directories at the start; warm = the same cache again; cell times overlap when
      workers > 1, so they add up to more than the wall time
note: main job (g): `./run.sh matrix` as a user runs it (every cell, the chain, the dry resolutions, the
      report), its uv cache, pip index cache, model and XDG cache new empty folders of the scratch for the
      cold run, the same folders again for the warm one (benchmarks/mainjob.py)
note: chain item given with --item: samples/two-speakers (matrix.yaml names samples/default)
"""


def test_report_is_the_golden_text():
    assert format_report(Figures.from_json(FAKE)) == GOLDEN


def test_skipped_parts_print_as_skipped_and_have_no_ratio():
    data = copy.deepcopy(FAKE)
    for key in ("baseline", "chain", "resolve_cold", "tox_peer", "main_cold"):
        data[key] = None
    text = format_report(Figures.from_json(data))
    rows = {line.split("  ")[0]: line for line in text.splitlines() if line.startswith("(")}
    assert rows["(a) naive baseline: venv + pip, cold cache"].split() == [
        "(a)", "naive", "baseline:", "venv", "+", "pip,", "cold", "cache", "skipped"]
    assert rows["(d) smoke chain on the sample item"].endswith("skipped")
    assert rows["(g) main job ./run.sh matrix, cold, 2 workers"].endswith("skipped")
    assert "warm / cold" not in text  # no ratio without both runs
    cold = rows["(b) harness, cold uv cache, 2 workers"]
    assert "x" not in cold.split("120.0 s")[1].split("<=")[0]  # no ratio without a baseline
    assert "FAILED (1 of 2)" in cold and "met" not in cold
    assert "targets missed: none" in text


def test_missed_targets_name_each_miss():
    data = copy.deepcopy(FAKE)
    data["harness_cold"]["wall_s"] = 200.0
    data["single_warm"]["parts"][0]["install_s"] = 10.5
    data["resolve_warm"] = _run(60.0)
    assert missed_targets(Figures.from_json(data)) == [
        "cold harness 0.50x the baseline (target <= 0.35x)",
        "warm install of one cell 10.5 s (target <= 10 s)",
        "chain CPU 61.4 s (target < 60 s)",
        "warm harness 0.76x the tox-uv peer (target <= 0.6x)",
        "warm dry resolution 60.0 s (target < 60 s)",
        "cold main job 10.0 min (target <= 8 min)",
    ]


def test_ratio_and_verdict_edges():
    figures = Figures.from_json(FAKE)
    assert ratio(figures.harness_cold, figures.baseline) == pytest.approx(0.3)
    assert ratio(figures.harness_cold, None) is None
    assert ratio(None, figures.baseline) is None
    assert verdict(0.35, 0.35) == "met" and verdict(0.351, 0.35) == "MISSED"
    assert verdict(60.0, 60.0, strict=True) == "MISSED" and verdict(59.9, 60.0, strict=True) == "met"
    assert verdict(None, 60.0) == ""


def test_json_round_trip_keeps_every_figure_and_adds_the_ratios():
    figures = Figures.from_json(FAKE)
    data = figures.to_json()
    assert Figures.from_json(data) == figures
    assert data["schema"] == 1
    assert data["ratios"] == {"main_warm_vs_cold": 0.3833, "harness_cold_vs_baseline": 0.3, "harness_warm_vs_baseline": 0.0762,
                              "harness_warm_vs_nox": 0.3812, "harness_warm_vs_tox": 0.7625}
    assert data["chain"]["cpu_s"] == 61.4 and data["resolve_warm"] is None


def test_default_options_are_the_default_strategy_on_the_matrix_pythons():
    config = bench.parse_config([])
    assert config.pythons == ("3.8", "3.9", "3.10", "3.11")
    assert config.strategies == ("default",)
    assert config.workers == (os.cpu_count() or 1)
    assert config.chain_python == "3.10"
    assert not (config.skip_baseline or config.skip_chain or config.skip_resolve or config.keep)
    assert config.json_out is None and config.item is None and config.model_dir is None


def test_selection_and_skip_flags(tmp_path):
    config = bench.parse_config(["--python", "3.9", "--python", "3.8", "--python", "3.9", "--strategy", "wheel-first*",
                                 "--workers", "3", "--skip-baseline", "--skip-chain", "--skip-resolve", "--keep",
                                 "--json-out", str(tmp_path / "b.json"), "--scratch", str(tmp_path)])
    assert config.pythons == ("3.9", "3.8")
    assert config.strategies == ("wheel-first*",)
    assert config.chain_python == "3.8"  # 3.10 not selected: the last one given
    assert (config.workers, config.skip_baseline, config.skip_chain, config.skip_resolve, config.keep) == \
        (3, True, True, True, True)
    assert config.json_out == tmp_path / "b.json" and config.scratch_root == tmp_path


@pytest.mark.parametrize("argv, message", [
    (["--python", "3.x"], "--python '3.x': expected a version like 3.10"),
    (["--strategy", "nope"], "--strategy 'nope' matches no strategy of matrix.yaml"),
    (["--workers", "0"], "--workers must be at least 1"),
    (["--python", "3.9", "--chain-python", "3.10"], "--chain-python 3.10 is not one of the selected Pythons (3.9)"),
])
def test_bad_options_exit_2_before_anything_runs(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench.parse_config(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_refuses_to_start_without_enough_free_disk(tmp_path):
    with pytest.raises(InsufficientDiskError) as refused:
        bench.check_free_disk(tmp_path, need_gib=10 ** 9)
    assert refused.value.exit_code == 3
    assert "the benchmark needs 1000000000 GiB" in str(refused.value)
    assert "--scratch" in str(refused.value)
    assert bench.check_free_disk(tmp_path, need_gib=0) > 0


def test_scratch_folders_start_empty_inside_one_root(tmp_path):
    scratch = bench.Scratch.under(tmp_path / "s")
    scratch.make()
    folders = [getattr(scratch, f) for f in ("pip_cache", "uv_cache", "harness_pip_cache", "resolve_cache", "venvs",
                                               "results", "work", "chain", "models", "logs")]
    assert len(set(folders)) == 10
    assert all(f.parent == tmp_path / "s" and f.is_dir() and not any(f.iterdir()) for f in folders)
    with pytest.raises(FileExistsError):  # a second benchmark never reuses a "cold" cache
        scratch.make()


def test_harness_env_sets_the_caches_and_drops_matrix_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("MATRIX_WORKERS", "9")
    monkeypatch.setenv("UV_CACHE_DIR", "/elsewhere")
    env = bench.harness_env(tmp_path / "uv", tmp_path / "pip")
    assert "MATRIX_WORKERS" not in env
    assert env["UV_CACHE_DIR"] == str(tmp_path / "uv") and env["PIP_CACHE_DIR"] == str(tmp_path / "pip")


def test_cells_written_by_the_harness_become_rows(tmp_path):
    interpreter = InterpreterInfo(requested="3.10", version="3.10.13", path="/x/python", arch="64bit", source="pyenv")
    passed = CellResult(
        run_id="warm", python="3.10", strategy="default", installer="uv", status="passed", interpreter=interpreter,
        duration=21.75, versions={"tensorflow": "2.12.1"},
        steps=(StepResult("preflight", "passed", 0.5, kind="preflight"),
               StepResult("venv", "passed", 1.0, kind="provision"),
               StepResult("install", "passed", 7.25),
               StepResult("import-check", "passed", 4.0, kind="verify")))
    diagnosis = Diagnosis(category="network-or-index", blocker=None, next_action="retry", summary="read timed out")
    failed = CellResult(run_id="warm", python="3.8", strategy="default", installer="uv", status="failed",
                        interpreter=interpreter, duration=9.0,
                        steps=(StepResult("install", "failed", 8.0, diagnosis=diagnosis),))
    for cell in (passed, failed):
        write_cell(tmp_path, cell)
    rows = [bench.cell_part(c) for c in bench.cells_of(tmp_path)]
    assert [r.name for r in rows] == ["3.8--default", "3.10--default"]  # version order, not file-name order
    assert rows[0].ok is False and rows[0].install_s == 8.0
    assert rows[0].detail == "failed: network-or-index: read timed out"
    assert rows[1].ok and rows[1].wall_s == 21.75 and rows[1].install_s == 7.25
    assert rows[1].detail == "import check 4.0 s; other 9.0 s; 3.10.13 (pyenv), tensorflow 2.12.1"


def test_freeze_version_reads_pip_freeze_output():
    frozen = "absl-py==2.1.0\nTensorFlow==2.12.1\ntensorflow-io-gcs-filesystem==0.32.0\n-e git+x#egg=y\n"
    assert bench.freeze_version(frozen, "tensorflow") == "2.12.1"
    assert bench.freeze_version(frozen, "tensorflow_io_gcs_filesystem") == "0.32.0"
    assert bench.freeze_version(frozen, "spleeter") == "?"


def test_folder_size_counts_a_hard_linked_file_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "wheel").write_bytes(b"x" * 1024 * 1024)
    os.link(str(tmp_path / "a" / "wheel"), str(tmp_path / "linked"))  # uv links cache files into venvs
    (tmp_path / "small").write_bytes(b"y" * 512 * 1024)
    assert bench.folder_mib(tmp_path) == 1.5


def test_the_peers_are_the_plain_files_a_user_writes_for_the_plain_strategies():
    from benchmarks import peers
    from harness import matrix as matrix_mod
    from harness.cells import plan_cells

    m = matrix_mod.load(bench.ROOT / "matrix.yaml")
    cells = [c for c in plan_cells(m, ["3.8", "3.10"]) if peers.expressible(c)]
    assert [c.key for c in cells] == ["3.8--default", "3.10--default"]  # one uv install, no args or pins
    noxfile = peers.noxfile_text(m, cells)
    compile(noxfile, "noxfile.py", "exec")  # valid Python as written
    assert "@nox.session(python=['3.8', '3.10'], allow_parallel=True)" in noxfile
    assert "@nox.parametrize(\"strategy\", ['default'])" in noxfile
    assert "session.install('spleeter==2.4.2')" in noxfile and "import spleeter, tensorflow" in noxfile
    tox = peers.tox_ini_text(m, cells)
    assert "env_list = py38-default, py310-default" in tox and "runner = uv-venv-runner" in tox
    assert "deps = spleeter==2.4.2" in tox
    assert peers.nox_argv(Path("py"), Path("f"))[2:7] == ["nox", "-f", str(Path("f") / "noxfile.py"), "-j", "2"]
    assert peers.tox_argv(Path("py"), Path("f"))[2:6] == ["tox", "p", "-p", "2"]


def test_the_peers_get_the_harness_interpreters_first_and_no_uv_configuration(tmp_path):
    from benchmarks import peers

    env = peers.peer_env({"PATH": "/usr/bin", "UV_CACHE_DIR": "/elsewhere"},
                         ["/root/.pyenv/versions/3.8.18/bin/python3.8", "/root/.pyenv/versions/3.8.18/bin/python"],
                         tmp_path / "uv-cache", Path("/tools/bin"))
    assert env["PATH"].split(os.pathsep) == ["/root/.pyenv/versions/3.8.18/bin", "/tools/bin", "/usr/bin"]
    assert env["UV_CACHE_DIR"] == str(tmp_path / "uv-cache") and env["UV_NO_CONFIG"] == "1"


def test_the_main_job_gets_its_own_empty_caches_and_none_of_the_callers(tmp_path):
    from benchmarks.mainjob import MainJobDirs, main_job_env

    dirs = MainJobDirs.under(tmp_path / "main")
    dirs.make()
    caller = {"PATH": "/usr/bin", "UV_CACHE_DIR": "/root/.cache/uv", "MODEL_PATH": "/models", "MATRIX_WORKERS": "8",
              "XDG_CACHE_HOME": "/root/.cache", "PIP_CACHE_DIR": "/root/.cache/pip", "MATRIX_OUT": "/elsewhere"}
    env = main_job_env(dirs, "main-cold", 3, caller)
    assert env["PATH"] == "/usr/bin" and "MODEL_PATH" not in env and "PIP_CACHE_DIR" not in env
    assert env["UV_CACHE_DIR"] == str(dirs.uv_cache) and env["XDG_CACHE_HOME"] == str(dirs.xdg_cache)
    assert (env["MATRIX_WORK_DIR"], env["MATRIX_OUT"], env["MATRIX_RUN_ID"], env["MATRIX_WORKERS"]) == (
        str(dirs.work), str(dirs.results), "main-cold", "3")
    assert all(not any(p.iterdir()) for p in (dirs.uv_cache, dirs.xdg_cache, dirs.work, dirs.results))


def test_the_main_job_summary_counts_chain_runs_step_time_and_pip_files(tmp_path):
    import json

    from benchmarks.mainjob import pip_files, summary

    def cell(strategy, chain_from="", status="passed", install_from=""):
        stage = () if status != "passed" else (StepResult("separate", "passed", 10.0, kind="stage"),)
        return CellResult(run_id="m", python="3.10", strategy=strategy, installer="pip", status=status, duration=40.0,
                          chain_from=chain_from, install_from=install_from,
                          steps=(StepResult("install", "passed", 20.0),
                                                        StepResult("import-check", "passed", 5.0, kind="verify"))
                          + stage)

    cells = [cell("default-pip"), cell("bootstrap", chain_from="3.10/default-pip", install_from="3.10/default-pip"),
             cell("wheel-first", status="failed")]
    (tmp_path / "index-cache.json").write_text(json.dumps(
        {"network_bytes": 0, "served_bytes": 2_000_000, "files_served": 4, "passed_through": 0}), encoding="utf-8")
    text = summary(cells, pip_files(tmp_path))
    assert text == ("3 cells: 1 failed, 2 passed; cell time 120 s, of it install 60 s, import check 15 s, chain stages "
                    "20 s; chain ran 1 times for 2 cells; 1 pip cells took another cell's install; pip files: 2.0 MB in 4 downloads, 0.0 kB of it from the "
                    "network, 2.0 MB from the index cache")
    assert pip_files(tmp_path / "nothing-here") == ""
