"""What matrix.yaml says about the smoke chain: the item, the model, the stages.

Kept apart from the stage code so the matrix loader can build these values
without importing numpy or any audio library.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

# The stages themselves are registered once, in .stages; the loader reads their names from there.
from .stages import STAGE_NAMES, WHERE_HARNESS, WHERE_VENV

__all__ = ["PLACEHOLDERS", "PLACEHOLDER_RE", "STAGE_NAMES", "WHERE_HARNESS", "WHERE_VENV", "ChainSpec", "StageSpec",
           "unknown_placeholders"]

PLACEHOLDERS = (
    "item_dir",  # derived/items/<id>/ for this cell
    "item_id",
    "source_dir",  # the sample item's folder (video, transcript, ground truth)
    "video",  # the item's video file
    "python",  # the cell's venv interpreter
    "harness_python",
    "model_dir",  # spleeter MODEL_PATH (holds 2stems/)
    "audio",  # derived/items/<id>/source/<id>.wav: the item's audio, decoded (44.1 kHz PCM) before Separate
)
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")  # other braces in an argv stay as they are


def unknown_placeholders(argv: Tuple[str, ...]) -> Tuple[str, ...]:
    """The ``{names}`` in a stage command that are not placeholders: the loader refuses them before a run."""
    return tuple(name for arg in argv for name in PLACEHOLDER_RE.findall(arg) if name not in PLACEHOLDERS)


@dataclass(frozen=True)
class StageSpec:
    """One stage: the built-in reference implementation, or a product's own argv command."""

    name: str
    where: str = WHERE_HARNESS
    command: Optional[Tuple[str, ...]] = None  # None = built-in; else argv with {placeholders}
    timeout: float = 600.0


@dataclass(frozen=True)
class ChainSpec:
    item: str  # path (relative to matrix.yaml) of the sample item folder
    stages: Tuple[StageSpec, ...]
    model_dir: Optional[str] = None  # existing local MODEL_PATH; None = provision one
    enabled: bool = True
