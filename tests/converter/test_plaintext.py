"""TEI -> plain text: the inverse of the converter."""
from __future__ import annotations

import pytest
from lxml import etree

import teikit
from teikit.converter.plaintext import to_text

from ..conftest import DEV_CORPUS, SEEDS

INPUTS = sorted(SEEDS.glob("*.txt")) + sorted(DEV_CORPUS.glob("*.txt"))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_round_trip_is_lossless(path):
    text = path.read_text("utf-8")
    assert to_text(teikit.convert(text, name=str(path)).root) == text


@pytest.mark.parametrize("path", sorted(DEV_CORPUS.glob("*.xml")), ids=lambda p: p.name)
def test_reference_encoding_renders_as_its_text(path):
    """Office of the Historian TEI renders to the same text as the corpus's .txt."""
    assert to_text(etree.parse(str(path))) == path.with_suffix(".txt").read_text("utf-8")
