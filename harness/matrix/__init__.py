"""matrix.yaml: schema, loading and validation.

The file is parsed twice from the same text: ``yaml.compose`` (safe: it only
builds nodes) gives every key its line number, and ``yaml.safe_load`` gives the
values. Validation collects *all* problems before it raises, each phrased as
``matrix.yaml:12: strategies[1].args: expected a list of strings``, so a user
fixes the file in one pass; nothing runs while the file is invalid.

The package: :mod:`.model` (the records), :mod:`.parse` (YAML with lines and
limits), :mod:`.schema` (the checker that builds the records); loading is here.
"""
from __future__ import annotations

from pathlib import Path

from harness.errors import MatrixError
from harness.files import FileTooLarge, read_capped
from harness.matrix.model import (
    DEFAULT_TIMEOUTS,
    FALLBACK_STRATEGY,
    ID_RE,
    INSTALLERS,
    OPT_INS,
    PYTHON_RE,
    InstallStep,
    Matrix,
    Pack,
    Strategy,
)
from harness.matrix.parse import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_NODES, compose, line_index
from harness.matrix.schema import Checker, line_of
from harness.versions import requirement_name

__all__ = [
    "DEFAULT_TIMEOUTS", "FALLBACK_STRATEGY", "ID_RE", "INSTALLERS", "OPT_INS", "PYTHON_RE", "MAX_ALIASES",
    "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "InstallStep", "Matrix", "Pack", "Strategy", "load", "loads",
    "requirement_name",
]


def load(path: Path) -> Matrix:
    """Read and validate a matrix file; raise MatrixError listing every problem."""
    path = Path(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except FileTooLarge:
        raise MatrixError([f"{path.name}:1: the file is larger than {MAX_BYTES // 1024} KiB; "
                           "a matrix is a few kilobytes of YAML"]) from None
    except OSError as exc:
        raise MatrixError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise MatrixError([f"{path.name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file "
                           "as UTF-8"]) from None
    return loads(text, path)


def loads(text: str, path: Path) -> Matrix:
    if len(text) > MAX_BYTES:
        raise MatrixError([f"{path.name}:1: the text is longer than {MAX_BYTES // 1024} KiB"])
    node, data = compose(text, path.name)
    checker = Checker(path, line_index(node))
    matrix = checker.matrix(data, path)
    if checker.errors:
        raise MatrixError(sorted(checker.errors, key=line_of))
    assert matrix is not None
    return matrix
