"""Plain text -> TEI P5.

The conversion is a pipeline of small stages over the source text, each in its
own module:

1. :mod:`.source`    decode and check the input;
2. :mod:`.lexer`     cut it into heading, body blocks and the footnote block;
3. :mod:`.markers`   find ``[Page N]`` markers and align footnote numbers to the text;
4. :mod:`.structure` read blocks as paragraphs, lists, tables, the closer;
5. :mod:`.builder`   build the TEI tree (inline content by :mod:`.inline`,
   references by :mod:`.refs`, header metadata by :mod:`.header`).

:mod:`.plaintext` goes the other way, from TEI back to the plain text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..xmlio import XML_ID, tei, text_without_notes
from . import lexer, markers
from .builder import BodyBuilder, ncname, tei_document
from .header import read_heading, read_source_note
from .inline import InlineWriter
from .lexer import Span
from .source import Source, decode, from_text
from .structure import read_structure

__all__ = ["convert", "convert_bytes", "convert_file", "ConversionResult", "ConversionWarning"]


@dataclass(frozen=True)
class ConversionWarning:
    """Something the converter recovered from; the output is still complete."""

    message: str
    path: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: {self.message}"


@dataclass
class ConversionResult:
    """A converted document: the ``<TEI>`` element and what the converter noticed."""

    root: etree._Element
    warnings: list[ConversionWarning] = field(default_factory=list)

    @property
    def div(self) -> etree._Element:
        """The ``<div type="document">`` holding the text."""
        return self.root.find(f"{tei('text')}/{tei('body')}/{tei('div')}")

    def to_bytes(self) -> bytes:
        """The document serialised as UTF-8 XML with a declaration."""
        return etree.tostring(self.root, encoding="UTF-8", xml_declaration=True,
                              pretty_print=True)


def convert(text: str, *, name: str | None = None) -> ConversionResult:
    """Convert one plain-text document to TEI.

    ``name`` (a file name) is used in messages and, when the text has no
    numbered heading, for the document id.  Raises :class:`~teikit.InputError`
    for input that cannot be converted (empty, binary, duplicate note numbers).
    """
    return _Conversion(from_text(text, name or "<input>")).run()


def convert_bytes(data: bytes, *, name: str | None = None) -> ConversionResult:
    """Like :func:`convert` for undecoded input (must be UTF-8)."""
    return _Conversion(decode(data, name or "<input>")).run()


def convert_file(path: str | os.PathLike) -> ConversionResult:
    """Convert the plain-text file at ``path``."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return convert_bytes(data, name=name)


