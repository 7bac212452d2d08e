"""What the list and card triage share: the browse model, the app, the library."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from readq.tui.browse import Browse

if TYPE_CHECKING:
    from readq.library import Library
    from readq.tui.app import ReadqApp


class BrowsingScreen(Screen[None]):
    """A screen over the browse model (browse.py), whose changes it shows."""

    def __init__(self, browse: Browse) -> None:
        super().__init__()
        self.browse = browse

    @property
    def readq(self) -> ReadqApp:
        return cast("ReadqApp", self.app)

    @property
    def library(self) -> Library:
        return self.browse.library
