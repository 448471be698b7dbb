"""WAV input/output and the few signal helpers every stage shares.

Only the standard library's ``wave`` module and numpy: every file the chain
writes is 16-bit PCM, which ``wave`` reads on every Python from 3.8 on. A file
in another format (float or WAVE_FORMAT_EXTENSIBLE, as a product's own stage
command might write) is read with ``soundfile`` when that is installed, and
otherwise rejected with a message that says what the file is.
"""
from __future__ import annotations

import math
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

import numpy as np

# What the stdlib raises on a file that is missing, cut short, or not RIFF/WAVE at all.
_UNREADABLE = (wave.Error, EOFError, RuntimeError, ValueError, OSError)
SILENCE_DBFS = -60.0  # below this RMS a stem or mix counts as silent: 16-bit dither sits near -100


@dataclass(frozen=True)
class WavInfo:
    """What a WAV header says, read without loading the samples."""

    sample_rate: int
    channels: int
    frames: int

    @property
    def duration(self) -> float:
        return self.frames / float(self.sample_rate) if self.sample_rate else 0.0


def wav_info(path: Path) -> WavInfo:
    """Header of a PCM WAV file (raises ``ValueError`` with the reason when unreadable)."""
    try:
        with wave.open(str(path), "rb") as handle:
            return WavInfo(handle.getframerate(), handle.getnchannels(), handle.getnframes())
    except _UNREADABLE as exc:
        data, rate = _read_with_soundfile(Path(path), exc)
        return WavInfo(rate, data.shape[1], data.shape[0])


def read_wav(path: Path) -> Tuple[np.ndarray, int]:
    """Samples as float32 in [-1, 1], shape (frames, channels), and the sample rate."""
    try:
        with wave.open(str(path), "rb") as handle:
            rate = handle.getframerate()
            channels = handle.getnchannels()
            width = handle.getsampwidth()
            raw = handle.readframes(handle.getnframes())
    except _UNREADABLE as exc:
        return _read_with_soundfile(Path(path), exc)
    return _pcm_to_float(raw, width).reshape(-1, channels), rate


def _pcm_to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if width == 3:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = bytes3[:, 0] | (bytes3[:, 1] << 8) | (bytes3[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float32) / float(1 << 23)
    if width == 4:
        return (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    raise ValueError(f"unsupported PCM sample width: {width} bytes")


def _read_with_soundfile(path: Path, cause: BaseException) -> Tuple[np.ndarray, int]:
    """Second chance for WAVs the stdlib cannot parse (float, extensible header)."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file") from cause
    if path.stat().st_size == 0:
        raise ValueError(f"{path}: empty file (0 bytes)") from cause
    try:
        import soundfile  # optional: only needed for non-PCM WAVs
    except ImportError:
        raise ValueError(f"{path}: not a 16/24/32-bit PCM WAV the stdlib can read ({cause})") from cause
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises its own RuntimeError subclasses
        raise ValueError(f"{path}: unreadable audio ({exc})") from exc
    return data, int(rate)


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> Path:
    """Write float samples as 16-bit PCM; values outside [-1, 1] are clipped (callers avoid that)."""
    data = np.asarray(samples, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    pcm = np.clip(np.round(data * 32767.0), -32768, 32767).astype("<i2")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(data.shape[1])
        handle.setsampwidth(2)
        handle.setframerate(int(sample_rate))
        handle.writeframes(pcm.tobytes())
    return path


def to_mono(samples: np.ndarray) -> np.ndarray:
    data = np.asarray(samples, dtype=np.float64)
    return data.mean(axis=1) if data.ndim == 2 else data


def resample(samples: np.ndarray, rate_from: int, rate_to: int) -> np.ndarray:
    """Polyphase resampling along axis 0 (exact length ``ceil(n * to / from)``)."""
    if rate_from == rate_to:
        return np.asarray(samples, dtype=np.float64)
    from scipy.signal import resample_poly  # scipy only where rates differ

    common = math.gcd(int(rate_from), int(rate_to))
    resampled: np.ndarray = resample_poly(np.asarray(samples, dtype=np.float64), rate_to // common, rate_from // common,
                                          axis=0)
    return resampled


def rms_dbfs(samples: np.ndarray) -> float:
    """RMS level in dB relative to full scale; -inf-like -200 for digital silence."""
    data = np.asarray(samples, dtype=np.float64)
    if data.size == 0:
        return -200.0
    power = float(np.mean(data * data))
    return 10.0 * math.log10(power) if power > 1e-20 else -200.0


def peak(samples: np.ndarray) -> float:
    data = np.asarray(samples)
    return float(np.max(np.abs(data))) if data.size else 0.0


def is_silent(samples: np.ndarray, threshold_dbfs: float = SILENCE_DBFS) -> bool:
    return rms_dbfs(samples) < threshold_dbfs


def fit_length(samples: np.ndarray, frames: int) -> np.ndarray:
    """Pad with zeros or cut to exactly ``frames`` along axis 0."""
    data = np.asarray(samples)
    if data.shape[0] >= frames:
        return data[:frames]
    pad = [(0, frames - data.shape[0])] + [(0, 0)] * (data.ndim - 1)
    return np.pad(data, pad)
