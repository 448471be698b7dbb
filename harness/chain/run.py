"""Run the chain: each stage a subprocess with its own log and timeout, checked before the next.

A stage is the built-in reference implementation or, when matrix.yaml gives
one, the product's own argv command with ``{placeholders}`` filled in; either
way the same output checks (:mod:`.verify`) decide whether it passed. The
first stage that does not pass stops the chain: the later ones are reported
as skipped, never as passed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from harness.proc import log_tail, run_logged
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT, Category, Diagnosis, Status, StepKind, StepResult

from . import ChainContext
from .item import ItemError, SampleItem, load_item
from .layout import ItemLayout
from .media import FfmpegMissing, extract_audio, find_ffmpeg
from .model import ModelError, check_model
from .spec import PLACEHOLDER_RE, PLACEHOLDERS, STAGE_NAMES, WHERE_HARNESS, WHERE_VENV, ChainSpec, StageSpec
from .verify import VERIFIERS, CheckFailed

REPO_ROOT = Path(__file__).resolve().parent.parent.parent  # holds the harness package
DECODE_TIMEOUT_S = 300.0  # extracting the item's audio with ffmpeg before Separate
SEPARATE_SCRIPT = Path(__file__).resolve().parent / "separate.py"
_CATEGORY_MARK_RE = re.compile(r"^(model-download-failed|ffmpeg-missing):", re.MULTILINE)

NEXT_ACTIONS = {
    "model-download-failed": "provision the model at install time (python -m harness.chain model --root DIR) "
                             "and point the chain's model_dir at it",
    "ffmpeg-missing": "install ffmpeg (Debian: apt-get install ffmpeg; Windows: winget install ffmpeg) "
                      "or pip install imageio-ffmpeg into the harness env",
    "timeout": "raise the stage's timeout in matrix.yaml, or look at the log for where it hung",
    "other": "read the stage log; the message names the check that failed",
}


class StageError(Exception):
    """A stage could not even start (model missing, audio not decodable)."""

    def __init__(self, message: str, category: str) -> None:
        super().__init__(message)
        self.category = category


def builtin_spec(item: str) -> ChainSpec:
    """Every stage built in: Separate in the cell's venv, the rest in the harness env."""
    stages = tuple(StageSpec(name, WHERE_VENV if name == "separate" else WHERE_HARNESS) for name in STAGE_NAMES)
    return ChainSpec(item=item, stages=stages)


def fill_placeholders(argv: Sequence[str], values: Mapping[str, str]) -> Tuple[str, ...]:
    """Replace ``{name}`` by its value; an unknown name is an error, other braces stay as they are."""
    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}; known: {', '.join(PLACEHOLDERS)}")
        return values[name]

    return tuple(PLACEHOLDER_RE.sub(replace, arg) for arg in argv)


def placeholder_values(item: SampleItem, layout: ItemLayout, ctx: ChainContext) -> Dict[str, str]:
    return {"item_dir": str(layout.root), "item_id": item.id, "source_dir": str(item.folder),
            "video": str(item.video), "python": str(ctx.venv_python), "harness_python": str(ctx.harness_python),
            "model_dir": str(ctx.model_dir), "audio": str(layout.audio)}


def builtin_argv(stage: StageSpec, item: SampleItem, layout: ItemLayout, ctx: ChainContext) -> List[str]:
    python = str(ctx.venv_python if stage.where == WHERE_VENV else ctx.harness_python)
    if stage.name == "separate":  # a script file, not `-m`: the venv does not have the harness package
        return [python, str(SEPARATE_SCRIPT), "--audio", str(layout.audio), "--out-dir", str(layout.separation),
                "--model-dir", str(ctx.model_dir)]
    module = [python, "-m", f"harness.chain.{stage.name}"]
    if stage.name == "diarize":
        extra = ["--reference", str(item.rttm)] if item.rttm else []
        return module + ["--vocals", str(layout.vocals), "--out", str(layout.rttm), "--item-id", item.id,
                         "--speakers", str(len(item.speakers))] + extra
    if stage.name == "tts":
        return module + ["--rttm", str(layout.rttm), "--transcript", str(item.transcript), "--out-dir",
                         str(layout.tts), "--rate", str(item.sample_rate)]
    if stage.name == "mix":
        return module + ["--accompaniment", str(layout.accompaniment), "--tts-dir", str(layout.tts), "--out",
                         str(layout.mix), "--duration", f"{item.duration:.3f}"]
    if stage.name == "mux":
        return module + ["--video", str(item.video), "--audio", str(layout.mix), "--out", str(layout.mp4),
                         "--duration", f"{item.duration:.3f}"]
    raise ValueError(f"unknown stage {stage.name!r}")


