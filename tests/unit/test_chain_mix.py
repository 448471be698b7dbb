"""Mix: voices placed at their times, the music ducked under them, never clipped."""
from __future__ import annotations

import json

import numpy as np
import pytest

from harness.chain.audio import write_wav
from harness.chain.layout import ItemLayout
from harness.chain.mix import CEILING, duck_gain, load_voices, mix, moving_average
from harness.chain.verify import CheckFailed, measured_ducking, verify_mix

RATE = 8000


def loud_music(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    left = 0.9 * np.sin(2 * np.pi * 110 * t)
    return np.stack([left, 0.9 * np.sin(2 * np.pi * 165 * t)], axis=1)


def voice(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return 0.8 * np.sin(2 * np.pi * 300 * t) * np.sin(2 * np.pi * 3 * t) ** 2


def test_moving_average_matches_a_centred_convolution():
    x = (np.arange(50) % 7 == 0).astype(float)
    for width in (1, 4, 5):
        assert moving_average(x, width) == pytest.approx(np.convolve(x, np.ones(width) / width, mode="same"))


def test_duck_gain_is_down_under_the_voice_and_ramps_outside_it():
    gain = duck_gain([(1.0, 2.0)], 3 * RATE, RATE, duck_db=12.0)
    floor = 10 ** (-12 / 20)
    assert gain[:int(0.9 * RATE)] == pytest.approx(1.0)
    assert gain[RATE:2 * RATE] == pytest.approx(floor)
    assert gain[int(2.1 * RATE) + 1:] == pytest.approx(1.0)
    ramp = gain[int(0.95 * RATE):RATE]
    assert np.all(np.diff(ramp) <= 1e-12) and ramp[0] > floor  # going down, not jumping


def test_mix_never_clips_and_ducks_by_the_asked_amount():
    music = loud_music(4.0)
    speech = voice(1.5)
    out, scale = mix(music, [(1.0, speech)], RATE, duck_db=12.0)
    assert out.shape == music.shape
    assert np.max(np.abs(out)) <= CEILING + 1e-12
    assert scale < 1.0  # 0.9 music + 0.8 voice would pass full scale: scaled as a whole
    duck = measured_ducking(out, music, [(1.0, 2.5)], RATE)
    assert duck == pytest.approx(12.0, abs=1.0)


def test_quiet_material_is_left_at_its_level():
    out, scale = mix(0.1 * loud_music(2.0), [(0.5, 0.1 * voice(0.5))], RATE)
    assert scale == 1.0


def test_voices_land_at_their_start_times():
    silence = np.zeros((3 * RATE, 2))
    out, _ = mix(silence, [(2.0, np.ones(100) * 0.5)], RATE)
    assert np.all(out[:2 * RATE] == 0.0)
    assert out[2 * RATE:2 * RATE + 100] == pytest.approx(0.5)


def _mix_layout(tmp_path, mixed: np.ndarray, music: np.ndarray, start: float, seconds: float):
    layout = ItemLayout.under(tmp_path, "x")
    write_wav(layout.accompaniment, music, RATE)
    write_wav(layout.mix, mixed, RATE)
    write_wav(layout.tts / "seg-000.wav", voice(seconds), RATE)
    (layout.tts / "segments.json").write_text(json.dumps(
        [{"file": "seg-000.wav", "speaker": "spk0", "start": start, "duration": seconds}]))
    return layout


class _Item:  # the two fields verify_mix reads, without a whole item folder
    sample_rate = RATE
    duration = 4.0


def test_verify_mix_accepts_a_ducked_mix_and_rejects_an_unducked_or_clipped_one(tmp_path):
    music = 0.5 * loud_music(4.0)
    ducked, _ = mix(music, [(1.0, voice(1.5))], RATE)
    checked = verify_mix(_mix_layout(tmp_path / "a", ducked, music, 1.0, 1.5), _Item(), {})
    assert checked.metrics["ducking_db"] >= 10 and checked.metrics["clipped_samples"] == 0

    flat = music.copy()
    flat[RATE:RATE + voice(1.5).size] += voice(1.5)[:, None] * 0.3
    with pytest.raises(CheckFailed, match="no ducking"):
        verify_mix(_mix_layout(tmp_path / "b", flat, music, 1.0, 1.5), _Item(), {})

    clipped = ducked.copy()
    clipped[100:110] = 1.0
    with pytest.raises(CheckFailed, match="clips: 20 samples"):
        verify_mix(_mix_layout(tmp_path / "c", clipped, music, 1.0, 1.5), _Item(), {})


def test_load_voices_reads_the_manifest_and_resamples(tmp_path):
    (tmp_path / "seg-000.wav").write_bytes(b"")
    write_wav(tmp_path / "seg-000.wav", voice(1.0), RATE)
    (tmp_path / "segments.json").write_text(json.dumps([{"file": "seg-000.wav", "start": 0.25, "duration": 1.0}]))
    voices = load_voices(tmp_path, 2 * RATE)
    assert voices[0][0] == 0.25 and voices[0][1].size == 2 * RATE
