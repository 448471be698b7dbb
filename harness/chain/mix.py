"""Mix stage: the TTS turns laid over the accompaniment stem, the music ducked under the voices.

Ducking: the accompaniment's gain drops by ``--duck-db`` (12 dB) for every TTS
turn, with 100 ms ramps that start before the voice and end after it, so the
music is fully down while anyone speaks and never jumps. No clipping: when the
sum would pass -0.5 dBFS the whole mix is scaled down (one gain, so the
balance stays), never hard-limited.

    python -m harness.chain.mix --accompaniment A.wav --tts-dir tts/ --out mix/mix.wav [--duration S] [--duck-db 12]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .audio import fit_length, read_wav, resample, to_mono, write_wav

CEILING = 10 ** (-0.5 / 20)  # -0.5 dBFS: headroom for the 16-bit rounding and any later encoder
RAMP_S = 0.1


def speech_mask(spans: Sequence[Tuple[float, float]], frames: int, rate: int) -> np.ndarray:
    """1.0 inside each (start, end) span in seconds, 0.0 elsewhere."""
    mask = np.zeros(frames)
    for start, end in spans:
        mask[max(0, int(start * rate)):max(0, min(frames, int(round(end * rate))))] = 1.0
    return mask


def moving_average(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average by cumulative sums: linear time, where np.convolve would be O(n*width)."""
    padded = np.concatenate([np.zeros(width // 2 + 1), x, np.zeros(width - width // 2)])
    sums = np.cumsum(padded)
    return np.asarray((sums[width:width + x.size] - sums[:x.size]) / width)


def duck_gain(spans: Sequence[Tuple[float, float]], frames: int, rate: int, duck_db: float) -> np.ndarray:
    """Per-sample accompaniment gain: 1 in the clear, ``-duck_db`` under a voice, linear ramps between."""
    ramp = max(1, int(RAMP_S * rate))
    widened = [(s - RAMP_S / 2, e + RAMP_S / 2) for s, e in spans]  # ramps sit outside the voice
    mask = speech_mask(widened, frames, rate)
    smooth = moving_average(mask, ramp)
    smooth = np.maximum(smooth, speech_mask(spans, frames, rate))  # fully down wherever a voice is
    floor = 10 ** (-duck_db / 20)
    return np.asarray(1.0 - (1.0 - floor) * np.clip(smooth, 0.0, 1.0))


def mix(accompaniment: np.ndarray, voices: Sequence[Tuple[float, np.ndarray]], rate: int,
        duck_db: float = 12.0) -> Tuple[np.ndarray, float]:
    """(stereo mix, scale applied to stay below the ceiling). ``voices``: (start s, mono samples)."""
    music = accompaniment if accompaniment.ndim == 2 else accompaniment[:, None]
    music = np.repeat(music, 2, axis=1) if music.shape[1] == 1 else music[:, :2]
    frames = music.shape[0]
    spans = [(start, start + v.size / float(rate)) for start, v in voices]
    out = music * duck_gain(spans, frames, rate, duck_db)[:, None]
    for start, voice in voices:
        first = int(round(start * rate))
        if first >= frames:
            continue
        part = voice[: frames - first]
        out[first:first + part.size] += part[:, None]
    top = float(np.max(np.abs(out))) if out.size else 0.0
    scale = CEILING / top if top > CEILING else 1.0
    return out * scale, scale


def load_voices(tts_dir: Path, rate: int) -> List[Tuple[float, np.ndarray]]:
    """(start, mono samples at ``rate``) for each entry of the TTS stage's manifest."""
    manifest = json.loads((tts_dir / "segments.json").read_text(encoding="utf-8"))
    voices = []
    for entry in manifest:
        data, voice_rate = read_wav(tts_dir / entry["file"])
        voices.append((float(entry["start"]), resample(to_mono(data), voice_rate, rate)))
    return voices


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="TTS turns over the accompaniment, with ducking")
    parser.add_argument("--accompaniment", type=Path, required=True)
    parser.add_argument("--tts-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duration", type=float, help="item duration in s: the mix is cut/padded to it")
    parser.add_argument("--duck-db", type=float, default=12.0)
    args = parser.parse_args(argv)
    music, rate = read_wav(args.accompaniment)
    if args.duration:
        music = fit_length(music, int(round(args.duration * rate)))
    voices = load_voices(args.tts_dir, rate)
    if not voices:
        print("no TTS segments to mix", file=sys.stderr)
        return 1
    out, scale = mix(music, voices, rate, args.duck_db)
    write_wav(args.out, out, rate)
    print(f"mixed {len(voices)} voices over {out.shape[0] / rate:.3f} s, ducking {args.duck_db:.1f} dB, "
          f"scale {20 * np.log10(scale):.2f} dB, peak {float(np.max(np.abs(out))):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
