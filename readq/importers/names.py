"""Does a piece of text read as a list of person names?

The pasted listing glues a paper's title to its first author, so the listing
parser tries split points and asks this module whether what follows reads as
authors. The test is deliberately strict about token shapes: a false "yes"
silently cuts a title in two, while a "no" only costs a warning.
"""

from __future__ import annotations

import re
from typing import Final

from readq.model import PARTICLES, SUFFIXES

MAX_NAME_LENGTH: Final = 80
MAX_NAME_TOKENS: Final = 7

# Family-name prefixes after which a second capital is normal: McAllister,
# LeBlanc, DiCaprio. Any other internal capital ("VideoHugo") marks a glued title.
CAPITAL_PREFIXES: Final = ("Mc", "Mac", "Le", "La", "De", "Di", "Da", "Du", "Van", "Von", "Fitz")
_ELISIONS: Final = frozenset({"d", "l", "D", "L", "O"})
_PART_SEPARATORS: Final = re.compile(r"[-'’]")
_INITIALS: Final = re.compile(r"(?:[^\W\d_]\.?-?){1,3}")
# A token that starts in lower case and turns to a capital ("setMatteo") is no
# particle, word or initial. Most split points the listing parser tries too
# early leave such a title word glued to a name, and one search refuses them.
_GLUED_WORDS: Final = re.compile(r"(?:^| )[a-z]+[A-Z]")
# The usual shapes of the names is_person_name_by_tokens accepts, as one
# regular expression that runs at C speed: capitalised words in ASCII or
# Latin-1 letters (Jörg Weiß), hyphen and apostrophe parts (Al-Sayed, O'Neill),
# single initials, particles in the middle, no suffix at the end. Other names
# (McAllister, J.R., other scripts) take the token-by-token test.
_CAPITAL: Final = "[A-ZÀ-ÖØ-Þ]"
_SMALL: Final = "[a-zß-öø-ÿ]"
_CAPITALISED: Final = f"{_CAPITAL}{_SMALL}+"
_WORD: Final = (
    f"(?:{_CAPITALISED}(?:[-'’](?:{_CAPITALISED}|{_SMALL}+))*"
    f"|[dlDLO]['’]{_CAPITALISED}(?:[-'’]{_CAPITALISED})*)"
)
_INITIAL: Final = rf"{_CAPITAL}\.?"
_PARTICLE: Final = "|".join(sorted(PARTICLES, key=lambda p: (-len(p), p)))
# (The middle is lazy: most names have none, and trying the last word first is
# twice as fast as backing off from a greedy middle.)
PLAIN_NAME: Final = re.compile(
    rf"(?:{_WORD}|{_INITIAL})(?: (?:{_WORD}|{_INITIAL}|{_PARTICLE})){{0,{MAX_NAME_TOKENS - 2}}}?"
    rf" {_WORD}(?<! Jr)(?<! Sr)"
)


def _is_lower_run(text: str) -> bool:
    return text.isalpha() and text.islower()


def _is_capitalised(part: str) -> bool:
    """``Anne``, ``Weiß``, ``McAllister``; not ``LLM``, ``NeRFs`` or ``VideoHugo``."""
    if len(part) < 2 or not part[0].isupper():
        return False
    rest = part[1:]
    if _is_lower_run(rest):
        return True
    if not part.startswith(CAPITAL_PREFIXES):  # one test for the usual answer
        return False
    for prefix in CAPITAL_PREFIXES:
        tail = part[len(prefix) :]
        if part.startswith(prefix) and len(tail) >= 2 and _is_capitalised(tail):
            return True
    return False


def is_word(token: str) -> bool:
    """A capitalised name word, with hyphen or apostrophe parts: Al-Sayed, O'Neill, Sa'id."""
    if token.isalpha():  # no separator, so one part: most words
        return _is_capitalised(token)
    parts = _PART_SEPARATORS.split(token)
    if any(not part for part in parts):
        return False
    first, rest = parts[0], parts[1:]
    if rest and first in _ELISIONS:  # O'Neill, D'Angelo, d'Alembert
        return all(_is_capitalised(p) for p in rest)
    if not _is_capitalised(first):
        return False
    return all(_is_capitalised(p) or _is_lower_run(p) for p in rest)


def is_initial(token: str) -> bool:
    """``M``, ``J.``, ``J.R.``, ``J.-P.``: up to three capital initials."""
    if not _INITIALS.fullmatch(token):
        return False
    letters = [c for c in token if c.isalpha()]
    return all(c.isupper() for c in letters) and (len(letters) == 1 or "." in token)


def is_person_name(text: str) -> bool:
    """``Luisa M Zintgraf``, ``Hugo van der Berg``, ``J. R. Hartley``, ``Li Na``."""
    if len(text) > MAX_NAME_LENGTH:
        return False
    return PLAIN_NAME.fullmatch(text) is not None or is_person_name_by_tokens(text)


def is_person_name_by_tokens(text: str) -> bool:
    """is_person_name without its length limit, one token at a time."""
    if text != text.strip() or _GLUED_WORDS.search(text):
        return False
    tokens = text.split(" ")
    if tokens and tokens[-1] in SUFFIXES:
        tokens = tokens[:-1]
    if not 2 <= len(tokens) <= MAX_NAME_TOKENS or "" in tokens:
        return False
    first, middle, last = tokens[0], tokens[1:-1], tokens[-1]
    if not (is_word(first) or is_initial(first)) or not is_word(last):
        return False
    return all(is_word(t) or is_initial(t) or t in PARTICLES for t in middle)


def split_names(text: str) -> list[str] | None:
    """The names in a ``, `` separated list, or None unless every one is a person name."""
    # Most candidates fail on the first name: test it before splitting the rest.
    first = text.split(",", 1)[0].strip()
    if not is_person_name(first):
        return None
    names = [name.strip() for name in text.split(",")]
    if all(is_person_name(name) for name in names[1:]):
        return names
    return None
