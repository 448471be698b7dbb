"""The matrix as values: the pack under test, its install strategies and steps, the whole matrix."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from harness.chain.spec import ChainSpec
from harness.versions import requirement_name

# Matched with fullmatch: "$" also matches before a final newline, so "3.11\n" would pass and
# put a newline into a cell's file name.
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
PYTHON_RE = re.compile(r"3\.[0-9]{1,2}|2\.7")
INSTALLERS = ("pip", "uv")
OPT_INS = ("source-builds",)
# The strategy the product's installer ships: the table recommends a Python for it, the lock prefers it,
# and --fail-on resilient judges the run by it alone.
FALLBACK_STRATEGY = "resilient"
DEFAULT_TIMEOUTS = {"provision": 300.0, "install": 1800.0, "verify": 300.0}


@dataclass(frozen=True)
class Pack:
    """The package under test and how to tell that it really imports."""

    requirement: str
    import_check: Tuple[str, ...]
    requires_python: str
    versions_of: Tuple[str, ...] = ()  # distributions whose installed versions are recorded

    @property
    def name(self) -> str:
        return requirement_name(self.requirement)


@dataclass(frozen=True)
class InstallStep:
    """One installer invocation of a strategy.

    ``substitutions`` is WP-0050's pin fallback: when the step fails, it is
    retried once with each ``old`` requirement replaced by ``new`` (e.g.
    tensorflow-io-gcs-filesystem 0.32.0 -> 0.31.0).
    """

    name: str
    requirements: Tuple[str, ...]
    args: Tuple[str, ...] = ()
    pins: Optional[str] = None
    substitutions: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Strategy:
    id: str
    installer: str
    description: str = ""
    steps: Tuple[InstallStep, ...] = ()
    fallback: Tuple[str, ...] = ()  # member strategy ids, tried in order (the resilient installer)
    opt_in: Optional[str] = None  # e.g. "source-builds": never runs without the user's explicit flag
    pythons: Tuple[str, ...] = ()  # empty = all pythons of the matrix

    @property
    def is_fallback(self) -> bool:
        return bool(self.fallback)


@dataclass(frozen=True)
class Matrix:
    path: Path
    pack: Pack
    pythons: Tuple[str, ...]
    strategies: Tuple[Strategy, ...]
    pins: Mapping[str, Mapping[str, Tuple[str, ...]]]
    timeouts: Mapping[str, float]
    chain: ChainSpec
    interpreter_fallback: Tuple[str, ...]

    def strategy(self, strategy_id: str) -> Strategy:
        for strategy in self.strategies:
            if strategy.id == strategy_id:
                return strategy
        raise KeyError(strategy_id)

    def pins_for(self, name: str, python: str) -> Tuple[str, ...]:
        """The pin set ``name`` for one Python: its per-Python entry, else ``default``."""
        table = self.pins[name]
        return tuple(table.get(python, table.get("default", ())))

    def resolve_path(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else (self.path.parent / path)
