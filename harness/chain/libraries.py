"""The harness's own ``chain`` extra: what the chain's stages import in the harness env, checked before a run."""
from __future__ import annotations

import re
from typing import Callable, List, Optional, Sequence

from harness.errors import UsageError
from harness.matrix import requirement_name


def chain_libraries_missing(requires: Optional[Callable[[], Sequence[str]]] = None,
                            installed: Optional[Callable[[str], bool]] = None) -> List[str]:
    """The harness's ``chain`` extra that is not installed here (a plain ``pip install -e .`` has none of it).

    Read from the package's own metadata, so the list is pyproject's. Requirements with a further
    marker (``; sys_platform == "win32"``) are not demanded. Run from a source tree that was never
    installed, only the two libraries every chain run imports are checked.
    """
    import importlib.metadata as metadata
    import importlib.util

    def from_metadata() -> Sequence[str]:
        try:
            return metadata.requires("spleeter-matrix") or ()
        except metadata.PackageNotFoundError:
            return ()

    def has_distribution(name: str) -> bool:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return False
        return True

    chain = [r for r in (requires or from_metadata)() if ";" in r and
             re.fullmatch(r"""\s*extra\s*==\s*["']chain["']\s*""", r.split(";", 1)[1])]
    if chain:
        return [requirement_name(r) for r in chain if not (installed or has_distribution)(requirement_name(r))]
    return [m for m in ("numpy", "scipy") if importlib.util.find_spec(m) is None]


def check_chain_libraries(missing: Sequence[str]) -> None:
    """Refuse a run whose first chain would crash on an import, before any cell installs TensorFlow."""
    if missing:
        raise UsageError(f"the smoke chain needs the harness's `chain` extra; missing here: {', '.join(missing)}. "
                         "Install it (pip install -e '.[chain]' in the repository, or "
                         "pip install 'spleeter-matrix[chain]'), or run with --no-chain")
