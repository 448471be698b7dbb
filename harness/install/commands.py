"""Strategy steps → installer argv. Pure functions: no subprocess here.

The same argv builders serve a real install and the dry resolution, so what
the table says resolves is what would be installed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from harness.matrix import InstallStep, Matrix, Pack

PIP_COMMON = ("--isolated", "--no-input", "--disable-pip-version-check")


def expand_requirements(step: InstallStep, matrix: Matrix, python: str) -> Tuple[str, ...]:
    """The step's requirements with ``{pack}`` filled in and its pin set appended."""
    reqs = [fill(r, matrix.pack) for r in step.requirements]
    if step.pins:
        reqs.extend(matrix.pins_for(step.pins, python))
    return tuple(reqs)


def fill(text: str, pack: Pack) -> str:
    return text.replace("{pack}", pack.requirement).replace("{pack_name}", pack.name)


def expand_substitutions(step: InstallStep, matrix: Matrix) -> Tuple[Tuple[str, str], ...]:
    """The step's fallback pairs with ``{pack}`` filled in on both sides."""
    return tuple((fill(old, matrix.pack), fill(new, matrix.pack)) for old, new in step.substitutions)


def substitute(requirements: Sequence[str], pairs: Sequence[Tuple[str, str]]) -> Tuple[str, ...]:
    """Apply a step's fallback substitutions (exact requirement strings)."""
    table = dict(pairs)
    return tuple(table.get(r, r) for r in requirements)


def pip_run_args(index_url: str = "", compile_bytecode: bool = True) -> Tuple[str, ...]:
    """pip's options for one run's install (before the step's own args); none when both are defaults.

    ``index_url``: the run's loopback caching index (:mod:`harness.install.index_cache`); it answers a
    file's first request when its own download is done, so pip must wait that long.
    ``compile_bytecode=False``: ``--no-compile``. pip byte-compiles every ``.py`` it unpacks (TensorFlow's
    ~8,000, ~15 s of a ~37 s warm install here), one file after another; the venv's Python then writes
    bytecode only for what is imported (~3,000 files, ~4 s more in the import check). The installed
    distributions and files are the same (the bytecode caches are no part of a venv's fingerprint).
    """
    index = ("--index-url", index_url, "--timeout", "600") if index_url else ()
    return index + (() if compile_bytecode else ("--no-compile",))


def install_argv(installer: str, python_exe: Path, args: Sequence[str], requirements: Sequence[str],
                 uv: str = "uv", keep_user_config: bool = False) -> List[str]:
    """The argv that installs ``requirements`` into the venv of ``python_exe``."""
    if installer == "pip":
        common = () if keep_user_config else PIP_COMMON
        return [str(python_exe), "-m", "pip", "install", *common, *args, *requirements]
    if installer == "uv":
        config = () if keep_user_config else ("--no-config",)
        return [uv, "pip", "install", *config, "--python", str(python_exe), *args, *requirements]
    raise ValueError(f"unknown installer {installer!r}")


def compile_argv(args: Sequence[str], requirements_file: Path, python_version: str, platform: str,
                 uv: str = "uv", pylock: Optional[Path] = None) -> List[str]:
    """Dry resolution for another platform with uv (``--python-platform``).

    With ``pylock``, uv also writes its plan there as PEP 751 (the one file per
    distribution it would take for that platform, with its URL and sha256).
    """
    # --no-python-downloads: compile only needs the version number; without it uv first tries (and,
    # offline, retries for ~10 s) to download an interpreter of that version.
    output = ["--format", "pylock.toml", "--output-file", str(pylock)] if pylock is not None else []
    return [uv, "pip", "compile", "--no-config", "--no-python-downloads", "--no-header", "--no-annotate", "--quiet",
            "--python-version", python_version, "--python-platform", platform, *output,
            *[a for a in args if a not in ("--no-build-isolation",)],
            str(requirements_file)]


def import_check_code(modules: Sequence[str], distributions: Sequence[str]) -> str:
    """Code run in the cell's venv (any Python ≥3.8): import each module, print versions as JSON."""
    return (
        "import importlib, json, sys\n"
        "from importlib import metadata\n"
        f"mods = {list(modules)!r}\n"
        f"dists = {list(distributions)!r}\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "found = {}\n"
        "for d in dists:\n"
        "    try:\n"
        "        found[d] = metadata.version(d)\n"
        "    except metadata.PackageNotFoundError:\n"
        "        pass\n"
        "found['python'] = '%d.%d.%d' % sys.version_info[:3]\n"
        "print('HARNESS-VERSIONS ' + json.dumps(found, sort_keys=True))\n"
    )


def parse_versions(log_text: str) -> Dict[str, str]:
    import json

    for line in reversed(log_text.splitlines()):
        if line.startswith("HARNESS-VERSIONS "):
            found = json.loads(line[len("HARNESS-VERSIONS "):])
            return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return {}
