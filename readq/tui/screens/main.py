"""MainScreen: the triage screen, the list beside the details, and every key on it.

Its state is the browse model (browse.py); the widgets draw it. Every change
goes through the Library, which makes it durable before returning, and then
into the browse model from the change itself, so what the screen shows is on
disk and the counts are true.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote_plus

from rich.text import Text
from textual import on, work
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from readq.history import Change
from readq.model import Paper, Status
from readq.query import FOR_YOU, SORTS, View, count, highlights, parsed
from readq.querylang import QueryError
from readq.rank.bars import bar
from readq.sanitize import clean_line
from readq.tui import editors
from readq.tui import searcher as searching
from readq.tui.bindings import MAIN_ACTIONS, MAIN_BINDINGS
from readq.tui.browse import Browse
from readq.tui.screens.browsing import BrowsingScreen
from readq.tui.screens.card import CardScreen
from readq.tui.screens.choose import Choose
from readq.tui.screens.commands import CommandRunner
from readq.tui.screens.confirm import Confirm
from readq.tui.screens.prompt import Prompt
from readq.tui.screens.views import ViewPicker
from readq.tui.widgets.boxes import CommandBox, SearchBox
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.key_bar import KeyBar
from readq.tui.widgets.paper_list import PaperList
from readq.tui.widgets.status_line import StatusLine, loading_text, status_text
from readq.tui.widgets.transfer_bar import TransferBar
from readq.views import SavedView

if TYPE_CHECKING:
    from readq.tui.transfers import Job

NARROW_BELOW = 100  # columns; below this the details take the whole width, by tab
CHROME_LINES = 4  # header, the list's header row, status line, key bar
TRANSFER_EVERY_SECONDS = 0.1
# What works on the saved first page while the rest of the library loads.
PREVIEW_ACTIONS = frozenset(
    {"cursor", "first", "last", "page", "help", "quit", "switch_pane", "scroll_details"}
    | {"suspend", "command_line", "next_unread", "cancel_transfer"}
)
# Keys the details pane takes over while it has focus (it is then a pager).
PAGER_ACTIONS = frozenset({"cursor", "first", "last", "page", "toggle_read"})
# The key bar (binding ids), most important first: help is always there, tab on narrow terminals.
KEY_BAR = ("help", "switch_pane", "toggle_read", "read_next", "edit_note", "edit_tags",
           "search", "views", "for_you", "command_line", "card_triage", "toggle_unread",
           "cycle_sort", "undo", "quit")  # fmt: skip
WELCOME = """\
Your library is empty.

  i                      import a file of papers (a pasted listing, BibTeX, RIS, …)
  readq import FILE      the same from the shell
  readq --demo           try readq on a throwaway library of demo papers

