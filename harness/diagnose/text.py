"""Turning a raw log into plain text the rules can read.

Logs reach us in every shape a terminal can produce: ANSI colours (uv and
rich-based pip colour their output), CRLF line endings and UTF-16 files
(PowerShell's ``>`` redirect), progress bars redrawn with a bare CR, lines
hard-wrapped at the console width, and excerpts cut at either end, sometimes
in the middle of an escape sequence. Everything here is done once, before any
rule runs, so the rules only ever see LF-separated, colourless, unwrapped text.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import List

# CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles), and
# the two-byte escapes; the ESC may have been lost when an excerpt was copied.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[@-Z\\-_]"
)
# A colour code whose ESC was cut off where an excerpt starts: "[31mERROR".
_ORPHAN_SGR = re.compile(r"^\[[0-9;]{1,12}m")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_CHARS = 2 * 1024 * 1024  # bounds the time a huge verbose log takes (about 2 s a MB)
HEAD_CHARS = 256 * 1024

# Hard wrapping: only lines this long or longer can be console-wrapped.
_MIN_WRAP_WIDTH = 60
_MIN_WRAPPED_LINES = 3
# A progress bar (pip's rich bar, tqdm's) has a fixed width of its own: many lines of one length that are
# whole lines, not a console's wrapping, so they neither set the width nor get joined to the next line.
# (Two searches, not one pattern: "a run of bar characters, then anything, then 1.5/2" as one regex backtracks
# cubically on a long line of '#'.)
_BAR = re.compile("[\u2501\u2578\u257a\u2588#]{8}")
_AMOUNT = re.compile(r"\d(?:\.\d+)?/\d")
_TQDM = re.compile(r"\d%\|")


def _progress_bar(line: str) -> bool:
    """A bar of eight or more bar characters followed by an amount (``589.3/589.3 MB``), or tqdm's ``50%|``."""
    bar = _BAR.search(line)
    return bool(bar and _AMOUNT.search(line, bar.end())) or bool(_TQDM.search(line))


def decode(data: bytes) -> str:
    """Bytes to text: UTF-16 when the file says so (a BOM), else UTF-8 with replacement."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


def clip(text: str) -> str:
    """Keep a huge log to its head and its (longer) tail: root causes sit in either."""
    if len(text) <= MAX_CHARS:
        return text
    tail = MAX_CHARS - HEAD_CHARS
    return text[:HEAD_CHARS] + "\n[... log clipped by the diagnoser ...]\n" + text[-tail:]


def strip_ansi(text: str) -> str:
    text = _ANSI.sub("", text)
    return _ORPHAN_SGR.sub("", text)


def split_lines(text: str) -> List[str]:
    """CRLF and bare CR (progress-bar redraws) both end a line; control bytes go."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_CONTROL.sub("", line).rstrip() for line in text.split("\n")]


def wrap_width(lines: List[str]) -> int:
    """The console width a log was hard-wrapped at, or 0 when it was not.

    A wrapped log has many lines of exactly the same, fairly large length: the
    width. Unwrapped logs have long lines of scattered lengths.
    """
    lengths = Counter(len(line) for line in lines if len(line) >= _MIN_WRAP_WIDTH and not _progress_bar(line))
    if not lengths:
        return 0
    width, count = lengths.most_common(1)[0]
    long_lines = sum(lengths.values())
    if count >= _MIN_WRAPPED_LINES and count * 3 >= long_lines:
        return width
    return 0


def unwrap(lines: List[str]) -> List[str]:
    """Join lines that were cut at the console width back onto their continuation."""
    width = wrap_width(lines)
    if not width:
        return lines
    joined: List[str] = []
    carry = ""
    for index, line in enumerate(lines):
        if carry:
            line = carry + line
            carry = ""
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if len(line) % width == 0 and len(line) >= width and not (_progress_bar(line) or _progress_bar(following)):
            carry = line
            continue
        joined.append(line)
    if carry:
        joined.append(carry)
    return joined


_QUOTED = re.compile(r"^> ?", re.MULTILINE)


def normalise(text: str) -> str:
    """Plain LF text with no colour codes, no control bytes, console wrapping undone, and a log quoted in
    a reply (every line starting "> ") unquoted."""
    lines = unwrap(split_lines(strip_ansi(clip(text))))
    quoted = [line for line in lines if line.strip()]
    if quoted and all(line.startswith(">") and not line.startswith(">>") for line in quoted):
        lines = [_QUOTED.sub("", line) for line in lines]
    if quoted and sum(bool(_BUILDKIT.match(line)) for line in quoted) * 2 > len(quoted):
        lines = [_BUILDKIT.sub("", line) for line in lines]
    return "\n".join(lines)


# docker build (BuildKit) prefixes each line of a step's output with "#STEP SECONDS "
_BUILDKIT = re.compile(r"^#\d+ \d+\.\d+ ?")
