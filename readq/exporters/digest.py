"""A digest of what arrived: Markdown grouped by feed, for a morning's mail.

Each paper is a line with its link, authors, score and the first sentence of
its abstract; text is written as markdown.py writes it (shown as written,
links only to web pages)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from readq.exporters.markdown import inline_text, link_destination
from readq.importers.identifiers import web_link
from readq.model import Paper

_AUTHORS_SHOWN: Final = 3
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_LONGEST_SENTENCE: Final = 300  # characters: an abstract without full stops is cut
# What can open a block at a line's start (the char before its end is escaped):
# a list's -, + or *, a number's . or ), a quote's >, a heading's =, a fence's `.
_BLOCK_START: Final = re.compile(r" {0,3}(?:[-+*>=]|\d{1,9}[.)]|`{3}|~{3})")


def first_sentence(abstract: str) -> str:
    text = " ".join(abstract.split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) > _LONGEST_SENTENCE:
        sentence = sentence[:_LONGEST_SENTENCE].rsplit(" ", 1)[0] + " …"
    return sentence


def group_of(paper: Paper) -> str:
    """The feed a paper is listed under: the first it was seen in, else "imported"."""
    return paper.feeds[0] if paper.feeds else "imported"


def render_digest(papers: Sequence[Paper], title: str, feeds: Sequence[str] = ()) -> str:
    """``papers`` under a heading per feed, each as one list item: the ``feeds``
    in their order first, then any other in the order its first paper comes."""
    groups: dict[str, list[Paper]] = {name: [] for name in feeds}
    for paper in papers:
        groups.setdefault(group_of(paper), []).append(paper)
    groups = {name: group for name, group in groups.items() if group}
    count = "1 paper" if len(papers) == 1 else f"{len(papers)} papers"
    feeds = "1 group" if len(groups) == 1 else f"{len(groups)} groups"
    summary = f"{count} in {feeds}." if papers else "Nothing arrived."
    lines = [f"# {inline_text(title)}", "", summary, ""]
    for name, group in groups.items():
        lines += [f"## {inline_text(name)} ({len(group)})", ""]
        lines += [_item(paper) for paper in group]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _item(paper: Paper) -> str:
    title = f"**{inline_text(paper.title)}**"
    link = web_link(paper.url)
    if link:
        title = f"[{title}](<{link_destination(link)}>)"
    details = []
    if paper.authors:
        shown = paper.authors[:_AUTHORS_SHOWN]
        more = len(paper.authors) > _AUTHORS_SHOWN or paper.authors_truncated
        details.append(", ".join(shown) + (" et al." if more else ""))
    if paper.category:
        details.append(paper.category)
    if paper.score is not None:
        details.append(f"score {paper.score:g}")
    item = f"- {title}"
    if details:
        item += " — " + _text(" · ".join(details))
    sentence = first_sentence(paper.abstract)
    if sentence:
        item += f"  \n  {_line_start(_text(sentence))}"
    return item


def _text(text: str) -> str:
    """markdown.inline_text, with what it leaves and a digest's readers would see
    turned into something else: ``&amp;`` (an entity) and ``~~`` (struck out)."""
    return "".join("\\" + c if c in "&~" else c for c in inline_text(text))


def _line_start(text: str) -> str:
    """``text`` as the start of a line that cannot open a block: ``- x`` would be a
    list, ``---`` make the line above a heading, ``1. x`` a numbered list."""
    marker = _BLOCK_START.match(text)
    if marker is None:
        return text
    return text[: marker.end() - 1] + "\\" + text[marker.end() - 1 :]
