"""What every TTS engine shares: the voice a speaker gets, the engine interface, its errors.

A speaker's voice is chosen once, by the engine that will speak it, and the
same :class:`SpeakerVoice` value is what synthesis uses and what the manifest
records: the label can never describe a voice other than the one heard (the
old pyttsx3 engine recorded eSpeak labels while speaking SAPI5 voices).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

import numpy as np

from ..audio import read_wav

BASE_WPM = 175
MAX_WPM = 420  # eSpeak NG's upper useful rate; faster is unintelligible
_FILE_NUMBERS = itertools.count()


@dataclass(frozen=True)
class EspeakRecipe:
    """An eSpeak NG voice+variant and pitch (0-99) for one speaker slot."""

    voice: str
    pitch: int


# Distinct on purpose, and far apart in pitch (the TTS check measures it): a low British male and
# a high American female first, then more. Two speakers' median F0 differ by more than 4 semitones.
ESPEAK_RECIPES = (EspeakRecipe("en-gb-x-rp+m1", 30), EspeakRecipe("en-us+f2", 75), EspeakRecipe("en-us+m7", 45),
                  EspeakRecipe("en-gb+f4", 90), EspeakRecipe("en-us+m3", 20), EspeakRecipe("en-gb+f1", 60))


@dataclass(frozen=True)
class SpeakerVoice:
    """The voice one speaker is given: ``label`` goes into the manifest, the rest drives the engine."""

    label: str
    espeak: str = ""  # eSpeak NG engines: voice+variant
    pitch: int = 50  # eSpeak NG engines: 0-99
    token: int = -1  # SAPI5: index into the installed voices


class EngineUnavailable(RuntimeError):
    """The engine cannot start on this machine (library, binary or COM server missing)."""


class TooFewVoices(RuntimeError):
    """The engine has fewer distinct voices than the item has speakers: the TTS stage must fail."""


def espeak_voices(engine: str, count: int) -> List[SpeakerVoice]:
    """``count`` distinct eSpeak NG voices, or :class:`TooFewVoices` past the recipes we have."""
    if count > len(ESPEAK_RECIPES):
        raise TooFewVoices(f"{engine}: {len(ESPEAK_RECIPES)} distinct voices for {count} speakers")
    return [SpeakerVoice(label=f"eSpeak NG {r.voice} pitch {r.pitch}", espeak=r.voice, pitch=r.pitch)
            for r in ESPEAK_RECIPES[:count]]


class Engine:
    """A speech engine: distinct voices for the speakers, and one utterance at a time as samples."""

    name = "none"

    def voices_for(self, count: int) -> List[SpeakerVoice]:
        raise NotImplementedError

    def speak(self, text: str, voice: SpeakerVoice, wpm: int, workdir: Path) -> Tuple[np.ndarray, int]:
        """Mono or multi-channel float samples and their rate; engines that write files read them back."""
        raw = Path(workdir) / f"utt-{next(_FILE_NUMBERS)}.wav"  # never reuse a name a late writer may target
        self.say_to_file(text, voice, wpm, raw)
        if not raw.is_file() or raw.stat().st_size <= 44:  # a bare RIFF header holds no audio
            raise RuntimeError(f"{self.name} wrote no audio to {raw.name}")
        return read_wav(raw)

    def say_to_file(self, text: str, voice: SpeakerVoice, wpm: int, path: Path) -> None:
        raise NotImplementedError
