"""A TEI file as a :class:`Document`: metadata, paragraphs, notes, pages and refs.

:func:`load` parses a file once (through teikit's safe parser), walks it once
(:mod:`teikit.query.pages`) and builds plain objects with dictionaries for
lookups, so every question asked afterwards is a dictionary or list access.

A file holding several documents (a FRUS volume, a ``teiCorpus``), or text
outside its documents (front matter, chapter headings), is a *volume*:
iterating over it yields one :class:`Document` per document, :attr:`Document.units`
adds the text outside documents as units of their own (``kind`` ``front``,
``body``, ``back`` ...), and ``notes``, ``pages``, ``paragraphs`` and ``text()``
of the volume cover all units.  Iterating over a single document yields the
document itself, so ``for doc in teikit.load(path)`` works for both.
See :mod:`teikit.query.pages` for the rules that find documents and pages.
"""
from __future__ import annotations

import contextlib
import gc
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, NamedTuple, Protocol, TypeAlias

from lxml import etree

import warnings

from ..errors import InputError, TeikitKeyError, check_type
from ..ns import missing_prefix_hint
from ..xmlio import NSMAP, TEI_NS, XML_ID, parse_xml, tei
from . import display, drama, frus
from .pages import (PAGE_BREAK_TAGS, SKIPPED_TAGS, NoteText, PassageText, UnitText, document_elements, local_name,
                    passage_text, walk)

#: the printed number opening a document heading ("186. Telegram …"), shared by the site and html export
HEADING_NUMBER = re.compile(r"^\s*\d+[A-Za-z]?\.\s+")
#: a page number that already says it is one ("p.208", "pp. 3-4"): cited as written
_PAGE_PREFIX = re.compile(r"^(?:pp?|pg|pages?)\b\.?", re.IGNORECASE)
#: root elements of TEI files written without the TEI namespace (P4 and older)
_TEI_ROOTS_WITHOUT_NAMESPACE = frozenset({"TEI", "TEI.2", "teiCorpus", "teiCorpus.2"})
_CLASSIFICATION = {
    "top secret", "secret", "confidential", "unclassified", "restricted", "official use only",
    "limited official use", "sensitive", "eyes only", "exclusively eyes only", "exclusive",
    "flash", "immediate", "priority", "niact", "nodis", "exdis", "limdis", "routine",
    "operational immediate", "personal and confidential",
}


# -- public records ---------------------------------------------------------------

class Page:
    """A page of a document: the text between one ``<pb>`` and the next.

    >>> page = teikit.load("tei/000_7077ceb38f60db2d.xml").pages[0]   # doctest: +SKIP
    >>> page.n, page.key, page.cite(document=True)                   # doctest: +SKIP
    ('282', 'pb0', 'Document 59, p. 282')

    ``n`` is the page number as written (``None`` for an unnumbered page), ``id`` the
    ``xml:id`` of its ``<pb>``, ``position`` the ordinal of the ``<pb>`` in the file
    (0 for the leading page before the first ``<pb>``, ``inferred``; see
    :mod:`teikit.query.pages`).  ``key`` names the page even when ``n`` repeats or
    is missing.  ``text`` excludes notes; ``notes`` are the notes anchored on this
    page; ``footnotes`` the note text printed on this page.  The texts are joined from
    the walk's pieces when first read.
    """

    __slots__ = ("n", "id", "document_id", "document_number", "inferred", "position", "_notes",
                 "_text", "_source", "_index", "_footnotes", "_later", "__weakref__")

    def __init__(self, n: str | None, id: str | None, text: "str | UnitText | list[Page]",
                 document_id: str | None, document_number: str | None, inferred: bool = False,
                 position: int = 0, notes: list["Note"] | None = None,
                 footnotes: list[tuple["Note", str | int]] | None = None, index: int = 0,
                 later: "_Deferred | None" = None):
        self.n = n
        self.id = id
        # the text, or where it is joined from on first use: page ``index`` of a unit, or the pages
        # of the units that share this page of a volume (one line each)
        self._text: str | None = text if isinstance(text, str) else None
        self._source: UnitText | list[Page] | None = None if isinstance(text, str) else text
        self._index = index
        self.document_id = document_id
        self.document_number = document_number
        self.inferred = inferred
        self.position = position
        # lists made when first needed: most pages of a volume have no note (one list less per page)
        self._notes = notes
        # (note, its text on this page, or the index of this page among the pages of the note's unit)
        self._footnotes = footnotes
        # what gives the pages of a unit their notes and footnotes when one of them is first asked for
        self._later = later

    def _place_notes(self) -> None:
        """Make sure this page's notes and footnotes are in place."""
        if self._later is not None:
            self._later.place_notes()

    @property
    def notes(self) -> list["Note"]:
        self._place_notes()
        if self._notes is None:
            self._notes = []
        return self._notes

    @property
    def text(self) -> str:
        if self._text is None:
            source = self._source
            if isinstance(source, list):
                self._text = "\n".join(t for t in (page.text for page in source) if t)
            else:
                assert source is not None
                self._text = source.page_text(self._index)
            self._source = None
        return self._text

    @property
    def footnotes(self) -> list[tuple["Note", str]]:
        """``(note, the part of its text printed on this page)`` for each note printed here."""
        self._place_notes()
        joined = [(note, text if isinstance(text, str) else note._source.page_text(text))
                  for note, text in self._footnotes or ()]
        self._footnotes = joined  # type: ignore[assignment]
        return list(joined)

    def _add_footnotes(self, footnotes: list[tuple["Note", str | int]]) -> None:
        if self._footnotes is None:
            self._footnotes = []
        self._footnotes.extend(footnotes)

    def _add_footnote(self, note: "Note", page: int) -> None:
        """Add ``note``, printed on this page, which is page ``page`` of its unit."""
        if self._footnotes is None:
            self._footnotes = [(note, page)]
        else:
            self._footnotes.append((note, page))

    @property
    def text_with_notes(self) -> str:
        """The page text followed by its footnotes, one ``N. text`` line each."""
        lines = [self.text] if self.text else []
        lines += [f"{note.n}. {text}" if note.n else text for note, text in self.footnotes if text]
        return "\n".join(lines)

    def cite(self, document: bool = False) -> str:
        """``"p. 283"``; with ``document=True`` ``"Document 58, p. 283"``."""
        return _citation(self.document_number if document else None, self.n, self.key)

    @property
    def key(self) -> str:
        """The page's ``xml:id``, else ``pb`` and its position (``pb12``; ``pb0`` for the leading page)."""
        return self.id or f"pb{self.position}"

    def __repr__(self) -> str:
        return f"<Page {self.n} ({self.key}) of {self.document_id}>"

    def _repr_html_(self) -> str:
        return display.page_html(self)


