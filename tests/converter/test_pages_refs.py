"""Page breaks and cross-references."""
from __future__ import annotations

import pytest

from teikit.converter.conventions.frus import find_refs

from .helpers import body_of, serialise, xp

HEAD = "12. Memorandum1\n\n"
NOTES = "\n\n  1. Source: Department of State. Secret."


def test_standalone_page_line_is_a_pb_between_blocks():
    div, _ = body_of(HEAD + "First.\n\n[Page 283]\n\nSecond." + NOTES)
    children = [c.tag.split("}")[1] for c in div]
    assert children == ["head", "p", "pb", "p"]
    pb = xp(div, "tei:pb")[0]
    assert pb.get("n") == "283" and pb.get("{http://www.w3.org/XML/1998/namespace}id") == "pg_283"


def test_inline_page_marker_mid_sentence():
    div, _ = body_of(HEAD + "the DRV and U.S. would [Page 283] recommend it." + NOTES)
    p = xp(div, "tei:p")[0]
    assert serialise(p).endswith('would <pb n="283" xml:id="pg_283"/>recommend it.</p>')


def test_page_marker_inside_a_word_has_break_no():
    div, _ = body_of(HEAD + "an extraordi[Page 12]nary case." + NOTES)
    pb = xp(div, ".//tei:pb")[0]
    assert pb.get("break") == "no"
    assert "".join(div.xpath("string(*[2])")) == "an extraordinary case."


def test_pages_restarting_at_one_get_document_ids():
    div, _ = body_of(HEAD + "[Page 1]\n\nText [Page 2] more." + NOTES)
    ids = [pb.get("{http://www.w3.org/XML/1998/namespace}id") for pb in xp(div, ".//tei:pb")]
    assert ids == ["d12-01", "d12-02"]


def test_page_break_inside_a_note():
    div, _ = body_of(HEAD + "Text.2" + NOTES + "\n  2. Long note [Page 5] continued.")
    assert xp(div, "string(.//tei:note[@n='2']/tei:pb/@n)") == "5"


def test_page_break_between_list_items():
    div, _ = body_of(HEAD + "  • one\n[Page 9]\n  • two" + NOTES)
    assert [c.tag.split("}")[1] for c in xp(div, "tei:list")[0]] == ["item", "pb", "item"]


@pytest.mark.parametrize("text, expected", [
    ("See Document 60.", [("Document 60", "#d60")]),
    ("See footnote 2, Document 58.", [("footnote 2, Document 58", "#d58fn2")]),
    ("See Documents 208 and 215.", [("Documents 208", "#d208"), ("215", "#d215")]),
    ("Documents 119, 120, and 102.", [("Documents 119", "#d119"), ("120", "#d120"), ("102", "#d102")]),
    ("See footnote 3 above.", [("footnote 3", "#d7fn3")]),
    ("see Foreign Relations, 1952–1954, vol. XII, Part 1, p. 366.",
     [("Foreign Relations, 1952–1954, vol. XII, Part 1", "frus1952-54v12p1")]),
    ("No reference to documents here, nor to Document A.", []),
    ("printed in Foreign Relations, 1952–1954, vol. IV, pp. 1091–1093 (Document 20). See Document 5.",
     [("Foreign Relations, 1952–1954, vol. IV", "frus1952-54v4"), ("Document 5", "#d5")]),
])
def test_find_refs(text, expected):
    found = [(text[r.start:r.end], r.target) for r in find_refs(text, "d7")]
    assert found == expected


def test_refs_are_encoded_in_notes():
    div, _ = body_of(HEAD + "Text.2" + NOTES + "\n  2. See footnote 2, Document 58.")
    ref = xp(div, ".//tei:note[@n='2']/tei:ref")[0]
    assert (ref.get("target"), ref.text) == ("#d58fn2", "footnote 2, Document 58")


@pytest.mark.parametrize("text, doc_id, expected", [
    ("Supra.", "d111", [("Supra", "#d110")]),
    ("See footnote 3, supra.", "d111", [("footnote 3, supra", "#d110fn3")]),
    ("Supra.", None, []),
    ("(see first footnote 1, p. 107)", "d104", [("p. 107", "#pg_107")]),
    ("see bracketed note, p. 486.", "d105", [("p. 486", "#pg_486")]),
    ("(First report, p. 165)", "d484", []),
    ("Foreign Relations, 1948, vol. V, bracketed note, p. 486.", "d1", []),
    ("Documents 1, 2 and 3; footnote 2, Document 58.", "d9",
     [("Documents 1", "#d1"), ("2", "#d2"), ("3", "#d3"), ("footnote 2, Document 58", "#d58fn2")]),
])
def test_older_volume_references(text, doc_id, expected):
    assert [(text[r.start:r.end], r.target) for r in find_refs(text, doc_id)] == expected
