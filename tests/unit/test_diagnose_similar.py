"""The similar-log fallback (harness/diagnose/similar.py): its vote, its model file, and where the engine uses it."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from harness.diagnose import diagnose_text, similar
from harness.diagnose import engine as engine_module
from harness.diagnose.engine import read_log
from harness.diagnose.evaluate import similar_model
from harness.diagnose.text import normalise

LOGS = Path(__file__).parent / "data" / "logs"

# Minimal labelled logs written for these tests (not corpus logs): two families that share no words.
FRAME = "\n".join(f"  File \"/srv/app/stage{i}.py\", line {i}, in run_stage_{i}" for i in range(12))
GRAPH = "\n".join(f"graphkit.node{i} scheduler warning queue_depth{i} exceeded" for i in range(12))
LABELLED = [
    (FRAME + "\nValueError: bad token alpha\n", "dependency-conflict"),
    (FRAME + "\nValueError: bad token beta\n", "dependency-conflict"),
    (FRAME + "\nValueError: bad token gamma\n", "dependency-conflict"),
    (GRAPH + "\nRuntimeError: graph died\n", "network-or-index"),
    (GRAPH + "\nRuntimeError: graph died again\n", "network-or-index"),
]


def model() -> similar.Model:
    return similar.parse(similar.build(LABELLED))


def test_the_nearest_labelled_logs_name_the_category():
    found = model().vote(FRAME + "\nValueError: bad token delta\n")
    assert found is not None and found.decisive
    assert (found.category, found.agree, found.voters) == ("dependency-conflict", 3, 3)  # the others share no word
    assert found.share > 0.9


def test_a_line_or_two_is_too_little_to_vote_on():
    assert model().vote("ValueError: bad token delta\n") is None


def test_a_log_like_nothing_labelled_gets_no_decisive_vote():
    found = model().vote("\n".join(f"unrelated{i} words{i} here{i}" for i in range(20)))
    assert found is None or not found.decisive


def test_a_blind_vote_leaves_the_log_itself_out():
    text = normalise(LABELLED[3][0])
    seen = model().vote(text)
    assert seen is not None and (seen.category, seen.voters) == ("network-or-index", 2) and seen.nearest == pytest.approx(1.0)
    unseen = model().vote(text, leave_out=similar.digest(text))
    assert unseen is not None and (unseen.category, unseen.voters) == ("network-or-index", 1)  # only the other log of that family


def test_a_category_about_one_thing_needs_that_thing_in_the_log():
    ffmpeg = [(FRAME + f"\nAttributeError: module 'ffmpeg' has no attribute 'input{i}'\n", "wrong-ffmpeg-package")
              for i in range(3)]
    labelled = similar.parse(similar.build(ffmpeg + LABELLED))
    found = labelled.vote(FRAME + "\nAttributeError: module 'etils' has no attribute 'parts'\n")
    assert found is not None and found.category == "dependency-conflict"
    said = labelled.vote(FRAME + "\nAttributeError: module 'ffmpeg' has no attribute 'probe'\n")
    assert said is not None and said.category == "wrong-ffmpeg-package"


def test_the_model_file_is_the_same_for_the_same_logs_in_any_order():
    assert similar.build(LABELLED) == similar.build(list(reversed(LABELLED)))


def test_the_shipped_model_is_the_corpus_s():
    data, count = similar_model(LOGS)
    assert count > 1000
    # the JSON inside, not the gzip bytes: each Python's zlib may pack the same payload differently
    assert gzip.decompress(similar.MODEL.read_bytes()) == gzip.decompress(data), \
        "rebuild it: python -m harness diagnose --build-similar tests/unit/data/logs"


def test_the_engine_asks_the_similar_logs_only_when_no_rule_or_cue_matched(monkeypatch):
    monkeypatch.setattr(similar, "shipped", model)
    guessed = diagnose_text(FRAME + "\nValueError: bad token delta\n")
    assert guessed.category == "dependency-conflict"
    assert "3 of the 3 labelled logs most like this one" in guessed.summary
    assert guessed.evidence == ("ValueError: bad token delta",)
    ruled = diagnose_text(FRAME + "\nERROR: No matching distribution found for tensorflow==2.3.0\n")
    assert ruled.category != "dependency-conflict"


def test_without_a_model_an_unknown_log_stays_other(monkeypatch):
    monkeypatch.setattr(engine_module, "vote", lambda text, blind=False: None)
    assert diagnose_text(FRAME + "\nValueError: bad token delta\n").category == "other"


def test_a_corpus_log_no_rule_matches_is_scored_blind():
    name = "2219-whisperwebui-390-hf-snapshot-not-found.log"
    text = normalise(read_log(LOGS / name))
    seen, unseen = similar.vote(text), similar.vote(text, blind=True)
    assert seen is not None and seen.nearest == pytest.approx(1.0)
    assert unseen is not None and unseen.nearest < 0.99


def test_a_damaged_model_file_leaves_the_rules_alone(tmp_path, monkeypatch):
    broken = tmp_path / "similar.json.gz"
    broken.write_bytes(b"not gzip")
    monkeypatch.setattr(similar, "MODEL", broken)
    similar.shipped.cache_clear()
    try:
        assert similar.shipped() is None
        assert similar.vote(FRAME + "\nValueError: bad token delta\n") is None
    finally:
        similar.shipped.cache_clear()


def test_build_similar_on_a_folder_without_a_manifest_is_one_line_and_exit_2(tmp_path, capsys):
    from harness.diagnose import main
    assert main(["--build-similar", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "manifest.yaml" in err