def stage_env(stage: StageSpec, ctx: ChainContext, builtin_module: bool) -> Dict[str, str]:
    """The stage's environment: the caller's, plus ctx.env, MODEL_PATH, and the venv first on PATH for venv stages."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(ctx.env)
    env["MODEL_PATH"] = str(ctx.model_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    if stage.where == WHERE_VENV:
        bindir = Path(ctx.venv_python).parent
        env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
        env["VIRTUAL_ENV"] = str(bindir.parent)
    if builtin_module:  # `python -m harness.chain.X` must find this package
        env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def _note(log: Path, text: str) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"[chain] {text}\n")


def _prepare_separate(item: SampleItem, layout: ItemLayout, ctx: ChainContext, env: Mapping[str, str],
                      log: Path, timeout: float) -> None:
    """Install-time guarantees re-checked at run time: a real model, and the item's audio as PCM."""
    try:
        check_model(ctx.model_dir)
    except ModelError as exc:
        raise StageError(str(exc), "model-download-failed") from exc
    _note(log, f"model ok: {Path(ctx.model_dir) / '2stems'}")
    try:
        ffmpeg = find_ffmpeg(env)
    except FfmpegMissing as exc:
        raise StageError(f"cannot decode the item's audio: {exc}", "ffmpeg-missing") from exc
    layout.audio.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = extract_audio(item.video, layout.audio, ffmpeg, item.sample_rate, 2, timeout)
    except subprocess.TimeoutExpired as exc:
        raise StageError(f"ffmpeg did not decode the item's audio within {timeout:.0f} s", "timeout") from exc
    except OSError as exc:
        raise StageError(f"cannot run {ffmpeg}: {exc}", "ffmpeg-missing") from exc
    _note(log, f"decoded {item.video.name} -> {layout.audio} with {ffmpeg}: exit {proc.returncode} "
               f"{proc.stderr.strip()}")
    if proc.returncode != 0 or not layout.audio.is_file():
        raise StageError(f"ffmpeg could not decode the item's audio (exit {proc.returncode})", "other")


def _shared_diagnosis(log: Path) -> Optional[Diagnosis]:
    """The log diagnoser every step uses, when this checkout has it."""
    try:
        from harness.diagnose import diagnose_file
    except ImportError:  # harness.diagnose is written alongside the chain
        return None
    return diagnose_file(log) if log.is_file() else None


def _diagnosis(category: Optional[str], message: str, log: Path, stage: StageSpec) -> Diagnosis:
    """Our own category when the chain knows the cause; else what the shared diagnoser reads in the log.

    The chain knows better than any log pattern when it raised the failure
    itself (a model check, a missing ffmpeg, an output check); a stage that just
    exited non-zero is left to the diagnoser, which knows pip, uv and TensorFlow.
    """
    if category is None:
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        marked = _CATEGORY_MARK_RE.search(text)  # our stages print "model-download-failed: ..." and the like
        category = marked.group(1) if marked else None
    if category == "timeout":
        try:
            from harness.diagnose import timeout_diagnosis
        except ImportError:
            pass
        else:
            return timeout_diagnosis(f"stage {stage.name}", stage.timeout)
    shared = _shared_diagnosis(log)
    if shared is not None and shared.category != "other" and category in (None, shared.category):
        return shared
    category = category or "other"
    evidence = tuple(line for line in log_tail(log, 8).splitlines() if line.strip())[-3:] if log.is_file() else ()
    return Diagnosis(category=Category.parse(category), blocker=None,
                     next_action=NEXT_ACTIONS.get(category, NEXT_ACTIONS["other"]), evidence=evidence, summary=message)


