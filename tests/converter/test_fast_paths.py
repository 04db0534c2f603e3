"""Shortcuts taken for speed give exactly what the general path gives.

Each test runs a fast path beside the plain computation it replaces, on the
seeds, the converter's fixtures, the shared corpora when present, and inputs
made to hit the edge cases.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import teikit
from teikit.converter import _stem, convention
from teikit.converter.builder import NAME_START, NOT_NAME_CHAR, ncname
from teikit.converter.conventions import frus
from teikit.converter.markers import NEXT_DIGIT_RUN

from ..conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
TEXT_FILES = sorted((ROOT / "seeds").glob("*.txt")) + \
    sorted((Path(__file__).parent / "data").rglob("*.txt")) + \
    sorted((SHARED / "corpus").glob("frus-dev*/*.txt"))
EDGE_TEXTS = [
    "", "7", "x", "12a", "a1b22c333", "٣4x ٤٥", "１２ full width", "1955.2 and Paris 4352)",
    "footnote 3, Document 12; Documents 4, 5 and 6; see note, p. 12, footnote 2, p. 14",
    "Supra. footnote 7 above; Foreign Relations, 1955–1957, vol. XIV, Part 2, p. 3",
    "Document 20 (in Foreign Relations, 1952–1954, vol. IV, Document 20)", "pp. 4 Documentary",
]


def texts() -> list[str]:
    return [p.read_text("utf-8") for p in TEXT_FILES] + EDGE_TEXTS


def test_there_are_texts_to_compare():
    assert len(TEXT_FILES) >= 2


@pytest.mark.parametrize("text", texts())
def test_digit_runs_are_those_of_a_search(text):
    """markers.NEXT_DIGIT_RUN finds the digit runs a search finds, in any region."""
    digits = re.compile(r"\d+")
    for start, end in [(0, len(text)), (len(text) // 3, len(text) - len(text) // 4), (5, 9)]:
        runs = [m.span(1) for m in NEXT_DIGIT_RUN.finditer(text, start, end) if m.group(1)]
        assert runs == [m.span() for m in digits.finditer(text, start, end)]


@pytest.mark.parametrize("text", texts())
def test_references_are_those_of_a_search(text):
    """frus._references tries a match only where a reference can begin: same matches as finditer."""
    for chunk in [text, *text.split("\n")]:
        assert [m.span() for m in frus._references(chunk)] == \
            [m.span() for m in frus.REFERENCE.finditer(chunk)]


REFERENCE_DOCUMENTS = [
    "12. Memorandum1\n\nSee Document 5 and footnote 2 above.2 Docu[Page 3]ment 6, Supra.\n\n"
    "Foreign Relations, 1955–1957, vol. XIV, Part 2, p. 3; see note, p. 486.\n\n"
    "  1. Source: Department of State. See Documents 4, 5 and 6.\n  2. footnote 3, Document 12.",
    "3. Telegram\n\nDocument\n\n7 and footnote\n1 above; Supra\n",
]


@pytest.mark.parametrize("text", [p.read_text("utf-8") for p in TEXT_FILES[:40]] + REFERENCE_DOCUMENTS)
def test_ref_cues_change_no_output(text):
    """The writer skips spans without a cue: the same TEI as searching every span."""
    searching_all = dataclasses.replace(convention.get("frus"), ref_cues=())
    try:
        expected = teikit.convert(text, name="t.txt", convention=searching_all).to_bytes()
    except teikit.InputError:
        return      # not a document the FRUS reading accepts: nothing to compare
    assert teikit.convert(text, name="t.txt", convention="frus").to_bytes() == expected


def test_the_reference_documents_have_references():
    assert teikit.convert(REFERENCE_DOCUMENTS[0]).to_bytes().count(b"<ref ") >= 8


def test_every_frus_reference_holds_a_cue():
    """The contract of Convention.ref_cues: find_refs finds nothing in a text without one."""
    for text in texts():
        for chunk in text.split("\n"):
            if frus.find_refs(chunk, "d7"):
                assert any(cue in chunk for cue in frus.REF_CUES), chunk


@pytest.mark.parametrize("name", ["a.txt", "a.", "a", ".bashrc", "..", ".", "", "<input>", "x.tar.gz",
                                  "a..b", ".a.b", "...", "dir/doc 1.txt", "/x/y.txt", "y/", "ä.txt",
                                  "c:x.txt"])
def test_stem_is_that_of_a_path(name):
    assert _stem(name) == Path(name).stem


@pytest.mark.parametrize("value", ["d59", "pg_283", "d77-01", "_x", "1abc", "a b", "é1", "fnstar", "",
                                   "d5fn*", "x.y"])
def test_ncname_fast_path_agrees_with_the_general_rule(value):
    cleaned = NOT_NAME_CHAR.sub("_", value)
    if not cleaned or not NAME_START.match(cleaned):
        cleaned = "doc_" + cleaned if cleaned else "doc"
    assert ncname(value) == cleaned
