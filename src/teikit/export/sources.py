"""Loading the TEI files an export reads.

Two shapes are accepted: teikit's own output (a full ``<TEI>`` with a
``teiHeader``, see docs/encoding.md) and the Office of the Historian's
reference documents (a bare ``<div type="document">`` in the TEI namespace).
Directories are expanded to the ``*.xml`` files directly inside them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lxml import etree

from ..errors import InputError
from ..files import expand_paths
from ..xmlio import NSMAP, XML_ID, parse_xml, require_tei, tei, text_without_notes

# "frus1955-57v01_d186.xml" -> volume "frus1955-57v01"
_VOLUME_FROM_NAME = re.compile(r"^(frus[0-9A-Za-z.\-]+?)_d\d+[a-z]?$")


@dataclass
class SourceDocument:
    """One input file: its tree, its document ``<div>`` elements and what we know of it."""

    path: Path
    tree: etree._ElementTree
    raw: bytes
    volume: str | None
    divs: list[etree._Element] = field(default_factory=list)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def is_full_tei(self) -> bool:
        return self.root.tag == tei("TEI")

    @property
    def header(self) -> etree._Element | None:
        return self.root.find(tei("teiHeader")) if self.is_full_tei else None

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        """The title from the header, else the first document heading, else the file name."""
        header = self.header
        if header is not None:
            title = header.find("tei:fileDesc/tei:titleStmt/tei:title", NSMAP)
            if title is not None and normalize(text_without_notes(title)):
                return normalize(text_without_notes(title))
        for div in self.divs:
            head = div.find(tei("head"))
            if head is not None:
                return normalize(text_without_notes(head))
        return self.stem


def normalize(text: str) -> str:
    """Collapse runs of whitespace to single spaces and strip."""
    return " ".join(text.split())


def guess_volume(path: Path, root: etree._Element) -> str | None:
    """The FRUS volume id from the file name or the header, if it can be told."""
    match = _VOLUME_FROM_NAME.match(path.stem)
    if match:
        return match.group(1)
    if root.tag == tei("TEI"):
        for idno in root.iterfind(".//tei:teiHeader//tei:idno", NSMAP):
            if idno.get("type") in ("volume", "frus") and idno.text and idno.text.strip():
                return idno.text.strip()
    return None


def load_document(path: os.PathLike | str) -> SourceDocument:
    """Read and check one input file; raise :class:`InputError` (with line) when it is not usable TEI."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    tree = parse_xml(raw, name=str(path))
    root = tree.getroot()
    require_tei(root, path=path)
    if root.tag == tei("TEI"):
        divs = root.findall(".//tei:text//tei:div[@type='document']", NSMAP)
        if not divs:
            body = root.find("tei:text/tei:body", NSMAP)
            if body is None:
                raise InputError("<TEI> has no <text>/<body>", path=str(path), line=root.sourceline)
            divs = [d for d in body if d.tag == tei("div")]
    elif root.tag == tei("div"):
        divs = [root]
    elif root.tag == tei("teiCorpus"):
        raise InputError("input is already a teiCorpus; export its member files instead",
                         path=str(path), line=root.sourceline)
    else:
        raise InputError(f"root element <{etree.QName(root).localname}> is neither <TEI> nor "
                         f"<div type=\"document\">", path=str(path), line=root.sourceline)
    return SourceDocument(path=path, tree=tree, raw=raw, volume=guess_volume(path, root), divs=divs)


def load_documents(paths: Sequence[os.PathLike | str]) -> list[SourceDocument]:
    """Expand ``paths`` and load every file."""
    return [load_document(p) for p in expand_paths(paths)]


def document_id(div: etree._Element) -> str | None:
    return div.get(XML_ID)
