"""What a publication holds: collections (volumes) of resources (documents), read once.

Startup cost matters (``teikit serve`` over thousands of files), so the catalog only
parses each file (safely, see :mod:`teikit.xmlio`) and reads ids, numbers, titles and
dates with a few element lookups; citation trees are built for a document the first
time they are asked for.  Grouping: a file holding several ``<div type="document">``
is a collection of its own; single documents named ``<volume>_d<N>.xml`` (the FRUS
file convention) join collection ``<volume>``; other single documents join the
collection named after their folder.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from lxml import etree

from ..errors import InputError
from ..files import expand_paths
from ..xmlio import NSMAP, XML_ID, parse_xml, tei, text_without_notes
from .citation import CitationTree, CiteStructure, build_trees, declared_structures, inferred_structures, tree_names

ROOT_ID = "teikit:corpus"  # the root collection; a colon keeps it apart from file-derived ids
_HEADING_NUMBER = re.compile(r"^\s*\d+[A-Za-z]?\.\s+")
_VOLUME_FILE = re.compile(r"^(?P<volume>.+)_d\d+[a-z]?$")
_DOCUMENT_DIV = tei("div")


@functools.lru_cache(maxsize=None)
def _real_path(path: str) -> str:
    return os.path.realpath(path)


@functools.lru_cache(maxsize=None)
def _folder_name(folder: Path) -> str:
    return folder.resolve().name


def _document_divs(root: etree._Element) -> list[etree._Element]:
    """The outermost ``<div type="document">`` elements (FRUS marks its documents so)."""
    found: list[etree._Element] = []
    for div in root.iter(_DOCUMENT_DIV):
        if div.get("type") == "document" and not (found and _inside(div, found[-1])):
            found.append(div)
    return found


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(eq=False)
class Resource:
    """A document: what the reading site and DTS need to know about it."""

    identifier: str  # "<collection>/<document id>", unique in the catalog
    doc_id: str
    number: str | None
    element: etree._Element
    header: etree._Element | None  # of a file holding this one document, else None
    path: Path
    collection: "Collection" = field(repr=False)
    previous: "Resource" | None = field(default=None, repr=False)
    next: "Resource" | None = field(default=None, repr=False)
    _trees: list[CitationTree] | None = field(default=None, repr=False)

    # read on first use: start-up only parses files (see the module docstring)
    @functools.cached_property
    def title(self) -> str:
        """The header's title, else the heading; without the printed number."""
        head = self.element.find(tei("head"))
        heading = _clean(text_without_notes(head)) if head is not None else ""
        stated = _clean(self.header.findtext(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}")) \
            if self.header is not None else ""
        return _HEADING_NUMBER.sub("", stated or heading, count=1) or self.doc_id

    @functools.cached_property
    def date(self) -> str | None:
        """ISO date of the dateline (``@when``), else of the header's ``creation``."""
        when = self.element.xpath("string((.//tei:dateline//tei:date/@when)[1])", namespaces=NSMAP)
        if not when and self.header is not None:
            when = self.header.xpath("string((.//tei:creation//tei:date/@when)[1])", namespaces=NSMAP)
        return str(when) or None

    @functools.cached_property
    def place(self) -> str | None:
        place = self.element.xpath("string((.//tei:dateline//tei:placeName)[1])", namespaces=NSMAP)
        return _clean(str(place)).rstrip(",;:") or None

    @functools.cached_property
    def heading_numbered(self) -> bool:
        """Whether the document's own heading starts with its number ("186. Telegram …")."""
        head = self.element.find(tei("head"))
        return head is not None and bool(_HEADING_NUMBER.match(text_without_notes(head)))

    @property
    def label(self) -> str:
        """``"74. Memorandum …"``: the number once, then the title."""
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def has_pages(self) -> bool:
        return self.element.find(f".//{tei('pb')}") is not None

    def structures(self) -> list[tuple[str | None, list[CiteStructure]]]:
        """``(tree identifier, levels)`` per citation tree, the default (identifier ``None``) first.

        Cheap: the declaration only, without walking the document for its units.
        """
        found = declared_structures(self.header) or inferred_structures(self.has_pages)
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

    def resource_holding(self, xml_id: str) -> Resource | None:
        """The document of this collection holding an element with this xml:id."""
        if self._ids is None:
            table: dict[str, Resource] = {}
            for resource in self.resources:
                table.setdefault(resource.doc_id, resource)
                for value in resource.element.xpath(".//@xml:id", namespaces=NSMAP):
                    table.setdefault(str(value), resource)
            self._ids = table
        return self._ids.get(xml_id)


class Catalog:
    """Collections and resources of the given TEI files or folders."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]], title: str | None = None):
        self.collections: list[Collection] = []
        self._collections: dict[str, Collection] = {}
        self._identifiers: set[str] = set()
        for path in expand_paths(paths):
            self._add_file(path)
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
    def _add_file(self, path: Path) -> None:
        root = parse_xml(path).getroot()
        header = root.find(tei("teiHeader"))
        divs = _document_divs(root)
        if len(divs) > 1:
            title = _clean(root.findtext(f"{tei('teiHeader')}//{tei('title')}")) or path.stem
            collection = self._collection(root.get(XML_ID) or path.stem, title)
            for k, div in enumerate(divs):
                self._add_resource(collection, div, None, path, div.get(XML_ID) or f"doc{k + 1}")
            return
        element = divs[0] if divs else (root.find(tei("text")) if root.find(tei("text")) is not None else root)
        match = _VOLUME_FILE.match(path.stem)
        name = match.group("volume") if match else (_folder_name(path.parent) or "documents")
        doc_id = element.get(XML_ID) or root.get(XML_ID) or path.stem
        self._add_resource(self._collection(name, name), element, header, path, doc_id)

    def _collection(self, identifier: str, title: str) -> Collection:
        if identifier == ROOT_ID:
            raise InputError(f"a collection may not be called {ROOT_ID!r}")
        if identifier not in self._collections:
            self._collections[identifier] = Collection(identifier, title)
            self.collections.append(self._collections[identifier])
        return self._collections[identifier]

    def _add_resource(self, collection: Collection, element: etree._Element,
                      header: etree._Element | None, path: Path, doc_id: str) -> None:
        identifier = f"{collection.identifier}/{doc_id}"
        if identifier in self._identifiers:
            raise InputError(f"document {doc_id!r} is already in collection {collection.identifier!r}",
                             path=str(path), line=element.sourceline)
        self._identifiers.add(identifier)
        collection.resources.append(Resource(identifier=identifier, doc_id=doc_id, number=element.get("n"),
                                             element=element, header=header, path=path, collection=collection))


__all__ = ["Catalog", "Collection", "Resource", "ROOT_ID"]
