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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from harness.proc import log_tail, run_logged
from harness.results import FAILED, PASSED, SKIPPED, TIMEOUT, Category, Diagnosis, Status, StepKind, StepResult

from . import ChainContext
from .item import ItemError, SampleItem, load_item
from .layout import ItemLayout
from .media import FfmpegMissing, extract_audio, find_ffmpeg
from .model import ModelError, check_model
from .spec import PLACEHOLDER_RE, PLACEHOLDERS, WHERE_VENV, ChainSpec, StageSpec
from .stages import STAGES, Stage, stage_named
from .verify import CheckFailed

REPO_ROOT = Path(__file__).resolve().parent.parent.parent  # holds the harness package
DECODE_TIMEOUT_S = 300.0  # extracting the item's audio with ffmpeg before Separate
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
    """Every stage built in, each where the registry says it runs (Separate in the cell's venv)."""
    return ChainSpec(item=item, stages=tuple(StageSpec(stage.name, stage.where) for stage in STAGES))


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


def stage_argv(spec: StageSpec, item: SampleItem, layout: ItemLayout, ctx: ChainContext) -> Tuple[str, ...]:
    """What runs for ``spec``: the product's command with its placeholders filled, else the built-in one."""
    if spec.command is not None:
        return fill_placeholders(spec.command, placeholder_values(item, layout, ctx))
    python = str(ctx.venv_python if spec.where == WHERE_VENV else ctx.harness_python)
    return tuple(stage_named(spec.name).argv(python, item, layout, ctx))


def stage_env(spec: StageSpec, ctx: ChainContext, builtin_module: bool) -> Dict[str, str]:
    """The stage's environment: the caller's, plus ctx.env, MODEL_PATH, and the venv first on PATH for venv stages."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(ctx.env)
    env["MODEL_PATH"] = str(ctx.model_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    if spec.where == WHERE_VENV:
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


def _diagnosis(category: Optional[str], message: str, log: Path, spec: StageSpec) -> Diagnosis:
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
            return timeout_diagnosis(f"stage {spec.name}", spec.timeout)
    shared = _shared_diagnosis(log)
    if shared is not None and shared.category != "other" and category in (None, shared.category):
        return shared
    category = category or "other"
    evidence = tuple(line for line in log_tail(log, 8).splitlines() if line.strip())[-3:] if log.is_file() else ()
    return Diagnosis(category=Category.parse(category), blocker=None,
                     next_action=NEXT_ACTIONS.get(category, NEXT_ACTIONS["other"]), evidence=evidence, summary=message)


@dataclass(frozen=True)
class Outcome:
    """How a stage ended, before it becomes a StepResult: every ending (ran, checked, refused) takes this shape."""

    status: Status
    message: str
    category: Optional[str] = None  # the cause when the chain knows it; None = read the log
    returncode: Optional[int] = None
    metrics: Mapping[str, Any] = field(default_factory=dict)


def timed_out(message: str) -> Outcome:
    """The one place a timeout (the stage's command, or the decode before Separate) becomes an outcome."""
    return Outcome(TIMEOUT, message, "timeout")


def run_stage(spec: StageSpec, item: SampleItem, layout: ItemLayout, ctx: ChainContext) -> StepResult:
    log = Path(ctx.log_dir) / f"stage-{spec.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    started = time.monotonic()
    argv, outcome = _execute(spec, item, layout, ctx, log)
    diagnosis = None if outcome.status == PASSED else _diagnosis(outcome.category, outcome.message, log, spec)
    return StepResult(name=spec.name, status=outcome.status, duration=round(time.monotonic() - started, 3),
                      command=argv, returncode=outcome.returncode, log_path=str(log), log_tail=log_tail(log),
                      message=outcome.message, kind=StepKind.STAGE, diagnosis=diagnosis, metrics=dict(outcome.metrics))


def _execute(spec: StageSpec, item: SampleItem, layout: ItemLayout, ctx: ChainContext,
             log: Path) -> Tuple[Tuple[str, ...], Outcome]:
    """Run one stage and check its output; the argv is returned even when it never started."""
    stage = stage_named(spec.name)
    builtin = spec.command is None
    argv: Tuple[str, ...] = ()
    try:
        argv = stage_argv(spec, item, layout, ctx)
        env = stage_env(spec, ctx, builtin_module=builtin and stage.runs_as_module)
        _note(log, f"stage {spec.name}: {'built-in' if builtin else 'command'} in the {spec.where} env")
        if stage.uses_model:
            # The decode is the harness's own preparation, not the stage's command: it gets its own
            # bound, so a short stage timeout (or a loaded machine) cannot turn it into the stage's timeout.
            _prepare_separate(item, layout, ctx, env, log, max(spec.timeout, DECODE_TIMEOUT_S))
        proc = run_logged(argv, log, spec.timeout, env=env, cwd=REPO_ROOT)
    except (StageError, ValueError) as exc:
        _note(log, f"failed before running: {exc}")
        category = exc.category if isinstance(exc, StageError) else "other"
        return argv, timed_out(str(exc)) if category == "timeout" else Outcome(FAILED, str(exc), category)
    if proc.timed_out:
        return argv, timed_out(f"timed out after {spec.timeout:.0f} s")
    if proc.returncode != 0:
        return argv, Outcome(FAILED, f"exited with code {proc.returncode}", None, proc.returncode)
    return argv, _checked(stage, layout, item, env, log, proc.returncode)


def _checked(stage: Stage, layout: ItemLayout, item: SampleItem, env: Mapping[str, str], log: Path,
             returncode: int) -> Outcome:
    """The stage's output check decides: a stage that exited 0 but wrote nothing, or nonsense, has failed."""
    output = stage.output(layout)
    if not output.is_file():  # the same words for every stage, built-in or the product's own command
        _note(log, f"output check failed: {output} was not written")
        return Outcome(FAILED, f"{output} was not written", "other", returncode)
    try:
        checked = stage.verify(layout, item, env)
    except CheckFailed as exc:
        _note(log, f"output check failed: {exc.message}")
        return Outcome(FAILED, exc.message, exc.category, returncode, exc.metrics)
    except Exception as exc:  # noqa: BLE001 - a check that cannot even read the output is a failed check
        message = f"output check could not read the stage's output: {type(exc).__name__}: {exc}"
        _note(log, message)
        return Outcome(FAILED, message, "other", returncode)
    _note(log, f"output check passed: {checked.summary} {checked.metrics}")
    return Outcome(PASSED, checked.summary, None, returncode, checked.metrics)


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
