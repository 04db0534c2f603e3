"""Query TEI documents from Python: ``teikit.load(path)`` and ``teikit.Corpus(paths)``.

See :mod:`teikit.query.document` for what a Document offers, :mod:`teikit.query.pages`
for how text is split into pages, :mod:`teikit.query.corpus` for cross-document
references and search, :mod:`teikit.query.index` for the SQLite FTS5 index.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ("X as X": exported names for type checkers)
    from .corpus import Corpus as Corpus, Hit as Hit
    from .document import Document as Document, Metadata as Metadata, Note as Note, Page as Page
    from .document import Paragraph as Paragraph, Ref as Ref, load as load
    from .drama import Role as Role, Speech as Speech

#: public name -> the module defining it, imported on first use: a module of this package
#: (an export reading one file's model) does not load the corpus and search machinery with it
_HOMES = {"Corpus": "corpus", "Hit": "corpus", "Document": "document", "Metadata": "document",
          "Note": "document", "Page": "document", "Paragraph": "document", "Ref": "document",
          "load": "document", "Speech": "drama", "Role": "drama"}

__all__ = ["load", "Document", "Corpus", "Hit", "Metadata", "Note", "Page", "Paragraph", "Ref", "Speech", "Role"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
