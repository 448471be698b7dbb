"""The chain as a step of a cell: after an install, in that venv, with the model provisioned beforehand.

Shared by the matrix runner and the end-user profile, so that "the chain passed
after the install" means the same thing in both: the model is provisioned at
install time (never inside the chain), the stages run in the venv the strategy
built, and the venv's packages are the same after the chain as before it.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional, Tuple, Union

from harness.proc import clean_env, run_capture
from harness.provision import venv_python
from harness.results import FAILED, StepKind, StepResult

from . import ChainContext
from .sameenv import Fingerprint, OncePerKey, fingerprint, same_environment_as
from .spec import ChainSpec

if TYPE_CHECKING:  # pragma: no cover
    from .model import ModelInfo

Model = Union["ModelInfo", StepResult]  # the verified model, or the failed step that says why there is none
Say = Callable[[str], None]


def freeze_venv(uv: str, venv_dir: Path, target: Path) -> str:
    """``uv pip freeze`` of the venv, also written to ``target``; "" when it cannot be read."""
    code, out, err = run_capture([uv, "pip", "freeze", "--no-config", "--python", str(venv_python(venv_dir))], 120,
                                 env=clean_env())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(out if code == 0 else err, encoding="utf-8")
    return out if code == 0 else ""


def model_root(configured: Optional[str], resolve: Callable[[str], Path], explicit: Optional[Path],
               default: Path) -> Path:
    """Where the model lives: ``--model-dir``, else matrix.yaml's ``chain.model_dir``, else ``default``."""
    if explicit:
        return Path(explicit)
    return resolve(configured) if configured else default


def provision_model(root: Path) -> Model:
    """The verified separation model under ``root``, or a failed, diagnosed ``model`` step."""
    from .model import ensure_model

    try:
        return ensure_model(root)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnosed step
        from harness.diagnose import diagnose_text

        return StepResult(name="model", status=FAILED, kind=StepKind.PROVISION, diagnosis=diagnose_text(
            f"model provisioning failed: {exc}"), message=str(exc))


def chain_after_install(spec: ChainSpec, item_dir: Path, venv_dir: Path, log_dir: Path, derived_root: Path,
                        model: Model, uv: str, before: str, say: Optional[Say] = None) -> List[StepResult]:
    """The chain's stages in ``venv_dir``, plus a failed ``freeze-unchanged`` step if it changed the venv."""
    from .run import run_chain  # imported lazily: numpy and friends

    if isinstance(model, StepResult):
        return [model]
    if say:
        say("running the smoke chain")
    context = ChainContext(venv_python=venv_python(venv_dir), harness_python=Path(sys.executable),
                           derived_root=derived_root, source_dir=item_dir, log_dir=log_dir,
                           model_dir=Path(model.root))
    steps = list(run_chain(spec, context))
    after = freeze_venv(uv, venv_dir, log_dir / "pip-freeze-after-chain.txt")
    if before != after:
        steps.append(StepResult(name="freeze-unchanged", status=FAILED, kind=StepKind.VERIFY,
                                message="the chain changed the packages the strategy installed"))
    return steps


class ModelOnce:
    """The model of one run, provisioned when the first chain needs it and shared by every cell after."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._model: Optional[Model] = None

    def get(self) -> Model:
        with self._lock:
            if self._model is None:
                self._model = provision_model(self.root)
            return self._model


class RunChains:
    """The chain of every cell of one run: the model provisioned once, the chain once per distinct environment.

    A venv with exactly the files of one whose chain already passed in this run gets that run's
    steps, marked; one being chained right now by another worker is waited for, not raced. Only
    a chain that passed is shared: a failure is the cell's own, so the next cell tries again.
    """

    def __init__(self, spec: ChainSpec, item_dir: Path, model: ModelOnce, uv: str, every_cell: bool = False) -> None:
        self.spec = spec
        self.item_dir = item_dir
        self.model = model
        self.uv = uv
        self.every_cell = every_cell
        self._chains: OncePerKey[List[StepResult]] = OncePerKey(lambda steps: all(s.ok for s in steps))

    def chain(self, venv_dir: Path, log_dir: Path, derived_root: Path, before: str, say: Say) -> List[StepResult]:
        """The chain in ``venv_dir``; ``before`` is the venv's freeze after the install, which it must not change."""
        return chain_after_install(self.spec, self.item_dir, venv_dir, log_dir, derived_root, self.model.get(),
                                   self.uv, before, say=say)

    def once(self, owner: str, venv_dir: Path, interpreter: Tuple[str, str], chain: Callable[[], List[StepResult]],
             say: Say, environment: Optional[Fingerprint] = None) -> Tuple[List[StepResult], str, str]:
        """``chain()``'s steps, or those of the cell with the same environment; with the venv's fingerprint and
        that cell ("" = this one). ``owner`` names this cell in another's steps; ``interpreter`` is (path, version);
        ``environment``: the venv's fingerprint when the install already took it (the import check did).
        """
        if self.every_cell:
            return chain(), "", ""
        if environment is None:
            environment = fingerprint(venv_dir, *interpreter)
        say(f"environment {environment.digest[:12]}: {environment.files} files, "
            f"{environment.bytes / 1e6:.0f} MB, hashed in {environment.seconds:.1f}s")
        first, steps = self._chains.run(environment.digest, owner, chain)
        if first is None:
            return steps, environment.digest, ""
        say(f"chain: same environment as {first}")
        return [same_environment_as(first, step) for step in steps], environment.digest, first
