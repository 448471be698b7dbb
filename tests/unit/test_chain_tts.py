"""TTS: words go to the turn that covers them; each utterance is fitted to its turn; voices differ.

The default engine (eSpeak NG from the espeakng-loader wheel) runs for real here, as on Windows;
SAPI5's COM calls run against recorded fakes that behave like a runner with no sound device.
"""
from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest

from harness.chain import tts
from harness.chain.audio import read_wav, resample, to_mono
from harness.chain.diarize import RATE, pitch_hz
from harness.chain.layout import ItemLayout
from harness.chain.rttm import Turn, write_rttm
from harness.chain.speech import (
    EngineUnavailable,
    EspeakCliEngine,
    EspeakLibEngine,
    Sapi5Engine,
    SpeakerVoice,
    TooFewVoices,
    candidates,
)
from harness.chain.speech.base import ESPEAK_RECIPES, espeak_voices
from harness.chain.speech.espeak_lib import native_path
from harness.chain.speech.sapi5 import SSFMCreateForWrite, SVSFIsNotXML, sapi_rate
from harness.chain.verify import CheckFailed, verify_tts

ESPEAK = shutil.which("espeak-ng") or shutil.which("espeak")
needs_espeak_cli = pytest.mark.skipif(ESPEAK is None, reason="needs the eSpeak NG command line")
SEGMENTS = [{"speaker": "a", "start": 1.0, "end": 3.0, "text": "one two three four"},
            {"speaker": "b", "start": 4.0, "end": 6.0, "text": "five six"}]
ITEM = type("Item", (), {"sample_rate": 22050, "duration": 7.0})()


def median_f0(samples: np.ndarray, rate: int) -> float:
    return float(np.nanmedian(pitch_hz(resample(to_mono(samples), rate, RATE))))


def two_turns(tmp_path: Path):
    layout = ItemLayout.under(tmp_path, "x")
    write_rttm(layout.rttm, [Turn("x", 1.0, 2.0, "spk0"), Turn("x", 4.0, 2.0, "spk1")])
    transcript = tmp_path / "transcript.json"
    transcript.write_text(json.dumps({"segments": SEGMENTS}))
    return layout, transcript


# -- the stage around the engines


def test_each_word_goes_to_the_turn_that_covers_its_time():
    turns = [Turn("x", 1.0, 1.0, "spk0"), Turn("x", 2.0, 1.0, "spk1"), Turn("x", 4.0, 2.0, "spk1")]
    assert tts.words_per_turn(turns, SEGMENTS) == ["one two", "three four", "five six"]


def test_a_turn_without_words_borrows_the_nearest_line_and_no_word_is_lost():
    turns = [Turn("x", 0.9, 2.2, "spk0"), Turn("x", 12.0, 0.5, "spk1")]  # a false alarm at 12 s
    texts = tts.words_per_turn(turns, SEGMENTS)
    assert texts[0] == "one two three four five six"  # words outside every turn go to the nearest
    assert texts[1] == "five six"
    assert tts.words_per_turn([], SEGMENTS) == []


def test_auto_tries_the_wheel_first_then_sapi5_then_the_cli():
    assert [name for name, _ in candidates("auto")] == ["espeak-ng-wheel", "sapi5", "espeak-ng-cli"]
    assert [name for name, _ in candidates("sapi5")] == ["sapi5"]


def test_no_engine_is_one_error_with_every_reason(tmp_path, monkeypatch):
    layout, transcript = two_turns(tmp_path)

    def missing():
        raise EngineUnavailable("cannot load espeak-ng.dll: [WinError 126] The specified module could not be found")

    monkeypatch.setenv("PATH", "")
    engines = [("espeak-ng-wheel", missing), ("sapi5", lambda: Sapi5Engine(FakeCom(["Microsoft David Desktop"]))),
               ("espeak-ng-cli", EspeakCliEngine)]
    with pytest.raises(RuntimeError) as caught:
        tts.run(layout.rttm, transcript, layout.tts, 22050, engines=engines)
    message = str(caught.value)
    assert message.startswith("no TTS engine works: espeak-ng-wheel: EngineUnavailable: cannot load espeak-ng.dll")
    assert "sapi5: too few voices: sapi5: 1 installed voice(s) (Microsoft David Desktop) for 2 speakers" in message
    assert "espeak-ng-cli: EngineUnavailable: neither espeak-ng nor espeak is on PATH" in message


