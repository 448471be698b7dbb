"""Diarize stage: who speaks when in the vocals stem, with numpy alone (no model download).

Three classic steps, each small enough to read and test:

1. speech activity: 25 ms frame energies against the loud end of the stem
   (the stem is vocals only, so a level relative to its own speech works
   without a trained VAD); short pauses inside an utterance are bridged;
2. speaker embeddings: for each 1 s window of speech, the mean MFCCs (the
   spectral envelope: vocal tract) plus the median pitch (larynx), the two
   cues that tell two voices apart;
3. clustering: k-means into the item's declared number of speakers (the
   "oracle speaker count" set-up of diarization benchmarks), then each speech
   frame takes its nearest window's label and runs shorter than 0.5 s are
   absorbed by their neighbours.

Output: ``diarization/<id>.rttm`` with speakers ``spk0``, ``spk1``, ... in order
of first appearance.

    python -m harness.chain.diarize --vocals V.wav --out OUT.rttm --item-id ID [--speakers 2] [--reference GT.rttm]
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .audio import read_wav, resample, to_mono
from .rttm import Turn, read_rttm, write_rttm

RATE = 16000
HOP = 160  # 10 ms
FRAME = 400  # 25 ms
PITCH_FRAME = 640  # 40 ms: two periods of a 50 Hz voice
N_MFCC = 12
WINDOW_S = 1.0
MIN_RUN_S = 0.5


def frame_signal(x: np.ndarray, length: int, hop: int = HOP) -> np.ndarray:
    """(frames, length) view-copy of ``x``; the last partial frame is zero-padded."""
    count = max(1, int(math.ceil(max(0, x.size - length) / hop)) + 1)
    padded = np.pad(x, (0, max(0, (count - 1) * hop + length - x.size)))
    index = np.arange(length)[None, :] + hop * np.arange(count)[:, None]
    return np.asarray(padded[index])


def frame_energy_db(x: np.ndarray) -> np.ndarray:
    frames = frame_signal(x, FRAME)
    return np.asarray(10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-12))


def loud_frames(x: np.ndarray, below_peak_db: float = 25.0) -> np.ndarray:
    """Frames within ``below_peak_db`` of the 95th-percentile level; none when the stem has no speech.

    The stem is vocals only, so its own loud end is speech. It must stand at
    least 15 dB above the quiet floor: a stem of pure leakage (or a mix
    mistaken for a stem) has no such contrast, and gets no speech.
    """
    energy = frame_energy_db(x)
    loud, floor = np.percentile(energy, 95), np.percentile(energy, 10)
    if loud - floor < 15.0 or loud < -60.0:
        return np.zeros(energy.size, dtype=bool)
    return np.asarray(energy > loud - below_peak_db)


def detect_speech(x: np.ndarray, max_gap: float = 0.5, min_len: float = 0.25) -> List[Tuple[int, int]]:
    """Speech regions as (first, last+1) frame indices: loud frames, pauses up to ``max_gap`` bridged."""
    active = loud_frames(x)
    regions: List[Tuple[int, int]] = []
    start = None
    for index, flag in enumerate(np.append(active, False)):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            regions.append((start, index))
            start = None
    merged: List[Tuple[int, int]] = []
    for region in regions:
        if merged and (region[0] - merged[-1][1]) * HOP / RATE <= max_gap:
            merged[-1] = (merged[-1][0], region[1])
        else:
            merged.append(region)
    return [r for r in merged if (r[1] - r[0]) * HOP / RATE >= min_len]


def _mel_filterbank(n_mels: int, n_fft: int, low: float = 60.0, high: float = 7600.0) -> np.ndarray:
    def to_mel(f: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + f / 700.0)

    edges_mel = np.linspace(to_mel(np.array(low)), to_mel(np.array(high)), n_mels + 2)
    edges = 700.0 * (10 ** (edges_mel / 2595.0) - 1.0)
    freqs = np.linspace(0, RATE / 2, n_fft // 2 + 1)
    bank = np.zeros((n_mels, freqs.size))
    for m in range(n_mels):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        rising = (freqs - lo) / (mid - lo)
        falling = (hi - freqs) / (hi - mid)
        bank[m] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank


def mfcc(x: np.ndarray, n_mels: int = 40, n_fft: int = 512) -> np.ndarray:
    """(frames, N_MFCC) cepstra c1..c12 (c0, the loudness, says nothing about who speaks)."""
    frames = frame_signal(x, FRAME) * np.hamming(FRAME)
    power = np.abs(np.fft.rfft(frames, n_fft)) ** 2
    logmel = np.log(power @ _mel_filterbank(n_mels, n_fft).T + 1e-10)
    k = np.arange(n_mels)
    dct = np.cos(np.pi / n_mels * (k[None, :] + 0.5) * np.arange(1, N_MFCC + 1)[:, None])
    return np.asarray(logmel @ dct.T)


def pitch_hz(x: np.ndarray, low: float = 60.0, high: float = 400.0) -> np.ndarray:
    """Per-frame F0 by normalised autocorrelation; NaN where the frame is not clearly voiced."""
    frames = frame_signal(x, PITCH_FRAME)
    frames = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames, 2 * PITCH_FRAME)
    acf = np.fft.irfft(np.abs(spectrum) ** 2)[:, :PITCH_FRAME]
    lags = np.arange(int(RATE / high), int(RATE / low) + 1)
    norm = acf[:, lags] / (acf[:, :1] + 1e-12)
    best = np.argmax(norm, axis=1)
    f0 = RATE / lags[best]
    return np.where(norm[np.arange(norm.shape[0]), best] > 0.5, f0, np.nan)


def embed_windows(x: np.ndarray, regions: Sequence[Tuple[int, int]]) -> Tuple[np.ndarray, np.ndarray]:
    """One embedding per ~1 s window of speech, and each window's centre frame.

    Only loud frames count: the quiet ones between words hold what leaked from
    the music, whose notes would pass for a voice's pitch.
    """
    cep, f0, loud = mfcc(x), pitch_hz(x), loud_frames(x)
    count = min(cep.shape[0], f0.size, loud.size)
    cep, f0, loud = cep[:count], np.where(loud[:count], f0[:count], np.nan), loud[:count]
    width = int(WINDOW_S * RATE / HOP)
    rows, centres = [], []
    for first, last in regions:
        starts = list(range(first, max(first + 1, last - width + 1), width // 2))
        for start in starts:
            stop = min(last, start + width)
            voiced = f0[start:stop][~np.isnan(f0[start:stop])]
            log_f0 = math.log2(float(np.median(voiced))) if voiced.size else float("nan")
            spoken = cep[start:stop][loud[start:stop]]
            rows.append(np.append((spoken if spoken.size else cep[start:stop]).mean(axis=0), log_f0))
            centres.append((start + stop) // 2)
    table = np.array(rows, dtype=np.float64).reshape(-1, N_MFCC + 1)
    if table.size and np.isnan(table[:, -1]).any():  # unvoiced window: the typical pitch
        known = table[~np.isnan(table[:, -1]), -1]
        table[np.isnan(table[:, -1]), -1] = float(np.median(known)) if known.size else 7.0
    return table, np.array(centres, dtype=np.int64)


def standardise(table: np.ndarray) -> np.ndarray:
    """z-score per dimension; pitch weighted to count as much as the whole MFCC block."""
    spread = table.std(axis=0)
    z = (table - table.mean(axis=0)) / np.where(spread > 1e-9, spread, 1.0)
    z[:, -1] *= math.sqrt(N_MFCC)
    return np.asarray(z)


def kmeans(points: np.ndarray, k: int, iterations: int = 100) -> np.ndarray:
    """Lloyd's k-means with a deterministic farthest-point start: same input, same labels."""
    k = max(1, min(k, points.shape[0]))
    centres = [points[int(np.argmax(np.linalg.norm(points - points.mean(axis=0), axis=1)))]]
    while len(centres) < k:
        dist = np.min([np.linalg.norm(points - c, axis=1) for c in centres], axis=0)
        centres.append(points[int(np.argmax(dist))])
    centre = np.array(centres)
    labels = np.zeros(points.shape[0], dtype=np.int64)
    for _ in range(iterations):
        new = np.argmin(np.linalg.norm(points[:, None, :] - centre[None, :, :], axis=2), axis=1)
        if _ and np.array_equal(new, labels):
            break
        labels = new
        centre = np.array([points[labels == j].mean(axis=0) if np.any(labels == j) else centre[j] for j in range(k)])
    return labels


