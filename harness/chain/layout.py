"""Where each stage's artifacts live: ``derived/items/<id>/...``, the product's contract.

    source/<id>.wav                              the item's audio, decoded once for Separate
    separation/spleeter_2stems/vocals.wav        Separate
    separation/spleeter_2stems/accompaniment.wav
    diarization/<id>.rttm                        Diarize
    tts/seg-NNN.wav, tts/segments.json           TTS
    mix/mix.wav                                  Mix
    mux/<id>.mp4                                 Mux
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .item import ItemError, validate_id


@dataclass(frozen=True)
class ItemLayout:
    root: Path  # derived/items/<id>
    item_id: str

    @classmethod
    def under(cls, derived_root: Path, item_id: str) -> "ItemLayout":
        """The layout of ``item_id`` below ``derived_root``; the id is checked again, paths never escape."""
        validate_id(item_id)
        items = (Path(derived_root) / "items").resolve()
        root = (items / item_id).resolve()
        if root.parent != items:
            raise ItemError(f"item dir {root} is not directly below {items}")
        return cls(root, item_id)

    @property
    def audio(self) -> Path:
        return self.root / "source" / f"{self.item_id}.wav"

    @property
    def separation(self) -> Path:
        return self.root / "separation" / "spleeter_2stems"

    @property
    def vocals(self) -> Path:
        return self.separation / "vocals.wav"

    @property
    def accompaniment(self) -> Path:
        return self.separation / "accompaniment.wav"

    @property
    def rttm(self) -> Path:
        return self.root / "diarization" / f"{self.item_id}.rttm"

    @property
    def tts(self) -> Path:
        return self.root / "tts"

    @property
    def mix(self) -> Path:
        return self.root / "mix" / "mix.wav"

    @property
    def mp4(self) -> Path:
        return self.root / "mux" / f"{self.item_id}.mp4"
