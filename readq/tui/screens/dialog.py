"""The base of readq's screens and dialogs: ready for keys, and answers at once.

A key that opens a screen is often followed by more in the same burst (a
paste, tmux send-keys, a fast typist). Those arrive before the screen has
composed and focused its text box; the app holds them until the screen posts
``ScreenReady`` and then replays them in order (held_keys.py).

A dialog answers synchronously: the key that closes it (a priority binding)
pops it and hands the answer to whoever opened it before the next key is
handled. Textual's own screen callbacks run a moment later, on the opener's
queue, which let the key after ``enter`` reach the dialog being closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.message import Message
from textual.screen import ModalScreen, Screen

Answer = TypeVar("Answer")


class ScreenReady(Message):
    """The screen is mounted and its first box has focus."""


class AnnouncesReady:
    """Mixed into a Screen: ``ready`` turns True after its first refresh."""

    ready = False

    def on_mount(self) -> None:
        assert isinstance(self, Screen)
        # After the first refresh the screen has focused its first box.
        self.call_after_refresh(self._announce_ready)

    def _announce_ready(self) -> None:
        assert isinstance(self, Screen)
        self.ready = True
        self.app.post_message(ScreenReady())


class Dialog(AnnouncesReady, ModalScreen[None], Generic[Answer]):
    """A modal question whose answer goes to ``answer`` (None: nobody is waiting)."""

    def __init__(self, answer: Callable[[Answer], object] | None = None) -> None:
        super().__init__()
        self._answer = answer

    def finish(self, result: Answer) -> None:
        """Close the dialog, then hand over its answer, both before the next key."""
        self.dismiss()
        if self._answer is not None:
            self._answer(result)
