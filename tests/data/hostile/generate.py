"""Write the hostile-input fixtures in this folder (see README.md for what each attacks).

Run from the repository root: ``python tests/data/hostile/generate.py``. Every
file is rewritten byte for byte, so a fixture that holds raw control bytes never
has to be edited by hand. The big inputs (50 MB lines, 100,000 entries, deep
nesting) are not here: tests/unit/test_hostile_inputs.py generates them at test
time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent

# Textual/Rich markup: bold, a bare close tag, an action that quits the app
# when clicked, and a link. Without spaces or commas, so that it survives
# author splitting and tag normalisation unchanged.
MARKUP = "[bold]B[/bold][/][@click=app.quit]Q[/][link=https://evil.example/x]L[/link]"
CLICK = "[@click=app.quit]"

# Terminal attacks, 7-bit: clear screen and colour, alternate screen, a device
# status report (the terminal answers on stdin), window title, clipboard write
# (OSC 52), hyperlink (OSC 8), a terminfo query and a sixel image (DCS), full
# reset, DEC line-drawing charset, backspaces over the visible text, BEL, VT, FF,
# DEL, file/record separators, and an OSC that never ends.
CSI = "\x1b[2J\x1b[31m\x1b[?1049h\x1b[6n"
OSC = "\x1b]0;pwned-title\x07\x1b]52;c;ZXZpbA==\x07\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"
DCS = "\x1bP+q544e\x1b\\\x1bPq#0;2;0;0;0#0~~@@vv@@~~$-\x1b\\"
OTHER_ESC = "\x1bc\x1b7\x1b#8\x1b(0"
C0 = "\x07\x08\x08\x08\x0b\x0c\x7f\x1c\x1e"
UNTERMINATED = "\x1b]0;never-ends"
# The same attacks in their 8-bit C1 forms: CSI, OSC ... ST, DCS ... ST, plus
# NEL, RI and SCI.
C1 = "\x9b2J\x9d0;c1-title\x9c\x90+q544e\x9c\x85\x8d\x9a"

# Bidi embeddings, overrides and isolates (Trojan Source), marks, and
# invisible characters. ZWJ inside the emoji is legitimate and must survive.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u2060\ufeff"
EMOJI_ZWJ = "\U0001f469\u200d\U0001f4bb"

# JSON escapes json.loads turns into lone surrogates (and one valid pair).
SURROGATES = "\ud800 high \udfff low \udc00\ud800 reversed \ud83d\ude00 pair"


@dataclass(frozen=True)
class Paper:
    title: str
    authors: tuple[str, ...] = ("Ann Lee", "Bo Park")
    abstract: str = "An abstract."
    venue: str = "Journal of Tests"
    tags: tuple[str, ...] = ("alpha", "beta")
    notes: str = "A note."
    orgs: tuple[str, ...] = ("Lab",)
    key: str = "lee2025"
    arxiv: str = "2611.90001"
    extra: dict[str, str] = field(default_factory=dict)


# --- one renderer per format ------------------------------------------------------


def listing(papers: list[Paper]) -> str:
    out = []
    for p in papers:
        org = f" · {', '.join(o.lower() for o in p.orgs)}" if p.extra.get("orgs") else ""
        header = p.extra.get("header", "LGMar 3, 2025Code")
        out += [header, f"{p.title}{', '.join(p.authors)}{org}", p.abstract]
    return "\n".join(out) + "\n"


def bibtex(papers: list[Paper]) -> str:
    out = []
    for p in papers:
        out.append(
            f"@article{{{_bib_key(p.key)},\n"
            f"  title = {{{p.title}}},\n"
            f"  author = {{{' and '.join(_family_first(a) for a in p.authors)}}},\n"
            f"  abstract = {{{p.abstract}}},\n"
            f"  journal = {{{p.venue}}},\n"
            f"  keywords = {{{', '.join(p.tags)}}},\n"
            f"  note = {{{p.notes}}},\n"
            f"  eprint = {{{p.arxiv}}},\n"
            f"  year = {{2025}},\n"
            "}\n"
        )
    return "\n".join(out)


def ris(papers: list[Paper]) -> str:
    out = []
    for p in papers:
        out += ["TY  - JOUR", f"TI  - {p.title}"]
        out += [f"AU  - {_family_first(a)}" for a in p.authors]
        out += [f"AB  - {p.abstract}", f"JO  - {p.venue}"]
        out += [f"KW  - {t}" for t in p.tags]
        out += [
            f"N1  - {p.notes}",
            f"ID  - {p.key}",
            "PY  - 2025",
            f"UR  - https://arxiv.org/abs/{p.arxiv}",
        ]
        out += ["ER  - ", ""]
    return "\n".join(out)


def csl_item(p: Paper) -> dict[str, object]:
    return {
        "id": p.key,
        "type": "article-journal",
        "title": p.title,
        "author": [_csl_name(a) for a in p.authors],
        "abstract": p.abstract,
        "container-title": p.venue,
        "keyword": ", ".join(p.tags),
        "note": f"{p.notes} arXiv:{p.arxiv}",
        "citation-key": p.key,
        "issued": {"date-parts": [[2025, 3, 3]]},
    }


def csl_json(papers: list[Paper], *, ascii_only: bool = False) -> str:
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=ascii_only, indent=1) + "\n"


CSV_COLUMNS = ("title", "authors", "published", "url", "abstract", "tags", "notes", "category")


def csv_text(papers: list[Paper]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in papers:
        writer.writerow(
            [
                p.title,
                "; ".join(p.authors),
                "2025-03-03",
                f"https://arxiv.org/abs/{p.arxiv}",
                p.abstract,
                ";".join(p.tags),
                p.notes,
                p.extra.get("category", "cs.LG"),
            ]
        )
    return buffer.getvalue()


def _x(text: str) -> str:
    """XML-escaped; C1 characters alternate between raw and character references."""
    out = []
    raw = True
    for char in escape(text):
        if "\x80" <= char <= "\x9f":
            out.append(char if raw else f"&#x{ord(char):x};")
            raw = not raw
        else:
            out.append(char)
    return "".join(out)


ATOM_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
    "  <id>https://arxiv.org/api/hostile</id>\n"
    "  <title>arXiv Query: hostile</title>\n"
)


def atom_entry(p: Paper) -> str:
    authors = "".join(
        f"    <author><name>{_x(a)}</name>"
        f"<arxiv:affiliation>{_x(p.orgs[0])}</arxiv:affiliation></author>\n"
        for a in p.authors
    )
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{p.arxiv}v1</id>\n"
        f"    <title>{_x(p.title)}</title>\n"
        f"    <summary>{_x(p.abstract)}</summary>\n"
        f'    <link href="https://arxiv.org/abs/{p.arxiv}v1" rel="alternate" type="text/html"/>\n'
        '    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>\n'
        '    <arxiv:primary_category term="cs.LG"/>\n'
        "    <published>2025-03-03T09:00:00Z</published>\n"
        f"    <arxiv:journal_ref>{_x(p.venue)}</arxiv:journal_ref>\n"
        f"{authors}"
        "  </entry>\n"
    )


def atom(papers: list[Paper], head: str = ATOM_HEAD) -> str:
    return head + "".join(atom_entry(p) for p in papers) + "</feed>\n"


RSS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">\n'
    "  <channel>\n"
    "    <title>cs.LG updates on arXiv.org</title>\n"
    "    <link>http://rss.arxiv.org/rss/cs.LG</link>\n"
    "    <description>hostile</description>\n"
)


def rss_item(p: Paper) -> str:
    return (
        "    <item>\n"
        f"      <title>{_x(p.title)}</title>\n"
        f"      <link>https://arxiv.org/abs/{p.arxiv}</link>\n"
        f"      <description>arXiv:{p.arxiv}v1 Announce Type: new \n"
        f"Abstract: {_x(p.abstract)}</description>\n"
        f'      <guid isPermaLink="false">oai:arXiv.org:{p.arxiv}v1</guid>\n'
        "      <category>cs.LG</category>\n"
        "      <pubDate>Mon, 03 Mar 2025 00:00:00 -0500</pubDate>\n"
        "      <arxiv:announce_type>new</arxiv:announce_type>\n"
        f"      <arxiv:journal_reference>{_x(p.venue)}</arxiv:journal_reference>\n"
        f"      <dc:creator>{_x(', '.join(p.authors))}</dc:creator>\n"
        "    </item>\n"
    )


def rss(papers: list[Paper], head: str = RSS_HEAD) -> str:
    return head + "".join(rss_item(p) for p in papers) + "  </channel>\n</rss>\n"


def readq_record(p: Paper) -> dict[str, object]:
    return {
        "title": p.title,
        "authors": list(p.authors),
        "orgs": list(p.orgs),
        "category": "LG",
        "published": "2025-03-03",
        "abstract": p.abstract,
        "arxiv_id": p.arxiv,
        "source": p.extra.get("source", "listing"),
        "flags": ["Code"],
        "venue": p.venue,
        "citation_key": p.key,
        "announce_type": p.extra.get("announce_type", "new"),
        "status": "unread",
        "priority": 1,
        "notes": p.notes,
        "tags": list(p.tags),
        "added_at": "2025-03-03T09:00:00Z",
        "updated_at": "2025-03-03T09:00:00Z",
        "changed_at": {"priority": "2025-03-03T09:00:00Z"},
    }


def readq_json(papers: list[Paper], *, ascii_only: bool = False) -> str:
    document = {"format": "readq", "version": 1, "papers": [readq_record(p) for p in papers]}
    return json.dumps(document, ensure_ascii=ascii_only, indent=1) + "\n"


def _bib_key(key: str) -> str:
    """BibTeX keys stop at the first bracket: markup there would only test the splitter."""
    return key.split("[", 1)[0]


def _family_first(name: str) -> str:
    given, _, family = name.rpartition(" ")
    return f"{family}, {given}" if given else name


def _csl_name(name: str) -> dict[str, str]:
    given, _, family = name.rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": name}


# --- the payloads ----------------------------------------------------------------------


def markup_papers() -> list[Paper]:
    m = MARKUP
    return [
        Paper(
            title=f"Markup Everywhere {m} Title",
            authors=("Ann Lee", f"{m} Bo Park"),
            abstract=f"Abstract {m} with [red on white]colour[/] and [/link] and [b]",
            venue=f"Venue {m}",
            tags=(f"tag{m}", "plain"),
            notes=f"Note {m}\n[@click=app.bell]second[/]",
            orgs=(f"Org {m}",),
            key=f"markup2025{CLICK}",
            arxiv="2611.90001",
        )
    ]


def controls_payload(*, xml: bool = False, line_based: bool = False) -> str:
    """Every attack the format can carry; XML cannot hold C0 controls or ESC."""
    if xml:
        return f"{C1}{BIDI[:1]}"
    text = f"{CSI}{OSC}{DCS}{OTHER_ESC}{C0}{C1}"
    return text if line_based else text + "\r\x1b[2K"


def controls_papers(*, xml: bool = False, line_based: bool = False) -> list[Paper]:
    bad = controls_payload(xml=xml, line_based=line_based)
    tail = "" if xml else UNTERMINATED
    return [
        Paper(
            title=f"Controls{bad}In The Title{tail}",
            authors=(f"Ann{bad} Lee", "Bo Park"),
            abstract=f"Abstract{bad} body{tail}",
            venue=f"Venue{bad}",
            tags=(f"tag{bad}x",),
            notes=f"Note{bad}\nline two{tail}",
            key="controls2025",
            arxiv="2611.90002",
        )
    ]


def bidi_papers() -> list[Paper]:
    b, z = BIDI, INVISIBLE
    return [
        Paper(
            title=f"Bidi{b}Over{z}rides {EMOJI_ZWJ} exe.\u202efdp",
            authors=(f"Ann{z} Lee", "Bo\u202e Park"),
            abstract=f"access\u202e\u2066 // admin\u2069\u2066 {b}{z} done",
            venue=f"Venue{b}",
            tags=(f"t\u200bag{b}",),
            notes=f"Note\u2067{z}",
            key="bidi2025",
            arxiv="2611.90003",
        )
    ]


def surrogate_papers() -> list[Paper]:
    s = SURROGATES
    return [
        Paper(
            title=f"Surrogates {s} Title",
            authors=(f"Ann {s} Lee",),
            abstract=f"Abstract {s}",
            venue=f"Venue {s}",
            tags=(f"tag{s}",),
            notes=f"Note {s}",
            key="surrogates2025",
            arxiv="2611.90004",
        )
    ]


def nul_papers() -> list[Paper]:
    return [
        Paper(
            title="Nul\x00 In\x00 The Title",
            authors=("Ann\x00 Lee",),
            abstract="Abstract\x00\x00 body",
            tags=("t\x00ag",),
            notes="Note\x00",
            key="nul2025",
            arxiv="2611.90005",
        )
    ]


# --- the special cases -------------------------------------------------------------

SAMPLE_LISTING = (
    "LGMar 3, 2025Code\n"
    "A Perfectly Ordinary Paper About ThingsAnn Lee, Bo Park\n"
    "An abstract with café, naïve, “quotes” and – dashes.\n"
)

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!DOCTYPE feed [\n"
    '  <!ENTITY lol "lol">\n'
    + "".join(
        f'  <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + ATOM_HEAD.split("\n", 1)[1]
    + atom_entry(Paper(title="Laughs &lol9;", arxiv="2611.90010")).replace("&amp;", "&")
    + "</feed>\n"
)


def _xxe(head: str, doctype: str, body: Callable[[Paper], str], title: str) -> str:
    xml_decl, rest = head.split("\n", 1)
    entry = body(Paper(title="PLACEHOLDER", arxiv="2611.90011"))
    return f"{xml_decl}\n{doctype}\n{rest}{entry.replace('PLACEHOLDER', title)}"


XXE_FILE = (
    _xxe(
        ATOM_HEAD,
        '<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        atom_entry,
        "Leak &xxe; here",
    )
    + "</feed>\n"
)
XXE_HTTP = (
    _xxe(
        RSS_HEAD,
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>',
        rss_item,
        "Fetch &xxe; here",
    )
    + "  </channel>\n</rss>\n"
)
XXE_PARAMETER = (
    _xxe(
        ATOM_HEAD,
        '<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>',
        atom_entry,
        "Parameter entity",
    )
    + "</feed>\n"
)
EXTERNAL_DTD = (
    _xxe(
        ATOM_HEAD,
        '<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">',
        atom_entry,
        "External DTD",
    )
    + "</feed>\n"
)
XINCLUDE = atom(
    [Paper(title="XInclude PLACEHOLDER here", arxiv="2611.90012")],
    head=ATOM_HEAD.replace("<feed ", '<feed xmlns:xi="http://www.w3.org/2001/XInclude" '),
).replace("PLACEHOLDER", '<xi:include href="file:///etc/passwd" parse="text"/>')
ENCODING_LIE = atom([Paper(title="Declared UTF-16 but UTF-8 Ünïcode", arxiv="2611.90013")]).replace(
    'encoding="UTF-8"', 'encoding="UTF-16"'
)
SURROGATE_CHARREF = atom([Paper(title="Char ref PLACEHOLDER", arxiv="2611.90014")]).replace(
    "PLACEHOLDER", "&#xD800;"
)
ESC_IN_XML = atom([Paper(title="Raw \x1b[2J escape", arxiv="2611.90015")])

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "'=already neutralised",
]


def formulas_csv() -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("title", "authors", "abstract", "tags", "notes", "url", "doi"))
    for number, formula in enumerate(FORMULAS, start=1):
        writer.writerow(
            (
                f"{formula} Formula Title {number}",
                formula,
                formula,
                formula,
                formula,
                formula,
                formula,
            )
        )
    return buffer.getvalue()


UNBALANCED_CSV = (
    "title,authors,abstract\r\n"
    "Good Row,Ann Lee,fine\r\n"
    '"Unclosed quote,Bo Park,"runs on\r\n'
    "and on\r\n"
    "Third Row,Cy Doe,never reached as its own row\r\n"
)

FAKE_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Length 64 /Filter /FlateDecode >>\nstream\n"
    + bytes(range(256))
    + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# Starts like a PDF but is otherwise clean UTF-8 holding a valid listing: only
# the %PDF check stands between it and an import.
PDF_MAGIC_TEXT = b"%PDF-1.4\n" + SAMPLE_LISTING.encode()


# Numbers Python reads but cannot convert: each file holds one good paper and
# one with the bad value, written as a raw JSON literal.
NUMBERS = {
    "numbers-huge-int-score.readq.json": ("score", "1" + "0" * 400),
    "numbers-inf-priority.readq.json": ("priority", "1e400"),
    "numbers-inf-version.readq.json": ("arxiv_version", "1e400"),
    "numbers-u64-version.readq.json": ("arxiv_version", str(2**64)),
    "numbers-5000-digits.readq.json": ("score", "1" + "0" * 5000),
}


def numbers_readq(field_name: str, literal: str) -> str:
    good = readq_record(Paper(title="A Good Paper Beside A Bad Number", arxiv="2611.90020"))
    bad = readq_record(Paper(title="A Paper With A Bad Number", arxiv="2611.90021"))
    bad[field_name] = "PLACEHOLDER"
    document = {"format": "readq", "version": 1, "papers": [good, bad]}
    return json.dumps(document, indent=1).replace('"PLACEHOLDER"', literal) + "\n"


def numbers_csl() -> str:
    item = csl_item(Paper(title="A CSL Item With A Bad Number", arxiv="2611.90022"))
    item["number"] = "PLACEHOLDER"
    return json.dumps([item], indent=1).replace('"PLACEHOLDER"', "1" + "0" * 5000) + "\n"


def fixtures() -> dict[str, bytes]:
    u = str.encode
    files: dict[str, bytes] = {}
    # Markup in every field, one file per format.
    m = markup_papers()
    files["markup.txt"] = u(listing(m))
    files["markup.bib"] = u(bibtex(m))
    files["markup.ris"] = u(ris(m))
    files["markup.csl.json"] = u(csl_json(m))
    files["markup.csv"] = u(csv_text(m))
    files["markup.atom.xml"] = u(atom(m))
    files["markup.rss.xml"] = u(rss(m))
    files["markup.readq.json"] = u(readq_json(m))
    # Terminal control sequences, one file per format.
    lines = controls_papers(line_based=True)
    header = f"{CSI}LGMar 3, 2025\x1b]0;pwned-title\x07Code{C1}"  # no visible text
    second = Paper(title="Second Entry With A Dirty Header", arxiv="2611.90006")
    files["controls.txt"] = u(listing([lines[0], replace(second, extra={"header": header})]))
    files["controls-first-header.txt"] = u(listing([replace(second, extra={"header": header})]))
    files["controls.bib"] = u(bibtex(controls_papers()))
    files["controls.ris"] = u(ris(lines))
    # strict=False JSON readers accept raw controls: write ESC raw, not \u001b.
    files["controls.csl.json"] = u(csl_json(controls_papers()).replace("\\u001b", "\x1b"))
    files["controls.csv"] = u(csv_text(controls_papers()))
    files["controls.atom.xml"] = u(atom(controls_papers(xml=True)))
    files["controls.rss.xml"] = u(rss(controls_papers(xml=True)))
    files["controls.readq.json"] = u(readq_json(controls_papers()))
    files["controls-raw-esc.atom.xml"] = u(ESC_IN_XML)
    # Bidi overrides and invisible characters, one file per format.
    b = bidi_papers()
    files["bidi.txt"] = u(listing(b))
    files["bidi.bib"] = u(bibtex(b))
    files["bidi.ris"] = u(ris(b))
    files["bidi.csl.json"] = u(csl_json(b))
    files["bidi.csv"] = u(csv_text(b))
    files["bidi.atom.xml"] = u(atom(b))
    files["bidi.rss.xml"] = u(rss(b))
    files["bidi.readq.json"] = u(readq_json(b))
    # Lone surrogates: only JSON escapes can carry them.
    files["surrogates.readq.json"] = u(readq_json(surrogate_papers(), ascii_only=True))
    files["surrogates.csl.json"] = u(csl_json(surrogate_papers(), ascii_only=True))
    files["surrogate-charref.atom.xml"] = u(SURROGATE_CHARREF)
    # ED A0 80 is U+D800 encoded as if it were a character (CESU-8 / WTF-8).
    files["surrogate-bytes.txt"] = u(SAMPLE_LISTING).replace(b"Things", b"Th\xed\xa0\x80ings")
    # NUL: raw bytes (binary), and as JSON escapes (which decode to text).
    files["nul-raw.txt"] = u(SAMPLE_LISTING).replace(b"Ordinary", b"Ordi\x00nary")
    files["nul-escaped.readq.json"] = u(readq_json(nul_papers()))
    files["nul-escaped.csl.json"] = u(csl_json(nul_papers()))
    files["utf16-bom.csv"] = "title,authors\r\nUTF-16 Paper,Ann Lee\r\n".encode("utf-16")
    # Not text at all.
    files["fake.pdf"] = FAKE_PDF
    files["pdf-magic-then-listing.txt"] = PDF_MAGIC_TEXT
    files["empty.txt"] = b""
    files["whitespace-only.txt"] = b" \n\t\r\n\x0c\n"
    # Encodings.
    files["cp1252.txt"] = SAMPLE_LISTING.encode("cp1252")
    files["cp1252.csv"] = "title,authors\r\nCafé “Quotes” – Paper,José Núñez\r\n".encode("cp1252")
    files["bom.txt"] = b"\xef\xbb\xbf" + u(SAMPLE_LISTING.replace("Ordinary", "Bommed"))
    files["bom.csv"] = b"\xef\xbb\xbf" + u("title,authors\r\nBom Csv Paper,Ann Lee\r\n")
    files["bom.readq.json"] = b"\xef\xbb\xbf" + u(readq_json([Paper(title="Bom Json Paper")]))
    files["double-bom.csv"] = b"\xef\xbb\xbf" * 2 + u(
        "title,authors\r\nDouble Bom Paper,Ann Lee\r\n"
    )
    # XML entity attacks and other XML tricks.
    files["billion-laughs.atom.xml"] = u(BILLION_LAUGHS)
    files["xxe-file.atom.xml"] = u(XXE_FILE)
    files["xxe-http.rss.xml"] = u(XXE_HTTP)
    files["xxe-parameter.atom.xml"] = u(XXE_PARAMETER)
    files["external-dtd.atom.xml"] = u(EXTERNAL_DTD)
    files["xinclude.atom.xml"] = u(XINCLUDE)
    files["encoding-lie.atom.xml"] = u(ENCODING_LIE)
    # Numbers that overflow float() or int(), or the library's 64-bit JSON writer.
    for name, (field_name, literal) in NUMBERS.items():
        files[name] = u(numbers_readq(field_name, literal))
    files["numbers-5000-digits.csl.json"] = u(numbers_csl())
    # CSV tricks.
    files["formulas.csv"] = u(formulas_csv())
    files["unbalanced-quote.csv"] = u(UNBALANCED_CSV)
    return files


def main() -> None:
    for name, data in sorted(fixtures().items()):
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
