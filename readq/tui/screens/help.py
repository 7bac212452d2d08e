"""The ``?`` screen: every key, grouped, read from the live bindings so remaps show.

It scrolls like a pager (j/k, space/b, g/G), so the last key is always in reach.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from readq.querylang.guide import GUIDE
from readq.tui.bindings import CARD_BINDINGS, GROUPS, MAIN_BINDINGS, PAGER_BINDINGS, readable
from readq.tui.command_line import COMMANDS
from readq.tui.screens.dialog import Dialog
from readq.tui.widgets.pager import Pager


class HelpScreen(Dialog[None]):
    AUTO_FOCUS = "Pager"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help_close", priority=True)]

    def __init__(self, keys: dict[str, str], *, answer: Callable[[None], object] | None = None):
        super().__init__(answer)
        self.keys = keys  # binding id -> the keys now bound to it

    def compose(self) -> ComposeResult:
        with Pager(classes="dialog help"):
            yield Static(Text("readq keys", style="bold"), classes="dialog-title")
            yield Static(Group(*self._sections()))
            yield Static(Text("j/k, space/b, g/G scroll · escape: close", style="dim"))

    def _sections(self) -> Iterable[RenderableType]:
        for group in GROUPS:
            rows = [(b.id or "", b.key, b.description) for b in MAIN_BINDINGS if b.tooltip == group]
            if group == "Other":
                rows.append(("", "ctrl+p", "Command palette: every action by name"))
            yield _section(group, rows, self.keys)
        pager = [(b.id or "", b.key, b.description) for b in PAGER_BINDINGS]
        yield _section("In the details (tab to focus them)", pager, self.keys)
        card = [(b.id or "", b.key, b.description) for b in CARD_BINDINGS]
        yield _section("Card triage (T)", card, self.keys)
        commands = [
            ("", f":{c.usage}", c.help) for c in COMMANDS.values() if c.method or c.name == "quit"
        ]
        commands.append(("", ":NAME", "any key's action by its id, e.g. :toggle-read"))
        yield _section("Command line (:, tab completes)", commands, {})
        searching = [("", syntax, meaning) for syntax, meaning in GUIDE]
        yield _section("Searching (/, and saved views: l)", searching, {})

    @property
    def plain(self) -> str:
        """Every section as plain text (for tests and tools)."""
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(Group(*self._sections()))
        return console.export_text()

    def action_close(self) -> None:
        self.finish(None)


def _section(
    title: str, rows: list[tuple[str, str, str]], remapped: dict[str, str]
) -> RenderableType:
    table = Table(box=None, show_header=False, padding=(0, 2), title_justify="left")
    table.title = Text(title, style="bold underline")
    table.add_column(style="bold", min_width=18)
    table.add_column()
    for binding_id, keys, description in rows:
        shown = remapped.get(binding_id, keys)
        table.add_row(Text(readable(shown) if binding_id else shown), Text(description))
    return Group(table, Text(""))
