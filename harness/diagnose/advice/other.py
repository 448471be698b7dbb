"""Advice when no category fits: still the most probable cause the evidence names."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose.advice.base import Facts, bare_pip, distribution, on_windows, q, venv_pip


def other_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "module-not-installed" and re.search(r"site-packages[\\/]pyttsx[\\/]", f.log):
        return ("This is the old pyttsx, a Python 2 package whose driver import fails on Python 3: uninstall it and "
                f"install its successor pyttsx3 (`{bare_pip(f)} uninstall -y pyttsx`, `{bare_pip(f)} install pyttsx3`; "
                "on Windows it also needs pywin32), then `import pyttsx3`.",
                (f"{bare_pip(f)} uninstall -y pyttsx", f"{bare_pip(f)} install pyttsx3"))
    if f.rule == "module-not-installed" and f.blocker:
        dist = distribution(f.blocker)
        deps = (" The package was installed with --no-deps: install its pinned dependencies as well." if "--no-deps"
                in f.log else " If the package that imports it should have brought it, its metadata misses the "
                              "dependency: install it by hand (`pip check` lists what else is missing).")
        which = "where python" if on_windows(f) else "which python3"
        return (f"The module `{f.blocker}` is not installed in the Python that ran: install {dist} into that same "
                f"interpreter (`{bare_pip(f)} install {dist}`), and check that it is the one your tools live in "
                f"(`{which}`, `python -m pip -V`).{deps}",
                (f"{bare_pip(f)} install {dist}", f"{bare_pip(f)} check"))
    return ("No known failure pattern matched: read the evidence lines and the full log, then rerun the step "
            "verbosely.", (f"{venv_pip(f)} install -v {q(f.pack)}",))
