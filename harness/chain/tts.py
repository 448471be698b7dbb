"""TTS stage: re-voice each diarized turn with the transcript's words, one voice per speaker.

Engines, tried in order (``--engine auto``): pyttsx3 (SAPI5 on Windows, NSSS on
macOS, eSpeak NG through libespeak-ng on Linux), then the eSpeak NG command
line. Each utterance is fitted to its turn: spoken faster when it is too long
(the engine's words-per-minute, so the voice keeps its pitch), padded with
silence when short, and cut with a fade only as the last resort. Output:
``tts/seg-NNN.wav`` (mono, the item's sample rate, exactly the turn's length)
and ``tts/segments.json``, the manifest the Mix stage places them by.

    python -m harness.chain.tts --rttm R.rttm --transcript T.json --out-dir tts/ [--rate 44100] [--engine auto]
"""
from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .audio import read_wav, resample, write_wav
from .rttm import Turn, read_rttm

MANIFEST = "segments.json"
_FILE_NUMBERS = itertools.count()
BASE_WPM = 175
MAX_WPM = 420  # eSpeak NG's upper useful rate; faster is unintelligible


@dataclass(frozen=True)
class Voice:
    """One speaker's voice: an eSpeak NG voice+variant and pitch; ``index`` picks a SAPI5/NSSS voice."""

    espeak: str
    pitch: int
    index: int


# Distinct on purpose: a low British male and a high American female first, then more.
VOICES = (Voice("en-gb-x-rp+m1", 30, 0), Voice("en-us+f2", 75, 1), Voice("en-us+m7", 45, 2),
          Voice("en-gb+f4", 90, 3))


@dataclass(frozen=True)
class Utterance:
    file: str
    speaker: str
    start: float
    duration: float
    text: str
    voice: str
    engine: str
    wpm: int
    spoken: float  # seconds of speech before fitting


def words_per_turn(turns: Sequence[Turn], segments: Sequence[Dict[str, object]]) -> List[str]:
    """Text for each turn: every transcript word goes to the turn that covers its estimated time.

    Words are spread evenly over their transcript segment; a word outside every
    turn goes to the nearest one. A turn that gets no word (a false alarm of the
    diarizer) reuses the text of the transcript segment nearest in time, so
    every turn still gets an utterance.
    """
    texts: List[List[str]] = [[] for _ in turns]
    if not turns:
        return []
    mids = np.array([(t.start + t.end) / 2 for t in turns])
    for seg in segments:
        words = str(seg["text"]).split()
        start, end = float(seg["start"]), float(seg["end"])  # type: ignore[arg-type]
        for k, word in enumerate(words):
            when = start + (k + 0.5) / len(words) * (end - start)
            inside = [i for i, t in enumerate(turns) if t.start <= when < t.end]
            target = inside[0] if inside else int(np.argmin(np.abs(mids - when)))
            texts[target].append(word)
    out = []
    for index, words in enumerate(texts):
        if not words and segments:
            nearest = min(segments, key=lambda s: abs((float(s["start"]) + float(s["end"])) / 2 - mids[index]))  # type: ignore[arg-type]
            words = str(nearest["text"]).split()
        out.append(" ".join(words))
    return out


class Engine:
    """A speech engine that writes one utterance to a WAV file."""

    name = "none"

    def say_to_file(self, text: str, voice: Voice, wpm: int, path: Path) -> None:
        raise NotImplementedError

    def describe(self, voice: Voice) -> str:
        """The voice as this engine names it, for the manifest."""
        return f"{voice.espeak} pitch {voice.pitch}"


class Pyttsx3Engine(Engine):
    name = "pyttsx3"

    def __init__(self) -> None:
        import pyttsx3  # optional dependency: the CLI engine is the fallback

        self._engine = pyttsx3.init()
        self._driver = type(self._engine.proxy._driver).__module__.rsplit(".", 1)[-1]
        self._voices = list(self._engine.getProperty("voices") or [])

    def say_to_file(self, text: str, voice: Voice, wpm: int, path: Path) -> None:
        if self._driver == "espeak":
            self._engine.setProperty("voice", voice.espeak)
            self._engine.setProperty("pitch", voice.pitch)
        elif self._voices:  # SAPI5 / NSSS: different installed voices per speaker
            self._engine.setProperty("voice", self._voices[voice.index % len(self._voices)].id)
        self._engine.setProperty("rate", wpm)
        self._engine.save_to_file(text, str(path))
        self._engine.runAndWait()
        _wait_for_file(path)


def _wait_for_file(path: Path, timeout: float = 10.0) -> None:
    """Wait until ``path`` is written in full.

    pyttsx3's eSpeak driver writes the file from a callback that can run after
    ``runAndWait()`` has returned; reading at once would find nothing (seen on
    pyttsx3 2.99). A size that holds still for 0.1 s means the write is done.
    """
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.is_file() else -1
        if size > 44 and size == last:  # more than a bare WAV header, and no longer growing
            return
        last = size
        time.sleep(0.1)
    raise RuntimeError(f"the engine wrote no audio to {path.name} within {timeout:.0f} s")

    def describe(self, voice: Voice) -> str:
        if self._driver == "espeak" or not self._voices:
            return super().describe(voice)
        return str(self._voices[voice.index % len(self._voices)].name)


