"""What to do about a diagnosis: one next action and the commands a user runs by hand.

The text is sharpened by what we know of the cell (its Python, installer and
platform) and by what the log showed (the blocker, the Python to move to, a
URL). Commands are the ones a user would type: ``uv`` commands when the cell
used uv, ``pip`` ones otherwise, Windows spellings on Windows.

One module per family; ``base`` holds the facts and the shell spellings they share.
"""
from __future__ import annotations

from typing import Callable, Dict, Tuple

from harness.diagnose.advice.apps import app_note
from harness.diagnose.advice.base import DEFAULT_PACK, GCS_OVERRIDE, SUPPORTED_PYTHONS, Facts, windows_note
from harness.diagnose.advice.build import backend_advice, metadata_advice, msvc_advice, source_build_advice
from harness.diagnose.advice.network import network_advice, ssl_advice, timeout_advice
from harness.diagnose.advice.notes import bits_note, conda_note, long_path_note, new_python_note, old_pip_first
from harness.diagnose.advice.other import other_advice
from harness.diagnose.advice.python import (
    conda_env_advice,
    interpreter_advice,
    python_32_bit_advice,
    python_version_advice,
    wrong_interpreter_advice,
)
from harness.diagnose.advice.resolve import backtracking_advice, conflict_advice
from harness.diagnose.advice.runtime import (
    avx_advice,
    dll_advice,
    ffmpeg_advice,
    model_advice,
    numpy_abi_advice,
    wrong_ffmpeg_advice,
)
from harness.diagnose.advice.wheels import (
    arm_advice,
    arm_note,
    long_path_advice,
    no_wheel_advice,
    permission_advice,
    pip_outdated_advice,
)

__all__ = ["ADVICE", "DEFAULT_PACK", "SUPPORTED_PYTHONS", "Facts", "advise", "with_platform_notes"]

ADVICE: Dict[str, Callable[[Facts], Tuple[str, Tuple[str, ...]]]] = {
    "python-version-unsupported": python_version_advice,
    "no-wheel-for-platform": no_wheel_advice,
    "dependency-conflict": conflict_advice,
    "msvc-build-tools-missing": msvc_advice,
    "source-build-failed": source_build_advice,
    "metadata-generation-failed": metadata_advice,
    "build-backend-missing": backend_advice,
    "long-path": long_path_advice,
    "pip-outdated": pip_outdated_advice,
    "network-or-index": network_advice,
    "ffmpeg-missing": ffmpeg_advice,
    "dll-load-failed": dll_advice,
    "model-download-failed": model_advice,
    "interpreter-unavailable": interpreter_advice,
    "timeout": timeout_advice,
    "numpy-abi": numpy_abi_advice,
    "resolver-backtracking": backtracking_advice,
    "ssl-certificate": ssl_advice,
    "cpu-without-avx": avx_advice,
    "wrong-ffmpeg-package": wrong_ffmpeg_advice,
    "wrong-interpreter": wrong_interpreter_advice,
    "conda-env-conflict": conda_env_advice,
    "python-32-bit": python_32_bit_advice,
    "permission-denied": permission_advice,
    "other": other_advice,
}


def advise(facts: Facts) -> Tuple[str, Tuple[str, ...]]:
    """(next action, manual fallback commands) for a diagnosis."""
    action, manual = ADVICE.get(facts.category, other_advice)(facts)
    return with_platform_notes(facts, arm_advice(facts) or action), manual


def with_platform_notes(facts: Facts, action: str) -> str:
    """Any advice that ends in installing the pack, on Windows, says how (the gcs-filesystem override); advice
    for an application that pins its own packages names the Python it is made for; a 32-bit Python or a conda
    environment the log shows adds what it changes, as does a Python newer than most wheels (:mod:`~harness.diagnose.advice.notes`)."""
    action += (bits_note(facts, action) + new_python_note(facts, action) + long_path_note(facts, action)
               + conda_note(facts, action))
    if facts.pack in action and GCS_OVERRIDE not in action:
        action += windows_note(facts)
    arm = arm_note(facts)
    if arm not in action:  # arm_advice has said it already
        action += arm
    return old_pip_first(facts, action) + app_note(facts, action)
