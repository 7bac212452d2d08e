"""``python -m readq.rank.worker LIBRARY``: rank a library in a process of its own;
``... LIBRARY --similar ID [LIMIT]``: the papers most like one, from the vectors file.

The app starts this rather than ranking in one of its threads: building the
vectors of 100,000 papers is 18 s of Python, which in a thread would share the
interpreter's lock with every keystroke (they took three to four times as long)
and add its memory to the app's. Here it runs on another core. The process
reads the library without writing it (the app holds the writer's lock, and
every change it makes is on disk before the next key), writes the ranking's
cache files (cache.py) and what the app shows (shown.py), which the app reads
without numpy, and prints one line: the model's sureness, or what went wrong.
With --similar it prints ``ID COSINE`` lines, most alike first.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from readq.errors import ReadqError
from readq.library import Library
from readq.rank import cache, features
from readq.rank.ranking import rank

USAGE = "usage: python -m readq.rank.worker LIBRARY [--similar ID [LIMIT]]"


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the app quitting: go at once
    if len(argv) in (3, 4) and argv[1] == "--similar" and all(a.isdigit() for a in argv[2:]):
        return similar(Path(argv[0]), int(argv[2]), int(argv[3]) if len(argv) == 4 else 15)
    if len(argv) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        library = Library.open(Path(argv[0]), writable=False, abstracts_on_disk=True)
        try:
            ranking = rank(library.papers_among(None), library=library.path)
        finally:
            library.close()
    except (ReadqError, OSError, ValueError, MemoryError) as error:
        print(f"{error}", file=sys.stderr)
        return 1
    print(ranking.sureness)
    return 0


def similar(library: Path, paper_id: int, limit: int) -> int:
    space = cache.load_features(cache.vectors_path(library))
    if space is None:
        print("no vectors yet", file=sys.stderr)
        return 1
    for other, cosine in features.similar_papers(space, paper_id, limit):
        print(f"{other} {cosine:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
