"""BibTeX export that bibtexparser (and so readq) reads back to the same papers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from readq.exporters.naming import citation_keys
from readq.model import Paper, date_parts

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Characters LaTeX treats specially. Braces are escaped too: readq's text is
# literal, so a brace in a title is a character, not LaTeX grouping.
_SPECIAL = re.compile(r"([\\&%$#_^~{}])")
_REPLACEMENT = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


# TeX ligatures ('' -> ”, -- -> –, !` -> ¡) are broken with an empty group.
_LIGATURE = re.compile(r"(?<=[-'`!?])(?=[-'`])")


def escape(text: str) -> str:
    """A field value safe inside ``{...}`` that LaTeX decoding turns back into ``text``."""
    escaped = _SPECIAL.sub(lambda m: _REPLACEMENT.get(m[1], "\\" + m[1]), text)
    return _LIGATURE.sub("{}", escaped)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_name(author: str) -> str:
    """``Hugo van der Berg`` -> ``van der Berg, Hugo``: the comma form is unambiguous."""
    parts = author.split()
    if len(parts) < 2:
        return author
    family_start = len(parts) - 1
    while family_start > 1 and parts[family_start - 1].islower():
        family_start -= 1  # particles belong to the family name
    return f"{' '.join(parts[family_start:])}, {' '.join(parts[:family_start])}"


def entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = [("title", paper.title)]
    if paper.authors:
        names = [bibtex_name(a) for a in paper.authors]
        if paper.authors_truncated:
            names.append("others")
        fields.append(("author", " and ".join(names)))
    if paper.published:
        year, month, _ = date_parts(paper.published)
        fields.append(("year", year))
        if month.isascii() and month.isdigit() and 1 <= int(month) <= 12:
            fields.append(("month", MONTHS[int(month) - 1]))
        fields.append(("date", paper.published))
    if paper.venue:
        fields.append(("journal", paper.venue))
    if paper.arxiv_id:
        version = f"v{paper.arxiv_version}" if paper.arxiv_version else ""
        fields += [("eprint", paper.arxiv_id + version), ("archiveprefix", "arXiv")]
    if paper.categories or paper.category:
        primary = paper.categories[0] if paper.categories else f"cs.{paper.category}"
        fields.append(("primaryclass", primary))
    for name in ("doi", "url"):
        value = getattr(paper, name)
        if value:
            fields.append((name, value))
    if paper.abstract:
        fields.append(("abstract", paper.abstract))
    if paper.tags:
        fields.append(("keywords", ", ".join(paper.tags)))
    kind = "article" if paper.venue else "misc"
    body = ",\n".join(f"  {name} = {_value(name, value)}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _value(name: str, value: str) -> str:
    if name == "month":
        return value  # a bare macro: jan, feb, ...
    raw = name in ("url", "doi") and _balanced(value)
    return "{" + (value if raw else escape(value)) + "}"


def dumps(papers: Sequence[Paper]) -> bytes:
    keys = citation_keys(papers)
    return "\n".join(entry(p, k) for p, k in zip(papers, keys, strict=True)).encode("utf-8")
