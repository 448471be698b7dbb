"""From a log to a :class:`~harness.results.Diagnosis`: normalise, match every rule, pick the root cause.

Every rule is tried on the whole log; the hit with the highest priority wins,
and among equals the earliest in the log (a root cause comes before the errors
it causes). The last line of a log is never trusted on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Match, Optional, Sequence, Tuple

from harness.diagnose import context as logcontext
from harness.diagnose import reqs
from harness.diagnose.advice import DEFAULT_PACK, SUPPORTED_PYTHONS, Facts, advise, with_platform_notes
from harness.diagnose.advice.base import tied_to_pack
from harness.diagnose.rules import RULES, Rule
from harness.diagnose.rules.cues import best_guess
from harness.diagnose.similar import vote
from harness.diagnose.text import HEAD_CHARS, MAX_CHARS, decode, normalise
from harness.files import read_head_tail
from harness.results import Category, Diagnosis

DEFAULT_TARGET_PYTHON = "3.11"  # the newest Python spleeter 2.4.2 supports (Requires-Python <3.12)
WINDOWS_ONLY = ("msvc-build-tools-missing", "long-path")
MAX_EVIDENCE = 4
MAX_EVIDENCE_CHARS = 240


@dataclass(frozen=True)
class DiagnoseContext:
    """Optional hints from the runner that sharpen the next action and the manual fallback."""

    python: Optional[str] = None  # "3.12"
    pack: Optional[str] = None  # "spleeter==2.4.2"
    installer: Optional[str] = None  # "pip" | "uv"
    platform: Optional[str] = None  # "linux" | "windows"
    strategy: Optional[str] = None


@dataclass(frozen=True)
class Hit:
    rule: Rule
    match: "Match[str]"
    evidence: Tuple[str, ...]

    @property
    def rank(self) -> Tuple[int, int]:
        return (self.rule.priority, -self.match.start())


def find_hits(text: str) -> List[Hit]:
    """The first valid match of every rule that fires on ``text``."""
    hits = []
    for rule in RULES:
        extra = []
        for required in rule.requires:
            found = required.search(text)
            if not found:
                break
            extra.append(found)
        else:
            hit = _first_hit(rule, text, extra)
            if hit:
                hits.append(hit)
    return hits


def _first_hit(rule: Rule, text: str, extra: Sequence["Match[str]"]) -> Optional[Hit]:
    best: Optional[Tuple[int, "Match[str]"]] = None
    for pattern in rule.patterns:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            if rule.check is None or rule.check(text, match):
                best = (match.start(), match)
                break
    if best is None:
        return None
    match = best[1]
    lines = _lines_of(text, match) + tuple(line for m in extra for line in _lines_of(text, m))
    for pattern in rule.also:
        found = list(pattern.finditer(text))
        if found:
            lines += _lines_of(text, found[-1])
    return Hit(rule, match, lines)


def _guessed(text: str) -> List[Hit]:
    """No rule matched: the cause the log's cue words point at (:mod:`~harness.diagnose.rules.cues`), if any,
    with the lines of each cue found as its evidence."""
    guess = best_guess(text)
    if guess is None:
        return []
    rule, match = guess
    lines: Tuple[str, ...] = ()
    for pattern in rule.patterns:
        found = pattern.search(text)
        if found:
            lines += tuple(line for line in _lines_of(text, found) if line not in lines)
    return [Hit(rule, match, lines)]


def _lines_of(text: str, match: "Match[str]") -> Tuple[str, ...]:
    """The log lines a match touches, stripped: all of them up to three, else the first and the last."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", max(match.end() - 1, match.start()))
    lines = text[start: end if end != -1 else len(text)].split("\n")
    first = _window(lines[0], match.start() - start)
    rest = [_shorten(line.strip()) for line in lines[1:] if line.strip()]
    kept = [first] + (rest if len(rest) <= 2 else rest[-1:])
    return tuple(line for line in kept if line)


def _window(line: str, column: int) -> str:
    """A long line cut to the part around ``column`` (console pastes put everything on one line)."""
    column = len(re.sub(r" {8,}", " ", line[:column]))
    line = re.sub(r" {8,}", " ", line)
    if len(line.strip()) <= MAX_EVIDENCE_CHARS:
        return line.strip()
    begin = max(0, min(column - 40, len(line) - MAX_EVIDENCE_CHARS))
    piece = line[begin: begin + MAX_EVIDENCE_CHARS - 6].strip()
    return ("..." if begin > 0 else "") + piece + ("..." if begin + MAX_EVIDENCE_CHARS - 6 < len(line) else "")


