"""Third stage: build the ``<TEI>`` tree: divisions, blocks, notes, page breaks, header."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import bisect
from dataclasses import dataclass

from lxml import etree

from ...._version import __version__
from ....xmlio import TEI_NS, XML_ID, tei
from .blocks import Block, Warn, classify, lex_blocks, line_spans, note_label, plain_form
from .drama import Play, Speech, cast_parts, inline_stages, label_names, leading_stage, person_id, read_play
from .notes import NoteDef, NoteMarker, pair_notes
from .syntax import (CHAPTER_HEADING, CONTINUED, DEFAULT_PAGE_SYNTAX, NAME, PAGE_MARKER, PREAMBLE_FIELD, RUN_IN,
                     START_LINE, UNCLOSED, WS, page_syntax)


def read_book(text: str, warn: Warn, source_name: str | None = None,
              encoding_note: str | None = None) -> etree._Element:
    """The ``<TEI>`` tree of a Gutenberg text; ``warn(message, offset)`` hears what was recovered.

    ``encoding_note`` (which convention, chosen how) goes into the encodingDesc.
    """
    heard: list[tuple[int, str]] = []
    root = _read(text, lambda message, offset: heard.append((offset, message)), source_name,
                 encoding_note or f"Input convention: {NAME}.")
    for offset, message in sorted(heard, key=lambda h: h[0]):
        warn(message, offset)
    return root


def _read(text: str, warn: Warn, source_name: str | None, encoding_note: str) -> etree._Element:
    blocks = lex_blocks(text, warn)
    classify(text, blocks)
    notes, markers = pair_notes(text, blocks, warn)
    play = read_play(text, blocks)
    builder = _Builder(text, markers)
    by_block = {}
    for number, note in enumerate(notes, 1):
        note.id = f"fn{number}"
        by_block[note.block] = note

    body = etree.Element(tei("body"))
    div: etree._Element | None = None
    region = None
    host: etree._Element | None = None       # where an unanchored note goes
    act: etree._Element | None = None        # in a play, the act a scene goes into
    sp: etree._Element | None = None         # in a play, the speech being read
    for index, block in enumerate(blocks):
        role = block.role
        if div is None or block.region != region or role == "head":
            division = play.divisions.get(index) if play else None
            div_type = division[0] if division else \
                block.region if block.region != "body" else _div_type(text, block)
            div = etree.SubElement(act if div_type == "scene" and act is not None else body, tei("div"))
            div.set("type", div_type)
            act = div if div_type == "act" else act if div_type == "scene" else None
            region, host, sp = block.region, None, None
        if sp is not None and not _in_speech(blocks, index, sp):
            sp = None
        where = sp if sp is not None else div
        if role == "speech" and play is not None:
            sp = etree.SubElement(div, tei("sp"))
            host = _speech(builder, sp, play.speeches[index], block, play)
        elif role == "head" and play is not None and index in play.divisions and \
                play.divisions[index][1] < block.end:
            # "SCENE I. _Witch bends over the fire._": the heading, then a stage direction
            head_end = play.divisions[index][1]
            builder.fill(etree.SubElement(div, tei("head")), block.start, head_end)
            host = etree.SubElement(div, tei("stage"))
            builder.fill(host, head_end, block.end)
        elif role == "stage":
            host = etree.SubElement(where, tei("stage"))
            builder.fill(host, block.start, block.end)
        elif role in ("cast head", "cast"):
            last = div[-1] if len(div) else None
            cast = last if last is not None and last.tag == tei("castList") else \
                etree.SubElement(div, tei("castList"))
            if role == "cast head":
                host = etree.SubElement(cast, tei("head"))
                builder.fill(host, block.start, block.end)
            else:
                for a, b in line_spans(text, block.start, block.end):
                    host = etree.SubElement(cast, tei("castItem"))
                    _cast_item(builder, host, a, b)
        elif role in ("head", "subhead"):
            host = etree.SubElement(div, tei("head"))
            if role == "subhead":
                host.set("type", "sub")
            builder.fill(host, block.start, block.end)
        elif role == "quote" and sp is not None and "\n" not in text[block.start:block.end]:
            # one indented line in a speech: a line of verse (two or more are "verse")
            host = etree.SubElement(sp, tei("lg"))
            builder.fill(etree.SubElement(host, tei("l")), block.start, block.end)
        elif role in ("p", "quote") and sp is not None:
            host = etree.SubElement(sp, tei("p"))
            builder.fill(host, block.start, block.end, _stages(text, block.start, block.end))
        elif role in ("p", "quote"):
            host = etree.SubElement(div, tei("p" if role == "p" else "quote"))
            builder.fill(host, block.start, block.end)
        elif role == "verse":
            host = etree.SubElement(where, tei("lg"))
            for a, b in line_spans(text, block.start, block.end):
                builder.fill(etree.SubElement(host, tei("l")), a, b)
        elif role == "contents":  # entries set off by blank lines make one list
            last = div[-1] if len(div) else None
            host = last if last is not None and last.tag == tei("list") and last is host else \
                etree.SubElement(div, tei("list"), type="contents")
            for a, b in line_spans(text, block.start, block.end):
                builder.fill(etree.SubElement(host, tei("item")), a, b)
        elif role == "pages":
            builder.fill(where, block.start, block.end)
        elif role == "illustration":
            # the caption keeps the transcriber's "[Illustration: ...]" frame: it is the
            # text a reader of the e-book sees, and position-based scoring counts it
            figure = etree.SubElement(div, tei("figure"))
            builder.fill(etree.SubElement(figure, tei("head")), block.start, block.end)
        elif role == "sidenote":
            # a printed marginal heading ("_Design and Form._" beside the paragraph it sums up):
            # a <label>, not a <note>, since nothing in the text refers to it; it keeps the
            # transcriber's "[Sidenote: ...]" frame as a figure's caption does
            label = etree.SubElement(div, tei("label"), type="sidenote", place="margin")
            builder.fill(label, block.start, block.end)
        elif index in by_block:
            note = by_block[index]
            if note.marker is None:     # kept at the end of the paragraph before it
                (host if host is not None else div).append(builder.note_element(note))
            elif note.style == "numbered":  # page markers before the label stay in the text
                builder.fill(where, block.start, note_label(text, block).start("n") - 1)
            # where the note's text stood, so that it is written back there
            etree.SubElement(where, tei("anchor"), corresp=f"#{note.id}")
    for sp in list(body.iter(tei("sp"))):
        if len(sp) == 1:        # a name and nothing after it (the book ends): a paragraph
            p = sp[0]
            p.tag = tei("p")
            p.attrib.clear()
            sp.addprevious(p)
            sp.getparent().remove(sp)
    return _tei(body, _metadata(text, body, source_name), encoding_note, play.persons if play else {})


# the blocks a speech goes on through: a stage direction only if the speech goes on after it
_SPEECH_GOES_ON = ("p", "quote", "verse", "pages", "footnote", "numbered", "note text", "sidenote")


def _in_speech(blocks: list[Block], index: int, sp: etree._Element) -> bool:
    """Whether block ``index`` belongs to the speech ``sp`` before it."""
    if len(sp) == 1 and (blocks[index].role == "stage" or blocks[index].role in _SPEECH_GOES_ON):
        return True         # a speaker's name on its own line: the speech starts here
    for i in range(index, len(blocks)):
        if blocks[i].role in _SPEECH_GOES_ON:
            return True
        if blocks[i].role != "stage":
            return False
    return False


def _stages(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(a, b, "stage") for a, b in inline_stages(text, start, end)]


def _speech(builder: "_Builder", sp: etree._Element, label: Speech, block: Block,
            play: Play) -> etree._Element:
    """Fill ``<sp>`` from the block that opens it; returns the element its text went into."""
    text = builder.text
    speaker = _speaker(builder, sp, label)
    if label.stage is not None:
        stage = etree.SubElement(sp, tei("stage"))
        builder.fill(stage, *label.stage)
        return stage
    if not label.inline:
        return speaker
    start = _skip_space(text, label.end, block.end)
    if label.verse:         # verse; in a duet, each singer's lines are a speech
        lg = etree.SubElement(sp, tei("lg"))
        turns = {turn.start: turn for turn in label.turns}
        for a, b in line_spans(text, start, block.end):
            turn = turns.get(_skip_space(text, a, b))
            if turn is not None:
                sp = etree.Element(tei("sp"))
                lg.getparent().addnext(sp)
                _speaker(builder, sp, turn)
                a = _skip_space(text, turn.end, b)
                lg = etree.SubElement(sp, tei("lg"))
            builder.fill(etree.SubElement(lg, tei("l")), a, b)
        return lg
    p = etree.SubElement(sp, tei("p"))
    lead = leading_stage(text, start, block.end)
    spans = _stages(text, lead[1] if lead else start, block.end)
    builder.fill(p, start, block.end, ([(*lead, "stage")] if lead else []) + spans)
    return p


def _speaker(builder: "_Builder", sp: etree._Element, label: Speech) -> etree._Element:
    """``@who`` and ``<speaker>`` of a speech."""
    names = label_names(label.name) or [label.name]
    sp.set("who", " ".join(f"#{person_id(name)}" for name in names))
    speaker = etree.SubElement(sp, tei("speaker"))
    if label.inline:
        speaker.set("rend", RUN_IN)
    builder.fill(speaker, label.start, label.end)
    return speaker


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t\n":
        start += 1
    return start


def _cast_item(builder: "_Builder", item: etree._Element, start: int, end: int) -> None:
    """A line of the list of characters: ``<role>`` and ``<roleDesc>`` where they can be told apart."""
    role, desc = cast_parts(builder.text, start, end)
    spans = [(*role, "role")] if role else []
    if desc:
        spans.append((*desc, "roleDesc"))
    builder.fill(item, start, end, spans)


def _div_type(text: str, block: Block) -> str:
    if block.role != "head":
        return "section"
    m = CHAPTER_HEADING.match(plain_form(text[block.start:block.end]))
    return m.group("word").lower() if m else "section"


@dataclass
class PageMarker:
    """``[Pg 12]`` (or ``{12}``, ``[p. 12]``: the syntax) at ``start:end``."""

    start: int
    end: int
    n: str
    syntax: str


class _Builder:
    """Writes spans of the text into elements, turning page and note markers into elements."""

    def __init__(self, text: str, note_markers: list[NoteMarker]):
        self.text = text
        pages = [PageMarker(m.start(), m.end(), m.group("n"), page_syntax(m))
                 for m in PAGE_MARKER.finditer(text)]
        self._events: list[PageMarker | NoteMarker] = sorted(
            [*pages, *note_markers], key=lambda e: e.start)
        self._starts = [e.start for e in self._events]

    def events(self, start: int, end: int) -> list[PageMarker | NoteMarker]:
        """The markers lying wholly inside ``text[start:end]``, in text order."""
        found = []
        i = bisect.bisect_left(self._starts, start)
        while i < len(self._events) and self._events[i].start < end:
            if self._events[i].end <= end:
                found.append(self._events[i])
            i += 1
        return found

    def fill(self, parent: etree._Element, start: int, end: int,
             spans: Sequence[tuple[int, int, str]] = ()) -> None:
        """Append ``text[start:end]`` to ``parent`` with its page breaks and notes as elements.

        Each of ``spans`` (start, end, tag), in text order, becomes an element of its own
        (a stage direction in a speech, a role in the cast list).
        """
        stream: list[Any] = []
        pos = start
        for a, b, tag in spans:
            stream += self._stream(pos, a)
            element = etree.Element(tei(tag))
            self.fill(element, a, b)
            stream.append(element)
            pos = b
        stream += self._stream(pos, end)
        _append_stream(parent, stream)

    def _stream(self, start: int, end: int) -> list[Any]:
        """``text[start:end]`` as text and elements (page breaks, notes)."""
        stream: list[Any] = []
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
        return stream

    def note_element(self, note: NoteDef) -> etree._Element:
        el = etree.Element(tei("note"), place="foot")
        el.set(XML_ID, note.id)
        if note.label:
            el.set("n", note.label)
        rend = [note.style, *([CONTINUED] if note.continued else []), *([] if note.closed else [UNCLOSED])]
        el.set("rend", " ".join(rend))
        if note.marker is None:
            el.set("subtype", "unanchored")
        if len(note.paragraphs) == 1:
            self.fill(el, *note.paragraphs[0])
            return el
        kinds = note.kinds if note.continued else []
        for (a, b), kind in zip(note.paragraphs, ["p", *kinds] if kinds else ["p"] * len(note.paragraphs)):
            if kind == "verse":     # a verse or a quotation a note goes on with keeps its form
                lg = etree.SubElement(el, tei("lg"))
                for line_start, line_end in line_spans(self.text, a, b):
                    self.fill(etree.SubElement(lg, tei("l")), line_start, line_end)
            else:
                self.fill(etree.SubElement(el, tei("quote" if kind == "quote" else "p")), a, b)
        return el


def _append_stream(parent: etree._Element, stream: list[Any]) -> None:
    """Append text and elements, whitespace collapsed and trimmed at the block's edges."""
    items: list[Any] = []
    for item in stream:
        if isinstance(item, str) and items and isinstance(items[-1], str):
            items[-1] = _collapse(items[-1] + item)
        else:
            items.append(_collapse(item) if isinstance(item, str) else item)
    if items and isinstance(items[0], str) and not len(parent) and not parent.text:
        items[0] = items[0].lstrip(" ")
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip(" ")
    last = parent[-1] if len(parent) else None
    for item in items:
        if not isinstance(item, str):
            parent.append(item)
            last = item
        elif not item:
            continue
        elif last is None:
            parent.text = (parent.text or "") + item
        else:
            last.tail = (last.tail or "") + item


