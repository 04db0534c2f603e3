"""TEI -> JSON with a documented, stable structure.

The output is one JSON object::

    {
      "format": "teikit-json", "version": 2, "generator": "teikit 0.1.0",
      "documents": [                       one entry per unit of teikit.load(file).units, in input
                                           order: each document, and each region of text outside
                                           documents (front matter, chapter headings ...)
        {
          "kind": "document",              or the region of text outside documents: "front",
                                           "body", "back" ... (its blocks leave the documents out)
          "id": "d186",                    the unit's id (teikit.Document.id; null if none)
          "n": "186",                      its @n (document number; null if none)
          "file": "frus1955-57v01_d186.xml",
          "volume": "frus1955-57v01",      FRUS volume (teikit.query.frus) or the volume file's id
          "title": "Telegram From ...",    the document's title (header title, else its heading
                                           without its number); null if none
          "metadata": {                    teikit.Metadata of the document (keys may be null):
            "title", "source", "repository", "classification": [str], "date" (ISO @when),
            "date_text", "place"
          },
          "blocks": [                      text blocks in reading order
            {"type": "head"|"p"|"item"|"list-head"|"dateline"|"signed"|"salute"|"row"|...,
             "text": str,                  whitespace collapsed, notes and page breaks removed
             "cells": [str]                only for "row": one string per cell
             "speech": int, "who": [str]   only for a block of a play's speech (<sp>): the speech's
                                           number in the unit (0, 1, ...) and its speakers' ids
                                           (@who without "#"), so blocks group into speeches
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

from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import AbstractSet, Any, Sequence

from lxml import etree

from .._version import __version__
from ..query import frus
from ..query.document import Document, Metadata
from ..query.pages import BLOCKS, local_name as _uncached_local_name
from ..ns import DIVISIONS
from ..xmlio import XML_ID, tei, text_without_notes
from .inputs import Input, normalize, tree_ids
from .json_indent import dumps

FORMAT_VERSION = 2
#: the keys of "metadata", in Metadata's order (read from the object: dataclasses.asdict deep-copies, at 5% of the export)
_METADATA_FIELDS = tuple(f.name for f in fields(Metadata))

_BLOCK_TAGS = {"head", "p", "item", "dateline", "signed", "salute", "row", "byline",
               "trailer", "l", "label", "opener", "closer", "postscript", "quote"}
# elements holding blocks (only when they have no loose text: else they are a block themselves)
_CONTAINERS = {"list", "table", "lg", "body", "floatingText", "opener", "closer",
               "postscript", "quote", "text", "front", "back", "group", "titlePage", "castList", "sp",
               *DIVISIONS}
# blocks that, met inside another block, become blocks of their own (others stay inline)
_NESTED = {"p", "list", "table", "lg", "floatingText", "div", "l", "opener", "closer",
           "postscript", "byline", "trailer", "dateline", "item", "row"}


#: ``{ns}p`` -> ``p``, remembered: a file has a few dozen element names and its walk asks for one
#: per element (a dictionary lookup in C, not a Python call: 4% of the export)
local_name = lru_cache(maxsize=1024)(_uncached_local_name)


def _has_loose_text(el: etree._Element) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


class _Text:
    """Accumulates text with whitespace collapsed, so offsets match the final string."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space = True  # at start: drop leading whitespace
        self.gap = False  # a block-level element met inline ended or begins here

    def word_break(self) -> None:
        """Keep the words on either side apart (``<role>Claudius</role><roleDesc>king``)."""
        self.gap = True

    def add(self, text: str | None) -> None:
        if not text:
            return
        # whitespace runs collapsed to one space (str.split's whitespace is re's \s: ~3x a re.sub's speed)
        words = " ".join(text.split())
        if not words:
            if self.space:
                return
            piece = " "
        else:
            if not self.space and text[0].isspace():
                words = " " + words
            elif self.gap and not self.space and words[0].isalnum() and self.parts[-1][-1].isalnum():
                words = " " + words
            piece = words + " " if text[-1].isspace() else words
        self.gap = False
        self.parts.append(piece)
        self.length += len(piece)
        self.space = piece[-1] == " "

    @property
    def offset(self) -> int:
        return self.length

    def value(self) -> str:
        return "".join(self.parts).rstrip()


