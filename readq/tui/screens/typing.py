"""Dialogs that take typing: keys that arrive before the text box has focus reach it."""

from __future__ import annotations

from textual import events
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Input, TextArea


class TypingDialog(ModalScreen[ScreenResultType]):
    """Typed keys that reach the screen itself are handed to the focused text box.

    A key opening the dialog is often followed by more in the same burst (a
    paste, tmux send-keys, a fast typist). Those are dispatched to the screen
    before it has focused its text box; without this they would be lost.
    """

    def on_key(self, event: events.Key) -> None:
        # A text box stops the printable keys it receives, so one that reaches
        # the screen while a box has focus never went to the box.
        box = self.focused
        if event.is_printable and isinstance(box, Input | TextArea):
            event.stop()
            event.prevent_default()
            box.post_message(events.Key(event.key, event.character))
