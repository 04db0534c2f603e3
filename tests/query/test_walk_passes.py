"""The walk's passes over the tree: what :func:`teikit.query.pages.walk` learns from its structure
pass (the documents, each document's first page break) is what asking the tree for each of them
gives, on every sample file and on hand-made cases of page breaks around documents."""
from __future__ import annotations

import pytest
from lxml import etree

from teikit.errors import InputError
from teikit.query import pages
from teikit.xmlio import parse_xml
from tests.query.test_stream import FILES, TEI, summary


def asked_one_by_one(root: etree._Element) -> list[tuple]:
    """The walk with the documents found as before the structure pass and each document's first
    page break looked up in its own elements when it starts."""
    walker = pages._Walker(root, pages.document_elements(root))
    return summary(walker.run(root, pages._text_stream(root)))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in FILES] or
                         [pytest.param(None, marks=pytest.mark.skip(reason="no samples"))])
def test_one_walk_finds_what_asking_each_document_finds(path):
    try:
        root = parse_xml(path).getroot()
    except InputError:
        pytest.skip("not well-formed: refused before any walk")
    assert summary(pages.walk(root)) == asked_one_by_one(root)


@pytest.mark.parametrize("xml", [
    # a document without a page break, then one whose first break comes after a nested div
    f'<TEI {TEI}><text><body><div type="document" n="1"><p>One</p></div><pb n="5"/>'
    f'<div type="document" n="2"><div><p>a</p><pb n="1"/><p>b</p></div><pb n="2"/></div></body></text></TEI>',
    # a document without a page break before an unnumbered one and one numbered 1, between documents
    f'<TEI {TEI}><text><body><div type="document"><p>One</p></div><pb/><div type="document"><p>Two</p>'
    f'</div><pb n="1"/><div type="document"><p>Three</p></div></body></text></TEI>',
    # page breaks between documents only, and one in a header (skipped)
    f'<TEI {TEI}><teiHeader><pb n="9"/></teiHeader><text><body><pb n="3"/><div type="document"><p>x</p></div>'
    f'<pb n="4"/><div type="document"><p>y</p></div></body></text></TEI>',
    # documents that are texts (a corpus), and a root that is its only document
    f'<teiCorpus {TEI}><TEI><text><body><p>a</p><pb/><p>b</p></body></text></TEI>'
    f'<TEI><text><body><pb n="1"/><p>c</p></body></text></TEI></teiCorpus>',
    f'<div {TEI} type="document"><p>a</p><pb n="1"/><p>b</p></div>',
    '<TEI.2><text><body><p>Old <pb n="1"/>style</p></body></text></TEI.2>',
])
def test_one_walk_finds_the_first_page_break_of_each_document(xml):
    root = etree.fromstring(xml)
    assert summary(pages.walk(root)) == asked_one_by_one(root)
