"""TTS: words go to the turn that covers them; each utterance is fitted to its turn; voices differ."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from harness.chain import tts
from harness.chain.audio import read_wav
from harness.chain.diarize import pitch_hz
from harness.chain.layout import ItemLayout
from harness.chain.rttm import Turn, write_rttm
from harness.chain.verify import CheckFailed, verify_tts

ESPEAK = shutil.which("espeak-ng") or shutil.which("espeak")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="needs the eSpeak NG command line")
SEGMENTS = [{"speaker": "a", "start": 1.0, "end": 3.0, "text": "one two three four"},
            {"speaker": "b", "start": 4.0, "end": 6.0, "text": "five six"}]


def test_each_word_goes_to_the_turn_that_covers_its_time():
    turns = [Turn("x", 1.0, 1.0, "spk0"), Turn("x", 2.0, 1.0, "spk1"), Turn("x", 4.0, 2.0, "spk1")]
    assert tts.words_per_turn(turns, SEGMENTS) == ["one two", "three four", "five six"]


def test_a_turn_without_words_borrows_the_nearest_line_and_no_word_is_lost():
    turns = [Turn("x", 0.9, 2.2, "spk0"), Turn("x", 12.0, 0.5, "spk1")]  # a false alarm at 12 s
    texts = tts.words_per_turn(turns, SEGMENTS)
    assert texts[0] == "one two three four five six"  # words outside every turn go to the nearest
    assert texts[1] == "five six"
    assert tts.words_per_turn([], SEGMENTS) == []


def test_no_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RuntimeError, match="no TTS engine works: espeak-ng: RuntimeError: neither espeak-ng"):
        tts.pick_engine("espeak-ng")


@needs_espeak
def test_utterances_are_fitted_to_the_turn_exactly(tmp_path):
    engine = tts.EspeakCliEngine()
    long_text = "this sentence is far too long to be spoken in the one second it is given"
    samples, wpm, spoken = tts.synthesise(engine, long_text, tts.VOICES[0], 2.0, 44100, tmp_path)
    assert samples.size == 2 * 44100
    assert wpm > tts.BASE_WPM  # spoken faster to fit
    short, short_wpm, _ = tts.synthesise(engine, "hi", tts.VOICES[1], 2.0, 44100, tmp_path)
    assert short.size == 2 * 44100 and short_wpm == tts.BASE_WPM
    assert np.max(np.abs(short[-4410:])) == 0.0  # padded with silence, not stretched


@needs_espeak
def test_two_speakers_get_voices_of_clearly_different_pitch(tmp_path):
    engine = tts.EspeakCliEngine()
    medians = []
    for voice in tts.VOICES[:2]:
        samples, _, _ = tts.synthesise(engine, "the quick brown fox jumps over the lazy dog", voice, 3.5,
                                       16000, tmp_path)
        medians.append(float(np.nanmedian(pitch_hz(samples))))
    assert medians[1] > 1.3 * medians[0]  # more than four semitones apart


@needs_espeak
def test_the_stage_writes_segments_and_a_manifest_that_pass_the_check(tmp_path):
    layout = ItemLayout.under(tmp_path, "x")
    write_rttm(layout.rttm, [Turn("x", 1.0, 2.0, "spk0"), Turn("x", 4.0, 2.0, "spk1")])
    transcript = tmp_path / "transcript.json"
    transcript.write_text(json.dumps({"segments": SEGMENTS}))
    assert tts.main(["--rttm", str(layout.rttm), "--transcript", str(transcript), "--out-dir", str(layout.tts),
                     "--rate", "22050", "--engine", "espeak-ng"]) == 0
    manifest = json.loads((layout.tts / "segments.json").read_text())
    assert [m["file"] for m in manifest] == ["seg-000.wav", "seg-001.wav"]
    data, rate = read_wav(layout.tts / "seg-001.wav")
    assert rate == 22050 and data.shape[0] == 2 * 22050

    item = type("Item", (), {"sample_rate": 22050, "duration": 7.0})()
    checked = verify_tts(layout, item, {})
    assert checked.metrics["segments"] == 2 and len(set(checked.metrics["voices"].values())) == 2

    for entry in manifest:
        entry["voice"] = "same"
    (layout.tts / "segments.json").write_text(json.dumps(manifest))
    with pytest.raises(CheckFailed, match="speakers share a voice"):
        verify_tts(layout, item, {})


def test_the_check_wants_one_segment_per_turn(tmp_path):
    layout = ItemLayout.under(tmp_path, "x")
    write_rttm(layout.rttm, [Turn("x", 1.0, 2.0, "spk0"), Turn("x", 4.0, 2.0, "spk1")])
    layout.tts.mkdir(parents=True)
    (layout.tts / "segments.json").write_text(json.dumps([{"file": "seg-000.wav", "start": 1, "duration": 2}]))
    with pytest.raises(CheckFailed, match="1 TTS segments for 2 diarized turns"):
        verify_tts(layout, type("Item", (), {"sample_rate": 22050, "duration": 7.0})(), {})
    (layout.tts / "segments.json").unlink()
    with pytest.raises(CheckFailed, match="segments.json was not written"):
        verify_tts(layout, None, {})  # type: ignore[arg-type]


def test_a_late_written_file_is_waited_for_and_a_missing_one_reported(tmp_path):
    import threading

    from harness.chain.audio import write_wav

    target = tmp_path / "late.wav"
    writer = threading.Timer(0.3, lambda: write_wav(target, np.ones(1000) * 0.1, 8000))
    writer.start()
    tts._wait_for_file(target, timeout=10)  # pyttsx3's callback can land after runAndWait returns
    writer.join()
    assert read_wav(target)[0].shape[0] == 1000
    with pytest.raises(RuntimeError, match="wrote no audio to never.wav"):
        tts._wait_for_file(tmp_path / "never.wav", timeout=0.3)
