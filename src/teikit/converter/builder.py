"""Fourth stage: build the TEI tree from the structure and the aligned markers."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from lxml import etree

from .._version import __version__
from ..xmlio import TEI_NS, XML_ID, tei
from .header import HeadingInfo, SourceInfo
from .inline import InlineWriter
from .lexer import Span
from .structure import (Closer, Dateline, Item, ListNode, MixedParagraph, Node, Opener, PageBreak,
                        Paragraph, Postscript, SourceLine, Table)


_TAGS: dict[str, str] = {}      # local name -> Clark name, each built once


def sub(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new TEI child ``local`` of ``parent`` with ``attrs`` and ``text``."""
    tag = _TAGS.get(local) or _TAGS.setdefault(local, tei(local))
    el = etree.SubElement(parent, tag, attrs) if attrs else etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


class BodyBuilder:
    """Builds ``<div type="document">`` from structure nodes."""

    def __init__(self, text: str, writer: InlineWriter):
        self.text = text
        self.writer = writer

    def document_div(self, body: etree._Element, doc_id: str, number: str | None,
                     head: Sequence[Span] | None, nodes: list[Node]) -> etree._Element:
        """Build ``<div type="document">`` inside ``body`` (built in place, so no subtree is
        moved between documents afterwards)."""
        div = sub(body, "div", type="document")
        if number:
            div.set("n", number)
        div.set(XML_ID, doc_id)
        if head is not None:
            self.writer.fill(sub(div, "head"), head, line_breaks=True)
        for node in nodes:
            self.node(div, node)
        return div

    def node(self, parent: etree._Element, node: Node) -> None:
        if isinstance(node, Paragraph):
            self.writer.fill(sub(parent, "p"), node.lines)
        elif isinstance(node, PageBreak):
            self.writer.fill(parent, [node.line])
        elif isinstance(node, ListNode):
            self.list(parent, node)
        elif isinstance(node, MixedParagraph):
            p = sub(parent, "p")
            for part in node.parts:
                _space_before_next(p)
                if isinstance(part, ListNode):
                    self.list(p, part)
                else:
                    self.writer.fill(p, part)
        elif isinstance(node, Dateline):
            self.writer.fill(sub(parent, "dateline"), [node.line])
        elif isinstance(node, Table):
            table = sub(parent, "table")
            if node.head is not None:
                self.writer.fill(sub(table, "head"), [node.head])
            for row in node.rows:
                if isinstance(row, PageBreak):
                    self.writer.fill(table, [row.line])
                    continue
                r = sub(table, "row")
                for cell in row:
                    self.writer.fill(sub(r, "cell"), [cell])
        elif isinstance(node, Closer):
            self.writer.fill(sub(sub(parent, "closer"), "signed"), node.signed, line_breaks=True)
        elif isinstance(node, Opener):
            self.writer.fill(sub(sub(parent, "opener"), "seg"), node.lines, line_breaks=True)
        elif isinstance(node, Postscript):
            self.writer.fill(sub(sub(parent, "postscript"), "p"), node.lines)
        elif isinstance(node, SourceLine):
            self.writer.fill(sub(parent, "note", rend="inline", type="source"), [node.line])
        else:
            node.build(self, parent)    # a convention's own node type

    def list(self, parent: etree._Element, node: ListNode) -> None:
        lst = sub(parent, "list")
        if node.list_type:
            lst.set("type", node.list_type)
        if node.head is not None:
            self.writer.fill(sub(lst, "head"), [node.head])
        items = [e for e in node.entries if isinstance(e, Item)]
        # TEI lists take labels on every item or on none
        labelled = bool(items) and all(item.label is not None for item in items)
        for entry in node.entries:
            if isinstance(entry, Item):
                self.item(lst, entry, labelled)
            elif isinstance(entry, PageBreak):
                self.writer.fill(lst, [entry.line])
            else:
                self.list(lst, entry)
        if parent.tag in (tei("item"), tei("p")):
            # inside mixed content nothing is indented: keep the items apart
            for child in lst[:-1]:
                child.tail = child.tail or "\n"

    def item(self, parent: etree._Element, item: Item, labelled: bool) -> None:
        lines = item.lines
        if item.label is not None:      # in a labelled list every item has one
            if labelled:
                self.writer.fill(sub(parent, "label"), [item.label])
            else:
                lines = [Span(item.label.start, lines[0].end), *lines[1:]]
        el = sub(parent, "item")
        if item.paragraphs:
            self.writer.fill(sub(el, "p"), lines)
            for para in item.paragraphs:
                self.writer.fill(sub(el, "p"), para)
        else:
            self.writer.fill(el, lines)
        for sublist in item.lists:
            _space_before_next(el)
            self.list(el, sublist)


