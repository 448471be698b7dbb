"""Reading files a user hands us: regular files only, and never more than a bound.

A FIFO blocks the reader until someone writes, ``/dev/zero`` never ends, and a
200 MB log read whole costs memory for nothing: every file the harness reads on
a user's say-so (matrix.yaml, a log to diagnose, a cell JSON, a log tail) goes
through here. Imports nothing from the package, so any module can use it.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """A FIFO, a device, a socket or a directory where a file was expected."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file (it is a {kind})", str(path))


class FileTooLarge(OSError):
    """A file over the size its reader accepts."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size} bytes is more than the {limit} this file may have", str(path))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def regular_size(path: Path) -> int:
    """The size of ``path``; :class:`NotRegularFile` unless it is a regular file (checked without opening it)."""
    mode = os.stat(path).st_mode  # stat, not open: opening a FIFO would block
    if not stat.S_ISREG(mode):
        raise NotRegularFile(Path(path), _kind(mode))
    return os.stat(path).st_size


def read_capped(path: Path, limit: int) -> bytes:
    """The whole file, refusing one over ``limit`` bytes (a file can grow while we read: read at most limit + 1)."""
    size = regular_size(path)
    if size > limit:
        raise FileTooLarge(Path(path), size, limit)
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(Path(path), len(data), limit)
    return data


def read_head_tail(path: Path, head: int, tail: int) -> bytes:
    """The first ``head`` and last ``tail`` bytes (the whole file when it is smaller than both).

    Both cuts fall on even offsets, so a UTF-16 log (PowerShell's ``>``) stays
    decodable when its middle is dropped.
    """
    head, tail = head - head % 2, tail - tail % 2
    size = regular_size(path)
    with open(path, "rb") as handle:
        if size <= head + tail:
            return handle.read(head + tail)
        first = handle.read(head)
        start = size - tail
        handle.seek(start - start % 2)  # one byte earlier when odd: the tail still ends at the end
        return first + handle.read(tail + start % 2)


def read_tail(path: Path, tail: int) -> bytes:
    """The last ``tail`` bytes of a regular file."""
    size = regular_size(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - tail))
        return handle.read(tail)
