"""TEI -> JSON with a documented, stable structure.

The output is one JSON object::

    {
      "format": "teikit-json", "version": 1, "generator": "teikit 0.1.0",
      "documents": [                       one entry per document <div>, in input order
        {
          "id": "d186",                    xml:id of the document div (null if none)
          "n": "186",                      its @n (document number; null if none)
          "file": "frus1955-57v01_d186.xml",
          "volume": "frus1955-57v01",      FRUS volume if known from file name/header, else null
          "title": "Telegram From ...",    heading without its leading "186. " and without notes
          "metadata": {                    what the header or the document says (keys may be null)
            "header_title": str|null, "date": {"when": str|null, "text": str}|null,
            "place": str|null, "classification": [str], "source": str|null (source note text),
            "repository": str|null, "collections": [str]
          },
          "blocks": [                      text blocks in reading order
            {"type": "head"|"p"|"item"|"list-head"|"dateline"|"signed"|"salute"|"row"|...,
             "text": str,                  whitespace collapsed, notes and page breaks removed
             "cells": [str]                only for "row": one string per cell
            }
          ],
          "notes": [{"id": str|null, "n": str|null, "type": str|null, "text": str,
                     "block": int,         index in "blocks" of the block holding the marker
                     "offset": int}],      character offset of the marker in that block's text
          "pages": [{"id": str|null, "n": str|null, "block": int|null, "offset": int,
                     "note": str|null}],   page break position (in a block, or in note "note")
          "refs": [{"target": str, "text": str, "block": int|null, "note": str|null,
                    "internal": bool,      target starts with "#"
                    "resolved": bool}]     internal and the id is in an exported file of
                                           the same volume (or the same file)
        }
      ]
    }

``block`` is null for a page break or ref inside a note (then ``note`` is the note's id);
a page break between blocks points at the following block with offset 0 (or null at the end).
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from lxml import etree

from .._version import __version__
from ..xmlio import NSMAP, XML_ID, tei, text_without_notes
from .sources import SourceDocument, normalize

FORMAT_VERSION = 1

_BLOCK_TAGS = {"head", "p", "item", "dateline", "signed", "salute", "row", "byline",
               "trailer", "l", "label", "opener", "closer", "postscript", "quote"}
# elements holding blocks; opener/closer/postscript/quote only when they have no loose text
_CONTAINERS = {"div", "list", "table", "lg", "body", "floatingText", "opener", "closer",
               "postscript", "quote"}
_MAYBE_CONTAINERS = {"opener", "closer", "postscript", "quote"}
# blocks that, met inside another block, become blocks of their own (others stay inline)
_NESTED = {"p", "list", "table", "lg", "floatingText", "div", "l", "opener", "closer",
           "postscript", "byline", "trailer", "dateline", "item", "row"}


def _has_loose_text(el: etree._Element) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


class _Text:
    """Accumulates text with whitespace collapsed, so offsets match the final string."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space = True  # at start: drop leading whitespace

    def add(self, text: str | None) -> None:
        if not text:
            return
        out = []
        for ch in text:
            if ch.isspace():
                if not self.space:
                    out.append(" ")
                    self.space = True
            else:
                out.append(ch)
                self.space = False
        piece = "".join(out)
        self.parts.append(piece)
        self.length += len(piece)

    @property
    def offset(self) -> int:
        return self.length

    def value(self) -> str:
        return "".join(self.parts).rstrip()


