"""ReadqApp: settings and theme, the library loader, backups, saving changes, quit,
help and the command palette. The triage itself is MainScreen's (screens/main.py).

The app never touches storage: every change goes through ``Library``, which
makes it durable before returning, so what the screens show is on disk.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import cast

from rich.text import Text
from textual import work
from textual.app import SystemCommand
from textual.screen import Screen
from textual.timer import Timer

from readq import feedstate, lastview
from readq.config import Settings, save_theme
from readq.drafts import Drafts
from readq.errors import NotSaved, ReadqError
from readq.feeds import Feed
from readq.history import Change
from readq.library import Library
from readq.loading import LoadProgress
from readq.model import Paper, iso_time, parse_iso_time
from readq.paths import typed_path
from readq.query import Relevance, View
from readq.sanitize import clean_line
from readq.tui.bindings import KEYMAP_SCREENS, MAIN_BINDINGS, readable
from readq.tui.browse import Browse
from readq.tui.held_keys import KeyHolding
from readq.tui.ranker import Ranker
from readq.tui.screens.confirm import Confirm
from readq.tui.screens.help import HelpScreen
from readq.tui.screens.main import PREVIEW_ACTIONS, MainScreen
from readq.tui.transfers import Transfers

RETRY_SECONDS = 5
LOAD_AFTER_SECONDS = 0.1
PROGRESS_EVERY_SECONDS = 0.2
# Textual's own palette entries that readq's keys already offer.
TEXTUAL_DUPLICATES = frozenset({"Quit", "Keys"})


class ReadqApp(KeyHolding):
    CSS_PATH = "app.tcss"
    NOTIFICATION_TIMEOUT = 3  # seconds: a toast covers part of the list and status line
    AUTO_FOCUS = None  # keys go to the screen; a box takes focus only when opened
    TITLE = "readq"

    def __init__(
        self,
        library: Library,
        *,
        settings: Settings | None = None,
        loader: Callable[[], Library] | None = None,
        preview_counts: tuple[int, int] | None = None,
        load_progress: LoadProgress | None = None,
        warnings: Sequence[str] = (),
        view: str | None = None,
        new_since: str | None = None,
    ) -> None:
        """``library`` is the whole library, or with ``loader`` a preview of its first
        page (firstpage.py) shown while ``loader`` reads the rest in a thread.
        ``view``: the saved view to open on (the one shown last, lastview.py);
        ``new_since``: when the app was last closed (visits.py), what is:new means
        ("": never, every paper is new; None: no paper there is now)."""
        super().__init__()
        self.settings = settings or Settings()
        saved = self.settings.views.get(view or "")
        self._last_view = saved.name if saved else None
        first = View(new_since=_a_second_after_now() if new_since is None else new_since)
        self.browse = Browse(library, saved.view(first) if saved else first)
        self.loader = loader
        self.preview_counts = preview_counts
        self._load_progress = load_progress
        self._warnings = list(warnings)
        self.drafts = Drafts(library.path)
        self.transfers = Transfers(self)
        self.ranker = Ranker(self)
        self._retry_timer: Timer | None = None
        self._fetch_when_loaded = False  # R (or fetch_every) came while the library loaded

    @property
    def library(self) -> Library:
        return self.browse.library

    @property
    def main(self) -> MainScreen:
        return cast(MainScreen, self.screen_stack[0])

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.browse)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme  # before any watcher could save it back
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for warning in [*self._warnings, *self.library.notices]:
            self.notify(warning, severity="warning", markup=False, timeout=10)
        if self.loader is not None:
            # A moment after the first frame: parsing holds the GIL, and would
            # otherwise hold up the frame and the first keys.
            self.set_timer(LOAD_AFTER_SECONDS, self.load_library)
            self.set_interval(PROGRESS_EVERY_SECONDS, self._show_load_progress)
        else:
            self.daily_backup()
            self.call_after_refresh(self.ranker.refresh)
            if self.settings.sync_dir is not None:
                self.call_after_refresh(self.start_sync, asked=False)
        self.call_after_refresh(self.fetch_if_due)  # once the screen is up to show it

    def keys_for(self, binding_id: str) -> str:
        """The keys bound to ``binding_id`` now: the user's keymap, else the default."""
        if binding_id in self.settings.keymap:
            return self.settings.keymap[binding_id]
        for bindings in KEYMAP_SCREENS.values():
            for binding in bindings:
                if binding.id == binding_id:
                    return binding.key
        return ""

    # --- loading the library (see held_keys.py for the keys typed meanwhile) -----------

    @property
    def loading(self) -> bool:
        return self.loader is not None

    def waits_for_library(self, key: str) -> bool:
        if not (self.loading or self.transfers.committing):
            return False
        if self.screen is not self.screen_stack[0]:
            # A dialog or the cards, over a library being written: every key waits.
            return self.transfers.committing
        return bool(self._main_actions_of(key) - PREVIEW_ACTIONS)

    def _main_actions_of(self, key: str) -> set[str]:
        """The main screen's actions bound to ``key`` under the user's keymap."""
        return {
            binding.action.split("(")[0]
            for binding in MAIN_BINDINGS
            if key in (k.strip() for k in self.keys_for(binding.id or "").split(","))
        }

    def load_progress(self) -> LoadProgress | None:
        """How far reading the library has got; None once it is read."""
        if not self.loading:
            return None
        return self._load_progress or LoadProgress()

    @property
    def papers_to_load(self) -> int | None:
        """How many papers the library holds, as the saved first page says (None: unknown)."""
        return self.preview_counts[0] if self.preview_counts else None

    def _show_load_progress(self) -> None:
        if self.loading and self.screen is self.screen_stack[0]:
            self.main.show()

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        """Read the whole library while the saved first page is on screen."""
        assert self.loader is not None
        try:
            library = self.loader()
        except (ReadqError, OSError) as error:
            # OSError: an upgrade or a first write on a full disk, say; one line, as the CLI.
            said = error.strerror if isinstance(error, OSError) and error.strerror else error
            message = f"readq: {clean_line(str(said))}"
            if isinstance(error, OSError) and error.filename:
                message += f": {clean_line(str(error.filename))}"
            self.call_from_thread(self.exit, 2, 2, Text(message))
            return
        gc.freeze()  # see launch.run_app
        self.call_from_thread(self._loaded, library)

    def _loaded(self, library: Library) -> None:
        self.loader, self.preview_counts = None, None
        self.browse.reload(library)
        self.drafts = Drafts(library.path)
        for notice in library.notices:
            self.notify(notice, severity="warning", markup=False)
        self.main.show()
        self.main.refresh_bindings()
        self.replay_held_keys()
        self.daily_backup()
        self.ranker.refresh()
        fetch, self._fetch_when_loaded = self._fetch_when_loaded, False
        then = (lambda: self.start_fetch(asked=False)) if fetch else None
        if self.settings.sync_dir is not None:  # what the other machines did, first
            self.start_sync(asked=False, then=then)
        elif then is not None:
            then()

    def papers_arrived(self) -> None:
        """An import, a fetch or a sync changed papers: show them, and rank again."""
        self.browse.reload()  # the cursor stays on its paper
        self.main.show()
        self.ranker.refresh()

    def ranked(self, relevance: Relevance) -> None:
        """A new ranking (ranker.py): the list and the details show it."""
        self.browse.take_ranking(relevance)
        self.main.show()

    @work(thread=True, exclusive=True, group="backup")
    def daily_backup(self) -> None:
        """Off the event loop: at 100,000 papers a backup takes a second or two."""
        self.library.backup_if_due()

    # --- settings ------------------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self.settings = dataclasses.replace(self.settings, theme=theme)
            try:
                save_theme(theme)
            except (OSError, ReadqError) as error:
                reason = error.strerror if isinstance(error, OSError) else str(error)
                self.notify(f"The theme is not remembered: {reason}", markup=False)

    def remember_view(self, name: str | None) -> None:
        """The saved view shown now, for the next start (lastview.py)."""
        if name == self._last_view:
            return
        self._last_view = name
        try:
            lastview.save(self.library.path, name)
        except OSError as error:
            self.notify(f"The view is not remembered: {error.strerror}", markup=False)

    # --- changes ---------------------------------------------------------------------------

    def run_change(self, make: Callable[[], Change | None]) -> Change | None:
        """Make a Library change; report a failure without losing the screen.

        On a full disk the change is live in memory (and returned, to be shown),
        and saving is retried until the disk takes it.
        """
        # Keys that change papers wait for these (held_keys.py); the palette and the
        # command line, which are not keys, are refused instead.
        if self.loading:
            self.notify("The library is still being read; try again in a moment.")
            return None
        if self.transfers.committing:  # an import is writing the library in a thread
            self.notify("An import is being saved; try again in a moment.")
            return None
        try:
            return make()
        except NotSaved as error:
            self._not_saved(error)
            return cast("Change | None", error.change)
        except (ReadqError, OSError) as error:
            message = error.strerror if isinstance(error, OSError) else str(error)
            self.notify(f"Not saved: {message}", severity="error", markup=False)
            return None

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
        if self.transfers.committing:
            return  # the import's write takes the pending changes with it, or fails
        try:
            self.library.save_pending()
        except NotSaved:
            return  # still refused: the notification repeats nothing new
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self.notify("All changes are saved now.")

    # --- importing and exporting (transfers.py runs them in a thread) ------------------

    def start_import(self, source: str, as_of: date | None = None) -> None:
        if self.loading:
            self.notify("Import once the library is read: a moment.")
            return
        self.transfers.start_import(source, as_of or date.today())

    def start_fetch(self, *, asked: bool = True, feeds: Sequence[Feed] = ()) -> None:
        """Fetch ``feeds`` (default: every feed of config.toml) in a thread
        (transfers.py); ``asked``: the user pressed R (not the start's
        fetch_every), so a reason is told."""
        feeds = feeds or self.settings.feeds
        if not feeds:
            if asked:
                self.notify(
                    "No feeds to fetch: add one with `readq feeds add NAME URL` "
                    "([[feeds]] in config.toml).",
                    markup=False,
                    timeout=8,
                )
            return
        if self.loading:
            self._fetch_when_loaded = True  # then all of them
            if asked:
                self.notify("Fetching once the library is read: a moment.")
            return
        if not asked and self.transfers.job is not None:  # the start's sync: after it
            self.transfers.then = lambda: self.start_fetch(asked=False)
            return
        self.transfers.start_fetch(feeds, date.today())

    def start_sync(self, *, asked: bool = True, then: Callable[[], None] | None = None) -> None:
        """Sync through sync_dir (config.toml) in a thread (transfers.py);
        ``asked``: the user pressed the key, so a missing folder is told."""
        folder = self.settings.sync_dir
        if folder is None:
            if asked:
                self.notify(
                    'No sync folder: set sync_dir = "~/Sync/readq" in config.toml.',
                    markup=False,
                    timeout=8,
                )
            return
        if self.loading:
            self.notify("Syncing once the library is read: a moment.")
            return
        self.transfers.start_sync(folder, then)

    def fetch_if_due(self) -> None:
        """Fetch as the app starts when the oldest last fetch of a feed is older
        than fetch_every (config.toml)."""
        every = self.settings.fetch_every
        if every is None or not self.settings.feeds:
            return
        states = feedstate.load(self.library.path)
        times = [
            states[f.name].fetched_at if f.name in states else None for f in self.settings.feeds
        ]
        if any(due(stamp, every) for stamp in times):
            self.start_fetch(asked=False)

    def start_export(self, papers: list[Paper], target: str) -> None:
        if self.loading:  # the papers shown are only the saved first page
            self.notify("Export once the library is read: a moment.")
            return
        try:
            path = typed_path(target)
        except ReadqError as error:
            self.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        self.transfers.start_export(papers, path)

    # --- help, palette, quit ---------------------------------------------------------------

    def show_help(self) -> None:
        keys = {b.id: b.key for bindings in KEYMAP_SCREENS.values() for b in bindings if b.id}
        keys.update(self.settings.keymap)
        self.push_screen(HelpScreen(keys))

    def request_quit(self) -> None:
        """Quit, but not silently past changes the disk has refused so far, nor in
        the middle of an import."""
        try:
            self.library.save_pending()
        except NotSaved as error:
            question = f"{error}. Quit anyway and lose them?"
            self.push_screen(Confirm(question, answer=self._quit_if))
            return
        except ReadqError as error:  # nothing pending can be saved here: say so, and go
            self.notify(str(error), severity="error", markup=False)
        self._quit_when_free()

    def _quit_when_free(self) -> None:
        if self.transfers.committing:
            # The library is being written in a thread: quitting now would close it
            # and release its lock under that write.
            self.transfers.quit_when_done = True
            self.notify("Saving the import; readq quits as soon as it is saved.")
            return
        self.transfers.stop()
        self.ranker.stop()
        self.exit()

    def _quit_if(self, yes: bool) -> None:
        if yes:
            self._quit_when_free()

    async def action_quit(self) -> None:
        self.request_quit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the triage screen once, with its keys as people write them."""
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_DUPLICATES:
                yield command
        for binding in MAIN_BINDINGS:
            action = binding.action
            keys = readable(self.keys_for(binding.id or ""))

            def run(action: str = action) -> None:
                self.main.run_action_now(action)

            yield SystemCommand(binding.description, f"{binding.description} ({keys})", run)
        for saved in self.settings.views.values():

            def show(name: str = saved.name) -> None:
                self.main.show_saved_view(name)

            yield SystemCommand(f"View: {saved.name}", f"Show the saved view {saved.query}", show)


def due(fetched_at: str | None, every: float) -> bool:
    """Whether a feed last fetched at ``fetched_at`` (None: never) is due again."""
    moment = parse_iso_time(fetched_at) if fetched_at is not None else None
    return moment is None or (datetime.now(UTC) - moment).total_seconds() >= every


def _a_second_after_now() -> str:
    """A time after every paper the library holds now (times count seconds)."""
    return iso_time(datetime.now(UTC) + timedelta(seconds=1))
