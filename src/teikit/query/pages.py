"""One linear walk over a TEI tree that splits its text into pages and notes.

The walk visits every node once, in document order, and appends each piece of
text to the buffers that are open at that moment: the page the text is on, the
passage (``<p>``, ``<item>``, ``<head>`` ...) it belongs to, the ``<ref>`` and
the ``<note>`` around it.  Page, note and passage texts are therefore built in
time linear in the size of the file; nothing is searched with XPath.

Rules (documented in the README):

* ``<pb>`` is a milestone: a page's text is everything after one ``<pb>`` and
  before the next, in document order, across paragraph boundaries.  A ``<pb>``
  inside a note also starts the new page for the text after it.
* Note text is kept apart from the main text.  A note records the page its
  anchor is on and, per page, the part of its text printed there (a note
  containing a ``<pb>`` continues on the next page).
* A word broken by ``<pb break="no"/>`` counts whole on the page where it begins.
* Text before the first ``<pb>`` of a document: when that ``<pb>`` is numbered 1
  or not numbered at all, pages restart in each document and the text is on that
  first page; otherwise the text is on the page current in the file at that
  point (the previous ``<pb>``), or, in a file that starts there, on the page
  before it (``n - 1``, marked ``inferred``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from lxml import etree

from ..xmlio import TEI_NS, XML_ID

_TEI = f"{{{TEI_NS}}}"
_WORD = re.compile(r"\S*")
_BLOCK = "\x00"  # marks a block boundary among text pieces; cannot occur in XML text

#: elements whose text starts on a line of its own
BLOCKS = frozenset({
    "head", "p", "item", "list", "dateline", "closer", "opener", "signed", "salute",
    "table", "row", "cell", "lg", "l", "ab", "byline", "trailer", "postscript",
    "docAuthor", "quote", "label", "lb", "figure", "argument", "epigraph", "div",
})
#: block elements whose text is kept as a passage (a unit a note or a hit can point to)
PASSAGES = frozenset({
    "head", "p", "item", "dateline", "signed", "salute", "cell", "l", "ab", "byline",
    "trailer", "label", "docAuthor",
})
#: elements whose content is never text of the document
SKIPPED = frozenset({"teiHeader", "facsimile", "standOff"})


def local_name(tag: str) -> str:
    """``{ns}p`` -> ``p``."""
    return tag[len(_TEI):] if tag.startswith(_TEI) else tag.rpartition("}")[2]


def clean_text(parts: list[str]) -> str:
    """Join text pieces: whitespace collapsed inside blocks, one line per block."""
    lines = (" ".join(line.split()) for line in "".join(parts).split(_BLOCK))
    return "\n".join(line for line in lines if line)


@dataclass
class PageMark:
    """A page as the walk found it: its number and the id of its ``<pb>``."""

    n: Optional[str]
    xml_id: Optional[str]
    inferred: bool = False  # no <pb> for it in this file: n - 1 of the first <pb>


@dataclass
class NoteText:
    element: etree._Element
    page: int  # index into DocumentText.pages of the page the anchor is on
    passage: Optional["PassageText"]  # the passage the note is anchored in
    context: str  # text of that passage up to the anchor
    parts: dict[int, list[str]] = field(default_factory=dict)  # page index -> text pieces
    text: str = ""
    page_texts: dict[int, str] = field(default_factory=dict)


@dataclass
class PassageText:
    element: etree._Element
    kind: str  # local name: p, item, head ...
    page: int
    in_note: Optional[NoteText]
    parts: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class RefText:
    element: etree._Element
    page: int
    in_note: Optional[NoteText]
    parts: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class DocumentText:
    """Everything the walk learnt about one ``<div type="document">``."""

    element: etree._Element
    pages: list[PageMark] = field(default_factory=list)
    page_parts: dict[int, list[str]] = field(default_factory=dict)
    page_texts: list[str] = field(default_factory=list)
    notes: list[NoteText] = field(default_factory=list)
    passages: list[PassageText] = field(default_factory=list)
    refs: list[RefText] = field(default_factory=list)
    element_pages: dict[etree._Element, int] = field(default_factory=dict)
    text: str = ""  # the whole main text (a paragraph crossing a page break stays one line)


class _Layer:
    """Main text, or the text of one note: where text pieces go."""

    __slots__ = ("pages", "captures", "note")

    def __init__(self, pages: dict[int, list[str]], note: Optional[NoteText]):
        self.pages = pages
        self.captures: list[PassageText | RefText] = []  # open passages and refs, outermost first
        self.note = note


def document_elements(root: etree._Element) -> list[etree._Element]:
    """The outermost ``<div type="document">`` elements; else the ``<text>`` (or the root)."""
    docs = []
    for div in root.iter(f"{_TEI}div", "div"):
        if div.get("type") != "document":
            continue
        ancestor = div.getparent()
        nested = False
        while ancestor is not None:
            if ancestor.get("type") == "document" and local_name(ancestor.tag) == "div":
                nested = True
                break
            ancestor = ancestor.getparent()
        if not nested:
            docs.append(div)
    if docs:
        return docs
    text = root.find(f".//{_TEI}text")
    return [text if text is not None else root]


def _int(value: Optional[str]) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Walker:
    def __init__(self, documents: list[etree._Element]):
        self.starts = {id(el): el for el in documents}
        self.result: list[DocumentText] = []
        self.doc: Optional[DocumentText] = None
        self.current: Optional[PageMark] = None  # last <pb> seen anywhere in the file
        self.page = 0  # index of the current page in self.doc.pages
        self.layers: list[_Layer] = []
        self.join_word_page: Optional[int] = None  # set after <pb break="no"/>
        self.first_pb: Optional[etree._Element] = None

    # -- text ---------------------------------------------------------------
    def emit(self, text: str) -> None:
        if self.doc is None or not text:
            return
        if self.join_word_page is not None:
            text = text.lstrip()
            if not text:
                return
            word = _WORD.match(text).group()
            self._append(word, self.join_word_page)
            self.join_word_page = None
            text = text[len(word):]
            if not text:
                return
        self._append(text, self.page)

    def _append(self, text: str, page: int) -> None:
        layer = self.layers[-1]
        for capture in layer.captures:
            capture.parts.append(text)
        bucket = layer.pages.get(page)
        if bucket is None:
            bucket = layer.pages[page] = []
        bucket.append(text)

    def newline(self) -> None:
        if self.doc is not None:
            self._append(_BLOCK, self.page)

    # -- pages --------------------------------------------------------------
    def page_break(self, el: etree._Element) -> None:
        mark = PageMark(el.get("n"), el.get(XML_ID))
        same = el is self.first_pb or (
            self.current is not None and mark.n is not None and mark.n == self.current.n
        )
        if not same:
            self.current = mark
        if self.doc is None:
            return
        if el.get("break") == "no":
            self.join_word_page = self.page
            for capture in self.layers[-1].captures:
                if capture.parts:
                    capture.parts[-1] = capture.parts[-1].rstrip()
            bucket = self.layers[-1].pages.get(self.page)
            if bucket:
                bucket[-1] = bucket[-1].rstrip()
        if not same:
            self.doc.pages.append(self.current)
            self.page = len(self.doc.pages) - 1
        self.doc.element_pages[el] = self.page

    def begin_document(self, el: etree._Element) -> None:
        self.doc = DocumentText(el)
        first = next(el.iter(f"{_TEI}pb", "pb"), None)
        self.first_pb = None
        first_n = _int(first.get("n")) if first is not None else None
        if first is not None and (first_n is None or first_n <= 1):
            # pages restart in each document: text before the first <pb> is on that page
            self.current = PageMark(first.get("n"), first.get(XML_ID))
            self.doc.pages.append(self.current)
            self.first_pb = first  # already counted: its <pb> does not start another page
        elif self.current is not None:
            self.doc.pages.append(self.current)
        elif first_n is not None:
            self.current = PageMark(str(first_n - 1), None, inferred=True)
            self.doc.pages.append(self.current)
        else:
            self.doc.pages.append(PageMark(None, None, inferred=True))
        self.page = 0
        self.layers = [_Layer(self.doc.page_parts, None)]

    def end_document(self) -> None:
        doc = self.doc
        assert doc is not None
        doc.page_texts = [clean_text(doc.page_parts.get(i, [])) for i in range(len(doc.pages))]
        doc.text = clean_text([p for i in sorted(doc.page_parts) for p in doc.page_parts[i]])
        doc.page_parts = {}
        for note in doc.notes:
            note.page_texts = {i: clean_text(parts) for i, parts in note.parts.items()}
            note.text = clean_text([p for i in sorted(note.parts) for p in note.parts[i]])
            note.parts = {}
        for item in doc.passages:
            item.text = clean_text(item.parts)
            item.parts = []
        for ref in doc.refs:
            ref.text = clean_text(ref.parts)
            ref.parts = []
        self.result.append(doc)
        self.doc = None
        self.layers = []
        self.join_word_page = None

    # -- the walk -------------------------------------------------------------
    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction
            return
        name = local_name(tag)
        if name in SKIPPED:
            return
        if name == "pb":
            self.page_break(el)
            return
        starts_document = self.doc is None and id(el) in self.starts
        if starts_document:
            self.begin_document(el)
        if self.doc is None:
            self._children(el)
            return
        if name == "note":
            self._note(el)
            return
        block = name in BLOCKS
        if block:
            self.newline()
        captured = False
        if name in PASSAGES or name == "ref":
            layer = self.layers[-1]
            record: PassageText | RefText
            if name == "ref":
                record = RefText(el, self.page, layer.note)
                self.doc.refs.append(record)
            else:
                record = PassageText(el, name, self.page, layer.note)
                self.doc.passages.append(record)
            self.doc.element_pages[el] = self.page
            layer.captures.append(record)
            captured = True
        self._children(el)
        if captured:
            self.layers[-1].captures.pop()
        if block:
            self.newline()
        if starts_document:
            self.end_document()

    def _children(self, el: etree._Element) -> None:
        if el.text:
            self.emit(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.emit(child.tail)

    def _note(self, el: etree._Element) -> None:
        doc = self.doc
        assert doc is not None
        outer = self.layers[-1]
        passage = None
        context = ""
        for item in reversed(outer.captures):  # innermost open passage around the anchor
            if isinstance(item, PassageText):
                passage = item
                context = " ".join("".join(item.parts).replace(_BLOCK, " ").split())
                break
        note = NoteText(el, self.page, passage, context)
        doc.notes.append(note)
        doc.element_pages[el] = self.page
        self.layers.append(_Layer(note.parts, note))
        self._children(el)
        self.layers.pop()


def walk(root: etree._Element, documents: Optional[list[etree._Element]] = None) -> list[DocumentText]:
    """Walk ``root`` once; return page, note, passage and ref texts of each document in it."""
    walker = _Walker(documents if documents is not None else document_elements(root))
    walker.walk(root)
    return walker.result
