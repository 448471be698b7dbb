"""The last fallback: when no rule and no cue names a cause, the labelled logs most like this one vote for it.

A rule needs a tool's exact wording and a cue needs its key words; a log nobody has seen often has neither
and still resembles logs a reader has labelled - the same frames of a traceback, the same package, tool and
file names around a different last line. On the eight blind batches scored before it (617 logs, each batch
against only the logs labelled before it and the engine it was scored with), the engine said "other" for 148
logs and 38 of those were right; with this vote (the 5 nearest logs by TF-IDF cosine over the words of the
last 80 lines) 79 got a right category and 45 a right next action (22 before). On the next batch, scored
once with it, it moved 105 logs by +2 categories and +1 next action.

The model (``similar.json.gz`` beside this module) holds, per labelled log, its category and its words; it
is built from the corpus by ``python -m harness diagnose --build-similar DIR`` and a unit test checks that
the shipped one is the corpus's. ``blind=True`` leaves the log itself out of the vote: the eval and the
corpus tests score every log as if the corpus had never seen it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

MODEL = Path(__file__).with_name("similar.json.gz")
FORMAT = 1
LAST_LINES = 80  # a log's decisive part is its tail; its head is mostly progress and download lines
NEIGHBOURS = 5
MIN_SIMILARITY = 0.15  # the nearest log must share at least this much, else nothing is like this log
MIN_SHARE = 0.4  # the winning category's part of the neighbours' summed similarity
MIN_DOCUMENTS = 2  # a word in only one labelled log identifies that log, not a cause
MIN_WORDS = 12  # a line or two resembles too many logs: a vote needs a log's worth of known words
_WORD = re.compile(r"[a-z_][a-z0-9_]*(?:[.+-][a-z0-9_]+)*")

Vector = Dict[str, float]

# Categories that name one thing: a vote for them needs that thing in the log, else the advice would talk about
# an ffmpeg, a conda, a timeout or a certificate the log never mentions (an AttributeError like the wrong ffmpeg's
# is not about ffmpeg; a shell's 'bad substitution' beside timed-out logs is no timeout).
_ANCHOR = {
    "ffmpeg-missing": r"ffmpeg|ffprobe|avconv|avprobe",
    "wrong-ffmpeg-package": r"ffmpeg|ffprobe",
    "cpu-without-avx": r"\bAVX|instruction|0xC000001D|-1073741795",
    "python-32-bit": r"32.?bit|win32|\bx86\b|Intel\)|-32\b",
    "conda-env-conflict": r"conda|mamba",
    "long-path": r"long.?path|MAX_PATH|LongPaths|WinError 206|[^\s'\"]{120,}",  # the path itself, or its name
    "timeout": r"time.?out|timed out|took (?:too )?long|deadline|stalled",
    "ssl-certificate": r"certificate|\bSSL|\bTLS|CERT_",
    "pip-outdated": r"\bpip\b|setuptools",
    "numpy-abi": r"numpy",
    "msvc-build-tools-missing": r"\bcl(?:\.exe)?\b|MSVC|Visual (?:C|Studio)|vcvars|compiler",
    "source-build-failed": r"build|compil|wheel|setup\.py|cmake|make\b",
    "model-download-failed": r"model|checkpoint|weights|pretrained|download|\bhub\b",
}
ANCHORS = {category: re.compile(pattern, re.IGNORECASE) for category, pattern in _ANCHOR.items()}


def anchored(category: str, text: str) -> bool:
    """Whether a log shows the one thing a category is about (categories without an anchor always do)."""
    anchor = ANCHORS.get(category)
    return anchor is None or anchor.search(text) is not None


def words(text: str) -> Tuple[str, ...]:
    """The distinct words of a log's last lines, lower-cased, in first-seen order (numbers and 1-letter words
    carry no cause; 41+ letters are hashes and paths run together)."""
    seen: Dict[str, None] = {}
    for line in text.lower().split("\n")[-LAST_LINES:]:
        for word in _WORD.findall(line):
            if 2 <= len(word) <= 40:
                seen.setdefault(word)
    return tuple(seen)


def digest(text: str) -> str:
    """A log's identity in the model (of its normalised text), so a blind vote can leave the log itself out."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Labelled:
    """One labelled log as the model keeps it."""

    digest: str
    category: str
    words: Tuple[str, ...]


