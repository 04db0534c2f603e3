"""Export TEI: one corpus file, BagIt packages, plain text, HTML and JSON.

Inputs are read with :func:`teikit.load` (:mod:`.inputs`); modules :mod:`.corpus`,
:mod:`.bagit_package`, :mod:`.text`, :mod:`.html`, :mod:`.json_export`, :mod:`.writer`
(safe output).
"""
from __future__ import annotations

from .bagit_package import make_tei_bag, verify_bag
from .corpus import build_corpus
from .html import render_html
from .inputs import Input, load_inputs, read_inputs
from .json_export import export_json, render_json
from .text import render_text

__all__ = ["Input", "build_corpus", "export_json", "load_inputs", "make_tei_bag", "read_inputs",
           "render_html", "render_json", "render_text", "verify_bag"]
