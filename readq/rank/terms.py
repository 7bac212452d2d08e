"""A paper's features as words: the words and word pairs of its title and
abstract, its authors, organisations and categories, and the bucket number each
is hashed to. numpy-free: the app names a paper's features (why it ranks where
it does) without importing numpy; features.py builds the vectors from these."""

from __future__ import annotations

import itertools
import operator
import re
import zlib
from collections import Counter
from typing import Final

from readq.model import Paper, fold

TITLE_WEIGHT: Final = 2  # a title's words count twice: it says what the paper is about
# An author counts twice: among a paper's hundred words one name was lost, and
# readers who follow authors (rank_eval.py) found 2 of their papers in 5 pages,
# not 13; readers of topics and categories lose nothing by it.
AUTHOR_WEIGHT: Final = 2
BUCKETS: Final = 1 << 20  # the features' numbers: 4 MB of weights per model
_WORD: Final = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
# Words that say nothing of a paper's topic: English, and how abstracts talk.
_STOPWORD_TEXT: Final = """a about above across after again against all almost along also
    although always am among an and another any are as at be because been before being below between
    both but by can could did do does doing done down during each either enough even
    every few for from further had has have having he her here hers him his how however
    i if in into is it its itself just least less like made make many may me might more
    most much must my neither no nor not now of off often on once one only or other our
    out over own per rather same she should show shown shows since so some such than
    that the their them then there these they this those though through thus to too
    two under until up upon us use used uses using very via was we well were what when
    where whether which while who whom whose why will with within without would yet you
    your paper papers propose proposed present presents approach approaches method
    methods result results new novel based work study find found also existing recent
    recently first second three four five furthermore moreover however several various
    significantly demonstrate demonstrates experiments experimental provide provides
    introduce introduces achieve achieves achieving significant state art"""
STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())


def terms(paper: Paper, abstract: str | None = None, folded: Folded | None = None) -> Counter[str]:
    """The paper's features and how often it has each: words and adjacent word
    pairs of its title (counted twice) and abstract, ``author:…`` (twice),
    ``org:…`` and ``cat:…``. ``abstract``: the paper's, when already read (abstracts_of);
    ``folded``: names already folded, shared across papers."""
    names = Folded() if folded is None else folded
    counts: Counter[str] = Counter()
    text = paper.abstract if abstract is None else abstract
    for words, times in ((_words(paper.title), TITLE_WEIGHT), (_words(text), 1)):
        pairs = list(map(operator.add, words, map(" ".__add__, words[1:])))
        for _ in range(times):
            counts.update(words)
            counts.update(pairs)
    authors = list(map("author:".__add__, filter(None, map(names.__getitem__, paper.authors))))
    for _ in range(AUTHOR_WEIGHT):
        counts.update(authors)
    counts.update(map("org:".__add__, filter(None, map(names.__getitem__, paper.orgs))))
    categories = {" ".join(c.lower().split()) for c in [*paper.categories, paper.category or ""]}
    categories.discard("")
    counts.update(f"cat:{category}" for category in categories)
    return counts


def _words(text: str) -> list[str]:
    return list(itertools.filterfalse(STOPWORDS.__contains__, _WORD.findall(text.lower())))


class Folded(dict[str, str]):
    """Names folded once each: a library names the same authors thousands of times."""

    def __missing__(self, name: str) -> str:
        value = self[name] = fold(name)
        return value


def bucket(term: str) -> int:
    """The number of a feature (zlib's CRC-32: the same in every process)."""
    return zlib.crc32(term.encode("utf-8", "replace")) & (BUCKETS - 1)


def named(paper: Paper) -> dict[int, str]:
    """The paper's features by number, named by its own words (the most frequent
    of the paper's terms that share a number)."""
    names: dict[int, str] = {}
    for term, _ in terms(paper).most_common():
        names.setdefault(bucket(term), term)
    return names


def digest(paper: Paper, abstract: str) -> int:
    """A checksum of what the paper's vector is made of: a cached vector is used
    only while its paper still has it (an import may bring a new abstract)."""
    parts = [paper.title, abstract, *paper.authors, "", *paper.orgs, "", paper.category or ""]
    return zlib.crc32("\x1f".join([*parts, *paper.categories]).encode("utf-8", "replace"))
