"""A pane that scrolls like a pager (less, mutt) while it has focus."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll

from readq.tui.bindings import PAGER_BINDINGS


class Pager(VerticalScroll):
    """A scrolling pane driven by the pager keys while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [*PAGER_BINDINGS]

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)  # keep a line of context
        self.scroll_relative(y=pages * page, animate=False)

    def action_scroll_to(self, end: int) -> None:
        if end:
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)

    def scroll_half(self, direction: int) -> None:
        """Half a pane down (1) or up (-1): ctrl+d / ctrl+u from the list."""
        half = max(self.scrollable_content_region.height // 2, 1)
        self.scroll_relative(y=direction * half, animate=False)
