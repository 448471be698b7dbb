"""TTS engines for the smoke chain, in the order ``--engine auto`` tries them.

1. ``espeak-ng-wheel``: libespeak-ng from the espeakng-loader wheel via ctypes
   (no audio device, the same code on Windows and Linux): the default;
2. ``sapi5``: Windows' installed voices through an SpFileStream (Windows only);
3. ``espeak-ng-cli``: the ``espeak-ng`` command line, the last fallback.

An engine that cannot start, or that has fewer distinct voices than the item
has speakers, is passed over with its reason; when none is left the stage fails
with every reason.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Tuple

from .base import BASE_WPM, MAX_WPM, Engine, EngineUnavailable, SpeakerVoice, TooFewVoices
from .espeak_cli import EspeakCliEngine
from .espeak_lib import EspeakLibEngine
from .sapi5 import Sapi5Engine

ENGINES: Dict[str, Callable[[], Engine]] = {
    EspeakLibEngine.name: EspeakLibEngine,
    Sapi5Engine.name: Sapi5Engine,
    EspeakCliEngine.name: EspeakCliEngine,
}
AUTO = "auto"
CHOICES = (AUTO,) + tuple(ENGINES)


def candidates(choice: str) -> List[Tuple[str, Callable[[], Engine]]]:
    """(name, factory) in the order to try: all of them for ``auto``, else just the one named."""
    if choice == AUTO:
        return list(ENGINES.items())
    return [(choice, ENGINES[choice])]


__all__ = ["AUTO", "BASE_WPM", "CHOICES", "ENGINES", "MAX_WPM", "Engine", "EngineUnavailable", "EspeakCliEngine",
           "EspeakLibEngine", "Sapi5Engine", "SpeakerVoice", "TooFewVoices", "candidates"]
