"""The base of readq's dialogs: it says when it is ready for keys.

A key that opens a dialog is often followed by more in the same burst (a
paste, tmux send-keys, a fast typist). Those arrive before the dialog has
composed and focused its text box; the app holds them until the dialog posts
``Dialog.Ready`` and then replays them in order, so none is lost or typed
into the screen underneath (see ReadqApp.on_event).
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import ModalScreen, ScreenResultType


class Dialog(ModalScreen[ScreenResultType]):
    class Ready(Message):
        """The dialog is mounted and its first box has focus."""

    ready = False

    def on_mount(self) -> None:
        # After the first refresh the screen has focused its first box.
        self.call_after_refresh(self._announce_ready)

    def _announce_ready(self) -> None:
        self.ready = True
        self.app.post_message(self.Ready())
