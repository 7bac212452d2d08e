"""The line that shows an import or export under way: what, how far, how to stop it."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from readq.sanitize import clean_line
from readq.transfer import Progress


def describe(
    what: str,
    progress: Progress | None,
    steps: Mapping[str, str] | None = None,
    finished: Collection[str] = (),
) -> Text:
    text = Text(what, style="bold")
    if steps:  # a fetch: how many feeds are done, and each other one's step
        text.append(f", {len(finished)} done")
        waiting = [(name, step) for name, step in steps.items() if name not in finished]
        for number, (name, step) in enumerate(waiting):
            text.append(": " if number == 0 else " · ")
            text.append(clean_line(name), style="bold")
            text.append(f" {step}")
    elif progress is not None:
        if progress.stage == "parsing":
            text.append(f": {progress.papers:,} papers read so far")
        elif progress.stage == "saving":
            text.append(f": saving {progress.papers:,} papers")
        elif progress.stage == "reading":
            text.append(f": {progress.done / 2**20:.1f} MiB read")
    text.append("   ctrl+x cancels", style="dim")
    return text


class TransferBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static(id="transfer-what")
        yield ProgressBar(show_eta=False, id="transfer-bar")

    def show_progress(
        self,
        what: str,
        progress: Progress | None,
        steps: Mapping[str, str] | None = None,
        finished: Collection[str] = (),
    ) -> None:
        """An import or export's Progress; a fetch's ``steps`` (one per feed), the
        ``finished`` feeds done."""
        self.query_one("#transfer-what", Static).update(describe(what, progress, steps, finished))
        bar = self.query_one(ProgressBar)
        # A bar for bytes read when the size is known, or of feeds; else a "busy" bar.
        if steps:
            bar.update(total=len(steps), progress=len(finished))
        elif progress is not None and progress.total:
            bar.update(total=progress.total, progress=progress.done)
        else:
            bar.update(total=None)
