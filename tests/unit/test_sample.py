"""The embedded sample item: small, 10-30 s, two speakers at known times over music, reproducible."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from harness.chain.audio import read_wav, resample, rms_dbfs, to_mono
from harness.chain.item import load_item
from harness.chain.media import extract_audio, probe
from harness.chain.quality import sdr_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ITEM = SAMPLES / "two-speakers"
FFMPEG = shutil.which("ffmpeg")
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None, reason="needs ffmpeg")


def test_the_committed_sample_is_at_most_2_mb():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total <= 2 * 1024 * 1024, f"samples/ is {total / 1e6:.2f} MB"


def test_ground_truth_two_speakers_taking_turns_inside_10_to_30_s():
    item = load_item(ITEM)
    assert 10.0 <= item.duration <= 30.0
    turns = item.reference_turns()
    assert sorted({t.speaker for t in turns}) == sorted(item.speakers) and len(item.speakers) == 2
    assert all(0 <= t.start < t.end <= item.duration for t in turns)
    for before, after in zip(turns, turns[1:]):
        assert after.start - before.end >= 0.5  # clear gaps: no overlap, room for the collar
        assert after.speaker != before.speaker
    segments = item.segments()
    assert [(s.speaker, s.start, s.end) for s in segments] == [(t.speaker, t.start, round(t.end, 3)) for t in turns]
    assert all(len(s.text.split()) >= 5 for s in segments)


def test_the_reference_speech_is_speech_exactly_where_the_rttm_says():
    item = load_item(ITEM)
    speech, rate = read_wav(item.reference_speech)
    assert rate == 16000 and speech.shape[1] == 1
    assert speech.shape[0] / rate == pytest.approx(item.duration, abs=0.01)
    inside = np.zeros(speech.shape[0], dtype=bool)
    for turn in item.reference_turns():
        inside[int(turn.start * rate):int(turn.end * rate)] = True
    assert rms_dbfs(speech[inside]) > -30.0
    assert rms_dbfs(speech[~inside]) < -80.0


@needs_ffmpeg
def test_the_video_has_one_picture_and_one_sound_track_with_music_under_the_speech(tmp_path):
    item = load_item(ITEM)
    info = probe(item.video, FFMPEG, shutil.which("ffprobe"))
    assert (info.count("video"), info.count("audio")) == (1, 1)
    assert info.duration == pytest.approx(item.duration, abs=0.05)
    wav = tmp_path / "audio.wav"
    assert extract_audio(item.video, wav, FFMPEG, item.sample_rate).returncode == 0
    mix, rate = read_wav(wav)
    reference, ref_rate = read_wav(item.reference_speech)
    mix16 = resample(to_mono(mix), rate, ref_rate)
    # The speech is in the mix, under a music bed loud enough to make the raw mix a poor "vocals" stem.
    assert -8.0 < sdr_db(to_mono(reference), mix16) < 0.0
    gaps = np.ones(mix16.size, dtype=bool)
    for turn in item.reference_turns():
        gaps[int((turn.start - 0.2) * ref_rate):int((turn.end + 0.2) * ref_rate)] = False
    assert rms_dbfs(mix16[gaps]) > -35.0  # music plays between the turns too


@needs_ffmpeg
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs the eSpeak NG command line")
def test_the_script_regenerates_the_same_ground_truth(tmp_path):
    done = subprocess.run([sys.executable, str(SAMPLES / "make_sample.py"), "--out", str(tmp_path / "again")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    fresh = json.loads((tmp_path / "again" / "item.json").read_text())
    committed = json.loads((ITEM / "item.json").read_text())
    assert {k: v for k, v in fresh.items() if k != "generator"} == {k: v for k, v in committed.items()
                                                                    if k != "generator"}
    if fresh["generator"] != committed["generator"]:
        pytest.skip(f"another eSpeak NG ({fresh['generator']['espeak_ng']}) speaks with other timings")
    for name in ("two-speakers.rttm", "transcript.json", "speech-16k.wav"):
        assert (tmp_path / "again" / name).read_bytes() == (ITEM / name).read_bytes(), name
