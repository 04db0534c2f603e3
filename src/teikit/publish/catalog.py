"""What a publication holds: collections (volumes) of resources (documents), read once.

Every file is read with the query model (:func:`teikit.query.document.from_tree`, the
reader ``teikit.load`` uses), so the site, the DTS API, ``teikit query`` and the exports
agree on documents, ids, titles, dates and pages.

* A file holding several documents (the model's rule,
  :func:`teikit.query.pages.document_elements`) is a collection of its own, loaded at
  start-up; its resources are the model's *units*: its documents and the text outside
  them (front matter, back matter ...), which is never dropped.
* A file holding one document is one resource.  Start-up only parses it and names it
  (id and number from its document element, as the model does); its model is built
  the first time its title, text or pages are asked for, so thousands of such files
  start serving in about the time it takes to parse them.  A file whose root is its
  document (a FRUS document file) never needs its model to be served: its title, date,
  place and heading are read from the tree as the model reads them
  (:func:`teikit.query.document.outline`).  Such a file joins collection ``<volume>``
  when it is a FRUS document file (``frus1955-57v01_d186.xml``, the FRUS profile:
  :func:`teikit.query.frus.volume_of_file`), else the collection named after its folder.

Citation trees are built for a document the first time they are asked for.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from ..errors import InputError
from ..files import expand_paths
from ..query import frus
from ..query.document import HEADING_NUMBER, Document, Outline, from_tree, outline, require_tei
from ..query.pages import document_elements, local_name
from ..xmlio import XML_ID, parse_xml, tei, xml_ids_within
from .citation import (CitationTree, CiteStructure, build_trees, declared_structures, division_depth,
                       inferred_structures, tree_names)

ROOT_ID = "teikit:corpus"  # the root collection; a colon keeps it apart from file-derived ids
#: first path segments of the server's own routes: a collection so named would be shadowed
RESERVED_IDS = frozenset({"api", "index.html", "search.html"})
#: titles of units outside documents, by :attr:`Document.kind`
_UNIT_TITLES = {"front": "Front matter", "back": "Back matter", "body": "Text outside documents"}
@functools.lru_cache(maxsize=None)
def _real_path(path: str) -> str:
    return os.path.realpath(path)


@functools.lru_cache(maxsize=None)
def _folder_name(folder: Path) -> str:
    return folder.resolve().name


class _File:
    """A parsed file; its query model is built on first use (see the module docstring)."""

    def __init__(self, path: Path, tree: etree._ElementTree):
        self.path = path
        self.tree = tree

    @functools.cached_property
    def model(self) -> Document:
        return from_tree(self.tree, path=self.path)

    @functools.cached_property
    def outline(self) -> Outline | None:
        """Title, date, place ... of a file that is one FRUS document, read without its model (less
        than half the cost): the reading site and the DTS API then never build that model, and a
        page's previous/next links show their titles without building the neighbours' models."""
        return outline(self.tree.getroot())


@dataclass(eq=False)
class Resource:
    """A document (or a unit of text outside documents) as the reading site and DTS see it.

    :attr:`document` is the query model's :class:`~teikit.query.document.Document`:
    unit ``unit`` of its file's model, or the whole model when ``unit`` is ``None``.
    """

    identifier: str  # "<collection>/<document id>", unique in the catalog
    doc_id: str
    number: str | None  # known at start-up: documents are ordered by it
    source: _File = field(repr=False)
    unit: int | None
    header: etree._Element | None  # of a file holding this one document, else None
    collection: "Collection" = field(repr=False)
    previous: "Resource" | None = field(default=None, repr=False)
    next: "Resource" | None = field(default=None, repr=False)
    _trees: list[CitationTree] | None = field(default=None, repr=False)

    @property
    def document(self) -> Document:
        model = self.source.model
        return model if self.unit is None else model.units[self.unit]

    @property
    def _outline(self) -> Outline | None:
        """What the model would say of this document, where it can be read without the model."""
        return self.source.outline if self.unit is None else None

    @property
    def element(self) -> etree._Element:
        if self._outline is not None:  # the file's root is the document
            return self.source.tree.getroot()
        return self.document.element

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def title(self) -> str:
        """The header's title, else the heading; without the printed number."""
        outlined = self._outline
        title = outlined.title if outlined is not None else self.document.title
        if title:
            return HEADING_NUMBER.sub("", title, count=1) or title
        if outlined is not None or self.document.is_document:
            return self.doc_id
        return _UNIT_TITLES.get(self.document.kind, self.doc_id)

    @property
    def date(self) -> str | None:
        """ISO date (``@when``) of the header's ``creation``, else of the dateline."""
        outlined = self._outline
        return (outlined.date if outlined is not None else self.document.metadata.date) or None

    @property
    def place(self) -> str | None:
        outlined = self._outline
        place = outlined.place if outlined is not None else self.document.metadata.place
        return place.rstrip(",;:") if place else None

    @property
    def heading_numbered(self) -> bool:
        """Whether the document's own heading starts with its number ("186. Telegram …")."""
        outlined = self._outline
        return bool(HEADING_NUMBER.match(outlined.heading if outlined is not None else self.document.heading))

    @property
    def label(self) -> str:
        """``"74. Memorandum …"``: the number once, then the title."""
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def has_pages(self) -> bool:
        outlined = self._outline
        return outlined.has_pages if outlined is not None else any(not page.inferred for page in self.document.pages)

    def structures(self) -> list[tuple[str | None, list[CiteStructure]]]:
        """``(tree identifier, levels)`` per citation tree, the default (identifier ``None``) first.

        Cheap: the declaration only, without walking the document for its units.
        """
        found = declared_structures(self.header) or inferred_structures(self.has_pages,
                                                                        division_depth(self.element))
        return [(name, levels) for name, (_, levels) in zip(tree_names(found), found)]

    def trees(self) -> list[CitationTree]:
        """The citation trees with their units, the default first (built on first use)."""
        if self._trees is None:
            declared = bool(declared_structures(self.header))
            self._trees = build_trees(self.element, self.structures(), declared)
        return self._trees

    def tree(self, name: str | None) -> CitationTree | None:
        return next((t for t in self.trees() if t.identifier == name), None)

    def dublin_core(self) -> dict[str, list[str]]:
        meta = {"title": [self.title]}
        if self.date:
            meta["date"] = [self.date]
        if self.place:
            meta["coverage"] = [self.place]
        meta["isPartOf"] = [self.collection.identifier]
        return meta


