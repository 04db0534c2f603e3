"""DTS 1.0 responses (https://dtsapi.org/versions/v1.0/) for a :class:`~teikit.publish.catalog.Catalog`.

Framework-free: each endpoint is a function from query parameters to a JSON-LD
dictionary (or TEI/HTML text for the Document endpoint) and raises :class:`DTSError`
carrying the HTTP status for a bad request (400) or an unknown id (404).  The web
layer (:mod:`teikit.serve.app`) only turns these into responses.

Collections: the root (``teikit:corpus``) -> one collection per volume -> one Resource
per document.  Citation trees are those of :mod:`teikit.publish.citation`.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote

from lxml import etree

from ..publish.catalog import ROOT_ID, Catalog, Collection, Resource
from ..publish.citation import CitableUnit, CitationTree, CiteStructure, passage
from ..publish.render import Site, resource_path
from ..xmlio import TEI_NS, tei

CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
PAGE_SIZE = 100  # members per page of a Collection or Navigation response
TEI_MEDIA = "application/tei+xml"
HTML_MEDIA = "text/html"
MEDIA_TYPES = {None: TEI_MEDIA, TEI_MEDIA: TEI_MEDIA, "application/xml": TEI_MEDIA,
               "tei": TEI_MEDIA, HTML_MEDIA: HTML_MEDIA, "html": HTML_MEDIA}
_STATUS_TITLES = {400: "Bad Request", 404: "Not Found"}


class DTSError(Exception):
    """A request the API refuses: ``status`` is the HTTP status code."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def as_json(self) -> dict[str, Any]:
        return {"@context": CONTEXT, "@type": "Error", "dtsVersion": DTS_VERSION,
                "statusCode": self.status, "title": _STATUS_TITLES.get(self.status, "Error"),
                "description": self.message}


@dataclass
class Document:
    """A Document endpoint answer: body, media type and the ``Link`` header."""

    body: str
    media_type: str
    link: str


