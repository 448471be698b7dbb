"""What a rule is (:class:`Rule`), how its patterns are compiled, and the pattern pieces several families share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Match, Optional, Pattern, Tuple

Check = Callable[[str, "Match[str]"], bool]


Extract = Callable[[str, "Match[str]"], Optional[str]]


FLAGS = re.IGNORECASE | re.MULTILINE


def rx(*patterns: str) -> Tuple[Pattern[str], ...]:
    return tuple(re.compile(p, FLAGS) for p in patterns)


@dataclass(frozen=True)
class Rule:
    """One way a category shows in a log.

    ``patterns``: any one matching is a hit; ``requires``: each must also match
    somewhere in the log; ``check``: a last look at the match (e.g. a version
    comparison a regex cannot do); ``also``: lines worth showing as evidence
    when present (the last match of each). ``summary`` is a one-line template
    that may use ``{blocker}``; ``action`` overrides the category's next-action
    template (fields: ``blocker``, ``pack``, ``python``).
    """

    name: str
    category: str
    priority: int
    patterns: Tuple[Pattern[str], ...]
    requires: Tuple[Pattern[str], ...] = ()
    check: Optional[Check] = None
    blocker: Optional[Extract] = None
    also: Tuple[Pattern[str], ...] = ()
    summary: str = ""
    action: str = ""


REQ = r"(?P<req>[A-Za-z0-9][\w.\-\[\]]*(?:[<>=!~]=?[^\s,()]+(?:,[<>=!~]=?[^\s,()]+)*)?)"


# TensorFlow itself (not tensorflow-io-gcs-filesystem & co.), as pip's verdict names it.
# (pipenv and poetry pass on only pip's first line, "Could not find a version that satisfies the requirement")
TENSORFLOW_NOT_FOUND = r"(?:No matching distribution found for|satisfies the requirement) (?P<req>tensorflow(?:-(?:gpu|cpu|intel))?(?:[<>=!~]=?[^\s,()]+)?)(?=[\s(]|$)"


# Evidence worth adding when present: the last exception line, uv's hints, pip's verdict.
EXCEPTION = (re.compile(r"^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Timeout|Unavailable)\b: [^\n]+$", re.MULTILINE),)


# pip's spinner line ends "... error" on a terminal and ": finished with status 'error'" in a pipe.
# Words that name a failed connection, in any pip/requests/urllib/uv log and any Windows language (the
# WinError and errno numbers are the same everywhere).
CONNECTION = (r"urlopen error|URLError|NewConnectionError|MaxRetryError|Max retries exceeded|ConnectTimeout|"
              r"RemoteDisconnected|ConnectionResetError|ConnectionRefusedError|ConnectionError|IncompleteRead|"
              r"ChunkedEncodingError|ProtocolError\(|ContentTooShortError|WinError 100(?:60|61|54|51|65)\b|"
              r"Errno (?:110|111|104|101|113|-2|-3|11001|11002|11004)\b|getaddrinfo failed|Name or service not known|"
              r"Temporary failure in name resolution|nodename nor servname|Connection (?:refused|reset|aborted)|"
              r"Network is unreachable|No route to host|error sending request")
ERROR_STATUS = r"(?: \.\.\. |: finished with status ')error"


PIP_VERDICT = rx(r"^(?:ERROR: )?No matching distribution found for [^\n]+$")


CONFLICT_LINES = rx(r"^\s+The user requested [^\n]+$", r"^\s+\S+ \S+ depends on [^\n]+$")


PIP_MEMORY = ("pip ran out of memory on a large file (old pips hold the whole download, and its cache copy, in "
               "memory): rerun with --no-cache-dir (`python -m pip install --no-cache-dir ...`), upgrade pip, or add "
               "swap on a small machine.")
