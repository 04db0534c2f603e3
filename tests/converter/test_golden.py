"""Whole outputs: tei/ is the converter's output for seeds/, and it is real TEI P5."""
from __future__ import annotations

import pytest
from lxml import etree

import teikit
from teikit.converter import convert_file

from ..conftest import SEEDS, TEI_DIR

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_every_seed_has_its_tei():
    assert SEED_FILES, "seeds/ is empty"
    assert sorted(p.stem for p in TEI_DIR.glob("*.xml")) == [p.stem for p in SEED_FILES]


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_tei_is_up_to_date(seed):
    """Regenerate with: teikit convert seeds -o tei --force"""
    result = convert_file(seed)
    assert result.to_bytes() == (TEI_DIR / f"{seed.stem}.xml").read_bytes()


@pytest.fixture(scope="module")
def tei_all(tei_schemas):
    return etree.RelaxNG(etree.parse(str(tei_schemas / "tei_all.rng")))


def test_tei_files_validate_against_tei_all(tei_all):
    for path in sorted(TEI_DIR.glob("*.xml")):
        assert tei_all.validate(etree.parse(str(path))), (path, tei_all.error_log)


def test_dev_corpus_output_validates_against_tei_all(tei_all, dev_corpus):
    for path in sorted(dev_corpus.glob("*.txt")):
        root = teikit.convert(path.read_text("utf-8"), name=str(path)).root
        assert tei_all.validate(etree.ElementTree(root)), (path, tei_all.error_log)


TRICKY = [
    "5. Memo1\n\nWashington, May 5, 1955.2\n\nREFERENCES\n  • A. NSC 5405\n  • B. NSC 5429/5\n\n"
    "Text that is extraordi[Page 7]nary.\n\n  • 1. First\n\n    More of it.\n\n  • 2. Second\n"
    "    • nested one\n    • nested two\n\nThe points are:\n  • one\n  • two\n\n"
    "Forces\nArmy\t16,000\n[Page 8]\nNavy\t3,000\n\nDulles\n\n"
    "  1. Source: Department of State, Central Files, 751G.00/5–1255. Secret.\n"
    "  2. Dateline note.\n  3. Unanchored note.\n     Second paragraph [Page 9] of it.",
    "No heading here, just a paragraph without a number that goes on for a while.",
]


@pytest.mark.parametrize("text", TRICKY, ids=["structures", "no-heading"])
def test_unusual_structures_are_valid_tei(tei_all, text):
    root = teikit.convert(text, name="tricky.txt").root
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log
