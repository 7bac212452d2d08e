"""What every importer returns: papers plus the problems met on the way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

from readq.model import ParsedPaper

Severity = Literal["error", "warning"]
# Told how many papers a parse has read so far; it may raise to stop the parse.
OnPaper = Callable[[int], None]
# How often a parse calls its OnPaper: rare enough to cost nothing per paper (a
# counter and a modulo), often enough that a cancel stops even a slow parser
# (BibTeX, some 0.1 ms a paper) within a tenth of a second.
REPORT_EVERY: Final = 500


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
    on_paper: OnPaper | None = field(default=None, repr=False, compare=False)

    def add(self, paper: ParsedPaper) -> None:
        """Keep a paper; every REPORT_EVERY papers, tell on_paper the count so far."""
        papers = self.papers
        papers.append(paper)
        if self.on_paper is not None and not len(papers) % REPORT_EVERY:
            self.on_paper(len(papers))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def in_line_order(self) -> ParseResult:
        """The result with its problems ordered by line, for importers that find them
        out of order; stable, so problems on one line keep the order they were found."""
        self.problems.sort(key=lambda problem: problem.line)
        return self
