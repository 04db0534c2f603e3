"""Notebook display (``_repr_html_``) and DataFrames of documents, notes, pages, refs and hits."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

import teikit

FIXTURE = Path(__file__).resolve().parent / "data" / "d59_pages.xml"


@pytest.fixture(scope="module")
def corpus() -> teikit.Corpus:
    return teikit.Corpus(FIXTURE)


def test_repr_of_a_corpus_says_what_is_in_it(corpus):
    assert repr(corpus) == "<Corpus: 1 document(s) in 1 file(s), 4 note(s)>"


def test_html_of_every_kind_is_well_formed_and_escaped(corpus):
    doc = corpus.documents[0]
    hits = corpus.search("Kissinger")
    for item in (corpus, doc, doc.notes[0], doc.pages[0], hits, hits[0]):
        markup = item._repr_html_()
        fragment = html.fragment_fromstring(markup, create_parent="div")
        assert fragment.text_content().strip()
    assert doc.notes[0].cite() in doc.notes[0]._repr_html_()
    assert "<td>d59</td>" in corpus._repr_html_()
    assert f"{len(hits)} hit(s)" in hits._repr_html_()


def test_frames_have_one_row_per_item(corpus):
    pytest.importorskip("pandas")
    doc = corpus.documents[0]
    notes = corpus.notes_frame()
    assert list(notes["id"]) == [n.id for n in doc.notes]
    assert list(notes["text"]) == [n.text for n in doc.notes]
    pages = doc.pages_frame()
    assert list(pages["page"]) == [p.n for p in doc.pages]
    assert len(corpus.refs_frame()) == len(doc.refs)
    documents = corpus.to_pandas()
    assert documents.loc[0, "id"] == "d59" and documents.loc[0, "notes"] == len(doc.notes)
    hits = corpus.search("Kissinger").to_pandas()
    assert len(hits) == len(corpus.search("Kissinger")) and "citation" in hits.columns


def test_import_teikit_does_not_import_pandas():
    code = "import sys, teikit; teikit.Corpus; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