@dataclass(eq=False)
class Collection:
    identifier: str
    title: str
    resources: list[Resource] = field(default_factory=list)
    _ids: dict[str, Resource] | None = field(default=None, repr=False)
    _elements: dict[etree._Element, Resource] | None = field(default=None, repr=False)

    def inside(self, resource: Resource) -> list[Resource]:
        """The resources nested in ``resource`` (the documents of a volume's body)."""
        if resource.unit is None:
            return []
        return [r for r in self.resources if r.unit is not None and r.source is resource.source
                and any(a is resource.element for a in r.element.iterancestors())]

    def resource_at(self, element: etree._Element) -> Resource | None:
        """The resource whose element this is (a document inside a unit of text around it)."""
        if self._elements is None:  # only units of one file can hold each other (their models are loaded)
            self._elements = {r.element: r for r in self.resources if r.unit is not None}
        return self._elements.get(element)

    def resource_holding(self, xml_id: str) -> Resource | None:
        """The document of this collection holding an element with this xml:id."""
        if self._ids is None:
            table: dict[str, Resource] = {}
            # documents first: an id inside a document nested in a unit (a volume's body) is the document's
            for resource in sorted(self.resources, key=lambda r: r.unit is not None and not r.document.is_document):
                table.setdefault(resource.doc_id, resource)
                # a one-document file is its resource: its ids are read without building its model
                scope = resource.source.tree.getroot() if resource.unit is None else resource.element
                for value in xml_ids_within(scope):
                    table.setdefault(value, resource)
            self._ids = table
        return self._ids.get(xml_id)


