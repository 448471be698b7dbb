"""Separate stage: spleeter 2stems on the item's audio, run by the CELL's venv interpreter.

Run as a script file (``<venv>/python harness/chain/separate.py ...``), never
imported from the harness package: the venv holds only what the strategy
installed (spleeter, TensorFlow, numpy), so this file imports nothing but the
standard library, numpy and spleeter, and runs on Python 3.8.

It calls spleeter's Python API with a numpy waveform read by the stdlib
``wave`` module, so the venv needs neither ffmpeg nor ffprobe (spleeter's own
file loader shells out to both). ``MODEL_PATH`` is set before spleeter is
imported because spleeter reads it once, at import time, into
``ModelProvider.DEFAULT_MODEL_PATH``; the model is then ``$MODEL_PATH/2stems``.

Exit codes: 0 ok, 2 bad input, 3 model missing (the empty-2stems trap:
spleeter would otherwise "succeed" with random weights), 4 spleeter failed.
"""
import argparse
import os
import sys
import time
import wave
from typing import Any, List, Optional

MODEL_FILES = ("checkpoint", "model.index", "model.meta")
STEMS = ("vocals", "accompaniment")
SPLEETER_RATE = 44100


def model_problem(model_dir: str) -> Optional[str]:
    """Why ``model_dir/2stems`` cannot hold real weights, or None when it looks complete."""
    stems = os.path.join(model_dir, "2stems")
    if not os.path.isdir(stems):
        return "no 2stems folder in MODEL_PATH=%s" % model_dir
    names = os.listdir(stems)
    missing = [n for n in MODEL_FILES if n not in names]
    data = [n for n in names if n.startswith("model.data-")]
    if missing or not data:
        return "2stems folder %s lacks %s (empty after a failed download?)" % (
            stems, ", ".join(missing + ([] if data else ["model.data-*"])))
    if sum(os.path.getsize(os.path.join(stems, n)) for n in data) < 1000000:
        return "2stems checkpoint data in %s is under 1 MB: not the pretrained weights" % stems
    with open(os.path.join(stems, "checkpoint"), encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    prefix = None
    for line in text.splitlines():
        if line.startswith("model_checkpoint_path:"):
            prefix = line.split(":", 1)[1].strip().strip('"')
    if not prefix:
        return "%s/checkpoint names no model_checkpoint_path" % stems
    if not os.path.isfile(os.path.join(stems, prefix + ".index")):  # what TensorFlow will restore
        return "%s/checkpoint points at %s, which has no .index file" % (stems, prefix)
    return None


def read_pcm16(path: str, np: Any) -> Any:  # np: numpy, imported after MODEL_PATH is set
    """Float32 (frames, 2) samples of a 16-bit PCM WAV at 44.1 kHz."""
    with wave.open(path, "rb") as handle:
        if handle.getsampwidth() != 2:
            raise ValueError("%s: expected 16-bit PCM, got %d-byte samples" % (path, handle.getsampwidth()))
        if handle.getframerate() != SPLEETER_RATE:
            raise ValueError("%s: expected %d Hz, got %d Hz" % (path, SPLEETER_RATE, handle.getframerate()))
        channels = handle.getnchannels()
        raw = handle.readframes(handle.getnframes())
    data = np.frombuffer(raw, dtype="<i2").astype(np.float32).reshape(-1, channels) / 32768.0
    if channels == 1:
        data = np.repeat(data, 2, axis=1)
    return data[:, :2]


def write_pcm16(path: str, data: Any, np: Any) -> None:
    pcm = np.clip(np.round(np.asarray(data, dtype=np.float64) * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as handle:
        handle.setnchannels(pcm.shape[1])
        handle.setsampwidth(2)
        handle.setframerate(SPLEETER_RATE)
        handle.writeframes(pcm.tobytes())


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="spleeter 2stems on a 44.1 kHz PCM WAV")
    parser.add_argument("--audio", required=True, help="the item's audio, 16-bit PCM WAV, 44.1 kHz")
    parser.add_argument("--out-dir", required=True, help=".../separation/spleeter_2stems")
    parser.add_argument("--model-dir", required=True, help="MODEL_PATH: the folder that holds 2stems/")
    args = parser.parse_args(argv)

    problem = model_problem(args.model_dir)
    if problem:
        print("model-download-failed: " + problem, file=sys.stderr)
        return 3
    os.environ["MODEL_PATH"] = os.path.abspath(args.model_dir)  # before the import: read once, there

    import numpy as np

    try:
        waveform = read_pcm16(args.audio, np)
    except (OSError, ValueError, wave.Error) as exc:
        print("bad input: %s" % exc, file=sys.stderr)
        return 2
    started = time.time()
    try:
        from spleeter.separator import Separator

        separator = Separator("spleeter:2stems", multiprocess=False)
        stems = separator.separate(waveform)
    except Exception as exc:  # noqa: BLE001 - report any spleeter/TensorFlow failure with its type, then exit 4
        print("spleeter failed: %s: %s" % (type(exc).__name__, exc), file=sys.stderr)
        return 4
    os.makedirs(args.out_dir, exist_ok=True)
    for name in STEMS:
        stem = stems[name][: waveform.shape[0]]
        write_pcm16(os.path.join(args.out_dir, name + ".wav"), stem, np)
        print("wrote %s.wav: %d frames, peak %.3f" % (name, stem.shape[0], float(np.max(np.abs(stem)))))
    print("separated %.2f s of audio in %.1f s" % (waveform.shape[0] / float(SPLEETER_RATE), time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