class _Extractor:
    def __init__(self, ids: AbstractSet[str], skip: frozenset[str] = frozenset()):
        self.ids = ids
        self.skip = skip  # elements left out: the documents inside a unit of text outside documents
        self.blocks: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.pages: list[dict[str, Any]] = []
        self.refs: list[dict[str, Any]] = []
        self.pending_pages: list[dict[str, Any]] = []
        self.speeches = 0                                       # <sp> met so far
        self.speech: tuple[int, list[str]] | None = None        # the one whose blocks are made

    def _ref(self, el: etree._Element, block: int | None, note: str | None) -> None:
        target = el.get("target") or ""
        internal = target.startswith("#")
        self.refs.append({"target": target, "text": normalize(text_without_notes(el)),
                          "block": block, "note": note, "internal": internal,
                          "resolved": internal and target[1:] in self.ids})

    def inline(self, el: etree._Element, acc: _Text, block: int | None, note: str | None,
               nested: list[etree._Element]) -> None:
        """Walk the inline content of ``el`` into ``acc``; nested blocks go to ``nested``."""
        add = acc.add
        if text := el.text:
            add(text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                name = local_name(tag)
                if name == "note" and child.get("type") != "inline":
                    self.note(child, block, acc.length)
                elif name == "pb":
                    self.pages.append({"id": child.get(XML_ID), "n": child.get("n"),
                                       "block": block, "offset": acc.length, "note": note})
                elif name == "lb":
                    add(" ")
                elif note is None and name in _NESTED:
                    nested.append(child)
                else:
                    if name == "ref":
                        self._ref(child, block, note)
                    apart = name in BLOCKS  # a block-level element met inline: words stay apart
                    if apart:
                        acc.word_break()
                    self.inline(child, acc, block, note, nested)
                    if apart:
                        acc.word_break()
            if tail := child.tail:
                add(tail)

    def note(self, el: etree._Element, block: int | None, offset: int) -> None:
        nid = el.get(XML_ID)
        acc = _Text()
        entry = {"id": nid, "n": el.get("n"), "type": el.get("type"), "text": "",
                 "block": block, "offset": offset}
        self.notes.append(entry)
        self.inline_note(el, acc, nid)
        entry["text"] = acc.value()

    def inline_note(self, el: etree._Element, acc: _Text, nid: str | None) -> None:
        """The whole text of a note; blocks inside it (a note without id has no way to
        tell them apart from main text) follow its inline text."""
        pending = [el]
        while pending:
            nested: list[etree._Element] = []
            for item in pending:
                if item is not el:
                    acc.word_break()
                self.inline(item, acc, None, nid, nested)
            pending = nested

    def block(self, el: etree._Element, kind: str | None = None) -> None:
        name = local_name(el.tag)
        if name in _CONTAINERS and not _has_loose_text(el):
            self.container(el)
            return
        index = len(self.blocks)
        entry: dict[str, Any] = {"type": kind or name, "text": ""}
        if self.speech is not None:
            entry["speech"], entry["who"] = self.speech
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
        if local_name(el.tag) == "sp":
            outer, self.speech = self.speech, (self.speeches, [w.lstrip("#") for w in (el.get("who") or "").split()])
            self.speeches += 1
            try:
                self._children(el)
            finally:
                self.speech = outer
        else:
            self._children(el)

    def _children(self, el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or child in self.skip:
                continue
            name = local_name(child.tag)
            if name == "pb":
                page = {"id": child.get(XML_ID), "n": child.get("n"), "block": None,
                        "offset": 0, "note": None}
                self.pages.append(page)
                self.pending_pages.append(page)
            elif name == "head" and local_name(el.tag) == "list":
                self.block(child, "list-head")
            elif name == "note" and child.get("type") != "inline":
                self.note(child, len(self.blocks) - 1 if self.blocks else None,
                          len(self.blocks[-1]["text"]) if self.blocks else 0)
            else:
                self.block(child)


def unit_json(doc: Input, unit: Document, ids: AbstractSet[str]) -> dict[str, Any]:
    """The JSON object of one unit of an input file (see module docstring)."""
    meta = unit.metadata
    skip = frozenset() if unit.is_document else frozenset(d.element for d in doc.documents)
    ex = _Extractor(ids, skip)
    if unit.element in skip or local_name(str(unit.element.tag)) not in _CONTAINERS:
        ex.block(unit.element)
    else:
        ex.container(unit.element)
    return {"kind": unit.kind, "id": unit.id, "n": unit.number, "file": doc.path.name,
            "volume": unit.volume, "title": unit.title if unit.is_document else None,
            "metadata": {name: getattr(meta, name) for name in _METADATA_FIELDS}, "blocks": ex.blocks, "notes": ex.notes,
            "pages": ex.pages, "refs": ex.refs}


def file_space(path: Path) -> str:
    """Where a ``#id`` of the file at ``path`` may point: its FRUS volume, else the file itself."""
    return frus.volume_of_file(path.stem) or f"file:{path}"



def header() -> dict[str, Any]:
    """The fields of the JSON object before its ``documents``."""
    return {"format": "teikit-json", "version": FORMAT_VERSION, "generator": f"teikit {__version__}"}


def export_json(docs: Sequence[Input]) -> dict[str, Any]:
    """The whole JSON object for ``docs``."""
    spaces: dict[str, set[str]] = {}
    for doc in docs:
        spaces.setdefault(file_space(doc.path), set()).update(tree_ids(doc.root))
    documents = [unit_json(doc, unit, spaces[file_space(doc.path)]) for doc in docs for unit in doc.units]
    return {**header(), "documents": documents}


def render_json(docs: Sequence[Input]) -> str:
    """``export_json`` serialised (UTF-8 text, 1-space indent, trailing newline)."""
    return dumps(export_json(docs)) + "\n"
