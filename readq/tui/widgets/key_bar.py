"""The bottom line: the most useful keys, as many as fit, ``?`` help always first.

Textual's Footer cuts off whatever does not fit, which at 80 columns was the
help key itself; this bar drops keys from the end instead, and shows the keys
the user's keymap chose.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from readq.tui.bindings import readable


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[tuple[str, str]] = []

    def show_keys(self, keys: Sequence[tuple[str, str]]) -> None:
        """(keys, description) pairs, most important first."""
        if list(keys) != self._keys:
            self._keys = list(keys)
            self.refresh()

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        width = self.size.width
        for keys, description in self._keys:
            item = Text(" ")
            item.append(readable(keys).split(" / ")[0], style="bold")
            item.append(f" {description} ")
            if line.cell_len + item.cell_len > width:
                break
            line.append_text(item)
        return line
