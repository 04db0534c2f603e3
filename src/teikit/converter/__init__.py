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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import Diagnostic, InputError, check_type
from ..xmlio import XML_ID, tei, text_without_notes
from . import lexer, markers
from .builder import BodyBuilder, fill_header, ncname, new_document
from .convention import AUTO, Convention, IdScheme, encoding_note, resolve
from .inline import InlineWriter
from .source import Source, decode, from_text
from .structure import Opener, SourceLine

__all__ = ["convert", "convert_bytes", "convert_file", "ConversionResult", "ConversionWarning",
           "Convention"]

ConventionArg = Convention | str | None


#: the converter's warnings are :class:`~teikit.Diagnostic` objects (rule ``"convert"``);
#: the old name stays for code written against teikit 0.2
ConversionWarning = Diagnostic
#: the ``rule`` of every converter warning
CONVERT_RULE = "convert"


@dataclass
class ConversionResult:
    """A converted document: the ``<TEI>`` element, the convention read, what was noticed.

    >>> result = teikit.convert("1. Telegram From the Embassy\\n\\nThe text.\\n")
    >>> result.convention.name, result.warnings
    ('frus', [])
    >>> result.to_bytes().startswith(b"<?xml")
    True
    """

    root: etree._Element
    warnings: list[Diagnostic] = field(default_factory=list)
    convention: Convention | None = None

    @property
    def div(self) -> etree._Element:
        """The ``<div type="document">`` holding the text."""
        return self.root.find(f"{tei('text')}/{tei('body')}/{tei('div')}")

    def to_bytes(self) -> bytes:
        """The document serialised as UTF-8 XML with a declaration."""
        return etree.tostring(self.root, encoding="UTF-8", xml_declaration=True,
                              pretty_print=True)


def convert(text: str, *, name: str | None = None,
            convention: ConventionArg = AUTO) -> ConversionResult:
    """Convert one plain-text document to TEI.

    ``name`` (a file name) is used in messages and, when the text has no
    numbered heading, for the document id.  ``convention`` is a
    :class:`Convention`, a convention's name, or ``"auto"`` (detect it).
    Raises :class:`~teikit.InputError` for input that cannot be converted
    (empty, binary, duplicate note numbers), ``TypeError`` for bytes (use
    :func:`convert_bytes`) and ``ValueError`` for a file name (use :func:`convert_file`).

    >>> result = teikit.convert("1. Telegram\\n\\nThe text.\\n")
    >>> result.root.tag
    '{http://www.tei-c.org/ns/1.0}TEI'
    """
    check_type("text", text, str, "use convert_bytes() for bytes, convert_file() for a file")
    if _looks_like_a_path(text):
        raise ValueError(f"convert() takes the text itself, not a file name ({text!r}): use convert_file()")
    return _Conversion(from_text(text, name or "<input>"), convention).run()


#: file name endings of plain-text sources: a one-line ``text`` ending so names a file
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
#: longer than any path: a longer one-line text is text, whatever it ends with
_MAX_PATH_LENGTH = 4096


def _looks_like_a_path(text: str) -> bool:
    """A one-line string that names an existing file or ends like a text file's name."""
    candidate = text.strip()
    if not candidate or "\n" in candidate or len(candidate) > _MAX_PATH_LENGTH:
        return False
    return candidate.lower().endswith(_TEXT_SUFFIXES) or os.path.isfile(candidate)


def convert_bytes(data: bytes, *, name: str | None = None,
                  convention: ConventionArg = AUTO) -> ConversionResult:
    """Like :func:`convert` for undecoded input (must be UTF-8).

    >>> teikit.convert_bytes(b"1. Telegram\\n\\nThe text.\\n").warnings
    []
    """
    check_type("data", data, bytes, "use convert() for str")
    return _Conversion(decode(data, name or "<input>"), convention).run()


def convert_file(path: str | os.PathLike[str], *, convention: ConventionArg = AUTO) -> ConversionResult:
    """Convert the plain-text file at ``path`` (UTF-8); its name is used in messages and ids.

    >>> result = teikit.convert_file("seeds/000_7077ceb38f60db2d.txt")   # doctest: +SKIP
    >>> result.convention.name, result.root.get("{http://www.w3.org/XML/1998/namespace}id")   # doctest: +SKIP
    ('frus', 'd59')
    """
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return convert_bytes(data, name=name, convention=convention)


NOTE, PB = tei("note"), tei("pb")
FIRST_LABELS = ("1", "a")       # where numbering (or lettering) that starts again per page starts
BRACKETED_NUMBER = re.compile(r"\[(\d{1,4})\]")     # "[12]": a note marker of other layouts


