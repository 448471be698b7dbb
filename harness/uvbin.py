"""Which uv runs the cells: the one this package pins, not whatever uv is first on PATH.

On GitHub's runners setup-uv puts its uv on PATH, and a nox session puts its
venv's ``Scripts\\`` (with the ``uv`` that pip resolved for the harness) in front
of it; a cell that reproduces on a developer's machine needs the same uv
there. So the default is the binary of the ``uv`` package installed beside the
harness (pinned in pyproject.toml), with ``--uv`` / ``$SPLEETER_MATRIX_UV`` to
override it and PATH only as the last resort.
"""
from __future__ import annotations

import os
import shutil

UV_ENV = "SPLEETER_MATRIX_UV"


def default_uv() -> str:
    explicit = os.environ.get(UV_ENV)
    if explicit:
        return explicit
    try:
        from uv import find_uv_bin  # the uv wheel's own locator: <env>/bin/uv or <env>\Scripts\uv.exe

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv") or "uv"