@dataclass(frozen=True)
class Vote:
    """What the nearest labelled logs say: the category, its share of their similarity, the nearest one's."""

    category: str
    share: float
    nearest: float
    agree: int  # how many of the nearest logs hold the category
    voters: int

    @property
    def decisive(self) -> bool:
        return self.nearest >= MIN_SIMILARITY and self.share >= MIN_SHARE


class Model:
    """TF-IDF vectors of the labelled logs (inverse document frequency over the labelled logs themselves)."""

    def __init__(self, logs: Sequence[Labelled]) -> None:
        self.logs = tuple(logs)
        frequency = Counter(word for log in self.logs for word in log.words)
        count = len(self.logs)
        self.idf = {word: math.log(count / n) for word, n in frequency.items() if n >= MIN_DOCUMENTS}
        self.vectors = [self.vector(log.words) for log in self.logs]

    def vector(self, log_words: Iterable[str]) -> Vector:
        weights = {word: self.idf[word] for word in log_words if word in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {word: w / norm for word, w in weights.items()}

    def vote(self, text: str, leave_out: str = "") -> Optional[Vote]:
        """The category the nearest labelled logs hold (``leave_out``: a digest whose log does not vote); their
        categories whose anchor the log lacks do not count."""
        query = self.vector(words(text))
        if len(query) < MIN_WORDS:
            return None
        # the categories whose one thing this log never shows, looked up once rather than per labelled log
        barred = {category for category in ANCHORS if not anchored(category, text)}
        scored: List[Tuple[float, int]] = []
        for index, (log, vector) in enumerate(zip(self.logs, self.vectors)):
            if log.digest == leave_out or log.category in barred:
                continue
            small, large = (query, vector) if len(query) < len(vector) else (vector, query)
            similarity = sum(w * large.get(word, 0.0) for word, w in small.items())
            if similarity > 0:
                scored.append((similarity, index))
        nearest = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:NEIGHBOURS]
        if not nearest:
            return None
        weight: Dict[str, float] = {}
        for similarity, index in nearest:
            category = self.logs[index].category
            weight[category] = weight.get(category, 0.0) + similarity
        # ties go to the category of the nearer log (dicts keep the order the nearest logs came in)
        category = max(weight, key=lambda c: weight[c])
        agree = sum(1 for _, index in nearest if self.logs[index].category == category)
        return Vote(category, weight[category] / sum(weight.values()), nearest[0][0], agree, len(nearest))


def build(logs: Iterable[Tuple[str, str]]) -> bytes:
    """The model file for ``(normalised text, category)`` pairs: gzip'd JSON, the same JSON for the same logs
    (sorted by digest; no timestamp in the gzip header, so one Python writes the same bytes each time)."""
    entries = sorted({digest(text): (category, words(text)) for text, category in logs}.items())
    payload = {"format": FORMAT, "logs": [[d, category, list(ws)] for d, (category, ws) in entries]}
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return gzip.compress(data, mtime=0)


def parse(data: bytes) -> Model:
    payload = json.loads(gzip.decompress(data).decode("ascii"))
    if not isinstance(payload, Mapping) or payload.get("format") != FORMAT:
        raise ValueError(f"{MODEL.name}: not a model of format {FORMAT}")
    return Model([Labelled(str(d), str(c), tuple(str(w) for w in ws)) for d, c, ws in payload["logs"]])


@lru_cache(maxsize=1)
def shipped() -> Optional[Model]:
    """The model beside this module, read once; None when it is missing or damaged (the rules work without it)."""
    try:
        return parse(MODEL.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):  # missing or damaged: diagnose without it
        return None


def vote(text: str, blind: bool = False) -> Optional[Vote]:
    """The shipped model's vote on a normalised log (``blind``: as if the model had never seen this log)."""
    model = shipped()
    if model is None:
        return None
    return model.vote(text, leave_out=digest(text) if blind else "")
