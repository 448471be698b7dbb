"""The five stages, each written once: its name, where it runs, its command, its check, its output.

Everything else reads this registry: the matrix validator (the names, in
order), :func:`harness.chain.run.builtin_spec` (where each runs), the runner
of a stage (the built-in command and the check). Kept free of numpy so the
matrix loader can import it: a stage's check is named here and imported only
when it runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Mapping, Optional, Tuple

from .item import SampleItem
from .layout import ItemLayout

if TYPE_CHECKING:  # pragma: no cover
    from . import ChainContext
    from .verify import Checked

WHERE_VENV = "venv"  # runs with the cell's interpreter: what the strategy installed
WHERE_HARNESS = "harness"  # runs with the harness's own interpreter and packages
SEPARATE_SCRIPT = Path(__file__).resolve().parent / "separate.py"

Arguments = Callable[[SampleItem, ItemLayout, "ChainContext"], List[str]]
Verifier = Callable[[ItemLayout, SampleItem, Mapping[str, str]], "Checked"]


@dataclass(frozen=True)
class Stage:
    """One stage of the chain as the harness implements and checks it."""

    name: str
    where: str  # the env its built-in command runs in (matrix.yaml may choose another)
    arguments: Arguments  # the built-in command's options, after the interpreter and the entry point
    verifier: str  # its output check: a function of harness.chain.verify (numpy: imported when it runs)
    output: Callable[[ItemLayout], Path]  # the file it must write; without it, the stage produced nothing
    script: Optional[Path] = None  # started as this file, not `-m harness.chain.<name>`: the venv lacks the harness
    uses_model: bool = False  # the model is checked and the item's audio decoded before it runs

    @property
    def runs_as_module(self) -> bool:
        """``python -m harness.chain.<name>``: the process must find this package on PYTHONPATH."""
        return self.script is None

    def argv(self, python: str, item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
        entry = [str(self.script)] if self.script else ["-m", f"harness.chain.{self.name}"]
        return [python, *entry, *self.arguments(item, layout, ctx)]

    def verify(self, layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> "Checked":
        from . import verify

        check: Verifier = getattr(verify, self.verifier)
        return check(layout, item, env)


def _separate(item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
    return ["--audio", str(layout.audio), "--out-dir", str(layout.separation), "--model-dir", str(ctx.model_dir)]


def _diarize(item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
    reference = ["--reference", str(item.rttm)] if item.rttm else []
    return ["--vocals", str(layout.vocals), "--out", str(layout.rttm), "--item-id", item.id,
            "--speakers", str(len(item.speakers))] + reference


def _tts(item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
    return ["--rttm", str(layout.rttm), "--transcript", str(item.transcript), "--out-dir", str(layout.tts),
            "--rate", str(item.sample_rate)]


def _mix(item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
    return ["--accompaniment", str(layout.accompaniment), "--tts-dir", str(layout.tts), "--out", str(layout.mix),
            "--duration", f"{item.duration:.3f}"]


def _mux(item: SampleItem, layout: ItemLayout, ctx: "ChainContext") -> List[str]:
    return ["--video", str(item.video), "--audio", str(layout.mix), "--out", str(layout.mp4),
            "--duration", f"{item.duration:.3f}"]


STAGES: Tuple[Stage, ...] = (
    Stage("separate", WHERE_VENV, _separate, "verify_separate", lambda layout: layout.vocals,
          script=SEPARATE_SCRIPT, uses_model=True),
    Stage("diarize", WHERE_HARNESS, _diarize, "verify_diarize", lambda layout: layout.rttm),
    Stage("tts", WHERE_HARNESS, _tts, "verify_tts", lambda layout: layout.tts / "segments.json"),
    Stage("mix", WHERE_HARNESS, _mix, "verify_mix", lambda layout: layout.mix),
    Stage("mux", WHERE_HARNESS, _mux, "verify_mux", lambda layout: layout.mp4),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def stage_named(name: str) -> Stage:
    """The registered stage ``name``; matrix.yaml's loader has already refused any other name."""
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise ValueError(f"unknown stage {name!r}; known: {', '.join(STAGE_NAMES)}")