def _shorten(line: str) -> str:
    return line if len(line) <= MAX_EVIDENCE_CHARS else line[: MAX_EVIDENCE_CHARS - 3] + "..."


def diagnose_text(text: str, context: Optional[DiagnoseContext] = None, blind: bool = False) -> Diagnosis:
    """Diagnose a pip/uv/spleeter log given as text (``blind``: the labelled corpus's vote leaves this very log
    out, as for a log it has never seen - how the eval and the corpus tests score)."""
    context = context or DiagnoseContext()
    clean = normalise(text)
    hits = find_hits(clean) or _guessed(clean)
    if not hits:
        return _unmatched(clean, context, blind)
    best = max(hits, key=lambda h: h.rank)
    same = sorted((h for h in hits if h.rule.category == best.rule.category), key=lambda h: -h.rule.priority)
    blocker = _blocker(best, same, clean, context)
    evidence: List[str] = []
    for hit in [best] + [h for h in same if h is not best]:
        for line in hit.evidence:
            if line not in evidence and len(evidence) < MAX_EVIDENCE:
                evidence.append(line)
    summary = (best.rule.summary or best.rule.category).format(blocker=blocker or "a dependency")
    return _build(best.rule.category, blocker, tuple(evidence), summary, clean, context, best)


# a traceback cut right after an import frame: the module it imports is the lead ("other" advice names it), more
# than what a bare two of the similar logs had
_CUT_AT_IMPORT = re.compile(r'^\s*File "[^"]+", line \d+, in [^\n]+\n'
                            r"\s*(?:from [\w.]+ import|import [\w.]+)[^\n]*\s*\Z", re.MULTILINE)


def _unmatched(text: str, context: DiagnoseContext, blind: bool) -> Diagnosis:
    """No rule and no cue: the category the most similar labelled logs agree on, with its own advice
    (:mod:`~harness.diagnose.similar`), else "other"."""
    evidence = _fallback_evidence(text)
    found = vote(text, blind)
    if found is None or not found.decisive or found.category == "other" or (
            found.agree < 3 and _CUT_AT_IMPORT.search(text)):
        return _build("other", None, evidence, "", text, context, None)
    summary = (f"most probable cause: {found.category} - no known failure pattern matched, and "
               f"{found.agree} of the {found.voters} labelled logs most like this one had that cause")
    return _build(found.category, None, evidence, summary, text, context, None)


def diagnose_file(path: Path, context: Optional[DiagnoseContext] = None, blind: bool = False) -> Diagnosis:
    """Diagnose a log file (any encoding a terminal writes: UTF-8, UTF-16 with BOM).

    Only the head and tail that :func:`~harness.diagnose.text.clip` keeps are read (4 bytes a
    character covers any encoding), so a FIFO, a device or a 10 GB log cannot stall the reader.
    """
    return diagnose_text(read_log(path), context, blind)


def read_log(path: Path) -> str:
    """A log file's text as the engine reads it: its head and tail, decoded (not yet normalised)."""
    return decode(read_head_tail(Path(path), 4 * HEAD_CHARS, 4 * (MAX_CHARS - HEAD_CHARS)))


def _blocker(best: Hit, same: Sequence[Hit], text: str, context: DiagnoseContext) -> Optional[str]:
    for hit in [best] + [h for h in same if h is not best]:
        if hit.rule.blocker is not None:
            found = hit.rule.blocker(text, hit.match)
            if found:
                return found
    if best.rule.category == "interpreter-unavailable" and context.python:
        return f"Python {context.python}"
    return None


def _fallback_evidence(text: str) -> Tuple[str, ...]:
    """For an unknown failure: the last error-looking lines (exceptions, ``ERROR:``)."""
    pattern = re.compile(r"^\s*(?:[\w.]*(?:Error|Exception)\b:?|ERROR\b|error:|Fatal|fatal:|Illegal instruction)")
    lines = [line.strip() for line in text.split("\n") if pattern.match(line)]
    if not lines:
        lines = [line.strip() for line in text.split("\n") if line.strip() and not line.startswith("[harness]")]
    return tuple(_shorten(line) for line in lines[-2:])