class _Conversion:
    """State shared by the stages while one document is converted."""

    def __init__(self, source: Source, convention: ConventionArg):
        self.source = source
        self.text = source.text
        self.warnings: list[Diagnostic] = []
        self.note_elements: dict[int, etree._Element] = {}     # note index -> its <note>
        self.source_line_seen = False
        try:
            self.convention, unrecognised = resolve(convention, self.text)
        except KeyError as exc:
            raise InputError(str(exc.args[0]), path=source.name) from None
        self.detected = not isinstance(convention, Convention) and convention in (None, AUTO)
        if unrecognised:
            self.warn(unrecognised, 0)

    def warn(self, message: str, offset: int | None = None) -> None:
        line = self.source.line_of(offset) if offset is not None else None
        self.warnings.append(Diagnostic(self.source.name, line, None, "warning", CONVERT_RULE, message))

    def run(self) -> ConversionResult:
        text, conv = self.text, self.convention
        if conv.read_document is not None:
            root = conv.read_document(text, self.warn, os.path.basename(self.source.name),
                                      encoding_note(conv, self.detected))
            return ConversionResult(root, self.warnings, conv)
        note_block = conv.find_notes(text)
        notes = note_block.notes if note_block is not None else []
        body_end = note_block.start if note_block is not None else len(text)
        in_body = note_block.in_body if note_block is not None else ()
        if conv.unique_labels:
            self._check_note_numbers(notes)

        blocks = _outside(lexer.split_blocks(text, 0, body_end), in_body)
        if not blocks:
            raise InputError("no text before the footnotes", path=self.source.name, line=1)
        head = conv.heading(text, blocks)
        number = head.number if head is not None else None
        if number is None and conv.heading_warning:
            self.warn(conv.heading_warning, blocks[0].start)
        stem = ncname(_stem(self.source.name))
        doc_id = ncname(conv.ids.document(number, stem))

        page_markers = markers.find_page_markers(conv.page_marker, text, 0, body_end)
        if in_body:
            page_markers = [m for m in page_markers
                            if not any(s.start <= m.start < s.end for s in in_body)]
        for note in notes:
            for para in note.paragraphs:
                page_markers += markers.find_page_markers(conv.page_marker, text,
                                                          para.start, para.end)
        head_end = head.body_start if head is not None else 0
        if conv.note_marker is not None:
            note_markers = self._explicit_notes(conv.note_marker, notes, page_markers, body_end, in_body)
        else:
            note_markers = self._align_notes(notes, page_markers, head_end, body_end)

        body_blocks = _from(blocks, head_end)
        front = self._front_matter(body_blocks)
        # a source line under the heading (older volumes) means the heading's notes are not the source
        self.source_line_seen = any(isinstance(node, SourceLine) for node in front)
        nodes = front + conv.structure(text, body_blocks[len(front):])

        self.ids = _Ids(conv.ids, doc_id, page_markers)
        in_head = {m.index for m in note_markers if m.start < head_end}

        def make_note(marker: markers.NoteMarker) -> etree._Element:
            return self._note_element(notes[marker.index], doc_id, marker.index, in_head, writer)

        def make_pb(marker: markers.PageMarker, glued: bool) -> etree._Element:
            attributes = {"n": marker.n, XML_ID: self.ids.page(marker.n)}
            if glued:
                attributes["break"] = "no"
            return etree.Element(PB, attributes)

        writer = InlineWriter(text, [*page_markers, *note_markers], doc_id, make_note, make_pb,
                              conv.find_refs, conv.ref_cues)
        root, body = new_document()
        div = BodyBuilder(text, writer).document_div(
            body, doc_id, number, head.lines if head is not None else None, nodes)
        self._place_unanchored(div, notes, note_markers, doc_id, in_head, writer)

        head_el = next(div.iterchildren(tei("head")), None)      # = div.find(), without a path
        heading_text = text_without_notes(head_el) if head_el is not None else None
        heading_info, source_info = conv.metadata(heading_text, _source_note_text(div))
        fill_header(root, heading_info, source_info, os.path.basename(self.source.name),
                    encoding_note(conv, self.detected))
        return ConversionResult(root, self.warnings, conv)

    # ----------------------------------------------------------------- stages
    def _check_note_numbers(self, notes: list[lexer.NoteBody]) -> None:
        """Labels are unique and numbers run on from the first (1, or where a chapter's
        numbering stands); where the convention has repeated notes, a note may repeat an
        earlier one, label and text, and numbering may start again at 1 (notes numbered per page)."""
        seen: dict[str, int] = {}
        numbered = all(note.number.isdigit() for note in notes)
        expected = int(notes[0].number) if numbered and notes else 1
        for i, note in enumerate(notes):
            if self.convention.repeated_notes and i and note.number in FIRST_LABELS:
                seen, expected = {}, 1      # the numbering of the next page
            if note.number in seen:
                earlier = notes[seen[note.number]]
                if self.convention.repeated_notes and self._note_text(earlier) == self._note_text(note):
                    continue
                first = self.source.line_of(earlier.label.start)
                raise InputError(f"footnote {note.number} appears twice in the note block "
                                 f"(first on line {first})", path=self.source.name,
                                 line=self.source.line_of(note.label.start))
            seen[note.number] = i
            if numbered and note.number != str(expected):
                self.warn(f"footnote numbered {note.number} where {expected} was expected",
                          note.label.start)
            expected += 1

    def _note_text(self, note: lexer.NoteBody) -> str:
        return " ".join(" ".join(self.text[p.start:p.end] for p in note.paragraphs).split())

    def _front_matter(self, blocks: list[lexer.Block]) -> list[SourceLine | Opener]:
        """Blocks right under the heading: source lines ("No. 78.", a file number), then
        opening lines (classification, precedence), as the convention recognises them."""
        conv = self.convention
        found: list[SourceLine | Opener] = []
        for block in blocks:
            lines = [self.text[ln.start:ln.end].strip() for ln in block.lines]
            if conv.page_marker.fullmatch(lines[0]):
                break
            if conv.source_line and len(lines) == 1 and conv.source_line.fullmatch(lines[0]) \
                    and not any(isinstance(node, Opener) for node in found):
                found.append(SourceLine(_stripped(self.text, block.lines[0])))
            elif conv.opener_line and all(conv.opener_line.fullmatch(s) for s in lines):
                found.append(Opener([_stripped(self.text, ln) for ln in block.lines]))
            else:
                break
        return found

    def _align_notes(self, notes: list[lexer.NoteBody], page_markers: list[markers.PageMarker],
                     heading_end: int, body_end: int) -> list[markers.NoteMarker]:
        """Bare-number markers: score every place each note could stand, choose the best sequence."""
        if not notes:
            return []
        numbers = [n.number for n in notes]
        extra = str(int(numbers[-1]) + 1) if numbers[-1].isdigit() else None
        masked = markers.mask(self.text, page_markers)
        found = markers.candidates_for(masked, [(0, body_end)],
                                       numbers + ([extra] if extra else []), heading_end or -1)
        chosen = markers.align(numbers, found)
        result = []
        for index, cand in enumerate(chosen):
            if cand is None:
                self.warn(f"footnote {numbers[index]} has no marker in the text; "
                          "it is placed after the footnote before it", notes[index].label.start)
            elif cand.score < markers.UNSURE:
                self.warn(f"footnote {numbers[index]}: the likeliest place for its marker, "
                          f"'{self.text[cand.start - 1:cand.end]}' on this line, is more likely "
                          "text; the note is kept unanchored after the footnote before it",
                          cand.start)
            else:
                result.append(markers.NoteMarker(cand.start, cand.end, index))
        self._warn_bracketed_markers(numbers, masked, body_end)
        last_end = max((m.end for m in result), default=0)
        for cand in found.get(extra, []) if extra else []:
            if cand.start >= last_end and cand.score >= markers.CONFIDENT and not cand.chained:
                self.warn(f"'{extra}' looks like a footnote marker but the note block "
                          f"has no footnote {extra}", cand.start)
        return result

    def _warn_bracketed_markers(self, numbers: list[str], masked: str, body_end: int) -> None:
        """A bracketed "[1]" is an explicit marker of other layouts, never chosen by the
        bare-number alignment: say so rather than let the note stand silently elsewhere."""
        wanted = set(numbers)
        for m in BRACKETED_NUMBER.finditer(masked, 0, body_end):
            if m.group(1) in wanted:
                self.warn(f"'{m.group()}' looks like an explicit note marker, which the "
                          f"{self.convention.name} layout does not use (its markers are bare "
                          "numbers); it is kept as text: if the notes are marked so, convert with "
                          "the convention that uses such markers", m.start())

    def _explicit_notes(self, note_marker: re.Pattern[str], notes: list[lexer.NoteBody],
                        page_markers: list[markers.PageMarker], body_end: int,
                        in_body: Sequence[lexer.Span]) -> list[markers.NoteMarker]:
        """Explicit markers (``[^1]``): each pairs with the first untaken note of its label
        that follows it; a marker left over is kept as text, with a warning."""
        by_label: dict[str, list[int]] = {}
        for i, note in enumerate(notes):
            by_label.setdefault(note.number, []).append(i)
        masked = markers.mask(self.text, [*page_markers, *in_body])
        result: list[markers.NoteMarker] = []
        placed: set[int] = set()
        for m in note_marker.finditer(masked, 0, body_end):
            label = m.group("n")
            index = next((i for i in by_label.get(label, ())
                          if i not in placed and notes[i].label.start > m.start()), None)
            if index is None:
                why = "marks a note already marked" if label in by_label else "has no note"
                self.warn(f"marker {m.group()} {why}; the marker is kept as text", m.start())
            else:
                placed.add(index)
                result.append(markers.NoteMarker(m.start(), m.end(), index))
        for index, note in enumerate(notes):
            if index not in placed:
                self.warn(f"note {note.number!r} has no marker in the text; it is kept unanchored",
                          note.label.start)
        return result

    def _note_element(self, note: lexer.NoteBody, doc_id: str, index: int, in_head: set[int],
                      writer: InlineWriter) -> etree._Element:
        attributes = {"n": note.number, XML_ID: self.ids.note(note.number)}
        first_text = self.text[note.paragraphs[0].start:note.paragraphs[0].end]
        in_heading = index in in_head and not self.source_line_seen
        note_type = self.convention.note_type(first_text, index, in_heading)
        if note_type:
            attributes["type"] = note_type
        el = etree.Element(NOTE, attributes)
        self.note_elements[index] = el
        if len(note.paragraphs) == 1:
            writer.fill(el, note.paragraphs)
        else:
            for para in note.paragraphs:
                writer.fill(etree.SubElement(el, tei("p")), [para])
        return el

    def _place_unanchored(self, div: etree._Element, notes: list[lexer.NoteBody],
                          note_markers: list[markers.NoteMarker], doc_id: str, in_head: set[int],
                          writer: InlineWriter) -> None:
        """Put each note whose marker was not found next to its neighbours in the note block."""
        anchored = {m.index for m in note_markers}
        elements = dict(self.note_elements)
        previous: etree._Element | None = None
        for index, note in enumerate(notes):
            if index in anchored:
                previous = elements.get(index)
                continue
            el = self._note_element(note, doc_id, index, in_head, writer)
            el.set("subtype", "unanchored")
            following = next((elements.get(k) for k in range(index + 1, len(notes))
                              if k in anchored), None)
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