class DTS:
    """The four endpoints under ``base`` (``/api/dts``)."""

    def __init__(self, catalog: Catalog, base: str = "/api/dts", site_root: str = "/"):
        self.catalog = catalog
        self.base = base.rstrip("/")
        self.site_root = site_root  # where the reading site is: HTML answers link into it
        self.site = Site(catalog, searchable=False)

    # templates -------------------------------------------------------------------------------
    def _q(self, value: str) -> str:
        return quote(value, safe="/:")

    def _collection_url(self, identifier: str) -> str:
        return f"{self.base}/collection?id={self._q(identifier)}"

    def _templates(self, resource: Resource) -> dict[str, str]:
        q = self._q(resource.identifier)
        return {
            "collection": f"{self.base}/collection?id={q}{{&nav}}",
            "navigation": f"{self.base}/navigation?resource={q}{{&ref,start,end,down,tree,page}}",
            "document": f"{self.base}/document?resource={q}{{&ref,start,end,tree,mediaType}}",
        }

    def _page_url(self, resource: Resource) -> str:
        return self.site_root + resource_path(resource)

    # Entry -------------------------------------------------------------------------------------
    def entry(self) -> dict[str, Any]:
        return {
            "@context": CONTEXT, "dtsVersion": DTS_VERSION, "@id": self.base, "@type": "EntryPoint",
            "collection": f"{self.base}/collection{{?id,page,nav}}",
            "navigation": f"{self.base}/navigation{{?resource,ref,start,end,down,tree,page}}",
            "document": f"{self.base}/document{{?resource,ref,start,end,tree,mediaType}}",
        }

    # Collection --------------------------------------------------------------------------------
    def collection(self, params: Mapping[str, str]) -> dict[str, Any]:
        _only(params, {"id", "page", "nav"})
        identifier = params.get("id") or ROOT_ID
        nav = params.get("nav", "children")
        if nav not in {"children", "parents"}:
            raise DTSError(400, f"nav must be 'children' or 'parents', not {nav!r}")
        item = self._item(identifier)
        out = {"@context": CONTEXT, "dtsVersion": DTS_VERSION, **self._describe(item)}
        members = self._parents(item) if nav == "parents" else self._children(item)
        if members is not None:
            url = f"{self._collection_url(identifier)}" + ("&nav=parents" if nav == "parents" else "")
            out["member"], view = _paginate(members, params.get("page"), url)
            out["member"] = [self._describe(m) for m in out["member"]]
            if view:
                out["view"] = view
        elif params.get("page") is not None:
            raise DTSError(400, "page is only for a collection's members")
        return out

    def _item(self, identifier: str) -> Catalog | Collection | Resource:
        if identifier == ROOT_ID:
            return self.catalog
        found = self.catalog.collection(identifier) or self.catalog.resource(identifier)
        if found is None:
            raise DTSError(404, f"no collection or resource {identifier!r}")
        return found

    def _children(self, item: Catalog | Collection | Resource) -> list[Any] | None:
        if isinstance(item, Catalog):
            return list(item.collections)
        if isinstance(item, Collection):
            return list(item.resources)
        return None  # a Resource has no members

    def _parents(self, item: Catalog | Collection | Resource) -> list[Any]:
        if isinstance(item, Catalog):
            return []
        if isinstance(item, Collection):
            return [self.catalog]
        return [item.collection]

    def _describe(self, item: Catalog | Collection | Resource) -> dict[str, Any]:
        if isinstance(item, Catalog):
            return {"@id": ROOT_ID, "@type": "Collection", "title": item.title,
                    "totalParents": 0, "totalChildren": len(item.collections),
                    "dublinCore": {"title": [item.title]},
                    "collection": f"{self.base}/collection{{?id,page,nav}}"}
        if isinstance(item, Collection):
            return {"@id": item.identifier, "@type": "Collection", "title": item.title,
                    "totalParents": 1, "totalChildren": len(item.resources),
                    "dublinCore": {"title": [item.title]},
                    "collection": f"{self._collection_url(item.identifier)}{{&page,nav}}"}
        return self._resource(item)

    def _resource(self, resource: Resource) -> dict[str, Any]:
        return {
            "@id": resource.identifier, "@type": "Resource", "title": resource.label,
            "totalParents": 1, "totalChildren": 0, "dublinCore": resource.dublin_core(),
            **self._templates(resource),
            "mediaTypes": [TEI_MEDIA, HTML_MEDIA],
            "citationTrees": [_tree_json(name, levels) for name, levels in resource.structures()],
        }

    # Navigation --------------------------------------------------------------------------------
    def navigation(self, params: Mapping[str, str], url: str) -> dict[str, Any]:
        _only(params, {"resource", "ref", "start", "end", "down", "tree", "page"})
        resource = self._requested_resource(params)
        ref, start, end = _range_params(params)
        down = _down(params.get("down"))
        if ref is None and start is None and (down is None or down == 0):
            raise DTSError(400, "give ref, start and end, or down (1 or more, or -1)")
        if start is not None and down == 0:
            raise DTSError(400, "down=0 (siblings) needs ref, not start and end")
        tree = self._tree(resource, params.get("tree"))
        out: dict[str, Any] = {"@context": CONTEXT, "dtsVersion": DTS_VERSION, "@type": "Navigation",
                               "@id": url, "resource": self._resource(resource)}
        members: list[CitableUnit] | None = None
        if ref is not None:
            unit = _unit(tree, ref, "ref")
            out["ref"] = unit.as_json()
            if down == 0:
                members = [u for u in tree.units if u.parent == unit.parent and u.level == unit.level]
            elif down is not None:
                members = _within(tree.units[tree.units.index(unit):tree.subtree_end(unit)],
                                  unit.level, down)
        elif start is not None and end is not None:
            first, last = _unit(tree, start, "start"), _unit(tree, end, "end")
            if tree.units.index(first) > tree.units.index(last):
                raise DTSError(400, f"start {start!r} comes after end {end!r}")
            out["start"], out["end"] = first.as_json(), last.as_json()
            if down is not None:
                span = tree.units[tree.units.index(first):tree.subtree_end(last)]
                members = _within(span, max(first.level, last.level), down)
        else:
            members = _within(tree.units, 0, down)
        if members is not None:
            page, view = _paginate(members, params.get("page"), _without_page(url))
            out["member"] = [u.as_json() for u in page]
            if view:
                out["view"] = view
        elif params.get("page") is not None:
            raise DTSError(400, "page is only for a response with members (use down)")
        return out

    def _requested_resource(self, params: Mapping[str, str]) -> Resource:
        identifier = params.get("resource")
        if not identifier:
            raise DTSError(400, "the resource parameter is required")
        resource = self.catalog.resource(identifier)
        if resource is None:
            raise DTSError(404, f"no resource {identifier!r}")
        return resource

    @staticmethod
    def _tree(resource: Resource, name: str | None) -> CitationTree:
        tree = resource.tree(name)
        if tree is None:
            names = [t.identifier for t in resource.trees() if t.identifier]
            raise DTSError(404, f"no citation tree {name!r} in {resource.identifier!r}"
                                f" (trees: the default{''.join(', ' + n for n in names)})")
        return tree

    # Document ----------------------------------------------------------------------------------
    def document(self, params: Mapping[str, str]) -> Document:
        _only(params, {"resource", "ref", "start", "end", "tree", "mediaType"})
        resource = self._requested_resource(params)
        ref, start, end = _range_params(params)
        media = params.get("mediaType")
        if media not in MEDIA_TYPES:
            raise DTSError(404, f"media type {media!r} is not available; use one of {TEI_MEDIA}, {HTML_MEDIA}")
        media_type = MEDIA_TYPES[media]
        link = f'<{self._collection_url(resource.identifier)}>; rel="collection"'
        if ref is None and start is None:
            if params.get("tree") is not None:
                self._tree(resource, params.get("tree"))  # an unknown tree is still a 404
            if media_type == HTML_MEDIA:
                return Document(self.site.document(resource, self._page_url(resource)), media_type, link)
            return Document(_whole_tei(resource), media_type, link)
        tree = self._tree(resource, params.get("tree"))
        if ref is not None:
            first = last = _unit(tree, ref, "ref")
        else:  # _range_params gave start and end together, and one of ref/start is set here
            assert start is not None and end is not None
            first, last = _unit(tree, start, "start"), _unit(tree, end, "end")
        if tree.units.index(first) > tree.units.index(last):
            raise DTSError(400, f"start {start!r} comes after end {end!r}")
        elements = passage(resource.element, first, last)
        if media_type == HTML_MEDIA:
            return Document(self.site.fragment(resource, elements, self._page_url(resource)), media_type, link)
        return Document(_wrapped_tei(elements), media_type, link)


