"""The ``?`` screen: every key, read from the live bindings so remaps show."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from readq.tui.bindings import MAIN_BINDINGS
from readq.tui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help_close")]

    def __init__(self, keys: dict[str, str]) -> None:
        super().__init__()
        self.keys = keys  # binding id -> the keys now bound to it

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for binding in MAIN_BINDINGS:
            keys = self.keys.get(binding.id or "", binding.key)
            table.add_row(Text(_pretty(keys)), Text(binding.description))
        table.add_row(Text("ctrl+p"), Text("Command palette: every action by name"))
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("readq keys", style="bold"), classes="dialog-title")
            yield Static(table)
            yield Static(Text("escape: close", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "question_mark": "?",
    "space": "space",
}


def _pretty(keys: str) -> str:
    return " / ".join(_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))