def _build(category: str, blocker: Optional[str], evidence: Tuple[str, ...], summary: str, text: str,
           context: DiagnoseContext, hit: Optional[Hit]) -> Diagnosis:
    seen = logcontext.read(text)
    python = context.python or seen.python or logcontext.python_at_least(text)
    # MSVC and MAX_PATH exist on Windows only: the category says where the log came from
    platform = context.platform or ("windows" if category in WINDOWS_ONLY else seen.platform)
    shell = seen.shell if platform == "windows" else "posix"
    facts = Facts(
        category=category, blocker=blocker, pack=context.pack or log_pack(text, blocker), python=python,
        target_python=target_python(text, blocker, context, python), installer=context.installer or seen.installer,
        platform=platform, rule=hit.rule.name if hit else "",
        url=_url(text, hit), backend=_backend(text), fell_back_to=_fell_back(text, context),
        strategy=context.strategy, seconds=_seconds(hit), bits=seen.bits, shell=shell, ran=seen.ran,
        groups={k: v for k, v in (hit.match.groupdict() if hit else {}).items() if v}, log=text,
    )
    next_action, manual = advise(facts)
    if hit is not None and hit.rule.action:
        groups = {k: v for k, v in hit.match.groupdict().items() if v}
        groups.update(reqs.install_names(groups.get("req"), text))
        next_action = with_platform_notes(facts, hit.rule.action.format(
            **{**groups, "blocker": blocker or "it", "pack": facts.pack, "python": facts.target_python}))
        manual = spelled_commands(next_action, facts.platform) or manual  # the rule's own commands, not its category's
    if not summary:
        summary = evidence[-1] if evidence else category
    return Diagnosis(category=Category.parse(category), blocker=blocker, next_action=next_action,
                     manual_fallback=manual, evidence=evidence, summary=summary)


# the first word of a command a next action spells out in backticks (not a file, a setting or a package name), and
# the words that exist on one side only
COMMAND_WORDS = frozenset(("python", "python3", "py", "pip", "pip3", "conda", "mamba", "uv", "brew", "sudo", "apt-get",
                           "winget", "choco", "pipx", "poetry", "pdm", "pipenv", "pyenv", "setx", "git"))
POSIX_ONLY = frozenset(("brew", "sudo", "apt-get"))
WINDOWS_ONLY_COMMANDS = frozenset(("winget", "choco", "setx", "py"))


def spelled_commands(action: str, platform: Optional[str]) -> Tuple[str, ...]:
    """The whole commands in ``action``'s backticks, in order, that this platform's shell runs - for the fallback.
    A template ("...") or a bare verb (`pip install`, `conda env`) is prose, not a command to run."""
    foreign = POSIX_ONLY if platform == "windows" else WINDOWS_ONLY_COMMANDS if platform else frozenset()
    found = []
    for command in re.findall(r"`([^`\n]+)`", action):
        words = command.split()
        bare = len(words) <= 3 and words[1:2] == ["-m"]  # `python -m venv`: the tool's name in prose
        if words[0] in COMMAND_WORDS and words[0] not in foreign and len(words) > 2 and not bare and "..." not in \
                command:
            found.append(command.strip())
    return tuple(dict.fromkeys(found))[:4]


# -- facts read from the log ----------------------------------------------------------------


UNNAMED_PACK = "PACKAGE"  # a log about another project that names no package: a placeholder the user fills in


def log_pack(text: str, blocker: Optional[str]) -> str:
    """What the user was installing, for the advice's commands: the pack when the log is about spleeter (or says
    nothing at all), else the package the log's install command names, else the blocker's name, else a
    placeholder - a stranger's log about another project must not be told to install spleeter."""
    if re.search(r"spleeter", text, re.IGNORECASE) or not text.strip():
        return DEFAULT_PACK
    named = reqs.requested(text) or reqs.split_requirement(blocker or "")[0]
    return named if named and not reqs.installer_itself(named) else UNNAMED_PACK


