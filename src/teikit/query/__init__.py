"""Query TEI documents from Python: ``teikit.load(path)`` and ``teikit.Corpus(paths)``.

See :mod:`teikit.query.document` for what a Document offers, :mod:`teikit.query.pages`
for how text is split into pages, :mod:`teikit.query.corpus` for cross-document
references and search, :mod:`teikit.query.index` for the SQLite FTS5 index.
"""
from __future__ import annotations

from .corpus import Corpus, Hit
from .document import Document, Metadata, Note, Page, Paragraph, Ref, load

__all__ = ["load", "Document", "Corpus", "Hit", "Metadata", "Note", "Page", "Paragraph", "Ref"]