class Note:
    """A ``<note>``: number, id, type, text and where it is anchored.

    >>> note = teikit.load("tei/000_7077ceb38f60db2d.xml").note("1")   # doctest: +SKIP
    >>> note.id, note.page.n, note.cite()                             # doctest: +SKIP
    ('d59fn1', '282', 'Document 59, p. 282, note 1')

    ``passage`` is the text (notes removed) of the paragraph, list item or heading
    holding the note's anchor; ``context`` that text up to the anchor.  ``page`` is
    the page the anchor is on; ``pages`` every page the note's text is printed on.
    ``text`` and ``passage`` are joined from the walk's pieces when first read.
    """

    __slots__ = ("n", "id", "type", "_source", "page", "_pages", "_unit_pages", "document_id",
                 "document_number", "element", "__weakref__")

    def __init__(self, *, n: str | None, id: str | None, type: str | None, source: NoteText,
                 page: Page, unit_pages: list[Page], document_id: str | None, document_number: str | None,
                 element: etree._Element):
        self.n = n
        self.id = id
        self.type = type
        self._source = source
        self.page = page
        self._pages: list[Page] | None = None  # made when first asked for
        self._unit_pages = unit_pages  # the pages of the note's unit, that ``pages`` is picked from
        self.document_id = document_id
        self.document_number = document_number
        self.element = element

    @property
    def text(self) -> str:
        return self._source.text

    @property
    def pages(self) -> list[Page]:
        if self._pages is None:
            unit_pages = self._unit_pages
            self._pages = [unit_pages[i] for i in sorted(self._source.parts)] or [self.page]
        return self._pages

    @property
    def passage(self) -> str:
        return self._source.passage.text if self._source.passage is not None else ""

    @property
    def context(self) -> str:
        return self._source.context

    def __repr__(self) -> str:
        return f"<Note {self.n} ({self.id}) of {self.document_id}, p. {self.page.n}>"

    def _repr_html_(self) -> str:
        return display.note_html(self)

    def cite(self, document: bool = True) -> str:
        """``"Document 186, p. 405, note 3"`` (or ``"p. 405, note 3"``)."""
        base = self.page.cite(document=document)
        return f"{base}, note {self.n}" if self.n else base


class Paragraph:
    """A passage of main text (``p``, ``item``, ``head`` ...; never inside a note).

    >>> teikit.load("tei/000_7077ceb38f60db2d.xml").paragraphs[0].kind   # doctest: +SKIP
    'head'

    ``text`` is joined from the walk's pieces when first read.
    """

    __slots__ = ("kind", "_source", "page", "document_id")

    def __init__(self, source: PassageText, page: Page, document_id: str | None):
        self.kind = source.kind
        self._source = source
        self.page = page
        self.document_id = document_id

    @property
    def text(self) -> str:
        return self._source.text

    @property
    def element(self) -> etree._Element:
        return self._source.element

    @property
    def id(self) -> str | None:
        return self._source.element.get(XML_ID)

    def __repr__(self) -> str:
        return f"<Paragraph {self.kind} of {self.document_id}, p. {self.page.n}: {self.text[:40]!r}>"


