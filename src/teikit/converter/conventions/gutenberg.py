"""The Project Gutenberg convention: e-book plain text -> TEI, and back.

Gutenberg transcribers mark an edition's apparatus with bracketed conventions:

* note markers ``[1]``, ``[A]``, ``[*]``, ``[05]`` in the text;
* notes as ``[Footnote 1: ...]`` blocks (after the paragraph or gathered at the
  end of a section; several paragraphs; brackets nested inside) or as
  ``[1] text`` paragraphs gathered at the end of a chapter;
* page markers ``[Pg 12]``, ``{12}`` or ``[p. 12]`` (inside a word too);
* ``[Illustration: caption]`` and ``[Sidenote: text]`` blocks;
* chapter headings after blank lines, indented block quotes and verse.

:func:`read_book` turns such a text into a ``<TEI>`` tree; :func:`book_text`
renders that tree back.  The *canonical* layout (one line per paragraph, one
blank line between blocks, three before a heading that opens a division,
notes in the syntax and place recorded in ``@rend``) comes back byte for byte;
any other layout comes back with every non-space character.

Notes are paired with markers explicitly: a note labelled ``L`` takes the
nearest unclaimed ``[L]`` before it, so numbering may restart per chapter.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, Union

from lxml import etree

from ..._version import __version__
from ...xmlio import TEI_NS, XML_ID, tei
from ..convention import Convention

NAME = "gutenberg"

# ----------------------------------------------------------------------------- syntax
# page markers: one named group per syntax, each with how it is written back
PAGE_MARKER = re.compile(r"(?:(?P<brace>\{)|\[Pg\.? ?|\[(?P<p>p)\. ?)"
                         r"(?P<n>[0-9]+|[ivxlcdmIVXLCDM]+)(?(brace)\}|\])")
PAGE_RENDER = {"pg": "[Pg {}]", "brace": "{{{}}}", "p": "[p. {}]"}
DEFAULT_PAGE_SYNTAX = "pg"

NOTE_LABEL = r"\d{1,4}|[A-Za-z]|\*{1,4}|[†‡§‖¶]"
NOTE_MARKER = re.compile(rf"\[(?P<n>{NOTE_LABEL})\]")
# "[1]  note text" opening a paragraph of the notes gathered at a chapter's end
NUMBERED_NOTE = re.compile(rf"\[({NOTE_LABEL})\][ \t]+(?=\S)")
# bracketed blocks that open a line: their extent is found by bracket matching
BRACKET_BLOCK = re.compile(
    r"^[ \t]*\[(?P<kind>Footnote|FOOTNOTE|Illustration|ILLUSTRATION|Sidenote|SIDENOTE)\b"
    rf"(?:[ \t]+(?P<label>{NOTE_LABEL}))?[ \t]*(?P<colon>:?)[ \t]*", re.M)
BRACKET = re.compile(r"[\[\]]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
SPACE = " \t\n\r\f\v"     # layout white space; a no-break space is text and is kept
# runs to collapse: anything but a lone space (matching lone spaces too is slow)
WS = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")

CHAPTER_WORD = re.compile(
    r"(?:CHAPTER|BOOK|PART|LETTER|SECTION|VOLUME|CANTO|STAVE|ACT|SCENE|APPENDIX|EPISTLE)$", re.I)
NUMBER_WORD = re.compile(
    r"(?:[IVXLCDM]+|\d+|the|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|last)[.:]?$", re.I)
ROMAN_HEADING = re.compile(r"[IVXLC]+\.?$")

HEADING_MAX_CHARS = 80          # a heading is set on one short line; longer blocks are prose
HEADING_MAX_LINES = 2           # ... occasionally broken in two
HEADING_BLANK_LINES = 2         # Gutenberg sets headings off by two or more blank lines
QUOTE_INDENT = 2                # block quotes and verse are indented by at least this much
VERSE_CAPITAL_SHARE = 0.75      # verse lines start with capitals; re-wrapped prose lines rarely do
CANONICAL_INDENT = "    "       # how quotes and verse are written back
START_LINE = re.compile(r"^\*\*\* ?START OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.M)
END_LINE = re.compile(r"^\*\*\* ?END OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.M)
PREAMBLE_FIELD = re.compile(r"^(Title|Author|Editor|Translator|Release Date|Language):[ \t]*"
                            r"(.+(?:\n[ \t]+\S.*)*)$", re.M)    # indented lines continue a field


# ----------------------------------------------------------------------------- lexing
@dataclass
class PageMarker:
    start: int
    end: int
    n: str
    syntax: str


@dataclass
class NoteMarker:
    start: int
    end: int
    label: str
    note: "NoteDef"


@dataclass
class Block:
    """A run of text between blank lines, or a bracketed block (which may span several)."""

    start: int
    end: int
    kind: str                   # text | footnote | illustration | sidenote
    blank_before: int = 0
    region: str = "body"        # preamble | body | license
    label: Optional[str] = None         # footnote label
    content: list[tuple[int, int]] = field(default_factory=list)   # paragraphs inside brackets
    role: str = ""              # set by classification


@dataclass
class NoteDef:
    label: str
    block: int                  # index of its block
    paragraphs: list[tuple[int, int]]
    style: str                  # footnote | numbered
    marker: Optional[NoteMarker] = None
    id: str = ""


Warn = Callable[[str, int], None]


def _matching_bracket(text: str, open_at: int, limit: int) -> int:
    """Offset just after the ``]`` closing the ``[`` at ``open_at``; -1 if none before ``limit``."""
    depth = 0
    for m in BRACKET.finditer(text, open_at, limit):
        depth += 1 if m.group() == "[" else -1
        if depth == 0:
            return m.end()
    return -1


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs in ``text[start:end]``, trimmed."""
    spans = []
    pos = start
    for m in [*BLANK_LINE.finditer(text, start, end), None]:
        stop = m.start() if m else end
        a, b = _trim(text, pos, stop)
        if a < b:
            spans.append((a, b))
        if m:
            pos = m.end()
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in SPACE:
        start += 1
    while end > start and text[end - 1] in SPACE:
        end -= 1
    return start, end


def lex_blocks(text: str, warn: Warn) -> list[Block]:
    """Cut the text into blocks: bracketed blocks first, blank-line blocks between them."""
    regions = _regions(text)
    blocks: list[Block] = []
    for region, r_start, r_end in regions:
        pos = r_start
        for m in BRACKET_BLOCK.finditer(text, r_start, r_end):
            if m.start() < pos:
                continue            # inside a bracketed block already taken
            open_at = text.index("[", m.start())
            next_open = BRACKET_BLOCK.search(text, m.end(), r_end)
            limit = next_open.start() if next_open else r_end
            close = _matching_bracket(text, open_at, limit)
            if close < 0:
                para_end = BLANK_LINE.search(text, m.end(), r_end)
                close = para_end.start() if para_end else _trim(text, m.end(), r_end)[1]
                warn(f"'[{m.group('kind')}' is not closed by ']'; it is taken to end with "
                     "its paragraph", open_at)
                content_end = close
            else:
                content_end = close - 1
            blocks.extend(_text_blocks(text, pos, m.start(), region))
            kind = m.group("kind").lower()
            block = Block(open_at, close, kind, _blank_lines_before(text, m.start()), region,
                          m.group("label") if kind == "footnote" else None,
                          _paragraphs(text, m.end(), content_end))
            if kind == "footnote" and not m.group("colon"):
                block.kind = "text"     # "[Footnote" without a colon is prose
            blocks.append(block)
            pos = close
        blocks.extend(_text_blocks(text, pos, r_end, region))
    return blocks


def _regions(text: str) -> list[tuple[str, int, int]]:
    """The Gutenberg preamble (to the START line), the book, and the licence (from the END line)."""
    start = START_LINE.search(text)
    end = END_LINE.search(text, start.end() if start else 0)
    body_start = start.end() if start else 0
    body_end = end.start() if end else len(text)
    regions = []
    if start:
        regions.append(("preamble", 0, body_start))
    regions.append(("body", body_start, body_end))
    if end:
        regions.append(("license", body_end, len(text)))
    return regions


def _text_blocks(text: str, start: int, end: int, region: str) -> Iterator[Block]:
    for a, b in _paragraphs(text, start, end):
        yield Block(a, b, "text", _blank_lines_before(text, a), region)


def _blank_lines_before(text: str, pos: int) -> int:
    """Blank lines between ``pos``'s line and the text before it (a large number at the start)."""
    line_start = text.rfind("\n", 0, pos) + 1
    count = 0
    i = line_start - 1
    while i >= 0:
        prev = text.rfind("\n", 0, i)
        if text[prev + 1:i].strip():
            return count
        count += 1
        i = prev
    return 99


# ----------------------------------------------------------------------------- classification
def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip(SPACE):
            spans.append((pos, stop))
        pos = stop + 1
    return spans


def _plain(s: str) -> str:
    return WS.sub(" ", PAGE_MARKER.sub(" ", s)).strip()


def _is_chapter_heading(plain: str) -> bool:
    words = plain.split()
    if len(words) >= 2 and CHAPTER_WORD.match(words[0]) and NUMBER_WORD.match(words[1]):
        return True
    return bool(ROMAN_HEADING.match(plain))


def _is_caps_line(plain: str) -> bool:
    letters = [c for c in plain if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def classify(text: str, blocks: list[Block]) -> None:
    """Give every text block its role: head, subhead, p, quote, verse, pages, numbered."""
    previous = ""
    for block in blocks:
        if block.kind != "text":
            block.role = block.kind
            previous = block.role if block.kind != "footnote" else previous
            continue
        raw = text[block.start:block.end]
        lines = _lines(text, block.start, block.end)
        # long prose needs no plain form unless it might be page markers only (a hot path)
        plain = _plain(raw) if len(lines) <= HEADING_MAX_LINES or raw[0] in "[{" else raw
        short = len(lines) <= HEADING_MAX_LINES and len(plain) <= HEADING_MAX_CHARS
        if not plain:
            block.role = "pages"
        elif NUMBERED_NOTE.match(raw):
            block.role = "numbered"     # a note paragraph if a marker claims it (see pair_notes)
        elif block.region == "body" and short and _is_chapter_heading(plain):
            block.role = "head"
        elif block.region == "body" and short and previous in ("head", "subhead") and (
                _is_caps_line(plain) or (len(lines) == 1 and plain[-1] not in ".!?;,:")):
            block.role = "subhead"
        elif block.region == "body" and short and _is_caps_line(plain) and \
                block.blank_before >= HEADING_BLANK_LINES:
            block.role = "head"
        elif all(_indent(text, a) >= QUOTE_INDENT for a, _ in lines):
            capitals = sum(_starts_capital(text[a:b]) for a, b in lines)
            block.role = "verse" if len(lines) > 1 and \
                capitals >= VERSE_CAPITAL_SHARE * len(lines) else "quote"
        else:
            block.role = "p"
        if block.role != "numbered":
            previous = block.role


def _indent(text: str, pos: int) -> int:
    """Width of the indentation before ``pos`` (the first non-space character of its line)."""
    line_start = text.rfind("\n", 0, pos) + 1
    i = line_start
    while i < len(text) and text[i] in " \t":
        i += 1
    return i - line_start


def _starts_capital(line: str) -> bool:
    s = line.lstrip(SPACE)
    page = PAGE_MARKER.match(s)
    s = s[page.end():].lstrip(SPACE) if page else s
    s = s.lstrip("'\"‘“(_")
    return bool(s) and s[0].isupper()


# ----------------------------------------------------------------------------- pairing
def pair_notes(text: str, blocks: list[Block], warn: Warn) -> tuple[list[NoteDef], list[NoteMarker]]:
    """Notes found in the text, each with the nearest unclaimed marker before it (or none)."""
    candidates: dict[str, list[int]] = {}
    ends: dict[int, int] = {}
    for index, block in enumerate(blocks):
        if block.role not in ("p", "quote", "verse", "head", "subhead", "numbered",
                              "illustration", "sidenote"):
            continue
        skip = NUMBERED_NOTE.match(text, block.start).end() if block.role == "numbered" else 0
        for start, end in _marker_spans(text, block):
            for m in NOTE_MARKER.finditer(text, start, end):
                if m.start() < skip:
                    continue
                candidates.setdefault(m.group("n"), []).append(m.start())
                ends[m.start()] = m.end()
    claimed: set[int] = set()
    notes: list[NoteDef] = []
    markers: list[NoteMarker] = []
    # within a run of note blocks the last note takes the last marker: a run gathered at
    # a chapter's end then pairs in order even when a label repeats
    for run in _note_runs(blocks):
        for index in reversed(run):
            block = blocks[index]
            if block.role == "footnote":
                note = NoteDef(block.label or "", index,
                               block.content or [(block.end - 1, block.end - 1)], "footnote")
            else:
                m = NUMBERED_NOTE.match(text, block.start)
                note = NoteDef(m.group(1), index, [(m.end(), block.end)], "numbered")
            positions = candidates.get(note.label, [])
            k = bisect.bisect_left(positions, block.start) - 1
            while k >= 0 and positions[k] in claimed:
                k -= 1
            if k < 0 and block.role == "numbered":
                block.role = "p"        # "[3] text" with no marker [3] before it is prose
                continue
            if k < 0:
                warn(f"footnote {note.label or '(unlabelled)'} has no marker "
                     f"[{note.label}] before it; it is kept after the paragraph before it",
                     block.start)
            else:
                claimed.add(positions[k])
                note.marker = NoteMarker(positions[k], ends[positions[k]], note.label, note)
                markers.append(note.marker)
            notes.append(note)
    notes.sort(key=lambda note: note.block)
    if notes:
        for label, positions in candidates.items():
            for at in positions:
                if at not in claimed and label.isdigit():
                    warn(f"'[{label}]' looks like a note marker but no note {label} "
                         "follows it; it is kept as text", at)
    return notes, markers


def _note_runs(blocks: list[Block]) -> list[list[int]]:
    """Indexes of the note blocks, grouped in runs that only page markers separate."""
    runs: list[list[int]] = []
    open_run = False
    for index, block in enumerate(blocks):
        if block.role in ("footnote", "numbered"):
            if not open_run:
                runs.append([])
            runs[-1].append(index)
            open_run = True
        elif block.role != "pages":
            open_run = False
    return runs


def _marker_spans(text: str, block: Block) -> list[tuple[int, int]]:
    return block.content if block.kind in ("illustration", "sidenote") else [(block.start, block.end)]


# ----------------------------------------------------------------------------- building
class _Builder:
    def __init__(self, text: str, warn: Warn):
        self.text = text
        self.warn = warn
        self.pages: list[PageMarker] = [
            PageMarker(m.start(), m.end(), m.group("n"), _page_syntax(m))
            for m in PAGE_MARKER.finditer(text)]
        self._page_starts = [p.start for p in self.pages]
        self.note_markers: list[NoteMarker] = []
        self._note_starts: list[int] = []

    def events(self, start: int, end: int) -> list[Union[PageMarker, NoteMarker]]:
        found: list = []
        for starts, items in ((self._page_starts, self.pages),
                              (self._note_starts, self.note_markers)):
            i = bisect.bisect_left(starts, start)
            while i < len(items) and items[i].start < end:
                if items[i].end <= end:
                    found.append(items[i])
                i += 1
        return sorted(found, key=lambda e: e.start)

    def fill(self, parent: etree._Element, start: int, end: int) -> None:
        """Append ``text[start:end]`` to ``parent`` with its page breaks and notes as elements."""
        stream: list = []
        pos = start
        text = self.text
        for event in self.events(start, end):
            stream.append(text[pos:event.start])
            if isinstance(event, PageMarker):
                pb = etree.Element(tei("pb"), n=event.n)
                if event.syntax != DEFAULT_PAGE_SYNTAX:
                    pb.set("rend", event.syntax)
                glued = event.start > start and not text[event.start - 1].isspace() and \
                    event.end < end and not text[event.end].isspace()
                if glued:
                    pb.set("break", "no")
                stream.append(pb)
            else:
                stream.append(self.note_element(event.note))
            pos = event.end
        stream.append(text[pos:end])
        _append_stream(parent, stream)

    def note_element(self, note: NoteDef) -> etree._Element:
        el = etree.Element(tei("note"), place="foot")
        el.set(XML_ID, note.id)
        if note.label:
            el.set("n", note.label)
        el.set("rend", note.style)
        if note.marker is None:
            el.set("subtype", "unanchored")
        if len(note.paragraphs) == 1:
            self.fill(el, *note.paragraphs[0])
        else:
            for a, b in note.paragraphs:
                self.fill(etree.SubElement(el, tei("p")), a, b)
        return el


def _append_stream(parent: etree._Element, stream: list) -> None:
    """Append text and elements, whitespace collapsed and trimmed at the block's edges."""
    items: list = []
    for item in stream:
        if isinstance(item, str) and items and isinstance(items[-1], str):
            items[-1] = WS.sub(" ", items[-1] + item)
        else:
            items.append(WS.sub(" ", item) if isinstance(item, str) else item)
    if items and isinstance(items[0], str) and not len(parent) and not parent.text:
        items[0] = items[0].lstrip(" ")
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip(" ")
    last = parent[-1] if len(parent) else None
    for item in items:
        if not isinstance(item, str):
            parent.append(item)
            last = item
        elif item and last is None:
            parent.text = (parent.text or "") + item
        elif item:
            last.tail = (last.tail or "") + item


def _local(el) -> Optional[str]:
    return etree.QName(el).localname if isinstance(el.tag, str) else None


def read_book(text: str, warn: Warn, source_name: Optional[str] = None,
              encoding_note: Optional[str] = None) -> etree._Element:
    """The ``<TEI>`` tree of a Gutenberg text; ``warn(message, offset)`` hears what was recovered.

    ``encoding_note`` (which convention, chosen how) goes into the encodingDesc.
    """
    heard: list[tuple[int, str]] = []
    root = _read(text, lambda message, offset: heard.append((offset, message)), source_name,
                 encoding_note or f"Input convention: {NAME}.")
    for offset, message in sorted(heard, key=lambda h: h[0]):
        warn(message, offset)
    return root


def _read(text: str, warn: Warn, source_name: Optional[str], encoding_note: str) -> etree._Element:
    blocks = lex_blocks(text, warn)
    classify(text, blocks)
    notes, markers = pair_notes(text, blocks, warn)
    builder = _Builder(text, warn)
    builder.note_markers = sorted(markers, key=lambda m: m.start)
    builder._note_starts = [m.start for m in builder.note_markers]
    by_block = {}
    for number, note in enumerate(notes, 1):
        note.id = f"fn{number}"
        by_block[note.block] = note

    body = etree.Element(tei("body"))
    div: Optional[etree._Element] = None
    region = None
    host: Optional[etree._Element] = None       # where an unanchored note goes
    for index, block in enumerate(blocks):
        role = block.role
        if div is None or block.region != region or role == "head":
            div = etree.SubElement(body, tei("div"))
            div.set("type", block.region if block.region != "body" else _div_type(text, block))
            region, host = block.region, None
        if role in ("head", "subhead"):
            host = etree.SubElement(div, tei("head"))
            if role == "subhead":
                host.set("type", "sub")
            builder.fill(host, block.start, block.end)
        elif role in ("p", "quote"):
            host = etree.SubElement(div, tei("p" if role == "p" else "quote"))
            builder.fill(host, block.start, block.end)
        elif role == "verse":
            host = etree.SubElement(div, tei("lg"))
            for a, b in _lines(text, block.start, block.end):
                builder.fill(etree.SubElement(host, tei("l")), a, b)
        elif role == "pages":
            builder.fill(div, block.start, block.end)
        elif role == "illustration":
            # the caption keeps the transcriber's "[Illustration: ...]" frame: it is the
            # text a reader of the e-book sees, and position-based scoring counts it
            figure = etree.SubElement(div, tei("figure"))
            builder.fill(etree.SubElement(figure, tei("head")), block.start, block.end)
        elif role == "sidenote":
            note = etree.SubElement(div, tei("note"), place="margin")
            if block.content:
                builder.fill(note, block.content[0][0], block.content[-1][1])
        elif index in by_block and by_block[index].marker is None:
            (host if host is not None else div).append(builder.note_element(by_block[index]))
        elif index in by_block:
            # where the note's text stood, so that it is written back there
            etree.SubElement(div, tei("anchor"), corresp=f"#{by_block[index].id}")
    return _tei(body, _metadata(text, body, source_name), encoding_note)


def _div_type(text: str, block: Block) -> str:
    if block.role != "head":
        return "section"
    words = _plain(text[block.start:block.end]).split()
    return words[0].lower() if words and CHAPTER_WORD.match(words[0]) else "section"


@dataclass
class _Metadata:
    title: str
    author: Optional[str] = None
    fields: dict[str, str] = field(default_factory=dict)


def _metadata(text: str, body: etree._Element, source_name: Optional[str]) -> _Metadata:
    """Title and author from the Gutenberg preamble, else the first heading, else the file name."""
    start = START_LINE.search(text)
    fields = {m.group(1): " ".join(m.group(2).split())
              for m in PREAMBLE_FIELD.finditer(text, 0, start.start())} if start else {}
    title = fields.get("Title")
    opening = body.find(f"{tei('div')}[@type='section']/{tei('head')}")
    if not title and opening is not None and opening.getparent() is _first_body_div(body):
        title = " ".join("".join(opening.itertext()).split())    # a title page before chapter one
    return _Metadata(title or source_name or "Untitled book", fields.get("Author"), fields)


def _first_body_div(body: etree._Element) -> Optional[etree._Element]:
    return next((div for div in body if div.get("type") not in ("preamble", "license")), None)


def _tei(body: etree._Element, meta: _Metadata, encoding_note: str) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = meta.title
    if meta.author:
        etree.SubElement(title_stmt, tei("author")).text = meta.author
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p")).text = \
        f"Converted from plain text by teikit {__version__}."
    source = "Project Gutenberg e-text"
    if meta.fields.get("Release Date"):
        source += f", released {meta.fields['Release Date']}"
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = source + "."
    encoding_desc = etree.SubElement(header, tei("encodingDesc"))
    app = etree.SubElement(etree.SubElement(encoding_desc, tei("appInfo")),
                           tei("application"), ident="teikit", version=__version__)
    etree.SubElement(app, tei("label")).text = "teikit"
    etree.SubElement(encoding_desc, tei("p")).text = encoding_note
    etree.SubElement(root, tei("text")).append(body)
    return root


# ----------------------------------------------------------------------------- back to text
SPACE_MARK = "\x01"     # a space that disappears at a block's edge or beside another space


def book_text(node: Union[etree._Element, etree._ElementTree]) -> str:
    """Plain text of a TEI book in the Gutenberg convention (the inverse of :func:`read_book`)."""
    if isinstance(node, etree._ElementTree):
        node = node.getroot()
    body = node if _local(node) == "body" else node.find(f".//{tei('body')}")
    body = body if body is not None else node
    renderer = _Renderer({el.get(XML_ID): el for el in body.iter(tei("note")) if el.get(XML_ID)})
    renderer.division(body, top=True)
    return renderer.result()


class _Renderer:
    """Writes blocks; a note's text goes where its ``<anchor>`` stands, else after its block."""

    def __init__(self, notes_by_id: dict[str, etree._Element]) -> None:
        self.out: list[str] = []
        self.new_division = False
        self.notes_by_id = notes_by_id

    def result(self) -> str:
        return "".join(self.out) + "\n"

    def block(self, text: str) -> None:
        if self.out:
            self.out.append("\n\n\n\n" if self.new_division else "\n\n")
        self.out.append(text)
        self.new_division = False

    def division(self, div: etree._Element, top: bool = False) -> None:
        if not top:
            self.new_division = bool(self.out)
        anchors = {a.get("corresp", "")[1:] for a in div.iter(tei("anchor"))}
        pages: list[str] = []
        for child in div:
            name = _local(child)
            if name is None or name == "teiHeader":
                continue
            if name == "pb":
                pages.append(_page(child))
                continue
            if pages:
                self.block(" ".join(pages))
                pages = []
            pending: list[etree._Element] = []
            if name in ("div", "body"):
                self.division(child)
            elif name == "anchor":
                note = self.notes_by_id.get(child.get("corresp", "")[1:])
                if note is not None:
                    self.block(self.note_text(note, pending))
            elif name == "lg":
                self.block("\n".join(CANONICAL_INDENT + self.inline(line, pending)
                                      for line in child.iter(tei("l"))))
            elif name == "quote":
                self.block(CANONICAL_INDENT + self.inline(child, pending))
            elif name == "figure":
                head = child.find(tei("head"))
                self.block(self.inline(head, pending) if head is not None else "[Illustration]")
            elif name == "note" and child.get("place") == "margin":
                self.block(f"[Sidenote: {self.inline(child, pending)}]")
            elif name == "note":
                pending.append(child)
            else:
                self.block(self.inline(child, pending))
            # notes without an anchor follow the block that refers to them
            while pending:
                note = pending.pop(0)
                if note.get(XML_ID) not in anchors:
                    self.block(self.note_text(note, pending))
        if pages:
            self.block(" ".join(pages))

    def note_text(self, note: etree._Element, pending: list) -> str:
        paragraphs = [c for c in note if _local(c) == "p"]
        body = "\n\n".join(self.inline(p, pending) for p in paragraphs) if paragraphs \
            else self.inline(note, pending)
        n = note.get("n") or ""
        if "numbered" in (note.get("rend") or "").split():
            return f"[{n}] {body}"
        return f"[Footnote {n}: {body}]" if n else f"[Footnote: {body}]"

    def inline(self, el: etree._Element, pending: list) -> str:
        parts = [el.text or ""]
        for child in el:
            name = _local(child)
            if name == "note" and child.get("place") == "margin":
                parts.append(f"[Sidenote: {self.inline(child, pending)}]")
            elif name == "note":
                if child.get("subtype") != "unanchored":
                    parts.append(f"[{child.get('n') or '*'}]")
                pending.append(child)
            elif name == "pb":
                # a break between words stands for a space, in TEI written without one
                page = _page(child)
                spaced = child.get("break") == "no" or (parts[-1][-1:].isspace()) or \
                    (child.tail or " ")[:1].isspace()
                parts.append(page if spaced else SPACE_MARK + page + SPACE_MARK)
            elif name == "lb":
                parts.append(" ")
            elif name is not None:
                parts.append(self.inline(child, pending))
            parts.append(child.tail or "")
        s = WS.sub(" ", "".join(parts))
        s = re.sub(f"[ {SPACE_MARK}]*{SPACE_MARK}[ {SPACE_MARK}]*", SPACE_MARK, s)
        return s.strip(" " + SPACE_MARK).replace(SPACE_MARK, " ")


def _page_syntax(m: re.Match) -> str:
    return "brace" if m.group("brace") else "p" if m.group("p") else "pg"


def _page(pb: etree._Element) -> str:
    return PAGE_RENDER.get(pb.get("rend") or DEFAULT_PAGE_SYNTAX, PAGE_RENDER[DEFAULT_PAGE_SYNTAX]) \
        .format(pb.get("n", ""))


# ----------------------------------------------------------------------------- the convention
DETECT_WEIGHTS = (
    # the e-book's own frame: certain
    (re.compile(r"^\*\*\* ?START OF (?:THE|THIS) PROJECT GUTENBERG", re.M), 1.0),
    # the transcribers' footnote syntax, found in no other layout
    (re.compile(r"^[ \t]*\[Footnote [^\s:\]]{1,5}:", re.M), 0.6),
    # page numbers inserted from the HTML edition
    (PAGE_MARKER, 0.5),
    # transcribers' figure and margin-note blocks
    (re.compile(r"^[ \t]*\[(?:Illustration|Sidenote)\b", re.M), 0.4),
    # "[1]  note" paragraphs gathered at a chapter's end
    (re.compile(rf"^\[(?:{NOTE_LABEL})\][ \t]+\S", re.M), 0.3),
    # book divisions; FRUS documents have numbered headings instead
    (re.compile(r"^(?:CHAPTER|Chapter|LETTER|BOOK|PART) [IVXLC\d]+\b", re.M), 0.3),
)


def detect(text: str) -> float:
    """Each Gutenberg habit found adds confidence."""
    return min(1.0, sum(weight for pattern, weight in DETECT_WEIGHTS if pattern.search(text)))


def _note_line(label: str, paragraphs: list[str]) -> str:
    return f"[Footnote {label}: " + "\n\n".join(paragraphs) + "]"


CONVENTION = Convention(
    name=NAME,
    summary="Project Gutenberg: [1] markers, [Footnote 1: ...] blocks, [Pg 12] pages, chapters",
    detect=detect,
    page_marker=PAGE_MARKER,
    page_text=PAGE_RENDER[DEFAULT_PAGE_SYNTAX].format,
    find_notes=lambda text: None,           # notes stand beside the text: read_document finds them
    note_line=_note_line,
    heading=lambda text, blocks: None,      # a book has many headings: read_document finds them
    note_marker=NOTE_MARKER,
    marker_text=lambda label: f"[{label}]",
    read_document=read_book,
    write_document=book_text,
)
