"""Cell sets shaped like the default matrix's real results, for the report tests.

The shape follows the README's findings for the default matrix.yaml (9 strategies × Python
3.8–3.11 on the Windows runner, the win_amd64 dry resolution, the end-user profile): the
`wheel-first*` cells fail on 3.8 for `jax`, `source-build` is skipped, every dry cell but
`no-deps-pinned` and `resilient` fails on `tensorflow-io-gcs-filesystem==0.32.0`. Log paths are
recorded as a Windows runner records them (absolute, backslashes) and, with
:func:`write_results`, exist under the results dir as they do in a downloaded artifact.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence

from harness.results import (
    DRY_LABEL,
    FAILED,
    PASSED,
    SKIPPED,
    CellResult,
    Diagnosis,
    InterpreterInfo,
    StepResult,
    cell_key,
    write_cell,
)

STRATEGIES = ("default", "default-pip", "wheel-first", "wheel-first-pip", "bootstrap", "source-build",
              "no-build-isolation", "no-deps-pinned", "resilient")
PYTHONS = ("3.8", "3.9", "3.10", "3.11")
RUNNER_ROOT = "D:\\a\\spleeter-matrix\\spleeter-matrix\\results\\windows-py{python}\\logs\\{key}\\{name}.log"
VERSIONS = {"spleeter": "2.4.2", "tensorflow": "2.12.1", "tensorflow-intel": "2.12.1",
            "tensorflow-io-gcs-filesystem": "0.31.0", "numpy": "1.23.5", "pandas": "1.5.3"}
JAX = Diagnosis("no-wheel-for-platform", "jax", "use Python 3.9 or newer, or allow source builds",
                summary="the 3.8-capable jax releases are sources only")
GCS = Diagnosis("no-wheel-for-platform", "tensorflow-io-gcs-filesystem==0.32.0",
                "pin tensorflow-io-gcs-filesystem==0.31.0 (no-deps-pinned does)",
                summary="no win_amd64 wheel for tensorflow-io-gcs-filesystem 0.32.0")
METRICS = {"separate": {"sdr_gain_db": 14.25}, "diarize": {"der": 0.0}, "tts": {"segments": 4},
           "mix": {"ducking_db": 12.1, "clipped_samples": 0}, "mux": {"mp4_duration_s": 20.0}}


def _key(python: str, strategy: str, platform: str, profile: str) -> str:
    key = cell_key(python, strategy)
    if platform.startswith(DRY_LABEL):
        return f"{key}--{platform}"
    return f"{key}--{profile}" if profile else key


def _where(platform: str) -> Dict[str, Optional[str]]:
    """A column group as the table names it: ``resolve-win_amd64`` is a dry resolution for win_amd64."""
    if platform.startswith(DRY_LABEL):
        return {"platform": "", "target": platform[len(DRY_LABEL):]}
    return {"platform": platform, "target": None}


def step(cell_key_: str, python: str, name: str, status: str = PASSED, kind: str = "install",
         diagnosis: Optional[Diagnosis] = None, metrics: Optional[Dict] = None, duration: float = 3.2,
         command: Sequence[str] = ()) -> StepResult:
    file_name = ("stage-" if kind == "stage" else "") + name.replace("/", "--")  # as the harness names them
    log = RUNNER_ROOT.format(python=python, key=cell_key_, name=file_name)
    return StepResult(name, status, duration, tuple(command), 0 if status == PASSED else 1, log,
                      "" if status == PASSED else "ERROR: see the log", diagnosis.headline() if diagnosis else "",
                      kind, diagnosis, dict(metrics or {}))


def make_cell(python: str, strategy: str, status: str, platform: str = "windows", profile: str = "",
              diagnosis: Optional[Diagnosis] = None, versions: Optional[Dict[str, str]] = None,
              chain: bool = True, winner: Optional[str] = None, reason: str = "", run_id: str = "",
              stage_metrics: Optional[Dict[str, Dict]] = None) -> CellResult:
    key = _key(python, strategy, platform, profile)
    steps: List[StepResult] = []
    if status != SKIPPED:
        steps.append(step(key, python, "venv", kind="provision", duration=1.1))
        steps.append(step(key, python, "install", status if status != PASSED else PASSED, diagnosis=diagnosis,
                          command=("uv", "pip", "install", "spleeter==2.4.2")))
        if status == PASSED and not platform.startswith(DRY_LABEL):
            steps.append(step(key, python, "import-check", kind="verify", metrics={"versions": versions or VERSIONS}))
            if chain:
                for stage, metrics in (stage_metrics or METRICS).items():
                    steps.append(step(key, python, stage, kind="stage", metrics=metrics, duration=4.0))
    return CellResult(
        run_id=run_id or ("resolve-windows" if platform.startswith(DRY_LABEL) else f"windows-py{python}"),
        python=python, strategy=strategy, installer="uv", status=status, steps=tuple(steps),
        interpreter=InterpreterInfo(python, python + ".10", f"C:\\hostedtoolcache\\Python\\{python}\\python.exe",
                                    "64bit", "uv-find"),
        duration=42.0, **_where(platform), pack="spleeter==2.4.2", winner=winner,
        versions=dict(versions or VERSIONS) if status == PASSED else {}, reason=reason, profile=profile,
        inputs_digest="d1" + python.replace(".", "") + strategy[:3])


def default_matrix_cells(end_user: bool = True) -> List[CellResult]:
    """The merged CI run: windows × 9 strategies × 4 Pythons, win_amd64 dry resolution, end-user profile."""
    cells: List[CellResult] = []
    for python in PYTHONS:
        for strategy in STRATEGIES:
            if strategy == "source-build":
                for platform in ("windows", "resolve-win_amd64"):
                    cells.append(make_cell(python, strategy, SKIPPED, platform,
                                           reason="needs opt-in (--allow-source-builds)"))
                continue
            jax = python == "3.8" and strategy.startswith("wheel-first")
            winner = "bootstrap" if strategy == "resilient" else None
            cells.append(make_cell(python, strategy, FAILED if jax else PASSED, diagnosis=JAX if jax else None,
                                   winner=winner))
            dry_ok = strategy in ("no-deps-pinned", "resilient")
            cells.append(make_cell(python, strategy, PASSED if dry_ok else FAILED, "resolve-win_amd64",
                                   diagnosis=None if dry_ok else GCS,
                                   winner="no-deps-pinned" if strategy == "resilient" else None))
        if end_user:
            cells.append(make_cell(python, "resilient", PASSED, profile="end-user", winner="bootstrap",
                                   run_id=f"enduser-py{python}"))
    return cells


def write_results(root: Path, cells: Sequence[CellResult], freeze: Optional[Dict[str, str]] = None) -> Path:
    """A results dir as an artifact download holds it: cells/, and every step's log under logs/<key>/."""
    for cell in cells:
        write_cell(root, cell)
        for s in cell.steps:
            name = s.log_path.replace("\\", "/").rsplit("/", 1)[-1]
            log = root / "logs" / cell.key / name
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(f"$ {' '.join(s.command) or s.name}\n{s.status}\n", encoding="utf-8")
        if freeze is not None and cell.status == PASSED and not cell.is_dry:
            lines = [f"{name}=={version}" for name, version in sorted(freeze.items())]
            (root / "logs" / cell.key / "pip-freeze.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