@dataclass(eq=False)
class Ref:
    """A ``<ref>``: its target as written, its text, and where it is.

    >>> ref = teikit.load("tei/000_7077ceb38f60db2d.xml").refs[0]   # doctest: +SKIP
    >>> ref.target, ref.internal, ref.target_id                    # doctest: +SKIP
    ('#d58fn2', True, 'd58fn2')

    ``internal`` targets start with ``#`` (``#d58``, ``#d58fn2``) and are resolved
    with :meth:`Document.resolve` or :meth:`teikit.Corpus.resolve`; other targets
    (``frus1952-54v12p1``) are external and kept as they are.
    """

    target: str
    text: str
    page: Page
    note: Note | None
    document_id: str | None
    document_number: str | None
    volume: str | None
    element: etree._Element = field(repr=False)

    def __repr__(self) -> str:
        return f"<Ref {self.target} in {self.document_id}, p. {self.page.n}: {self.text!r}>"

    @property
    def internal(self) -> bool:
        return self.target.startswith("#")

    @property
    def target_id(self) -> str | None:
        """The id pointed at (``d58fn2`` for ``#d58fn2``), ``None`` for an external target."""
        return self.target[1:] if self.internal else None

    def cite(self) -> str:
        base = self.page.cite(document=True)
        return f"{base}, note {self.note.n}" if self.note is not None and self.note.n else base


@dataclass
class Metadata:
    """Header metadata: from the ``teiHeader`` when present, else the source note and dateline.

    >>> teikit.load("tei/000_7077ceb38f60db2d.xml").metadata.classification   # doctest: +SKIP
    ['Top Secret', 'Flash', 'Sensitive', 'Exclusively Eyes Only']
    """

    title: str | None = None
    source: str | None = None
    repository: str | None = None
    classification: list[str] = field(default_factory=list)
    date: str | None = None  # the @when of the date, ISO 8601
    date_text: str | None = None
    place: str | None = None  # the placeName's text, without the comma a dateline sets after it


def page_label(n: str | None, key: str | None = None) -> str:
    """``p. 283``; ``p.208`` as written; ``unnumbered page (pb12)`` for a page without ``n``."""
    if n is None:
        return f"unnumbered page ({key})" if label_names_key(n, key) else "unnumbered page"
    return n if _PAGE_PREFIX.match(n) else f"p. {n}"


def label_names_key(n: str | None, key: str | None) -> bool:
    """Whether :func:`page_label` names the page's key: an unnumbered page's, bar the leading page's."""
    return n is None and bool(key) and key != "pb0"


def _citation(number: str | None, page: str | None, key: str | None = None) -> str:
    parts = []
    if number:
        parts.append(f"Document {number}")
    parts.append(page_label(page, key))
    return ", ".join(parts)


# -- the document ---------------------------------------------------------------------

