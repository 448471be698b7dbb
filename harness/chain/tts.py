"""TTS stage: re-voice each diarized turn with the transcript's words, one voice per speaker.

Engines (:mod:`.speech`), tried in order with ``--engine auto``: eSpeak NG from
the espeakng-loader wheel (ctypes, no audio device: the same code on every OS),
SAPI5 on Windows (its installed voices, through a file stream), then the eSpeak
NG command line. An engine is passed over when it cannot start, has fewer
distinct voices than the item has speakers, or fails on an utterance; the next
one then voices the whole item again, so one item never mixes engines. Each
utterance is fitted to its turn: spoken faster when it is too long (the engine's
rate, so the voice keeps its pitch), padded with silence when short, and cut
with a fade only as the last resort. Output: ``tts/seg-NNN.wav`` (mono, the
item's sample rate, exactly the turn's length) and ``tts/segments.json``, the
manifest the Mix stage places them by.

    python -m harness.chain.tts --rttm R.rttm --transcript T.json --out-dir tts/ [--rate 44100] [--engine auto]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .audio import resample, write_wav
from .rttm import Turn, read_rttm
from .speech import AUTO, BASE_WPM, CHOICES, MAX_WPM, Engine, SpeakerVoice, TooFewVoices, candidates

MANIFEST = "segments.json"


@dataclass(frozen=True)
class Utterance:
    file: str
    speaker: str
    start: float
    duration: float
    text: str
    voice: str  # the label of the voice the engine really spoke with (SpeakerVoice.label)
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


def _spoken(data: np.ndarray, rate: int) -> np.ndarray:
    """Mono samples without the engine's leading/trailing silence."""
    mono = data.mean(axis=1) if data.ndim == 2 else data
    loud = np.flatnonzero(np.abs(mono) > 0.01 * max(1e-9, float(np.max(np.abs(mono)))))
    return mono[loud[0]: loud[-1] + 1] if loud.size else mono[:0]


def synthesise(engine: Engine, text: str, voice: SpeakerVoice, seconds: float, rate: int,
               workdir: Path) -> Tuple[np.ndarray, int, float]:
    """(samples at ``rate`` of exactly ``seconds``, wpm used, seconds spoken before fitting)."""
    wpm = BASE_WPM
    target = int(round(seconds * rate))
    speech = np.zeros(0)
    for _ in range(3):  # speed up until it fits (a rate change is not exactly proportional)
        data, engine_rate = engine.speak(text, voice, wpm, workdir)
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


def speakers_in_order(turns: Sequence[Turn]) -> List[str]:
    """Speaker labels by first appearance: the first to speak gets the first voice."""
    return sorted({t.speaker for t in turns}, key=lambda s: min(t.start for t in turns if t.speaker == s))


def voice_item(engine: Engine, turns: Sequence[Turn], texts: Sequence[str], rate: int, out_dir: Path,
               workdir: Path) -> List[Utterance]:
    """Every turn spoken by ``engine``; raises :class:`TooFewVoices` before speaking when voices run short."""
    speakers = speakers_in_order(turns)
    voices = dict(zip(speakers, engine.voices_for(len(speakers))))
    done = []
    for index, (turn, text) in enumerate(zip(turns, texts)):
        voice = voices[turn.speaker]
        samples, wpm, spoken = synthesise(engine, text, voice, turn.duration, rate, workdir)
        name = f"seg-{index:03d}.wav"
        write_wav(out_dir / name, samples, rate)
        done.append(Utterance(name, turn.speaker, turn.start, turn.duration, text, voice.label, engine.name,
                              wpm, round(spoken, 3)))
        print(f"{name} {turn.speaker} {turn.start:6.2f}+{turn.duration:5.2f}s {engine.name} "
              f"{voice.label} {wpm} wpm (spoken {spoken:.2f}s): {text}")
    return done


def run(rttm: Path, transcript: Path, out_dir: Path, rate: int, engine_choice: str = AUTO,
        engines: Optional[Sequence[Tuple[str, Callable[[], Engine]]]] = None) -> List[Utterance]:
    """Voice the item with the first engine that can do all of it; ``RuntimeError`` with every reason if none."""
    turns = read_rttm(rttm)
    segments = json.loads(Path(transcript).read_text(encoding="utf-8"))["segments"]
    texts = words_per_turn(turns, segments)
    out_dir.mkdir(parents=True, exist_ok=True)
    reasons = []
    for name, factory in (engines if engines is not None else candidates(engine_choice)):
        try:
            engine = factory()
            with tempfile.TemporaryDirectory() as tmp:
                done = voice_item(engine, turns, texts, rate, out_dir, Path(tmp))
        except TooFewVoices as exc:
            reasons.append(f"{name}: too few voices: {exc}")
        except Exception as exc:  # noqa: BLE001 - a missing library, a COM error, a failed utterance
            reasons.append(f"{name}: {type(exc).__name__}: {exc}")
        else:
            for reason in reasons:
                print(f"passed over {reason}")
            (out_dir / MANIFEST).write_text(json.dumps([asdict(u) for u in done], indent=2) + "\n",
                                            encoding="utf-8")
            return done
        print(f"engine {reasons[-1]}", flush=True)
    raise RuntimeError("no TTS engine works: " + "; ".join(reasons))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="one TTS utterance per diarized turn, fitted to its length")
    parser.add_argument("--rttm", type=Path, required=True)
    parser.add_argument("--transcript", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--rate", type=int, default=44100)
    parser.add_argument("--engine", choices=CHOICES, default=AUTO)
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
