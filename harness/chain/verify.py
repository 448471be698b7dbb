"""Each stage's output check, run before the next stage may start.

A stage "passed" only when its files are there and plausible: WAVs at the
item's sample rate and duration (+/- 50 ms), not silent, the RTTM parses, the
mp4 holds exactly one video and one audio stream of the item's duration. The
sample item also carries ground truth, so Separate must beat the raw mix by
the SDR gate and Diarize must not be grossly wrong. A failed check raises
:class:`CheckFailed` with the reason that becomes the JUnit failure message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

import numpy as np

from .audio import SILENCE_DBFS, peak, read_wav, resample, rms_dbfs, to_mono
from .item import SampleItem
from .layout import ItemLayout
from .media import FfmpegMissing, find_ffmpeg, find_ffprobe, probe
from .rttm import Turn, read_rttm

TOLERANCE_S = 0.05
MAX_DER = 0.5  # one label for everyone scores ~0.5 on two balanced speakers: worse is no diarization at all
MIN_DUCK_DB = 3.0
CLIP_LEVEL = 32767 / 32768.0  # a 16-bit sample at full scale
MIN_VOICE_SEMITONES = 1.0  # two speakers' voices must differ at least this much in median pitch


class CheckFailed(Exception):
    """A stage's output is wrong; ``category`` feeds the diagnosis (``other`` unless the cause is known)."""

    def __init__(self, message: str, category: str = "other", metrics: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category
        self.metrics = dict(metrics or {})


@dataclass(frozen=True)
class Checked:
    summary: str
    metrics: Dict[str, Any] = field(default_factory=dict)


def check_duration(actual: float, expected: float, what: str, tolerance: float = TOLERANCE_S) -> None:
    if abs(actual - expected) > tolerance:
        raise CheckFailed(f"{what}: {actual:.3f} s, expected {expected:.3f} s +/- {tolerance * 1000:.0f} ms")


def check_wav(path: Path, rate: int, duration: Optional[float], what: str,
              allow_silent: bool = False) -> Tuple[np.ndarray, int]:
    """Samples of a WAV that exists, has ``rate``, lasts ``duration`` and (unless allowed) is not silent."""
    if not path.is_file():
        raise CheckFailed(f"{what}: {path} was not written")
    try:
        data, actual_rate = read_wav(path)
    except ValueError as exc:
        raise CheckFailed(f"{what}: {exc}") from exc
    if data.shape[0] == 0:
        raise CheckFailed(f"{what}: holds no samples (0 frames)")
    if actual_rate != rate:
        raise CheckFailed(f"{what}: sample rate {actual_rate} Hz, expected the item's {rate} Hz")
    if duration is not None:
        check_duration(data.shape[0] / float(actual_rate), duration, f"{what} duration")
    level = rms_dbfs(data)
    if not allow_silent and level < SILENCE_DBFS:
        raise CheckFailed(f"{what}: silent ({level:.1f} dBFS RMS, threshold {SILENCE_DBFS:.0f} dBFS)")
    return data, actual_rate


def verify_separate(layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> Checked:
    vocals, rate = check_wav(layout.vocals, item.sample_rate, item.duration, "vocals.wav")
    music, _ = check_wav(layout.accompaniment, item.sample_rate, item.duration, "accompaniment.wav")
    metrics: Dict[str, Any] = {"vocals_dbfs": round(rms_dbfs(vocals), 1),
                               "accompaniment_dbfs": round(rms_dbfs(music), 1)}
    if not item.reference_speech or not layout.audio.is_file():
        return Checked("stems present; no reference speech, so no SDR gate", metrics)
    from .quality import MIN_GAIN_DB, score_separation

    reference, ref_rate = read_wav(item.reference_speech)
    mix, mix_rate = read_wav(layout.audio)
    score = score_separation(to_mono(reference), resample(to_mono(mix), mix_rate, ref_rate),
                             resample(to_mono(vocals), rate, ref_rate))
    metrics.update(score.as_metrics())
    if not score.passes():
        raise CheckFailed(
            f"quality gate: vocals SDR {score.sdr_vocals:.1f} dB is {score.gain:.1f} dB above the raw mix "
            f"({score.sdr_mix:.1f} dB), needs >= {MIN_GAIN_DB:.0f} dB: the 2stems weights are missing or random",
            category="model-download-failed", metrics=metrics)
    return Checked(f"SDR {score.sdr_vocals:.1f} dB, {score.gain:.1f} dB above the mix", metrics)


def verify_diarize(layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> Checked:
    if not layout.rttm.is_file():
        raise CheckFailed(f"{layout.rttm} was not written")
    try:
        turns = read_rttm(layout.rttm)
    except ValueError as exc:
        raise CheckFailed(f"RTTM does not parse: {exc}") from exc
    if not turns:
        raise CheckFailed("no speech found: the RTTM has no speaker turns")
    late = [t for t in turns if t.end > item.duration + TOLERANCE_S]
    if late:
        raise CheckFailed(f"a turn ends at {late[0].end:.2f} s, after the item's {item.duration:.2f} s")
    metrics: Dict[str, Any] = {"turns": len(turns), "speakers": len({t.speaker for t in turns})}
    if not item.rttm:
        return Checked(f"{len(turns)} turns; no ground truth, so no DER", metrics)
    from .der import DEFAULT_COLLAR, compute_der

    result = compute_der(item.reference_turns(), turns, collar=DEFAULT_COLLAR)
    metrics.update(result.as_metrics())
    metrics["der_collar_s"] = DEFAULT_COLLAR
    if result.der > MAX_DER:
        raise CheckFailed(f"DER {result.der:.1%} > {MAX_DER:.0%}: diarization grossly wrong", metrics=metrics)
    return Checked(f"{len(turns)} turns, DER {result.der:.1%}", metrics)


def _manifest(layout: ItemLayout) -> List[Dict[str, Any]]:
    path = layout.tts / "segments.json"
    if not path.is_file():
        raise CheckFailed(f"{path} was not written (the list of segments the Mix stage places)")
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return [dict(e, start=float(e["start"]), duration=float(e["duration"])) for e in entries]
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckFailed(f"{path.name}: not a list of segments with file/start/duration ({exc})") from exc


def speaker_pitch(layout: ItemLayout, entries: List[Dict[str, Any]]) -> Dict[str, Optional[float]]:
    """Median F0 (Hz) of each speaker's TTS segments together; None where no frame is clearly voiced."""
    from .diarize import RATE, pitch_hz

    samples: Dict[str, List[np.ndarray]] = {}
    for entry in entries:
        data, rate = read_wav(layout.tts / str(entry["file"]))
        samples.setdefault(str(entry.get("speaker")), []).append(resample(to_mono(data), rate, RATE))
    medians: Dict[str, Optional[float]] = {}
    for speaker, parts in samples.items():
        f0 = pitch_hz(np.concatenate(parts))
        voiced = f0[~np.isnan(f0)]
        medians[speaker] = round(float(np.median(voiced)), 1) if voiced.size else None
    return medians


def _alike(pitch: Dict[str, Optional[float]]) -> Optional[Tuple[str, str, float]]:
    """Two speakers whose median F0 lie closer than MIN_VOICE_SEMITONES, if any."""
    measured = sorted((f0, s) for s, f0 in pitch.items() if f0)
    for (low, a), (high, b) in zip(measured, measured[1:]):
        apart = 12.0 * float(np.log2(high / low))
        if apart < MIN_VOICE_SEMITONES:
            return a, b, apart
    return None


def verify_tts(layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> Checked:
    """One fitted segment per turn, one voice per speaker, and the voices audibly apart.

    The labels come from the engine that spoke, but a label can still lie (the
    old pyttsx3 engine recorded eSpeak labels for SAPI5 voices), so the check
    also listens: each speaker's median pitch must differ from every other's by
    at least MIN_VOICE_SEMITONES.
    """
    entries = _manifest(layout)
    if not entries:
        raise CheckFailed("no TTS segments were written")
    turns: List[Turn] = read_rttm(layout.rttm) if layout.rttm.is_file() else []
    if turns and len(entries) != len(turns):
        raise CheckFailed(f"{len(entries)} TTS segments for {len(turns)} diarized turns")
    voices: Dict[str, Set[str]] = {}
    for entry in entries:
        name = str(entry["file"])
        if Path(name).name != name:
            raise CheckFailed(f"segments.json names {name!r}: files must sit in tts/")
        check_wav(layout.tts / name, item.sample_rate, entry["duration"], f"tts/{name}")
        voices.setdefault(str(entry.get("speaker")), set()).add(str(entry.get("voice")))
    mixed = {speaker: sorted(v) for speaker, v in voices.items() if len(v) > 1}
    if mixed:
        raise CheckFailed(f"a speaker speaks with more than one voice: {mixed}")
    per_speaker = {speaker: next(iter(v)) for speaker, v in voices.items()}
    if len(set(per_speaker.values())) < len(per_speaker):
        raise CheckFailed(f"speakers share a voice: {per_speaker}")
    pitch = speaker_pitch(layout, entries)
    metrics = {"segments": len(entries), "voices": per_speaker, "voice_f0_hz": pitch,
               "tts_engine": sorted({str(e.get("engine")) for e in entries})}
    alike = _alike(pitch)
    if alike:
        a, b, apart = alike
        raise CheckFailed(f"speakers {a} and {b} sound alike: median pitch {pitch[a]} Hz and {pitch[b]} Hz, "
                          f"{apart:.1f} semitones apart (needs >= {MIN_VOICE_SEMITONES:.0f})", metrics=metrics)
    return Checked(f"{len(entries)} segments, voices {per_speaker}", metrics)


def measured_ducking(mix: np.ndarray, music: np.ndarray, spans: List[Tuple[float, float]], rate: int,
                     margin: float = 0.3) -> float:
    """How far (dB) the accompaniment sits lower in ``mix`` under the voices than in the clear.

    The accompaniment's gain in each region is the least-squares projection of
    the mix on the stem; the voices are nearly uncorrelated with the music, so
    they hardly bias it.
    """
    frames = min(mix.shape[0], music.shape[0])
    under = np.zeros(frames, dtype=bool)
    clear = np.ones(frames, dtype=bool)
    for start, end in spans:
        under[int(start * rate):int(end * rate)] = True
        clear[max(0, int((start - margin) * rate)):int((end + margin) * rate)] = False

    def gain(mask: np.ndarray) -> float:
        a, m = music[:frames][mask].ravel(), mix[:frames][mask].ravel()
        return float(np.dot(a, m) / max(1e-12, float(np.dot(a, a))))

    if not under.any() or not clear.any():
        raise CheckFailed("cannot measure ducking: no clear or no voiced region")
    g_under, g_clear = gain(under), gain(clear)
    ducking: float = 20.0 * np.log10(max(1e-9, g_clear) / max(1e-9, g_under))  # np.float64, as the log shows it
    return ducking


def verify_mix(layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> Checked:
    mix, rate = check_wav(layout.mix, item.sample_rate, item.duration, "mix.wav")
    top = peak(mix)
    clipped = int(np.sum(np.abs(mix) >= CLIP_LEVEL))
    metrics: Dict[str, Any] = {"peak_dbfs": round(20 * np.log10(max(top, 1e-9)), 2),
                               "mix_dbfs": round(rms_dbfs(mix), 1),
                               "clipped_samples": clipped}
    if clipped:
        raise CheckFailed(f"mix.wav clips: {clipped} samples at full scale", metrics=metrics)
    entries = _manifest(layout)
    music, music_rate = read_wav(layout.accompaniment)
    if music_rate != rate:
        raise CheckFailed(f"accompaniment is {music_rate} Hz, mix {rate} Hz")
    music = np.repeat(music, 2, axis=1) if music.shape[1] == 1 and mix.shape[1] == 2 else music
    spans = [(e["start"], e["start"] + e["duration"]) for e in entries]
    duck = measured_ducking(mix, music[:, : mix.shape[1]], spans, rate)
    metrics["ducking_db"] = round(duck, 1)
    if duck < MIN_DUCK_DB:
        raise CheckFailed(f"no ducking: the music is only {duck:.1f} dB lower under the voices "
                          f"(needs >= {MIN_DUCK_DB:.0f} dB)", metrics=metrics)
    return Checked(f"peak {metrics['peak_dbfs']} dBFS, music ducked {duck:.1f} dB", metrics)


def verify_mux(layout: ItemLayout, item: SampleItem, env: Mapping[str, str]) -> Checked:
    if not layout.mp4.is_file():
        raise CheckFailed(f"{layout.mp4} was not written")
    try:
        ffmpeg = find_ffmpeg(env)
    except FfmpegMissing as exc:
        raise CheckFailed(f"cannot inspect the mp4: {exc}", category="ffmpeg-missing") from exc
    try:
        info = probe(layout.mp4, ffmpeg, find_ffprobe(ffmpeg, env))
    except ValueError as exc:
        raise CheckFailed(str(exc)) from exc
    video, audio = info.count("video"), info.count("audio")
    metrics: Dict[str, Any] = {"video_streams": video, "audio_streams": audio, "mp4_duration_s": info.duration,
                               "prober": info.prober}
    if (video, audio) != (1, 1) or len(info.streams) != 2:
        kinds = ", ".join(s.kind for s in info.streams)
        raise CheckFailed(f"mp4 must hold exactly one video and one audio stream, has: {kinds}", metrics=metrics)
    if info.duration is None:
        raise CheckFailed("mp4 has no duration", metrics=metrics)
    check_duration(info.duration, item.duration, "mp4 duration")
    for stream in info.streams:
        if stream.duration is not None:
            check_duration(stream.duration, item.duration, f"mp4 {stream.kind} stream duration")
    return Checked(f"1 video + 1 audio stream, {info.duration:.3f} s", metrics)

