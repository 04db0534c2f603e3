"""teikit: plain-text scholarly editions to TEI P5; validate, query and export TEI.

The public API::

    teikit.convert(text, ...)      plain text -> TEI document (lxml tree)
    teikit.validate(paths, ...)    schemas and integrity rules -> Report
    teikit.load(path)              a TEI file -> Document
    teikit.Corpus(paths)           many documents, cross-references, search

Names are imported on first use, so ``import teikit`` stays cheap.
"""
from __future__ import annotations

import importlib
from typing import Any

from ._version import __version__
from .errors import InputError, OutputError, TeikitError

# public name -> module that defines it
_LAZY = {
    "convert": "teikit.converter",
    "ConversionResult": "teikit.converter",
    "validate": "teikit.validation",
    "Report": "teikit.validation",
    "Diagnostic": "teikit.validation",
    "load": "teikit.query",
    "Document": "teikit.query",
    "Corpus": "teikit.query",
}

__all__ = ["__version__", "TeikitError", "InputError", "OutputError", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teikit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
