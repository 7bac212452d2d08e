"""The note editor: a TextArea whose every change is kept as a draft on disk."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static, TextArea

from readq.drafts import Drafts
from readq.model import Paper
from readq.tui.screens.confirm import Confirm
from readq.tui.screens.dialog import Dialog


class NoteEditor(Dialog[str | None]):
    """Answers with the text to save, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note_cancel", priority=True),
    ]
    unsaved: reactive[bool] = reactive(False)

    def __init__(
        self,
        paper: Paper,
        drafts: Drafts,
        *,
        answer: Callable[[str | None], object] | None = None,
    ) -> None:
        super().__init__(answer)
        self.paper = paper
        self.drafts = drafts
        self.draft = drafts.get(paper.id)
        self.draft_failed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            title = Text(f"Note on #{self.paper.id}: ")
            title.append(self.paper.title, style="bold")
            yield Static(title, classes="dialog-title")
            text = self.draft if self.draft is not None else self.paper.notes
            yield TextArea(text, language="markdown", soft_wrap=True, id="note-text")
            yield Static(Text("ctrl+s: save    escape: cancel", style="dim"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self.draft is not None and self.draft != self.paper.notes:
            self.unsaved = True
            self.notify("Restored your unsaved draft of this note.")

    @on(TextArea.Changed)
    def keep_draft(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        self.unsaved = text != self.paper.notes
        try:
            if self.unsaved:
                self.drafts.save(self.paper.id, text)
            else:
                self.drafts.discard(self.paper.id)
        except OSError as error:
            if not self.draft_failed:  # once is enough while typing
                self.notify(
                    f"Could not keep a draft on disk ({error.strerror}); save with ctrl+s.",
                    severity="warning",
                    markup=False,
                )
            self.draft_failed = True
        else:
            self.draft_failed = False

    def watch_unsaved(self, unsaved: bool) -> None:
        self.query_one("#note-help", Static).update(
            Text(
                ("● unsaved    " if unsaved else "") + "ctrl+s: save    escape: cancel",
                style="dim",
            )
        )

    def action_save(self) -> None:
        self.finish(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        if not self.unsaved:
            self.finish(None)
            return

        def answered(discard: bool) -> None:
            if discard:
                self.drafts.discard(self.paper.id)
                self.finish(None)

        self.app.push_screen(Confirm("Discard the unsaved changes to this note?", answer=answered))
