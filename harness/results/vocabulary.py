"""The words a result is written in: statuses, step kinds and diagnosis categories.

Each is a ``str`` enum, so a member *is* its string: ``Status.PASSED == "passed"``, a cell
JSON file holds ``"passed"``, and code that compares against the plain strings keeps
working. A new word is one line in its class; :meth:`Vocabulary.parse` is how text from a
file or a rules table becomes a member, and it names the known words when it cannot.
"""
from __future__ import annotations

from enum import Enum
from typing import Tuple, Type, TypeVar

_V = TypeVar("_V", bound="Vocabulary")


class Vocabulary(str, Enum):
    """A closed set of kebab-case words (Python 3.8 has no ``StrEnum``; this is the same idea)."""

    def __str__(self) -> str:
        # f-strings and str() give the word, on every Python (3.11 changed Enum.__format__).
        return str(self.value)

    @classmethod
    def parse(cls: Type[_V], value: str) -> _V:
        """The member spelled ``value``; ValueError naming the known words when there is none."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown {cls.noun()} {value!r}; known: {', '.join(cls.words())}") from None

    @classmethod
    def words(cls) -> Tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def noun(cls) -> str:
        return cls.__name__.lower()


class Status(Vocabulary):
    """How a step, a stage or a cell ended."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    TIMEOUT = "timeout"  # the harness stopped it at its time limit
    BLOCKED = "blocked"  # could not even start (e.g. no interpreter): a provisioning blocker

    @property
    def bad(self) -> bool:
        """A verdict against the cell: failed, timed out or blocked."""
        return self in (Status.FAILED, Status.TIMEOUT, Status.BLOCKED)


class StepKind(Vocabulary):
    """What a step of a cell was."""

    PROVISION = "provision"  # the venv, the interpreter, the model: before the installer runs
    PREFLIGHT = "preflight"  # a prediction from probes; a real step's verdict wins over it
    INSTALL = "install"
    VERIFY = "verify"  # import check, freeze unchanged
    STAGE = "stage"  # one stage of the smoke chain
    CROSS_CHECK = "cross-check"  # a second opinion (uv beside pip), never the cell's verdict

    @classmethod
    def noun(cls) -> str:
        return "step kind"


class Category(Vocabulary):
    """Why a step failed: exactly the words the table, JUnit and --json show. One line per category."""

    PYTHON_VERSION_UNSUPPORTED = "python-version-unsupported"
    NO_WHEEL_FOR_PLATFORM = "no-wheel-for-platform"
    DEPENDENCY_CONFLICT = "dependency-conflict"
    MSVC_BUILD_TOOLS_MISSING = "msvc-build-tools-missing"
    SOURCE_BUILD_FAILED = "source-build-failed"
    METADATA_GENERATION_FAILED = "metadata-generation-failed"
    BUILD_BACKEND_MISSING = "build-backend-missing"
    LONG_PATH = "long-path"
    PIP_OUTDATED = "pip-outdated"
    NETWORK_OR_INDEX = "network-or-index"
    FFMPEG_MISSING = "ffmpeg-missing"
    DLL_LOAD_FAILED = "dll-load-failed"
    MODEL_DOWNLOAD_FAILED = "model-download-failed"
    INTERPRETER_UNAVAILABLE = "interpreter-unavailable"
    TIMEOUT = "timeout"
    NUMPY_ABI = "numpy-abi"
    RESOLVER_BACKTRACKING = "resolver-backtracking"
    SSL_CERTIFICATE = "ssl-certificate"
    CPU_WITHOUT_AVX = "cpu-without-avx"
    WRONG_FFMPEG_PACKAGE = "wrong-ffmpeg-package"
    WRONG_INTERPRETER = "wrong-interpreter"
    CONDA_ENV_CONFLICT = "conda-env-conflict"
    PYTHON_32_BIT = "python-32-bit"
    PERMISSION_DENIED = "permission-denied"
    OTHER = "other"

    @classmethod
    def noun(cls) -> str:
        return "diagnosis category"


# The members under their old module-level names: most of the harness compares against these.
PASSED = Status.PASSED
FAILED = Status.FAILED
SKIPPED = Status.SKIPPED
TIMEOUT = Status.TIMEOUT
BLOCKED = Status.BLOCKED
STATUSES = Status.words()
CATEGORIES = Category.words()
