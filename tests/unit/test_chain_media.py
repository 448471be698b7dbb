"""Stream counting of real tiny mp4s, both with ffprobe and from the ``ffmpeg -i`` banner alone."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.chain.layout import ItemLayout
from harness.chain.media import FFMPEG_ENV, FfmpegMissing, find_ffmpeg, find_ffprobe, parse_ffmpeg_banner, probe
from harness.chain.verify import CheckFailed, verify_mux

FFMPEG = shutil.which("ffmpeg")
pytestmark = pytest.mark.skipif(FFMPEG is None, reason="needs ffmpeg on PATH to make the test files")


def make_mp4(path: Path, seconds: float = 1.0, audio_streams: int = 1, video: bool = True) -> Path:
    argv = [FFMPEG, "-hide_banner", "-nostdin", "-y", "-v", "error"]
    maps = []
    if video:
        argv += ["-f", "lavfi", "-i", f"testsrc=size=64x48:rate=10:duration={seconds}"]
        maps += ["-map", "0:v"]
    for index in range(audio_streams):
        argv += ["-f", "lavfi", "-i", f"sine=frequency={440 + 110 * index}:sample_rate=44100:duration={seconds}"]
        maps += ["-map", f"{len(maps) // 2}:a"]
    argv += maps + (["-c:v", "mpeg4"] if video else []) + ["-c:a", "aac", "-t", str(seconds), str(path)]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    base = tmp_path_factory.mktemp("clips")
    return {
        "good": make_mp4(base / "good.mp4", 2.0),
        "two_audio": make_mp4(base / "two.mp4", 2.0, audio_streams=2),
        "no_video": make_mp4(base / "novideo.mp4", 2.0, video=False),
    }


@pytest.mark.parametrize("way", ["ffprobe", "ffmpeg"])
def test_both_ways_count_the_same_streams(clips, way):
    ffprobe = find_ffprobe(FFMPEG) if way == "ffprobe" else None
    if way == "ffprobe" and ffprobe is None:
        pytest.skip("no ffprobe next to ffmpeg or on PATH")
    good = probe(clips["good"], FFMPEG, ffprobe)
    assert good.prober == way
    assert (good.count("video"), good.count("audio")) == (1, 1)
    assert good.duration == pytest.approx(2.0, abs=0.05)
    assert probe(clips["two_audio"], FFMPEG, ffprobe).count("audio") == 2
    assert probe(clips["no_video"], FFMPEG, ffprobe).count("video") == 0


def test_banner_parsing_reads_duration_and_stream_kinds():
    banner = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':
  Duration: 00:01:02.50, start: 0.000000, bitrate: 120 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 320x180, 10 fps
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s
"""
    info = parse_ffmpeg_banner(banner)
    assert info.duration == pytest.approx(62.5)
    assert [(s.kind, s.codec) for s in info.streams] == [("video", "h264"), ("audio", "aac")]


def test_a_file_that_is_not_media_is_a_value_error(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"no media here")
    with pytest.raises(ValueError):
        probe(junk, FFMPEG, None)
    with pytest.raises(ValueError, match="no such file"):
        probe(tmp_path / "absent.mp4", FFMPEG, None)


def test_find_ffmpeg_honours_an_explicit_binary_and_says_when_it_is_missing(tmp_path):
    assert find_ffmpeg({FFMPEG_ENV: FFMPEG}) == FFMPEG
    with pytest.raises(FfmpegMissing, match="not an executable"):
        find_ffmpeg({FFMPEG_ENV: str(tmp_path / "no-ffmpeg")})


class _Item:
    duration = 2.0


def _layout_with(tmp_path: Path, clip: Path) -> ItemLayout:
    layout = ItemLayout.under(tmp_path, "x")
    layout.mp4.parent.mkdir(parents=True)
    shutil.copy(clip, layout.mp4)
    return layout


def test_verify_mux_wants_exactly_one_video_and_one_audio_stream_of_the_items_length(tmp_path, clips):
    checked = verify_mux(_layout_with(tmp_path / "a", clips["good"]), _Item(), {})
    assert checked.metrics["video_streams"] == 1 and checked.metrics["audio_streams"] == 1
    with pytest.raises(CheckFailed, match="exactly one video and one audio stream, has: video, audio, audio"):
        verify_mux(_layout_with(tmp_path / "b", clips["two_audio"]), _Item(), {})
    with pytest.raises(CheckFailed, match="has: audio"):
        verify_mux(_layout_with(tmp_path / "c", clips["no_video"]), _Item(), {})
    long_item = type("LongItem", (), {"duration": 3.0})()
    with pytest.raises(CheckFailed, match="mp4 duration"):
        verify_mux(_layout_with(tmp_path / "d", clips["good"]), long_item, {})
    with pytest.raises(CheckFailed, match="was not written"):
        verify_mux(ItemLayout.under(tmp_path / "e", "x"), _Item(), {})


def test_imageio_ffmpegs_binary_muxes_and_counts_streams_without_ffprobe(tmp_path, clips):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    binary = imageio_ffmpeg.get_ffmpeg_exe()
    assert find_ffprobe(binary, {"PATH": ""}) is None  # it ships no ffprobe: the banner is the way
    wav = tmp_path / "a.wav"
    subprocess.run([binary, "-v", "error", "-f", "lavfi", "-i", "sine=duration=2:sample_rate=44100", str(wav)],
                   check=True, capture_output=True, timeout=60)
    from harness.chain.mux import main as mux_main

    out = tmp_path / "out.mp4"
    assert mux_main(["--video", str(clips["good"]), "--audio", str(wav), "--out", str(out), "--duration", "2",
                     "--ffmpeg", binary]) == 0
    info = probe(out, binary, None)
    assert info.prober == "ffmpeg" and (info.count("video"), info.count("audio")) == (1, 1)
    assert info.duration == pytest.approx(2.0, abs=0.05)
