"""Tiny real wheels for offline installs in the unit tests."""
from __future__ import annotations

import zipfile
from pathlib import Path


def tiny_wheel(folder: Path, value: bytes, name: str = "tinypkg") -> Path:
    """A wheel of one module; ``value`` is its whole source."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-1.0-py3-none-any.whl"
    files = {f"{name}/__init__.py": value,
             f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode(),
             f"{name}-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                           b"Tag: py3-none-any\n"}
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
        archive.writestr(f"{name}-1.0.dist-info/RECORD", "".join(f"{n},,\n" for n in files) +
                         f"{name}-1.0.dist-info/RECORD,,\n")
    return path
