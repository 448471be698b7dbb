"""Regenerate the embedded sample item ``samples/two-speakers/`` from nothing but code.

    python samples/make_sample.py            # writes samples/two-speakers/
    python samples/make_sample.py --out DIR  # somewhere else (the tests use this)

What it makes, and why each piece is there:

* a 20 s music bed synthesised with numpy (pad chords, bass, kick, hi-hat), so
  spleeter has a real accompaniment to pull the voices out of;
* two speakers voiced by the eSpeak NG command line with clearly different
  voices (a low male voice and a high female one) taking turns at times the
  script chooses, with gaps between turns, so diarization has a known answer;
* ``two-speakers.mp4``: a small H.264 video (a circle per speaker that lights
  up while that speaker talks) with the mix as its AAC track: the item itself;
* ``two-speakers.rttm`` and ``transcript.json``: the ground truth (who spoke
  when, and what they said);
* ``speech-16k.wav``: the speech alone as it sits in the mix (mono, 16 kHz),
  the reference for the separation quality gate (SDR of the vocals stem).

Needs numpy, scipy, the ``espeak-ng`` CLI and an ffmpeg with libx264. The
music bed is deterministic; the speech depends on the eSpeak NG version, which
is recorded in ``item.json``.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from harness.chain.audio import read_wav, resample, rms_dbfs, write_wav  # noqa: E402
from harness.chain.rttm import Turn, write_rttm  # noqa: E402

ITEM_ID = "two-speakers"
RATE = 44100
DURATION = 20.0
FPS = 10
SIZE = (320, 180)  # width, height
SPEECH_DBFS = -20.0  # RMS of each utterance where it is voiced
MUSIC_REL_DB = 3.0  # music bed RMS relative to the speech: loud enough that the raw mix is a poor vocals stem
GAP = 0.9  # seconds of music alone between turns (more than the collar and the VAD hangover)
FIRST_START = 0.8

# (speaker, eSpeak NG voice, pitch 0-99, words per minute)
VOICES: Dict[str, Tuple[str, int, int]] = {
    "spk_a": ("en-us+m3", 25, 150),
    "spk_b": ("en-gb+f4", 80, 170),
}
SCRIPT: List[Tuple[str, str]] = [
    ("spk_a", "Welcome to the smoke test. I am the first speaker, and my voice is low."),
    ("spk_b", "And I am the second speaker. My voice is higher than his."),
    ("spk_a", "The separation step should lift our voices out of the music."),
    ("spk_b", "Then the chain finds who spoke when, and dubs us again."),
]


def speak(text: str, voice: str, pitch: int, wpm: int, workdir: Path) -> np.ndarray:
    """One utterance from the eSpeak NG CLI, resampled to 44.1 kHz, edges trimmed, level set."""
    out = workdir / "utt.wav"
    argv = ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(wpm), "-w", str(out), text]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    data, rate = read_wav(out)
    mono = resample(data[:, 0], rate, RATE)
    voiced = np.flatnonzero(np.abs(mono) > 10 ** (-45 / 20) * np.max(np.abs(mono)))
    mono = mono[voiced[0]: voiced[-1] + 1]
    gain = 10 ** ((SPEECH_DBFS - rms_dbfs(mono)) / 20)
    fade = int(0.005 * RATE)  # 5 ms fades: no clicks at the cut points
    ramp = np.linspace(0.0, 1.0, fade)
    mono = mono * gain
    mono[:fade] *= ramp
    mono[-fade:] *= ramp[::-1]
    return mono


def music_bed(frames: int) -> np.ndarray:
    """Stereo pad + bass + drums at 100 bpm; a fixed seed makes it the same every run."""
    t = np.arange(frames) / RATE
    beat = 0.6
    chords = [(48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50)]  # C, Am, F, G (MIDI)
    left = np.zeros(frames)
    right = np.zeros(frames)
    bar = 4 * beat
    for index in range(int(math.ceil(DURATION / bar))):
        chord = chords[index % len(chords)]
        start, stop = int(index * bar * RATE), min(frames, int((index + 1) * bar * RATE))
        span = t[start:stop] - t[start]
        envelope = np.minimum(1.0, span / 0.08) * np.minimum(1.0, (bar - span) / 0.15)
        for note in chord:
            freq = 440.0 * 2 ** ((note - 69) / 12.0)
            for harmonic in range(1, 7):
                amp = 0.08 / harmonic
                left[start:stop] += amp * envelope * np.sin(2 * np.pi * freq * 0.998 * harmonic * span)
                right[start:stop] += amp * envelope * np.sin(2 * np.pi * freq * 1.002 * harmonic * span)
        root = 440.0 * 2 ** ((chord[0] - 12 - 69) / 12.0)
        for step in range(4):
            b0 = start + int(step * beat * RATE)
            b1 = min(stop, b0 + int(beat * RATE))
            if b0 >= b1:
                break
            bt = t[b0:b1] - t[b0]
            bass = 0.25 * np.exp(-bt / 0.25) * (np.sin(2 * np.pi * root * bt) + 0.3 * np.sin(4 * np.pi * root * bt))
            left[b0:b1] += bass
            right[b0:b1] += bass
    rng = np.random.RandomState(20240222)
    for index in range(int(DURATION / (beat / 2))):
        s0 = int(index * beat / 2 * RATE)
        if index % 4 == 0:  # kick on beats 1 and 3
            kt = np.arange(min(int(0.25 * RATE), frames - s0)) / RATE
            phase = 2 * np.pi * (50 * kt + (70 * 0.04) * (1 - np.exp(-kt / 0.04)))
            kick = 0.6 * np.exp(-kt / 0.09) * np.sin(phase)
            left[s0:s0 + kick.size] += kick
            right[s0:s0 + kick.size] += kick
        hl = min(int(0.05 * RATE), frames - s0)
        noise = np.diff(rng.standard_normal(hl + 1))  # differencing tilts white noise towards the highs
        hat = 0.05 * np.exp(-np.arange(hl) / (0.012 * RATE)) * noise
        left[s0:s0 + hl] += hat * 0.8
        right[s0:s0 + hl] += hat * 1.2
    return np.stack([left, right], axis=1)


def frames_for(speech: np.ndarray, turns: List[Turn]) -> bytes:
    """RGB24 frames: a circle per speaker, lit and pulsing with the voice while it talks."""
    width, height = SIZE
    yy, xx = np.mgrid[0:height, 0:width]
    centres = {"spk_a": (width * 0.3, height * 0.45), "spk_b": (width * 0.7, height * 0.45)}
    colours = {"spk_a": np.array([60, 120, 230]), "spk_b": np.array([240, 150, 40])}
    out = bytearray()
    hop = RATE // FPS
    for index in range(int(DURATION * FPS)):
        now = index / FPS
        frame = np.full((height, width, 3), 28, dtype=np.float64)
        level = math.sqrt(float(np.mean(speech[index * hop:(index + 1) * hop] ** 2)) + 1e-12)
        for speaker, (cx, cy) in centres.items():
            talking = any(t.start <= now < t.end for t in turns if t.speaker == speaker)
            radius = 30 + (min(12.0, level * 120) if talking else 0)
            mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= radius ** 2
            frame[mask] = colours[speaker] * (1.0 if talking else 0.3)
        frame[height - 12:height - 6, 10:10 + int((width - 20) * now / DURATION)] = 200
        out += frame.astype(np.uint8).tobytes()
    return bytes(out)


def encode(video_rgb: bytes, mix_wav: Path, out_mp4: Path) -> None:
    """H.264 (small, yuv420p for every player) + AAC; bitexact so reruns give the same bytes."""
    width, height = SIZE
    argv = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(FPS), "-i", "-",
            "-i", str(mix_wav), "-map", "0:v:0", "-map", "1:a:0",
            "-c:v", "libx264", "-preset", "veryslow", "-tune", "animation", "-crf", "30", "-pix_fmt", "yuv420p",
            "-g", str(FPS * 5), "-c:a", "aac", "-b:a", "128k", "-t", f"{DURATION:.3f}",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-movflags", "+faststart", str(out_mp4)]
    subprocess.run(argv, input=video_rgb, check=True, capture_output=True, timeout=300)


def espeak_version() -> str:
    proc = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, timeout=30, check=True)
    return proc.stdout.split("Data at")[0].strip()


def build(out_dir: Path) -> Dict[str, object]:
    frames = int(DURATION * RATE)
    speech = np.zeros(frames)
    turns: List[Turn] = []
    segments = []
    with tempfile.TemporaryDirectory() as tmp:
        cursor = FIRST_START
        for number, (speaker, text) in enumerate(SCRIPT, start=1):
            voice, pitch, wpm = VOICES[speaker]
            utterance = speak(text, voice, pitch, wpm, Path(tmp))
            start = int(round(cursor * RATE))
            if start + utterance.size > frames - int(0.5 * RATE):
                raise SystemExit(f"the script does not fit in {DURATION} s: shorten a line")
            speech[start:start + utterance.size] += utterance
            begin, length = start / RATE, utterance.size / RATE
            turns.append(Turn(ITEM_ID, round(begin, 3), round(length, 3), speaker))
            segments.append({"id": f"u{number}", "speaker": speaker, "start": round(begin, 3),
                             "end": round(begin + length, 3), "text": text})
            cursor = begin + length + GAP
    music = music_bed(frames)
    music *= 10 ** ((SPEECH_DBFS + MUSIC_REL_DB - rms_dbfs(music)) / 20)
    mix = music + speech[:, None]
    headroom = 0.89 / max(1e-9, float(np.max(np.abs(mix))))  # about -1 dBFS peak: AAC overshoot stays legal
    mix *= min(1.0, headroom)
    speech *= min(1.0, headroom)

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        mix_wav = write_wav(Path(tmp) / "mix.wav", mix, RATE)
        encode(frames_for(speech, turns), mix_wav, out_dir / f"{ITEM_ID}.mp4")
    write_wav(out_dir / "speech-16k.wav", resample(speech, RATE, 16000), 16000)
    write_rttm(out_dir / f"{ITEM_ID}.rttm", turns)
    transcript = {"item": ITEM_ID, "language": "en", "segments": segments}
    (out_dir / "transcript.json").write_text(json.dumps(transcript, indent=2) + "\n", encoding="utf-8")
    item = {
        "id": ITEM_ID,
        "title": "Two synthetic speakers taking turns over a music bed",
        "video": f"{ITEM_ID}.mp4",
        "duration": DURATION,
        "sample_rate": RATE,
        "speakers": sorted(VOICES),
        "rttm": f"{ITEM_ID}.rttm",
        "transcript": "transcript.json",
        "reference_speech": "speech-16k.wav",
        "generator": {"script": "samples/make_sample.py", "espeak_ng": espeak_version(),
                      "music_rel_db": MUSIC_REL_DB, "speech_dbfs": SPEECH_DBFS},
    }
    (out_dir / "item.json").write_text(json.dumps(item, indent=2) + "\n", encoding="utf-8")
    return item


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "samples" / ITEM_ID)
    args = parser.parse_args(argv)
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            print(f"make_sample: {tool} not found on PATH", file=sys.stderr)
            return 2
    item = build(args.out)
    total = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(f"wrote {args.out} ({total / 1e6:.2f} MB): {item['video']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
