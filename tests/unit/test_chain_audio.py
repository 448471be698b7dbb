"""WAV I/O, levels, and the per-stage output checks that use them (durations +/- 50 ms, silence)."""
from __future__ import annotations

import wave

import numpy as np
import pytest

from harness.chain.audio import fit_length, is_silent, read_wav, resample, rms_dbfs, wav_info, write_wav
from harness.chain.quality import score_separation, sdr_db
from harness.chain.verify import CheckFailed, check_duration, check_wav

RATE = 44100


def tone(seconds: float, freq: float = 440.0, amp: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amp * np.sin(2 * np.pi * freq * t)


def test_write_then_read_keeps_samples_rate_and_channels(tmp_path):
    stereo = np.stack([tone(0.5), -tone(0.5, 220)], axis=1)
    path = write_wav(tmp_path / "deep" / "x.wav", stereo, RATE)
    data, rate = read_wav(path)
    assert rate == RATE and data.shape == stereo.shape
    assert np.max(np.abs(data - stereo)) < 1.0 / 32767 + 1e-6  # 16-bit quantisation only
    info = wav_info(path)
    assert (info.sample_rate, info.channels, info.frames) == (RATE, 2, stereo.shape[0])
    assert info.duration == pytest.approx(0.5)


def test_other_pcm_widths_read_back_to_the_same_scale(tmp_path):
    for width, scale in ((1, None), (3, 1 << 23), (4, 1 << 31)):
        path = tmp_path / f"w{width}.wav"
        values = [0.5, -0.25]
        if width == 1:
            raw = bytes(int(128 + v * 128) for v in values)
        else:
            raw = b"".join(int(v * scale).to_bytes(width, "little", signed=True) for v in values)
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(width)
            handle.setframerate(8000)
            handle.writeframes(raw)
        data, _ = read_wav(path)
        assert data[:, 0] == pytest.approx(values, abs=1e-2)


def test_unreadable_files_raise_value_errors_that_say_why(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty file"):
        read_wav(empty)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....WAVEjunkjunk" * 4)
    with pytest.raises(ValueError):
        read_wav(junk)
    with pytest.raises(ValueError, match="no such file"):
        read_wav(tmp_path / "absent.wav")


def test_levels_and_silence():
    assert rms_dbfs(np.full(1000, 0.5)) == pytest.approx(-6.02, abs=0.01)
    assert is_silent(np.zeros(1000)) and is_silent(np.full(1000, 1e-4))
    assert not is_silent(tone(0.1, amp=0.01))


def test_resample_and_fit_length():
    y = resample(tone(1.0, 440, rate=22050), 22050, 44100)
    assert y.shape[0] == 44100
    assert fit_length(np.ones(10), 4).tolist() == [1, 1, 1, 1]
    assert fit_length(np.ones((2, 2)), 3).tolist() == [[1, 1], [1, 1], [0, 0]]


def test_duration_check_allows_50_ms_either_way():
    check_duration(20.049, 20.0, "x")
    check_duration(19.951, 20.0, "x")
    with pytest.raises(CheckFailed, match=r"20\.060 s, expected 20\.000 s \+/- 50 ms"):
        check_duration(20.06, 20.0, "x")


def test_check_wav_catches_each_way_a_stem_can_be_wrong(tmp_path):
    good = write_wav(tmp_path / "good.wav", tone(2.0), RATE)
    data, rate = check_wav(good, RATE, 2.0, "good")
    assert rate == RATE and data.shape[0] == 2 * RATE
    with pytest.raises(CheckFailed, match="was not written"):
        check_wav(tmp_path / "missing.wav", RATE, 2.0, "vocals.wav")
    with pytest.raises(CheckFailed, match="sample rate 22050 Hz"):
        check_wav(write_wav(tmp_path / "r.wav", tone(2.0, rate=22050), 22050), RATE, 2.0, "r")
    with pytest.raises(CheckFailed, match="duration: 1.500 s"):
        check_wav(write_wav(tmp_path / "d.wav", tone(1.5), RATE), RATE, 2.0, "d")
    with pytest.raises(CheckFailed, match="silent"):
        check_wav(write_wav(tmp_path / "s.wav", np.zeros(2 * RATE), RATE), RATE, 2.0, "s")
    with pytest.raises(CheckFailed, match="holds no samples"):
        check_wav(write_wav(tmp_path / "e.wav", np.zeros(0), RATE), RATE, 2.0, "e")


def test_sdr_rewards_the_estimate_closer_to_the_speech():
    rng = np.random.RandomState(0)
    speech = tone(1.0, 200, rate=16000)
    music = rng.standard_normal(speech.size) * 0.5
    assert sdr_db(speech, speech) == 200.0
    assert sdr_db(speech, speech + music) == pytest.approx(10 * np.log10(np.sum(speech ** 2) / np.sum(music ** 2)))
    score = score_separation(speech, speech + music, speech + 0.1 * music)
    assert score.gain == pytest.approx(20.0, abs=0.01)  # the residual is 10x (20 dB) smaller
    assert score.passes() and not score_separation(speech, speech + music, speech + 0.5 * music).passes()
    with pytest.raises(ValueError):
        sdr_db(np.zeros(10), np.ones(10))
