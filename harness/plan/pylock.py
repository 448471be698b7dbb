"""Hash-pinned locks of an install plan: PEP 751 ``pylock.toml`` and a hashed ``requirements.txt``.

A lock names one file per distribution: the wheel the planning resolver chose
for one Python on one platform, with its sha256. ``pylock.toml`` is the
standard form (uv installs it; pip writes it); the requirements file is for
every pip since 8.0: ``name==version --hash=sha256:...`` with ``--no-deps``
and ``--require-hashes``, so pip takes exactly that file or nothing.

:func:`check_lock` is what stands between a lock and an install: every entry
hashed, every wheel installable by the target interpreter.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

from harness.diagnose.reqs import canonical
from harness.results import Distribution
from harness.versions import pin

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.8-3.10
    import tomli as tomllib

TOOL = "spleeter-matrix"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HASH = re.compile(r"--hash[= ]sha256:(?P<sha>\S+)")
_FILE = re.compile(r"#\s*file:\s*(?P<file>\S+)")


class LockError(ValueError):
    """A lock that must not be installed: the message names the file, the entry and what is wrong."""


@dataclass(frozen=True)
class LockEntry:
    """One pinned file of a lock; ``line`` is where it is written (for error messages)."""

    name: str
    version: str
    filename: str
    url: str
    sha256: str
    line: int = 0

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")


def wheel_tags(filename: str) -> Tuple[str, ...]:
    """``pkg-1.0-cp310-cp310-win_amd64.whl`` -> ("cp310-cp310-win_amd64",); compressed tag sets expanded."""
    stem = filename[:-4] if filename.endswith(".whl") else filename
    parts = stem.split("-")
    if len(parts) not in (5, 6):
        raise LockError(f"{filename}: not a wheel file name (name-version[-build]-python-abi-platform.whl)")
    pythons, abis, platforms = parts[-3].split("."), parts[-2].split("."), parts[-1].split(".")
    return tuple(f"{p}-{a}-{pl}" for p in pythons for a in abis for pl in platforms)


# ------------------------------------------------------------------ writing
def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return _toml_string(str(value))


def render_pylock(distributions: Sequence[Distribution], environment: str, requires_python: str,
                  tool: Mapping[str, Any]) -> str:
    """PEP 751 text: one ``[[packages]]`` per distribution, its one wheel (or sdist) with url and sha256."""
    lines = ['lock-version = "1.0"', f"environments = [{_toml_string(environment)}]",
             f"requires-python = {_toml_string(requires_python)}", f'created-by = "{TOOL}"', ""]
    for dist in sorted(distributions, key=lambda d: d.name):
        lines += ["[[packages]]", f"name = {_toml_string(dist.name)}", f"version = {_toml_string(dist.version)}"]
        entry = {"name": dist.filename, "url": dist.url, "hashes": {"sha256": dist.sha256}}
        if dist.filename.endswith(".whl"):
            lines.append(f"wheels = [{_toml_value(entry)}]")
        else:
            lines.append(f"sdist = {_toml_value(entry)}")
        lines.append("")
    lines.append(f"[tool.{_toml_string(TOOL)}]")
    lines += [f"{key} = {_toml_value(value)}" for key, value in tool.items()]
    return "\n".join(lines) + "\n"


def render_requirements(distributions: Sequence[Distribution], header: Iterable[str]) -> str:
    """``name==version --hash=sha256:...`` per distribution, each preceded by the file it must be."""
    lines = [f"# {h}" for h in header]
    lines += ["# install: pip install --no-deps --require-hashes -r THIS_FILE", ""]
    for dist in sorted(distributions, key=lambda d: d.name):
        lines.append(f"# file: {dist.filename}")
        lines.append(f"{dist.name}=={dist.version} --hash=sha256:{dist.sha256}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ reading
def read_lock(path: Path) -> Tuple[Tuple[LockEntry, ...], Dict[str, Any]]:
    """(entries, the ``[tool.spleeter-matrix]`` table) of a pylock.toml or a hashed requirements file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LockError(f"{path}: cannot read the lock: {exc.strerror or exc}") from None
    if Path(path).suffix == ".toml":
        return _read_pylock(path, text)
    return _read_requirements(path, text), {}


def _read_pylock(path: Path, text: str) -> Tuple[Tuple[LockEntry, ...], Dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LockError(f"{path}: not valid TOML: {exc}") from None
    if str(data.get("lock-version", "")).split(".")[0] != "1":
        raise LockError(f"{path}: lock-version {data.get('lock-version')!r} is not a PEP 751 version 1.x lock")
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[packages]]"]
    entries = []
    for index, package in enumerate(data.get("packages", ())):
        line = starts[index] if index < len(starts) else 0
        files = list(package.get("wheels") or ()) or ([package["sdist"]] if package.get("sdist") else [])
        if not files:
            raise LockError(f"{path}:{line}: {package.get('name')}: no wheel and no sdist to install")
        chosen = files[0]
        url = str(chosen.get("url", ""))
        filename = str(chosen.get("name") or url.rsplit("/", 1)[-1])
        sha = str((chosen.get("hashes") or {}).get("sha256", ""))
        entries.append(LockEntry(canonical(str(package.get("name", ""))), str(package.get("version", "")),
                                 filename, url, sha, line))
    tool = data.get("tool", {}).get(TOOL, {})
    return tuple(entries), dict(tool)


def _read_requirements(path: Path, text: str) -> Tuple[LockEntry, ...]:
    entries, filename = [], ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        found = _FILE.match(line)
        if found:
            filename = found.group("file")
            continue
        if not line or line.startswith("#"):
            continue
        pinned = pin(line)
        if not pinned:
            raise LockError(f"{path}:{number}: {line!r} is not a pinned requirement (name==version --hash=...)")
        sha = _HASH.search(line)
        entries.append(LockEntry(pinned[0], pinned[1], filename, "",
                                 sha.group("sha") if sha else "", number))
        filename = ""
    return tuple(entries)


# ------------------------------------------------------------------ checking
def check_lock(path: Path, entries: Sequence[LockEntry], supported_tags: Sequence[str],
               interpreter: str = "this interpreter") -> None:
    """Raise LockError, naming every bad entry, unless each one is hashed and installable here."""
    if not entries:
        raise LockError(f"{path}: the lock pins no distribution")
    supported = set(supported_tags)
    problems: List[str] = []
    for entry in entries:
        where = f"{path}:{entry.line}: {entry.name} {entry.version}"
        if not _SHA256.match(entry.sha256):
            problems.append(f"{where}: no sha256 hash (a lock installs only with --require-hashes)")
        if entry.is_wheel:
            tags = wheel_tags(entry.filename)
            if not supported.intersection(tags):
                problems.append(f"{where}: {entry.filename} is tagged {', '.join(tags)}; "
                                f"{interpreter} installs none of these tags (a lock for another platform or Python?)")
        elif entry.filename:
            problems.append(f"{where}: {entry.filename} is an sdist: a lock installs wheels only")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise LockError("\n".join(problems[:5]) + more)


def header_lines(platform_tag: str, python: str, strategy: str, source: str) -> List[str]:
    today = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")
    return [f"{TOOL} lock for CPython {python} on {platform_tag} ({today})",
            f"planned by {source}, strategy {strategy}; every file pinned by sha256"]


def distributions_of(path: Path) -> Tuple[Distribution, ...]:
    """The files a lock (ours, or ``uv pip compile --format pylock.toml``) pins, as plan distributions."""
    entries, _ = read_lock(path)
    return tuple(Distribution(e.name, e.version, e.filename, e.url, e.sha256) for e in entries)
