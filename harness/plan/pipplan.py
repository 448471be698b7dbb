"""pip's own plan for another platform: the dry-run argv and the files its ``--report`` names.

``pip install --dry-run --report FILE --platform TAG --only-binary=:all:``
resolves with pip's resolver for the target's wheel tags, downloads nothing
but metadata-bearing wheels into its cache, and writes the exact file of
every distribution (URL and sha256) to FILE. pip accepts ``--platform`` only
with ``--only-binary=:all:`` (or ``--no-deps``): it cannot build an sdist for
another platform. So every step plans wheels only, and a strategy that asks
for sources cannot be planned by pip at all (:func:`needs_sources`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

from harness.diagnose.reqs import canonical
from harness.install.commands import PIP_COMMON
from harness.plan.targets import TargetPlatform
from harness.results import Distribution

# Step args that mean "build from source": pip cannot plan them for another platform.
SOURCE_ARGS = ("--only-binary=:none:", "--no-binary")
# Metadata by HTTP range requests instead of whole wheels: a TensorFlow plan otherwise downloads
# ~400 MB per Python (this index serves no PEP 658 metadata files); the report's URLs and hashes are the same.
FAST_DEPS = "--use-feature=fast-deps"
# Step args with no meaning in a wheel-only dry run (nothing is built, nothing exists to upgrade).
_DROPPED = ("--no-build-isolation", "--upgrade", "-U")


def needs_sources(args: Sequence[str]) -> Optional[str]:
    """Why pip cannot plan these step args for another platform, or None when it can."""
    for arg in args:
        if any(arg == flag or arg.startswith(flag + "=") for flag in SOURCE_ARGS) or arg.startswith("--no-binary"):
            return (f"needs sdists ({arg}): pip plans another platform from wheels only "
                    "(--platform requires --only-binary=:all:)")
    return None


def _step_args(args: Sequence[str]) -> List[str]:
    kept = []
    for arg in args:
        if arg in _DROPPED or arg.startswith("--only-binary"):
            continue
        kept.append(arg)
    return kept


def dry_run_argv(target: TargetPlatform, python: str, args: Sequence[str], requirements: Sequence[str],
                 marker_file: Path, report: Path, scratch: Path, python_exe: str = sys.executable) -> List[str]:
    """The driver call that makes pip plan ``requirements`` for ``target`` and CPython ``python``."""
    nodot = "".join(python.split(".")[:2])
    platforms = [a for tag in target.pip_platforms for a in ("--platform", tag)]
    return [python_exe, "-m", "harness.plan.pipdriver", str(marker_file), "--",
            "install", *PIP_COMMON, "--dry-run", "--ignore-installed", "--report", str(report),
            *platforms, "--python-version", python, "--implementation", "cp", "--abi", f"cp{nodot}",
            "--only-binary=:all:", "--target", str(scratch), FAST_DEPS, *_step_args(args), *requirements]


def question(argv: Sequence[str], requirements: Sequence[str]) -> Tuple[str, ...]:
    """The memo key of a dry run: its argv without the per-call file paths."""
    paths = {argv[argv.index("--report") + 1], argv[argv.index("--target") + 1], argv[3]}
    return tuple("<path>" if a in paths else a for a in argv) + ("--",) + tuple(requirements)


def filename_of(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def distributions_from_report(report: Mapping[str, Any]) -> Tuple[Distribution, ...]:
    """Every distribution pip would install, with its file (pip report format version 1)."""
    found = []
    for item in report.get("install", ()):
        meta, info = item.get("metadata", {}), item.get("download_info", {})
        url = str(info.get("url", ""))
        hashes = info.get("archive_info", {}).get("hashes", {})
        sha256 = hashes.get("sha256", "")
        if not sha256:
            legacy = str(info.get("archive_info", {}).get("hash", ""))
            sha256 = legacy.split("=", 1)[1] if legacy.startswith("sha256=") else ""
        found.append(Distribution(canonical(str(meta.get("name", ""))), str(meta.get("version", "")),
                                  filename_of(url), url, sha256))
    return tuple(sorted(found, key=lambda d: d.name))


def read_report(path: Path) -> Tuple[Distribution, ...]:
    return distributions_from_report(json.loads(path.read_text(encoding="utf-8")))


def versions_of(distributions: Sequence[Distribution]) -> Dict[str, str]:
    return {d.name: d.version for d in distributions}
