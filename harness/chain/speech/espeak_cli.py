"""The eSpeak NG command line: the last fallback, for a harness env without the wheel's library."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import List, Optional

from .base import Engine, EngineUnavailable, SpeakerVoice, espeak_voices


class EspeakCliEngine(Engine):
    name = "espeak-ng-cli"

    def __init__(self, path: Optional[str] = None) -> None:
        exe = shutil.which("espeak-ng", path=path) or shutil.which("espeak", path=path)
        if not exe:
            raise EngineUnavailable("neither espeak-ng nor espeak is on PATH")
        self._exe = exe

    def voices_for(self, count: int) -> List[SpeakerVoice]:
        return espeak_voices(self.name, count)

    def say_to_file(self, text: str, voice: SpeakerVoice, wpm: int, path: Path) -> None:
        argv = [self._exe, "-v", voice.espeak, "-p", str(voice.pitch), "-s", str(wpm), "-w", str(path), text]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)
