"""RIS export, as Zotero and other reference managers read it."""

from __future__ import annotations

from collections.abc import Sequence

from readq.exporters.bibtex import bibtex_name
from readq.exporters.naming import citation_keys
from readq.model import Paper, date_parts


def _one_line(text: str) -> str:
    return " ".join(text.split())  # RIS is line-based: a field may not span lines


def record(paper: Paper, key: str) -> str:
    tags: list[tuple[str, str]] = [("TY", "JOUR" if paper.venue else "GEN"), ("ID", key)]
    tags.append(("TI", paper.title))
    tags += [("AU", bibtex_name(author)) for author in paper.authors]
    if paper.published:
        year, month, day = date_parts(paper.published)
        tags.append(("PY", year))
        tags.append(("DA", f"{year}/{month}/{day}/"))
    if paper.venue:
        tags.append(("JO", paper.venue))
    if paper.abstract:
        tags.append(("AB", paper.abstract))
    if paper.doi:
        tags.append(("DO", paper.doi))
    if paper.url:
        tags.append(("UR", paper.url))
    if paper.arxiv_id:  # a second link carries the arXiv id and version
        version = f"v{paper.arxiv_version}" if paper.arxiv_version else ""
        tags.append(("UR", f"https://arxiv.org/abs/{paper.arxiv_id}{version}"))
    tags += [("KW", tag) for tag in paper.tags]
    if paper.notes:
        tags.append(("N1", paper.notes))
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags]
    return "\r\n".join([*lines, "ER  - ", ""])


def dumps(papers: Sequence[Paper]) -> bytes:
    keys = citation_keys(papers)
    return "\r\n".join(record(p, k) for p, k in zip(papers, keys, strict=True)).encode("utf-8")
