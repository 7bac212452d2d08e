"""Plain-text output of the CLI: the paper table, one paper in full, statistics.

Every value is cleaned again as it is printed (sanitize.py): imports clean what
they store, but a library edited by hand, or by an older readq, may hold an
escape sequence that would retitle the terminal or write to its clipboard.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Sequence

from readq.library import Stats
from readq.model import PRIORITY_LABELS, Paper
from readq.sanitize import clean_block, clean_line

STATUS_MARK = {"unread": "*", "read": " "}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def print_table(papers: Sequence[Paper]) -> None:
    """One line per paper; titles are cut to the terminal's width only on a terminal."""
    if not papers:
        print("no papers match.", file=sys.stderr)
        return
    id_width = len(str(max(p.id for p in papers)))
    interactive = sys.stdout.isatty()
    columns = shutil.get_terminal_size().columns if interactive else 0
    for paper in papers:
        left = (
            f"{paper.id:>{id_width}} {STATUS_MARK[paper.status.value]} "
            f"{paper.priority or '-'} {clean_line(paper.published or '').ljust(10)} "
            f"{clean_line(paper.category or '').ljust(4)} "
        )
        author = clean_line(paper.first_author_short())
        title = clean_line(paper.title)
        if interactive:
            room = max(columns - len(left) - 2, 20)
            author = _fit(author, min(len(author), room // 3))
            title = _fit(title, room - len(author))
            print(f"{left}{title.ljust(room - len(author))}  {author}")
        else:
            print(f"{left}{title}  ({author})" if author else f"{left}{title}")


def paper_details(paper: Paper) -> str:
    lines = [f"#{paper.id}  {clean_line(paper.title)}", ""]
    cut = " (list cut short)" if paper.authors_truncated else ""
    fields = [
        ("Authors", ", ".join(paper.authors) + cut),
        ("Orgs", ", ".join(paper.orgs)),
        ("Category", paper.category or ""),
        ("Published", paper.published or ""),
        ("Score", "" if paper.score is None else f"{paper.score:g}"),
        ("Code", "yes" if paper.has_code else ""),
        ("URL", paper.url or ""),
        ("arXiv", paper.arxiv_id or ""),
        ("DOI", paper.doi or ""),
        ("Status", paper.status.value + (f" (read {paper.read_at})" if paper.read_at else "")),
        ("Priority", f"{paper.priority} ({PRIORITY_LABELS[paper.priority]})"),
        ("Tags", " ".join(paper.tags)),
        ("Added", paper.added_at),
    ]
    lines += [f"{name + ':':<11}{clean_line(value)}" for name, value in fields if value]
    if paper.abstract:
        lines += ["", *textwrap.wrap(clean_line(paper.abstract), width=78)]
    if paper.notes:
        lines += ["", "Notes:", clean_block(paper.notes)]
    return "\n".join(lines)


def stats(stats: Stats) -> str:
    lines = [
        f"papers:   {stats.total}",
        f"unread:   {stats.unread}",
        f"read:     {stats.read}",
        f"notes:    {stats.with_notes}",
        "priority: "
        + ", ".join(f"{PRIORITY_LABELS[p]} {n}" for p, n in sorted(stats.by_priority.items())),
    ]
    if stats.tags:
        top = sorted(stats.tags.items(), key=lambda item: (-item[1], item[0]))
        lines.append("tags:     " + ", ".join(f"{clean_line(t)} {n}" for t, n in top))
    return "\n".join(lines)
