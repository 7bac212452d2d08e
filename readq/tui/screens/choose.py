"""Pick one of several options: the filter menu."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from readq.tui.screens.dialog import Dialog


class AnswersWithAnOption(Dialog[str | None]):
    """A dialog around an OptionList that answers with the highlighted option's id
    on enter (or a click), and None on escape."""

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.finish(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.finish(event.option.id)  # a click

    def action_cancel(self) -> None:
        self.finish(None)


class Choose(AnswersWithAnOption):
    """Answers with the chosen option's id, or None on escape."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [
        Binding("enter", "choose", "Choose", id="choose_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="choose_cancel", priority=True),
    ]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        *,
        answer: Callable[[str | None], object] | None = None,
    ) -> None:
        super().__init__(answer)
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            # Text prompts: tag and category names come from imported files.
            yield OptionList(*(Option(Text(label), id=key) for key, label in self.options))
