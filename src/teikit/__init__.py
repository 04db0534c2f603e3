"""teikit: plain-text scholarly editions to TEI P5; validate, query and export TEI.

The public API::

    teikit.convert(text, ...)      plain text -> TEI document (ConversionResult)
    teikit.validate(paths, ...)    schemas and integrity rules -> Report of Diagnostics
    teikit.load(source)            a TEI file, XML text or bytes, a file object or a tree -> Document
    teikit.Corpus(paths)           many documents, cross-references, search

Errors: :class:`TeikitError` (every error teikit raises about its input), its
subclasses :class:`InputError`, :class:`OutputError`, :class:`SchemaError` and
:class:`TeikitKeyError` (also a ``KeyError``); misused arguments raise
``TypeError``/``ValueError``.

Names are imported on first use, so ``import teikit`` stays cheap; type checkers
see the real definitions through the ``TYPE_CHECKING`` imports below.

>>> import teikit
>>> doc = teikit.load("tei/000_7077ceb38f60db2d.xml")   # doctest: +SKIP
>>> doc.number, len(doc.notes)                          # doctest: +SKIP
('59', 3)
"""
from __future__ import annotations

from ._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing (and the dataclasses of
# teikit.errors) would double the start-up of `teikit --help`; type checkers treat
# any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # ("X as X": exported names for type checkers)
    from typing import Any

    from .errors import Diagnostic as Diagnostic, InputError as InputError, OutputError as OutputError
    from .errors import TeikitError as TeikitError, TeikitKeyError as TeikitKeyError
    from .converter import ConversionResult as ConversionResult, ConversionWarning as ConversionWarning
    from .converter import convert as convert, convert_bytes as convert_bytes, convert_file as convert_file
    from .query import Corpus as Corpus, Document as Document, Hit as Hit, Metadata as Metadata
    from .query import Note as Note, Page as Page, Paragraph as Paragraph, Ref as Ref, load as load
    from .query import Role as Role, Speech as Speech
    from .validation import Report as Report, validate as validate
    from .validation.schemas import SchemaError as SchemaError

# public name -> module that defines it
_LAZY = {
    "TeikitError": "teikit.errors",
    "InputError": "teikit.errors",
    "OutputError": "teikit.errors",
    "TeikitKeyError": "teikit.errors",
    "Diagnostic": "teikit.errors",
    "convert": "teikit.converter",
    "convert_bytes": "teikit.converter",
    "convert_file": "teikit.converter",
    "ConversionResult": "teikit.converter",
    "ConversionWarning": "teikit.converter",
    "validate": "teikit.validation",
    "Report": "teikit.validation",
    "SchemaError": "teikit.validation.schemas",
    "load": "teikit.query",
    "Document": "teikit.query",
    "Corpus": "teikit.query",
    "Hit": "teikit.query",
    "Metadata": "teikit.query",
    "Note": "teikit.query",
    "Page": "teikit.query",
    "Paragraph": "teikit.query",
    "Ref": "teikit.query",
    "Speech": "teikit.query",
    "Role": "teikit.query",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teikit' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