class Document(display.Frames):
    """One TEI document, or a volume of documents (see :attr:`documents`); made by :func:`teikit.load`.

    Attributes: ``id`` (xml:id), ``number`` (as printed, ``"59"``), ``volume``, ``heading``,
    ``title``, ``metadata`` (:class:`Metadata`), ``paragraphs``, ``notes`` (:class:`Note`),
    ``pages`` (:class:`Page`), ``refs`` (:class:`Ref`), ``element`` (the lxml element),
    ``path``; ``documents`` and ``units`` for a volume.  Lookups: :meth:`note`, :meth:`page`,
    :meth:`document`, :meth:`get`, :meth:`resolve`; :meth:`text`, :meth:`xpath`, :meth:`cite`.

    >>> doc = teikit.load("tei/000_7077ceb38f60db2d.xml")   # doctest: +SKIP
    >>> doc.id, doc.number, len(doc.notes), doc.note("1").cite()   # doctest: +SKIP
    ('d59', '59', 3, 'Document 59, p. 282, note 1')
    """

    def __init__(self, *, element: etree._Element, path: Path | None, doc_id: str | None,
                 number: str | None, volume: str | None, later: "_Later", notes: list[Note],
                 pages: list[Page] | None, refs: list[Ref], documents: list["Document"] | None = None,
                 kind: str = "document", units: list["Document"] | None = None):
        self.element = element
        self.kind = kind
        self._units = units
        self.path = path
        self.id = doc_id
        self.number = number
        self.volume = volume
        # what makes heading and metadata, paragraphs, the element pages and the text when first asked for
        # (one object per document rather than a bound method per item)
        self._later = later
        self._description: tuple[str, Metadata] | None = None
        self._paragraphs: list[Paragraph] | None = None
        self.notes = notes
        self._pages = pages  # a volume's are made when first asked for
        self.refs = refs
        self._element_pages_table: dict[etree._Element, Page] | None = None
        self._documents = documents
        self._main_text: str | None = None
        self._ids: dict[str, Any] | None = None
        self._pages_by_key: dict[str, Page] | None = None
        self._documents_by_key: dict[str, Document] | None = None

    @property
    def heading(self) -> str:
        """The text of the document's ``<head>`` (``""`` without one)."""
        return self._describe()[0]

    @property
    def metadata(self) -> Metadata:
        return self._describe()[1]

    def _describe(self) -> tuple[str, Metadata]:
        """Heading and metadata, read from the tree when first asked for."""
        if self._description is None:
            self._description = self._later.describe()
        return self._description

    @property
    def pages(self) -> list[Page]:
        if self._pages is None:
            self._pages = self._later.all_pages()
        return self._pages

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Passages of main text (``p``, ``item``, ``head`` ...), made when first asked for."""
        if self._paragraphs is None:
            self._paragraphs = self._later.paragraphs()
        return self._paragraphs

    @property
    def _element_pages(self) -> dict[etree._Element, Page]:
        """The page each element the walk recorded starts on, made when first asked for."""
        if self._element_pages_table is None:
            self._element_pages_table = self._later.element_pages()
        return self._element_pages_table

    # identity ------------------------------------------------------------------------
    @property
    def title(self) -> str | None:
        """The header title, else the heading without its number."""
        return self.metadata.title

    @property
    def is_volume(self) -> bool:
        return self._documents is not None

    @property
    def documents(self) -> list["Document"]:
        """The documents of a volume file; ``[self]`` for a single document."""
        return list(self._documents) if self._documents is not None else [self]

    @property
    def units(self) -> list["Document"]:
        """Documents and the text outside them (front matter ...), in file order; ``[self]`` for one document."""
        return list(self._units) if self._units is not None else self.documents

    @property
    def is_document(self) -> bool:
        """False for a unit of text outside documents (front or back matter, chapter headings)."""
        return self.kind == "document"

    # plays (:mod:`teikit.query.drama`) ------------------------------------------------------
    @property
    def speeches(self) -> list[drama.Speech]:
        """The speeches (``<sp>``) of this document, in order: who, speaker, text, act or scene
        (``[]`` in a text that is not a play); a unit of text outside documents has its own only."""
        if self.is_document or self.is_volume:
            return drama.speeches(self.element)
        return drama.speeches(self.element, frozenset(document_elements(self.element.getroottree().getroot())))

    @property
    def cast(self) -> list[drama.Role]:
        """The people of the play: its file's ``particDesc`` people, else its ``castList`` roles."""
        return drama.cast(self.element)

    def __iter__(self) -> Iterator["Document"]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self._documents) if self._documents is not None else 1

    def __repr__(self) -> str:
        kind = f"volume of {len(self)} documents" if self.is_volume else f"Document {self.number}"
        return f"<{type(self).__name__} {self.id!r}: {kind}>"

    # notebooks (DataFrames: :class:`teikit.query.display.Frames`, they need pandas) ------
    def _repr_html_(self) -> str:
        return display.document_html(self)

    # text ---------------------------------------------------------------------------------
    def text(self, notes: bool = False) -> str:
        """Plain text, one line per paragraph; ``notes=True`` appends ``N. text`` footnote lines."""
        if self._documents is not None:
            return "\n\n".join(t for t in (unit.text(notes=notes) for unit in self.units) if t)
        if self._main_text is None:  # joined when first asked for
            self._main_text = self._later.text()
        body = self._main_text
        if not notes or not self.notes:
            return body
        return body + "\n\n" + "\n".join(f"{n.n}. {n.text}" if n.n else n.text for n in self.notes)

    def xpath(self, expression: str, **variables: Any) -> Any:
        """Evaluate XPath with the ``tei:`` prefix bound, relative to this document's element.

        An expression that finds nothing and names elements without a prefix
        (``//note``: no element outside a namespace) warns with the prefixed form.

        >>> doc.xpath("count(//tei:note)")   # doctest: +SKIP
        3.0
        """
        try:
            found = self.element.xpath(expression, namespaces=NSMAP, **variables)
        except etree.XPathError as exc:
            raise InputError(f"invalid XPath {expression!r}: {exc}",
                             path=str(self.path) if self.path else None) from None
        if isinstance(found, list) and not found:
            hint = missing_prefix_hint(expression)
            if hint:
                warnings.warn(hint, UserWarning, stacklevel=2)
        return found

    @property
    def _path_str(self) -> str | None:
        return str(self.path) if self.path else None

    # lookups ------------------------------------------------------------------------------
    def page(self, key: str | int) -> Page:
        """The page whose ``<pb>`` has the xml:id or :attr:`Page.key` ``key``, else the first numbered ``key``."""
        if self._pages_by_key is None:
            table: dict[str, Page] = {}
            for page in self.pages:
                if page.n is not None:
                    table.setdefault(page.n, page)
            for page in self.pages:
                table[page.key] = page
            self._pages_by_key = table
        try:
            return self._pages_by_key[str(key)]
        except KeyError:
            raise TeikitKeyError(f"no page {key!r} in {self.id}", path=self._path_str) from None

    def note(self, key: str | int) -> Note:
        """The note whose xml:id is ``key``, or (in a single document) whose number is ``key``."""
        found = self.get(str(key))
        if isinstance(found, Note):
            return found
        if self._documents is None:
            for note in self.notes:
                if note.n == str(key):
                    return note
        raise TeikitKeyError(f"no note {key!r} in {self.id}", path=self._path_str)

    def get(self, xml_id: str, default: Any = None) -> Any:
        """The Document, Note, Page, Paragraph or Ref with this xml:id."""
        if self._ids is None:
            table: dict[str, Any] = {}
            for doc in self.units:
                if doc.id:
                    table.setdefault(doc.id, doc)
            items: list[Page | Note | Paragraph] = [*self.pages, *self.notes, *self.paragraphs]
            for item in items:
                if item.id:
                    table.setdefault(item.id, item)
            self._ids = table
        return self._ids.get(xml_id.lstrip("#"), default)

    def document(self, key: str) -> "Document":
        """The document with this xml:id or number (``"d58"`` or ``"58"``)."""
        if self._documents_by_key is None:
            table: dict[str, Document] = {}
            for doc in self.documents:
                for name in (doc.id, doc.number):
                    if name is not None:
                        table.setdefault(name, doc)
            self._documents_by_key = table
        try:
            return self._documents_by_key[key]
        except KeyError:
            raise TeikitKeyError(f"no document {key!r} in {self.id}", path=self._path_str) from None

    def resolve(self, ref: Ref | str) -> Any:
        """The object in this file a ``#id`` target points to, else ``None``."""
        target = ref.target if isinstance(ref, Ref) else ref
        if not target.startswith("#"):
            return None
        return self.get(target[1:])

    def page_of(self, item: Note | Paragraph | Ref | Page | etree._Element) -> Page | None:
        """The page a note's anchor, a passage, a ref or any element of this file starts on."""
        if isinstance(item, Page):
            return item
        if isinstance(item, (Note, Paragraph, Ref)):
            return item.page
        page = self._element_pages.get(item)
        if page is not None:
            return page
        # an element the walk did not record: start from the nearest recorded ancestor
        # and follow the <pb>s inside it up to the element (linear in that ancestor's size)
        ancestor = item.getparent()
        while ancestor is not None and ancestor not in self._element_pages:
            ancestor = ancestor.getparent()
        if ancestor is None:  # a container the walk only recorded the inside of (an <sp>, a <div>)
            return self._page_before_first_inside(item)
        page = self._element_pages[ancestor]
        for node in ancestor.iter():
            if node is item:
                break
            if node in self._element_pages and local_name(str(node.tag)) == "pb":
                page = self._element_pages[node]
        return page

    def _page_before_first_inside(self, item: etree._Element) -> Page | None:
        """The page an element starts on, from the first element inside it the walk recorded: that
        element's page, or the one before when it is a ``<pb>`` (the element began before it)."""
        for node in item.iter():
            page = self._element_pages.get(node)
            if page is None:
                continue
            if local_name(str(node.tag)) != "pb":
                return page
            pages = self.pages
            position = next((i for i, p in enumerate(pages) if p is page), 0)
            return pages[position - 1] if position > 0 else None
        return None

    def cite(self, item: Note | Paragraph | Ref | Page | etree._Element) -> str:
        """``"Document 58, p. 283"`` for anything :meth:`page_of` accepts."""
        if isinstance(item, (Note, Ref)):
            return item.cite()
        page = self.page_of(item)
        if page is None:
            return f"Document {self.number}" if self.number else str(self.id)
        return page.cite(document=True)


