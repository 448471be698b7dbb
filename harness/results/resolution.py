"""What a dry resolution adds to a cell: the plan's files, a second resolver's answer, the MAX_PATH budget."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict

from harness.results.vocabulary import Status


@dataclass(frozen=True)
class Distribution:
    """One file of a resolved install plan: what a lock pins (name, version, the exact file, its sha256)."""

    name: str  # normalised project name
    version: str
    filename: str
    url: str
    sha256: str

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Distribution":
        return cls(**{k: str(data.get(k, "")) for k in ("name", "version", "filename", "url", "sha256")})


@dataclass(frozen=True)
class CrossCheck:
    """A second resolver's answer for the same cell (uv's, beside pip's for a pip strategy)."""

    resolver: str
    status: Status
    summary: str  # its blocker headline, or its key versions
    agrees: bool
    why: str = ""  # when it disagrees: the reason, as far as the two plans tell

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status.parse(self.status))

    def to_json(self) -> Dict[str, Any]:
        return dict(asdict(self), status=self.status.value)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "CrossCheck":
        return cls(resolver=data["resolver"], status=data["status"], summary=data.get("summary", ""),
                   agrees=bool(data.get("agrees", True)), why=data.get("why", ""))


@dataclass(frozen=True)
class PathBudget:
    """The MAX_PATH budget of a Windows install plan, read from its wheels' file lists."""

    longest_relpath: int  # characters below the venv root (``Lib\\site-packages\\...`` included)
    deepest_file: str  # that file, relative to the venv root
    wheel: str  # the wheel that installs it
    venv_root_max: int  # with long paths off, the venv root may be at most this many characters
    source: str  # how the figures were obtained (range requests, cache, the measured constant)
    wheels_read: int = 0

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "PathBudget":
        return cls(longest_relpath=int(data["longest_relpath"]), deepest_file=data.get("deepest_file", ""),
                   wheel=data.get("wheel", ""), venv_root_max=int(data["venv_root_max"]),
                   source=data.get("source", ""), wheels_read=int(data.get("wheels_read", 0)))
