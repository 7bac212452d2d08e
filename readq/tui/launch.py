"""Starting the app: the lock first, then the saved first page or the whole library."""

from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
from pathlib import Path
from typing import Final

from textual.theme import BUILTIN_THEMES

from readq import firstpage, lastview, visits
from readq.config import load_settings
from readq.errors import ReadqError
from readq.library import Library
from readq.loading import LoadProgress
from readq.model import now_iso
from readq.query import View
from readq.sanitize import clean_line
from readq.sync.run import sync_library
from readq.tui.app import ReadqApp
from readq.tui.bindings import keymap_groups


def run_app(path: Path) -> int:
    """Open the TUI on the library at ``path``.

    The lock is taken first, so a second instance is refused at once. When the
    first page saved by the last writer is still valid it is shown immediately
    and the library is read in a thread; on quit the first page is saved again.
    """
    _one_malloc_arena()
    settings, problems = load_settings(themes=BUILTIN_THEMES, keymap_screens=keymap_groups())
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = Library.take_writer_lock(path)

    started, finished = threading.Event(), threading.Event()
    progress = LoadProgress()

    def load() -> Library:
        started.set()
        try:
            return Library.open(
                path,
                keep_backups=settings.backups,
                daily_backup=False,
                lock=lock,
                progress=progress,
                abstracts_on_disk=True,  # read when shown or searched: 130 MB at 100k
            )
        finally:
            finished.set()

    try:
        # The saved first page when it is still valid, else one chosen from the field
        # index, else nothing: either way the screen is up at once and the library
        # is read in a thread, with progress.
        view = settings.views.get(lastview.load(path) or "")
        new_since = visits.last_closed(path)
        if view is None:
            preview = firstpage.load(path) or _indexed_first_page(path, View())
        else:  # the saved page is the default view's
            preview = _indexed_first_page(path, view.view(View(new_since=new_since)))
        app = ReadqApp(
            Library.preview(path, preview.papers if preview else []),
            settings=settings,
            loader=load,
            preview_counts=(preview.total, preview.unread) if preview else None,
            load_progress=progress,
            warnings=problems,
            view=view.name if view else None,
            new_since=new_since,
        )
        code = app.run()
        _remember_closing(path)
        if not app.loading:
            if app.settings.sync_dir is not None and app.transfers.idle.wait(QUIT_WAIT_SECONDS):
                _sync_on_quit(app.library, app.settings.sync_dir)
            app.library.close(save_first_page=True)
        elif started.is_set():
            # Quit while the library was still being read: a load may be writing
            # (an upgrade of an older library, say), so it ends under the lock.
            finished.wait()
    finally:
        lock.release()
    return code or 0


QUIT_WAIT_SECONDS: Final = 30.0  # for a sync or fetch that was under way to give up


def _sync_on_quit(library: Library, folder: Path) -> None:
    """Leave this machine's changes in the sync folder for the others, and take
    theirs; said in one line on the terminal when something went wrong."""
    try:
        report = sync_library(library, folder)
    except (ReadqError, OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        print(f"readq: could not sync on quit: {clean_line(str(reason))}", file=sys.stderr)
        return
    for problem in report.problems:
        print(f"readq: sync: {clean_line(problem)}", file=sys.stderr)


def _remember_closing(path: Path) -> None:
    """The papers that arrived until now are no longer new at the next start."""
    with contextlib.suppress(OSError):  # a preference: the library itself is saved
        visits.save_closed(path, now_iso())


def _indexed_first_page(path: Path, view: View) -> firstpage.FirstPage | None:
    """The first page from the field index; None when it cannot be had so (the
    library is damaged, say: the whole read in the thread then says what is wrong)."""
    try:
        return Library.indexed_first_page(path, view)
    except (ReadqError, OSError):
        return None


_M_ARENA_MAX: Final = -8  # glibc's mallopt parameter (malloc.h)


def _one_malloc_arena() -> None:
    """glibc gives each thread that allocates its own malloc arena and keeps what
    the arena grew to: the threads that load and search the library kept 10 MB
    at 100,000 papers. One arena for every thread, as MALLOC_ARENA_MAX=1 does
    (a no-op where the C library is not glibc)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)
