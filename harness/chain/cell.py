"""The chain as a step of a cell: after an install, in that venv, with the model provisioned beforehand.

Shared by the matrix runner and the end-user profile, so that "the chain passed
after the install" means the same thing in both: the model is provisioned at
install time (never inside the chain), the stages run in the venv the strategy
built, and the venv's packages are the same after the chain as before it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, Union

from harness.proc import clean_env, run_capture
from harness.provision import venv_python
from harness.results import FAILED, StepKind, StepResult

from . import ChainContext
from .spec import ChainSpec


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


def provision_model(root: Path) -> Union[Any, StepResult]:
    """The verified separation model under ``root``, or a failed, diagnosed ``model`` step."""
    from .model import ensure_model

    try:
        return ensure_model(root)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnosed step
        from harness.diagnose import diagnose_text

        return StepResult(name="model", status=FAILED, kind=StepKind.PROVISION, diagnosis=diagnose_text(
            f"model provisioning failed: {exc}"), message=str(exc))


def chain_after_install(spec: ChainSpec, item_dir: Path, venv_dir: Path, log_dir: Path, derived_root: Path,
                        model: Union[Any, StepResult], uv: str, before: str,
                        say: Optional[Callable[[str], None]] = None) -> List[StepResult]:
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
