"""Small helpers for converter tests."""
from __future__ import annotations

from lxml import etree

import teikit
from teikit.xmlio import NSMAP


def body_of(text: str):
    """Convert ``text`` and return (document div, warnings)."""
    result = teikit.convert(text, name="test.txt")
    return result.div, result.warnings


def xp(el, path: str):
    return el.xpath(path, namespaces=NSMAP)


def note_context(div, n: str, before: int = 12) -> str:
    """The text that immediately precedes note ``n`` (to check where it sits)."""
    note = xp(div, f".//tei:note[@n='{n}']")[0]
    prev = note.getprevious()
    if prev is None:
        text = note.getparent().text or ""
    else:
        text = prev.tail or ""
    return text[-before:]


def serialise(el) -> str:
    return etree.tostring(el, encoding="unicode")
