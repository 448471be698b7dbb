"""The one home of versions, specifiers and requirement names (harness.versions).

The cases are the ones the four orderings and the name parsers it replaced handled (preflight's
PEP 440 subset, diagnose.reqs, results.version_key, provision._patch_key, matrix.requirement_name).
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

import pytest

from harness import versions
from harness.versions import (
    base_version,
    canonical,
    parse_specifiers,
    parse_version,
    requirement_name,
    satisfies,
    split_requirement,
    version_key,
)


@pytest.mark.parametrize("older, newer", [
    ("3.9", "3.10"),  # numbers, not text: "3.10" < "3.9" as strings
    ("3.1", "3.10"),
    ("3.10.2", "3.10.13"),
    ("3.11.7", "3.12"),
    ("19.2.3", "19.3"),
    ("20.2.4", "20.3"),
    ("2.0.0rc1", "2.0.0"),  # pre-releases first
    ("2.5.0rc1", "2.5.0rc2"),
    ("1.0.dev0", "1.0a1"),  # a dev release before the first alpha
    ("1.0", "1.0.post1"),
    ("69.0.3", "69.0.3.post1"),
    ("1.24.3", "1.24.3+local"),  # a local label sorts after its public version (PEP 440)
    ("", "0"),  # no version at all sorts first
    ("three", "0.1"),
])
def test_version_order(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


@pytest.mark.parametrize("left, right", [
    ("3.12", "3.12.0"), ("v1.0", "1.0"), ("2.3", "2.3.0.0"), ("1.0-1", "1.0.post1"),
])
def test_equal_versions(left: str, right: str) -> None:
    assert version_key(left) == version_key(right)


def test_sorting_pythons_newest_first() -> None:
    assert sorted(["3.8", "3.10", "3.9", "3.11", "2.7"], key=version_key, reverse=True) == \
        ["3.11", "3.10", "3.9", "3.8", "2.7"]


def test_folder_names_that_are_not_versions_sort_by_their_release() -> None:
    # pyenv folders: a free-threaded build, a dev checkout; the old _patch_key read their digits.
    assert version_key("3.13.0t") == version_key("3.13.0")
    assert version_key("3.10.13") > version_key("3.10.2-foo") > version_key("3.9.18")


@pytest.mark.parametrize("text", ["latest", "3.8+", "", "1..2"])
def test_parse_version_rejects_non_versions(text: str) -> None:
    with pytest.raises(ValueError, match="not a version"):
        parse_version(text)


def test_base_version() -> None:
    assert base_version("2.0.0rc1+local") == parse_version("2")  # numpy 2.0.0rc1 already has numpy 2's ABI
    assert base_version("1.26.4.post1") == parse_version("1.26.4")


@pytest.mark.parametrize("version, spec, expected", [
    ("3.8.18", ">=3.8,<3.12", True),
    ("3.11.7", ">=3.8,<3.12", True),
    ("3.12.0", ">=3.8,<3.12", False),
    ("3.7.16", ">=3.8,<3.12", False),
    ("2.4.2", "<3.12,>=3.8", False),
    ("1.24.3", ">=1.22,<=1.24.3", True),
    ("1.24.4", ">=1.22,<=1.24.3", False),
    ("1.24.3+cpu", ">=1.22,<=1.24.3", True),  # specifiers ignore local labels
    ("1.24.0rc1", ">=1.22,<=1.24.3", True),  # pre-releases count
    ("2.5.0rc1", ">=2.5.0", False),
    ("3.12.0rc1", "<3.12", False),  # PEP 440: "<3.12" excludes 3.12's own pre-releases
    ("3.10.4", "==3.10.*", True),
    ("3.1.4", "==3.10.*", False),
    ("3.10.4", "!=3.10.*", False),
    ("2.12.1", "==2.12.*", True),
    ("2.2.1", "~=2.2", True),
    ("3.0", "~=2.2", False),
    ("1.19.5", "~=1.19.2", True),
    ("1.20.0", "~=1.19.2", False),
    ("1.9.0", "~=1.4.0", False),  # ~=1.4.0 is 1.4.*, not 1.*
    ("0.37.1", "==0.37.1", True),
    ("0.37.1", "== 0.37.1", True),
    ("1.0", "===1.0", True),
    ("3.7.1", ">=3.6.*", True),  # old metadata's spelling, read as ">=3.6"
    ("3.5.9", ">=3.6.*", False),
    ("1.0", "", True),
    ("junk", ">=1", False),
    ("1.0", "bogus", False),
])
def test_satisfies(version: str, spec: str, expected: bool) -> None:
    assert satisfies(version, spec) is expected


def test_parse_specifiers_accepts_what_a_matrix_writes() -> None:
    assert str(parse_specifiers(">=3.8,<3.12")) in ("<3.12,>=3.8", ">=3.8,<3.12")
    assert len(parse_specifiers("==3.10.*")) == 1


@pytest.mark.parametrize("spec, bad", [("3.8+", "'3.8+'"), ("<1.24,", "''"), ("", "''"), (">=3.8,,<4", "''")])
def test_parse_specifiers_names_the_bad_clause(spec: str, bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"not a version specifier: {bad} in")):
        parse_specifiers(spec)


@pytest.mark.parametrize("name, expected", [
    ("Tensorflow_IO-GCS", "tensorflow-io-gcs"),
    ("tensorflow_io_gcs_filesystem", "tensorflow-io-gcs-filesystem"),
    ("PyYAML", "pyyaml"),
    ("zope.interface", "zope-interface"),
    ("a__b--c..d", "a-b-c-d"),
])
def test_canonical(name: str, expected: str) -> None:
    assert canonical(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("httpx[http2]==0.19.0", "httpx"),
    ("spleeter[evaluation]>=2.4; python_version < '3.12'", "spleeter"),
    ("  Tensorflow_IO-GCS-filesystem ==0.31.0", "Tensorflow_IO-GCS-filesystem"),  # as spelled, not canonical
    ("numpy<2,>=1.22", "numpy"),
    ("tensorflow", "tensorflow"),
    ("pkg @ https://example.invalid/pkg-1.0-py3-none-any.whl", "pkg"),
    ("./wheels/pkg-1.0-py3-none-any.whl", "./wheels/pkg-1.0-py3-none-any.whl"),  # not PEP 508: the first word
])
def test_requirement_name(text: str, expected: str) -> None:
    assert requirement_name(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("tensorflow_io_gcs_filesystem==0.32.0", ("tensorflow-io-gcs-filesystem", "==0.32.0")),
    ("`jax>=0.3.15`,", ("jax", ">=0.3.15")),
    ("numpy[extra]>=1.22,<2; python_version >= '3.8'", ("numpy", ">=1.22,<2")),
    ("llvmlite==0.39.1)", ("llvmlite", "==0.39.1")),
    ("Tensorflow_IO-GCS", ("tensorflow-io-gcs", "")),
    ("-- not a requirement", (None, "")),
])
def test_split_requirement(text: str, expected: Tuple[Optional[str], str]) -> None:
    assert split_requirement(text) == expected


def test_everything_exported_exists() -> None:
    missing: List[str] = [name for name in versions.__all__ if not hasattr(versions, name)]
    assert missing == []
