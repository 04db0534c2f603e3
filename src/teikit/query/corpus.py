"""A :class:`Corpus`: many TEI files, lookup by id, cross-references and search.

A ``#id`` target is looked up among the documents of the citing document's
volume (file) first, then in the whole corpus; FRUS ids (``#d58``, ``#d58fn2``,
see :mod:`teikit.query.frus`) go straight to their document.
Search looks at every unit of every file: documents and the text outside them.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import TeikitKeyError
from ..files import expand_paths
from ..progress import ProgressCallback, notify
from . import display, frus
from .document import Document, Note, Page, Ref, load, page_label
from .search import Query, tokens

if TYPE_CHECKING:  # pragma: no cover
    import pandas

Source = str | os.PathLike[str] | Document


@dataclass(frozen=True)
class Hit:
    """A search hit: which document and page (and note) holds the words.

    >>> hit = teikit.Corpus(["tei/"]).search("Haig")[0]   # doctest: +SKIP
    >>> hit.citation, hit.kind                            # doctest: +SKIP
    ('Document 59, p. 282', 'text')"""

    document_id: str | None
    document_number: str | None
    volume: str | None
    page: str | None
    kind: str  # "text" (page text) or "note"
    note: str | None  # the note's number when kind == "note"
    snippet: str
    path: str | None

    @property
    def citation(self) -> str:
        """``"Document 186, p. 405"`` or ``"Document 186, p. 405, note 3"``."""
        parts = [f"Document {self.document_number}" if self.document_number else str(self.document_id)]
        parts.append(page_label(self.page))
        if self.kind == "note" and self.note:
            parts.append(f"note {self.note}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "citation": self.citation}

    def _repr_html_(self) -> str:
        return display.hit_html(self)


class Hits(list["Hit"]):
    """Search hits: a list, shown as a table in a notebook, with :meth:`to_pandas`."""

    def _repr_html_(self) -> str:
        return display.hits_html(self)

    def to_pandas(self) -> "pandas.DataFrame":
        return display.frame(display.hit_rows(self), display.HIT_COLUMNS)


class Corpus(display.Frames):
    """The documents of many TEI files (or folders of them), searchable and cross-referenced.

    ``sources``: paths, folders, globs or :class:`Document` objects.  ``corpus["d59"]``
    (xml:id, ``"volume/id"`` or number) raises :class:`teikit.TeikitKeyError` when
    nothing or several documents match; :meth:`get` returns a default instead.

    >>> corpus = teikit.Corpus(["tei/"])                  # doctest: +SKIP
    >>> len(corpus), corpus["d59"].number                 # doctest: +SKIP
    (2, '59')
    >>> corpus["d59"].refs[0].target                      # doctest: +SKIP
    '#d58fn2'
    """

    def __init__(self, sources: Source | Iterable[Source], *,
                 progress: ProgressCallback | None = None):
        """``progress(n)`` is told as each file is loaded (see :mod:`teikit.progress`)."""
        if isinstance(sources, (str, bytes, os.PathLike, Document)):
            sources = [sources]
        self.files: list[Document] = []
        for source in sources:
            if isinstance(source, Document):
                self.files.append(source)
                continue
            for path in expand_paths([source]):
                self.files.append(load(path))
                notify(progress)
        self.documents: list[Document] = [doc for f in self.files for doc in f.documents]
        #: documents and the text outside them, the units search looks at
        self.units: list[Document] = [unit for f in self.files for unit in f.units]
        self._by_id: dict[str, list[Document]] = {}
        self._by_volume_id: dict[tuple[str | None, str], Document] = {}
        for doc in self.units:
            if doc.id:
                self._by_id.setdefault(doc.id, []).append(doc)
                self._by_volume_id.setdefault((doc.volume, doc.id), doc)
        self._cited_by: dict[int, list[Ref]] | None = None
        self._search_words: list[str] | None = None  # per search unit: " w1 w2 ... "

    # display (DataFrames: :class:`teikit.query.display.Frames`, they need pandas) ------------
    def __repr__(self) -> str:
        return display.corpus_repr(self)

    def _repr_html_(self) -> str:
        return display.corpus_html(self)

    # documents ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, key: str | int) -> Document:
        """A document by xml:id (``"d186"``), ``"volume/id"``, or number (``"186"`` or ``186``,
        as :meth:`Document.note` and :meth:`Document.page` take numbers)."""
        if not isinstance(key, str):
            if not isinstance(key, int) or isinstance(key, bool):
                raise TypeError(f"key must be str, not {type(key).__name__}: a document id (\"d186\"), "
                                "\"volume/id\" or a number")
            key = str(key)
        volume, _, local = key.rpartition("/")
        if volume:
            found = self._by_volume_id.get((volume, local))
            if found is None:
                raise TeikitKeyError(f"no document {local!r} in volume {volume!r}")
            return found
        matches = self._by_id.get(key) or [d for d in self.documents if d.number == key]
        if not matches:
            raise TeikitKeyError(f"no document {key!r} in the corpus")
        if len(matches) > 1:
            names = ", ".join(f"{d.volume}/{d.id}" for d in matches)
            raise TeikitKeyError(f"{key!r} names several documents: {names}")
        return matches[0]

    def get(self, key: str | int, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, (str, int)) and not isinstance(key, bool) and self.get(key) is not None

    @property
    def notes(self) -> list[Note]:
        return [note for doc in self.documents for note in doc.notes]

    @property
    def refs(self) -> list[Ref]:
        return [ref for doc in self.documents for ref in doc.refs]

    # references ------------------------------------------------------------------------
    def resolve(self, ref: Ref | str, volume: str | None = None) -> Document | Note | Page | None:
        """The document, note or page a ``#id`` target points to; ``None`` if not in the corpus.

        A :class:`Ref` is looked up in its own volume first; a bare target string in
        ``volume`` when given, else in the whole corpus.
        """
        if isinstance(ref, Ref):
            target, volume = ref.target, ref.volume
        else:
            target = ref
        if not target.startswith("#"):
            return None
        xml_id = target[1:]
        for doc in self._documents_for(xml_id, volume):
            found = doc.get(xml_id)
            if found is not None:
                return found
        return None

    def _documents_for(self, xml_id: str, volume: str | None) -> list[Document]:
        """Documents that may hold ``xml_id``: for FRUS ids (``d58fn2``) only ``d58``."""
        document = frus.document_of_target(xml_id)
        if document is not None:
            docs = self._by_id.get(document, [])
        else:
            docs = self.documents
        if volume is not None:
            docs = sorted(docs, key=lambda d: d.volume != volume)
        return docs

    def cited_by(self, document: str | Document) -> list[Ref]:
        """Every ref pointing to ``document`` or to a note in it ("what cites document 58?").

        ``document`` is a Document or a key for :meth:`__getitem__`.  A FRUS id such as
        ``"d205"`` that is not in the corpus still finds the refs to ``#d205`` and
        ``#d205fn1``, which stay unresolved.
        """
        if self._cited_by is None:
            table: dict[int, list[Ref]] = {}
            for ref in self.refs:
                doc = self.document_of(self.resolve(ref))
                if doc is not None:
                    table.setdefault(id(doc), []).append(ref)
            self._cited_by = table
        if isinstance(document, Document):
            return list(self._cited_by.get(id(document), []))
        target = self.get(document)
        if target is not None:
            return list(self._cited_by.get(id(target), []))
        return [
            ref for ref in self.refs
            if ref.internal and self.resolve(ref) is None
            and frus.document_of_target(ref.target[1:]) == document
        ]

    def document_of(self, item: Document | Note | Page | None) -> Document | None:
        """The document an object resolved by :meth:`resolve` belongs to."""
        if item is None or isinstance(item, Document):
            return item
        doc_id = item.document_id
        candidates = self._by_id.get(doc_id, []) if doc_id else []
        for doc in candidates:
            if any(n is item for n in doc.notes) or any(p is item for p in doc.pages):
                return doc
        return candidates[0] if candidates else None

    # search ------------------------------------------------------------------------------
    def search(self, query: str, limit: int | None = None) -> Hits:
        """Pages and notes holding every word of ``query``, in corpus order (no index needed)."""
        parsed = Query.parse(query)
        hits = Hits()
        if not parsed:
            return hits
        units = list(self.search_units())
        if self._search_words is None:  # tokenised once, on the first search
            self._search_words = [" " + " ".join(tokens(unit[3])) + " " for _, unit in units]
        needles = [" " + " ".join(phrase) + " " for phrase in parsed.phrases]
        for (doc, (kind, page, note, text)), words in zip(units, self._search_words):
            if all(needle in words for needle in needles):
                hits.append(make_hit(doc, kind, page, note, parsed.snippet(text)))
                if limit is not None and len(hits) >= limit:
                    break
        return hits

    def search_units(self) -> Iterator[tuple[Document, tuple[str, Page, Note | None, str]]]:
        """What search looks at: each page's text, then each note, per unit."""
        for unit in self.units:
            yield from units_of(unit)


