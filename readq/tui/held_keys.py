"""Keys that arrive before what they are for is ready: held, then replayed in order.

Keys come in bursts (a paste, tmux send-keys, a fast typist): ``nmy note``
or ``tml⏎`` arrive together. Two things are not ready for such a burst: a
dialog that has just been opened (its text box has no focus yet) and, at
start-up, the library (the app shows a saved first page while it loads).
Keys that would land too early are held, with every key after them, and
replayed one at a time: the next is replayed only once the previous one has
made its way through every widget it is forwarded and bubbled to, so a key
after ``ctrl+s`` reaches the list, not the note that ``ctrl+s`` saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import events
from textual.app import App
from textual.dom import DOMNode

from readq.tui.screens.dialog import Dialog

# Never held: the keys that get a user out of an app that seems stuck.
NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})


class KeyHolding(App[int]):
    def __init__(self) -> None:
        super().__init__()
        self._held_keys: list[events.Key] = []
        self._replaying: events.Key | None = None  # the held key posted again
        self._settling = False  # a replayed key is still on its way through the widgets

    def waits_for_library(self, key: str) -> bool:
        """Whether ``key`` needs data that is still loading (the app says)."""
        return False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event is self._replaying:
                self._replaying, self._settling = None, True
                way = (self.focused or self.screen).ancestors_with_self  # where it goes
                await super().on_event(event)
                self._when_settled(way, self._settled)
                return
            if event.key not in NEVER_HELD and self._holds(event.key):
                self._held_keys.append(event)
                event.stop()
                return
        await super().on_event(event)

    def _holds(self, key: str) -> bool:
        return bool(self._held_keys) or self._dialog_opening or self.waits_for_library(key)

    @property
    def _dialog_opening(self) -> bool:
        return isinstance(self.screen, Dialog) and not self.screen.ready

    def replay_held_keys(self) -> None:
        """Replay the next held key, unless what it waits for is still pending.

        Called when a dialog is ready, when the library is read, and after each
        replayed key; new keys queue behind the held ones meanwhile.
        """
        if self._replaying or self._settling or not self._held_keys or self._dialog_opening:
            return
        if self.waits_for_library(self._held_keys[0].key):
            return
        held = self._held_keys.pop(0)
        self._replaying = events.Key(held.key, held.character)
        self.post_message(self._replaying)

    def on_dialog_ready(self) -> None:
        self.replay_held_keys()

    def _when_settled(self, way: Sequence[DOMNode], then: Callable[[], None]) -> None:
        """Run ``then`` once each node on ``way`` in turn has worked through what is
        queued for it now: a key forwarded to a widget bubbles up through its
        parents to the app, where bindings such as a dialog's ctrl+s run."""
        if not way:
            then()
        elif not way[0].call_later(self._when_settled, way[1:], then):
            self._when_settled(way[1:], then)  # closing: nothing more will reach it

    def _settled(self) -> None:
        self._settling = False
        self.replay_held_keys()
