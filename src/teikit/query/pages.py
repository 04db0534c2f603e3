"""One linear walk over a TEI tree that splits its text into units, pages and notes.

The walk reads the tree in document order and appends each piece of text to the
buffers open at that moment: the unit and page the text is on, the passage
(``<p>``, ``<item>``, ``<head>`` ...) it belongs to, the ``<ref>`` and the
``<note>`` around it.  It reads a *text stream* made in C by one XSLT pass
(:func:`_text_stream`): the text with a mark where each structural element
(block, passage, note, page break, ref, region) opens and closes, so Python acts
once per such element and never per inline element (``hi``, ``persName`` ...) or
text node.  Pieces stay UTF-8 bytes cut from that stream (no copy), and page,
note and passage texts are joined from them only when asked for.  Should the
stream be unusable (a text holding its mark), the walk visits every node instead
(:meth:`_Walker.visit_nodes`, lxml's iteration, no Python recursion); both give
the same units (tests/query/test_stream.py).

Rules (documented in the README):

* **Units.**  The documents of a file are its outermost ``<div type="document">``
  (a FRUS document; documents nested in it, such as ``frus:attachment``, belong
  to it).  A file without such divs is one document per outermost ``<text>``
  (a ``teiCorpus`` has one per member), else the root element (a bare ``<div>``).
  Text outside the documents is never dropped: it forms one unit per region
  (``front``, ``body``, ``back``, ``text`` ...) holding it.
* **Pages.**  Every ``<pb>`` starts a page, whatever its ``n`` (which may repeat
  or be missing); a page is the text after one ``<pb>`` and before the next, in
  document order, across paragraph and unit boundaries.  A ``<pb>`` inside a
  note starts the new page for the text after it, too.
* Note text is kept apart from the main text.  A note records the page its
  anchor is on and, per page, the part of its text printed there.
* A word broken by ``<pb break="no"/>`` counts whole on the page where it begins.
* Text before the first ``<pb>`` of a document: when that ``<pb>`` is numbered 1
  or not numbered, pages restart in each document and the text is on that first
  page; otherwise it is on the page current in the file (the previous
  ``<pb>``), or, before any ``<pb>`` of the file, on one *leading page*: ``n - 1``
  of the file's first ``<pb>`` (or unnumbered), marked ``inferred``.  A file
  therefore has one page per ``<pb>``, plus at most this one leading page.
"""
from __future__ import annotations

import copy
import ctypes
import functools
import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from lxml import etree

from ..ns import XSL_NS
from ..xmlio import TEI_NS, XML_ID

_TEI = f"{{{TEI_NS}}}"
_TEI_LENGTH = len(_TEI)
_WORD = re.compile(r"\S*")
_BLOCK = "\x00"  # marks a block boundary among text pieces; cannot occur in XML text
_BLOCK_BYTES = _BLOCK.encode()  # the walk keeps its pieces as UTF-8 (the stream's bytes, not copied)
#: what a piece of spaces only is kept as: joined text collapses any run of spaces to one
_SPACE_BYTES = b" "
#: what str.split() splits on (every Unicode space is below U+3001), and the block mark
_GAP_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + _BLOCK
# what separates two pieces of text when joined (clean_text): nothing, a space, a new line
_NO_GAP, _SPACE, _NEW_LINE = 0, 1, 2
_SEPARATORS = ("", " ", "\n")

#: elements whose text starts on a line of its own
BLOCKS = frozenset({
    "head", "p", "item", "list", "dateline", "closer", "opener", "signed", "salute",
    "table", "row", "cell", "lg", "l", "ab", "byline", "trailer", "postscript",
    "docAuthor", "quote", "label", "lb", "figure", "argument", "epigraph", "div",
    "sp", "speaker", "stage", "castList", "castItem", "role", "roleDesc", "titlePage",
    "docTitle", "titlePart", "docImprint", "docDate", "bibl", "front", "back", "body",
})
#: block elements whose text is kept as a passage (a unit a note or a hit can point to)
PASSAGES = frozenset({
    "head", "p", "item", "dateline", "signed", "salute", "cell", "l", "ab", "byline",
    "trailer", "label", "docAuthor", "speaker", "stage", "titlePart",
})
#: elements of another vocabulary (an egXML example) whose words are kept apart from their neighbours
_FOREIGN_BREAKS = BLOCKS | {"note"}
#: elements whose content is never text of the document
SKIPPED = frozenset({"teiHeader", "facsimile", "standOff"})
#: elements that hold text outside documents; such text is a unit named after its region
REGIONS = frozenset({"front", "body", "back", "group", "text", "TEI", "teiCorpus", "TEI.2"})

#: elements that :meth:`_Walker.start` acts on inside a document (any other TEI element there only holds text)
_ACTIVE = SKIPPED | REGIONS | BLOCKS | PASSAGES | {"pb", "note", "ref"}