def run_stage(stage: StageSpec, item: SampleItem, layout: ItemLayout, ctx: ChainContext) -> StepResult:
    log = Path(ctx.log_dir) / f"stage-{stage.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    started = time.monotonic()
    builtin = stage.command is None
    argv: Tuple[str, ...] = ()

    def result(status: Status, message: str, category: Optional[str] = None, returncode: Optional[int] = None,
               metrics: Optional[Dict[str, object]] = None) -> StepResult:
        diagnosis = None if status == PASSED else _diagnosis(category, message, log, stage)
        return StepResult(name=stage.name, status=status, duration=round(time.monotonic() - started, 3),
                          command=argv, returncode=returncode, log_path=str(log), log_tail=log_tail(log),
                          message=message, kind=StepKind.STAGE, diagnosis=diagnosis, metrics=dict(metrics or {}))

    try:
        argv = tuple(builtin_argv(stage, item, layout, ctx) if builtin
                     else fill_placeholders(stage.command or (), placeholder_values(item, layout, ctx)))
        env = stage_env(stage, ctx, builtin_module=builtin and stage.name != "separate")
        _note(log, f"stage {stage.name}: {'built-in' if builtin else 'command'} in the {stage.where} env")
        if stage.name == "separate":
            # The decode is the harness's own preparation, not the stage's command: it gets its own
            # bound, so a short stage timeout (or a loaded machine) cannot turn it into the stage's timeout.
            _prepare_separate(item, layout, ctx, env, log, max(stage.timeout, DECODE_TIMEOUT_S))
        proc = run_logged(argv, log, stage.timeout, env=env, cwd=REPO_ROOT)
    except (StageError, ValueError) as exc:
        _note(log, f"failed before running: {exc}")
        category = getattr(exc, "category", "other")
        return result(TIMEOUT if category == "timeout" else FAILED, str(exc), category)
    if proc.timed_out:
        return result(TIMEOUT, f"timed out after {stage.timeout:.0f} s", "timeout")
    if proc.returncode != 0:
        return result(FAILED, f"exited with code {proc.returncode}", None, proc.returncode)
    try:
        checked = VERIFIERS[stage.name](layout, item, env)
    except CheckFailed as exc:
        _note(log, f"output check failed: {exc.message}")
        return result(FAILED, exc.message, exc.category, proc.returncode, exc.metrics)
    except Exception as exc:  # noqa: BLE001 - a check that cannot even read the output is a failed check
        message = f"output check could not read the stage's output: {type(exc).__name__}: {exc}"
        _note(log, message)
        return result(FAILED, message, "other", proc.returncode)
    _note(log, f"output check passed: {checked.summary} {checked.metrics}")
    return result(PASSED, checked.summary, None, proc.returncode, checked.metrics)


def _skipped(stage: StageSpec, blocker: str) -> StepResult:
    return StepResult(name=stage.name, status=SKIPPED, kind=StepKind.STAGE,
                      message=f"skipped: stage '{blocker}' did not pass")


def run_chain(spec: ChainSpec, ctx: ChainContext) -> List[StepResult]:
    """One StepResult per stage of ``spec``, in order; stops running at the first stage that fails."""
    if not spec.stages:
        return []
    try:
        item = load_item(Path(ctx.source_dir))
        layout = ItemLayout.under(Path(ctx.derived_root), item.id)
    except ItemError as exc:
        first, rest = spec.stages[0], spec.stages[1:]
        log = Path(ctx.log_dir) / f"stage-{first.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"[chain] the item is unusable: {exc}\n", encoding="utf-8")
        failed = StepResult(name=first.name, status=FAILED, kind=StepKind.STAGE, log_path=str(log),
                            message=f"item {ctx.source_dir}: {exc}",
                            diagnosis=_diagnosis("other", str(exc), log, first))
        return [failed] + [_skipped(s, first.name) for s in rest]
    if layout.root.exists():  # stale outputs of an earlier run must not pass this run's checks
        shutil.rmtree(layout.root)
    layout.root.mkdir(parents=True)
    results: List[StepResult] = []
    blocker: Optional[str] = None
    for stage in spec.stages:
        if blocker:
            results.append(_skipped(stage, blocker))
            continue
        outcome = run_stage(stage, item, layout, ctx)
        results.append(outcome)
        if outcome.status != PASSED:
            blocker = stage.name
    return results
