"""Synthetic libraries of realistic size for bench.py, from a fixed seed.

Sizes follow perf-baseline.md: a title of about 80 characters, six authors, an
abstract of about 1,200 characters, organisations, category, date and score,
and the user's state (a third read, some priorities, notes of up to 300
characters, a few tags). Papers are drawn in order from one seeded stream, so
the first 1,000 papers of the 10,000-paper library are the 1,000-paper library.

Titles end in a lower-case word and authors are "Given Family" (with a few
particles, apostrophes, hyphens and Mc/Le prefixes), so the listing parser
splits every title line where the generator glued it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

SEED = 20261129
AS_OF = date(2026, 11, 29)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CATEGORIES = ("CL", "LG", "AI", "SE", "CV", "RO", "NE", "IR", "HC", "CR", "DS")
ORGS = (
    *("mit", "cmu", "stanford", "berkeley", "deepmind", "google-research", "meta-ai"),
    *("microsoft", "eth", "epfl", "mila", "uw", "oxford", "cambridge", "tsinghua"),
    *("amazon-science", "nvidia", "inria", "kaist", "ucl", "toronto", "allen-ai"),
)
TAGS = ("to-read", "survey", "baseline", "reproduce", "cite", "reading-group", "ml", "nlp")
GIVEN = (
    *("Mara", "Tobias", "Ravi", "Junie", "Oskar", "Ingrid", "Chen", "Amélie", "Jörg", "Priya"),
    *("Hugo", "Kwame", "Marcus", "Elena", "Ahmed", "Beatriz", "Daniel", "Sofia", "Anne"),
    *("Tomasz", "Ade", "Kai", "Noor", "Rosa", "Yuki", "Omar", "Xi", "Li", "Wei", "Aarti"),
    *("Abhinav", "Luisa", "Matteo", "Sven", "Ilse", "Farah", "Diego", "Hana", "Pavel"),
    *("Zeynep", "Lucas", "Maya", "Arjun", "Nadia", "Felix", "Greta", "Samuel", "Leila"),
)
FAMILY = (
    *("Ellison", "Quint", "Anand", "Park", "Lind", "Solberg", "Wei", "Durand", "Weiß"),
    *("Haddad", "Natarajan", "Na", "Mensah", "Rossi", "Costa", "Lindqvist", "Nowak"),
    *("Okafor", "Brandt", "Jiménez", "Tanaka", "Farouk", "Chen", "Blakeman", "Basant"),
    *("Khattar", "Zintgraf", "Böhmer", "Rocktäschel", "Moreau", "Kowalski", "Schmidt"),
    *("Novak", "Ivanova", "Yilmaz", "Silva", "Kim", "Nguyen", "Fischer", "Hartley"),
    *("O'Neill", "Al-Sayed", "McAllister", "LeBlanc", "van der Berg", "De Palma"),
    *("D'Angelo", "Müller-Lang", "MacLeod", "di Stefano"),
)
# A Zipf-weighted vocabulary: common words are common, so that a search for a
# rarer word matches a realistic few percent of the library.
_WORDS = """
the of and to in we a for that is on with model models our by as are this from
learning data training language show method results which performance can using
task tasks large network networks approach new tasks two neural propose based
these than more across also while each between such both only when methods its
state time first set work study small over into three prior via without under
benchmark benchmarks evaluation accuracy loss scale scaling parameters inference
attention transformer transformers layers representations features embedding
policy agents agent reward reinforcement offline online robot control planning
images image video vision visual segmentation detection depth scene rendering
graph graphs nodes edges molecular retrieval query queries documents ranking
generation generative diffusion sampling noise samples distribution prior latent
optimization gradient convergence stochastic regularization objective bounds
theory analysis empirical robustness adversarial privacy fairness calibration
uncertainty bayesian causal inference estimation regression classification
tokens tokenizer vocabulary context memory recall reasoning chain program code
repair synthesis verification compiler types testing bugs patches developers
speech audio translation multilingual low-resource dialogue summarization
sparse dense experts routing mixture pruning quantization distillation student
teacher compression efficient latency throughput hardware memory-efficient
federated clients communication decentralized privacy-preserving secure attack
dataset datasets annotation labels supervision self-supervised contrastive
pretraining fine-tuning adaptation transfer domain shift generalization
curriculum exploration simulation sim-to-real locomotion manipulation grasping
interface users participants study field interviews triage reading feeds
spectral kernel manifold geometry topology equivariant symmetry invariance
retrieval-augmented hallucination alignment preference feedback instruction
evaluation-time test-time compute search tree beam decoding speculative
"""
WORDS = _WORDS.split()
TERMS = (
    *("LLM", "LLMs", "GNNs", "NeRFs", "BERT", "GPT-4", "PPO", "RLHF", "ViT", "CLIP"),
    *("Mamba-Transformer", "MoE", "NetHack", "ImageNet", "CIFAR-10", "NeurIPS", "LoRA"),
)
# The word bench.py searches for: in about 2.5% of papers, as a topic would be.
SEARCH_TERM = "hyperbolic"
# A fielded query bench.py types in the app and runs from the CLI: an author on
# one paper in RARE_AUTHOR_EVERY (placed by the paper's number, so the random
# stream, and every other figure's library, is as it was).
RARE_AUTHOR = "Lev Kurin"
RARE_AUTHOR_EVERY = 250
FIELDED_QUERY = "author:kurin is:unread"


@dataclass(slots=True)
class SyntheticPaper:
    title: str
    authors: list[str]
    truncated: bool
    orgs: list[str]
    category: str
    published: date
    year_shown: bool
    score: str | None  # as the listing shows it
    has_code: bool
    abstract: str
    state: dict[str, Any] = field(default_factory=dict)

    def listing_lines(self) -> list[str]:
        """The three lines of a pasted listing (see tests/data/listing-sample.txt)."""
        when = f"{MONTHS[self.published.month - 1]} {self.published.day}"
        if self.year_shown:
            when += f", {self.published.year}"
        header = f"{self.score or ''}{self.category}{when}{'Code' if self.has_code else ''}"
        names = ", ".join(self.authors) + (" et al." if self.truncated else "")
        orgs = f" · {', '.join(self.orgs)}" if self.orgs else ""
        return [header, f"{self.title}{names}{orgs}", self.abstract]

    def export_record(self) -> dict[str, Any]:
        """The paper as readq's JSON export holds it, with the user's state."""
        return {
            "title": self.title,
            "authors": self.authors,
            "orgs": self.orgs,
            "category": self.category,
            "published": self.published.isoformat(),
            "score": None if self.score is None else float(self.score),
            "has_code": self.has_code,
            "abstract": self.abstract,
            "authors_truncated": self.truncated,
            "source": "listing",
            "flags": ["Code"] if self.has_code else [],
            **self.state,
        }


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.weights = [1 / rank for rank in range(1, len(WORDS) + 1)]
        self.titles: set[str] = set()

    def words(self, count: int) -> list[str]:
        return self.rng.choices(WORDS, self.weights, k=count)

    def title(self) -> str:
        while True:
            target = self.rng.randint(55, 105)
            words = [self.rng.choice(WORDS).capitalize()]
            while len(" ".join(words)) < target:
                if self.rng.random() < 0.12:
                    words.append(self.rng.choice(TERMS))
                elif self.rng.random() < 0.05 and len(words) > 2:
                    words[-1] += ":"
                else:
                    words.append(self.rng.choice(WORDS))
            if words[-1][-1] == ":" or not words[-1].islower():
                words.append(self.rng.choice(WORDS))  # a title ends in a lower-case word
            title = " ".join(words)
            if title not in self.titles:
                self.titles.add(title)
                return title

    def author(self) -> str:
        given = self.rng.choice(GIVEN)
        if self.rng.random() < 0.1:
            given += f" {self.rng.choice('ABCDEFGHJKLMNPRSTW')}"  # a bare middle initial
        return f"{given} {self.rng.choice(FAMILY)}"

    def abstract(self) -> str:
        target = self.rng.randint(900, 1500)
        sentences: list[str] = []
        length = 0
        while length < target:
            words = self.words(self.rng.randint(12, 30))
            if self.rng.random() < 0.3:
                words.insert(self.rng.randrange(len(words)), self.rng.choice(TERMS))
            if self.rng.random() < 0.1:
                words.insert(self.rng.randrange(len(words)), "$\\lambda$-calculus")
            if self.rng.random() < 0.2:
                words.append(f"by {self.rng.randint(2, 40)}%")
            if self.rng.random() < 0.0025:
                words.insert(self.rng.randrange(len(words)), SEARCH_TERM)
            sentence = " ".join(words)
            sentence = sentence[0].upper() + sentence[1:] + "."
            sentences.append(sentence)
            length += len(sentence) + 1
        return " ".join(sentences)

    def state(self, index: int, published: date) -> dict[str, Any]:
        rng = self.rng
        added = f"{published + timedelta(days=rng.randint(0, 30)):%Y-%m-%d}T09:00:00Z"
        state: dict[str, Any] = {"added_at": added, "updated_at": added, "changed_at": {}}
        if rng.random() < 0.33:
            state |= {"status": "read", "read_at": added}
            state["changed_at"]["status"] = added
        if rng.random() < 0.2:
            state["priority"] = rng.randint(1, 3)
            state["changed_at"]["priority"] = added
        if rng.random() < 0.25:
            state["notes"] = " ".join(self.words(rng.randint(0, 50)))[:300]
            state["changed_at"]["notes"] = added
        if rng.random() < 0.15:
            state["tags"] = sorted(set(rng.sample(TAGS, rng.randint(1, 2))))
            state["changed_at"]["tags"] = added
        return state

    def paper(self, index: int) -> SyntheticPaper:
        rng = self.rng
        year_shown = rng.random() < 0.7
        # A date without a year is read as within the year before the capture day.
        span = 7 * 365 if year_shown else 360
        published = AS_OF - timedelta(days=rng.randint(0, span))
        score = None
        if rng.random() < 0.5:
            value = rng.uniform(1, 120)
            score = f"{value:.1f}" if rng.random() < 0.8 else str(int(value))
        authors = [self.author() for _ in range(6)]
        if index % RARE_AUTHOR_EVERY == 7:
            authors[2] = RARE_AUTHOR
        return SyntheticPaper(
            title=self.title(),
            authors=authors,
            truncated=rng.random() < 0.3,
            orgs=sorted(set(rng.sample(ORGS, rng.randint(0, 3)))),
            category=rng.choice(CATEGORIES),
            published=published,
            year_shown=year_shown,
            score=score,
            has_code=rng.random() < 0.4,
            abstract=self.abstract(),
            state=self.state(index, published),
        )


def papers(count: int, seed: int = SEED) -> list[SyntheticPaper]:
    generator = Generator(seed)
    return [generator.paper(i) for i in range(count)]


def listing_text(items: list[SyntheticPaper]) -> str:
    return "\n".join(line for paper in items for line in paper.listing_lines()) + "\n"


def export_document(items: list[SyntheticPaper]) -> dict[str, Any]:
    """A readq JSON export of ``items``: how bench.py seeds a library with user state."""
    return {"format": "readq", "version": 1, "papers": [p.export_record() for p in items]}