# -- building ------------------------------------------------------------------------------

#: what :func:`load` reads: a path, XML text or bytes, a binary file object, a parsed lxml tree
LoadSource: TypeAlias = str | os.PathLike[str] | bytes | IO[bytes] | etree._ElementTree | etree._Element


def load(source: LoadSource) -> Document:
    """Read any TEI (a document, a whole volume, a ``teiCorpus``, a bare ``<div>``) into a Document.

    ``source`` is a path, XML text (a string starting with ``<``), XML bytes, a
    file object opened in binary mode, or an lxml tree or element.

    Raises :class:`~teikit.InputError` (``file:line: message``) when the input
    cannot be read, is not well-formed XML or is not TEI, and ``TypeError`` for
    any other kind of ``source``.

    >>> doc = teikit.load('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Hi</p></body></text></TEI>')
    >>> doc.text()
    'Hi'
    """
    if isinstance(source, (etree._ElementTree, etree._Element)):
        return from_tree(source)
    if isinstance(source, bytes):
        return from_tree(parse_xml(source, name="<bytes>"))
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        return from_tree(parse_xml(source.encode("utf-8"), name="<string>"))
    if hasattr(source, "read"):
        data = source.read()
        check_type("load(file object).read()", data, bytes, "open the file in binary mode ('rb')")
        return from_tree(parse_xml(data, name=str(getattr(source, "name", "<file>"))))
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"load() takes a path, XML text or bytes, a binary file object or an lxml tree, "
                        f"not {type(source).__name__}")
    path = Path(source)
    return _model(read_tei(path).getroot(), path)  # read_tei has checked that it is TEI


