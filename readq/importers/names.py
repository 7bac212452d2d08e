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


# --- people in citation data -----------------------------------------------------
#
# Reference managers and databases write a person three ways: ``Curie, Marie``
# (family first, a comma), ``Marie Curie``, and ``Curie M.`` (family, then
# initials: Embase, Scopus, PubMed, Ovid). readq keeps given names first, the
# form model.family_name reads, so that a paper's copies from two files meet.

# Initials after a family name: ``R.``, ``D.G.``, ``K.-C.``, ``J.C``, or up to three
# capitals without dots (PubMed's ``SM``, ``CWC``). Suffixes (``II``) are not initials.
_TRAILING_INITIALS: Final = re.compile(r"(?:[^\W\d_]\.-?)*[^\W\d_]\.?|[^\W\d_]{1,3}")
MAX_FAMILY_TOKENS: Final = 3
_FAMILY_PARTS: Final = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Scopus's cell for a paper without authors.
NO_AUTHOR: Final = frozenset({"[No author name available]"})


def is_trailing_initials(token: str) -> bool:
    """``R.``, ``D.G.``, ``K.-C.``, ``SM``: initials as written after a family name."""
    if token in SUFFIXES or not _TRAILING_INITIALS.fullmatch(token):
        return False
    return token.replace(".", "").replace("-", "").isupper()


def split_initials_last(name: str) -> tuple[str, str] | None:
    """(family, initials) of ``Liu R.`` or ``van der Berg J``; None for other shapes."""
    tokens = name.split()
    start = len(tokens)
    while start > 1 and is_trailing_initials(tokens[start - 1]):
        start -= 1
    family, initials = tokens[:start], tokens[start:]
    if not initials or len(family) > MAX_FAMILY_TOKENS:
        return None
    if not all(_is_family_word(t) or t in PARTICLES for t in family):
        return None
    if not _is_family_word(family[-1]):
        return None
    return " ".join(family), " ".join(initials)


def _is_family_word(token: str) -> bool:
    """A family name's word before initials: is_word, or capitalised with capitals
    inside that no prefix explains (Scopus's ``ElKalaawy N.``). Initials after it
    already say that this is a person, so the listing parser's strictness about
    glued words is not needed here; an all-capitals word (``IBM``) stays out."""
    return is_word(token) or (
        _FAMILY_PARTS.fullmatch(token) is not None and token[0].isupper() and not token.isupper()
    )


def _initials_last(name: str) -> str | None:
    """``Liu R.`` -> ``R. Liu``; None for other shapes."""
    parts = split_initials_last(name)
    return f"{parts[1]} {parts[0]}" if parts else None


def given_first(name: str) -> str:
    """A person's name given names first, the form readq keeps.

    ``Curie, Marie`` and ``King, Martin Luther, Jr.`` (family first, as RIS, BibTeX
    and Zotero write names) give ``Marie Curie`` and ``Martin Luther King Jr.``;
    ``Liu R.`` and ``Adler D.G.`` (family, then initials) give ``R. Liu`` and
    ``D.G. Adler``. Any other name (``Marie Curie``, ``The Consortium``) is kept.
    """
    name = " ".join(name.split())
    if "," in name:
        family, given, *suffixes = (part.strip() for part in name.split(","))
        return " ".join(part for part in (given, family, *suffixes) if part)
    return _initials_last(name) or name


def _is_suffix(part: str) -> bool:
    return part.strip() in SUFFIXES


def split_people(text: str, *, commas_inside: bool = False) -> list[str]:
    """The people an author cell lists, in order, each given names first (repeats kept).

    A cell is split on ``;``, else on `` and ``, and each piece is one person
    (``Doe, Jane; Roe, Richard``, ``Doe, Jane and Roe, Richard``). A piece with
    commas is several people when every part reads as one (``Jane Doe, Richard
    Roe``, ``Liu R., Adler D.G.``), or when its parts pair off as ``Family,
    Initials`` (``Phillips, J.C., Braun, R.``); else it is one person written
    family first (``Doe, Jane``). ``commas_inside`` says that the cell's column
    separates people with ``;`` elsewhere, so that a comma here is inside a name:
    ``De Boer, Jan`` is then one person, not two.
    """
    text = " ".join(text.split())
    if not text or text in NO_AUTHOR:
        return []
    chunks = [chunk.strip() for chunk in text.split(";")]
    if len(chunks) > 1 or commas_inside:
        return [given_first(chunk) for chunk in chunks if chunk.strip(" ,")]
    pieces = [piece.strip(" ,") for piece in re.split(r"\s+and\s+", text)]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) > 1 and all(piece.count(",") == 1 for piece in pieces):
        return [given_first(piece) for piece in pieces]  # Doe, Jane and Roe, Richard
    return [person for piece in pieces for person in _comma_list(piece)]


def _comma_list(text: str) -> list[str]:
    """The people in a ``,`` separated piece of an author cell (see split_people)."""
    parts = [part.strip() for part in text.split(",")]
    parts = [part for part in parts if part]
    if len(parts) == 1:
        return [given_first(parts[0])]
    if split_names(", ".join(parts)) is not None:
        return parts  # Jane Doe, Richard Roe
    flipped = [_initials_last(part) for part in parts]
    if all(flipped):
        return [name for name in flipped if name]  # Liu R., Adler D.G.
    if len(parts) >= 4 and len(parts) % 2 == 0 and _pairs_off(parts):
        return [given_first(f"{parts[i]}, {parts[i + 1]}") for i in range(0, len(parts), 2)]
    if len(parts) == 2 or (len(parts) == 3 and _is_suffix(parts[2])):
        return [given_first(text)]  # Doe, Jane; King, Martin Luther, Jr.
    return [given_first(part) for part in parts]


def _pairs_off(parts: list[str]) -> bool:
    """``Phillips, J.C., Braun, R.``: family names alternating with initials."""
    families, initials = parts[0::2], parts[1::2]
    return all(all(is_trailing_initials(t) for t in group.split()) for group in initials) and all(
        is_word(family.split()[-1]) for family in families
    )


def split_glued(text: str) -> list[str]:
    """The people in a cell that runs their names together, as Springer Link's CSV
    export does: ``Vivek K. PallipuramMohammad BhuiyanMelissa C. Smith``.

    A name ends where a small letter meets a capital, once it has two words (so
    ``WenGuang Chen`` stays whole), unless the capital goes on a family name's
    prefix as its last word (``Ronald McDonald``, ``Richard DeFrancisco``); a
    prefix with more words after it is the name before's end (``Yun-Fei DuJuan
    Chen``: Yun-Fei Du, then Juan Chen).
    """
    names: list[str] = []
    start = word = 0
    for i, char in enumerate(text):
        if char.isspace():
            word = i + 1
        elif (
            char.isupper()
            and text[i - 1 : i].islower()
            and " " in text[start:i].strip()
            and (text[word:i] not in CAPITAL_PREFIXES or _word_goes_on(text, i))
        ):
            names.append(text[start:i])
            start = word = i
    names.append(text[start:])
    return [" ".join(name.split()) for name in names if name.strip()]


def _word_goes_on(text: str, start: int) -> bool:
    """Whether the word from ``start`` is followed by another word of the same name
    (a space) rather than by the next name (a small letter then a capital)."""
    for i in range(start + 1, len(text)):
        if text[i].isspace():
            return True
        if text[i].isupper() and text[i - 1].islower():
            return False
    return False
