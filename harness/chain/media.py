"""ffmpeg and ffprobe: finding them, asking what a media file holds, pulling its audio.

Debian's ffmpeg comes with ffprobe; the binary that imageio-ffmpeg ships does
not. So stream counting has two ways: ffprobe's JSON when ffprobe exists, and
otherwise the stream lines that ``ffmpeg -i`` prints. Both give the same
:class:`MediaInfo`, and the unit tests run both on one real file.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

FFMPEG_ENV = "SPLEETER_MATRIX_FFMPEG"  # an explicit ffmpeg binary wins over PATH


class FfmpegMissing(RuntimeError):
    """No usable ffmpeg: the diagnosis category is ``ffmpeg-missing``."""


@dataclass(frozen=True)
class StreamInfo:
    kind: str  # "video" | "audio" | "subtitle" | "data" | ...
    codec: str
    duration: Optional[float] = None


@dataclass(frozen=True)
class MediaInfo:
    streams: Tuple[StreamInfo, ...]
    duration: Optional[float]
    prober: str  # "ffprobe" | "ffmpeg": which way the answer was read

    def count(self, kind: str) -> int:
        return sum(1 for s in self.streams if s.kind == kind)


def find_ffmpeg(env: Optional[Mapping[str, str]] = None) -> str:
    """The ffmpeg to use: ``$SPLEETER_MATRIX_FFMPEG``, then PATH, then imageio-ffmpeg's binary."""
    env = os.environ if env is None else env
    explicit = env.get(FFMPEG_ENV)
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise FfmpegMissing(f"{FFMPEG_ENV}={explicit} is not an executable file")
    found = shutil.which("ffmpeg", path=env.get("PATH"))
    if found:
        return found
    try:
        import imageio_ffmpeg  # optional: ships a static ffmpeg (without ffprobe)

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception as exc:  # ImportError, or its RuntimeError when the binary is absent
        raise FfmpegMissing(
            "ffmpeg not found on PATH and imageio-ffmpeg has no binary "
            f"({type(exc).__name__}: {exc}); install ffmpeg or `pip install imageio-ffmpeg`"
        ) from exc


def find_ffprobe(ffmpeg: str, env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """ffprobe next to the chosen ffmpeg, else on PATH, else None (stream lines of ``ffmpeg -i`` then)."""
    env = os.environ if env is None else env
    suffix = ".exe" if ffmpeg.lower().endswith(".exe") else ""  # imageio's "ffmpeg-linux-x86_64-v7.0.2" has none
    sibling = Path(ffmpeg).with_name("ffprobe" + suffix)
    if sibling.is_file() and os.access(str(sibling), os.X_OK):
        return str(sibling)
    if env.get(FFMPEG_ENV):
        return None  # an explicit ffmpeg pins the toolset; do not mix in another build's ffprobe
    return shutil.which("ffprobe", path=env.get("PATH"))


def probe(path: Path, ffmpeg: str, ffprobe: Optional[str] = None, timeout: float = 60.0) -> MediaInfo:
    """Streams and duration of ``path``; raises ``ValueError`` when the file is not media."""
    if not Path(path).is_file():
        raise ValueError(f"{path}: no such file")
    if ffprobe:
        return _probe_with_ffprobe(Path(path), ffprobe, timeout)
    return _probe_with_ffmpeg(Path(path), ffmpeg, timeout)


def _probe_with_ffprobe(path: Path, ffprobe: str, timeout: float) -> MediaInfo:
    argv = [ffprobe, "-v", "error", "-show_entries", "stream=codec_type,codec_name,duration:format=duration",
            "-of", "json", str(path)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise ValueError(f"{path}: ffprobe failed ({proc.stderr.strip()[-300:]})")
    data = json.loads(proc.stdout or "{}")
    streams = tuple(
        StreamInfo(s.get("codec_type", "?"), s.get("codec_name", "?"), _float_or_none(s.get("duration")))
        for s in data.get("streams", [])
    )
    return MediaInfo(streams, _float_or_none(data.get("format", {}).get("duration")), "ffprobe")


_DURATION_RE = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_STREAM_RE = re.compile(r"^\s*Stream #\d+:\d+\S*:\s*(\w+):\s*([\w-]+)", re.MULTILINE)


def parse_ffmpeg_banner(text: str) -> MediaInfo:
    """Read streams and duration from what ``ffmpeg -i FILE`` prints on stderr."""
    match = _DURATION_RE.search(text)
    duration = None
    if match:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    streams = tuple(StreamInfo(kind.lower(), codec) for kind, codec in _STREAM_RE.findall(text))
    return MediaInfo(streams, duration, "ffmpeg")


def _probe_with_ffmpeg(path: Path, ffmpeg: str, timeout: float) -> MediaInfo:
    # `ffmpeg -i` without an output exits 1 by design; the banner is the answer.
    proc = subprocess.run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True,
                          text=True, timeout=timeout, check=False)
    info = parse_ffmpeg_banner(proc.stderr)
    if not info.streams:
        raise ValueError(f"{path}: ffmpeg sees no streams ({proc.stderr.strip()[-300:]})")
    return info


def extract_audio(video: Path, out_wav: Path, ffmpeg: str, sample_rate: int = 44100, channels: int = 2,
                  timeout: float = 120.0) -> "subprocess.CompletedProcess[str]":
    """Decode the first audio stream of ``video`` to 16-bit PCM WAV (what the venv stage reads)."""
    Path(out_wav).parent.mkdir(parents=True, exist_ok=True)
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", str(video), "-map", "0:a:0",
            "-vn", "-ac", str(channels), "-ar", str(sample_rate), "-c:a", "pcm_s16le", str(out_wav)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def _float_or_none(value: object) -> Optional[float]:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