def units_of(unit: Document) -> Iterator[tuple[Document, tuple[str, Page, Note | None, str]]]:
    """The search units of one document (or unit outside documents): page texts, then notes
    (the rule of :func:`teikit.query.pages.search_texts`, which the index applies to the walk's records)."""
    for page in unit.pages:
        if page.text:
            yield unit, ("text", page, None, page.text)
    for note in unit.notes:
        if note.text:
            yield unit, ("note", note.page, note, note.text)


def search_files(paths: Iterable[str | os.PathLike[str]], query: str,
                 limit: int | None = None) -> Iterator[Hit]:
    """Hits for ``query`` in the files under ``paths``, read one file at a time.

    Stops reading as soon as ``limit`` hits are found (a later file is never opened).
    """
    parsed = Query.parse(query)
    if not parsed:
        return
    found = 0
    for path in expand_paths(list(paths)):
        for unit in load(path).units:
            for doc, (kind, page, note, text) in units_of(unit):
                if parsed.matches(text):
                    yield make_hit(doc, kind, page, note, parsed.snippet(text))
                    found += 1
                    if limit is not None and found >= limit:
                        return


def make_hit(doc: Document, kind: str, page: Page, note: Note | None, snippet: str) -> Hit:
    return Hit(document_id=doc.id, document_number=doc.number, volume=doc.volume, page=page.n,
               kind=kind, note=note.n if note is not None else None, snippet=snippet,
               path=str(doc.path) if doc.path else None)
