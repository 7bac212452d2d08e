"""Markdown: a reading report grouped by priority, or one file per paper for note tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from readq.atomicfile import atomic_write
from readq.errors import ReadqError
from readq.exporters.naming import slug, unique
from readq.model import PRIORITY_LABELS, Paper


def _inline(text: str) -> str:
    """Text that Markdown shows as written: emphasis, links and HTML characters escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def _byline(paper: Paper) -> str:
    parts = []
    if paper.authors:
        parts.append(", ".join(paper.authors) + (" et al." if paper.authors_truncated else ""))
    if paper.published:
        parts.append(paper.published)
    if paper.category:
        parts.append(paper.category)
    return _inline(" · ".join(parts))


def _paper_section(paper: Paper, level: str) -> list[str]:
    heading = _inline(paper.title)
    if paper.url:
        heading = f"[{heading}](<{paper.url}>)"
    lines = [f"{level} {heading}", "", _byline(paper)]
    state = [paper.status.value]
    if paper.tags:
        state.append(" ".join(f"#{t}" for t in paper.tags))
    lines += ["", f"*{_inline(' · '.join(state))}*"]
    if paper.notes:
        lines += ["", paper.notes]  # the user's own Markdown
    return [*lines, ""]


def report(papers: Sequence[Paper]) -> str:
    lines = ["# Reading report", ""]
    for priority in (3, 2, 1, 0):
        group = [p for p in papers if p.priority == priority]
        if not group:
            continue
        lines += [f"## Priority: {PRIORITY_LABELS[priority]} ({len(group)})", ""]
        for paper in group:
            lines += _paper_section(paper, "###")
    return "\n".join(lines).rstrip() + "\n"


def paper_file(paper: Paper) -> str:
    lines = ["---", f"title: {_yaml(paper.title)}"]
    lines.append("authors: [" + ", ".join(_yaml(a) for a in paper.authors) + "]")
    for name in ("published", "url", "doi", "arxiv_id"):
        value = getattr(paper, name)
        if value:
            lines.append(f"{name}: {_yaml(value)}")
    lines += [f"status: {paper.status.value}", f"priority: {paper.priority}"]
    lines.append("tags: [" + ", ".join(_yaml(t) for t in paper.tags) + "]")
    lines += ["---", "", f"# {_inline(paper.title)}", "", _byline(paper), ""]
    if paper.abstract:
        lines += ["## Abstract", "", _inline(paper.abstract), ""]
    lines += ["## Notes", "", paper.notes, ""]
    return "\n".join(lines)


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


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
