"""The text of an HTML fragment: what journals' and blogs' feeds put in a
description or summary (``<p>We study <i>x</i>.</p>``), read as a person
would see it. Nothing of it is kept as markup: tags go, entities are decoded,
and the text is cleaned like any imported text afterwards."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

# Only text that holds a tag is read as HTML: "a < b" in an abstract stays as written.
_TAG: Final = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_BREAKS: Final = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})
_HIDDEN: Final = frozenset({"script", "style"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(text: str) -> str:
    """``text`` without its HTML, paragraphs as lines; as it is if it holds no tag."""
    if "<" not in text or _TAG.search(text) is None:
        return text
    reader = _Text()
    reader.feed(text)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)
