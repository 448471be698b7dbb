"""RTTM parse/format round trip, and the DER on cases worked out by hand."""
from __future__ import annotations

import pytest

from harness.chain.der import compute_der
from harness.chain.rttm import Turn, format_rttm, parse_rttm, read_rttm, write_rttm


def turns(*spans):
    return [Turn("f", start, end - start, speaker) for speaker, start, end in spans]


def test_round_trip_keeps_every_turn(tmp_path):
    original = turns(("spk0", 0.79, 5.59), ("spk1", 6.47, 9.62), ("spk0", 10.5, 14.061))
    path = write_rttm(tmp_path / "d" / "x.rttm", original)
    again = read_rttm(path)
    assert [(t.speaker, t.start, round(t.end, 3)) for t in again] == [
        ("spk0", 0.79, 5.59), ("spk1", 6.47, 9.62), ("spk0", 10.5, 14.061)]
    assert format_rttm(again) == path.read_text()


def test_the_line_format_is_nist_rttm():
    assert format_rttm([Turn("two-speakers", 0.8, 4.789, "spk_a")]) == (
        "SPEAKER two-speakers 1 0.800 4.789 <NA> <NA> spk_a <NA> <NA>\n")


def test_other_records_and_comments_are_skipped():
    text = "# comment\nSPKR-INFO f 1 <NA> <NA> <NA> unknown a <NA> <NA>\n\nSPEAKER f 1 1.0 2.0 <NA> <NA> a <NA> <NA>\n"
    assert parse_rttm(text) == [Turn("f", 1.0, 2.0, "a")]


@pytest.mark.parametrize("line, message", [
    ("SPEAKER f 1 1.0", "fields"),
    ("SPEAKER f 1 x 2.0 <NA> <NA> a <NA> <NA>", "not numbers"),
    ("SPEAKER f 1 1.0 0 <NA> <NA> a <NA> <NA>", "last > 0"),
    ("SPEAKER f 1 -1 2 <NA> <NA> a <NA> <NA>", "start at >= 0"),
    ("SPEAKER f 1 1.0 2.0 <NA> <NA> a/b <NA> <NA>", "bad speaker"),
])
def test_malformed_lines_name_their_line(line, message):
    with pytest.raises(ValueError, match=f"x.rttm:2: .*{message}"):
        parse_rttm("SPEAKER f 1 0 1 <NA> <NA> a <NA> <NA>\n" + line, "x.rttm")


def test_perfect_hypothesis_with_other_labels_scores_zero():
    ref = turns(("alice", 0, 4), ("bob", 5, 9))
    hyp = turns(("spk1", 0, 4), ("spk0", 5, 9))  # labels are arbitrary: mapped optimally
    result = compute_der(ref, hyp)
    assert result.der == 0.0
    assert dict(result.mapping) == {"spk1": "alice", "spk0": "bob"}


def test_one_label_for_everyone_is_half_wrong_on_two_equal_speakers():
    ref = turns(("alice", 0, 4), ("bob", 5, 9))
    result = compute_der(ref, turns(("spk0", 0, 4), ("spk0", 5, 9)), collar=0.0)
    assert result.der == pytest.approx(0.5)
    assert result.confusion == pytest.approx(4.0)


def test_missed_false_alarm_and_confusion_add_up():
    ref = turns(("a", 0, 10))
    # 2 s missed (8-10), 1 s false alarm (10-11), no confusion: DER = 3/10
    result = compute_der(ref, turns(("x", 0, 8), ("x", 10, 11)), collar=0.0)
    assert (result.missed, result.false_alarm, result.confusion) == pytest.approx((2.0, 1.0, 0.0))
    assert result.der == pytest.approx(0.3)


def test_the_collar_forgives_boundary_disagreement():
    ref = turns(("a", 1.0, 5.0))
    late = turns(("x", 1.2, 4.8))  # 0.2 s off at both ends
    assert compute_der(ref, late, collar=0.0).der == pytest.approx(0.4 / 4.0)
    forgiving = compute_der(ref, late, collar=0.25)
    assert forgiving.der == 0.0
    assert forgiving.scored == pytest.approx(3.5)  # 4 s minus 2 x 0.25 s at each boundary


def test_overlap_counts_each_speaker():
    ref = turns(("a", 0, 4), ("b", 2, 4))  # 2 s of two voices at once
    result = compute_der(ref, turns(("x", 0, 4)), collar=0.0)
    assert result.missed == pytest.approx(2.0)
    assert result.der == pytest.approx(2.0 / 6.0)


def test_no_hypothesis_is_all_missed_and_empty_reference_is_an_error():
    assert compute_der(turns(("a", 0, 3)), [], collar=0.0).der == pytest.approx(1.0)
    with pytest.raises(ValueError):
        compute_der([], turns(("x", 0, 1)))