def _smooth(labels: np.ndarray, min_run: int) -> np.ndarray:
    """Absorb label runs shorter than ``min_run`` frames into the run before (or after, at the start)."""
    out = labels.copy()
    changed = True
    while changed:
        changed = False
        bounds = np.flatnonzero(np.diff(out)) + 1
        starts = np.concatenate([[0], bounds])
        stops = np.concatenate([bounds, [out.size]])
        if starts.size < 2:
            break
        for a, b in zip(starts, stops):
            if b - a < min_run:
                out[a:b] = out[a - 1] if a > 0 else out[b]
                changed = True
                break
    return out


def diarize(x: np.ndarray, file_id: str, speakers: int = 2) -> List[Turn]:
    """Turns for a 16 kHz mono signal."""
    regions = detect_speech(x)
    if not regions:
        return []
    table, centres = embed_windows(x, regions)
    labels = kmeans(standardise(table), speakers)
    turns: List[Turn] = []
    order: List[int] = []
    for first, last in regions:
        inside = np.flatnonzero((centres >= first) & (centres < last + 1))
        frames = np.arange(first, last)
        nearest = inside[np.argmin(np.abs(frames[:, None] - centres[inside][None, :]), axis=1)]
        frame_labels = _smooth(labels[nearest], int(MIN_RUN_S * RATE / HOP))
        bounds = np.flatnonzero(np.diff(frame_labels)) + 1
        for a, b in zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [frames.size]])):
            label = int(frame_labels[a])
            if label not in order:
                order.append(label)
            start = (first + a) * HOP / RATE
            turns.append(Turn(file_id, round(start, 3), round((b - a) * HOP / RATE, 3), f"spk{order.index(label)}"))
    return turns


def load_vocals(path: Path) -> np.ndarray:
    data, rate = read_wav(path)
    return resample(to_mono(data), rate, RATE)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="VAD + MFCC/pitch embeddings + k-means -> RTTM")
    parser.add_argument("--vocals", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--item-id", required=True)
    parser.add_argument("--speakers", type=int, default=2)
    parser.add_argument("--reference", type=Path, help="ground-truth RTTM: print the DER")
    args = parser.parse_args(argv)
    turns = diarize(load_vocals(args.vocals), args.item_id, args.speakers)
    write_rttm(args.out, turns)
    for turn in turns:
        print(f"{turn.speaker} {turn.start:7.2f} {turn.end:7.2f}")
    if not turns:
        print("no speech found in the vocals stem", file=sys.stderr)
        return 1
    if args.reference:
        from .der import compute_der

        result = compute_der(read_rttm(args.reference), turns)
        print(f"DER {result.der:.4f} (missed {result.missed:.2f} s, false alarm {result.false_alarm:.2f} s, "
              f"confusion {result.confusion:.2f} s, scored {result.scored:.2f} s, collar 0.25 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
