"""Windows' own voices through SAPI5, written against an ``SpFileStream`` so no audio device is needed.

pyttsx3's ``save_to_file`` first *reads* ``SpVoice.AudioOutputStream`` to put
it back afterwards; on a machine with no sound device (GitHub's Windows runners,
most VMs) that read raises a COM error, pyttsx3 swallows it and the WAV stays
empty (nateshmbhat/pyttsx3#260). This engine never reads that property: it only
*sets* it to a file stream it opened itself, speaks synchronously, and closes
the stream. COM objects come from an injectable ``create`` (``comtypes.client.
CreateObject`` on Windows), which is how the unit tests drive every call on
Linux with recorded fakes.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional

from .base import BASE_WPM, Engine, EngineUnavailable, SpeakerVoice, TooFewVoices

SAFT22kHz16BitMono = 22  # SpeechAudioFormatType
SSFMCreateForWrite = 3  # SpeechStreamFileMode
SVSFIsNotXML = 16  # SpeechVoiceSpeakFlags: the transcript's "<" is text, not SAPI XML; synchronous
SAPI_MAX_RATE = 10  # SpVoice.Rate is -10..10; +10 is about three times the default speed


def sapi_rate(wpm: int, base: int = BASE_WPM) -> int:
    """SpVoice.Rate for a words-per-minute target: each step is a factor of 3 ** 0.1."""
    steps = 10.0 * math.log(max(1, wpm) / float(base)) / math.log(3.0)
    return max(-SAPI_MAX_RATE, min(SAPI_MAX_RATE, int(round(steps))))


def _comtypes_create() -> Callable[[str], Any]:  # pragma: no cover - needs Windows' COM
    if sys.platform != "win32":
        raise EngineUnavailable("SAPI5 exists only on Windows")
    try:
        import comtypes.client
    except ImportError as exc:
        raise EngineUnavailable("comtypes is not installed in the harness env (pip install comtypes)") from exc
    return comtypes.client.CreateObject


class Sapi5Engine(Engine):
    name = "sapi5"

    def __init__(self, create: Optional[Callable[[str], Any]] = None) -> None:
        self._create = create or _comtypes_create()
        try:
            self._voice = self._create("SAPI.SpVoice")
            tokens = self._voice.GetVoices()
            self._tokens = [tokens.Item(i) for i in range(int(tokens.Count))]
        except EngineUnavailable:
            raise
        except Exception as exc:  # COMError, OSError: no SAPI runtime (Server Core, a broken install)
            raise EngineUnavailable(f"SAPI5 did not start: {type(exc).__name__}: {exc}") from exc
        if not self._tokens:
            raise EngineUnavailable("SAPI5 has no installed voices")

    def voices_for(self, count: int) -> List[SpeakerVoice]:
        labels = [str(token.GetDescription()) for token in self._tokens]
        distinct = list(dict.fromkeys(labels))  # the same voice registered twice is still one voice
        if len(distinct) < count:
            raise TooFewVoices(f"{self.name}: {len(distinct)} installed voice(s) ({', '.join(distinct)}) "
                               f"for {count} speakers; add a voice (Settings > Time & language > Speech)")
        return [SpeakerVoice(label=label, token=labels.index(label)) for label in distinct[:count]]

    def say_to_file(self, text: str, voice: SpeakerVoice, wpm: int, path: Path) -> None:
        audio_format = self._create("SAPI.SpAudioFormat")
        audio_format.Type = SAFT22kHz16BitMono
        stream = self._create("SAPI.SpFileStream")
        stream.Format = audio_format
        stream.Open(str(path), SSFMCreateForWrite, False)
        try:
            # Set, never read: reading AudioOutputStream is what needs a sound device.
            self._voice.AudioOutputStream = stream
            self._voice.Voice = self._tokens[voice.token]
            self._voice.Rate = sapi_rate(wpm)
            self._voice.Speak(text, SVSFIsNotXML)
        finally:
            stream.Close()
