"""The smoke chain for real: spleeter 2.4.2 in a fresh 3.10 venv, Deezer's pretrained 2stems
weights, the embedded sample item, every stage's output checked, and the network cut.

Installs (the venv, the model) are the only steps that touch the network, as in
a real run; the chain itself runs inside ``unshare -n`` (a network namespace
with no interface up) and must still pass. One venv and one model serve the
whole module.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

from harness.chain import ChainContext, run_chain
from harness.chain.model import ensure_model
from harness.chain.run import builtin_spec
from harness.chain.spec import ChainSpec, StageSpec
from harness.proc import clean_env
from harness.provision import InterpreterFinder, ProvisionOptions, venv_python

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "two-speakers"
PYTHON = os.environ.get("SPLEETER_MATRIX_CHAIN_PYTHON", "3.10")


def uv() -> List[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def freeze(python: Path) -> str:
    done = subprocess.run([str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True,
                          timeout=120, env=clean_env())
    assert done.returncode == 0, done.stderr
    return done.stdout


def no_network_prefix() -> Optional[List[str]]:
    """``unshare -n`` (root) or ``unshare -rn`` (a user namespace), whichever works here; None if neither."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run(prefix + ["true"], capture_output=True, timeout=30).returncode == 0:
            return prefix
    return None


@pytest.fixture(scope="module")
def cell(tmp_path_factory):
    """A venv with spleeter 2.4.2 and a verified model: the state after a strategy's install."""
    base = tmp_path_factory.mktemp("chain-cell")
    interpreter, attempts = InterpreterFinder(ProvisionOptions(allow_download=False)).find(PYTHON)
    assert interpreter, f"no Python {PYTHON} here: {attempts}"
    venv = base / "venv"
    env = clean_env()
    for argv in (uv() + ["venv", "--no-config", "--seed", "--python", interpreter.path, str(venv)],
                 uv() + ["pip", "install", "--no-config", "--python", str(venv_python(venv)), "spleeter==2.4.2"]):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=1800, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    model = ensure_model(base / "models")
    assert model.verified, model  # Deezer's checkpoint, every file matching its sha256 pin
    return {"base": base, "python": venv_python(venv), "model": model.root, "model_info": model,
            "freeze_before": freeze(venv_python(venv))}


@pytest.fixture(scope="module")
def chain_run(cell):
    """The full chain on the sample, through the CLI, inside a network namespace when one can be made."""
    out = cell["base"] / "run"
    prefix = no_network_prefix() or []
    argv = prefix + [sys.executable, "-m", "harness.chain", "run", "--item", str(SAMPLE), "--venv-python",
                     str(cell["python"]), "--model-dir", str(cell["model"]), "--out", str(out),
                     "--json", str(out / "chain.json")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800, cwd=ROOT)
    payload = json.loads((out / "chain.json").read_text(encoding="utf-8"))
    return {"done": done, "isolated": bool(prefix), "prefix": prefix, "out": out, "payload": payload,
            "steps": {s["name"]: s for s in payload["steps"]}}