#: elements the text stream marks (every element :meth:`_Walker.start` acts on, bar the skipped ones)
_MARKED = _ACTIVE - SKIPPED
#: starts and ends an element in the text stream: a Unicode noncharacter, never text of an edition
#: (a file whose text holds one anyway is read node by node, see :func:`_text_stream`)
_MARK = "\ufdd0"
_MARK_BYTES = _MARK.encode()
# what stands between two marks: an element of _MARKED opens or closes; an element of another vocabulary
# breaks the line (the stream cut at its marks is text, kind, text, kind ... with no byte copied)
_OPEN, _CLOSE, _BREAK = b"(", b")", b"|"
#: the open mark of each marked element's kind (``(p``) and that kind's name (``p``)
_OPEN_KINDS = {_OPEN + name.encode(): name for name in _MARKED}
_TEI_OR_NONE = (f"{{{TEI_NS}}}%s", "{}%s")  # lxml tag patterns: in the TEI namespace, in none
_MARKED_TAGS = tuple(pattern % name for name in sorted(_MARKED) for pattern in _TEI_OR_NONE)
#: lxml tag patterns of page breaks and of skipped elements (SKIPPED), in the TEI namespace or in none
PAGE_BREAK_TAGS = tuple(pattern % "pb" for pattern in _TEI_OR_NONE)
_NOTE_TAGS = tuple(pattern % "note" for pattern in _TEI_OR_NONE)
SKIPPED_TAGS = tuple(pattern % name for name in sorted(SKIPPED) for pattern in _TEI_OR_NONE)
#: ``tag`` of a skipped element, of a div, of a text (lxml writes a tag in no namespace without braces)
_SKIPPED_TAG_NAMES = frozenset(f"{_TEI}{name}" for name in SKIPPED) | SKIPPED
_DIV_TAG_NAMES = frozenset({f"{_TEI}div", "div"})
_TEXT_TAG_NAMES = frozenset({f"{_TEI}text", "text"})
#: where :func:`document_elements` looks for documents
_DOCUMENT_TAGS = tuple(pattern % name for name in ("div", "text") for pattern in _TEI_OR_NONE)
_PAGE_BREAK_TAG_NAMES = frozenset({f"{_TEI}pb", "pb"})
#: what :func:`structure_elements` looks for
_STRUCTURE_TAGS = SKIPPED_TAGS + _DOCUMENT_TAGS + PAGE_BREAK_TAGS
_STRUCTURE = SKIPPED | {"div", "text", "pb"}
#: the tag patterns of the marked and of the structure elements (:data:`_MARKED_TAGS`,
#: :data:`_STRUCTURE_TAGS`) for a tree whose elements are in the TEI namespace or in none
#: (:data:`_TEI_OR_NONE`), in the TEI namespace only, in none only (:func:`_tag_patterns`)
_TAGS_FOR: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {
    patterns: (tuple(pattern % name for name in sorted(_MARKED) for pattern in patterns),
               tuple(pattern % name for name in sorted(_STRUCTURE) for pattern in patterns))
    for patterns in (_TEI_OR_NONE, _TEI_OR_NONE[:1], _TEI_OR_NONE[1:])
}

# what an element opened, undone when it closes (bit flags of a stack frame)
_OPENED_UNIT, _OPENED_REGION, _OPENED_NOTE, _OPENED_BLOCK, _OPENED_CAPTURE, _SKIP, _HIDDEN = 1, 2, 4, 8, 16, 32, 64
#: what :meth:`_Walker.start` opens for an element inside a document that needs no more than a new line
#: and, for a passage, a capture (no note, page break or ref): the inlined case of :meth:`_Walker.read_stream`
_PLAIN_IN_DOCUMENT = {
    name: (_OPENED_BLOCK if name in BLOCKS else 0) | (_OPENED_CAPTURE if name in PASSAGES else 0)
    for name in _MARKED - {"pb", "note", "ref"}
}
#: :data:`_PLAIN_IN_DOCUMENT` by open mark (``(p``)
_PLAIN_OPENS = {_OPEN + name.encode(): opened for name, opened in _PLAIN_IN_DOCUMENT.items()}
#: :data:`_PLAIN_OPENS` when the walk does not record the passages of documents (``walk(passages=False)``)
_PLAIN_OPENS_UNRECORDED = {kind: opened & ~_OPENED_CAPTURE for kind, opened in _PLAIN_OPENS.items()}


def local_name(tag: str) -> str:
    """``{ns}p`` -> ``p``."""
    return tag[len(_TEI):] if tag.startswith(_TEI) else tag.rpartition("}")[2]


def tei_name(tag: str) -> str:
    """The local name of a TEI (or namespace-less) element; ``""`` for another vocabulary's
    element (an ``egXML`` example, MathML ...), whose text is read but whose names mean nothing."""
    if tag.startswith(_TEI):
        return tag[len(_TEI):]
    return "" if tag.startswith("{") else tag


def clean_text(parts: list[str]) -> str:
    """Join text pieces: whitespace collapsed inside blocks, one line per block (empty blocks dropped).

    String methods over the joined text, cut at its block marks first (each block's words joined
    by one space: no pass over the whole text to drop the spaces next to the marks).
    """
    return "\n".join(filter(None, [" ".join(block.split()) for block in "".join(parts).split(_BLOCK)]))