class _Extractor:
    def __init__(self, ids: set[str]):
        self.ids = ids
        self.blocks: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.pages: list[dict[str, Any]] = []
        self.refs: list[dict[str, Any]] = []
        self.pending_pages: list[dict[str, Any]] = []

    def _ref(self, el: etree._Element, block: int | None, note: str | None) -> None:
        target = el.get("target") or ""
        internal = target.startswith("#")
        self.refs.append({"target": target, "text": normalize(text_without_notes(el)),
                          "block": block, "note": note, "internal": internal,
                          "resolved": internal and target[1:] in self.ids})

    def inline(self, el: etree._Element, acc: _Text, block: int | None, note: str | None,
               nested: list[etree._Element]) -> None:
        """Walk the inline content of ``el`` into ``acc``; nested blocks go to ``nested``."""
        acc.add(el.text)
        for child in el:
            if isinstance(child.tag, str):
                name = etree.QName(child).localname
                if name == "note" and child.get("type") != "inline":
                    self.note(child, block, acc.offset)
                elif name == "pb":
                    self.pages.append({"id": child.get(XML_ID), "n": child.get("n"),
                                       "block": block, "offset": acc.offset, "note": note})
                elif name == "lb":
                    acc.add(" ")
                elif note is None and name in _NESTED:
                    nested.append(child)
                else:
                    if name == "ref":
                        self._ref(child, block, note)
                    self.inline(child, acc, block, note, nested)
            acc.add(child.tail)

    def note(self, el: etree._Element, block: int | None, offset: int) -> None:
        nid = el.get(XML_ID)
        acc = _Text()
        entry = {"id": nid, "n": el.get("n"), "type": el.get("type"), "text": "",
                 "block": block, "offset": offset}
        self.notes.append(entry)
        self.inline_note(el, acc, nid)
        entry["text"] = acc.value()

    def inline_note(self, el: etree._Element, acc: _Text, nid: str | None) -> None:
        nested: list[etree._Element] = []
        self.inline(el, acc, None, nid, nested)

    def block(self, el: etree._Element, kind: str | None = None) -> None:
        name = etree.QName(el).localname
        if name in _CONTAINERS and (name not in _MAYBE_CONTAINERS or not _has_loose_text(el)):
            self.container(el)
            return
        index = len(self.blocks)
        entry: dict[str, Any] = {"type": kind or name, "text": ""}
        self.blocks.append(entry)
        for page in self.pending_pages:
            page["block"] = index
        self.pending_pages = []
        acc = _Text()
        nested: list[etree._Element] = []
        if name == "row":
            cells = []
            for cell in el.findall(tei("cell")):
                cacc = _Text()
                self.inline(cell, cacc, index, None, nested)
                cells.append(cacc.value())
            entry["cells"] = cells
            entry["text"] = "\t".join(cells)
        else:
            self.inline(el, acc, index, None, nested)
            entry["text"] = acc.value()
        for child in nested:
            self.block(child)

    def container(self, el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "pb":
                page = {"id": child.get(XML_ID), "n": child.get("n"), "block": None,
                        "offset": 0, "note": None}
                self.pages.append(page)
                self.pending_pages.append(page)
            elif name == "head" and etree.QName(el).localname == "list":
                self.block(child, "list-head")
            elif name == "note" and child.get("type") != "inline":
                self.note(child, len(self.blocks) - 1 if self.blocks else None,
                          len(self.blocks[-1]["text"]) if self.blocks else 0)
            else:
                self.block(child)


def _metadata(doc: SourceDocument, div: etree._Element) -> dict[str, Any]:
    meta: dict[str, Any] = {"header_title": None, "date": None, "place": None,
                            "classification": [], "source": None, "repository": None,
                            "collections": []}
    header = doc.header
    scope = [div]
    if header is not None:
        scope.insert(0, header)
        title = header.find("tei:fileDesc/tei:titleStmt/tei:title", NSMAP)
        if title is not None:
            meta["header_title"] = normalize("".join(title.itertext()))
        repo = header.find(".//tei:msIdentifier/tei:repository", NSMAP)
        if repo is not None:
            meta["repository"] = normalize("".join(repo.itertext()))
        meta["collections"] = [normalize("".join(c.itertext()))
                               for c in header.iterfind(".//tei:msIdentifier/tei:collection", NSMAP)]
        meta["classification"] = [normalize("".join(t.itertext())) for t in header.iterfind(
            ".//tei:keywords[@n='classification']/tei:term", NSMAP)]
    for where in scope:
        date = where.find(".//tei:creation//tei:date", NSMAP) if where is header else \
            where.find("tei:dateline//tei:date", NSMAP)
        if date is not None and meta["date"] is None:
            meta["date"] = {"when": date.get("when"), "text": normalize("".join(date.itertext()))}
        place = where.find(".//tei:creation//tei:placeName", NSMAP) if where is header else \
            where.find("tei:dateline//tei:placeName", NSMAP)
        if place is not None and meta["place"] is None:
            meta["place"] = normalize("".join(place.itertext()))
    source = div.find(".//tei:note[@type='source']", NSMAP)
    if source is not None:
        meta["source"] = normalize(text_without_notes(source))
    return meta


def _title(div: etree._Element) -> str | None:
    head = div.find(tei("head"))
    if head is None:
        return None
    text = normalize(text_without_notes(head))
    n = div.get("n")
    if n and text.startswith(f"{n}. "):
        text = text[len(n) + 2:]
    return text


def document_json(doc: SourceDocument, div: etree._Element, ids: set[str]) -> dict[str, Any]:
    """The JSON object of one document ``div`` (see module docstring)."""
    ex = _Extractor(ids)
    ex.container(div)
    return {"id": div.get(XML_ID), "n": div.get("n"), "file": doc.path.name,
            "volume": doc.volume, "title": _title(div), "metadata": _metadata(doc, div),
            "blocks": ex.blocks, "notes": ex.notes, "pages": ex.pages, "refs": ex.refs}


def export_json(docs: Sequence[SourceDocument]) -> dict[str, Any]:
    """The whole JSON object for ``docs``."""
    spaces: dict[str, set[str]] = {}
    for doc in docs:
        key = doc.volume or f"file:{doc.path}"
        spaces.setdefault(key, set()).update(
            el.get(XML_ID) for el in doc.root.iter() if isinstance(el.tag, str) and el.get(XML_ID))
    documents = [document_json(doc, div, spaces[doc.volume or f"file:{doc.path}"])
                 for doc in docs for div in doc.divs]
    return {"format": "teikit-json", "version": FORMAT_VERSION,
            "generator": f"teikit {__version__}", "documents": documents}


def render_json(docs: Sequence[SourceDocument]) -> str:
    """``export_json`` serialised (UTF-8 text, 1-space indent, trailing newline)."""
    return json.dumps(export_json(docs), ensure_ascii=False, indent=1) + "\n"
