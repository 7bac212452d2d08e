"""Undo and redo for user actions, as data: what each paper looked like before and after."""

from __future__ import annotations

from dataclasses import dataclass

from readq.journal import Ops


@dataclass(frozen=True, slots=True)
class Change:
    """One user action: a label for messages and the fields it changed, before and after."""

    label: str
    before: Ops
    after: Ops

    @property
    def paper_ids(self) -> list[int]:
        return [paper_id for paper_id, _ in self.after]


class History:
    def __init__(self, limit: int = 500) -> None:
        self._done: list[Change] = []
        self._undone: list[Change] = []
        self._limit = limit

    def record(self, change: Change) -> None:
        self._done.append(change)
        del self._done[: -self._limit]
        self._undone.clear()

    def next_undo(self) -> Change | None:
        return self._done[-1] if self._done else None

    def next_redo(self) -> Change | None:
        return self._undone[-1] if self._undone else None

    def mark_undone(self) -> None:
        self._undone.append(self._done.pop())

    def mark_redone(self) -> None:
        self._done.append(self._undone.pop())
