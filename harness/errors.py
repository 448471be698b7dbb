"""The harness's error hierarchy: each error knows its exit code.

Imports nothing from the package, so any module can raise these (as pip's
``exceptions.py`` does).
"""
from __future__ import annotations

from typing import Sequence


class HarnessError(Exception):
    """Base class: an error the CLI reports as text, without a traceback."""

    exit_code = 1


class MatrixError(HarnessError):
    """matrix.yaml is invalid: every problem, each with file and line."""

    exit_code = 2

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"matrix is invalid ({count} {noun}):\n" + "\n".join(f"  {p}" for p in self.problems)


class UsageError(HarnessError):
    """A command-line value that cannot be used (unknown python, strategy, ...)."""

    exit_code = 2


class InsufficientDiskError(HarnessError):
    """The run would need more free disk than there is: refuse before starting."""

    exit_code = 3


class ProvisionError(HarnessError):
    """An interpreter or venv could not be had."""

    exit_code = 4
