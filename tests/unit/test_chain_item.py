"""The item folder: ids, contained paths, transcript and ground truth; where artifacts go."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness.chain.item import ItemError, load_item, validate_id
from harness.chain.layout import ItemLayout

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "two-speakers"


def make_item(folder: Path, **overrides) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clip.mp4").write_bytes(b"not really a video; item.py does not decode it")
    (folder / "transcript.json").write_text(json.dumps({"segments": [
        {"speaker": "a", "start": 0.5, "end": 2.0, "text": "hello there"},
        {"speaker": "b", "start": 2.5, "end": 4.0, "text": "general kenobi"}]}), encoding="utf-8")
    (folder / "truth.rttm").write_text(
        "SPEAKER clip 1 0.500 1.500 <NA> <NA> a <NA> <NA>\nSPEAKER clip 1 2.500 1.500 <NA> <NA> b <NA> <NA>\n",
        encoding="utf-8")
    meta = {"id": "clip-1", "video": "clip.mp4", "duration": 5.0, "sample_rate": 44100, "speakers": ["a", "b"],
            "transcript": "transcript.json", "rttm": "truth.rttm"}
    meta.update(overrides)
    (folder / "item.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_good_item_loads_with_its_ground_truth(tmp_path):
    item = load_item(make_item(tmp_path / "item"))
    assert item.id == "clip-1" and item.duration == 5.0 and item.speakers == ("a", "b")
    assert item.video == (tmp_path / "item" / "clip.mp4").resolve()
    assert [s.text for s in item.segments()] == ["hello there", "general kenobi"]
    assert [(t.speaker, t.start, t.end) for t in item.reference_turns()] == [("a", 0.5, 2.0), ("b", 2.5, 4.0)]
    assert item.reference_speech is None


@pytest.mark.parametrize("bad_id", ["", "a b", "../up", "x/y", "dots.not.allowed", "ünï", None, 7])
def test_bad_ids_are_refused(tmp_path, bad_id):
    with pytest.raises(ItemError, match="must match"):
        load_item(make_item(tmp_path / "item", id=bad_id))


@pytest.mark.parametrize("name", ["../outside.mp4", "/etc/passwd", "sub/../../outside.mp4", "..\\outside.mp4"])
def test_file_names_may_not_escape_the_folder(tmp_path, name):
    (tmp_path / "outside.mp4").write_bytes(b"x")
    with pytest.raises(ItemError, match="inside the item folder"):
        load_item(make_item(tmp_path / "item", video=name))


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.mp4").write_bytes(b"x")
    folder = make_item(tmp_path / "item", video="link.mp4")
    os.symlink(tmp_path / "secret.mp4", folder / "link.mp4")
    with pytest.raises(ItemError, match="resolves outside"):
        load_item(folder)


def test_missing_files_and_bad_numbers_say_which_field(tmp_path):
    with pytest.raises(ItemError, match="video: 'nope.mp4' does not exist"):
        load_item(make_item(tmp_path / "a", video="nope.mp4"))
    with pytest.raises(ItemError, match="duration 0.0 s is outside"):
        load_item(make_item(tmp_path / "b", duration=0))
    with pytest.raises(ItemError, match="sample_rate 12345"):
        load_item(make_item(tmp_path / "c", sample_rate=12345))
    with pytest.raises(ItemError, match="speakers"):
        load_item(make_item(tmp_path / "d", speakers=[]))
    with pytest.raises(ItemError, match="cannot read"):
        load_item(tmp_path / "no-such-folder")


def test_a_broken_transcript_or_rttm_fails_at_load_time(tmp_path):
    folder = make_item(tmp_path / "item")
    (folder / "transcript.json").write_text('{"segments": [{"speaker": "a", "start": 3, "end": 1, "text": "x"}]}')
    with pytest.raises(ItemError, match="segment 1"):
        load_item(folder)
    folder = make_item(tmp_path / "item2")
    (folder / "truth.rttm").write_text("SPEAKER clip 1 zero 1.0 <NA> <NA> a <NA> <NA>\n")
    with pytest.raises(ItemError, match="truth.rttm:1"):
        load_item(folder)


def test_layout_is_the_products_contract(tmp_path):
    layout = ItemLayout.under(tmp_path / "derived", "clip-1")
    root = (tmp_path / "derived" / "items" / "clip-1").resolve()
    assert layout.vocals == root / "separation" / "spleeter_2stems" / "vocals.wav"
    assert layout.accompaniment == root / "separation" / "spleeter_2stems" / "accompaniment.wav"
    assert layout.rttm == root / "diarization" / "clip-1.rttm"
    assert layout.tts == root / "tts" and layout.mix == root / "mix" / "mix.wav"
    assert layout.mp4 == root / "mux" / "clip-1.mp4"


@pytest.mark.parametrize("bad_id", ["..", ".", "a/../..", ""])
def test_layout_refuses_ids_that_would_escape(tmp_path, bad_id):
    with pytest.raises(ItemError):
        ItemLayout.under(tmp_path, bad_id)


def test_validate_id_returns_the_id():
    assert validate_id("two-speakers_2") == "two-speakers_2"


def test_the_embedded_sample_is_a_valid_item():
    item = load_item(SAMPLE)
    assert item.id == "two-speakers" and len(item.speakers) == 2
    assert item.rttm and item.reference_speech
