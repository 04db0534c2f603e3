"""Export TEI: one corpus file, BagIt packages, plain text, HTML and JSON.

Modules: :mod:`.sources` (reading inputs), :mod:`.corpus`, :mod:`.bagit_package`,
:mod:`.text`, :mod:`.html`, :mod:`.json_export`, :mod:`.writer` (safe output).
"""
from __future__ import annotations

from .bagit_package import make_tei_bag, verify_bag
from .corpus import build_corpus
from .html import render_html
from .json_export import export_json, render_json
from .sources import load_documents
from .text import render_text

__all__ = ["build_corpus", "export_json", "load_documents", "make_tei_bag", "render_html",
           "render_json", "render_text", "verify_bag"]
