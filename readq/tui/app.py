"""ReadqApp: the triage screen, its keys, and how they reach the Library.

The app never touches storage: every change goes through ``Library``, which
makes it durable before returning, so what the screen shows is on disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import sys
import webbrowser
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote_plus

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from readq import exporters, importers
from readq.atomicfile import atomic_write
from readq.config import Settings, save_theme
from readq.drafts import Drafts
from readq.errors import NotSaved, ReadqError
from readq.library import Library
from readq.model import Paper, Status
from readq.query import SORTS, View, rows_for, select
from readq.sanitize import clean_line
from readq.tui.bindings import MAIN_ACTIONS, MAIN_BINDINGS
from readq.tui.held_keys import KeyHolding
from readq.tui.screens.choose import Choose
from readq.tui.screens.confirm import Confirm
from readq.tui.screens.help import HelpScreen
from readq.tui.screens.note_editor import NoteEditor
from readq.tui.screens.prompt import Prompt
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.paper_list import PaperList
from readq.tui.widgets.status_line import StatusLine, status_text

RETRY_SECONDS = 5
LOAD_AFTER_SECONDS = 0.1
SEARCH_IN_THREAD_FROM = 20_000  # papers; below, a search takes a few milliseconds
# What works on the saved first page while the rest of the library loads.
PREVIEW_ACTIONS = frozenset({"cursor", "first", "last", "page", "help", "quit", "toggle_detail"})
NARROW_BELOW = 100  # columns; below this the detail pane is toggled with tab
WELCOME = """\
Your library is empty.

  i                      import a file of papers (a pasted listing)
  readq import FILE      the same from the shell
  readq --demo           try readq on a throwaway library of demo papers