#: the ASCII characters ``str.split()`` splits on (``str.isspace``), each made a space by :func:`clean_bytes`
_ASCII_SPACES = bytes.maketrans(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", b" " * 9)
#: runs of spaces each made one space before the pairs left are: pretty-printed XML indents text by
#: runs of 4 to 20 spaces or so, which pairs alone take up to 5 passes over the text to collapse
_LONG_SPACE_RUNS = (b" " * 8, b" " * 4)


def clean_bytes(pieces: Sequence[bytes]) -> str:
    """:func:`clean_text` of the walk's pieces (UTF-8), without a Python string per word.

    Whitespace is collapsed in the bytes (ASCII spaces made spaces, runs of spaces made one:
    C loops over the text), then each block stripped: a third of the work of splitting
    every block into words and joining them again.  ``str.split()`` also splits on Unicode
    spaces (no-break space ...), which the bytes do not see; every one of them is
    unprintable (``str.isprintable``), so a text that is not ASCII and has an unprintable
    character left in a block is cleaned word by word instead, as :func:`clean_text` does.
    """
    data = b"".join(pieces).translate(_ASCII_SPACES)
    if b"  " in data:  # a space is never part of a longer UTF-8 sequence: no character is cut
        for run in _LONG_SPACE_RUNS:
            data = data.replace(run, b" ")
        while b"  " in data:
            data = data.replace(b"  ", b" ")
    text = data.decode()
    blocks = [block.strip(" ") for block in text.split(_BLOCK)]
    if not text.isascii() and not all(map(str.isprintable, blocks)):
        return clean_text([b"".join(pieces).decode()])
    return "\n".join(filter(None, blocks))


def _gap(raw: str) -> int:
    """What the spaces and block marks ``raw`` is made of become when joined to other text."""
    return _NEW_LINE if _BLOCK in raw else _SPACE if raw else _NO_GAP


def _edges(raw: str) -> tuple[int, int]:
    """The gaps before the first and after the last word of ``raw`` (both the whole of it when it has no word)."""
    after_leading = raw.lstrip(_GAP_CHARS)
    if not after_leading:
        return _gap(raw), _gap(raw)
    leading = raw[:len(raw) - len(after_leading)]
    trailing = after_leading[len(after_leading.rstrip(_GAP_CHARS)):]
    return _gap(leading), _gap(trailing)


def join_clean(texts: list[str], edges: list[tuple[int, int]]) -> str:
    """``clean_text`` of the concatenated raw pieces, from their cleaned texts and edges (no re-reading of the pieces).

    Two cleaned texts are joined by the strongest gap between them (a block mark: a new
    line; a space: a space; else nothing, as for a word split by a page break), which is
    what :func:`clean_text` of the whole would put there.
    """
    out: list[str] = []
    gap = _NO_GAP
    for text, (leading, trailing) in zip(texts, edges):
        if not text:  # no word: its gap merges with the ones around it
            gap = max(gap, leading)
            continue
        if out:
            out.append(_SEPARATORS[max(gap, leading)])
        out.append(text)
        gap = trailing
    return "".join(out)


def _number(value: str | None) -> str | None:
    """``@n`` as written; an empty or blank ``n`` is no number."""
    return value if value is not None and value.strip() else None


@dataclass(eq=False, slots=True)
class PageMark:
    """A page as the walk found it: one per ``<pb>`` (plus the leading page)."""

    n: str | None
    xml_id: str | None
    position: int = 0  # ordinal of its <pb> in the file (1-based); 0 for the leading page
    inferred: bool = False  # the leading page: no <pb> for it in this file


class NoteText:
    """A note as the walk found it; its texts are joined when first asked for (lazy)."""

    __slots__ = ("element", "page", "passage", "anchor", "buckets", "parts", "_text")

    def __init__(self, element: etree._Element, page: int, passage: "PassageText | None"):
        self.element = element
        self.page = page  # index into UnitText.pages of the page the anchor is on
        self.passage = passage  # the passage the note is anchored in
        self.anchor = len(passage.pieces) if passage is not None else 0  # where in its pieces
        self.buckets: dict[int, list[bytes]] = {}  # page index -> text pieces, as the walk writes them
        self.parts: dict[int, bytes] = {}  # page index -> its text (UTF-8), once the walk is done (finish)
        self._text: str | None = None

    def finish(self) -> None:
        """Join each page's pieces: a dictionary of bytes, which the cycle collector does not
        track (the lists of pieces were two objects more per note for it to scan)."""
        self.parts = {page: b"".join(pieces) for page, pieces in self.buckets.items()}
        self.buckets = {}

    @property
    def context(self) -> str:
        """The text of the passage up to the anchor."""
        if self.passage is None:
            return ""
        before = b"".join(self.passage.pieces[self.passage.start:self.anchor]).decode()
        return " ".join(before.replace(_BLOCK, " ").split())

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean_bytes([self.parts[i] for i in sorted(self.parts)])
        return self._text

    def page_text(self, page: int) -> str:
        """The part of the note's text printed on page ``page`` (an index into UnitText.pages)."""
        return clean_bytes([self.parts[page]])


class _Captured:
    """A passage or a ref: the range of its layer's pieces it spans, joined only when first asked for (lazy)."""

    __slots__ = ("element", "kind", "page", "in_note", "pieces", "start", "end", "_text")

    def __init__(self, element: etree._Element, kind: str, page: int, in_note: NoteText | None,
                 pieces: list[bytes]):
        self.element = element
        self.kind = kind  # local name: p, item, head ... ref
        self.page = page  # index into UnitText.pages
        self.in_note = in_note
        self.pieces = pieces  # the text pieces of its layer, shared by every capture of the layer
        self.start = len(pieces)
        self.end: int | None = None  # set when the element closes
        self._text: str | None = None

    @property
    def parts(self) -> list[bytes]:
        return self.pieces[self.start:self.end]

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean_bytes(self.parts)
        return self._text


class PassageText(_Captured):
    __slots__ = ()


class RefText(_Captured):
    __slots__ = ()


class _Layer:
    """Main text, or the text of one note: where text pieces go."""

    __slots__ = ("pages", "captures", "pieces", "note")

    def __init__(self, pages: dict[int, list[bytes]], note: NoteText | None):
        self.pages = pages
        self.captures: list[PassageText | RefText] = []  # open passages and refs
        self.pieces: list[bytes] = []  # every piece written while a capture was open, in order
        self.note = note


@dataclass(eq=False, slots=True)
class UnitText:
    """Everything the walk learnt about one unit: a document, or text outside documents."""

    element: etree._Element
    kind: str  # "document", or the region of text outside documents: front, body, back ...
    pages: list[PageMark] = field(default_factory=list)
    page_parts: dict[int, list[bytes]] = field(default_factory=dict)
    notes: list[NoteText] = field(default_factory=list)
    passages: list[PassageText] = field(default_factory=list)
    refs: list[RefText] = field(default_factory=list)
    breaks: dict[etree._Element, int] = field(default_factory=dict)  # each <pb> and the page it starts
    layers: list[_Layer] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.layers = [_Layer(self.page_parts, None)]

    def text(self) -> str:
        """The whole main text (a paragraph crossing a page break stays one line), joined on demand."""
        raws = [self._raw(i) for i in range(len(self.pages))]
        return join_clean([clean_text([raw]) for raw in raws], [_edges(raw) for raw in raws])

    def page_text(self, page: int) -> str:
        """The main text of page ``page`` (an index into :attr:`pages`), joined on demand."""
        return clean_bytes(self.page_parts.get(page, ()))

    def _raw(self, page: int) -> str:
        return b"".join(self.page_parts.get(page, ())).decode()

    @property
    def page(self) -> int:
        return len(self.pages) - 1

    @property
    def is_document(self) -> bool:
        return self.kind == "document"

    @property
    def empty(self) -> bool:
        return not (self.page_parts or self.notes or self.breaks or self.passages or self.refs)

    def element_pages(self) -> dict[etree._Element, int]:
        """The page (an index into :attr:`pages`) each recorded element (passage, ref, note, pb) is on."""
        records: list[_Captured | NoteText] = [*self.passages, *self.refs, *self.notes]
        table = {record.element: record.page for record in records}
        table.update(self.breaks)
        return table

    def finish(self) -> None:
        """Drop what only the walk needed; the texts are joined from the pieces when asked for."""
        self.layers = []
        for note in self.notes:
            note.finish()


def document_elements(root: etree._Element, found: list[etree._Element] | None = None) -> list[etree._Element]:
    """The documents of a file (see the module docstring).

    ``found``: the elements of :func:`structure_elements` when the caller has them (no other pass over
    the tree; their ``tag`` is read, which lxml keeps with each: not for every element of a file).
    """
    if found is None:
        found = list(root.iter(*_DOCUMENT_TAGS))
    docs = []
    for div in found:
        if div.tag not in _DIV_TAG_NAMES or div.get("type") != "document":
            continue
        if not any(a.get("type") == "document" and local_name(a.tag) == "div" for a in div.iterancestors()):
            docs.append(div)
    if docs:
        return docs
    texts = [t for t in found if t.tag in _TEXT_TAG_NAMES
             and not any(local_name(a.tag) == "text" for a in t.iterancestors())]
    return texts or [root]


def structure_elements(root: etree._Element) -> list[etree._Element]:
    """The skipped elements, divs, texts and page breaks of ``root``, in document order, in one pass
    over the tree: what :func:`document_elements` and the walk need besides the marked elements."""
    return list(root.iter(*_STRUCTURE_TAGS))


def _first_page_breaks(documents: set[etree._Element], structure: list[etree._Element]
                       ) -> dict[etree._Element, etree._Element | None]:
    """The first ``<pb>`` inside each of ``documents`` found in ``structure`` (the elements of
    :func:`structure_elements`, in document order), ``None`` for one without: the first page
    break after a document's start is in it, or none is."""
    first: dict[etree._Element, etree._Element | None] = {}
    document = None  # the last document started, whose first <pb> is not known yet
    for el in structure:
        if el in documents:
            first[el] = None
            document = el
        elif document is not None and el.tag in _PAGE_BREAK_TAG_NAMES:
            if any(ancestor is document for ancestor in el.iterancestors()):
                first[document] = el
            document = None
    return first


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Walker:
    def __init__(self, root: etree._Element, documents: list[etree._Element],
                 structure: list[etree._Element] | None = None, passages: bool = True):
        self.starts = set(documents)
        self.passages = passages  # False: the passages of documents read from the stream are not recorded
        # the first <pb> of each document (None: it has none) that structure_elements() told
        self.first_breaks = _first_page_breaks(self.starts, structure) if structure is not None else {}
        self.units: list[UnitText] = []
        self.doc: UnitText | None = None  # the document being read, if any
        self.regions: list[list[Any]] = [[root, None]]  # [region element, its unit or None], innermost last
        self.current: PageMark | None = None  # the page of the last <pb> seen anywhere in the file
        self.pending: dict[etree._Element, PageMark] = {}  # first <pb> of a document, counted early
        self.positions = 0
        self.join_word_page: int | None = None  # set after <pb break="no"/>
        first = next(root.iter(f"{_TEI}pb", "pb"), None)
        self.first_n = _int(first.get("n")) if first is not None else None

    # -- units --------------------------------------------------------------
    def unit(self, create: bool) -> UnitText | None:
        """The unit text goes to now, with the current page as its last page."""
        unit = self.doc
        if unit is not None and unit.pages and unit.pages[-1] is self.current:  # the usual case
            return unit
        if unit is None:
            region = self.regions[-1]
            unit = region[1]
            if unit is None:
                if not create:
                    return None
                unit = region[1] = UnitText(region[0], local_name(str(region[0].tag)))
                self.units.append(unit)
        if self.current is None:
            leading = str(self.first_n - 1) if self.first_n is not None and self.first_n > 1 else None
            self.current = PageMark(leading, None, 0, inferred=True)
        if not unit.pages or unit.pages[-1] is not self.current:
            unit.pages.append(self.current)
        return unit

    def begin_document(self, el: etree._Element) -> None:
        self.doc = UnitText(el, "document")
        self.units.append(self.doc)
        self.join_word_page = None
        first = (self.first_breaks[el] if el in self.first_breaks
                 else next(el.iter(f"{_TEI}pb", "pb"), None))
        if first is not None:
            n = _int(first.get("n"))
            if n is None or n <= 1:
                # pages restart in each document: text before the first <pb> is on its page
                self.current = self.pending[first] = PageMark(_number(first.get("n")), first.get(XML_ID))

    # -- text ---------------------------------------------------------------
    def emit(self, text: str) -> None:
        unit = self.unit(create=not text.isspace())
        if unit is None:
            return
        if self.join_word_page is not None:
            text = text.lstrip()
            if not text:
                return
            word = _WORD.match(text).group()  # type: ignore[union-attr]
            self._append(unit, word, self.join_word_page)
            self.join_word_page = None
            text = text[len(word):]
            if not text:
                return
        self._append(unit, text, unit.page)

    @staticmethod
    def _append(unit: UnitText, text: str, page: int) -> None:
        piece = text.encode()
        layer = unit.layers[-1]
        if layer.captures:
            layer.pieces.append(piece)
        bucket = layer.pages.get(page)
        if bucket is None:
            bucket = layer.pages[page] = []
        bucket.append(piece)

    def newline(self) -> None:
        unit = self.doc
        if unit is None or not unit.pages or unit.pages[-1] is not self.current:
            unit = self.unit(create=False)
            if unit is None:
                return
        self._append(unit, _BLOCK, len(unit.pages) - 1)

    # -- pages --------------------------------------------------------------
    def page_break(self, el: etree._Element) -> None:
        self.positions += 1
        mark = self.pending.pop(el, None)
        if mark is None:
            mark = PageMark(_number(el.get("n")), el.get(XML_ID))
        mark.position = self.positions
        unit = self.unit(create=True)
        assert unit is not None
        if el.get("break") == "no":
            self.join_word_page = unit.page
            layer = unit.layers[-1]
            if any(len(layer.pieces) > capture.start for capture in layer.captures):
                layer.pieces[-1] = layer.pieces[-1].decode().rstrip().encode()
            bucket = layer.pages.get(unit.page)
            if bucket:
                bucket[-1] = bucket[-1].decode().rstrip().encode()
        self.current = mark
        if unit.pages[-1] is not mark:
            unit.pages.append(mark)
        unit.breaks[el] = unit.page

    # -- elements -------------------------------------------------------------
    def start(self, el: etree._Element, name: str) -> int:
        """Open ``el``; return what it opened (flags), for :meth:`end`."""
        if not name:  # another vocabulary's element: only its layout counts (words stay apart)
            if local_name(el.tag) in _FOREIGN_BREAKS:
                self.newline()
                return _OPENED_BLOCK
            return 0
        if name in SKIPPED:
            return _SKIP
        if name == "pb":
            self.page_break(el)
            return 0
        opened = 0
        if self.doc is None:
            if el in self.starts:
                self.begin_document(el)
                opened |= _OPENED_UNIT
            elif name in REGIONS:
                self.regions.append([el, None])
                opened |= _OPENED_REGION
        if name == "note":
            unit = self.unit(create=True)
            assert unit is not None
            outer = unit.layers[-1]
            # the innermost open passage around the anchor
            passage = next((item for item in reversed(outer.captures) if isinstance(item, PassageText)), None)
            note = NoteText(el, unit.page, passage)
            unit.notes.append(note)
            unit.layers.append(_Layer(note.buckets, note))
            return opened | _OPENED_NOTE
        if name in BLOCKS:
            self.newline()
            opened |= _OPENED_BLOCK
        if name in PASSAGES or name == "ref":
            unit = self.unit(create=True)
            assert unit is not None
            layer = unit.layers[-1]
            record: PassageText | RefText
            if name == "ref":
                record = RefText(el, name, unit.page, layer.note, layer.pieces)
                unit.refs.append(record)
            else:
                record = PassageText(el, name, unit.page, layer.note, layer.pieces)
                unit.passages.append(record)
            layer.captures.append(record)
            opened |= _OPENED_CAPTURE
        return opened

    def end(self, opened: int) -> None:
        if opened & _OPENED_CAPTURE:
            unit = self.unit(create=True)
            assert unit is not None
            layer = unit.layers[-1]
            layer.captures.pop().end = len(layer.pieces)
        if opened & _OPENED_BLOCK:
            self.newline()
        if opened & _OPENED_NOTE:
            unit = self.unit(create=True)
            assert unit is not None
            unit.layers.pop()
        if opened & _OPENED_UNIT:
            self.doc = None
            self.join_word_page = None
        if opened & _OPENED_REGION:
            self.regions.pop()

    def run(self, root: etree._Element, stream: tuple[list[bytes], list[etree._Element]] | None) -> list[UnitText]:
        """Read ``root`` from its text stream (:func:`_text_stream`), else node by node."""
        if stream is None:
            self.visit_nodes(root)
        else:
            self.read_stream(root, *stream)
        return self.finish(root)

    def read_stream(self, root: etree._Element, pieces: list[bytes], elements: list[etree._Element]) -> None:
        """Replay the stream: one :meth:`start` or :meth:`end` per marked element, the text between
        them written as it comes (the text of inline elements arrives already joined, in C).

        The usual case is inlined (a block or passage of a document, its text on the page
        current in that document): while it lasts, the layer and page bucket written to are
        kept at hand; any other element goes through :meth:`start` and :meth:`end`, after
        which they are looked up again.
        """
        opened_stack: list[int] = []
        push, pop = opened_stack.append, opened_stack.pop
        root_unmarked = not elements or elements[0] is not root
        root_opened = self.start(root, tei_name(root.tag)) if root_unmarked else 0
        next_element = iter(elements).__next__
        open_kinds, plain_opens = _OPEN_KINDS, _PLAIN_OPENS if self.passages else _PLAIN_OPENS_UNRECORDED
        fast = False  # whether unit, layer, captures, page and bucket below are those the walk writes to
        unit: UnitText
        layer: _Layer
        captures: list[PassageText | RefText] = []
        bucket: list[bytes] | None = None  # created on the first text written to the page
        page = 0
        # the text up to a mark, then the mark's kind (the text after the last mark is written below):
        # the text after an element that went through start() or end() is written the usual way too
        for text, kind in zip(itertools.islice(pieces, 0, None, 2), itertools.islice(pieces, 1, None, 2)):
            if not fast and self.doc is not None and self.join_word_page is None:
                unit = self.doc
                if unit.pages and unit.pages[-1] is self.current:
                    fast = True
                    layer = unit.layers[-1]
                    captures = layer.captures
                    page = len(unit.pages) - 1
                    bucket = layer.pages.get(page)
            if text:
                if fast:
                    if text.isspace():  # layout between elements, mostly: kept as one shared space
                        text = _SPACE_BYTES
                    if captures:
                        layer.pieces.append(text)
                    if bucket is None:
                        bucket = layer.pages[page] = []
                    bucket.append(text)
                else:
                    self.emit(text.decode())
                    fast = False
            if kind in open_kinds:
                el = next_element()
                opened = plain_opens.get(kind) if fast else None
                if opened is None:
                    name = open_kinds[kind]
                    opened = self.start(el, name)
                    fast = False
                elif opened:
                    if opened & _OPENED_BLOCK:
                        if captures:
                            layer.pieces.append(_BLOCK_BYTES)
                        if bucket is None:
                            bucket = layer.pages[page] = []
                        bucket.append(_BLOCK_BYTES)
                    if opened & _OPENED_CAPTURE:
                        record = PassageText(el, open_kinds[kind], page, layer.note, layer.pieces)
                        unit.passages.append(record)
                        captures.append(record)
                push(opened)
            elif kind == _CLOSE:
                opened = pop()
                if fast and not opened & ~(_OPENED_BLOCK | _OPENED_CAPTURE):
                    if opened & _OPENED_CAPTURE:
                        captures.pop().end = len(layer.pieces)
                    if opened & _OPENED_BLOCK:
                        if captures:
                            layer.pieces.append(_BLOCK_BYTES)
                        if bucket is None:
                            bucket = layer.pages[page] = []
                        bucket.append(_BLOCK_BYTES)
                elif opened:
                    self.end(opened)
                    fast = False
            else:  # an element of another vocabulary that breaks the line (_FOREIGN_BREAKS)
                self.newline()
                fast = False
        if pieces[-1]:
            self.emit(pieces[-1].decode())
        if root_opened:
            self.end(root_opened)

    def visit_nodes(self, root: etree._Element) -> None:
        """Visit every node of ``root`` in document order (lxml's iteration, an explicit stack).

        The fallback of :meth:`read_stream`; one difference: a word broken by ``<pb break="no"/>``
        that goes on through an inline element counts here up to that element only.

        An inline element (``hi``, ``persName`` ...) inside a document opens nothing: it is
        not passed to :meth:`start`, only its text is written (the hot path, kept in this loop).
        """
        stack: list[tuple[etree._Element, int]] = []
        skip_depth = 0  # while > 0: inside a skipped element (the header), which is stack[skip_depth - 1]
        start, end, emit, push, pop = self.start, self.end, self.emit, stack.append, stack.pop
        for node in root.iter():
            parent = node.getparent()
            while stack and stack[-1][0] is not parent:
                closed, opened = pop()
                if opened & _HIDDEN:
                    continue
                if opened:
                    end(opened)
                tail = closed.tail
                if tail:
                    emit(tail)
            if skip_depth:
                if len(stack) >= skip_depth:
                    push((node, _HIDDEN))
                    continue
                skip_depth = 0
            tag = node.tag
            if not isinstance(tag, str):  # comment or processing instruction: only its tail is text
                push((node, 0))
                continue
            name = tag[_TEI_LENGTH:] if tag.startswith(_TEI) else tei_name(tag)
            opened = start(node, name) if name in _ACTIVE or not name or self.doc is None else 0
            push((node, opened))
            if opened & _SKIP:
                skip_depth = len(stack)
            else:
                text = node.text
                if text:
                    emit(text)
        while stack:
            closed, opened = pop()
            if not opened & _HIDDEN:
                if opened:
                    end(opened)
                if closed.tail:
                    emit(closed.tail)

    def finish(self, root: etree._Element) -> list[UnitText]:
        units = [u for u in self.units if u.is_document or not u.empty]
        if not units:  # no text at all (a lone teiHeader): one empty document
            units = [UnitText(root, "document")]
        for unit in units:
            unit.finish()
        return units


def _patterns(names: frozenset[str]) -> str:
    """An XSLT pattern for TEI (or namespace-less) elements of these names."""
    return " | ".join(f"tei:{name} | {name}" for name in sorted(names))


_FOREIGN_BREAK_TEST = (f"namespace-uri() != '' and namespace-uri() != '{TEI_NS}' and "
                       f"contains('|{'|'.join(sorted(_FOREIGN_BREAKS))}|', concat('|', local-name(), '|'))")


def _open_templates() -> str:
    """One template per marked name: its open mark names it (``(p``), so that the walk knows an
    element's kind without asking lxml for its tag."""
    return "\n".join(f'  <xsl:template match="{_patterns(frozenset({name}))}">{_MARK}({name}{_MARK}'
                     f'<xsl:apply-templates/>{_MARK}){_MARK}</xsl:template>' for name in sorted(_MARKED))


#: writes the text of a tree as the walk reads it, with a mark where a marked element opens (naming
#: it) and closes: inline elements (hi, persName ...) only give their text, skipped elements nothing;
#: TEI inline elements are matched by ``tei:*`` first, sparing them the test for another vocabulary's
_STREAM_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="{XSL_NS}"
    xmlns:tei="{TEI_NS}">
  <xsl:output method="text" encoding="UTF-8"/>
{_open_templates()}
  <xsl:template match="{_patterns(SKIPPED)}"/>
  <xsl:template match="tei:*" priority="-0.4"><xsl:apply-templates/></xsl:template>
  <xsl:template match="*[{_FOREIGN_BREAK_TEST}]" priority="-1">{_MARK}|{_MARK}<xsl:apply-templates/>{_MARK}|{_MARK}</xsl:template>
</xsl:stylesheet>"""
_FOREIGN_BREAKS_COUNT = etree.XPath(f"count(descendant-or-self::*[{_FOREIGN_BREAK_TEST}])")
_compiled = threading.local()  # an XSLT object per thread (lxml's advice for threads)


#: stream size (bytes) above which the memory libxslt freed is handed back: a whole volume's is
#: worth the system call, a single document's (a few kB, reused at once) is not
_TRIM_ABOVE = 1_000_000


@functools.lru_cache(maxsize=None)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (OSError, AttributeError):
        return None


def _release_freed_memory() -> None:
    """Hand memory freed by libxml2/libxslt back to the system (glibc keeps it otherwise, and the
    model built next, made of small Python objects, does not reuse it)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _text_stream(root: etree._Element) -> tuple[list[bytes], list[etree._Element]] | None:
    """The text stream of ``root`` (made in libxslt, one pass in C), cut at its marks, and its
    marked elements in document order; ``None`` when it cannot be trusted (a text holding the mark, a stylesheet
    error), and the walk then visits every node."""
    return _stream_and_elements(root)[0]


def _tag_patterns(root: etree._Element) -> tuple[str, ...]:
    """The patterns of :data:`_TEI_OR_NONE` that elements of ``root`` may match: the TEI namespace's
    alone when no element is in none (every TEI file but P4's), none alone when no element is TEI.

    lxml matches an element against each pattern asked for in turn, and looks each one up in the
    tree's names first, at every call (some 2,000 instructions a pattern): half the patterns, for
    the price of one pass over the tree for the one pattern ``{}*`` (callgrind, a FRUS document's
    tree: the marked and structure elements in 295k -> 190k instructions).
    """
    if next(root.iter("{}*"), None) is None:
        return _TEI_OR_NONE[:1]
    if next(root.iter(f"{_TEI}*"), None) is None:
        return _TEI_OR_NONE[1:]
    return _TEI_OR_NONE


def _stream_and_elements(root: etree._Element) -> tuple[tuple[list[bytes], list[etree._Element]] | None,
                                                         list[etree._Element]]:
    """:func:`_text_stream` of ``root``, and its elements of :func:`structure_elements`.

    The stylesheet runs first: its result (as large as the text) is freed before the elements'
    proxies are made, so that they do not add up in the peak memory of a load.
    """
    stylesheet = getattr(_compiled, "stream", None)
    if stylesheet is None:
        stylesheet = _compiled.stream = etree.XSLT(etree.XML(_STREAM_XSLT.encode()),
                                                   access_control=etree.XSLTAccessControl.DENY_ALL)
    marked_tags, structure_tags = _TAGS_FOR[_tag_patterns(root)]
    try:
        data = bytes(stylesheet(root))
    except etree.XSLTError:
        return None, list(root.iter(*structure_tags))
    elements = list(root.iter(*marked_tags))
    found = list(root.iter(*structure_tags))  # structure_elements()
    skipped = [el for el in found if el.tag in _SKIPPED_TAG_NAMES]
    if skipped:  # left out with everything they hold
        hidden = {el for element in skipped for el in element.iter(*marked_tags)}
        if hidden:
            elements = [el for el in elements if el not in hidden]
    pieces = data.split(_MARK_BYTES)
    # every mark is the stylesheet's (none in the text) when there are exactly as many as it wrote
    breaks = 2 * int(_FOREIGN_BREAKS_COUNT(root)) if _BREAK in pieces else 0
    if len(pieces) - 1 != 2 * (2 * len(elements) + breaks):
        return None, found
    if len(data) > _TRIM_ABOVE:
        del data
        _release_freed_memory()  # the stylesheet's result and the stream's bytes, each as large as the text
    return (pieces, elements), found


def search_texts(unit: UnitText) -> Iterator[tuple[str, int, NoteText | None, str]]:
    """The search units of ``unit`` as :func:`teikit.query.corpus.units_of` gives them from its Document
    (the same rule, without the model): ``("text", page, None, text)`` for each page with text, then
    ``("note", page of its anchor, note, text)`` for each note with text (``page`` an index into
    :attr:`UnitText.pages`)."""
    for page in range(len(unit.pages)):
        text = unit.page_text(page)
        if text:
            yield "text", page, None, text
    for note in unit.notes:
        text = note.text
        if text:
            yield "note", note.page, note, text


def walk(root: etree._Element, documents: list[etree._Element] | None = None, *,
         passages: bool = True) -> list[UnitText]:
    """Walk ``root`` once; return the units of text (documents and text outside them) in it.

    ``passages=False``: most passages of documents are not recorded (no :class:`PassageText`,
    notes without their passage), for a reader of page and note texts only, which are the same.
    """
    stream, found = _stream_and_elements(root)
    documents = documents if documents is not None else document_elements(root, found)
    return _Walker(root, documents, found, passages).run(root, stream)


def _inline_only(element: etree._Element) -> bool:
    """Whether every node inside ``element`` is text or a TEI element the walk only takes the
    text of (no comment, no element it acts on, none of another vocabulary)."""
    for node in element.iterdescendants():
        tag = node.tag
        if not isinstance(tag, str) or tei_name(tag) in _ACTIVE or not tei_name(tag):
            return False
    return True


def passage_text(element: etree._Element) -> str:
    """The text :func:`walk` gives ``element``, a passage (``<head>`` ...) that is a child of a
    document, read without walking the rest of the document.

    A passage's text is its own pieces (its notes kept apart), so it does not depend on what
    is around it.  A copy of ``element`` alone in a document is read node by node: for a few
    nodes this is several times faster than a call of the text stream's stylesheet.  The
    copy leaves out its notes (their tails stay), whose text is not the passage's, unless a
    page break is in it (one ending a note with ``break="no"`` would join the words around it).
    """
    alone = copy.deepcopy(element)
    alone.tail = None
    if next(alone.iter(*PAGE_BREAK_TAGS), None) is None:
        etree.strip_elements(alone, *_NOTE_TAGS, with_tail=False)
    if _inline_only(alone):  # (a heading, its notes left out): the walk would only join and clean its text
        return clean_text(["".join(alone.itertext())] if len(alone) else [alone.text or ""])
    holder = etree.Element(f"{_TEI}div", type="document")
    holder.append(alone)
    walker = _Walker(holder, [holder])
    walker.visit_nodes(holder)
    passages = walker.finish(holder)[0].passages
    return next((p.text for p in passages if p.element is alone), "")
