"""Export TEI: one corpus file, BagIt packages, plain text, HTML and JSON.

Inputs are read with :func:`teikit.load` (:mod:`.inputs`); modules :mod:`.corpus`,
:mod:`.bagit_package`, :mod:`.text`, :mod:`.html`, :mod:`.json_export`, :mod:`.writer`
(safe output).  The names below are imported on first use, so an export imports only
the modules of its own format (the converter and bagit are not loaded for a JSON export).
"""
from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module defining it
_HOMES = {
    "Input": "inputs", "load_inputs": "inputs", "read_inputs": "inputs",
    "make_tei_bag": "bagit_package", "verify_bag": "bagit_package",
    "build_corpus": "corpus", "render_html": "html",
    "export_json": "json_export", "render_json": "json_export", "render_text": "text", "export_text": "text",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
