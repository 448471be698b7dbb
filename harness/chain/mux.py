"""Mux stage: the item's video stream + ``mix/mix.wav`` -> ``mux/<id>.mp4`` with ffmpeg.

The video is copied, not re-encoded (fast, and bit-identical pictures); the
mix is encoded to AAC, the audio codec every mp4 player has. Exactly one
stream of each is mapped, and ``-t`` holds the output to the item's duration.
ffmpeg is Debian's on PATH or imageio-ffmpeg's binary (see :mod:`.media`);
``--ffmpeg`` names one explicitly.

    python -m harness.chain.mux --video V.mp4 --audio mix.wav --out OUT.mp4 --duration S [--ffmpeg PATH]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from .media import FfmpegMissing, find_ffmpeg


def mux_argv(ffmpeg: str, video: Path, audio: Path, out: Path, duration: float) -> List[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", str(video), "-i", str(audio),
            "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", "160k",
            "-t", f"{duration:.3f}", "-movflags", "+faststart", str(out)]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="video stream + mix -> mp4")
    parser.add_argument("--video", type=Path, required=True)
    parser.add_argument("--audio", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--ffmpeg", help="ffmpeg binary (default: PATH, then imageio-ffmpeg)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    try:
        ffmpeg = args.ffmpeg or find_ffmpeg()
    except FfmpegMissing as exc:
        print(f"ffmpeg-missing: {exc}", file=sys.stderr)
        return 3
    args.out.parent.mkdir(parents=True, exist_ok=True)
    command = mux_argv(ffmpeg, args.video, args.audio, args.out, args.duration)
    print("running: " + " ".join(command))
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, check=False)
    except FileNotFoundError as exc:
        print(f"ffmpeg-missing: cannot run {ffmpeg}: {exc}", file=sys.stderr)
        return 3
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        print(f"ffmpeg exited {proc.returncode}", file=sys.stderr)
        return proc.returncode
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
