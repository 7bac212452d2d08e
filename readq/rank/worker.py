"""``python -m readq.rank.worker LIBRARY``: rank a library in a process of its own.

The app starts this rather than ranking in one of its threads: building the
vectors of 100,000 papers is 18 s of Python, which in a thread would share the
interpreter's lock with every keystroke (they took three to four times as long)
and add its memory to the app's. Here it runs on another core. The process
reads the library without writing it (the app holds the writer's lock, and
every change it makes is on disk before the next key), writes the ranking's
cache files (cache.py), from which the app reads the results (learned.py), and
prints one line: the model's sureness, or what went wrong.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from readq.errors import ReadqError
from readq.library import Library
from readq.rank.ranking import rank


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the app quitting: go at once
    if len(argv) != 1:
        print("usage: python -m readq.rank.worker LIBRARY", file=sys.stderr)
        return 2
    try:
        library = Library.open(Path(argv[0]), writable=False, abstracts_on_disk=True)
        try:
            papers = [*library.papers.values(), *library.deleted.values()]
            ranking = rank(papers, library=library.path)
        finally:
            library.close()
    except (ReadqError, OSError, ValueError, MemoryError) as error:
        print(f"{error}", file=sys.stderr)
        return 1
    print(ranking.sureness)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
