"""The one-line boxes under the list: search as you type, and the ``:`` command line.

Their enter and escape are priority bindings that call back into the screen
directly rather than post a message: a message would be handled a moment
later, and the next key of a burst (``/fog⏎ `` then space) would still be
typed into the box instead of reaching the list (held_keys.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from readq.tui import command_line


class SearchBox(Input):
    BINDINGS = [
        Binding("enter", "close(False)", "Keep the search", id="search_keep", priority=True),
        Binding("escape", "close(True)", "Clear the search", id="search_clear", priority=True),
    ]

    def __init__(self, on_close: Callable[[bool], None], *, id: str | None = None) -> None:
        # The text stays when the box is opened again (a saved view's query, to refine).
        super().__init__(
            placeholder='search: words, "a phrase", author:name, is:unread, prio:>=2 (? for more)',
            select_on_focus=False,
            id=id,
        )
        self._when_closed = on_close  # called with True when the search is thrown away

    def action_close(self, cleared: bool) -> None:
        self._when_closed(cleared)


Values = Callable[[], Mapping[str, Sequence[str]]]


class CommandSuggester(Suggester):
    def __init__(self, values: Values) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values = values

    async def get_suggestion(self, value: str) -> str | None:
        return command_line.complete(value, self.values())


class CommandBox(Input):
    BINDINGS = [
        Binding("enter", "run", "Run", id="command_run", priority=True),
        Binding("escape", "close", "Close", id="command_close", priority=True),
        Binding("tab", "complete", "Complete", id="command_complete", priority=True),
    ]

    def __init__(
        self, on_enter: Callable[[str | None], None], values: Values, *, id: str | None = None
    ) -> None:
        """``values``: the tags and categories the library holds, for completion."""
        self._values = values
        super().__init__(
            placeholder="command: tab completes, :help lists them",
            suggester=CommandSuggester(values),
            id=id,
        )
        self._run_line = on_enter  # called with the line, or None when closed

    def action_complete(self) -> None:
        completed = command_line.complete(self.value, self._values())
        if completed:
            self.value = completed
            self.cursor_position = len(completed)

    def action_run(self) -> None:
        text, self.value = self.value, ""
        self._run_line(text)

    def action_close(self) -> None:
        self.value = ""
        self._run_line(None)