def _space_before_next(el: etree._Element) -> None:
    """End ``el``'s text so far with a line break: "are:" + a list must not read "are:Guatemala"."""
    if len(el):
        if el[-1].tail is not None or el[-1].tag != tei("lb"):
            el[-1].tail = (el[-1].tail or "").rstrip(" ") + "\n"
    elif el.text:
        el.text = el.text.rstrip(" ") + "\n"


@functools.lru_cache(maxsize=1)
def _skeleton() -> etree._Element:
    """The parts of every converted document that do not depend on it (copied, not rebuilt:
    a deep copy is one libxml2 call where building takes one Python call per element)."""
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = sub(root, "teiHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title")
    sub(sub(file_desc, "publicationStmt"), "p", f"Converted from plain text by teikit {__version__}.")
    sub(file_desc, "sourceDesc")
    app = sub(sub(sub(header, "encodingDesc"), "appInfo"), "application", ident="teikit",
              version=__version__)
    sub(app, "label", "teikit")
    sub(sub(header, "revisionDesc"), "change", f"Converted from plain text by teikit {__version__}.")
    sub(sub(root, "text"), "body")
    return root


def new_document() -> tuple[etree._Element, etree._Element]:
    """A fresh ``<TEI>`` with the fixed parts of its teiHeader, and its empty ``<body>``."""
    root = _skeleton().__copy__()       # lxml copies the whole tree, without copy.deepcopy's memo
    return root, root[1][0]


def fill_header(root: etree._Element, heading: HeadingInfo | None, source: SourceInfo | None,
                source_name: str | None, encoding: str | None = None) -> None:
    """Complete the teiHeader of a :func:`new_document` from what the conversion found."""
    header = root[0]
    file_desc, encoding_desc = header[0], header[1]
    title = heading.title if heading and heading.title else (source_name or "Untitled document")
    file_desc[0][0].text = title
    source_desc = file_desc[2]
    if source is not None and source.repository:
        ms = sub(source_desc, "msDesc")
        ident = sub(ms, "msIdentifier")
        sub(ident, "repository", source.repository)
        for collection in source.collections:
            sub(ident, "collection", collection)
        if source.idno:
            idno = sub(ident, "idno", source.idno)
            if source.idno_type:
                idno.set("type", source.idno_type)
        sub(ms, "p", source.text)
    elif source is not None:
        sub(source_desc, "p", source.text)
    else:
        sub(source_desc, "p", f"Plain-text document {source_name}." if source_name
            else "Plain-text document.")
    if encoding:
        sub(encoding_desc, "p", encoding)
    place = heading.place if heading else None
    date_text = heading.date_text if heading else None
    classification = source.classification if source else []
    if place or date_text or classification:
        profile = header.makeelement(tei("profileDesc"))
        encoding_desc.addnext(profile)
        if place or date_text:
            creation = sub(profile, "creation")
            if place:
                sub(creation, "placeName", place)
            if date_text:
                date = sub(creation, "date", date_text)
                if heading and heading.when:
                    date.set("when", heading.when)
                if place:
                    creation[0].tail = ", "
        if classification:
            keywords = sub(sub(profile, "textClass"), "keywords", n="classification")
            for term in classification:
                sub(keywords, "term", term)


# XML 1.0 (5th ed.) NameStartChar and NameChar without ":" (an NCName)
_NAME_START = ("A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF"
               "\uFDF0-\uFFFD\U00010000-\U000EFFFF")
NOT_NAME_CHAR = re.compile(f"[^{_NAME_START}\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]")
NAME_START = re.compile(f"[{_NAME_START}]")


def ncname(value: str, fallback: str = "doc") -> str:
    """A string usable as xml:id (an NCName): other characters become "_", a letter first."""
    if value.isascii() and value.isidentifier():
        return value        # an ASCII identifier is an NCName already (the common case)
    cleaned = NOT_NAME_CHAR.sub("_", value)
    if not cleaned or not NAME_START.match(cleaned):
        cleaned = fallback + "_" + cleaned if cleaned else fallback
    return cleaned
