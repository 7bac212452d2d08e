"""Starting the app: the lock first, then the saved first page or the whole library."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from readq import firstpage
from readq.config import load_settings
from readq.library import Library
from readq.lock import WriterLock
from readq.tui.app import ReadqApp


def run_app(path: Path) -> int:
    """Open the TUI on the library at ``path``.

    The lock is taken first, so a second instance is refused at once. When the
    first page saved on the last quit is still valid it is shown immediately
    and the library is read in a thread; on quit the first page is saved again.
    """
    settings, warning = load_settings()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = WriterLock(path)
    lock.acquire()

    started, finished = threading.Event(), threading.Event()

    def load() -> Library:
        started.set()
        try:
            return Library.open(path, keep_backups=settings.backups, daily_backup=False, lock=lock)
        finally:
            finished.set()

    try:
        preview = firstpage.load(path)
        if preview is None:
            app = ReadqApp(load(), settings=settings)
            # The papers live as long as the app: keep the collector from walking
            # all of them (a pause of a second at 100,000 papers every few keys).
            gc.freeze()
        else:
            shown = Library.preview(path, preview.papers)
            counts = (preview.total, preview.unread)
            app = ReadqApp(shown, settings=settings, loader=load, preview_counts=counts)
        if warning:
            app.call_later(app.notify, warning, severity="warning", markup=False)
        code = app.run()
        if not app.loading:
            app.library.close(save_first_page=True)
        elif started.is_set():
            # Quit while the library was still being read: a load may be writing
            # (an upgrade of an older library, say), so it ends under the lock.
            finished.wait()
    finally:
        lock.release()
    return code or 0
