"""A small library on three topics, for the ranking's tests: which topic a paper
is about is plain from its title's first word."""

from __future__ import annotations

import random

from readq.library import Library
from readq.model import ParsedPaper, Status

TOPICS = {
    "graphs": "graph neural message passing node edge spectral convolution molecule",
    "proteins": "protein folding structure residue amino sequence alignment enzyme",
    "robots": "robot locomotion quadruped controller policy terrain gait actuator",
}
FILLER = "model data training evaluation benchmark large scale learning network task"


def topical_paper(topic: str, number: int, rnd: random.Random) -> ParsedPaper:
    words = TOPICS[topic].split()
    title = " ".join(rnd.sample(words, 3)).title() + f" {number}"
    abstract = " ".join(rnd.choice(words + FILLER.split()) for _ in range(60))
    return ParsedPaper(title=title, abstract=abstract, authors=[f"Author {topic} {number % 3}"])


def topical_papers(per_topic: int = 20, seed: int = 7) -> list[ParsedPaper]:
    """``per_topic`` papers on each topic, shuffled."""
    rnd = random.Random(seed)
    entries = [topical_paper(topic, n, rnd) for topic in TOPICS for n in range(per_topic)]
    rnd.shuffle(entries)
    return entries


def topic_of(title: str) -> str:
    return next(t for t, words in TOPICS.items() if title.split()[0].lower() in words.split())


def by_topic(library: Library) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for paper in library:
        found.setdefault(topic_of(paper.title), []).append(paper.id)
    return found


def decide_on_graphs(library: Library) -> list[int]:
    """Three graph papers kept, three of each other topic passed; the graph papers' ids."""
    topics = by_topic(library)
    library.set_priority(topics["graphs"][:3], 3)
    library.set_status([*topics["proteins"][:3], *topics["robots"][:3]], Status.READ)
    return topics["graphs"]
