"""The view picker: the saved views, filtered as you type, each with its count."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from readq.model import fold
from readq.tui.screens.choose import AnswersWithAnOption
from readq.views import SavedView

NO_VIEW = ""  # the answer that leaves every view: all papers, no search
Count = Callable[[SavedView], int]


class ViewPicker(AnswersWithAnOption):
    """Answers with the chosen view's name, NO_VIEW for none, or None on escape.

    ``count`` tells how many papers a view shows; it runs in a thread (a view's
    search may read every abstract at 100,000 papers), and each count appears
    beside its view when it is known."""

    AUTO_FOCUS = "Input"
    BINDINGS = [
        Binding("enter", "choose", "Choose", id="views_choose", priority=True),
        Binding("escape", "cancel", "Cancel", id="views_cancel", priority=True),
        Binding("down", "move(1)", "Next view", id="views_down", priority=True),
        Binding("up", "move(-1)", "Previous view", id="views_up", priority=True),
    ]

    def __init__(
        self,
        views: list[SavedView],
        active: str | None,
        count: Count,
        *,
        answer: Callable[[str | None], object] | None = None,
    ) -> None:
        super().__init__(answer)
        self.views, self.active, self._count = views, active, count
        self.counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Views"), classes="dialog-title")
            yield Input(placeholder="type to filter the views", id="views-filter")
            yield OptionList(id="views-list")
            yield Static(
                Text("enter: show it    escape: cancel    [views] in config.toml", style="dim")
            )

    def on_mount(self) -> None:
        super().on_mount()
        self._fill("")
        self._count_views()

    @work(thread=True, exclusive=True)
    def _count_views(self) -> None:
        for saved in self.views:
            number = self._count(saved)
            self.app.call_from_thread(self._counted, saved.name, number)

    def _counted(self, name: str, number: int) -> None:
        self.counts[name] = number
        self._fill(self.query_one(Input).value, keep_highlight=True)

    @on(Input.Changed, "#views-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def shown(self) -> list[SavedView]:
        """The views the typed text matches (in their names or queries)."""
        typed = fold(self.query_one(Input).value)
        return [v for v in self.views if typed in fold(v.name) or typed in fold(v.query)]

    def _fill(self, typed: str, *, keep_highlight: bool = False) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        views = self.shown()
        for saved in views:
            options.add_option(Option(self._label(saved), id=saved.name))
        if not typed.strip():
            options.add_option(
                Option(Text("no view: every paper, no search", style="dim"), NO_VIEW)
            )
        if keep_highlight and highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        elif options.option_count:
            names = [saved.name for saved in views]
            options.highlighted = names.index(self.active) if self.active in names else 0

    def _label(self, saved: SavedView) -> Text:
        # Text, never markup: names and queries come from the user's file.
        width = max(len(view.name) for view in self.views)
        label = Text(saved.name.ljust(width), style="bold" if saved.name == self.active else "")
        count = self.counts.get(saved.name)
        label.append(f"  {'…' if count is None else f'{count:,}':>7}", style="cyan")
        label.append(f"  {saved.query}", style="dim")
        if saved.sort:
            label.append(f"  sort: {saved.sort}{' (reversed)' if saved.reverse else ''}", "dim")
        return label

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            now = options.highlighted if options.highlighted is not None else -step
            options.highlighted = (now + step) % options.option_count