def target_python(text: str, blocker: Optional[str], context: DiagnoseContext, python: Optional[str] = None) -> str:
    """The Python to move to: the newest one the log shows the blocker supports, kept within the pack's
    (when the blocker is the pack or one of its dependencies), and never the one the user already runs
    (``python``: the caller's or the log's)."""
    have = python or context.python
    found = _python_from_log(text, blocker, have)
    # a stranger's log about librosa is not bound by the pack's Pythons, even where the blocker is one of its deps
    tied = (context.pack or log_pack(text, blocker)) == DEFAULT_PACK and tied_to_pack(blocker)
    allowed: Tuple[str, ...] = tuple(SUPPORTED_PYTHONS) if tied else ()
    if found == have:
        found = None  # the log's bound is the user's own Python: not the way out
    if found and (not allowed or found in allowed):
        return found
    if found and reqs.version_key(found) > reqs.version_key(allowed[0]):
        return next((c for c in allowed if c != have), DEFAULT_TARGET_PYTHON)
    if found and reqs.version_key(found) < reqs.version_key(allowed[-1]):
        return found  # the blocker is an old release that needs an older Python than the pack's
    return next((c for c in SUPPORTED_PYTHONS if c != have), DEFAULT_TARGET_PYTHON)


def _python_from_log(text: str, blocker: Optional[str], have: Optional[str] = None) -> Optional[str]:
    newest = reqs.newest_python(blocker)
    if newest:
        return newest
    tags = re.search(r"following Python ABI tags?: ([^\n]+)", text)
    if tags:
        minors = [int(m) for m in re.findall(r"cp3(\d+)", tags.group(1))]
        if minors:
            return f"3.{max(minors)}"
    pinned = reqs.pinned_version(reqs.split_requirement(blocker or "")[1])
    if pinned:
        found = re.search(rf"(?:^|[:;]\s*){re.escape(pinned)} Requires-Python ([^;\n]+)", text, re.MULTILINE)
        if found:
            return reqs.max_below(found.group(1))
    ignored = re.findall(r"Requires-Python ([^;\n]*<[^;\n]+)", text)
    # pip's "Ignored the following versions" line is about the requirement it then cannot satisfy; when no release
    # at all is left for this Python, those bounds are the way out
    about = re.search(r"Ignored the following versions[^\n]*\n[^\n]*satisfies the requirement ([\w.-]+)"
                      r"[^\n]*\(from versions: none\)", text)
    own = bool(blocker and about and reqs.split_requirement(blocker)[0] == about.group(1).lower())
    if ignored and (not blocker or own):
        bounds = [b for b in (reqs.max_below(spec.strip()) for spec in ignored) if b]
        if bounds:
            return max(bounds, key=reqs.version_key)
    told = re.search(r"\b(?:use|requires?|needs?|with) Python (3\.\d+) or (?:older|lower|earlier|below)\b", text,
                     re.IGNORECASE)
    if told:  # the package's own message names the newest Python it runs on
        return told.group(1)
    lower_only = _lower_bounds_only(text)
    if lower_only:
        return lower_only
    found = (re.search(r"requires a different Python:? \(?([\d.]+) not in:? '([^']+)'", text)
             or re.search(r"Cannot install on Python version ([\d.]+); only versions (\S+) are supported", text))
    if found:
        return _above(found.group(1), found.group(2)) or reqs.max_below(found.group(2))
    name = reqs.split_requirement(blocker or "")[0]
    if name == "numpy" and OLD_NUMPY_SOURCE.search(text):
        return "3.10"  # a pre-meson numpy built from source: an old pin on a newer Python; 1.21's wheels stop at 3.10
    conda = re.search(rf"-\s+{reqs.name_pattern(name)} -> python\[version='([^']+)'", text) if name else None
    if conda:
        below = [_minor_or_below(alternative) for alternative in conda.group(1).split("|")]
        bounds = [b for b in below if b]
        return max(bounds, key=reqs.version_key) if bounds else None
    return None


# numpy's own source tree before meson (1.26): an old release that pip had to build because no wheel fit
OLD_NUMPY_SOURCE = re.compile(r"Running from numpy source directory|numpy[\w-]*[\\/]tools[\\/]cythonize\.py")


def _minor_or_below(alternative: str) -> Optional[str]:
    """One alternative of conda's python[version='...']: ``3.7.*`` is 3.7 itself, a range its newest minor."""
    exact = re.match(r"^(3\.\d+)(?:\.\*)?$", alternative.strip())
    return exact.group(1) if exact else reqs.max_below(alternative)


def _above(have: str, spec: str) -> Optional[str]:
    """A spec whose lower bound is above the user's Python (``>=3.12`` on 3.11.2): that lower bound."""
    low = re.search(r">=\s*(3\.\d+)", spec)
    if low and reqs.version_key(have) < reqs.version_key(low.group(1)):
        return low.group(1)
    return None


