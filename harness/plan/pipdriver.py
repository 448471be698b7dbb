"""Run pip's resolver as if on another platform: ``python -m harness.plan.pipdriver ENV.json -- PIP-ARGS``.

pip's ``--platform``/``--python-version``/``--abi`` choose wheel tags, but pip
evaluates every environment marker for the host it runs on. From Linux it
therefore drops each Windows-only dependency (TensorFlow 2.12.1's
``tensorflow-intel`` among them) and reports a plan a Windows pip would never
make. pip has no option for that, so this driver runs pip in-process with the
marker environment of the target: ``packaging.markers.default_environment``
(pip's vendored copy, which ``Marker.evaluate`` looks up at each call) returns
the values in ENV.json.

It must not import anything of the harness: it runs in whichever Python holds
the pip that plans (3.8+).
"""
from __future__ import annotations

import json
import sys
from typing import Dict, List


def use_marker_environment(environment: Dict[str, str]) -> None:
    """Make every marker pip evaluates from now on see ``environment`` instead of this host."""
    from pip._vendor.packaging import markers

    def target_environment() -> Dict[str, str]:
        return dict(environment)  # a fresh copy: callers add "extra" to it

    markers.default_environment = target_environment


def main(argv: List[str]) -> int:
    if len(argv) < 2 or argv[1] != "--":
        sys.stderr.write("usage: python -m harness.plan.pipdriver ENV.json -- PIP-ARGS...\n")
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        environment = json.load(handle)
    use_marker_environment(environment)
    sys.stderr.write("[pipdriver] marker environment: " + json.dumps(environment, sort_keys=True) + "\n")
    from pip._internal.cli.main import main as pip_main

    return int(pip_main(argv[2:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
