"""What every importer returns: papers plus the problems met on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from readq.model import ParsedPaper

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one entry. Errors skip the entry; warnings keep it."""

    line: int
    reason: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"line {self.line}: {prefix}{self.reason}"


@dataclass(slots=True)
class ParseResult:
    papers: list[ParsedPaper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def in_line_order(self) -> ParseResult:
        """The result with its problems ordered by line, for importers that find them
        out of order; stable, so problems on one line keep the order they were found."""
        self.problems.sort(key=lambda problem: problem.line)
        return self
