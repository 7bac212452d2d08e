"""BibTeX export that readq, bibtexparser, BibTeX and biber read back to the same papers.

Names are written the way BibTeX splits them: ``von Last, Jr, First``, with
particles in the family name (``De Palma, Alessandro``) and an organisation
in braces (``{Center for History and New Media}``), so that no other tool
reads one name as two people, or a person called Others as "et al.". Text is
escaped for LaTeX without ``\\{``, which BibTeX still counts as a brace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from readq.exporters.naming import citation_keys
from readq.model import PARTICLES, SUFFIXES, Paper, date_parts
from readq.sanitize import clean_line

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Characters LaTeX treats specially. Braces are escaped too: readq's text is
# literal, so a brace in a title is a character, not LaTeX grouping; and as
# BibTeX and most parsers count a brace even after a backslash, it is written
# as a macro, never as \{.
_SPECIAL = re.compile(r"([\\&%$#_^~{}])")
_REPLACEMENT = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
}


# TeX ligatures ('' -> ”, -- -> –, !` -> ¡) are broken with an empty group.
_LIGATURE = re.compile(r"(?<=[-'`!?])(?=[-'`])")
# A line of a value that starts with @ would start a new entry for bibtexparser.
_LINE_AT = re.compile(r"^([ \t]*)@", re.MULTILINE)


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
    """``Hugo van der Berg`` -> ``van der Berg, Hugo``: the ``Family, Given`` form RIS uses.

    (The BibTeX export itself writes bibtex_author, which knows particles in
    capitals, suffixes and organisations.)
    """
    parts = author.split()
    if len(parts) < 2:
        return author
    family_start = len(parts) - 1
    while family_start > 1 and parts[family_start - 1].islower():
        family_start -= 1  # particles belong to the family name
    return f"{' '.join(parts[family_start:])}, {' '.join(parts[:family_start])}"


# Words that make a name an organisation's: it is braced whole, as BibTeX
# would otherwise take its last word for a family name.
ORGANISATION_WORDS: Final = frozenset(
    {
        *("team", "group", "consortium", "collaboration", "project", "committee", "council"),
        *("institute", "institut", "university", "universität", "center", "centre"),
        *("society", "association", "foundation", "laboratory", "laboratories", "lab"),
        *("inc", "inc.", "ltd", "ltd.", "llc", "corporation", "corp.", "company", "gmbh"),
        *("organization", "organisation", "agency", "department", "ministry", "office"),
        *("network", "initiative", "board", "commission", "community", "alliance"),
        *("contributors", "developers", "museum"),
    }
)
# Particles as family names start with them in any case (De Palma, van der Berg);
# one letter (y, e) is taken for a particle only in lower case, else it is an initial.
NAME_PARTICLES: Final = PARTICLES | {"do", "vom", "zur", "degli", "delle", "des", "op", "het"}
_CAPITAL_PARTICLES: Final = frozenset(p for p in NAME_PARTICLES if len(p) > 1)


def is_organisation(author: str) -> bool:
    """True for a name that is no person's: ``Center for History and New Media``,
    ``The Pandas Development Team``, or anything BibTeX would split wrongly."""
    words = author.split()
    if len(words) < 2:
        return author.lower() == "others"  # else a bare `and others` would cut the list
    lowered = [word.lower() for word in words]
    if "and" in lowered or "," in author or any(c.isdigit() for c in author):
        return True
    if any(word in ORGANISATION_WORDS for word in lowered):
        return True
    # A small word that is no particle (for, of, the) joins the words of a name.
    return any(
        word.islower() and word not in NAME_PARTICLES and len(word) > 1 and not word.endswith(".")
        for word in words[1:-1]
    )


def name_parts(author: str) -> tuple[str, str, str]:
    """(family with its particles, suffix, given) of a person's ``Given von Family Jr``."""
    words = author.split()
    suffix = ""
    if len(words) > 2 and words[-1] in SUFFIXES:
        suffix, words = words[-1], words[:-1]
    if len(words) < 2:
        return " ".join(words), suffix, ""
    start = len(words) - 1
    while start > 1 and (
        words[start - 1].lower() in _CAPITAL_PARTICLES or words[start - 1] in NAME_PARTICLES
    ):
        start -= 1
    return " ".join(words[start:]), suffix, " ".join(words[:start])


def bibtex_author(author: str) -> str:
    """One name of an ``author`` field: ``De Palma, Alessandro``, ``King, Jr, Martin
    Luther``, ``{Center for History and New Media}``, ``{Others}``."""
    author = clean_line(author)
    if is_organisation(author):
        return "{" + escape(author) + "}"
    family, suffix, given = name_parts(author)
    parts = [family, suffix, given] if suffix else [family, given]
    return ", ".join(escape(part) for part in parts if part)


def primary_class(paper: Paper) -> str | None:
    """The arXiv category to write: the first of categories, else the short one
    (``CL`` is cs.CL, as identifiers.short_category shortens it; ``math.AG`` is itself)."""
    if paper.categories:
        return paper.categories[0]
    if paper.category:
        return f"cs.{paper.category}" if paper.category.isupper() else paper.category
    return None


def note(text: str) -> str:
    """A note's lines as LaTeX writes them: ``\\\\`` ends a line, a blank line a paragraph."""
    paragraphs = re.split(r"\n[ \t]*\n(?:[ \t]*\n)*", text.strip("\n"))
    lines = ["\\\\\n".join(escape(line.rstrip()) for line in p.split("\n")) for p in paragraphs]
    return _LINE_AT.sub(r"\1{@}", "\n\n".join(lines))


def entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = [("title", escape(paper.title))]
    if paper.authors:
        names = [bibtex_author(a) for a in paper.authors]
        if paper.authors_truncated:
            names.append("others")
        fields.append(("author", " and ".join(names)))
    if paper.published:
        year, month, _ = date_parts(paper.published)
        fields.append(("year", escape(year)))
        if month.isascii() and month.isdigit() and 1 <= int(month) <= 12:
            fields.append(("month", MONTHS[int(month) - 1]))
        fields.append(("date", escape(paper.published)))
    if paper.venue:
        fields.append(("journal", escape(paper.venue)))
    if paper.arxiv_id:
        version = f"v{paper.arxiv_version}" if paper.arxiv_version else ""
        fields += [("eprint", escape(paper.arxiv_id + version)), ("archiveprefix", "arXiv")]
    if primary := primary_class(paper):
        fields.append(("primaryclass", escape(primary)))
    if len(paper.categories) > 1:  # no standard field has them; readq reads this one back
        fields.append(("categories", escape(", ".join(paper.categories))))
    for name in ("doi", "url"):
        value = getattr(paper, name)
        if value:
            # Verbatim (as BibTeX styles and biblatex print them) when that cannot break the entry.
            fields.append((name, value if _balanced(value) else escape(value)))
    if paper.abstract:
        fields.append(("abstract", escape(paper.abstract)))
    if paper.tags:
        fields.append(("keywords", escape(", ".join(paper.tags))))
    if paper.notes:
        # annote: the field annotated bibliographies print, which other styles leave out.
        fields.append(("annote", note(paper.notes)))
    kind = "article" if paper.venue else "misc"
    body = ",\n".join(
        f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields
    )
    return f"@{kind}{{{key},\n{body}\n}}\n"


def dumps(papers: Sequence[Paper]) -> bytes:
    keys = citation_keys(papers)
    return "\n".join(entry(p, k) for p, k in zip(papers, keys, strict=True)).encode("utf-8")
