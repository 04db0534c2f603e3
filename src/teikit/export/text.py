"""TEI -> plain text: the format the converter reads, with nothing left out.

Each document is rendered by :func:`teikit.converter.plaintext.to_text`, the
inverse of ``teikit convert``: for teikit's own output the text equals the
converter's input (lossless round trip); the Office of the Historian's files
come out in the same seed format.  That format has no place for every TEI
construction, so a unit whose rendering would lose words (text outside
documents, a ``teiCorpus``, forme work ...) is written as the text
:func:`teikit.load` reads from it instead (one line per paragraph, its notes
as ``N. text`` lines after it).  Units are separated by a blank line.  A file
converted from a whole-book convention (Project Gutenberg: chapters, no document
divs) is written back whole by that convention.
"""
from __future__ import annotations

from ..converter.plaintext import recorded_convention, to_text
from ..query.document import Document
from .inputs import Input, missing_words


def render_unit(unit: Document) -> str:
    """The seed-format text of ``unit`` when it keeps every word, else the loaded text."""
    loaded = unit.text(notes=True)
    if unit.is_document:
        seed = to_text(unit.element)
        if not missing_words(loaded, seed):
            return seed
    return loaded


def render_text(doc: Input) -> str:
    """Plain text of one input file (its units separated by a blank line)."""
    book = recorded_convention(doc.root)
    if book is not None and book.write_document is not None:
        return to_text(doc.root, book)
    return "\n\n".join(text for text in map(render_unit, doc.units) if text)