Press ? for every key, q to quit.
"""


class ReadqApp(KeyHolding):
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = None  # keys go to the app; the search box takes focus only when opened
    TITLE = "readq"
    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS]

    def __init__(
        self,
        library: Library,
        *,
        settings: Settings | None = None,
        loader: Callable[[], Library] | None = None,
        preview_counts: tuple[int, int] | None = None,
    ) -> None:
        """``library`` is the whole library, or with ``loader`` a preview of its first
        page (firstpage.py) shown while ``loader`` reads the rest in a thread."""
        super().__init__()
        self.library = library
        self.loader = loader
        self.preview_counts = preview_counts
        self.settings = settings or Settings()
        self.drafts = Drafts(library.path)
        self.view = View()
        self.rows: list[Paper] = []  # every paper the view shows, in order
        self.page = 0
        self.cursor = 0  # row within the page
        self.selected: set[int] = set()
        self.show_detail_narrow = False
        self._retry_timer: Timer | None = None
        self._shown: tuple[int, int] | None = None  # (page, page size) the list holds
        self._counts: tuple[int, int, int] | None = None
        self._row_ids: set[int] = set()
        self._page_size = 1  # rows per page, from the list's height once it is laid out
        self._generation = 0  # counts replacements of self.rows (see _show_search)
        self._searcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readq-search")
        self._search_job = 0  # the latest search handed to the searcher
        self.search_done: Future[None] | None = None  # that search (tests wait on it)

    # --- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="list-column"):
                yield PaperList(id="papers")
                yield Static(Text(WELCOME), id="welcome")
            yield DetailPane(id="detail")
        yield Input(placeholder="search title, authors, abstract, notes, tags", id="search")
        yield StatusLine(id="status")
        yield Footer()

    def on_unmount(self) -> None:
        self._searcher.shutdown(wait=False, cancel_futures=True)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme  # before any watcher could save it back
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.query_one("#search", Input).display = False
        for notice in self.library.notices:
            self.notify(notice, severity="warning", markup=False)
        self._layout_for(self.size.width)
        self.refresh_rows()
        if self.loader is not None:
            # A moment after the first frame: parsing holds the GIL, and would
            # otherwise hold up the frame and the first keys.
            self.set_timer(LOAD_AFTER_SECONDS, self.load_library)
        else:
            self.daily_backup()

    # --- keys that arrive before the library is read (see held_keys.py) -----------

    def waits_for_library(self, key: str) -> bool:
        if not self.loading or self.screen is not self.screen_stack[0]:
            return False
        actions = {b.action.split("(")[0] for b in self._bindings.key_to_bindings.get(key, [])}
        return bool(actions & MAIN_ACTIONS - PREVIEW_ACTIONS)

    @property
    def loading(self) -> bool:
        return self.loader is not None

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        """Read the whole library while the saved first page is on screen."""
        assert self.loader is not None
        try:
            library = self.loader()
        except ReadqError as error:
            message = f"readq: {clean_line(str(error))}"
            self.call_from_thread(self.exit, 2, 2, Text(message))
            return
        gc.freeze()  # see launch.run_app
        self.call_from_thread(self._loaded, library)

    def _loaded(self, library: Library) -> None:
        current = self.current
        self.library, self.loader, self.preview_counts = library, None, None
        self.replay_held_keys()
        for notice in library.notices:
            self.notify(notice, severity="warning", markup=False)
        self._counts = None
        self.refresh_rows(keep=current.id if current else None)
        self.refresh_bindings()
        self.daily_backup()

    @work(thread=True, exclusive=True, group="backup")
    def daily_backup(self) -> None:
        """Off the event loop: at 100,000 papers a backup takes a second or two."""
        self.library.backup_if_due()

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self.settings = dataclasses.replace(self.settings, theme=theme)
            try:
                save_theme(theme)
            except OSError as error:
                self.notify(f"Could not save the theme: {error.strerror}", markup=False)

    def on_resize(self, event: Resize) -> None:
        self._layout_for(event.size.width)

    @on(PaperList.Resized)
    def fill_page(self) -> None:
        index = self.page * self.page_size + self.cursor
        self._go_to(index)  # the page size follows the list's height

    def _layout_for(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.show_detail_narrow, "-detail-only")

    @property
    def page_size(self) -> int:
        if self.settings.page_size:
            return self.settings.page_size
        height = self.query_one(PaperList).size.height
        if height > 1:  # hidden behind the details (narrow terminals): keep the last size
            self._page_size = height - 1  # minus the header row
        return self._page_size

    @property
    def page_count(self) -> int:
        return max((len(self.rows) + self.page_size - 1) // self.page_size, 1)

    # --- showing -----------------------------------------------------------------

    def refresh_rows(self, keep: int | None = None) -> None:
        """Recompute the view's papers; keep the cursor on paper ``keep`` if it is still shown."""
        self.rows = select(self.library, self.view)
        self._rows_changed()
        index = self.page * self.page_size + self.cursor
        if keep is not None:
            index = next((i for i, p in enumerate(self.rows) if p.id == keep), index)
        self._go_to(index)

    def _rows_changed(self) -> None:
        """self.rows was replaced: the page, the counts and pending searches are stale."""
        self._row_ids = {p.id for p in self.rows}
        self._shown = None
        self._counts = None
        self._generation += 1

    def _go_to(self, index: int) -> None:
        """Move the cursor; the list is redrawn whole only when the page changes."""
        index = max(0, min(index, len(self.rows) - 1))
        self.page, self.cursor = divmod(index, self.page_size)
        if self._shown == (self.page, self.page_size):
            self.query_one(PaperList).move_cursor(self.cursor)
            self.show_current()
        else:
            self.show_page()

    def show_page(self) -> None:
        empty = len(self.library) == 0
        self.query_one("#welcome").display = empty
        papers = self.query_one(PaperList)
        papers.display = not empty
        start = self.page * self.page_size
        page = self.rows[start : start + self.page_size]
        papers.show_page(page, self.selected, self.cursor)
        self._shown = (self.page, self.page_size)
        self.show_current()

    def repaint(self, ids: Iterable[int], *, recount: bool = True) -> None:
        """Redraw the rows of papers whose state changed: the page keeps its order."""
        papers = self.query_one(PaperList)
        start = self.page * self.page_size
        on_page = {p.id: p for p in self.rows[start : start + self.page_size]}
        for paper_id in ids:
            if paper_id in on_page:
                papers.repaint(on_page[paper_id], paper_id in self.selected)
        if recount:
            self._counts = None
        self.show_current()

    def _counted(self) -> tuple[int, int, int]:
        """(papers, unread, unread shown): counted once per change, not once per key."""
        if self.preview_counts is not None:  # still loading: the counts saved with the page
            total, unread = self.preview_counts
            return total, unread, unread
        if self._counts is None:
            shown_unread = sum(1 for p in self.rows if not p.is_read)
            self._counts = (len(self.library), self.library.unread_count, shown_unread)
        return self._counts

    def show_current(self) -> None:
        self.query_one(DetailPane).show(self.current)
        total, unread, shown_unread = self._counted()
        self.sub_title = f"{total} papers · {unread} unread"
        self.query_one(StatusLine).update(
            status_text(
                self.page,
                self.page_count,
                len(self.rows),
                shown_unread,
                self.view,
                len(self.selected),
            )
        )

    @property
    def current(self) -> Paper | None:
        index = self.page * self.page_size + self.cursor
        return self.rows[index] if 0 <= index < len(self.rows) else None

    @property
    def targets(self) -> list[int]:
        """The papers an action applies to: the selection, else the current paper."""
        if self.selected:
            return sorted(self.selected)
        return [self.current.id] if self.current else []

    # --- moving ------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self._go_to(self.page * self.page_size + self.cursor + step)

    def action_first(self) -> None:
        self._go_to(0)

    def action_last(self) -> None:
        self._go_to(len(self.rows) - 1)

    def action_page(self, step: int) -> None:
        page = max(0, min(self.page + step, self.page_count - 1))
        self._go_to(page * self.page_size + (self.cursor if page != self.page else 0))

    @on(PaperList.Clicked)
    def follow_mouse(self, event: PaperList.Clicked) -> None:
        self._go_to(self.page * self.page_size + event.row)

    # --- triage --------------------------------------------------------------------

    def _change(self, action: str, *args: object) -> bool:
        """Run a Library change; report a failure without losing the screen.

        The list keeps its order and members while you triage (a paper marked
        read stays in "unread only" until the view changes), so that rows never
        jump under the cursor. The Paper objects are the library's own, already
        updated: repainting the page is enough.
        """
        # The rows are the library's own Paper objects: the targets' state now is
        # their state before the change. (Undo and redo recount instead.)
        was_unread = {i: not self.library.get(i).is_read for i in self.targets}
        try:
            change = getattr(self.library, action)(*args)
        except NotSaved as error:
            self._not_saved(error)  # live in memory: the screen shows it, a retry follows
            self.show_page()
            return True
        except (ReadqError, OSError) as error:
            message = error.strerror if isinstance(error, OSError) else str(error)
            self.notify(f"Not saved: {message}", severity="error", markup=False)
            return False
        if self._counts is not None:
            self._counts = self._counts_after(change.paper_ids, was_unread)
        self.repaint(change.paper_ids, recount=False)
        return True

    def _counts_after(
        self, changed: list[int], was_unread: dict[int, bool]
    ) -> tuple[int, int, int]:
        """The counts moved by what changed, instead of counted again over every paper."""
        assert self._counts is not None
        total, _, shown_unread = self._counts
        shown = set(changed) & set(was_unread) & self._row_ids
        for paper_id in shown:
            shown_unread += (not self.library.get(paper_id).is_read) - was_unread[paper_id]
        return total, self.library.unread_count, shown_unread

    def _not_saved(self, error: NotSaved) -> None:
        self.notify(
            f"{error}. readq retries every {RETRY_SECONDS} s; free some disk space.",
            title="Not saved yet",
            severity="error",
            markup=False,
            timeout=RETRY_SECONDS,
        )
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self.retry_saving)

    def retry_saving(self) -> None:
        try:
            self.library.save_pending()
        except NotSaved:
            return  # still refused: the notification repeats nothing new
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self.notify("All changes are saved now.")

    async def action_quit(self) -> None:
        """Quit, but not silently past changes the disk has refused so far."""
        try:
            self.library.save_pending()
        except NotSaved as error:

            def answered(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self.exit()

            question = f"{error}. Quit anyway and lose them?"
            self.push_screen(Confirm(question), answered)
            return
        self.exit()

    def action_toggle_read(self) -> None:
        if not self.targets:
            return
        if self.selected:
            papers = [self.library.get(i) for i in self.targets]
            status = Status.UNREAD if all(p.is_read for p in papers) else Status.READ
            self._change("set_status", self.targets, status)
        else:
            self._change("toggle_read", self.targets[0])

    def action_read_next(self) -> None:
        current = self.current
        if current is None:
            return
        if self._change("set_status", self.targets, Status.READ):
            self.action_cursor(1)

    def action_priority(self, level: int) -> None:
        if self.targets:
            self._change("set_priority", self.targets, level)

    def action_select(self) -> None:
        current = self.current
        if current is None:
            return
        self.selected ^= {current.id}
        self.repaint([current.id])
        if current.id in self.selected:
            self.action_cursor(1)

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        try:
            change = getattr(self.library, which)()
        except NotSaved as error:
            self._not_saved(error)
            self.show_page()
            return
        except (ReadqError, OSError) as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False)
            return
        if change is None:
            self.notify(f"Nothing to {which}.")
            return
        self.notify(f"{which.capitalize()}: {change.label}", markup=False)
        self.show_page()

    # --- editors -----------------------------------------------------------------------

    def action_edit_note(self) -> None:
        paper = self.current
        if paper is None:
            return

        def save(text: str | None) -> None:
            if text is not None and self._change("set_note", paper.id, text):
                self.drafts.discard(paper.id)
                self.notify("Note saved.")

        self.push_screen(NoteEditor(paper, self.drafts), save)

    def action_edit_tags(self) -> None:
        targets = self.targets
        if not targets:
            return
        if len(targets) == 1:
            paper = self.library.get(targets[0])
            title = Text("Tags for ")
            title.append(paper.title, style="bold")
            prompt = Prompt(title, " ".join(paper.tags), "space-separated tags")
        else:
            prompt = Prompt(
                f"Tags for {len(targets)} papers: +name adds, -name removes", "", "+tag -tag"
            )

        def save(answer: str | None) -> None:
            if answer is None:
                return
            words = answer.split()
            if len(targets) == 1:
                self._change("set_tags", targets[0], words)
            else:
                add = [w.lstrip("+") for w in words if not w.startswith("-")]
                remove = [w[1:] for w in words if w.startswith("-")]
                self._change("change_tags", targets, add, remove)

        self.push_screen(prompt, save)

    # --- finding -----------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        # Focus now, not on the next message loop: keys typed right after / must
        # land in the search box, not run as commands ("o" would open a browser).
        self.screen.set_focus(search)

    @on(Input.Changed, "#search")
    def search_as_you_type(self, event: Input.Changed) -> None:
        self._search_for(event.value)

    def _search_for(self, text: str) -> None:
        view = self.view.with_(search=text)
        if len(self.library) < SEARCH_IN_THREAD_FROM:
            self._set_view(view)
            return
        self._search_job += 1
        args = (self._search_job, view, self.view, self.rows, self._generation)
        self.search_done = self._searcher.submit(self._search_off_the_loop, *args)

    def _search_off_the_loop(
        self, job: int, view: View, shown: View, rows: list[Paper], generation: int
    ) -> None:
        """Search a large library off the event loop, so typing never waits for it:
        the first letters reach nearly every abstract (~0.2 s at 100,000 papers).

        One long-lived thread runs the searches in turn and skips those a later
        keystroke has made pointless: a thread per keystroke ran full scans side
        by side, and each new thread's allocator arena kept its memory (+380 MB
        at 100k). It works on the view and rows shown when the key was typed,
        never on attributes the event loop may change meanwhile.
        """
        if job != self._search_job:
            return  # a later keystroke's search is queued behind this one
        found = rows_for(self.library, view, shown, rows)
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            self.call_from_thread(self._show_search, view, found, generation)

    def _show_search(self, view: View, rows: list[Paper], generation: int) -> None:
        text = self.query_one("#search", Input).value
        if view.search != text:
            return  # overtaken by a later keystroke, whose search is on its way
        if generation != self._generation:
            self._search_for(text)  # the view changed meanwhile (a filter, an import)
            return
        self._set_view(view, rows)

    @on(Input.Submitted, "#search")
    def end_search(self) -> None:
        self.set_focus(None)

    def on_key(self, event: events.Key) -> None:
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            search.value = ""
            search.display = False
            self.set_focus(None)
            event.stop()

    def action_toggle_unread(self) -> None:
        self._set_view(self.view.with_(status="all" if self.view.status == "unread" else "unread"))

    def action_cycle_sort(self) -> None:
        following = SORTS[(SORTS.index(self.view.sort) + 1) % len(SORTS)]
        self._set_view(self.view.with_(sort=following))

    def action_reverse_sort(self) -> None:
        self._set_view(self.view.with_(reverse=not self.view.reverse))

    def action_filter(self) -> None:
        stats = self.library.stats()
        options = [("clear", "Clear filters (show everything)")]
        options += [(f"priority:{p}", f"Priority {p} or higher") for p in (1, 2, 3)]
        options += [(f"tag:{t}", f"Tag: {t}") for t in sorted(stats.tags)]
        categories = sorted({p.category for p in self.library if p.category})
        options += [(f"category:{c}", f"Category: {c}") for c in categories]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            kind, _, value = key.partition(":")
            if kind == "clear":
                self._set_view(View(sort=self.view.sort, reverse=self.view.reverse))
            elif kind == "priority":
                self._set_view(self.view.with_(min_priority=int(value)))
            elif kind == "tag":
                self._set_view(self.view.with_(tag=value))
            else:
                self._set_view(self.view.with_(category=value))

        self.push_screen(Choose("Filter by", options), chosen)

    def _set_view(self, view: View, rows: list[Paper] | None = None) -> None:
        """Show ``view`` (its ``rows`` when already computed), keeping the cursor on
        the current paper if it is still shown."""
        current = self.current
        if rows is None:
            rows = rows_for(self.library, view, self.view, self.rows)
        self.rows, self.view = rows, view
        self._rows_changed()
        self.page = self.cursor = 0
        self._go_to(next((i for i, p in enumerate(self.rows) if p is current), 0))

    # --- outside world -----------------------------------------------------------------

    def action_open(self) -> None:
        paper = self.current
        if paper is None:
            return
        url = paper.url or f"https://duckduckgo.com/?q={quote_plus(paper.title)}"
        if not _graphical_browser_likely():
            # A console browser (lynx, w3m) would fight Textual for this terminal.
            self.copy_to_clipboard(url)
            self.notify(f"No graphical browser here; copied {url}", markup=False)
            return
        webbrowser.open(url)
        self.notify(f"Opened {url}", markup=False)

    def action_copy(self) -> None:
        if self.current is not None:
            line = self.current.citation_line()
            self.copy_to_clipboard(line)
            self.notify(f"Copied: {line}", markup=False)

    def action_import(self) -> None:
        def run(answer: str | None) -> None:
            if answer:
                self.import_file(answer.strip())

        self.push_screen(Prompt("Import which file?", placeholder="path/to/listing.txt"), run)

    def import_file(self, source: str, as_of: date | None = None) -> None:
        try:
            name, text = importers.read_source(source)
            fmt = importers.detect(text, name)
            result = importers.parse(text, fmt, as_of=as_of or date.today())
            if not result.papers:
                raise ReadqError(f"{name} holds no paper readq could read.")
            summary = self.library.add_many(result.papers)
        except (ReadqError, OSError) as error:
            self.notify(f"Import failed: {error}", severity="error", markup=False, timeout=10)
            return
        problems = (
            f"; {len(result.problems)} problems (first: {result.problems[0]})"
            if (result.problems)
            else ""
        )
        self.notify(f"Imported {name}: {summary.describe()}{problems}", markup=False, timeout=10)
        self.refresh_rows()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Main keys act only on the main screen, outside the search box; elsewhere they type."""
        if action in MAIN_ACTIONS:
            on_main_screen = self.screen is self.screen_stack[0]
            if not on_main_screen or isinstance(self.focused, Input):
                return False
            if self.loading and action not in PREVIEW_ACTIONS:
                return None  # shown greyed out until the whole library is read
        return True

    def action_export(self) -> None:
        count = len(self.rows)
        title = f"Export the {count} papers shown to which file? (.json .bib .md .csv .ris)"

        def run(answer: str | None) -> None:
            if answer:
                self.export_view(Path(answer.strip()).expanduser())

        self.push_screen(Prompt(title, placeholder="reading-list.bib"), run)

    def export_view(self, target: Path) -> None:
        try:
            if target.exists():
                raise ReadqError(f"{target} exists; choose another name.")
            data = exporters.export(self.rows, exporters.format_for(target))
            atomic_write(target, data)
        except (ReadqError, OSError) as error:
            message = error.strerror if isinstance(error, OSError) else str(error)
            self.notify(f"Export failed: {message}", severity="error", markup=False)
            return
        self.notify(f"Exported {len(self.rows)} papers to {target}", markup=False)

    def action_toggle_detail(self) -> None:
        self.show_detail_narrow = not self.show_detail_narrow
        self._layout_for(self.size.width)

    def action_help(self) -> None:
        keys = {b.id: b.key for b in MAIN_BINDINGS if b.id}
        keys.update(self.settings.keymap)
        self.push_screen(HelpScreen(keys))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in MAIN_BINDINGS:
            action = binding.action

            def run(action: str = action) -> None:
                self.call_later(self.run_action, action)

            yield SystemCommand(binding.description, f"{binding.description} ({binding.key})", run)


def _graphical_browser_likely() -> bool:
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
