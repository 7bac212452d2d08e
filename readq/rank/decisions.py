"""Which papers the user has decided on, and which way.

A paper is a *keep* when the user gave it priority 2 or 3, tagged it or wrote
a note on it; a *pass* when it was read (or deleted) with priority 0, no tags
and no note. Unread papers nobody touched are not decisions: they are what
the ranking orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from readq.model import Paper, Status


@dataclass(slots=True)
class Decisions:
    kept: list[Paper] = field(default_factory=list)
    passed: list[Paper] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.kept) + len(self.passed)


def is_kept(paper: Paper) -> bool:
    return paper.priority >= 2 or bool(paper.tags) or paper.has_note


def is_passed(paper: Paper) -> bool:
    triaged = paper.status is Status.READ or paper.deleted_at is not None
    return triaged and paper.priority == 0 and not paper.tags and not paper.has_note


def decisions_of(papers: Iterable[Paper]) -> Decisions:
    found = Decisions()
    for paper in papers:
        if is_kept(paper):
            found.kept.append(paper)
        elif is_passed(paper):
            found.passed.append(paper)
    return found
