"""Markdown: a reading report grouped by priority, or one file per paper for note tools.

What a paper brings is cleaned again here (it may be printed to a terminal, and
a hand-edited library may hold what an import would have taken out), written
so that Markdown shows it as text, and its link only ever links to its web page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final
from urllib.parse import quote

from readq.atomicfile import atomic_write
from readq.errors import ReadqError
from readq.exporters.naming import slug, unique
from readq.importers.identifiers import web_link
from readq.model import PRIORITY_LABELS, Paper
from readq.sanitize import clean_block, clean_line

_DEEPEST: Final = 6  # Markdown has six levels of heading
_ATX: Final = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT: Final = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE: Final = re.compile(r" {0,3}(`{3,}|~{3,})")
# A line that cannot be a setext heading's text, whatever follows it.
_NOT_PARAGRAPH: Final = re.compile(r" {0,3}(?:[-*+>]|\d{1,9}[.)]|#{1,6}(?:[ \t]|$)|`{3}|~{3})| {4}")


def inline_text(text: str) -> str:
    """Text that Markdown shows as written: emphasis, links and HTML characters escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in clean_line(text))


def link_destination(link: str) -> str:
    """``link`` for a Markdown link's ``(<...>)``, where it can close nothing.

    Everything but the characters URLs are written with (RFC 3986) is
    percent-encoded, so no ``>``, space, backslash or line break is left to end
    the link early and start another; a browser reads the same address.
    """
    return quote(link, safe="!#$%&'()*+,-./:;=?@[]_~")


def _byline(paper: Paper) -> str:
    parts = []
    if paper.authors:
        parts.append(", ".join(paper.authors) + (" et al." if paper.authors_truncated else ""))
    if paper.published:
        parts.append(paper.published)
    if paper.category:
        parts.append(paper.category)
    return inline_text(" · ".join(parts))


def under_heading(notes: str, level: int) -> str:
    """The note (the user's own Markdown) with its headings moved below a heading
    of ``level``: its ``#`` becomes one level deeper than that, and so on, down
    to the sixth. ``===`` and ``---`` headings become ``#`` ones at their depth.

    Headings inside fenced code are code, and stay as they are.
    """
    out: list[str] = []
    paragraph = 0  # where in ``out`` the paragraph a setext underline would close began
    fence = ""
    for line in clean_block(notes).split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
        elif opening := _FENCE.match(line):
            fence = opening[1][0] * 3
        elif heading := _ATX.match(line):
            depth = min(len(heading[2]) + level, _DEEPEST)
            line = heading[1] + "#" * depth + line[heading.end() :]
        elif _SETEXT.match(line) and paragraph < len(out):
            depth = min((1 if "=" in line else 2) + level, _DEEPEST)
            text = " ".join(part.strip() for part in out[paragraph:])
            out[paragraph:] = ["#" * depth + " " + text]
            paragraph = len(out)
            continue
        out.append(line)
        if fence or not _setext_text(line):
            paragraph = len(out)
    return "\n".join(out)


def _setext_text(line: str) -> bool:
    """True when ``line`` reads as a paragraph's line, which a ``===`` or ``---``
    line below turns into a heading (below a blank line or a list, ``---`` is a rule)."""
    return bool(line.strip()) and _NOT_PARAGRAPH.match(line) is None


def _paper_section(paper: Paper, level: int) -> list[str]:
    heading = inline_text(paper.title)
    link = web_link(paper.url)
    if link:
        heading = f"[{heading}](<{link_destination(link)}>)"
    lines = [f"{'#' * level} {heading}", "", _byline(paper)]
    state = [paper.status.value]
    if paper.tags:
        state.append(" ".join(f"#{t}" for t in paper.tags))
    lines += ["", f"*{inline_text(' · '.join(state))}*"]
    if paper.notes:
        lines += ["", under_heading(paper.notes, level)]
    return [*lines, ""]


def report(papers: Sequence[Paper]) -> str:
    lines = ["# Reading report", ""]
    for priority in (3, 2, 1, 0):
        group = [p for p in papers if p.priority == priority]
        if not group:
            continue
        lines += [f"## Priority: {PRIORITY_LABELS[priority]} ({len(group)})", ""]
        for paper in group:
            lines += _paper_section(paper, 3)
    return "\n".join(lines).rstrip() + "\n"


def paper_file(paper: Paper) -> str:
    lines = ["---", f"title: {_yaml(paper.title)}"]
    lines.append("authors: [" + ", ".join(_yaml(a) for a in paper.authors) + "]")
    for name in ("published", "url", "doi", "arxiv_id"):
        value = web_link(paper.url) if name == "url" else getattr(paper, name)
        if value:
            lines.append(f"{name}: {_yaml(value)}")
    lines += [f"status: {paper.status.value}", f"priority: {paper.priority}"]
    lines.append("tags: [" + ", ".join(_yaml(t) for t in paper.tags) + "]")
    lines += ["---", "", f"# {inline_text(paper.title)}", "", _byline(paper), ""]
    if paper.abstract:
        lines += ["## Abstract", "", inline_text(paper.abstract), ""]
    lines += ["## Notes", "", under_heading(paper.notes, 2), ""]
    return "\n".join(lines)


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(clean_line(text), ensure_ascii=False)


def write_one_file_per_paper(papers: Sequence[Paper], folder: Path, *, force: bool) -> list[Path]:
    """One ``<slug>.md`` per paper inside ``folder``; names can never leave it."""
    folder.mkdir(parents=True, exist_ok=True)
    names = unique(slug(p.title) for p in papers)
    targets = [folder / f"{name}.md" for name in names]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise ReadqError(f"{existing[0]} exists (and {len(existing) - 1} more); use --force.")
    for paper, target in zip(papers, targets, strict=True):
        atomic_write(target, paper_file(paper).encode("utf-8"))
    return targets