def _collapse(s: str) -> str:
    # most line breaks end a wrapped line: a plain replace is much faster than the regex
    return WS.sub(" ", s.replace("\n", " "))


@dataclass
class _Metadata:
    title: str
    author: str | None = None
    released: str | None = None


def _metadata(text: str, body: etree._Element, source_name: str | None) -> _Metadata:
    """Title and author from the Gutenberg preamble, else the first heading, else the file name."""
    start = START_LINE.search(text)
    fields = {m.group(1): " ".join(m.group(2).split())
              for m in PREAMBLE_FIELD.finditer(text, 0, start.start())} if start else {}
    title = fields.get("Title")
    opening = body.find(f"{tei('div')}[@type='section']/{tei('head')}")
    if not title and opening is not None and opening.getparent() is _first_body_div(body):
        title = " ".join("".join(opening.itertext()).split())    # a title page before chapter one
    return _Metadata(title or source_name or "Untitled book", fields.get("Author"),
                     fields.get("Release Date"))


def _first_body_div(body: etree._Element) -> etree._Element | None:
    return next((div for div in body if div.get("type") not in ("preamble", "license")), None)


def _tei(body: etree._Element, meta: _Metadata, encoding_note: str,
         persons: dict[str, str]) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = meta.title
    if meta.author:
        etree.SubElement(title_stmt, tei("author")).text = meta.author
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p")).text = \
        f"Converted from plain text by teikit {__version__}."
    source = "Project Gutenberg e-text" + (f", released {meta.released}" if meta.released else "")
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = source + "."
    encoding_desc = etree.SubElement(header, tei("encodingDesc"))
    app = etree.SubElement(etree.SubElement(encoding_desc, tei("appInfo")),
                           tei("application"), ident="teikit", version=__version__)
    etree.SubElement(app, tei("label")).text = "teikit"
    etree.SubElement(encoding_desc, tei("p")).text = encoding_note
    if persons:     # the speakers of a play
        people = etree.SubElement(etree.SubElement(etree.SubElement(header, tei("profileDesc")),
                                                   tei("particDesc")), tei("listPerson"))
        for ident, name in persons.items():
            person = etree.SubElement(people, tei("person"))
            person.set(XML_ID, ident)
            etree.SubElement(person, tei("persName")).text = name
    etree.SubElement(root, tei("text")).append(body)
    return root
