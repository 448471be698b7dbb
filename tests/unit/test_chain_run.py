"""The chain runner: placeholders, stage commands and environments, and stop-at-first-failure.

The runs here use small stage commands of our own (through the real runner,
real subprocesses, real checks) so they stay fast and need neither spleeter
nor the network.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from harness.chain import ChainContext, run_chain
from harness.chain.item import load_item
from harness.chain.layout import ItemLayout
from harness.chain.run import builtin_spec, fill_placeholders, stage_argv, stage_env
from harness.chain.spec import PLACEHOLDERS, STAGE_NAMES, ChainSpec, StageSpec
from harness.chain.stages import SEPARATE_SCRIPT, STAGES

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "two-speakers"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="Separate decodes the item with ffmpeg")


def fake_model(root: Path) -> Path:
    folder = root / "2stems"
    folder.mkdir(parents=True)
    (folder / "checkpoint").write_text('model_checkpoint_path: "model"\n')
    for name in ("model.index", "model.meta"):
        (folder / name).write_bytes(b"x")
    with open(folder / "model.data-00000-of-00001", "wb") as handle:
        handle.truncate(2_000_000)
    return root


def context(tmp_path: Path, model_dir: Path = None, source: Path = SAMPLE, **env: str) -> ChainContext:
    return ChainContext(venv_python=Path(sys.executable), harness_python=Path(sys.executable),
                        derived_root=tmp_path / "derived", source_dir=source, log_dir=tmp_path / "logs",
                        model_dir=model_dir or fake_model(tmp_path / "model"), env=env)


def with_separate(command, timeout: float = 60.0) -> ChainSpec:
    spec = builtin_spec(str(SAMPLE))
    return ChainSpec(spec.item, (StageSpec("separate", "venv", tuple(command), timeout),) + spec.stages[1:])


def test_placeholders_are_filled_and_unknown_ones_refused():
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    argv = fill_placeholders(["{python}", "-m", "tool", "--in={item_dir}/x", "{not a placeholder}", "{{}}"], values)
    assert argv == ("<python>", "-m", "tool", "--in=<item_dir>/x", "{not a placeholder}", "{{}}")
    with pytest.raises(ValueError, match=r"unknown placeholder \{itemdir\}"):
        fill_placeholders(["{itemdir}"], values)


def test_builtin_spec_runs_separate_in_the_venv_and_the_rest_in_the_harness():
    spec = builtin_spec("samples/two-speakers")
    assert tuple(s.name for s in spec.stages) == STAGE_NAMES
    assert [s.where for s in spec.stages] == ["venv", "harness", "harness", "harness", "harness"]


def test_builtin_commands_use_the_right_interpreter(tmp_path):
    item = load_item(SAMPLE)
    layout = ItemLayout.under(tmp_path, item.id)
    ctx = context(tmp_path)
    ctx = ChainContext(Path("/venv/bin/python"), Path("/harness/python"), ctx.derived_root, ctx.source_dir,
                       ctx.log_dir, ctx.model_dir)
    separate = list(stage_argv(StageSpec("separate", "venv"), item, layout, ctx))
    assert separate[:2] == ["/venv/bin/python", str(SEPARATE_SCRIPT)]  # a script: no harness import in the venv
    assert separate[separate.index("--out-dir") + 1] == str(layout.separation)
    diarize = list(stage_argv(StageSpec("diarize", "harness"), item, layout, ctx))
    assert diarize[:3] == ["/harness/python", "-m", "harness.chain.diarize"]
    assert "--reference" in diarize and diarize[diarize.index("--speakers") + 1] == "2"


def test_every_registered_stage_has_a_check_and_the_matrix_names_them_in_order():
    from harness.chain import verify

    assert STAGE_NAMES == ("separate", "diarize", "tts", "mix", "mux")
    assert all(callable(getattr(verify, stage.verifier, None)) for stage in STAGES)


def test_a_command_that_exits_0_but_writes_nothing_fails_with_its_missing_output(tmp_path):
    spec = builtin_spec(str(SAMPLE))
    diarize_only = ChainSpec(spec.item, (StageSpec("diarize", "harness", ("{harness_python}", "-c", "pass")),))
    steps = run_chain(diarize_only, context(tmp_path))
    rttm = ItemLayout.under(tmp_path / "derived", "two-speakers").rttm
    assert [(s.status, s.message) for s in steps] == [("failed", f"{rttm} was not written")]
    assert steps[0].returncode == 0 and steps[0].diagnosis.category == "other"


def test_stage_env_sets_model_path_and_puts_the_venv_first_only_for_venv_stages(tmp_path):
    ctx = context(tmp_path, EXTRA="1")
    venv = stage_env(StageSpec("separate", "venv"), ctx, builtin_module=False)
    assert venv["MODEL_PATH"] == str(ctx.model_dir) and venv["EXTRA"] == "1"
    assert venv["PATH"].split(":")[0] == str(Path(sys.executable).parent)
    assert "PYTHONPATH" not in venv  # the venv sees only what the strategy installed
    harness = stage_env(StageSpec("mix", "harness"), ctx, builtin_module=True)
    assert harness["PYTHONPATH"] == str(ROOT)


def test_an_unusable_item_fails_the_first_stage_and_skips_the_rest(tmp_path):
    bad = tmp_path / "bad-item"
    bad.mkdir()
    (bad / "item.json").write_text(json.dumps({"id": "../escape", "duration": 1}))
    steps = run_chain(builtin_spec(str(bad)), context(tmp_path, source=bad))
    assert [(s.name, s.status) for s in steps] == [("separate", "failed")] + [(n, "skipped") for n in STAGE_NAMES[1:]]
    assert "must match" in steps[0].message
    assert all(s.message == "skipped: stage 'separate' did not pass" for s in steps[1:])


def test_the_empty_2stems_trap_fails_separate_before_spleeter_runs(tmp_path):
    empty = tmp_path / "model"
    (empty / "2stems").mkdir(parents=True)
    steps = run_chain(builtin_spec(str(SAMPLE)), context(tmp_path, model_dir=empty))
    first = steps[0]
    assert first.status == "failed" and first.diagnosis.category == "model-download-failed"
    assert "lacks checkpoint" in first.message
    assert first.command  # what would have run is recorded, though it never started
    assert not (tmp_path / "derived" / "items" / "two-speakers" / "separation").exists()
    assert [s.status for s in steps[1:]] == ["skipped"] * 4


@needs_ffmpeg
def test_an_empty_vocals_wav_fails_separate_with_the_reason_and_skips_the_rest(tmp_path):
    writer = ("import sys, wave, os\n"
              "d = sys.argv[1]; os.makedirs(d, exist_ok=True)\n"
              "for n in ('vocals.wav', 'accompaniment.wav'):\n"
              "    w = wave.open(os.path.join(d, n), 'wb'); w.setnchannels(2); w.setsampwidth(2)\n"
              "    w.setframerate(44100); w.close()\n")
    spec = with_separate(["{harness_python}", "-c", writer, "{item_dir}/separation/spleeter_2stems"])
    steps = run_chain(spec, context(tmp_path))
    separate = steps[0]
    assert separate.status == "failed" and separate.returncode == 0  # it "succeeded": the check says otherwise
    assert separate.message == "vocals.wav: holds no samples (0 frames)"
    assert [s.status for s in steps[1:]] == ["skipped"] * 4
    log = Path(separate.log_path).read_text()
    assert "output check failed: vocals.wav: holds no samples (0 frames)" in log
    assert "decoded two-speakers.mp4" in log  # the item's audio was decoded for the stage first


@needs_ffmpeg
def test_a_failing_command_is_reported_with_its_exit_code_and_log_tail(tmp_path):
    spec = with_separate(["{harness_python}", "-c", "import sys; print('separator exploded', file=sys.stderr); "
                                                     "sys.exit(4)"])
    steps = run_chain(spec, context(tmp_path))
    assert steps[0].status == "failed" and steps[0].returncode == 4
    assert steps[0].message == "exited with code 4"
    assert "separator exploded" in steps[0].log_tail
    assert steps[0].diagnosis is not None


@needs_ffmpeg
def test_a_hung_stage_is_killed_and_reported_as_timeout(tmp_path):
    spec = with_separate(["{harness_python}", "-c", "import time; time.sleep(120)"], timeout=1.0)
    steps = run_chain(spec, context(tmp_path))
    assert steps[0].status == "timeout" and steps[0].diagnosis.category == "timeout"
    assert [s.status for s in steps[1:]] == ["skipped"] * 4


def test_ffmpeg_missing_is_diagnosed_as_such(tmp_path):
    steps = run_chain(builtin_spec(str(SAMPLE)),
                      context(tmp_path, SPLEETER_MATRIX_FFMPEG=str(tmp_path / "no" / "ffmpeg")))
    assert steps[0].status == "failed" and steps[0].diagnosis.category == "ffmpeg-missing"
    assert "cannot decode the item's audio" in steps[0].message


def test_the_audio_decode_has_its_own_bound_not_the_stage_timeout(tmp_path, monkeypatch):
    """A 1 s stage timeout bounds the stage's command; the harness's ffmpeg decode before it gets its own."""
    from harness.chain import run as run_mod

    seen = []
    real = run_mod.extract_audio

    def recording(video, out, ffmpeg, rate, channels, timeout):
        seen.append(timeout)
        return real(video, out, ffmpeg, rate, channels, timeout)

    monkeypatch.setattr(run_mod, "extract_audio", recording)
    spec = with_separate(["{harness_python}", "-c", "import time; time.sleep(120)"], timeout=1.0)
    steps = run_chain(spec, context(tmp_path, fake_model(tmp_path / "m")))
    assert seen == [run_mod.DECODE_TIMEOUT_S]
    assert steps[0].status == "timeout" and "timed out after 1 s" in steps[0].message


def test_a_decode_that_times_out_is_a_timeout_status(tmp_path, monkeypatch):
    import subprocess

    from harness.chain import run as run_mod

    def hangs(video, out, ffmpeg, rate, channels, timeout):
        raise subprocess.TimeoutExpired(["ffmpeg"], timeout)

    monkeypatch.setattr(run_mod, "extract_audio", hangs)
    steps = run_chain(with_separate(["{harness_python}", "-c", "pass"]), context(tmp_path, fake_model(tmp_path / "m")))
    assert steps[0].status == "timeout" and steps[0].diagnosis.category == "timeout"
    assert "did not decode the item's audio within 300 s" in steps[0].message
