"""The converter's output in tei/ (teikit's own TEI shape) through the query API."""
from __future__ import annotations

import re

import pytest

import teikit
from teikit.query.search import tokens
from teikit.xmlio import NSMAP


def tei_files(tei_dir):
    files = sorted(tei_dir.glob("*.xml")) if tei_dir.exists() else []
    if not files:
        pytest.skip("tei/ has not been produced yet (teikit convert seeds -o tei)")
    return files


def test_every_file_is_one_document_with_header_metadata(tei_dir):
    for path in tei_files(tei_dir):
        doc = teikit.load(path)
        assert not doc.is_volume and doc.number and doc.id == f"d{doc.number}"
        header_title = doc.element.getroottree().getroot().xpath(
            "string(tei:teiHeader//tei:titleStmt/tei:title)", namespaces=NSMAP)
        assert doc.title == " ".join(header_title.split())
        terms = doc.element.getroottree().getroot().xpath(
            "tei:teiHeader//tei:keywords[@n='classification']/tei:term/text()", namespaces=NSMAP)
        assert doc.metadata.classification == terms
        assert [n.id for n in doc.notes] == [f"{doc.id}fn{n.n}" for n in doc.notes]
        assert tokens(" ".join(p.text for p in doc.pages)) == tokens(doc.text())


def test_pages_begin_where_the_seed_has_its_page_markers(tei_dir, seeds_dir):
    checked = 0
    for path in tei_files(tei_dir):
        seed = seeds_dir / f"{path.stem}.txt"
        if not seed.exists():
            continue
        doc = teikit.load(path)
        text = seed.read_text("utf-8")
        for match in re.finditer(r"\[Page (\d+)\]", text):
            following = tokens(text[match.end():match.end() + 200])[:4]
            page = doc.page(match.group(1))
            words = tokens(page.text)
            if page.n == "1":  # pages restart in each document: the heading is on page 1 too
                joined = " ".join(words)
                assert " ".join(following) in joined, (path.name, page.n)
            else:
                assert words[:4] == following, (path.name, page.n)
            checked += 1
    assert checked >= 1