class _Conversion:
    """State shared by the stages while one document is converted."""

    def __init__(self, source: Source):
        self.source = source
        self.text = source.text
        self.warnings: list[ConversionWarning] = []

    def warn(self, message: str, offset: int | None = None) -> None:
        line = self.source.line_of(offset) if offset is not None else None
        self.warnings.append(ConversionWarning(message, self.source.name, line))

    def run(self) -> ConversionResult:
        text = self.text
        notes_start = lexer.find_note_block(text)
        notes = lexer.parse_note_block(text, notes_start) if notes_start is not None else []
        body_end = notes_start if notes_start is not None else len(text)
        self._check_note_numbers(notes)

        head, number = self._heading(body_end)
        doc_id = f"d{number}" if number else ncname(Path(self.source.name).stem)

        page_markers = markers.find_page_markers(text, 0, body_end)
        for note in notes:
            for para in note.paragraphs:
                page_markers += markers.find_page_markers(text, para.start, para.end)
        note_markers = self._align_notes(notes, page_markers, head, body_end)

        head_end = head.end if head is not None else 0
        nodes = read_structure(text, lexer.split_blocks(text, head_end, body_end))

        page_ids = _PageIds(doc_id, page_markers)
        in_head = {m.index for m in note_markers if head is not None and m.start < head.end}

        def make_note(marker: markers.NoteMarker) -> etree._Element:
            return self._note_element(notes[marker.index], doc_id, marker.index, in_head, writer)

        def make_pb(marker: markers.PageMarker, glued: bool) -> etree._Element:
            el = etree.Element(tei("pb"), n=marker.n)
            el.set(XML_ID, page_ids.next_id(marker.n))
            if glued:
                el.set("break", "no")
            return el

        writer = InlineWriter(text, [*page_markers, *note_markers], doc_id, make_note, make_pb)
        div = BodyBuilder(text, writer).document_div(doc_id, number, head, nodes)
        self._place_unanchored(div, notes, note_markers, doc_id, in_head, writer)

        heading_info = read_heading(" ".join(text_without_notes(div.find(tei("head"))).split())) \
            if head is not None else None
        source_note = div.find(f".//{tei('note')}[@type='source']")
        source_info = read_source_note(" ".join("".join(source_note.itertext()).split())) \
            if source_note is not None else None
        root = tei_document(div, heading_info, source_info, Path(self.source.name).name)
        return ConversionResult(root, self.warnings)

    # ----------------------------------------------------------------- stages
    def _check_note_numbers(self, notes: list[lexer.NoteBody]) -> None:
        seen: dict[str, int] = {}
        for i, note in enumerate(notes):
            if note.number in seen:
                first = self.source.line_of(notes[seen[note.number]].label.start)
                raise InputError(f"footnote {note.number} appears twice in the note block "
                                 f"(first on line {first})", path=self.source.name,
                                 line=self.source.line_of(note.label.start))
            seen[note.number] = i
            if note.number != str(i + 1):
                self.warn(f"footnote numbered {note.number} where {i + 1} was expected",
                          note.label.start)

    def _heading(self, body_end: int) -> tuple[Span | None, str | None]:
        first = lexer.split_blocks(self.text, 0, body_end)
        if not first:
            raise InputError("no text before the footnotes", path=self.source.name, line=1)
        line = first[0].lines[0]
        s = self.text[line.start:line.end]
        m = lexer.HEADING.match(s)
        if m:
            return line, m.group(1)
        self.warn('no numbered heading ("NN. Title") on the first line; '
                  "the document has no number", line.start)
        if len(first[0].lines) == 1 and len(s) <= 200 and not s.rstrip().endswith("."):
            return line, None
        return None, None

    def _align_notes(self, notes, page_markers, head, body_end) -> list[markers.NoteMarker]:
        if not notes:
            return []
        numbers = [n.number for n in notes]
        extra = str(int(numbers[-1]) + 1) if numbers[-1].isdigit() else None
        masked = markers.mask(self.text, page_markers)
        heading_end = head.end if head is not None else -1
        found = markers.candidates_for(masked, [(0, body_end)],
                                       numbers + ([extra] if extra else []), heading_end)
        chosen = markers.align(numbers, found)
        result = []
        for index, cand in enumerate(chosen):
            if cand is None:
                self.warn(f"footnote {numbers[index]} has no marker in the text; "
                          "it is placed after the footnote before it", notes[index].label.start)
            else:
                result.append(markers.NoteMarker(cand.start, cand.end, index))
        last_end = max((m.end for m in result), default=0)
        for cand in found.get(extra, []) if extra else []:
            if cand.start >= last_end and cand.score >= 3.0 and not cand.chained:
                self.warn(f"'{extra}' looks like a footnote marker but the note block "
                          f"has no footnote {extra}", cand.start)
        return result

    def _note_element(self, note: lexer.NoteBody, doc_id: str, index: int, in_head: set[int],
                      writer: InlineWriter) -> etree._Element:
        el = etree.Element(tei("note"), n=note.number)
        el.set(XML_ID, f"{doc_id}fn{note.number}")
        first_text = self.text[note.paragraphs[0].start:note.paragraphs[0].end]
        if first_text.startswith("Source:") or (index == 0 and index in in_head):
            el.set("type", "source")
        elif index in in_head:
            el.set("type", "summary")
        if len(note.paragraphs) == 1:
            writer.fill(el, note.paragraphs)
        else:
            for para in note.paragraphs:
                writer.fill(etree.SubElement(el, tei("p")), [para])
        return el

    def _place_unanchored(self, div, notes, note_markers, doc_id, in_head, writer) -> None:
        """Put each note whose marker was not found next to its neighbours in the note block."""
        anchored = {m.index for m in note_markers}
        by_id = {el.get(XML_ID): el for el in div.iter(tei("note"))}
        previous: etree._Element | None = None
        for index, note in enumerate(notes):
            if index in anchored:
                previous = by_id.get(f"{doc_id}fn{note.number}")
                continue
            el = self._note_element(note, doc_id, index, in_head, writer)
            el.set("subtype", "unanchored")
            following = next((by_id.get(f"{doc_id}fn{notes[k].number}")
                              for k in range(index + 1, len(notes)) if k in anchored), None)
            if previous is not None:
                el.tail, previous.tail = previous.tail, None
                previous.addnext(el)
            elif following is not None:
                following.addprevious(el)
            else:
                host = div.find(tei("head"))
                if host is None:
                    host = div.find(f".//{tei('p')}")
                (host if host is not None else div).append(el)
            previous = el


class _PageIds:
    """xml:ids for page breaks: ``pg_283`` for volume pages, ``d77-01`` when pages restart."""

    def __init__(self, doc_id: str, page_markers: list[markers.PageMarker]):
        first = min(page_markers, key=lambda m: m.start).n if page_markers else None
        self.per_document = first == "1"
        self.doc_id = doc_id
        self.used: set[str] = set()

    def next_id(self, n: str) -> str:
        if self.per_document:
            base = f"{self.doc_id}-{int(n):02d}" if n.isdigit() else f"{self.doc_id}-{n}"
        else:
            base = f"pg_{n}"
        base = ncname(base, "pg")
        candidate, k = base, 1
        while candidate in self.used:
            k += 1
            candidate = f"{base}_{k}"
        self.used.add(candidate)
        return candidate
