"""A one-line question: tags to set, a file to import or export to."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from readq.tui.screens.dialog import Dialog


class Prompt(Dialog[str | None]):
    """Answers with the text entered, or None on escape."""

    AUTO_FOCUS = "Input"
    BINDINGS = [
        Binding("enter", "submit", "OK", id="prompt_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="prompt_cancel", priority=True),
    ]

    def __init__(
        self,
        title: Text | str,
        value: str = "",
        placeholder: str = "",
        *,
        answer: Callable[[str | None], object] | None = None,
        select_on_focus: bool = True,
    ) -> None:
        super().__init__(answer)
        self.select_on_focus = select_on_focus  # False: typing adds to the value
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(
                self.value,
                placeholder=self.placeholder,
                select_on_focus=self.select_on_focus,
                id="prompt-input",
            )
            yield Static(Text("enter: OK    escape: cancel", style="dim"))

    def action_submit(self) -> None:
        self.finish(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.finish(None)