Press ? for every key, q to quit.
"""


class MainScreen(BrowsingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS]
    AUTO_FOCUS = None  # keys go to the screen; a box takes focus only when opened

    def __init__(self, browse: Browse) -> None:
        super().__init__(browse)
        self.searcher = searching.Searcher()
        self.show_details_narrow = False
        self._before_search: int | None = None  # the paper to go back to when it is cleared
        self._values: dict[str, list[str]] | None = None  # for the command line's completion
        self._transfer_timer: Timer | None = None
        self._on_paper: int | None = None  # the paper the cursor was on when last shown
        self.search_error: QueryError | None = None  # the search box's text cannot be read

    # --- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="list-column"):
                yield PaperList(self.browse, id="papers")
                yield Static(id="empty")
                yield Static(Text(WELCOME), id="welcome")
            yield DetailPane(id="detail")
        yield TransferBar(id="transfer")
        yield SearchBox(self.close_search, id="search")
        yield CommandBox(self.run_command_line, self._completion_values, id="command")
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        search = self.query_one(SearchBox)
        with search.prevent(Input.Changed):  # a saved view opened on: its query, to refine
            search.value = self.browse.view.search
        search.display = bool(search.value)
        self.query_one(CommandBox).display = False
        self.query_one(TransferBar).display = False
        # The page size from the terminal's height now, so that the first frame
        # shows a whole page; the list's own height corrects it when laid out.
        self._resize_page(self.app.size.height - CHROME_LINES)
        self._layout_for(self.app.size.width)
        self.show()

    def on_unmount(self) -> None:
        self.searcher.close()

    def on_resize(self, event: Resize) -> None:
        self._layout_for(event.size.width)

    @on(PaperList.Resized)
    def _list_resized(self, event: PaperList.Resized) -> None:
        if event.rows >= 1:  # hidden behind the details (narrow terminals): keep the size
            self._resize_page(event.rows)
            self.show()

    def _resize_page(self, rows: int) -> None:
        self.browse.resize(self.readq.settings.page_size or rows)

    def show_transfer(self, job: Job | None) -> None:
        """Show (or, with None, hide) an import or export under way."""
        bar = self.query_one(TransferBar)
        bar.display = job is not None
        if self._transfer_timer is not None:
            self._transfer_timer.stop()
            self._transfer_timer = None
        if job is not None:

            def draw() -> None:
                bar.show_progress(job.what, job.progress, job.steps, job.finished)

            draw()
            self._transfer_timer = self.set_interval(TRANSFER_EVERY_SECONDS, draw)

    def action_cancel_transfer(self) -> None:
        self.readq.transfers.cancel()

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW_BELOW

    def _layout_for(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.show_details_narrow, "-details-only")
        keys = self.readq.keys_for
        shown = [name for name in KEY_BAR if name != "switch_pane" or narrow]
        self.query_one(KeyBar).show_keys([(keys(name), _description(name)) for name in shown])

    # --- showing -----------------------------------------------------------------

    def show(self, changed: Iterable[int] = ()) -> None:
        """Draw what the browse model holds now; ``changed`` papers' rows are redrawn."""
        browse = self.browse
        changed = self._leave_new_paper(changed)
        empty_library = len(self.library) == 0 and not self.readq.loading
        papers = self.query_one(PaperList)
        papers.display = bool(browse.rows)
        self.query_one("#welcome").display = empty_library
        empty = self.query_one("#empty", Static)
        empty.display = not browse.rows and not empty_library
        if empty.display:
            empty.update(self._nothing_shown())
        papers.sync(changed)
        current = browse.current
        why = self.readq.ranker.why(current) if current is not None else None
        self.query_one(DetailPane).show(current, highlights(browse.view), why)
        progress = self.readq.load_progress()
        if progress is not None:
            self.sub_title = "loading…"
            self.query_one(StatusLine).update(loading_text(self.readq.papers_to_load, progress))
            return
        counts = browse.counts
        self.sub_title = f"{counts.total} papers · {counts.unread} unread"
        self.query_one(StatusLine).update(status_text(browse, self.search_error))

    def _leave_new_paper(self, changed: Iterable[int]) -> Iterable[int]:
        """A new paper the cursor has left is seen: its mark goes (its row redrawn)."""
        current = self.browse.current
        left = self._on_paper
        self._on_paper = current.id if current is not None else None
        if left is None or left == self._on_paper or left in self.browse.seen:
            return changed
        self.browse.seen.add(left)
        return [*changed, left]

    def _nothing_shown(self) -> Text:
        if self.readq.loading:
            return Text("Reading the library…")
        view = self.browse.view
        if view.search:
            text = Text("No paper matches ")
            text.append(f'"{view.search}"', style="bold")
            if view.with_(name=None) != self.browse.fresh_view(
                search=view.search, sort=view.sort, reverse=view.reverse
            ):
                text.append(f" ({view.describe()})")
            text.append(".\n\n")
            if "is:new" in view.search:
                fetch = self.readq.keys_for("fetch").split(",")[0]
                text.append(f"Nothing new has arrived since readq was last closed; {fetch} ")
                text.append("fetches the feeds.\n")
            text.append("escape clears the search; / changes it.")
            return text
        if view.status == "unread" and self.library.unread_count == 0:
            return Text("All read: there is no unread paper left.\n\nf shows every paper.")
        return Text(f"No paper matches the filter ({view.describe()}).\n\nF offers to clear it.")

    def change(self, make: Callable[[], Change], *, on_selection: bool = True) -> Change | None:
        """Make a Library change (durable before it returns) and show it. A change
        made on the selection uses it up: later keys act on the cursor's paper."""
        from_selection = on_selection and bool(self.browse.selected)
        change = self.readq.run_change(make)
        if change is not None:
            self.changed(change)
            if from_selection and self.browse.clear_selection():
                self.notify(f"{change.label.capitalize()}; the selection is cleared.")
                self.show()
        return change

    def changed(self, change: Change, *, undone: bool = False) -> None:
        """Show a change made elsewhere (a dialog, card triage, undo)."""
        self.show(self.browse.apply(change, undone=undone))
        self.readq.ranker.decided(change)

    # --- moving ------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.browse.move(step)
        self.show()

    def action_first(self) -> None:
        self.browse.first()
        self.show()

    def action_last(self) -> None:
        self.browse.last()
        self.show()

    def action_page(self, step: int) -> None:
        self.browse.turn_page(step)
        self.show()

    def action_next_unread(self, step: int) -> None:
        if not self.browse.next_unread(step):
            where = "below" if step > 0 else "above"
            self.notify(f"No unread paper {where} this one.")
        self.show()

    @on(PaperList.Clicked)
    def _follow_mouse(self, event: PaperList.Clicked) -> None:
        self.browse.go_to(self.browse.page_start + event.row)
        self.show()

    def action_scroll_details(self, direction: int) -> None:
        if self.narrow and not self.show_details_narrow:
            self.action_switch_pane()  # the list hides the details: show them first
        self.query_one(DetailPane).scroll_half(direction)

    def action_switch_pane(self) -> None:
        detail = self.query_one(DetailPane)
        if self.narrow:
            self.show_details_narrow = not self.show_details_narrow
            self._layout_for(self.app.size.width)
            self.set_focus(detail if self.show_details_narrow else None)
        else:
            self.set_focus(None if detail.has_focus else detail)

    # --- triage --------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        targets = self.browse.targets
        if not targets:
            return
        if len(targets) == 1:
            self.change(lambda: self.library.toggle_read(targets[0]))
            return
        papers = [self.library.get(i) for i in targets]
        status = Status.UNREAD if all(p.is_read for p in papers) else Status.READ
        self.change(lambda: self.library.set_status(targets, status))

    def action_read_next(self) -> None:
        targets = self.browse.targets
        bulk = bool(self.browse.selected)
        changed = targets and self.change(lambda: self.library.set_status(targets, Status.READ))
        if changed and not bulk:
            self.action_cursor(1)

    def action_mark_all_read(self) -> None:
        ids = self.browse.all_shown
        unread = self.browse.counts.shown_unread
        if not unread:
            self.notify("Every paper shown is read already.")
            return

        def answered(yes: bool) -> None:
            if yes:
                change = self.change(
                    lambda: self.library.set_status(ids, Status.READ), on_selection=False
                )
                if change:
                    self.notify(f"Marked {unread} papers read; u undoes it.")

        question = f"Mark all {len(ids)} papers shown read ({unread} unread now)?"
        self.app.push_screen(Confirm(question, answer=answered))

    def action_open_and_read(self) -> None:
        paper = self.browse.current
        if paper is not None:
            self.action_open()
            if not paper.is_read:
                self.change(
                    lambda: self.library.set_status([paper.id], Status.READ), on_selection=False
                )

    def action_priority(self, level: int) -> None:
        targets = self.browse.targets
        if targets:
            self.change(lambda: self.library.set_priority(targets, level))

    def action_select(self) -> None:
        current = self.browse.current
        if current is None:
            return
        selected = self.browse.toggle_selected(current.id)
        self.show([current.id])
        if selected:
            self.action_cursor(1)

    def action_select_all(self) -> None:
        count = self.browse.select_all()
        self.show()
        self.notify(f"{count} papers selected; the next action applies to all of them.")

    def action_clear_selection(self) -> None:
        """escape: out of the details, else the selection cleared, else the search."""
        if self.query_one(DetailPane).has_focus:
            self.action_switch_pane()
        elif self.browse.clear_selection():
            self.show()
        elif self.browse.view.search:
            self.close_search(cleared=True)

    def action_delete(self) -> None:
        targets = self.browse.targets
        if not targets:
            return
        if len(targets) == 1:
            question = Text("Delete ")
            question.append(self.library.get(targets[0]).title, style="bold")
            question.append(" from the library?")
        else:
            question = Text(f"Delete the {len(targets)} selected papers from the library?")
        question.append(f"\nu brings {'it' if len(targets) == 1 else 'them'} back.", style="dim")

        def answered(yes: bool) -> None:
            if yes and self.change(lambda: self.library.delete(targets)):
                back = "it" if len(targets) == 1 else "them"
                self.notify(f"Deleted {_papers(len(targets))}; u brings {back} back.")

        self.app.push_screen(Confirm(question, answer=answered))

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        history = self.library.history
        if (history.next_undo() if undo else history.next_redo()) is None:
            self.notify(f"Nothing to {'undo' if undo else 'redo'}.")
            return
        change = self.readq.run_change(self.library.undo if undo else self.library.redo)
        if change is None:
            return
        changed = self.browse.apply(change, undone=undo)
        if change.paper_ids:
            self.browse.go_to_paper(change.paper_ids[0])  # show what changed back
        self.show(changed)
        self.notify(f"{'Undo' if undo else 'Redo'}: {change.label}", markup=False)

    def action_card_triage(self) -> None:
        if not self.browse.rows:
            self.notify("No paper is shown: nothing to triage.")
            return
        self.app.push_screen(CardScreen(self.browse, on_change=self.changed, on_leave=self._back))

    def _back(self, paper_id: int | None) -> None:
        if paper_id is not None:
            self.browse.go_to_paper(paper_id)
        self.browse.redraw_all()
        self.show()

    # --- notes and tags ------------------------------------------------------------------

    def action_edit_note(self) -> None:
        if self.browse.current is not None:
            editors.edit_note(self.readq, self.browse.current, self.changed)

    def action_edit_note_outside(self) -> None:
        if self.browse.current is not None:
            editors.edit_note_outside(self.readq, self.browse.current, self.changed)

    def action_edit_tags(self) -> None:
        bulk = bool(self.browse.selected)

        def done(change: Change) -> None:
            self.changed(change)
            if bulk and self.browse.clear_selection():
                self.show()

        editors.edit_tags(self.readq, self.browse.targets, done)

    # --- search and filters ---------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one(SearchBox)
        if not self.browse.view.search and self.browse.current is not None:
            self._before_search = self.browse.current.id
        search.display = True
        search.cursor_position = len(search.value)  # then selected by the focus: end refines
        # Focus now, not on the next message loop: keys typed right after / must
        # land in the search box, not run as commands ("o" would open a browser).
        self.set_focus(search)

    def close_search(self, cleared: bool) -> None:
        search = self.query_one(SearchBox)
        if cleared:
            with search.prevent(Input.Changed):  # searched for here, before the next key
                search.value = ""
            search.display = False
            self._search_for("")
            if self._before_search is not None and self.browse.go_to_paper(self._before_search):
                self.show()  # back where the search began (found at once below 20,000)
            self._before_search = None
        elif not search.value:
            search.display = False
        self.set_focus(None)

    @on(Input.Changed, "#search")
    def _search_as_you_type(self, event: Input.Changed) -> None:
        self._search_for(event.value)

    def _search_for(self, text: str) -> None:
        """Show the papers ``text`` finds; a query that cannot be read is said on the
        status line, and the list keeps the last one that could."""
        self._find(self._searched(text))

    def _find(self, view: View) -> None:
        """Show ``view``: in the searcher's thread for a large library."""
        try:
            parsed(view)
        except QueryError as error:
            self.search_error = error
            self.show()
            return
        self.search_error = None
        if len(self.library) < searching.IN_THREAD_FROM:
            self.set_view(view)
            return
        version = self.browse.generation

        def deliver(view: View, rows: list[Paper]) -> None:
            self.app.call_from_thread(self._show_search, view, rows, version)

        browse = self.browse
        self.searcher.submit(
            self.library,
            view,
            (browse.view, browse.rows),
            deliver,
            state=(browse.changes, browse.reloads),
            selected=browse.selected,
        )

    def _searched(self, text: str) -> View:
        """The view shown with ``text`` as its search: still the saved view it came
        from while the text is that view's query."""
        view = self.browse.view
        saved = self.readq.settings.views.get(view.name or "")
        name = view.name if saved is not None and saved.query == text else None
        return view.with_(search=text, name=name)

    def _show_search(self, view: View, rows: list[Paper], generation: int) -> None:
        text = self.query_one(SearchBox).value
        if view.search != text:
            return  # overtaken by a later keystroke, whose search is on its way
        if generation != self.browse.generation:
            self._search_for(text)  # the rows changed meanwhile (a filter, an import)
            return
        self.set_view(view, rows)

    def set_view(self, view: View, rows: list[Paper] | None = None) -> None:
        self.browse.show(view, rows)
        self.readq.remember_view(view.name)
        self.show()

    # --- saved views ------------------------------------------------------------------

    def action_views(self) -> None:
        views = list(self.readq.settings.views.values())
        papers = list(self.library)  # taken here: the counting thread must not see it change
        selected = set(self.browse.selected)
        shown = self.browse.view  # for what is:new means

        def counted(saved: SavedView) -> int:
            return count(papers, saved.view(shown), selected=selected)

        def chosen(name: str | None) -> None:
            if name is not None:
                self.show_saved_view(name)

        self.app.push_screen(ViewPicker(views, self.browse.view.name, counted, answer=chosen))

    def show_saved_view(self, name: str) -> None:
        """Show the saved view ``name`` (NO_VIEW: none), its query in the search box
        to refine; set_view remembers it for the next start."""
        saved = self.readq.settings.views.get(name)
        browse = self.browse
        view = saved.view(browse.view) if saved else browse.fresh_view(sort=browse.view.sort)
        search = self.query_one(SearchBox)
        with search.prevent(Input.Changed):
            search.value = view.search
        search.display = bool(view.search)
        self.search_error = None
        self._find(view)

    def action_toggle_unread(self) -> None:
        view = self.browse.view
        self.set_view(view.with_(status="all" if view.status == "unread" else "unread"))

    def action_cycle_sort(self) -> None:
        view = self.browse.view
        self.set_view(view.with_(sort=SORTS[(SORTS.index(view.sort) + 1) % len(SORTS)]))

    def action_reverse_sort(self) -> None:
        self.set_view(self.browse.view.with_(reverse=not self.browse.view.reverse))

    # --- for you ----------------------------------------------------------------------

    def action_for_you(self) -> None:
        """Sort by the ranking; already so, sort again by the latest ranking (the
        rows keep their order while you triage), best first."""
        browse = self.browse
        ranker = self.readq.ranker
        if browse.view.sort == FOR_YOU and not browse.view.reverse:
            browse.reload()
            browse.first()
            self.show()
        else:
            self.set_view(browse.view.with_(sort=FOR_YOU, reverse=False))
        if ranker.ranking is None:
            ranker.refresh()
            self.notify("For you: still learning from your library; newest first until then.")
        else:
            self.notify(f"For you: {ranker.ranking.sureness}.", markup=False)

    def action_similar(self) -> None:
        paper = self.browse.current
        if paper is not None:
            self._find_similar(paper)

    @work(thread=True, exclusive=True, group="similar")
    def _find_similar(self, paper: Paper) -> None:
        """The vectors file is read for it (45 MB at 100,000 papers): in a thread."""
        found = self.readq.ranker.similar(paper, SIMILAR_SHOWN)
        self.app.call_from_thread(self._show_similar, paper, found)

    def _show_similar(self, paper: Paper, found: list[tuple[int, float]] | None) -> None:
        if found is None:
            self.readq.ranker.refresh()
            self.notify("Still reading the papers' words; try again in a moment.")
            return
        if not found:
            self.notify("No other paper shares its words, authors or categories.")
            return
        papers = self.library.papers
        options = [(str(i), similar_label(papers[i], cosine)) for i, cosine in found if i in papers]
        title = f"Papers most like: {clean_line(paper.title)}"

        def chosen(key: str | None) -> None:
            if key is not None:
                self.go_to_paper(int(key))

        self.app.push_screen(Choose(title, options, answer=chosen))

    def go_to_paper(self, paper_id: int) -> None:
        """Put the cursor on the paper, showing every paper if the view hides it."""
        browse = self.browse
        if not browse.go_to_paper(paper_id):
            self.query_one(SearchBox).display = False
            self.set_view(browse.fresh_view(sort=browse.view.sort, reverse=browse.view.reverse))
            browse.go_to_paper(paper_id)
            self.notify("It was not in the view: every paper is shown.")
        self.show()

    def action_filter(self) -> None:
        stats = self.library.stats()
        options = [("clear", "Clear filters (show everything)")]
        options += [(f"priority:{p}", f"Priority {p} or higher") for p in (1, 2, 3)]
        options += [(f"tag:{t}", f"Tag: {t}") for t in sorted(stats.tags)]
        categories = sorted({p.category for p in self.library if p.category})
        options += [(f"category:{c}", f"Category: {c}") for c in categories]

        def chosen(key: str | None) -> None:
            if key is not None:
                kind, _, value = key.partition(":")
                self.filter_by(kind, value)

        self.app.push_screen(Choose("Filter by", options, answer=chosen))

    def filter_by(self, kind: str, value: str = "") -> None:
        view = self.browse.view
        if kind == "clear":
            self.set_view(
                self.browse.fresh_view(sort=view.sort, reverse=view.reverse, search=view.search)
            )
        elif kind in ("all", "unread", "read"):
            self.set_view(view.with_(status=kind))
        elif kind == "priority":
            self.set_view(view.with_(min_priority=int(value)))
        elif kind == "tag":
            self.set_view(view.with_(tag=value))
        else:
            self.set_view(view.with_(category=value))

    # --- the command line -----------------------------------------------------------

    def action_command_line(self) -> None:
        self._values = None  # counted again when first needed
        box = self.query_one(CommandBox)
        box.display = True
        self.set_focus(box)

    def _completion_values(self) -> dict[str, list[str]]:
        """Tags and categories for the command line's completion: counted once each
        time the line opens (a pass over the library), not per key typed."""
        if self._values is None:
            stats = self.library.stats()
            categories = {p.category for p in self.library if p.category}
            self._values = {"tag": sorted(stats.tags), "category": sorted(categories)}
        return self._values

    def run_command_line(self, text: str | None) -> None:
        self.query_one(CommandBox).display = False
        self.set_focus(None)
        if text is not None and text.strip():
            CommandRunner(self).run(text)

    def run_action_now(self, action: str) -> None:
        """Run one of the screen's actions before the next key is handled (Textual's
        run_action would run it a moment later), if the screen allows it now."""
        _, name, parameters = parse_action(action)
        if self.check_action(name, parameters) is None:  # while the library loads
            self.notify("That waits until the library is read; try again in a moment.")
        else:
            getattr(self, f"action_{name}")(*parameters)

    # --- outside world -----------------------------------------------------------------

    def action_open(self) -> None:
        paper = self.browse.current
        if paper is None:
            return
        url = paper.url or f"https://duckduckgo.com/?q={quote_plus(paper.title)}"
        if not _graphical_browser_likely():
            # A console browser (lynx, w3m) would fight Textual for this terminal.
            self.app.copy_to_clipboard(url)
            self.notify(f"No graphical browser here; copied {url}", markup=False)
            return
        webbrowser.open(url)
        self.notify(f"Opened {url}", markup=False)

    def action_copy(self) -> None:
        paper = self.browse.current
        if paper is not None:
            line = paper.citation_line()
            self.app.copy_to_clipboard(line)
            self.notify(f"Copied: {line}", markup=False)

    def action_stats(self) -> None:
        # Taken here, on the event loop: the thread must not see the dicts change.
        self._reading_stats(self.library.papers_among(None))

    @work(thread=True, exclusive=True, group="stats")
    def _reading_stats(self, papers: list[Paper]) -> None:
        """A second or so at 100,000 papers: in a thread, then the screen."""
        from readq.readingstats import reading_stats
        from readq.tui.screens.stats import StatsScreen  # textual-plotext: only when asked

        stats = reading_stats(papers, datetime.now(UTC).date())
        self.app.call_from_thread(self.app.push_screen, StatsScreen(stats))

    def action_fetch(self) -> None:
        self.readq.start_fetch()

    def action_sync(self) -> None:
        self.readq.start_sync()

    def action_import(self) -> None:
        def run(answer: str | None) -> None:
            if answer and answer.strip():
                self.readq.start_import(answer.strip())

        prompt = Prompt("Import which file or URL?", placeholder="path/to/listing.txt", answer=run)
        self.app.push_screen(prompt)

    def action_export(self) -> None:
        rows = list(self.browse.rows)
        title = f"Export the {len(rows)} papers shown to which file? (.json .bib .md .csv .ris)"

        def run(answer: str | None) -> None:
            if answer and answer.strip():
                self.readq.start_export(rows, answer.strip())

        self.app.push_screen(Prompt(title, placeholder="reading-list.bib", answer=run))

    def action_suspend(self) -> None:
        self.app.action_suspend_process()

    def action_help(self) -> None:
        self.readq.show_help()

    def action_quit(self) -> None:
        self.readq.request_quit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen's keys act outside the text boxes; in them, keys type. While
        the details have focus, the moving keys scroll them instead."""
        if action not in MAIN_ACTIONS:
            return True
        focused = self.focused
        if isinstance(focused, Input):
            return False
        if isinstance(focused, DetailPane) and action in PAGER_ACTIONS:
            return False
        if self.readq.loading and action not in PREVIEW_ACTIONS:
            return None  # shown greyed out until the whole library is read
        return True


SIMILAR_SHOWN = 15


def similar_label(paper: Paper, cosine: float) -> str:
    """One paper of the similar-papers list: how alike, title, first author, year."""
    about = ", ".join(part for part in (clean_line(paper.first_author_short()), paper.year) if part)
    return f"{cosine:.2f} {bar(cosine, 4)} {clean_line(paper.title)}" + (
        f" ({about})" if about else ""
    )


def _description(binding_id: str) -> str:
    return next(b.description for b in MAIN_BINDINGS if b.id == binding_id)


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def _graphical_browser_likely() -> bool:
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
