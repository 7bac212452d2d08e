"""A one-line question: tags to set, a file to import."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from readq.tui.screens.dialog import Dialog


class Prompt(Dialog[str | None]):
    """Dismisses with the text entered, or None on escape."""

    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt_cancel")]

    def __init__(self, title: Text | str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Text("enter: OK    escape: cancel", style="dim"))

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
