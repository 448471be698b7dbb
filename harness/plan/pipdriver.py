"""Run pip's resolver as if on another platform: ``python -m harness.plan.pipdriver ENV.json -- PIP-ARGS``.

pip's ``--platform``/``--python-version``/``--abi`` choose wheel tags, but pip
evaluates every environment marker for the host it runs on. From Linux it
therefore drops each Windows-only dependency (TensorFlow 2.12.1's
``tensorflow-intel`` among them) and reports a plan a Windows pip would never
make. pip has no option for that, so this driver runs pip in-process with the
marker environment of the target: ``packaging.markers.default_environment``
(pip's vendored copy, which ``Marker.evaluate`` looks up at each call) returns
the values in ENV.json.

With ``--use-feature=fast-deps`` pip reads each candidate wheel's METADATA
over HTTP range requests, several requests per candidate, and a TensorFlow
plan backtracks over dozens of jax/jaxlib releases. A wheel's URL on the index
names one immutable file, so the driver keeps each METADATA it reads in a
cache by URL (``metadata_cache`` in the config): the next plan, for another
Python or another run, reads it from disk. Where pip's internals differ from
the ones patched here, the cache is simply not used.

It must not import anything of the harness: it runs in whichever Python holds
the pip that plans (3.8+).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from typing import Any, Dict, List, Optional


def use_marker_environment(environment: Dict[str, str]) -> None:
    """Make every marker pip evaluates from now on see ``environment`` instead of this host."""
    from pip._vendor.packaging import markers

    def target_environment() -> Dict[str, str]:
        return dict(environment)  # a fresh copy: callers add "extra" to it

    markers.default_environment = target_environment  # type: ignore[assignment]  # pip types it as its Environment TypedDict


def use_metadata_cache(folder: str) -> bool:
    """Serve fast-deps' METADATA reads from ``folder`` (by wheel URL); False when this pip can't be patched."""
    try:
        from pip._internal.metadata import get_metadata_distribution
        from pip._internal.network.lazy_wheel import LazyZipOverHTTP
        from pip._internal.operations import prepare
    except ImportError:
        return False
    if not hasattr(prepare, "dist_from_wheel_url"):
        return False
    original = prepare.dist_from_wheel_url

    def cached_dist_from_wheel_url(name: Any, url: str, session: Any) -> Any:
        path = os.path.join(folder, hashlib.sha256(url.encode("utf-8")).hexdigest() + ".METADATA")
        filename = url.rsplit("/", 1)[-1]
        try:
            with open(path, "rb") as handle:
                return get_metadata_distribution(handle.read(), filename, name)
        except OSError:
            pass
        contents = _remote_metadata(LazyZipOverHTTP, url, session)
        if contents is None:
            return original(name, url, session)
        os.makedirs(folder, exist_ok=True)
        tmp = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(contents)
        os.replace(tmp, path)
        return get_metadata_distribution(contents, filename, name)

    prepare.dist_from_wheel_url = cached_dist_from_wheel_url
    return True


def _remote_metadata(lazy_zip: Any, url: str, session: Any) -> Optional[bytes]:
    import zipfile

    with lazy_zip(url, session) as remote:
        with zipfile.ZipFile(remote) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            return archive.read(names[0]) if len(names) == 1 else None


def main(argv: List[str]) -> int:
    if len(argv) < 2 or argv[1] != "--":
        sys.stderr.write("usage: python -m harness.plan.pipdriver CONFIG.json -- PIP-ARGS...\n")
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        config = json.load(handle)
    # CONFIG.json: {"markers": {...}, "metadata_cache": DIR or null}, or the marker environment alone.
    environment = config["markers"] if "markers" in config else config
    use_marker_environment(environment)
    if config.get("metadata_cache") and use_metadata_cache(str(config["metadata_cache"])):
        sys.stderr.write(f"[pipdriver] wheel METADATA cache: {config['metadata_cache']}\n")
    sys.stderr.write("[pipdriver] marker environment: " + json.dumps(environment, sort_keys=True) + "\n")
    from pip._internal.cli.main import main as pip_main

    return int(pip_main(argv[2:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