class EspeakCliEngine(Engine):
    name = "espeak-ng"

    def __init__(self) -> None:
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if not exe:
            raise RuntimeError("neither espeak-ng nor espeak is on PATH")
        self._exe = exe

    def say_to_file(self, text: str, voice: Voice, wpm: int, path: Path) -> None:
        argv = [self._exe, "-v", voice.espeak, "-p", str(voice.pitch), "-s", str(wpm), "-w", str(path), text]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)


def pick_engine(choice: str) -> Engine:
    """The first engine that starts; ``RuntimeError`` listing why each failed."""
    kinds = {"pyttsx3": [Pyttsx3Engine], "espeak-ng": [EspeakCliEngine], "auto": [Pyttsx3Engine, EspeakCliEngine]}
    errors = []
    for kind in kinds[choice]:
        try:
            return kind()
        except Exception as exc:  # ImportError, missing library or binary: try the next engine
            errors.append(f"{kind.name}: {type(exc).__name__}: {exc}")
    raise RuntimeError("no TTS engine works: " + "; ".join(errors))


def _spoken(data: np.ndarray, rate: int) -> np.ndarray:
    """Mono samples without the engine's leading/trailing silence."""
    mono = data.mean(axis=1) if data.ndim == 2 else data
    loud = np.flatnonzero(np.abs(mono) > 0.01 * max(1e-9, float(np.max(np.abs(mono)))))
    return mono[loud[0]: loud[-1] + 1] if loud.size else mono[:0]


def synthesise(engine: Engine, text: str, voice: Voice, seconds: float, rate: int,
               workdir: Path) -> Tuple[np.ndarray, int, float]:
    """(samples at ``rate`` of exactly ``seconds``, wpm used, seconds spoken before fitting)."""
    wpm = BASE_WPM
    target = int(round(seconds * rate))
    speech = np.zeros(0)
    for _ in range(3):  # speed up until it fits (a rate change is not exactly proportional)
        raw = workdir / f"utt-{next(_FILE_NUMBERS)}.wav"  # never reuse a name a late writer may still target
        engine.say_to_file(text, voice, wpm, raw)
        data, engine_rate = read_wav(raw)
        speech = resample(_spoken(data, engine_rate), engine_rate, rate)
        if speech.size <= target or wpm >= MAX_WPM:
            break
        wpm = min(MAX_WPM, int(wpm * speech.size / target * 1.08) + 1)
    spoken = speech.size / float(rate)
    if speech.size > target:  # still too long at the fastest rate: cut, with a 30 ms fade
        speech = speech[:target].copy()
        fade = min(target, int(0.03 * rate))
        speech[target - fade:] *= np.linspace(1.0, 0.0, fade)
    level = float(np.max(np.abs(speech))) if speech.size else 0.0
    if level > 0:
        speech = speech * (0.7 / level)
    out = np.zeros(target)
    out[: speech.size] = speech
    return out, wpm, spoken


def run(rttm: Path, transcript: Path, out_dir: Path, rate: int, engine_choice: str) -> List[Utterance]:
    turns = read_rttm(rttm)
    segments = json.loads(Path(transcript).read_text(encoding="utf-8"))["segments"]
    texts = words_per_turn(turns, segments)
    speakers = sorted({t.speaker for t in turns}, key=lambda s: min(t.start for t in turns if t.speaker == s))
    engine = pick_engine(engine_choice)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, (turn, text) in enumerate(zip(turns, texts)):
            voice = VOICES[speakers.index(turn.speaker) % len(VOICES)]
            try:
                samples, wpm, spoken = synthesise(engine, text, voice, turn.duration, rate, Path(tmp))
            except Exception as exc:  # noqa: BLE001 - pyttsx3 can fail per utterance; the CLI is the fallback
                if isinstance(engine, EspeakCliEngine) or engine_choice != "auto":
                    raise
                print(f"{engine.name} failed ({type(exc).__name__}: {exc}); using the eSpeak NG CLI from here on")
                engine = EspeakCliEngine()
                samples, wpm, spoken = synthesise(engine, text, voice, turn.duration, rate, Path(tmp))
            name = f"seg-{index:03d}.wav"
            write_wav(out_dir / name, samples, rate)
            described = engine.describe(voice)
            done.append(Utterance(name, turn.speaker, turn.start, turn.duration, text, described, engine.name,
                                  wpm, round(spoken, 3)))
            print(f"{name} {turn.speaker} {turn.start:6.2f}+{turn.duration:5.2f}s {engine.name} "
                  f"{described} {wpm} wpm (spoken {spoken:.2f}s): {text}")
    (out_dir / MANIFEST).write_text(json.dumps([asdict(u) for u in done], indent=2) + "\n", encoding="utf-8")
    return done


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="one TTS utterance per diarized turn, fitted to its length")
    parser.add_argument("--rttm", type=Path, required=True)
    parser.add_argument("--transcript", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--rate", type=int, default=44100)
    parser.add_argument("--engine", choices=("auto", "pyttsx3", "espeak-ng"), default="auto")
    args = parser.parse_args(argv)
    try:
        done = run(args.rttm, args.transcript, args.out_dir, args.rate, args.engine)
    except RuntimeError as exc:
        print(f"tts failed: {exc}", file=sys.stderr)
        return 1
    if not done:
        print("no diarized turns to voice", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
