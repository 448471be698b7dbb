"""Diarization error rate (DER), the standard NIST definition, scored on a 10 ms grid.

    DER = (missed speech + false alarm + speaker confusion) / scored reference speech

* A ``collar`` (0.25 s, the customary value) around every reference turn
  boundary is not scored: annotators and tools disagree by that much on where
  speech starts, which is not a diarization error.
* Hypothesis speaker labels are arbitrary ("spk0" is whoever came first), so
  they are mapped one-to-one onto reference speakers by the assignment that
  maximises the scored time they agree on.
* Overlapped speech counts per speaker, as md-eval does: a frame with two
  reference speakers and one hypothesis speaker is one missed speaker.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .rttm import Turn

STEP = 0.01  # seconds per scoring frame
DEFAULT_COLLAR = 0.25


@dataclass(frozen=True)
class DerResult:
    der: float
    missed: float  # seconds
    false_alarm: float
    confusion: float
    scored: float  # seconds of reference speech scored (the denominator)
    mapping: Tuple[Tuple[str, str], ...]  # (hypothesis speaker, reference speaker)

    def as_metrics(self) -> Dict[str, float]:
        return {"der": round(self.der, 4), "der_missed_s": round(self.missed, 3),
                "der_false_alarm_s": round(self.false_alarm, 3), "der_confusion_s": round(self.confusion, 3),
                "der_scored_s": round(self.scored, 3)}


def _activity(turns: Sequence[Turn], speakers: List[str], frames: int) -> np.ndarray:
    """Boolean matrix (frames, speakers): who is talking in each scoring frame."""
    grid = np.zeros((frames, len(speakers)), dtype=bool)
    index = {s: i for i, s in enumerate(speakers)}
    for turn in turns:
        a, b = int(round(turn.start / STEP)), int(round(turn.end / STEP))
        grid[max(0, a):max(0, b), index[turn.speaker]] = True
    return grid


def _best_mapping(overlap: np.ndarray) -> List[Tuple[int, int]]:
    """(hyp, ref) pairs maximising the summed overlap; exhaustive for the small speaker counts of a sample."""
    n_hyp, n_ref = overlap.shape
    if n_hyp == 0 or n_ref == 0:
        return []
    if min(n_hyp, n_ref) <= 6 and max(n_hyp, n_ref) <= 8:
        best, best_score = [], -1.0
        if n_hyp <= n_ref:
            for refs in itertools.permutations(range(n_ref), n_hyp):
                score = float(sum(overlap[h, r] for h, r in enumerate(refs)))
                if score > best_score:
                    best, best_score = list(enumerate(refs)), score
        else:
            for hyps in itertools.permutations(range(n_hyp), n_ref):
                score = float(sum(overlap[h, r] for r, h in enumerate(hyps)))
                if score > best_score:
                    best, best_score = [(h, r) for r, h in enumerate(hyps)], score
        return best
    pairs, used_h, used_r = [], set(), set()  # greedy beyond that: good enough, and never needed here
    for flat in np.argsort(-overlap, axis=None):
        h, r = np.unravel_index(flat, overlap.shape)
        if h not in used_h and r not in used_r:
            pairs.append((int(h), int(r)))
            used_h.add(h)
            used_r.add(r)
    return pairs


def compute_der(reference: Sequence[Turn], hypothesis: Sequence[Turn], collar: float = DEFAULT_COLLAR) -> DerResult:
    """Score ``hypothesis`` against ``reference``; raises ``ValueError`` when the reference has no speech."""
    if not reference:
        raise ValueError("reference has no speaker turns: DER is undefined")
    end = max([t.end for t in reference] + [t.end for t in hypothesis])
    frames = int(round(end / STEP)) + 1
    ref_speakers = sorted({t.speaker for t in reference})
    hyp_speakers = sorted({t.speaker for t in hypothesis})
    ref = _activity(reference, ref_speakers, frames)
    hyp = _activity(hypothesis, hyp_speakers, frames)

    scored = np.ones(frames, dtype=bool)
    pad = int(round(collar / STEP))
    for turn in reference:
        for edge in (turn.start, turn.end):
            centre = int(round(edge / STEP))
            scored[max(0, centre - pad):centre + pad] = False
    ref, hyp = ref[scored], hyp[scored]

    overlap = hyp.T.astype(np.int64) @ ref.astype(np.int64)  # (hyp, ref) frames spoken by both
    mapping = _best_mapping(overlap)
    n_ref = ref.sum(axis=1)
    n_hyp = hyp.sum(axis=1)
    correct = np.zeros(ref.shape[0], dtype=np.int64)
    for h, r in mapping:
        correct += hyp[:, h] & ref[:, r]
    missed = np.maximum(0, n_ref - n_hyp)
    false_alarm = np.maximum(0, n_hyp - n_ref)
    confusion = np.minimum(n_ref, n_hyp) - correct
    total = float(n_ref.sum())
    if total == 0:
        raise ValueError("no reference speech left to score outside the collars")
    errors = float(missed.sum() + false_alarm.sum() + confusion.sum())
    return DerResult(
        der=errors / total,
        missed=float(missed.sum()) * STEP,
        false_alarm=float(false_alarm.sum()) * STEP,
        confusion=float(confusion.sum()) * STEP,
        scored=total * STEP,
        mapping=tuple((hyp_speakers[h], ref_speakers[r]) for h, r in mapping),
    )