# -- the default engine: eSpeak NG from the wheel, for real


def test_the_wheel_engine_speaks_without_any_audio_device_or_binary(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no espeak-ng binary can be involved
    engine = EspeakLibEngine()
    samples, rate = engine.speak("the quick brown fox jumps over the lazy dog", espeak_voices(engine.name, 1)[0],
                                 175, tmp_path)
    assert rate == 22050 and 1.5 < samples.size / rate < 4.0
    assert float(np.sqrt(np.mean(samples ** 2))) > 0.05  # speech, not silence
    assert engine.version.startswith("1.")


def test_utterances_are_fitted_to_the_turn_exactly(tmp_path):
    engine = EspeakLibEngine()
    first, second = espeak_voices(engine.name, 2)
    long_text = "this sentence is far too long to be spoken in the one second it is given"
    samples, wpm, spoken = tts.synthesise(engine, long_text, first, 2.0, 44100, tmp_path)
    assert samples.size == 2 * 44100
    assert wpm > tts.BASE_WPM  # spoken faster to fit
    short, short_wpm, _ = tts.synthesise(engine, "hi", second, 2.0, 44100, tmp_path)
    assert short.size == 2 * 44100 and short_wpm == tts.BASE_WPM
    assert np.max(np.abs(short[-4410:])) == 0.0  # padded with silence, not stretched


def test_every_espeak_voice_is_distinct_and_two_speakers_are_far_apart_in_pitch(tmp_path):
    engine = EspeakLibEngine()
    voices = espeak_voices(engine.name, len(ESPEAK_RECIPES))
    assert len({v.label for v in voices}) == len(voices)
    medians = [median_f0(*engine.speak("the quick brown fox jumps over the lazy dog", v, 175, tmp_path))
               for v in voices[:2]]
    assert medians[1] > 1.3 * medians[0]  # more than four semitones apart
    with pytest.raises(TooFewVoices, match=f"{len(ESPEAK_RECIPES)} distinct voices for 7 speakers"):
        espeak_voices(engine.name, 7)


def test_a_library_that_does_not_load_is_unavailable_not_a_crash(tmp_path):
    with pytest.raises(EngineUnavailable, match=r"cannot load .*espeak-ng.dll: .*MSVCP140.dll: install the "
                                                r"Microsoft Visual C\+\+ 2015-2022 Redistributable"):
        EspeakLibEngine(library=str(tmp_path / "espeak-ng.dll"), data=str(tmp_path / "espeak-ng-data"))
    with pytest.raises(EngineUnavailable, match=r"cannot load .*libespeak-ng.so.1: [^(]*$"):
        EspeakLibEngine(library=str(tmp_path / "libespeak-ng.so.1"), data=str(tmp_path / "espeak-ng-data"))


def test_the_default_stage_uses_the_wheel_and_passes_the_check(tmp_path):
    layout, transcript = two_turns(tmp_path)
    assert tts.main(["--rttm", str(layout.rttm), "--transcript", str(transcript), "--out-dir", str(layout.tts),
                     "--rate", "22050"]) == 0
    manifest = json.loads((layout.tts / "segments.json").read_text())
    assert [m["file"] for m in manifest] == ["seg-000.wav", "seg-001.wav"]
    assert {m["engine"] for m in manifest} == {"espeak-ng-wheel"}
    data, rate = read_wav(layout.tts / "seg-001.wav")
    assert rate == 22050 and data.shape[0] == 2 * 22050
    checked = verify_tts(layout, ITEM, {})
    assert checked.metrics["segments"] == 2 and len(set(checked.metrics["voices"].values())) == 2
    low, high = sorted(checked.metrics["voice_f0_hz"].values())
    assert high > 1.3 * low


def test_the_check_fails_labels_that_are_shared_or_lie_about_the_audio(tmp_path):
    layout, transcript = two_turns(tmp_path)
    tts.run(layout.rttm, transcript, layout.tts, 22050)
    manifest = json.loads((layout.tts / "segments.json").read_text())

    same = [dict(entry, voice="same") for entry in manifest]
    (layout.tts / "segments.json").write_text(json.dumps(same))
    with pytest.raises(CheckFailed, match="speakers share a voice"):
        verify_tts(layout, ITEM, {})

    # Distinct labels over the same voice: what the dead pyttsx3 `describe` produced. The check listens.
    (layout.tts / "segments.json").write_text(json.dumps(manifest))
    shutil.copy(layout.tts / "seg-000.wav", layout.tts / "seg-001.wav")
    with pytest.raises(CheckFailed, match=r"speakers spk0 and spk1 sound alike|speakers spk1 and spk0 sound alike"):
        verify_tts(layout, ITEM, {})


def test_a_speaker_with_two_voices_fails_the_check(tmp_path):
    layout, transcript = two_turns(tmp_path)
    tts.run(layout.rttm, transcript, layout.tts, 22050)
    manifest = json.loads((layout.tts / "segments.json").read_text())
    manifest[1]["speaker"] = manifest[0]["speaker"]
    (layout.tts / "segments.json").write_text(json.dumps(manifest))
    with pytest.raises(CheckFailed, match="more than one voice"):
        verify_tts(layout, ITEM, {})


def test_the_check_wants_one_segment_per_turn(tmp_path):
    layout = ItemLayout.under(tmp_path, "x")
    write_rttm(layout.rttm, [Turn("x", 1.0, 2.0, "spk0"), Turn("x", 4.0, 2.0, "spk1")])
    layout.tts.mkdir(parents=True)
    (layout.tts / "segments.json").write_text(json.dumps([{"file": "seg-000.wav", "start": 1, "duration": 2}]))
    with pytest.raises(CheckFailed, match="1 TTS segments for 2 diarized turns"):
        verify_tts(layout, ITEM, {})
    (layout.tts / "segments.json").unlink()
    with pytest.raises(CheckFailed, match="segments.json was not written"):
        verify_tts(layout, None, {})  # type: ignore[arg-type]


def test_an_engine_that_fails_mid_item_hands_the_whole_item_to_the_next(tmp_path):
    layout, transcript = two_turns(tmp_path)

    class Flaky(EspeakLibEngine):
        name = "flaky"
        calls = 0

        def speak(self, text, voice, wpm, workdir):
            Flaky.calls += 1
            if Flaky.calls > 1:
                raise RuntimeError("the engine died on the second utterance")
            return super().speak(text, voice, wpm, workdir)

    done = tts.run(layout.rttm, transcript, layout.tts, 22050, engines=[("flaky", Flaky), ("wheel", EspeakLibEngine)])
    assert {u.engine for u in done} == {"espeak-ng-wheel"}  # never a mix of two engines in one item
    verify_tts(layout, ITEM, {})


@needs_espeak_cli
def test_the_cli_fallback_speaks_the_same_voices(tmp_path):
    layout, transcript = two_turns(tmp_path)
    assert tts.main(["--rttm", str(layout.rttm), "--transcript", str(transcript), "--out-dir", str(layout.tts),
                     "--rate", "22050", "--engine", "espeak-ng-cli"]) == 0
    checked = verify_tts(layout, ITEM, {})
    assert checked.metrics["tts_engine"] == ["espeak-ng-cli"]


# -- SAPI5 on recorded fakes: a Windows runner with voices but no sound device


class ComError(Exception):
    """What comtypes raises: COMError(-2147200966, ...) is SPERR_NOT_FOUND, the missing audio device."""


class FakeToken:
    def __init__(self, description: str, f0: float) -> None:
        self.description, self.f0 = description, f0

    def GetDescription(self) -> str:  # noqa: N802 - the COM method's name
        return self.description


class FakeTokens:
    def __init__(self, tokens: List[FakeToken]) -> None:
        self._tokens = tokens
        self.Count = len(tokens)

    def Item(self, index: int) -> FakeToken:  # noqa: N802
        return self._tokens[index]


class FakeFormat:
    def __init__(self, calls) -> None:
        self._calls = calls

    def __setattr__(self, name, value):
        if not name.startswith("_"):
            self._calls.append(("SpAudioFormat." + name, value))
        object.__setattr__(self, name, value)


class FakeStream:
    def __init__(self, calls) -> None:
        self._calls, self.path, self.closed = calls, None, False

    def __setattr__(self, name, value):
        if name == "Format":
            self._calls.append(("SpFileStream.Format", type(value).__name__))
        object.__setattr__(self, name, value)

    def Open(self, path: str, mode: int, events: bool) -> None:  # noqa: N802
        self._calls.append(("SpFileStream.Open", Path(path).name, mode, events))
        self.path = path

    def Close(self) -> None:  # noqa: N802
        self._calls.append(("SpFileStream.Close",))
        self.closed = True


class FakeVoice:
    """SpVoice on a machine with no audio device: reading AudioOutputStream raises, as on the runners."""

    def __init__(self, calls, tokens) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "_tokens", tokens)
        object.__setattr__(self, "_state", {})

    def GetVoices(self) -> FakeTokens:  # noqa: N802
        self._calls.append(("SpVoice.GetVoices",))
        return FakeTokens(self._tokens)

    def __getattr__(self, name):
        if name == "AudioOutputStream":
            raise ComError(-2147200966, "no audio output device", (None, None, None, 0, None))
        state = object.__getattribute__(self, "_state")
        if name in state:
            return state[name]
        raise AttributeError(name)

    def __setattr__(self, name, value):
        shown = value.description if isinstance(value, FakeToken) else type(value).__name__ \
            if isinstance(value, FakeStream) else value
        self._calls.append(("SpVoice." + name, shown))
        self._state[name] = value

    def Speak(self, text: str, flags: int) -> int:  # noqa: N802
        self._calls.append(("SpVoice.Speak", text, flags))
        stream, token = self._state["AudioOutputStream"], self._state["Voice"]
        assert stream.path and not stream.closed, "Speak before the file stream was opened"
        seconds = 0.08 * len(text.split()) * 3 ** (-self._state["Rate"] / 10) + 0.2
        t = np.arange(int(seconds * 22050)) / 22050.0
        pcm = (0.5 * np.sin(2 * np.pi * token.f0 * t) * 32767).astype("<i2")
        with wave.open(stream.path, "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(22050)
            handle.writeframes(pcm.tobytes())
        return 1


class FakeCom:
    """``create`` for Sapi5Engine: the COM classes by ProgID, every call recorded in order."""

    VOICES: Dict[str, float] = {"Microsoft David Desktop - English (United States)": 110.0,
                                "Microsoft Zira Desktop - English (United States)": 210.0}

    def __init__(self, descriptions=None) -> None:
        self.calls: List[Any] = []
        names = descriptions if descriptions is not None else list(self.VOICES)
        self.tokens = [FakeToken(d, self.VOICES.get(d, 120.0)) for d in names]

    def __call__(self, progid: str):
        self.calls.append(("CreateObject", progid))
        if progid == "SAPI.SpVoice":
            return FakeVoice(self.calls, self.tokens)
        if progid == "SAPI.SpFileStream":
            return FakeStream(self.calls)
        if progid == "SAPI.SpAudioFormat":
            return FakeFormat(self.calls)
        raise ComError(-2147221005, "Invalid class string")


def test_sapi5_writes_through_a_file_stream_and_never_reads_the_audio_output(tmp_path):
    com = FakeCom()
    engine = Sapi5Engine(com)
    voices = engine.voices_for(2)
    assert [v.label for v in voices] == list(FakeCom.VOICES)
    samples, rate = engine.speak("hello <there> world", voices[1], 175, tmp_path)
    assert rate == 22050 and samples.shape[0] > 0
    speak = com.calls[com.calls.index(("CreateObject", "SAPI.SpAudioFormat")):]
    assert speak == [
        ("CreateObject", "SAPI.SpAudioFormat"),
        ("SpAudioFormat.Type", 22),  # 22 kHz 16-bit mono
        ("CreateObject", "SAPI.SpFileStream"),
        ("SpFileStream.Format", "FakeFormat"),
        ("SpFileStream.Open", speak[4][1], SSFMCreateForWrite, False),
        ("SpVoice.AudioOutputStream", "FakeStream"),  # set, never read: the fake raises on a read
        ("SpVoice.Voice", "Microsoft Zira Desktop - English (United States)"),
        ("SpVoice.Rate", 0),
        ("SpVoice.Speak", "hello <there> world", SVSFIsNotXML),  # "<" is text, not SAPI XML
        ("SpFileStream.Close",),
    ]


def test_sapi5_with_one_voice_for_two_speakers_fails_the_stage(tmp_path):
    layout, transcript = two_turns(tmp_path)
    com = FakeCom(["Microsoft David Desktop - English (United States)"])
    with pytest.raises(RuntimeError, match=r"sapi5: too few voices: sapi5: 1 installed voice\(s\) "
                                           r"\(Microsoft David Desktop - English \(United States\)\) for 2 speakers"):
        tts.run(layout.rttm, transcript, layout.tts, 22050, engines=[("sapi5", lambda: Sapi5Engine(com))])
    assert not any(c[0] == "SpVoice.Speak" for c in com.calls)  # refused before a word was spoken
    assert not (layout.tts / "segments.json").exists()


def test_sapi5_the_same_voice_registered_twice_is_one_voice():
    com = FakeCom(["Microsoft David Desktop", "Microsoft David Desktop"])
    with pytest.raises(TooFewVoices, match=r"1 installed voice\(s\)"):
        Sapi5Engine(com).voices_for(2)


def test_sapi5_two_voices_pass_the_stage_check_with_the_labels_spoken(tmp_path):
    layout, transcript = two_turns(tmp_path)
    done = tts.run(layout.rttm, transcript, layout.tts, 22050, engines=[("sapi5", lambda: Sapi5Engine(FakeCom()))])
    assert [u.voice for u in done] == list(FakeCom.VOICES)  # the manifest names what was spoken
    checked = verify_tts(layout, ITEM, {})
    assert checked.metrics["tts_engine"] == ["sapi5"]
    assert checked.metrics["voice_f0_hz"]["spk0"] == pytest.approx(110, rel=0.05)
    assert checked.metrics["voice_f0_hz"]["spk1"] == pytest.approx(210, rel=0.05)


def test_sapi5_voices_that_sound_alike_fail_the_check(tmp_path):
    layout, transcript = two_turns(tmp_path)
    FakeCom.VOICES["Microsoft Mark"] = 111.0
    try:
        com = FakeCom(["Microsoft David Desktop - English (United States)", "Microsoft Mark"])
        tts.run(layout.rttm, transcript, layout.tts, 22050, engines=[("sapi5", lambda: Sapi5Engine(com))])
    finally:
        del FakeCom.VOICES["Microsoft Mark"]
    with pytest.raises(CheckFailed, match="sound alike"):
        verify_tts(layout, ITEM, {})


def test_sapi5_without_com_or_voices_is_unavailable():
    def broken(progid):
        raise ComError(-2147221164, "Class not registered")

    with pytest.raises(EngineUnavailable, match="SAPI5 did not start: ComError"):
        Sapi5Engine(broken)
    with pytest.raises(EngineUnavailable, match="no installed voices"):
        Sapi5Engine(FakeCom([]))


def test_auto_passes_over_a_one_voice_sapi5_to_an_engine_that_can(tmp_path, capsys):
    layout, transcript = two_turns(tmp_path)
    one = FakeCom(["Microsoft David Desktop"])
    done = tts.run(layout.rttm, transcript, layout.tts, 22050,
                   engines=[("sapi5", lambda: Sapi5Engine(one)), ("espeak-ng-wheel", EspeakLibEngine)])
    assert {u.engine for u in done} == {"espeak-ng-wheel"}
    assert "passed over sapi5: too few voices" in capsys.readouterr().out


@pytest.mark.parametrize("wpm, rate", [(175, 0), (525, 10), (58, -10), (1000, 10), (1, -10), (247, 3)])
def test_sapi_rate_steps_by_a_factor_of_three_per_ten(wpm, rate):
    assert sapi_rate(wpm) == rate


# -- the Windows-only path handling of the wheel engine, on recorded answers


def test_the_data_path_is_passed_in_the_windows_code_page_or_as_a_short_name():
    assert native_path("/opt/x/espeakng_loader", windows=False) == b"/opt/x/espeakng_loader"
    assert native_path(r"C:\Users\runneradmin\venv\Lib\site-packages\espeakng_loader", windows=True) == \
        rb"C:\Users\runneradmin\venv\Lib\site-packages\espeakng_loader"
    asked = []

    def short(path):  # what GetShortPathNameW answers for a non-ASCII profile
        asked.append(path)
        return r"C:\Users\JOS~1\venv\Lib\SITE-P~1\ESPEAK~1"

    assert native_path("C:\\Users\\Jos\u00e9\u0141\\venv\\Lib\\site-packages\\espeakng_loader", windows=True,
                       short_name=short) == rb"C:\Users\JOS~1\venv\Lib\SITE-P~1\ESPEAK~1"
    assert asked
    with pytest.raises(EngineUnavailable, match="no 8.3 short name"):
        native_path("C:\\Users\\\u0141\\x", windows=True, short_name=lambda p: p)


def test_a_voice_label_is_what_the_manifest_records():
    voice = SpeakerVoice(label="Microsoft Zira Desktop", token=1)
    assert voice.label == "Microsoft Zira Desktop" and voice.espeak == ""
