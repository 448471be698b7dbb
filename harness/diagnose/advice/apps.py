"""Applications whose installers pin their own torch/TensorFlow: the Python each documents.

A launcher such as stable-diffusion-webui installs a pinned torch into its own venv; when that pin has no
wheel for the user's Python, the way out is the Python the application documents, not the newest one
the pinned package happens to support.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

from harness.diagnose.advice.base import Facts, on_windows

# (what the application is called, the Python its install guide names, how its logs show it)
APPS: Tuple[Tuple[str, str, str], ...] = (
    ("stable-diffusion-webui", "3.10.6",
     r"stable-diffusion-webui|webui-user\.(?:bat|sh)|launch_utils\.py"
     r"|^Commit hash: [0-9a-f]{40}\s*\n(?:[^\n]*\n)?Installing torch and torchvision"),
    ("Fooocus", "3.10", r"\bFooocus\b"),
    ("kohya_ss", "3.10", r"\bkohya_ss\b"),
)

WHERE = ("python-version-unsupported", "no-wheel-for-platform", "python-32-bit")


def app_python(log: str) -> Optional[Tuple[str, str]]:
    """(application, the Python it documents) when the log comes from one of :data:`APPS`."""
    for name, python, pattern in APPS:
        if re.search(pattern, log, re.MULTILINE):
            return name, python
    return None


def app_note(f: Facts, action: str) -> str:
    """The application's own Python, named when a pin it installs has no wheel for the user's."""
    found = app_python(f.log) if f.category in WHERE else None
    if not found:
        return action
    name, python = found
    minor = ".".join(python.split(".")[:2])
    if f.python and f.python.startswith(minor) or f"Python {python}" in action:
        return action
    bits = " (64-bit)" if f.bits == 32 else ""
    again = " (then run webui-user.bat again)" if on_windows(f) else ""
    return (f"Use Python {python}{bits}: {name} is made for it (its install guide) and pins packages for it - install "
            f"Python {python}, delete its venv folder and start it again{again} so it builds the venv with that Python. "
            f"About the pin itself: {action}")
