"""The item the chain runs on: a folder with ``item.json``, a video, and its ground truth.

``item.json`` names every file relative to the folder; each name is checked to
stay inside it (no absolute paths, no ``..``, no symlink out), because the id
and the names end up in paths the chain writes to. The id must match
``[A-Za-z0-9_-]+``: it names ``derived/items/<id>/`` and the RTTM and mp4 files.

Schema (the embedded sample is ``samples/two-speakers/``)::

    {"id": "two-speakers", "video": "two-speakers.mp4", "duration": 20.0,
     "sample_rate": 44100, "speakers": ["spk_a", "spk_b"],
     "transcript": "transcript.json",            # segments: speaker, start, end, text
     "rttm": "two-speakers.rttm",                 # optional: ground truth for the DER
     "reference_speech": "speech-16k.wav"}        # optional: true speech for the SDR gate
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .rttm import Turn, read_rttm

ID_RE = re.compile(r"[A-Za-z0-9_-]+")  # fullmatch: "$" would let "id\n" through
ITEM_FILE = "item.json"
MAX_DURATION = 600.0


class ItemError(ValueError):
    """The item folder is unusable; the message names the file and field."""


@dataclass(frozen=True)
class Segment:
    """One line of the transcript: who said what, when."""

    speaker: str
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class SampleItem:
    id: str
    folder: Path
    video: Path
    duration: float
    sample_rate: int
    speakers: Tuple[str, ...]
    transcript: Path
    rttm: Optional[Path] = None
    reference_speech: Optional[Path] = None
    title: str = ""

    def segments(self) -> List[Segment]:
        return load_transcript(self.transcript)

    def reference_turns(self) -> List[Turn]:
        return read_rttm(self.rttm) if self.rttm else []


def validate_id(value: Any) -> str:
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise ItemError(f"item id {value!r} must match [A-Za-z0-9_-]+")
    return value


def contained(folder: Path, name: Any, field: str) -> Path:
    """``folder/name`` resolved, refusing anything that would land outside ``folder``."""
    if not isinstance(name, str) or not name.strip():
        raise ItemError(f"{ITEM_FILE}: {field}: expected a file name")
    candidate = Path(name)
    if candidate.is_absolute() or candidate.drive or ".." in candidate.parts or "\\" in name:
        raise ItemError(f"{ITEM_FILE}: {field}: {name!r} must be a relative path inside the item folder")
    root = folder.resolve()
    resolved = (root / candidate).resolve()
    if resolved != root and root not in resolved.parents:
        raise ItemError(f"{ITEM_FILE}: {field}: {name!r} resolves outside the item folder")
    if not resolved.is_file():
        raise ItemError(f"{ITEM_FILE}: {field}: {name!r} does not exist in {folder}")
    return resolved


def load_transcript(path: Path) -> List[Segment]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        segments = [Segment(str(s["speaker"]), float(s["start"]), float(s["end"]), str(s["text"]))
                    for s in data["segments"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ItemError(f"{path.name}: not a transcript with segments of speaker/start/end/text ({exc})") from exc
    for number, seg in enumerate(segments, start=1):
        if not (0 <= seg.start < seg.end) or not seg.text.strip():
            raise ItemError(f"{path.name}: segment {number}: needs 0 <= start < end and some text")
    return segments


def load_item(folder: Path) -> SampleItem:
    """Read and check ``folder/item.json``; :class:`ItemError` says what is wrong."""
    folder = Path(folder)
    meta_path = folder / ITEM_FILE
    try:
        meta: Dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ItemError(f"{meta_path}: cannot read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ItemError(f"{meta_path}: not JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise ItemError(f"{meta_path}: expected a JSON object")
    item_id = validate_id(meta.get("id"))
    try:
        duration = float(meta.get("duration"))  # type: ignore[arg-type]
        rate = int(meta.get("sample_rate", 44100))
    except (TypeError, ValueError):
        raise ItemError(f"{ITEM_FILE}: duration and sample_rate must be numbers") from None
    if not 0 < duration <= MAX_DURATION:
        raise ItemError(f"{ITEM_FILE}: duration {duration} s is outside (0, {MAX_DURATION:.0f}]")
    if rate not in (8000, 16000, 22050, 32000, 44100, 48000):
        raise ItemError(f"{ITEM_FILE}: sample_rate {rate} is not a common audio rate")
    speakers = meta.get("speakers") or []
    if not isinstance(speakers, list) or not speakers or not all(isinstance(s, str) for s in speakers):
        raise ItemError(f"{ITEM_FILE}: speakers: expected a non-empty list of labels")
    item = SampleItem(
        id=item_id, folder=folder.resolve(), video=contained(folder, meta.get("video"), "video"),
        duration=duration, sample_rate=rate, speakers=tuple(speakers),
        transcript=contained(folder, meta.get("transcript"), "transcript"),
        rttm=contained(folder, meta["rttm"], "rttm") if meta.get("rttm") else None,
        reference_speech=(contained(folder, meta["reference_speech"], "reference_speech")
                          if meta.get("reference_speech") else None),
        title=str(meta.get("title", "")),
    )
    item.segments()  # fail now, not in the TTS stage, when the transcript is broken
    if item.rttm:
        try:
            item.reference_turns()
        except ValueError as exc:
            raise ItemError(str(exc)) from exc
    return item
