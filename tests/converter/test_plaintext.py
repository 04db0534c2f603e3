"""TEI -> plain text: the inverse of the converter."""
from __future__ import annotations

import pytest
from lxml import etree

import teikit
from teikit.converter import convert
from teikit.converter.plaintext import to_text
from teikit.xmlio import safe_parser

from ..conftest import SEEDS, SHARED
from .conftest import FRUS_FOLDERS, corpus
from .helpers import xp

INPUTS = sorted(SEEDS.glob("*.txt")) + [
    path for name in FRUS_FOLDERS for path in sorted((SHARED / "corpus" / name).glob("*.txt"))]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_round_trip_is_lossless(path):
    text = path.read_text("utf-8")
    assert to_text(teikit.convert(text, name=str(path)).root) == text


@pytest.mark.parametrize("name", FRUS_FOLDERS)
def test_office_tei_renders_as_the_website_text(name):
    """The Office's own TEI of every era gives the website's text, document number included."""
    for xml in sorted(corpus(name).glob("*.xml")):
        root = etree.parse(str(xml), safe_parser()).getroot()
        assert to_text(root) == xml.with_suffix(".txt").read_text("utf-8"), xml.name


def test_19th_century_number_converts_back():
    xml = corpus("frus-dev-19c") / "frus1864p4_d10.xml"
    text = to_text(etree.parse(str(xml), safe_parser()).getroot())
    assert text.startswith("10. Mr. Koerner to Mr. Seward.\n\nNo. 73.]\n\n")
    div = convert(text).div
    assert div.get("n") == "10"
    assert xp(div, "string(tei:note[@rend='inline'][@type='source'])") == "No. 73.]"
