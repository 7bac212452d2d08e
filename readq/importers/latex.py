r"""LaTeX in bibliography values to Unicode text, as LaTeX means it.

pylatexenc does the decoding; the contexts here teach it the LaTeX people put
in .bib files: ``{\'e}`` is é, a bare ``&`` is &, ``\texttt{numpy}`` and
``\mbox{...}`` keep their text, ``\TeX`` is TeX, ``\href{url}{text}`` the text,
``$\lambda$`` λ, ``$x^2$`` x², and a math macro left without its argument
(``{$\overline$}``) leaves no stray ``$``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pylatexenc import latex2text, latexwalker  # type: ignore[import-untyped]
from pylatexenc.latex2text import (  # type: ignore[import-untyped]
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
)
from pylatexenc.macrospec import (  # type: ignore[import-untyped]
    MacroSpec,
    MacroStandardArgsParser,
    SpecialsSpec,
)

#
# pylatexenc's defaults drop every macro it has no text for with its arguments
# (\texttt{numpy} vanishes), read & as a table column, have no \TeX, and know
# \href's text but not that it takes two arguments. The contexts below fix that
# for the LaTeX people put in bibliographies.

# A value holding none of these is plain text, and skips the (slow) LaTeX decoder.
LATEX_SYNTAX: Final = re.compile(r"[\\{}$~%^_&#]|--|``|''")
# In a .bib value a bare % is nearly always a percentage, never a comment.
_BARE_PERCENT: Final = re.compile(r"(?<!\\)%")

# Math superscripts and subscripts in Unicode when each character has one
# (10⁻³, CO₂, x²); otherwise ^ and _ stay, as people write math in plain text.
_SUPERSCRIPTS: Final = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUBSCRIPTS: Final = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
_COMBINING_OVERLINE: Final = "\u0305"
_SPACE: Final = "\ue000"  # a private-use character: no real text holds it
_ORDINALS: Final = frozenset({"st", "nd", "rd", "th", "e", "er", "re", "o", "a"})


class _Undecodable(Exception):
    """LaTeX too broken to read as meant (a macro without its arguments)."""


def _argument(node: Any, l2tobj: Any, index: int) -> str | None:
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    if index >= len(args) or args[index] is None:
        return None
    return str(l2tobj.nodelist_to_text([args[index]]))


def _in_math(node: Any) -> bool:
    return bool(getattr(node.parsing_state, "in_math_mode", False))


def _script(mark: str, table: dict[str, str]) -> Callable[..., str]:
    def text(n: Any, l2tobj: Any) -> str:
        argument = (_argument(n, l2tobj, 0) or "").strip()
        if not _in_math(n):  # outside math LaTeX would stop: the author meant the character
            return mark + argument
        if argument and all(c in table for c in argument):
            return "".join(table[c] for c in argument)
        if argument in _ORDINALS:  # 5^{th}: as people write it
            return argument
        return mark + (argument if len(argument) <= 1 else f"({argument})")

    return text


def _text_script(table: dict[str, str]) -> Callable[..., str]:
    """``H\\textsubscript{2}O`` is H₂O; ``5\\textsuperscript{th}`` stays 5th."""

    def text(n: Any, l2tobj: Any) -> str:
        argument = (_argument(n, l2tobj, 0) or "").strip()
        if all(c in table for c in argument):
            return "".join(table[c] for c in argument)
        return argument

    return text


def _overline(n: Any, l2tobj: Any) -> str:
    argument = _argument(n, l2tobj, 0) or ""
    return "".join(c + _COMBINING_OVERLINE if not c.isspace() else c for c in argument)


def _nth(index: int) -> Callable[..., str]:
    """The text of one argument; raising when it is missing, as for ``\\href{x}``."""

    def text(n: Any, l2tobj: Any) -> str:
        argument = _argument(n, l2tobj, index)
        if argument is None:
            raise _Undecodable
        return argument

    return text


# Macros the parser must know the arguments of (the rest it knows already).
_MACRO_ARGUMENTS: Final = {
    **dict.fromkeys(("href", "texorpdfstring"), "{{"),
    **dict.fromkeys(("foreignlanguage", "textcolor"), "[{{"),
    **dict.fromkeys(("textsuperscript", "textsubscript", "enquote", "mkbibquote"), "{"),
    **dict.fromkeys(("NoCaseChange", "nocase", "MakeUppercase", "MakeLowercase"), "{"),
    **dict.fromkeys(("doi", "bibstring", "mkbibemph"), "{"),
}
_MACRO_TEXT: Final[dict[str, str | Callable[..., str]]] = {
    **dict.fromkeys(("TeX", "LaTeX", "BibTeX", "XeTeX", "XeLaTeX", "LuaTeX", "LuaLaTeX"), ""),
    "LaTeXe": "LaTeX2ε",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "slash": "/",
    "hyphen": "-",
    "textless": "<",
    "textgreater": ">",
    "copyright": "©",
    "textcopyright": "©",
    "textbar": "|",
    "textunderscore": "_",
    "textquotedbl": '"',
    "textquotesingle": "'",
    "textbraceleft": "{",
    "textbraceright": "}",
    # The ASCII characters themselves, as readq's BibTeX export writes them.
    "textasciicircum": "^",
    "textasciitilde": "~",
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "textsterling": "£",
    "texteuro": "€",
    "textperiodcentered": "·",
    # Spaces, kept by a mark through math (whose text pylatexenc strips).
    **dict.fromkeys(("quad", "qquad", "enspace", "thinspace", ",", ";", ":", " "), _SPACE),
    # \url{x} is the link itself, not "<x>" (bibtexparser's decoder does the same).
    "url": "%s",
    "doi": "%s",
    "enquote": "“%s”",
    "mkbibquote": "“%s”",
    "href": _nth(1),
    "texorpdfstring": _nth(0),
    "foreignlanguage": _nth(2),
    "textcolor": _nth(2),
    "overline": _overline,
    "textsuperscript": _text_script(_SUPERSCRIPTS),
    "textsubscript": _text_script(_SUBSCRIPTS),
}
# Macros whose arguments are settings, not text.
_DISCARDED: Final = (
    *("label", "hspace", "vspace", "color", "pagecolor", "hphantom", "vphantom"),
    *("selectlanguage", "setlength", "addlength", "setcounter", "addcounter", "bibstring"),
)


def _walker_context() -> Any:
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "readq-bibtex",
        prepend=True,
        macros=[MacroSpec(name, args) for name, args in _MACRO_ARGUMENTS.items()],
        specials=[
            SpecialsSpec("^", args_parser=MacroStandardArgsParser("{")),
            SpecialsSpec("_", args_parser=MacroStandardArgsParser("{")),
        ],
    )
    return context


def _text_context() -> Any:
    context = latex2text.get_default_latex_context_db()
    macros = [MacroTextSpec(name, simplify_repl=text or name) for name, text in _MACRO_TEXT.items()]
    macros += [MacroTextSpec(name, discard=True) for name in _DISCARDED]
    context.add_context_category(
        "readq-bibtex",
        prepend=True,
        macros=macros,
        specials=[
            SpecialsTextSpec("&", "&"),  # a column separator only in tables, never in a .bib
            SpecialsTextSpec("^", simplify_repl=_script("^", _SUPERSCRIPTS)),
            SpecialsTextSpec("_", simplify_repl=_script("_", _SUBSCRIPTS)),
        ],
    )
    # A macro with no text of its own (\texttt, \mbox, \textsf, \NoCaseChange...)
    # is markup around its arguments: keep them.
    context.set_unknown_macro_spec(MacroTextSpec("", discard=False))
    return context


_WALKER_CONTEXT: Final = _walker_context()
_TEXT: Final = LatexNodes2Text(
    latex_context=_text_context(), math_mode="text", keep_braced_groups=False
)
# A macro that wants an argument but has none (``{$\overline$}``,
# ``So{$\not$}rensen``) would take the closing ``$`` as its argument and leave
# the rest of the value in math; it goes, with its math if nothing else is in it.
_ARGUMENTLESS: Final = re.compile(r"(\$\s*)?\\([A-Za-z]+)\s*(?(1)\$|(?=[$}]|\\\)|\Z))")


def _takes_argument(name: str) -> bool:
    spec = _WALKER_CONTEXT.get_macro_spec(name)
    return "{" in str(getattr(getattr(spec, "args_parser", None), "argspec", ""))


def _drop_argumentless(match: re.Match[str]) -> str:
    return "" if _takes_argument(match[2]) else match[0]


def latex_to_text(value: str) -> str:
    """``value`` as LaTeX means it, in Unicode; raises on LaTeX too broken to read."""
    value = _ARGUMENTLESS.sub(_drop_argumentless, _BARE_PERCENT.sub(r"\\%", value))
    walker = latexwalker.LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return str(_TEXT.nodelist_to_text(nodes)).replace(_SPACE, " ")


_ANY_MACRO: Final = re.compile(r"\\[A-Za-z]+\s*|\\(?=[^A-Za-z])|[{}$]")


def stripped(value: str) -> str:
    """The text of LaTeX pylatexenc cannot read: macros, braces and dollars out."""
    return _ANY_MACRO.sub("", value)
