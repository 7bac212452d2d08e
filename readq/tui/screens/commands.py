"""What each ``:`` command does on the triage screen (command_line.py parses them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readq.model import Status
from readq.tui import command_line, editors
from readq.tui.command_line import CommandError
from readq.tui.widgets.boxes import SearchBox

if TYPE_CHECKING:
    from readq.tui.screens.main import MainScreen

PRIORITIES = ("0", "1", "2", "3")


class CommandRunner:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.browse = screen.browse
        self.library = screen.library

    def run(self, text: str) -> None:
        """Run one command line; a mistake is one line in a notification."""
        try:
            parsed = command_line.parse(text)
            command, arguments = parsed.command, parsed.arguments
            if command.action or (not arguments and command.fallback):
                self.screen.run_action_now(command.action or command.fallback)
            else:
                getattr(self, command.method)(arguments)
        except CommandError as error:
            self.screen.notify(str(error), severity="error", markup=False)

    def sort(self, arguments: list[str]) -> None:
        field, *rest = (word.lower() for word in arguments)
        if rest and rest != ["reverse"]:
            raise CommandError("usage: :sort FIELD [reverse]")
        self.screen.set_view(self.browse.view.with_(sort=field, reverse=bool(rest)))

    def tag(self, arguments: list[str]) -> None:
        targets = self.browse.targets
        bulk = bool(self.browse.selected)
        change = editors.tag_change(self.screen.readq, targets, arguments)
        if change is not None:
            self.screen.changed(change)
            self.screen.notify(change.label.capitalize(), markup=False)
            if bulk and self.browse.clear_selection():
                self.screen.show()

    def priority(self, arguments: list[str]) -> None:
        if arguments[0] not in PRIORITIES:
            raise CommandError(f"the priority is 0 to 3, not {arguments[0]!r}.")
        self.screen.action_priority(int(arguments[0]))

    def read(self, _: list[str]) -> None:
        targets = self.browse.targets
        self.screen.change(lambda: self.library.set_status(targets, Status.READ))

    def unread(self, _: list[str]) -> None:
        targets = self.browse.targets
        self.screen.change(lambda: self.library.set_status(targets, Status.UNREAD))

    def note(self, arguments: list[str]) -> None:
        paper = self.browse.current
        if paper is not None:
            text = " ".join(arguments)
            change = self.screen.change(
                lambda: self.library.append_note(paper.id, text), on_selection=False
            )
            if change:
                self.screen.notify(f"Added to the note of #{paper.id}.")

    def search(self, arguments: list[str]) -> None:
        box = self.screen.query_one(SearchBox)
        box.display = True
        (box.value,) = arguments  # its Changed message runs the search

    def filter(self, arguments: list[str]) -> None:
        kind, *rest = arguments
        kind = kind.lower()
        needs_value = kind in ("priority", "tag", "category")
        if needs_value != bool(rest):
            raise CommandError(
                f":filter {kind} {'takes a value' if needs_value else 'takes nothing more'}."
            )
        if kind == "priority" and rest[0] not in PRIORITIES:
            raise CommandError(f"the priority is 0 to 3, not {rest[0]!r}.")
        self.screen.filter_by(kind, rest[0] if rest else "")

    def goto(self, arguments: list[str]) -> None:
        word = arguments[0].lstrip("#")
        if not (word.isascii() and word.isdigit()):
            raise CommandError(f"{arguments[0]!r} is not a paper id.")
        paper_id = int(word)
        if not self.browse.go_to_paper(paper_id):
            if paper_id not in self.library.papers:
                raise CommandError(f"there is no paper #{paper_id}.")
            # Filtered out: show all.
            self.screen.set_view(self.browse.fresh_view(sort=self.browse.view.sort))
            self.browse.go_to_paper(paper_id)
            self.screen.notify(f"#{paper_id} was hidden by the search or filter: cleared.")
        self.screen.show()

    def fetch(self, arguments: list[str]) -> None:
        feeds = {feed.name: feed for feed in self.screen.readq.settings.feeds}
        unknown = [name for name in arguments if name not in feeds]
        if unknown:
            known = ", ".join(feeds) or "none: add one with `readq feeds add NAME URL`"
            raise CommandError(f"there is no feed called {unknown[0]!r} (the feeds: {known}).")
        self.screen.readq.start_fetch(feeds=[feeds[name] for name in dict.fromkeys(arguments)])

    def import_(self, arguments: list[str]) -> None:
        self.screen.readq.start_import(arguments[0])

    def export(self, arguments: list[str]) -> None:
        self.screen.readq.start_export(list(self.browse.rows), arguments[0])