def test_all_five_stages_pass_with_real_outputs(chain_run):
    done, steps = chain_run["done"], chain_run["steps"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(steps) == ["separate", "diarize", "tts", "mix", "mux"]
    assert all(s["status"] == "passed" for s in steps.values()), {n: s["message"] for n, s in steps.items()}

    separate = steps["separate"]["metrics"]
    assert separate["sdr_gain_db"] >= 10.0  # the quality gate, on the real pretrained weights
    assert separate["sdr_db"] > 5.0
    diarize = steps["diarize"]["metrics"]
    assert 0.0 <= diarize["der"] <= 0.5 and diarize["speakers"] == 2
    mux = steps["mux"]["metrics"]
    assert (mux["video_streams"], mux["audio_streams"]) == (1, 1)
    assert abs(mux["mp4_duration_s"] - 20.0) <= 0.05
    assert steps["mix"]["metrics"]["clipped_samples"] == 0 and steps["mix"]["metrics"]["ducking_db"] >= 3.0

    item_dir = chain_run["out"] / "derived" / "items" / "two-speakers"
    for relative in ("separation/spleeter_2stems/vocals.wav", "separation/spleeter_2stems/accompaniment.wav",
                     "diarization/two-speakers.rttm", "tts/seg-000.wav", "mix/mix.wav", "mux/two-speakers.mp4"):
        assert (item_dir / relative).stat().st_size > 0, relative
    for name in steps:
        assert (chain_run["out"] / "logs" / f"stage-{name}.log").is_file()
    print(f"chain on the sample: wall {chain_run['payload']['wall_s']} s, CPU {chain_run['payload']['cpu_s']} s; "
          f"SDR gain {separate['sdr_gain_db']} dB, DER {diarize['der']}")


def test_the_chain_passes_with_the_network_cut(chain_run):
    if not chain_run["isolated"]:
        pytest.skip("no network namespace can be made here (needs Linux and unshare)")
    assert chain_run["done"].returncode == 0
    # The namespace really is offline: the same wrapper cannot reach PyPI (the one host the install
    # step may use), so nothing in the chain could have either.
    probe = ("import socket\n"
             "for target in (('pypi.org', 443),):\n"
             "    try:\n"
             "        socket.create_connection(target, timeout=5).close(); print('REACHED', target)\n"
             "    except OSError as exc:\n"
             "        print('blocked', target, exc)\n")
    done = subprocess.run(chain_run["prefix"] + [sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.count("blocked") == 1 and "REACHED" not in done.stdout, done.stdout


def test_the_chain_leaves_the_venv_as_the_strategy_installed_it(cell, chain_run):
    assert chain_run["done"].returncode == 0
    assert freeze(cell["python"]) == cell["freeze_before"]


def _context(cell, name: str) -> ChainContext:
    base = cell["base"] / name
    return ChainContext(venv_python=cell["python"], harness_python=Path(sys.executable),
                        derived_root=base / "derived", source_dir=SAMPLE, log_dir=base / "logs",
                        model_dir=cell["model"])


def _with(spec: ChainSpec, **commands) -> ChainSpec:
    stages = tuple(StageSpec(s.name, s.where, tuple(commands[s.name]), s.timeout) if s.name in commands else s
                   for s in spec.stages)
    return ChainSpec(spec.item, stages)


def test_random_weights_exit_zero_but_fail_the_quality_gate(cell, tmp_path):
    """The trap itself: spleeter with an empty 2stems folder "succeeds"; the SDR gate catches it."""
    empty = tmp_path / "empty-model"
    (empty / "2stems").mkdir(parents=True)
    helper = tmp_path / "random_weights.py"
    helper.write_text(
        "import os, sys\n"
        f"os.environ['MODEL_PATH'] = {str(empty)!r}\n"
        f"sys.path.insert(0, {str(ROOT / 'harness' / 'chain')!r})\n"
        "import numpy as np\n"
        "import separate\n"
        "from spleeter.separator import Separator\n"
        "wave_in = separate.read_pcm16(sys.argv[1], np)\n"
        "stems = Separator('spleeter:2stems', multiprocess=False).separate(wave_in)\n"
        "os.makedirs(sys.argv[2], exist_ok=True)\n"
        "for name in ('vocals', 'accompaniment'):\n"
        "    separate.write_pcm16(os.path.join(sys.argv[2], name + '.wav'), stems[name][:len(wave_in)], np)\n",
        encoding="utf-8")
    spec = _with(builtin_spec(str(SAMPLE)),
                 separate=["{python}", str(helper), "{audio}", "{item_dir}/separation/spleeter_2stems"])
    steps = run_chain(spec, _context(cell, "random"))
    separate = steps[0]
    assert separate.returncode == 0  # spleeter did not complain
    assert separate.status == "failed" and "quality gate" in separate.message
    assert separate.metrics["sdr_gain_db"] < 10.0
    assert separate.diagnosis.category == "model-download-failed"
    assert [s.status for s in steps[1:]] == ["skipped"] * 4


def test_missing_ffmpeg_fails_exactly_mux_and_nothing_after(cell, chain_run, tmp_path):
    stems = chain_run["out"] / "derived" / "items" / "two-speakers" / "separation" / "spleeter_2stems"
    copy = ("import shutil, sys\n"
            "shutil.copytree(sys.argv[1], sys.argv[2])\n")
    spec = _with(builtin_spec(str(SAMPLE)),
                 separate=["{harness_python}", "-c", copy, str(stems), "{item_dir}/separation/spleeter_2stems"],
                 mux=["{harness_python}", "-m", "harness.chain.mux", "--video", "{video}", "--audio",
                      "{item_dir}/mix/mix.wav", "--out", "{item_dir}/mux/{item_id}.mp4", "--duration", "20",
                      "--ffmpeg", str(tmp_path / "nowhere" / "ffmpeg")])
    steps = run_chain(spec, _context(cell, "no-ffmpeg"))
    assert [s.status for s in steps] == ["passed", "passed", "passed", "passed", "failed"]
    mux = steps[-1]
    assert mux.returncode == 3 and mux.diagnosis.category == "ffmpeg-missing"
    assert "ffmpeg-missing: cannot run" in mux.log_tail


def test_windows_dress_rehearsal_no_ffmpeg_ffprobe_espeak_or_audio_device(cell, tmp_path):
    """The chain as windows-latest has it: no ffmpeg, ffprobe or espeak-ng on PATH, no sound server.

    The stages must then take imageio-ffmpeg's binary (which ships no ffprobe, so
    the mp4 is probed through ``ffmpeg -i``) and the TTS engine from the
    espeakng-loader wheel: the code paths a Windows run takes.
    """
    bare = tmp_path / "bin"  # PATH holds one empty folder: the stages are started by absolute path
    bare.mkdir()
    for tool in ("ffmpeg", "ffprobe", "espeak-ng", "espeak"):
        assert shutil.which(tool, path=str(bare)) is None
    env = {k: v for k, v in clean_env().items()
           if k not in ("PULSE_SERVER", "XDG_RUNTIME_DIR", "DISPLAY", "AUDIODEV", "SPLEETER_MATRIX_FFMPEG")}
    env["PATH"] = str(bare)
    out = tmp_path / "run"
    prefix = no_network_prefix() or []
    argv = prefix + [sys.executable, "-m", "harness.chain", "run", "--item", str(SAMPLE), "--venv-python",
                     str(cell["python"]), "--model-dir", str(cell["model"]), "--out", str(out),
                     "--json", str(out / "chain.json")]
    if prefix:
        argv[0] = shutil.which(argv[0]) or argv[0]  # unshare itself is found before PATH is stripped
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800, cwd=ROOT, env=env)
    payload = json.loads((out / "chain.json").read_text(encoding="utf-8"))
    steps = {s["name"]: s for s in payload["steps"]}
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(s["status"] == "passed" for s in steps.values()), {n: s["message"] for n, s in steps.items()}
    assert steps["tts"]["metrics"]["tts_engine"] == ["espeak-ng-wheel"]
    f0 = steps["tts"]["metrics"]["voice_f0_hz"]
    assert len(f0) == 2 and max(f0.values()) > 1.3 * min(f0.values())
    assert steps["mux"]["metrics"]["prober"] == "ffmpeg"  # no ffprobe anywhere: ffmpeg -i read the streams
    assert (steps["mux"]["metrics"]["video_streams"], steps["mux"]["metrics"]["audio_streams"]) == (1, 1)
    assert abs(steps["mux"]["metrics"]["mp4_duration_s"] - 20.0) <= 0.05
    separate_log = (out / "logs" / "stage-separate.log").read_text(encoding="utf-8")
    assert "imageio_ffmpeg" in separate_log  # the item's audio was decoded by the wheel's ffmpeg