def read_tei(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Parse a TEI file without building its model: the checks of :func:`load`, for a command
    that only needs to know the file is well-formed TEI (a bag) or needs the tree alone."""
    path = path if isinstance(path, Path) else Path(path)  # a Path made again is parsed again
    try:
        tree = parse_xml(path)  # from the file: no copy of its bytes beside the tree
    except InputError:
        try:  # the system's reason (no such file, permission denied) rather than libxml2's
            with open(path, "rb"):
                pass
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
        raise
    require_tei(tree.getroot(), path)
    return tree


def require_tei(root: etree._Element, path: Path | None) -> None:
    """Refuse XML that is not TEI: a root outside the TEI namespace (bar P4's namespace-less roots)."""
    tag = root.tag if isinstance(root.tag, str) else ""
    qname = etree.QName(tag) if tag else None
    if qname is not None and (qname.namespace == TEI_NS or
                              (qname.namespace is None and qname.localname in _TEI_ROOTS_WITHOUT_NAMESPACE)):
        return
    what = f"<{qname.localname}>" if qname is not None else "no element"
    namespace = f" in namespace {qname.namespace}" if qname is not None and qname.namespace else ""
    raise InputError(f"not a TEI document (root {what}{namespace}, expected the TEI namespace {TEI_NS})",
                     path=str(path) if path else None, line=root.sourceline)


def from_tree(tree: etree._ElementTree | etree._Element, path: Path | None = None) -> Document:
    """Build a Document from a parsed tree (one walk over the tree)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    require_tei(root, path)
    return _model(root, path)


def _model(root: etree._Element, path: Path | None) -> Document:
    """The Document of ``root``, TEI."""
    with collector_paused():
        document = _build(root, path)
        _age_new_objects()
        return document


#: the number of full collections the process had run when :func:`_age_new_objects` last moved objects
_aged_at_full_collection = -1


def _age_new_objects() -> None:
    """Move the objects the collector tracks to its oldest generation, as if they had survived two
    collections, at most once between two full collections; call it with the collector paused.

    A model is made of many objects that all live on: left in the youngest generation, the first
    collection after the pause would scan every one of them, and a later one again, to find them
    alive (for a 20 MB volume, 0.2 s: a fifth of the load).  ``gc.freeze()`` then ``gc.unfreeze()``
    put every tracked object in the oldest generation (documented), which is scanned by full
    collections only.  CPython starts a full collection when enough objects have reached that
    generation by ageing, which these did not: so this is done once until the next full collection
    (a program that loads file after file has the other models age as usual, and their garbage
    collected as before).  Left alone when the process has frozen objects of its own (a server
    sharing its memory with forked workers: unfreezing would undo that).  Objects of other threads
    made meanwhile age with them (the collector's state is the process's).
    """
    global _aged_at_full_collection
    full_collections = gc.get_stats()[-1]["collections"]
    if full_collections == _aged_at_full_collection or gc.get_freeze_count():
        return
    gc.freeze()
    gc.unfreeze()
    _aged_at_full_collection = full_collections


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off inside the block (its previous state restored after).

    For code that makes many objects which all live on (the model while it is built) or
    which are all freed before the block ends (the walk's records turned into index rows):
    each automatic collection would scan them again for nothing (a quarter of the time of a
    load).  The collector's state is the process's: another thread's objects go uncollected
    while the block runs too (they are collected after it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class UnitName(NamedTuple):
    """What names a unit of the walk in the model: the ``id``, ``number`` and ``volume`` of its Document."""

    id: str | None
    number: str | None
    volume: str | None


def name_units(root: etree._Element, path: Path | None, units: list[UnitText]) -> tuple[list[UnitName], str | None]:
    """The name of each unit of ``root`` (as :func:`walk` gives them) and the volume's id, which is
    that of the file's Document when it holds several units (else unused): the rules of the model."""
    stem = path.stem if path is not None else None
    if len(units) == 1:
        return [_unit_name(units[0], frus.volume_of_file(stem), fallback_id=root.get(XML_ID) or stem)], None
    volume_id = root.get(XML_ID) or stem
    regions: dict[str, int] = {}
    named = []
    for unit in units:
        fallback = None
        if not unit.is_document:  # text outside documents: named after its region
            regions[unit.kind] = regions.get(unit.kind, 0) + 1
            fallback = unit.kind if regions[unit.kind] == 1 else f"{unit.kind}-{regions[unit.kind]}"
        named.append(_unit_name(unit, volume_id, fallback))
    return named, volume_id


def _unit_name(data: UnitText, volume: str | None, fallback_id: str | None) -> UnitName:
    el = data.element
    doc_id = (el.get(XML_ID) if data.is_document else None) or fallback_id
    number = el.get("n") if data.is_document and local_name(str(el.tag)) == "div" else None
    return UnitName(doc_id, number, volume)


def _build(root: etree._Element, path: Path | None) -> Document:
    units = walk(root)
    names, volume_id = name_units(root, path, units)
    if len(units) == 1:
        return _build_document(units[0], path, names[0], own_header=True)
    built = [_build_document(unit, path, name) for unit, name in zip(units, names)]
    return _build_volume(root, path, volume_id, built)


def _header_of(el: etree._Element) -> etree._Element | None:
    """The ``teiHeader`` of the ``TEI`` (or ``teiCorpus``) holding ``el``."""
    for ancestor in (el, *el.iterancestors()):
        for child in ancestor:
            if isinstance(child.tag, str) and local_name(child.tag) == "teiHeader":
                return child
    return None


def _text_of(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def _build_document(data: UnitText, path: Path | None, name: UnitName, own_header: bool = False) -> Document:
    el = data.element
    doc_id, number, volume = name
    later = _Deferred(data, [], [], doc_id, own_header)
    places_notes = later if data.notes else None  # (no reference from a page back to its unit without need)
    pages = later.pages
    pages.extend([Page(mark.n, mark.xml_id, data, doc_id, number, mark.inferred, mark.position, index=i,
                       later=places_notes)
                  for i, mark in enumerate(data.pages)])

    notes = later.notes
    note_of: dict[int, Note] = {}
    for raw in data.notes:
        nel = raw.element
        note = Note(n=nel.get("n"), id=nel.get(XML_ID), type=nel.get("type"), source=raw,
                    page=pages[raw.page], unit_pages=pages, document_id=doc_id, document_number=number,
                    element=nel)
        notes.append(note)
        note_of[id(raw)] = note

    refs = [
        Ref(target=r.element.get("target", ""), text=r.text, page=pages[r.page],
            note=note_of.get(id(r.in_note)) if r.in_note is not None else None,
            document_id=doc_id, document_number=number, volume=volume, element=r.element)
        for r in data.refs
    ]
    return Document(element=el, path=path, doc_id=doc_id, number=number, volume=volume,
                    later=later, notes=notes, pages=pages, refs=refs, kind=data.kind)


class _Later(Protocol):
    """What a :class:`Document` makes only when first asked for."""

    def describe(self) -> tuple[str, Metadata]: ...  # heading and metadata
    def all_pages(self) -> list[Page]: ...  # a volume's (a unit's are made at once)
    def paragraphs(self) -> list[Paragraph]: ...
    def element_pages(self) -> dict[etree._Element, Page]: ...
    def text(self) -> str: ...  # the main text


class _Deferred:
    """What a unit's Document makes only when first asked for, from the walk's records and the tree
    (one object per document rather than a closure per item)."""

    __slots__ = ("data", "pages", "notes", "doc_id", "own_header")

    def __init__(self, data: UnitText, pages: list[Page], notes: list[Note], doc_id: str | None,
                 own_header: bool):
        self.data = data
        self.pages = pages
        self.notes = notes
        self.doc_id = doc_id
        self.own_header = own_header

    def paragraphs(self) -> list[Paragraph]:
        pages, doc_id = self.pages, self.doc_id
        return [Paragraph(p, pages[p.page], doc_id) for p in self.data.passages if p.in_note is None]

    def element_pages(self) -> dict[etree._Element, Page]:
        return {node: self.pages[i] for node, i in self.data.element_pages().items()}

    def text(self) -> str:
        return self.data.text()

    def all_pages(self) -> list[Page]:
        return self.pages

    def place_notes(self) -> None:
        """Give each page of the unit the notes anchored on it and the notes printed on it (once)."""
        pages = self.pages
        for page in pages:
            page._later = None
        for note in self.notes:
            page = note.page
            if page._notes is None:
                page._notes = [note]
            else:
                page._notes.append(note)
            parts = note._source.parts
            for i in sorted(parts) if len(parts) > 1 else parts:
                pages[i]._add_footnote(note, i)

    def describe(self) -> tuple[str, Metadata]:
        """Heading and metadata."""
        data, el = self.data, self.data.element
        is_div = data.is_document and local_name(str(el.tag)) == "div"
        head = el.find(tei("head")) if is_div else None
        heading = next((p.text for p in data.passages if p.element is head), "") if head is not None else ""
        # a document div of a volume does not take the volume's header as its own
        header = _header_of(el) if data.is_document and (self.own_header or not is_div) else None
        return heading, _metadata(header, el, heading, self.notes)


@dataclass(frozen=True)
class Outline:
    """What the model of a one-document file says of its document besides the text: heading,
    title, date, place, and whether it has printed pages (a ``<pb>``)."""

    heading: str
    title: str | None
    date: str | None
    place: str | None
    has_pages: bool


def outline(root: etree._Element) -> Outline | None:
    """:class:`Outline` of the file whose root is ``root``, read without building its model, when
    that root is its only document and holds no header (a FRUS document file: ``<div
    type="document">``); ``None`` for any other file.

    It gives what :func:`from_tree` would (the same rules: the heading is the walk's text of the
    ``<head>``, read alone by :func:`~teikit.query.pages.passage_text`) at a fraction of the cost,
    so a server can show such a file's title in a link without building its model.
    """
    heading = _outline_heading(root)
    if heading is None:
        return None
    meta = _metadata(None, root, heading, [])  # no header: title from the heading, date and place from the dateline
    return Outline(heading=heading, title=meta.title, date=meta.date, place=meta.place,
                   has_pages=next(root.iter(*PAGE_BREAK_TAGS), None) is not None)


def outline_title(root: etree._Element) -> tuple[str, str | None] | None:
    """``(heading, title)`` of :func:`outline` (``None`` where it is), without reading the date,
    the place and the pages: what a list of titles needs (``export --format corpus``)."""
    heading = _outline_heading(root)
    return None if heading is None else (heading, _title_from_heading(heading))


def _outline_heading(root: etree._Element) -> str | None:
    """The heading of :func:`outline`; ``None`` where it gives none."""
    if local_name(str(root.tag)) != "div" or document_elements(root) != [root] or _header_of(root) is not None:
        return None
    if next(root.iter(*SKIPPED_TAGS), None) is not None:  # text the walk leaves out: not worth the rules here
        return None
    head = root.find(tei("head"))
    return passage_text(head) if head is not None else ""


def _title_from_heading(heading: str) -> str | None:
    """The title a document without a header takes from its heading: the heading less its number."""
    return HEADING_NUMBER.sub("", heading, count=1) or None if heading else None


def _build_volume(root: etree._Element, path: Path | None, volume_id: str | None,
                  units: list[Document]) -> Document:
    """One Document over all units (its pages are made when first asked for)."""
    header = _header_of(root)
    title = _text_of(header.find(f".//{tei('title')}")) if header is not None else None
    documents = [unit for unit in units if unit.is_document]
    return Document(
        element=root, path=path, doc_id=volume_id, number=None, volume=volume_id,
        later=_VolumeDeferred(units, title), notes=[n for d in units for n in d.notes],
        pages=None, refs=[r for d in units for r in d.refs], documents=documents, units=units,
    )


class _VolumeDeferred:
    """What a volume's Document makes only when first asked for, from its units."""

    __slots__ = ("units", "title", "_pages", "_by_position")

    def __init__(self, units: list[Document], title: str | None):
        self.units = units
        self.title = title
        self._pages: list[Page] | None = None
        self._by_position: dict[int, Page] = {}  # the volume's page of each <pb> position

    def all_pages(self) -> list[Page]:
        """The pages of all units; a page shared by two units (one ``<pb>``) is one page."""
        if self._pages is None:
            pages: list[Page] = []
            by_position = self._by_position
            for unit in self.units:
                for page in unit.pages:
                    merged = by_position.get(page.position)
                    if merged is None:
                        merged = by_position[page.position] = Page(page.n, page.id, [], None, None,
                                                                   page.inferred, page.position)
                        pages.append(merged)
                    merged._source.append(page)  # type: ignore[union-attr]
                    page._place_notes()
                    if page._notes:
                        merged.notes.extend(page._notes)
                    if page._footnotes:
                        merged._add_footnotes(page._footnotes)
            pages.sort(key=lambda page: page.position)
            self._pages = pages
        return self._pages

    def describe(self) -> tuple[str, Metadata]:
        return "", Metadata(title=self.title)

    def paragraphs(self) -> list[Paragraph]:
        return [p for d in self.units for p in d.paragraphs]

    def element_pages(self) -> dict[etree._Element, Page]:
        self.all_pages()
        by_position = self._by_position
        return {node: by_position[page.position] for unit in self.units for node, page in unit._element_pages.items()}

    def text(self) -> str:  # a volume's text is its units' (Document.text)
        return ""


def _metadata(header: etree._Element | None, el: etree._Element, heading: str,
              notes: list[Note]) -> Metadata:
    meta = Metadata()
    if header is not None:
        meta.title = _text_of(header.find(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}"))
        ms = header.find(f".//{tei('sourceDesc')}/{tei('msDesc')}")
        if ms is not None:
            meta.source = _text_of(ms.find(tei("p")))
            meta.repository = _text_of(ms.find(f".//{tei('repository')}"))
        keywords = header.find(f".//{tei('keywords')}[@n='classification']")
        if keywords is not None:
            meta.classification = [t for t in (_text_of(term) for term in keywords.iter(tei("term"))) if t]
        creation = header.find(f".//{tei('profileDesc')}/{tei('creation')}")
        if creation is not None:
            date = creation.find(f".//{tei('date')}")
            if date is not None:
                meta.date, meta.date_text = date.get("when"), _text_of(date)
            meta.place = _place_of(creation)
    if meta.title is None and heading:
        meta.title = _title_from_heading(heading)
    source_note = next((n for n in notes if n.type == "source"), None)
    if meta.source is None and source_note is not None:
        meta.source = source_note.text
    if not meta.classification and meta.source:
        meta.classification = classification_of(meta.source)
    dateline = el.find(f".//{tei('dateline')}")
    if dateline is not None:
        date = dateline.find(f".//{tei('date')}")
        if meta.date is None and date is not None:
            meta.date = date.get("when")
        if meta.date_text is None and date is not None:
            meta.date_text = _text_of(date)
        if meta.place is None:
            meta.place = _place_of(dateline)
    return meta


def _place_of(el: etree._Element) -> str | None:
    """The text of the first ``placeName`` in ``el``; a dateline's punctuation after the place
    (``<placeName>Paris,</placeName>``, as 19th-century FRUS volumes encode it) left out."""
    place = _text_of(el.find(f".//{tei('placeName')}"))
    return place.rstrip(" ,;:") or None if place else None


def classification_of(source_note: str) -> list[str]:
    """Classification and handling terms named in a FRUS source note (``Secret; Nodis.``)."""
    found: list[str] = []
    for piece in re.split(r"[.;]\s*", source_note):
        term = " ".join(piece.split())
        if term.lower() in _CLASSIFICATION and term not in found:
            found.append(term)
    return found
