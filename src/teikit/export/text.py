"""TEI -> the plain-text format the converter reads.

A thin wrapper around :func:`teikit.converter.plaintext.to_text`, the inverse
of ``teikit convert``: for teikit's own output the text equals the converter's
input (lossless round trip); other TEI (the Office of the Historian's files)
is rendered in the same seed format.
"""
from __future__ import annotations

from ..converter.plaintext import to_text
from .sources import SourceDocument


def render_text(doc: SourceDocument) -> str:
    """Plain text of one input file (several document divs are separated by a blank line).

    A file without document divs (a book's chapters) is one text.
    """
    if len(doc.divs) <= 1 or all(div.get("type") != "document" for div in doc.divs):
        return to_text(doc.tree)
    return "\n\n".join(to_text(div) for div in doc.divs)
