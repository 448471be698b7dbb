"""Why a step failed, and what to do about it: the reason a table cell, a JUnit failure and --json show."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional, Tuple

from harness.results.vocabulary import Category


@dataclass(frozen=True)
class Diagnosis:
    """A category from :class:`Category`, the blocker, the next action and the evidence.

    ``evidence`` holds the log lines that prove the category, so a reader of
    the table can check the verdict without opening the log. An unknown
    category is refused here, where the diagnosis is built (as pip's
    ``DiagnosticPipError`` checks its reference), not found later by a report.
    """

    category: Category
    blocker: Optional[str]
    next_action: str
    manual_fallback: Tuple[str, ...] = ()
    evidence: Tuple[str, ...] = ()
    summary: str = ""

    def __post_init__(self) -> None:
        # Rules tables and cell files spell the category as text: it becomes the member, or a ValueError.
        object.__setattr__(self, "category", Category.parse(self.category))

    def headline(self) -> str:
        """One line for a table footnote or a JUnit failure message."""
        what = self.summary or self.category
        if self.blocker and self.blocker not in what:
            what = f"{what} ({self.blocker})"
        return f"{self.category}: {what}" if what != self.category else what

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        data["category"] = self.category.value
        data["manual_fallback"] = list(self.manual_fallback)
        data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Diagnosis":
        return cls(
            category=data["category"],
            blocker=data.get("blocker"),
            next_action=data.get("next_action", ""),
            manual_fallback=tuple(data.get("manual_fallback", ())),
            evidence=tuple(data.get("evidence", ())),
            summary=data.get("summary", ""),
        )