# -- helpers ----------------------------------------------------------------------------------

def _only(params: Mapping[str, str], allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise DTSError(400, f"unknown parameter(s): {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _range_params(params: Mapping[str, str]) -> tuple[str | None, str | None, str | None]:
    ref, start, end = params.get("ref"), params.get("start"), params.get("end")
    if ref is not None and (start is not None or end is not None):
        raise DTSError(400, "ref cannot be used with start or end")
    if (start is None) != (end is None):
        raise DTSError(400, "start and end go together")
    return ref, start, end


def _down(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        down = int(value)
    except ValueError:
        raise DTSError(400, f"down must be an integer, not {value!r}") from None
    if down < -1:
        raise DTSError(400, f"down must be -1, 0 or more, not {down}")
    return down


def _unit(tree: CitationTree, identifier: str, name: str) -> CitableUnit:
    unit = tree.by_id.get(identifier)
    if unit is None:
        raise DTSError(404, f"no citable unit {identifier!r} ({name}) in this citation tree")
    return unit


def _within(units: list[CitableUnit], level: int, down: int | None) -> list[CitableUnit]:
    """Units down to ``level + down`` (all of them for ``down == -1``)."""
    if down == -1 or down is None:
        return list(units)
    return [u for u in units if u.level <= level + down]


def _tree_json(name: str | None, levels: list[CiteStructure]) -> dict[str, Any]:
    return CitationTree(name, levels, []).as_json()


def _without_page(url: str) -> str:
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("page=")]
    return base + ("?" + "&".join(kept) if kept else "")


def _paginate(items: list[Any], page: str | None, url: str) -> tuple[list[Any], dict[str, Any] | None]:
    """One page of ``items`` and the Pagination ``view`` (``None`` when one page holds all)."""
    last = max(1, math.ceil(len(items) / PAGE_SIZE))
    if page is None:
        number = 1
    else:
        try:
            number = int(page)
        except ValueError:
            raise DTSError(400, f"page must be an integer, not {page!r}") from None
        if not 1 <= number <= last:
            raise DTSError(400 if number < 1 else 404, f"page {number} is out of range 1..{last}")
    if last == 1:
        return items, None
    sep = "&" if "?" in url else "?"

    def at(n: int) -> str:
        return f"{url}{sep}page={n}"

    view = {"@id": at(number), "@type": "Pagination", "first": at(1),
            "previous": at(number - 1) if number > 1 else None,
            "next": at(number + 1) if number < last else None, "last": at(last)}
    return items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], {k: v for k, v in view.items() if v}


def _tei_root() -> etree._Element:
    return etree.Element(tei("TEI"), nsmap={None: TEI_NS})


def _whole_tei(resource: Resource) -> str:
    """The document as a ``<TEI>``: the file itself when it is one, else built around it."""
    root = resource.element.getroottree().getroot()
    if root.tag == tei("TEI") and resource.header is not None:  # a file holding one document
        return _serialize(root)
    out = _tei_root()
    header = etree.SubElement(out, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = resource.label
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p")).text = \
        f"Part of {resource.collection.title}; served by teikit."
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = str(resource.path.name)
    if resource.element.tag == tei("text"):
        out.append(_copy(resource.element))
    else:
        body = etree.SubElement(etree.SubElement(out, tei("text")), tei("body"))
        body.append(_copy(resource.element))
    return _serialize(out)


def _wrapped_tei(elements: list[etree._Element]) -> str:
    """A passage inside ``<TEI><dts:wrapper>``, as the spec asks."""
    out = _tei_root()
    wrapper = etree.SubElement(out, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    for el in elements:
        wrapper.append(el)
    return _serialize(out)


def _copy(el: etree._Element) -> etree._Element:
    duplicate = copy.deepcopy(el)
    duplicate.tail = None
    return duplicate


def _serialize(root: etree._Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode")
