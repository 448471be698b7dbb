"""A pip install once per distinct resolution: the cells of a run whose pip would unpack the same files.

Per Python, ``default-pip``, ``bootstrap``, ``wheel-first-pip`` and ``resilient`` (via bootstrap) resolve
the pack to the same files, and unpacking TensorFlow's ~20,000 files is most of a pip cell's time. So
before a pip cell's last install step the harness asks the cell's own pip, with the cell's own options,
what it would install (``--dry-run --report``): the resolution is the part of a strategy that differs
between strategies, and it runs in every cell. When the plan is one an earlier cell of this run already
installed, import-checked and chained, the cell takes that cell's steps, marked, instead of unpacking
the same wheels again. The key (:func:`install_key`) is everything an install's result depends on:

- the interpreter (path and version) and the venv's files before the step (pip itself, what earlier
  steps installed: :func:`harness.chain.sameenv.fingerprint`), so the same pip starts from the same venv;
- the exact files of the plan (name, version, file name, sha256), every one a wheel: unpacking a wheel
  builds nothing, so build options cannot matter; a plan with an sdist is never shared;
- the step's options, less those that only steer the resolver (the plan already shows their effect).

The first cell's real install also writes its ``--report``; it is shared only when that report is the
plan. Only a cell that passed everything (install, import check, chain) is shared; ``--install-every-cell``
(and ``--keep-venvs``: a shared cell's venv would not hold the pack) turns this off.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Optional, Sequence, Tuple

from harness.once import OncePerKey
from harness.results import Distribution, StepResult

# Options that change only what the resolver picks, or how an sdist is built: with a plan of wheels only,
# the plan already shows their whole effect.
RESOLUTION_ONLY = ("--upgrade", "-U", "--no-deps", "--pre", "--prefer-binary", "--no-build-isolation")
RESOLUTION_ONLY_WITH_VALUE = ("--only-binary", "--no-binary", "--upgrade-strategy")


@dataclass(frozen=True)
class SharedInstall:
    """What a cell whose plan matched takes from the cell that installed it."""

    owner: str  # "3.10/default-pip"
    files: int  # distributions in the plan
    steps: Tuple[StepResult, ...]  # that cell's install step and import check
    versions: Tuple[Tuple[str, str], ...]
    freeze: str  # its venv's `pip freeze` after the install
    environment: str  # its venv's fingerprint
    chain_steps: Tuple[StepResult, ...] = ()
    chain_from: str = ""  # whose chain run those are, when not the owner's own

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps + self.chain_steps)


class InstallShare(OncePerKey[SharedInstall]):
    """The run's installs by key: only a cell that passed everything is shared."""

    def __init__(self) -> None:
        super().__init__(lambda shared: shared.ok)


class ChecksOnce(OncePerKey[StepResult]):
    """The run's import checks by environment fingerprint: a venv with exactly the files of one whose import
    check passed (a uv cell and the pip cell that unpacked the same wheels) takes that check."""

    def __init__(self) -> None:
        super().__init__(lambda step: step.ok)


def effective_args(args: Sequence[str]) -> Tuple[str, ...]:
    """``args`` without the resolver-only options (and their values)."""
    kept = []
    skip_value = False
    for arg in args:
        if skip_value:
            skip_value = False
            continue
        if arg in RESOLUTION_ONLY or any(arg.startswith(flag + "=") for flag in RESOLUTION_ONLY_WITH_VALUE):
            continue
        if arg in RESOLUTION_ONLY_WITH_VALUE:
            skip_value = True
            continue
        kept.append(arg)
    return tuple(kept)


def install_key(interpreter: Tuple[str, str], before: str, args: Sequence[str],
                plan: Sequence[Distribution], venv_path_length: Optional[int] = None) -> Optional[str]:
    """The key of a planned install, or None when it cannot be shared (an empty plan, an sdist, a file
    without its sha256). ``venv_path_length``: on Windows, where the venv's own path decides whether the
    deepest file fits under MAX_PATH (260 characters with long paths off), a cell in a longer path must
    unpack for itself: ``wheel-first-pip`` is 4 characters longer than ``default-pip``."""
    if not plan or any(not d.filename.endswith(".whl") or not d.sha256 for d in plan):
        return None
    payload = {
        "interpreter": list(interpreter), "venv-before": before, "args": list(effective_args(args)),
        "plan": sorted((d.name, d.version, d.filename, d.sha256) for d in plan), "venv-path": venv_path_length,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def same_resolution_as(shared: SharedInstall, step: StepResult, prefix: str = "") -> StepResult:
    """``step`` of ``shared``'s cell as a step of a cell whose pip planned exactly the same files; ``prefix``
    names the fallback member it belongs to here (``bootstrap/``)."""
    note = (f"install: same resolution as {shared.owner} (pip planned the same {shared.files} distributions "
            "from the same venv); not unpacked again")
    return replace(step, name=prefix + step.name, duration=0.0,
                   message=f"{note}: {step.message}" if step.message else note,
                   log_tail=f"{note} (this step ran there; its log is {step.log_path})\n{step.log_tail}",
                   metrics={**step.metrics, "same_resolution_as": shared.owner})
