"""Keys handled strictly in order, each finished before the next one starts.

Keys come in bursts (a paste, tmux send-keys, a fast typist): ``nmy note``,
``tx⏎j1`` or ``/fog⏎`` arrive together, before the app has acted on the first.
Three things make a key land in the wrong place if it is handled too early:

- a screen that has just been opened (a dialog, card triage) has not yet
  focused its text box;
- a key forwarded to a widget (a letter typed into a text box) is handled on
  that widget's own queue, later: the key after it must wait for it, or
  ``enter`` would read the box before the letter is in it;
- at start-up the library is still being read (the app shows a saved first
  page meanwhile), and keys that change papers must wait for it.

So a key that arrives while any of these is pending is held, with every key
after it, and the held keys are replayed one at a time: the next only once the
previous one has gone through every widget it was forwarded and bubbled to,
and every message it set off there has been handled. Keys handled by a
binding of the screen (readq's are priority bindings) act at once, so triage
keys never wait.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import App
from textual.dom import DOMNode

# Never held: the keys that get a user out of an app that seems stuck.
NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})
# A widget that keeps posting messages (a blinking cursor) must not hold keys forever,
# nor one that closed before it reached our visit.
MAX_SETTLE_PASSES = 8
SETTLE_DEADLINE_SECONDS = 2.0


class KeyHolding(App[int]):
    def __init__(self) -> None:
        super().__init__()
        self._held_keys: list[events.Key] = []
        self._replaying: events.Key | None = None  # the held key posted again
        self._settling = False  # a key is still on its way through the widgets
        self._settle_count = 0  # which key's settling a deadline belongs to

    def waits_for_library(self, key: str) -> bool:
        """Whether ``key`` needs data that is still loading (the app says)."""
        return False

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if event is self._replaying:
            self._replaying = None
        elif event.key not in NEVER_HELD and self._holds(event.key):
            self._held_keys.append(event)
            event.stop()
            return
        way = (self.focused or self.screen).ancestors_with_self  # where it goes if forwarded
        await super().on_event(event)
        if event.is_forwarded:  # on its way to a widget's queue: the next key waits for it
            self._settling = True
            self._settle_count += 1
            count = self._settle_count
            self.set_timer(SETTLE_DEADLINE_SECONDS, lambda: self._give_up(count))
            self._settle(count, way, 0, quiet=True, passes=1)
        else:
            self.replay_held_keys()

    def _give_up(self, count: int) -> None:
        """Never hold keys for good: a settling that has not ended by now never will."""
        if self._settling and count == self._settle_count:
            self._settled()

    def _settled(self) -> None:
        self._settling = False
        self.replay_held_keys()

    def _holds(self, key: str) -> bool:
        return bool(
            self._held_keys
            or self._settling
            or self._replaying
            or self._screen_opening
            or self.waits_for_library(key)
        )

    @property
    def _screen_opening(self) -> bool:
        return not getattr(self.screen, "ready", True)

    def replay_held_keys(self) -> None:
        """Replay the next held key, unless what it waits for is still pending.

        Called when a screen is ready, when the library is read, and after each
        key; new keys queue behind the held ones meanwhile.
        """
        if self._replaying or self._settling or not self._held_keys or self._screen_opening:
            return
        if self.waits_for_library(self._held_keys[0].key):
            return
        held = self._held_keys.pop(0)
        self._replaying = events.Key(held.key, held.character)
        self.post_message(self._replaying)

    def press_after_held(self, key: str) -> None:
        """``key`` as if typed after every key held now: it acts once they have."""
        self._held_keys.append(events.Key(key, None))
        self.replay_held_keys()

    def on_screen_ready(self) -> None:
        self.replay_held_keys()

    def _settle(
        self, count: int, way: Sequence[DOMNode], position: int, *, quiet: bool, passes: int
    ) -> None:
        """Visit each node on ``way`` in turn, after what is queued for it now; once
        a whole pass finds every widget's queue empty, the key has settled.

        A key forwarded to a widget bubbles up through its parents to the app,
        where bindings such as a dialog's run; what it sets off (Input.Submitted,
        TextArea.Changed) is posted behind our visit, so one pass is not enough.
        """
        if count != self._settle_count:
            return  # given up on (see _give_up): a later key is settling now
        if position == len(way):
            if quiet or passes >= MAX_SETTLE_PASSES:
                self._settled()
            else:
                self._settle(count, way, 0, quiet=True, passes=passes + 1)
            return
        node = way[position]

        def visit() -> None:
            # Keys keep arriving in the app's own queue: only the widgets' count.
            # (A private attribute of Textual's MessagePump; textual is pinned < 9.)
            busy = node is not self and not node._message_queue.empty()
            self._settle(count, way, position + 1, quiet=quiet and not busy, passes=passes)

        if not node.call_later(visit):  # closing: nothing more will reach it
            self._settle(count, way, position + 1, quiet=quiet, passes=passes)