def _lower_bounds_only(text: str) -> Optional[str]:
    """pip ignored every release for needing a newer Python (``Requires-Python >=3.12`` only): the lowest bound."""
    found = re.search(r"Ignored the following versions that require a different python version: ([^\n]+)", text)
    if not found or "<" in found.group(1):
        return None
    lows = re.findall(r"Requires-Python >=\s*(3\.\d+)", found.group(1))
    return min(lows, key=reqs.version_key) if lows else None


def _url(text: str, hit: Optional[Hit]) -> Optional[str]:
    """The URL the failure was about: the one the rule matched, the model archive, or the index."""
    if hit is None:
        return None
    named = hit.match.groupdict().get("url")
    if named:
        return named.rstrip(":`'\".,)")
    if hit.rule.category == "model-download-failed":
        found = re.search(r"Downloading model archive (\S+)", text)
    elif hit.rule.category == "network-or-index":
        found = (re.search(r"(?:Looking in indexes: |--index-url[= ])(https?://[^\s,]+)", text)
                 or re.search(r"(https?://[^\s'\")`]+)", text[hit.match.start():]))
    else:
        found = None
    return found.group(1).rstrip(".,:") if found else None


def _seconds(hit: Optional[Hit]) -> Optional[float]:
    secs = hit.match.groupdict().get("secs") if hit is not None else None
    return float(secs) if secs else None


def _backend(text: str) -> Optional[str]:
    found = re.search(r"Cannot import '([\w.:]+)'|Backend '([^']+)' is not available|No module named '([\w.]+)'"
                      r"|Call to `([\w.:]+)\.\w+` failed", text)
    if not found:
        return None
    return next(group for group in found.groups() if group)


def _fell_back(text: str, context: DiagnoseContext) -> Optional[str]:
    """pip picked an old spleeter because the wanted one excludes this Python (its numpy<1.19 then fails)."""
    wanted = context.pack or DEFAULT_PACK
    old = (re.search(r"spleeter-2\.1\.0|spleeter==2\.1(?:\.0)?\b|spleeter 2\.1\.0 depends on", text)
           or (re.search(r"numpy<1\.19", text) and re.search(r"spleeter", text)))
    if old and not wanted.startswith("spleeter==2.1"):
        return "spleeter 2.1.0"
    return None


# -- diagnoses the runner makes without a log --------------------------------------------------


def timeout_diagnosis(step: str, seconds: float, context: Optional[DiagnoseContext] = None) -> Diagnosis:
    """The harness stopped ``step`` after ``seconds``: category ``timeout``."""
    context = context or DiagnoseContext()
    facts = Facts(category="timeout", blocker=None, pack=context.pack or DEFAULT_PACK, python=context.python,
                  target_python=DEFAULT_TARGET_PYTHON, installer=context.installer or "pip",
                  platform=context.platform or "", seconds=seconds, step=step, strategy=context.strategy,
                  shell="powershell" if context.platform == "windows" else "posix")
    next_action, manual = advise(facts)
    return Diagnosis(category=Category.TIMEOUT, blocker=None, next_action=next_action, manual_fallback=manual,
                     evidence=(f"{step}: no result after {seconds:.0f} s",),
                     summary=f"{step} timed out after {seconds:.0f} s")


def interpreter_unavailable(python: str, tried: Sequence[str],
                            context: Optional[DiagnoseContext] = None) -> Diagnosis:
    """No interpreter for ``python`` was found in any of the places ``tried``."""
    context = context or DiagnoseContext()
    facts = Facts(category="interpreter-unavailable", blocker=f"Python {python}", pack=context.pack or DEFAULT_PACK,
                  python=python, target_python=DEFAULT_TARGET_PYTHON, installer=context.installer or "uv",
                  platform=context.platform or "")
    next_action, manual = advise(facts)
    evidence = tuple(_shorten(str(t).strip()) for t in tried if str(t).strip())[:MAX_EVIDENCE]
    return Diagnosis(category=Category.INTERPRETER_UNAVAILABLE, blocker=f"Python {python}", next_action=next_action,
                     manual_fallback=manual, evidence=evidence or (f"no interpreter for Python {python}",),
                     summary=f"no Python {python} interpreter found")
