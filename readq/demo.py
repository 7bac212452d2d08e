"""The demo library behind ``readq --demo``: fictional papers written for readq."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from readq import visits
from readq.config import LIBRARY_FILE
from readq.importers import listing
from readq.library import Library
from readq.model import Status

# The demo listing's dates without a year are read as of this day, so the demo
# looks the same whenever it is opened.
DEMO_AS_OF = date(2026, 11, 29)
DEMO_NOTE = """\
**Why it matters:** a cheap diagnostic we could run on our own models.

- [ ] try the dense-core ratio on the 7B checkpoint
- compare with [the routing survey](https://example.org/routing)
"""


def demo_listing() -> str:
    """The demo listing, from the installed package or, in a checkout, from assets/."""
    packaged = resources.files("readq").joinpath("_assets/demo-listing.txt")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / "assets" / "demo-listing.txt"
    return checkout.read_text(encoding="utf-8")


def build_demo_library(folder: Path) -> Path:
    """Fill a new library in ``folder`` with the demo papers and a little triage."""
    path = folder / LIBRARY_FILE
    with Library.open(path) as library:
        papers = listing.parse(demo_listing(), as_of=DEMO_AS_OF).papers
        for paper in papers:  # the demo looks the same whenever it is built
            paper.added_at = f"{DEMO_AS_OF.isoformat()}T08:00:00Z"
        library.add_many(papers)
        ids = sorted(library.papers)
        library.set_status(ids[5:12], Status.READ)
        library.set_priority(ids[0:2], 3)
        library.set_priority(ids[2:5], 2)
        library.set_priority(ids[12:15], 1)
        library.set_note(ids[0], DEMO_NOTE)
        library.change_tags(ids[0:3], add=["to-discuss"])
        library.change_tags(ids[3:6], add=["reading-group"])
        library.history = type(library.history)()  # the demo's setup is not the user's to undo
    # As if the app had been closed after they arrived: none is marked new, and
    # what `R` fetches into the demo is.
    visits.save_closed(path, f"{DEMO_AS_OF.isoformat()}T09:00:00Z")
    return path
