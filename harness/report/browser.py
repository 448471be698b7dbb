"""A headless Chromium for the report page: its DOM after the scripts ran, and a screenshot.

Started with the flags that keep it off the network (no background fetches, component updates,
sync or first-run pages) and with a throwaway profile, so it behaves the same on a CI runner, a
developer's machine and in the tests.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence

from harness.errors import HarnessError
from harness.proc import run_capture

BROWSER_ENV = "SPLEETER_MATRIX_BROWSER"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
OFFLINE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio")
TIMEOUT = 120  # s; a cold start on a loaded 2-core machine takes a few


class BrowserError(HarnessError):
    """No browser, or it did not render the page."""


def find_browser() -> Optional[str]:
    """``$SPLEETER_MATRIX_BROWSER``, else the first Chromium on PATH."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen:
        return shutil.which(chosen) or chosen
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(page: Path, action: Sequence[str], fragment: str = "", browser: Optional[str] = None) -> str:
    binary = browser or find_browser()
    if binary is None:
        raise BrowserError(f"no Chromium found (tried {', '.join(CANDIDATES)}; set ${BROWSER_ENV}); "
                           "install it with: apt-get install chromium")
    url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    with tempfile.TemporaryDirectory(prefix="matrix-browser-") as profile:
        argv: List[str] = [binary, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *action, url]
        code, out, err = run_capture(argv, TIMEOUT)
    if code != 0:
        raise BrowserError(f"{Path(binary).name} exited {code} on {url}: {err.strip()[-400:]}")
    return str(out)


def dump_dom(page: Path, fragment: str = "", browser: Optional[str] = None) -> str:
    """The page's DOM as serialised after its scripts ran (``#fragment`` appended to the URL)."""
    return _run(page, ["--dump-dom"], fragment, browser)


def screenshot(page: Path, target: Path, size: str = "1400,2400", browser: Optional[str] = None) -> Path:
    """A PNG of the page's first ``size`` pixels (width,height)."""
    target = Path(target).resolve()
    target.unlink(missing_ok=True)
    _run(page, [f"--screenshot={target}", f"--window-size={size}"], browser=browser)
    if not target.is_file() or target.stat().st_size == 0:
        raise BrowserError(f"the browser wrote no screenshot to {target}")
    return target
