"""A yes/no question."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from readq.tui.screens.dialog import Dialog


class Confirm(Dialog[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm_yes", priority=True),
        Binding("n,escape", "answer(False)", "No", id="confirm_no", priority=True),
    ]

    def __init__(
        self, question: Text | str, *, answer: Callable[[bool], object] | None = None
    ) -> None:
        super().__init__(answer)
        self.question = question if isinstance(question, Text) else Text(question)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Static(Text("y / enter: yes    n / escape: no", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.finish(answer)
