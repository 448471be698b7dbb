"""The Separate -> Diarize -> TTS -> Mix -> Mux smoke chain.

This module stays light (no numpy): the runner imports it for the context
type, and the stage modules below it are run as ``python -m
harness.chain.<stage>``, which imports this file first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, List, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from harness.results import StepResult

    from .spec import ChainSpec


@dataclass(frozen=True)
class ChainContext:
    """Where one cell's chain runs: its interpreters, its folders, its model."""

    venv_python: Path  # the cell's venv interpreter (spleeter installed there)
    harness_python: Path  # the harness's own interpreter (numpy, scipy, espeakng-loader, ...)
    derived_root: Path  # artifacts go to derived_root / "items" / <id> / ...
    source_dir: Path  # the sample item folder (ChainSpec.item, resolved)
    log_dir: Path  # one log per stage: log_dir / f"stage-{name}.log"
    model_dir: Path  # MODEL_PATH: holds 2stems/ with a real checkpoint
    env: Mapping[str, str] = field(default_factory=dict)  # extra environment for every stage process


def run_chain(spec: "ChainSpec", ctx: ChainContext) -> "List[StepResult]":
    """One StepResult (kind "stage") per stage; see :mod:`harness.chain.run`."""
    from .run import run_chain as _run  # numpy and the stages load only when a chain really runs

    return _run(spec, ctx)
