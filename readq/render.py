"""Plain-text output of the CLI: the paper table, one paper in full, statistics."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Sequence

from readq.library import Stats
from readq.model import PRIORITY_LABELS, Paper

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
            f"{paper.priority or '-'} {(paper.published or '').ljust(10)} "
            f"{(paper.category or '').ljust(4)} "
        )
        author = paper.first_author_short()
        if interactive:
            room = max(columns - len(left) - 2, 20)
            author = _fit(author, min(len(author), room // 3))
            title = _fit(paper.title, room - len(author))
            print(f"{left}{title.ljust(room - len(author))}  {author}")
        else:
            print(f"{left}{paper.title}  ({author})" if author else f"{left}{paper.title}")


def paper_details(paper: Paper) -> str:
    lines = [f"#{paper.id}  {paper.title}", ""]
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
    lines += [f"{name + ':':<11}{value}" for name, value in fields if value]
    if paper.abstract:
        lines += ["", *textwrap.wrap(paper.abstract, width=78)]
    if paper.notes:
        lines += ["", "Notes:", paper.notes]
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
        lines.append("tags:     " + ", ".join(f"{t} {n}" for t, n in top))
    return "\n".join(lines)
