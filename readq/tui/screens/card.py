"""Card triage (T): the papers shown, one at a time, full screen, decided by single keys.

Each decision is a Library change, durable at once and undoable, and goes to
the list's browse model as it is made, so the list and its counts are right
when the user comes back. The summary at the end is worked out from the
papers themselves (what changed since the cards began), so an undo is never
counted twice.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from readq.history import Change
from readq.model import Paper, Status
from readq.tui import editors
from readq.tui.bindings import CARD_BINDINGS
from readq.tui.browse import Browse
from readq.tui.screens.browsing import BrowsingScreen
from readq.tui.screens.dialog import AnnouncesReady
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.key_bar import KeyBar

OnChange = Callable[..., None]  # (change, *, undone=False)
# The key bar, most important first (binding ids).
KEY_BAR = ("card_help", "card_read", "card_keep", "card_priority_2", "card_tags", "card_note",
           "card_delete", "card_skip", "card_back", "card_undo", "card_leave")  # fmt: skip
# What works on the summary after the last card.
AT_THE_END = frozenset({"back", "leave", "undo", "help", "done"})


class CardScreen(AnnouncesReady, BrowsingScreen):
    BINDINGS = [
        *CARD_BINDINGS,
        Binding("enter", "done", "Back to the list", id="card_done", priority=True),
    ]
    AUTO_FOCUS = None

    def __init__(
        self, browse: Browse, *, on_change: OnChange, on_leave: Callable[[int | None], None]
    ) -> None:
        super().__init__(browse)
        self.ids = [paper.id for paper in browse.rows]
        self.position = browse.index  # from the cursor's paper on; b goes back before it
        self._changed = on_change
        self._left = on_leave
        self._on_cards = set(self.ids)
        # Each paper's state before the cards first changed it: recorded from the
        # change itself, so that opening the cards copies nothing.
        self._before: dict[int, State] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="card-progress")
        yield DetailPane(id="card")
        yield Static(id="card-summary")
        yield KeyBar(id="card-keys")

    def on_mount(self) -> None:
        self.sub_title = "card triage"
        keys = self.readq.keys_for
        descriptions = {b.id: b.description for b in self.BINDINGS if isinstance(b, Binding)}
        self.query_one(KeyBar).show_keys([(keys(i), descriptions[i]) for i in KEY_BAR])
        self.show()

    # --- showing ---------------------------------------------------------------------

    @property
    def paper(self) -> Paper | None:
        """The paper on the card, None once past the last one."""
        if self.position >= len(self.ids):
            return None
        return self.library.papers.get(self.ids[self.position])

    def show(self) -> None:
        paper = self.paper
        at_end = paper is None
        card = self.query_one(DetailPane)
        card.display = not at_end
        summary = self.query_one("#card-summary", Static)
        summary.display = at_end
        progress = self.query_one("#card-progress", Static)
        if at_end:
            progress.update(Text(f"Done: {len(self.ids)} of {len(self.ids)}", style="bold"))
            summary.update(self.summary())
            return
        assert paper is not None
        card.show(paper)
        line = Text(f"{self.position + 1} of {len(self.ids)}", style="bold")
        line.append(f"   {self.tally()}", style="dim")
        progress.update(line)

    def tally(self) -> str:
        """What the cards have changed so far, from the papers themselves."""
        read = kept = prioritised = tagged = noted = deleted = 0
        for paper_id, (status, priority, tags, notes) in self._before.items():
            paper = self.library.papers.get(paper_id)
            if paper is None:
                deleted += paper_id in self.library.deleted
                continue
            read += paper.status is Status.READ and status is not Status.READ
            kept += paper.status is Status.UNREAD and status is Status.READ
            prioritised += paper.priority != priority
            tagged += tuple(paper.tags) != tags
            noted += paper.notes != notes
        parts = [f"{read} read", f"{prioritised} prioritised", f"{tagged} tagged"]
        parts += [f"{noted} noted", f"{deleted} deleted"]
        if kept:
            parts.insert(1, f"{kept} marked unread")
        return ", ".join(parts)

    def summary(self) -> Text:
        text = Text("That was the last card.\n\n", style="bold")
        text.append(f"Of {len(self.ids)} papers: {self.tally()}.\n\n")
        text.append("enter / q: back to the list    b: back to the last card    u: undo", "dim")
        return text

    # --- deciding ----------------------------------------------------------------------

    def _change(self, make: Callable[[], Change], *, then_next: bool) -> Change | None:
        change = self.readq.run_change(make)
        if change is not None:
            self._remember(change)
            self._changed(change)
            if then_next:
                self._step(1)
            else:
                self.show()
        return change

    def _remember(self, change: Change, *, undone: bool = False) -> None:
        """Record the state the papers of ``change`` had before the cards changed them."""
        for paper_id, old in change.after if undone else change.before:
            if paper_id in self._on_cards and paper_id not in self._before:
                paper = self.library.papers.get(paper_id) or self.library.deleted[paper_id]
                status, priority, tags, notes = _state(paper)
                self._before[paper_id] = (
                    Status(old.get("status", status)),
                    old.get("priority", priority),
                    tuple(old.get("tags", tags)),
                    old.get("notes", notes),
                )

    def action_decide(self, decision: str) -> None:
        paper = self.paper
        if paper is None:
            return
        status = Status.READ if decision == "read" else Status.UNREAD
        self._change(lambda: self.library.set_status([paper.id], status), then_next=True)

    def action_priority(self, level: int) -> None:
        paper = self.paper
        if paper is not None:
            self._change(lambda: self.library.set_priority([paper.id], level), then_next=True)

    def action_delete(self) -> None:
        paper = self.paper
        if paper is not None and self._change(
            lambda: self.library.delete([paper.id]), then_next=True
        ):
            self.notify("Deleted; u brings it back.")

    def _edited(self, change: Change) -> None:
        self._remember(change)
        self._changed(change)
        self.show()

    def action_edit_tags(self) -> None:
        if self.paper is not None:
            editors.edit_tags(self.readq, [self.paper.id], self._edited)

    def action_edit_note(self) -> None:
        if self.paper is not None:
            editors.edit_note(self.readq, self.paper, self._edited)

    def action_undo(self) -> None:
        if self.library.history.next_undo() is None:
            self.notify("Nothing to undo.")
            return
        change = self.readq.run_change(self.library.undo)
        if change is None:
            return
        self._remember(change, undone=True)
        self._changed(change, undone=True)
        for paper_id in change.paper_ids:  # back to the card that changed
            if paper_id in self.ids:
                self.position = self.ids.index(paper_id)
                break
        self.notify(f"Undo: {change.label}", markup=False)
        self.show()

    # --- moving ------------------------------------------------------------------------

    def _step(self, step: int) -> None:
        """To the next (or previous) card whose paper is still in the library; past
        the last card is the summary."""
        position = self.position + step
        while 0 <= position < len(self.ids) and self.ids[position] not in self.library.papers:
            position += step
        if position < 0:
            return  # no card before this one
        self.position = min(position, len(self.ids))
        self.query_one(DetailPane).scroll_home(animate=False)
        self.show()

    def action_skip(self) -> None:
        if self.paper is not None:
            self._step(1)

    def action_back(self) -> None:
        if self.position > 0:
            self._step(-1)

    def action_scroll_lines(self, lines: int) -> None:
        self.query_one(DetailPane).action_scroll_lines(lines)

    def action_scroll_pages(self, pages: int) -> None:
        self.query_one(DetailPane).action_scroll_pages(pages)

    def action_help(self) -> None:
        self.readq.show_help()

    def action_leave(self) -> None:
        paper = self.paper
        if paper is None and self.ids:  # after the last card: the list shows the last one
            paper = self.library.papers.get(self.ids[-1])
        self.dismiss()
        self._left(paper.id if paper else None)

    def action_done(self) -> None:
        self.action_leave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.paper is None:
            return action in AT_THE_END
        return action != "done"


State = tuple[Status, int, tuple[str, ...], str]


def _state(paper: Paper) -> State:
    return paper.status, paper.priority, tuple(paper.tags), paper.notes