def _stem(name: str) -> str:
    """``Path(name).stem``; a bare file name (the common case) is read without a Path."""
    if not name or name in (".", "..") or any(sep and sep in name for sep in ("/", os.sep, os.altsep, ":")):
        return Path(name).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _from(blocks: list[lexer.Block], start: int) -> list[lexer.Block]:
    """The blocks from ``start`` on; of a block ``start`` falls inside (a heading line with text
    under it and no blank line between), the lines after it, as a block of their own."""
    kept = []
    for block in blocks:
        if block.start >= start:
            kept.append(block)
        elif block.end > start:
            rest = [line for line in block.lines if line.start >= start]
            if rest:
                kept.append(lexer.Block(rest))
    return kept


def _outside(blocks: list[lexer.Block], regions: Sequence[lexer.Span]) -> list[lexer.Block]:
    """The blocks that do not lie inside any of ``regions``."""
    if not regions:
        return blocks
    return [b for b in blocks if not any(r.start <= b.start and b.end <= r.end for r in regions)]


def _stripped(text: str, span: lexer.Span) -> lexer.Span:
    s = text[span.start:span.end]
    return lexer.Span(span.start + len(s) - len(s.lstrip()), span.end - len(s) + len(s.rstrip()))


def _source_note_text(div: etree._Element) -> str | None:
    """Text of the source note: the footnote of that type, else an inline source line."""
    notes = [n for n in div.iter(tei("note")) if n.get("type") == "source"]
    notes.sort(key=lambda n: n.get("rend") == "inline")
    return " ".join("".join(notes[0].itertext()).split()) if notes else None


class _Ids:
    """xml:ids from the convention's scheme, made NCNames and unique in the document."""

    def __init__(self, scheme: IdScheme, doc_id: str, page_markers: list[markers.PageMarker]):
        first = min(page_markers, key=lambda m: m.start).n if page_markers else None
        self.restart = first == "1"      # pages numbered per document, not per volume
        self.scheme = scheme
        self.doc_id = doc_id
        self.used: set[str] = {doc_id}

    def page(self, n: str) -> str:
        return self._unique(ncname(self.scheme.page(self.doc_id, n, self.restart), "pg"))

    def note(self, label: str) -> str:
        return self._unique(ncname(self.scheme.note(self.doc_id, label), "fn"))

    def _unique(self, base: str) -> str:
        candidate, k = base, 1
        while candidate in self.used:
            k += 1
            candidate = f"{base}_{k}"
        self.used.add(candidate)
        return candidate
