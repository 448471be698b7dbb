"""Diarization on synthetic voices: speech activity, pitch, clustering, and the DER it reaches."""
from __future__ import annotations

import numpy as np
import pytest

from harness.chain.audio import write_wav
from harness.chain.der import compute_der
from harness.chain.diarize import RATE, detect_speech, diarize, kmeans, main, pitch_hz
from harness.chain.rttm import Turn, read_rttm


def synthetic_voice(seconds: float, f0: float, formants, seed: int) -> np.ndarray:
    """A buzzy harmonic voice with formant peaks, syllable-rate amplitude and a little vibrato."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.RandomState(seed)
    pitch = f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    out = np.zeros_like(t)
    for k in range(1, int(7000 / f0)):
        weight = sum(np.exp(-((k * f0 - f) / 250.0) ** 2) for f in formants) + 0.05
        out += weight / k ** 0.5 * np.sin(k * phase)
    syllables = 0.3 + 0.7 * np.abs(np.sin(2 * np.pi * 2.5 * t))
    return 0.1 * out * syllables / np.max(np.abs(out))


LOW = dict(f0=105.0, formants=(500, 1400, 2400))
HIGH = dict(f0=225.0, formants=(850, 2100, 3100))
TIMELINE = [("low", 0.5, 3.5), ("high", 4.4, 7.0), ("low", 7.9, 10.9), ("high", 11.8, 14.5)]


@pytest.fixture(scope="module")
def conversation():
    signal = np.zeros(int(15.5 * RATE))
    for number, (who, start, end) in enumerate(TIMELINE):
        voice = synthetic_voice(end - start, seed=number, **(LOW if who == "low" else HIGH))
        signal[int(start * RATE):int(start * RATE) + voice.size] += voice
    signal += 1e-4 * np.random.RandomState(9).standard_normal(signal.size)  # a leakage floor, as stems have
    return signal


def test_pitch_tracks_the_voice():
    low = pitch_hz(synthetic_voice(1.0, seed=1, **LOW))
    high = pitch_hz(synthetic_voice(1.0, seed=2, **HIGH))
    assert np.nanmedian(low) == pytest.approx(105, rel=0.06)
    assert np.nanmedian(high) == pytest.approx(225, rel=0.06)


def test_speech_regions_are_found_and_pauses_between_turns_kept(conversation):
    regions = [(a / 100, b / 100) for a, b in detect_speech(conversation)]
    assert len(regions) == 4
    for (start, end), (_, true_start, true_end) in zip(regions, TIMELINE):
        assert start == pytest.approx(true_start, abs=0.1) and end == pytest.approx(true_end, abs=0.15)


def test_a_stem_without_contrast_has_no_speech():
    steady = 0.1 * np.random.RandomState(3).standard_normal(5 * RATE)  # like a mix mistaken for a stem
    assert detect_speech(steady) == []
    assert diarize(steady, "x") == []


def test_two_voices_are_told_apart(conversation):
    turns = diarize(conversation, "conv", speakers=2)
    reference = [Turn("conv", s, e - s, who) for who, s, e in TIMELINE]
    result = compute_der(reference, turns)
    assert result.der < 0.05
    assert [t.speaker for t in turns] == ["spk0", "spk1", "spk0", "spk1"]  # named by first appearance


def test_kmeans_is_deterministic_and_separates_clear_groups():
    points = np.array([[0.0, 0.1], [0.2, 0.0], [5.0, 5.1], [5.2, 4.9], [0.1, 0.2]])
    first = kmeans(points, 2)
    assert first.tolist() == kmeans(points, 2).tolist()
    assert len(set(first[[0, 1, 4]])) == 1 and len(set(first[[2, 3]])) == 1 and first[0] != first[2]
    assert kmeans(points[:1], 3).tolist() == [0]  # never more clusters than points


def test_the_cli_writes_rttm_and_prints_the_der(tmp_path, conversation, capsys):
    vocals = write_wav(tmp_path / "vocals.wav", np.stack([conversation, conversation], axis=1), RATE)
    truth = tmp_path / "truth.rttm"
    truth.write_text("".join(f"SPEAKER conv 1 {s:.3f} {e - s:.3f} <NA> <NA> {w} <NA> <NA>\n" for w, s, e in TIMELINE))
    out = tmp_path / "d" / "conv.rttm"
    assert main(["--vocals", str(vocals), "--out", str(out), "--item-id", "conv", "--reference", str(truth)]) == 0
    assert len(read_rttm(out)) == 4
    assert "DER 0.0" in capsys.readouterr().out
