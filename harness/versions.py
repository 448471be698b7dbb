"""Versions, specifiers and requirement names: the harness's one home for PEP 440 and PEP 508.

Everything here is ``packaging`` (the library pip and uv's metadata follow), wrapped only where the
harness must be more tolerant than the standard: a sort key that never raises (folder names like
``3.13.0t``, versions scraped from a log), specifiers that count pre-releases (a ``numpy 2.0.0rc1``
already has numpy 2's ABI), and requirement names read from free text.

The probe scripts that run *inside* target interpreters (``python -c`` in preflight and provision)
cannot import this: a bare interpreter has no ``packaging``. They report raw strings; this module
interprets them on the harness's side.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

__all__ = [
    "Version", "VersionKey", "parse_version", "version_key", "base_version", "parse_specifiers", "satisfies",
    "canonical", "requirement_name", "split_requirement", "PIN", "pin",
]

# (1, version) for a version; (0, 0) for text with no version in it, so it sorts first and never raises.
VersionKey = Tuple[int, Version]
_NO_VERSION: VersionKey = (0, Version("0"))
_LEADING_RELEASE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)")
# A requirement at the start of free text (a log line, a backticked name): name, extras, then a specifier.
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REQUIREMENT_PREFIX = re.compile(rf"^(?P<name>{_NAME})(?:\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?|===)[^;\s`'\"]*)?")
# A pinned line of a lock, a freeze or uv's compile output: ``name[extras]==version`` (markers after it ignored).
PIN = re.compile(rf"^(?P<name>{_NAME})(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")
# Old metadata writes ">=3.6.*"; packaging 22 rejects it, pip's legacy parser read it as ">=3.6".
_ORDERED_WILDCARD = re.compile(r"^\s*(>=|<=|>|<|~=)\s*([^,]*?)\.\*\s*$")


def parse_version(text: str) -> Version:
    """A PEP 440 version; ValueError (``InvalidVersion``) when ``text`` is not one."""
    try:
        return Version(text.strip())
    except InvalidVersion:
        raise InvalidVersion(f"not a version: {text!r}") from None


def version_key(text: str) -> VersionKey:
    """A sort key for any string: PEP 440 order (``3.9 < 3.10``, ``2.5.0rc1 < 2.5.0``, ``3.12 == 3.12.0``).

    Text that is no version sorts by its leading release (``3.13.0t`` as ``3.13.0``), and text with
    no digits at the start sorts before every version.
    """
    try:
        return (1, Version(text.strip()))
    except InvalidVersion:
        match = _LEADING_RELEASE.match(text)
        return (1, Version(match.group(1))) if match else _NO_VERSION


def base_version(text: str) -> Version:
    """The release alone: ``2.0.0rc1+local`` -> ``2.0.0``; ValueError when not a version."""
    return Version(parse_version(text).base_version)


def _clauses(spec: str) -> Tuple[str, ...]:
    return tuple(piece.strip() for piece in spec.split(","))


def parse_specifiers(spec: str) -> SpecifierSet:
    """``">=3.8,<3.12"`` as a SpecifierSet; ValueError naming the bad clause (also an empty one: ``"<1.24,"``)."""
    for clause in _clauses(spec):
        try:
            Specifier(clause)
        except InvalidSpecifier:
            raise InvalidSpecifier(f"not a version specifier: {clause!r} in {spec!r}") from None
    return SpecifierSet(spec)


def _lenient(spec: str) -> SpecifierSet:
    clauses = [_ORDERED_WILDCARD.sub(r"\1\2", clause) for clause in _clauses(spec) if clause]
    return SpecifierSet(",".join(clauses))


def satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` meets every clause of ``spec`` (an empty spec: yes).

    Pre-releases count (a ``2.0.0rc1`` *is* at least ``2.0``); a version or spec that does not parse
    satisfies nothing. Local labels are ignored unless the spec names one (``1.24.3+cpu`` is ``<=1.24.3``).
    """
    try:
        return _lenient(spec).contains(Version(version.strip()), prereleases=True)
    except (InvalidVersion, InvalidSpecifier):
        return False


def canonical(name: str) -> str:
    """The PEP 503 name: lower case, each run of ``-_.`` one ``-`` (``Tensorflow_IO-GCS`` -> ``tensorflow-io-gcs``)."""
    return str(canonicalize_name(name))


def requirement_name(text: str) -> str:
    """The distribution name of a requirement as spelled: ``"httpx[http2]==0.19.0; python_version<'3.9'"``
    -> ``"httpx"``. Text that is not a PEP 508 requirement (a path, a URL fragment) gives its first word."""
    try:
        return Requirement(text.strip()).name
    except InvalidRequirement:
        return re.split(r"[\s<>=!~;\[]", text.strip(), maxsplit=1)[0]


def split_requirement(text: str) -> Tuple[Optional[str], str]:
    """A requirement at the start of ``text``, as (canonical name, specifier): a log's
    ``"`tensorflow_io_gcs_filesystem==0.32.0`,"`` -> ``("tensorflow-io-gcs-filesystem", "==0.32.0")``.

    Free text, not a requirements file: quotes and trailing punctuation are dropped, and whatever
    follows the specifier (a marker, the rest of the sentence) is ignored. No name: ``(None, "")``.
    """
    match = _REQUIREMENT_PREFIX.match(text.strip().strip("`'\",;"))
    if not match:
        return None, ""
    return canonical(match.group("name")), (match.group("spec") or "").rstrip(",;.)")


def pin(text: str) -> Optional[Tuple[str, str]]:
    """``"numpy==1.24.3 ; python_version >= '3.8'"`` -> ``("numpy", "1.24.3")`` (name canonical); None: no pin."""
    match = PIN.match(text.strip())
    return (canonical(match.group("name")), match.group("version")) if match else None