class Catalog:
    """Collections and resources of the given TEI files or folders.

    A file that cannot be read as TEI raises :class:`~teikit.errors.InputError`; with
    ``skip``, it is handed to ``skip`` instead and left out (``teikit serve`` reports it).
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], title: str | None = None,
                 skip: Callable[[InputError], None] | None = None):
        self.collections: list[Collection] = []
        self._collections: dict[str, Collection] = {}
        self._identifiers: set[str] = set()
        for path in expand_paths(paths):
            try:
                tree = parse_xml(path)
                require_tei(tree.getroot(), path)
            except InputError as exc:  # unreadable, not well-formed, not TEI
                if skip is None:
                    raise
                skip(exc)
                continue
            self._add_file(path, tree)
        self.resources: list[Resource] = []
        for collection in self.collections:
            if all(r.number and r.number.isdigit() for r in collection.resources):
                collection.resources.sort(key=lambda r: int(r.number or 0))
            for previous, current in zip(collection.resources, collection.resources[1:]):
                previous.next, current.previous = current, previous
            self.resources.extend(collection.resources)
        self.title = title or (self.collections[0].title if len(self.collections) == 1
                               else f"{len(self.resources)} documents in {len(self.collections)} collections")
        self._resources = {r.identifier: r for r in self.resources}
        self._by_source: dict[tuple[str, str], Resource] | None = None  # built on the first search

    def resource(self, identifier: str) -> Resource | None:
        return self._resources.get(identifier)

    def collection(self, identifier: str) -> Collection | None:
        return self._collections.get(identifier)

    def resource_of(self, path: str | None, doc_id: str | None) -> Resource | None:
        """The resource a search hit (source path, document id) points to."""
        if path is None or doc_id is None:
            return None
        if self._by_source is None:
            self._by_source = {(_real_path(str(r.path)), r.doc_id): r for r in self.resources}
        return self._by_source.get((_real_path(path), doc_id))

    # building --------------------------------------------------------------------------------
    def _add_file(self, path: Path, tree: etree._ElementTree) -> None:
        source = _File(path, tree)
        root = tree.getroot()
        elements = document_elements(root)
        if len(elements) > 1:
            collection = self._collection(root.get(XML_ID) or path.stem, source.model.title or path.stem, path)
            for k, unit in enumerate(source.model.units):
                self._add_resource(collection, source, k, unit.id or f"doc{k + 1}", unit.number, None)
            return
        name = frus.volume_of_file(path.stem) or _folder_name(path.parent) or "documents"
        # id and number as the model names a file's only document (query.document._build_document)
        element = elements[0]
        doc_id = element.get(XML_ID) or root.get(XML_ID) or path.stem
        number = element.get("n") if local_name(str(element.tag)) == "div" else None
        self._add_resource(self._collection(name, name, path), source, None, doc_id, number,
                           root.find(tei("teiHeader")))

    def _collection(self, identifier: str, title: str, path: Path) -> Collection:
        if identifier == ROOT_ID or identifier in RESERVED_IDS:
            raise InputError(f"a collection may not be called {identifier!r} (a path of the server; "
                             "rename the file or give its root another xml:id)", path=str(path))
        if identifier not in self._collections:
            self._collections[identifier] = Collection(identifier, title)
            self.collections.append(self._collections[identifier])
        return self._collections[identifier]

    def _add_resource(self, collection: Collection, source: _File, unit: int | None, doc_id: str,
                      number: str | None, header: etree._Element | None) -> None:
        identifier = f"{collection.identifier}/{doc_id}"
        if identifier in self._identifiers:
            raise InputError(f"document {doc_id!r} is already in collection {collection.identifier!r}",
                             path=str(source.path))
        self._identifiers.add(identifier)
        collection.resources.append(Resource(identifier=identifier, doc_id=doc_id, number=number, source=source,
                                             unit=unit, header=header, collection=collection))


__all__ = ["Catalog", "Collection", "Resource", "ROOT_ID"]
