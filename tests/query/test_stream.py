"""The walk's two readers agree: the text stream made in libxslt and the node-by-node visit.

The stream is the usual reader; the visit is what the walk falls back on when the stream
cannot be trusted (a text holding the stream's mark).  Both must give the same units,
pages, notes, passages and refs on any TEI, here every file of ../shared/tei-samples and
the dev corpus, and hand-made cases of what the stream treats specially.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import teikit
from teikit.errors import InputError
from teikit.query import pages
from teikit.xmlio import parse_xml

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FILES = sorted((SHARED / "tei-samples").rglob("*.xml")) + sorted((SHARED / "corpus" / "frus-dev").glob("*.xml"))
TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'


def summary(units: list[pages.UnitText]) -> list[tuple]:
    """What a walk found, as plain values (elements by identity, texts joined)."""
    return [
        (unit.element, unit.kind,
         [(mark.n, mark.xml_id, mark.position, mark.inferred) for mark in unit.pages],
         [unit.page_text(i) for i in range(len(unit.pages))], unit.text(),
         [(note.element, note.page, sorted(note.parts), note.text, note.context,
           [note.page_text(i) for i in sorted(note.parts)]) for note in unit.notes],
         [(p.element, p.kind, p.page, p.in_note is not None, p.text) for p in unit.passages],
         [(r.element, r.page, r.text) for r in unit.refs],
         sorted((id(el), page) for el, page in unit.element_pages().items()))
        for unit in units
    ]


def both_walks(root: etree._Element) -> tuple[list[tuple], list[tuple]]:
    documents = pages.document_elements(root)
    stream = pages._text_stream(root)
    assert stream is not None, "the stream was refused"
    by_stream = pages._Walker(root, documents)
    by_stream.read_stream(root, *stream)
    by_nodes = pages._Walker(root, documents)
    by_nodes.visit_nodes(root)
    return summary(by_stream.finish(root)), summary(by_nodes.finish(root))


def file_params():
    if not FILES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SHARED} is not present"))]
    return [pytest.param(path, id=path.name) for path in FILES]


@pytest.mark.parametrize("path", file_params())
def test_the_stream_reads_every_sample_as_the_node_visit_does(path: Path) -> None:
    try:
        root = parse_xml(path).getroot()
    except InputError:
        pytest.skip("not well-formed: refused before any walk")
    by_stream, by_nodes = both_walks(root)
    assert by_stream == by_nodes


@pytest.mark.parametrize("xml", [
    # inline elements, a comment, a processing instruction, an entity-free mixed content
    f'<TEI {TEI}><text><body><p>a <hi>b<!-- c --></hi> d<?pi x?> e</p></body></text></TEI>',
    # a page break that splits a word, inside an inline element, and one inside a note
    f'<TEI {TEI}><text><body><div type="document" n="1"><p>Wor<hi>d<pb n="2" break="no"/>s</hi> on'
    f'<note n="1">A <pb n="3"/>note</note> end.</p></div></body></text></TEI>',
    # the header and standOff skipped, text outside documents, a document nested in another
    f'<TEI {TEI}><teiHeader><p>header</p></teiHeader><text><front><p>Front</p></front><body>'
    f'<div type="document"><p>One<ref target="#x">ref</ref></p><div type="document"><p>Two</p></div>'
    f'</div></body></text><standOff><p>apart</p></standOff></TEI>',
    # another vocabulary: its block elements break the line, its inline ones do not
    f'<TEI {TEI}><text><body><p>Example:</p><egXML xmlns="http://www.tei-c.org/ns/Examples">'
    f'<p>a<hi>b</hi></p><p>c</p></egXML><eg:x xmlns:eg="urn:x">y</eg:x></body></text></TEI>',
    # a root that is not marked (persName), and one that is skipped (teiHeader)
    f'<persName {TEI}>Ann <pb n="4"/>Lee</persName>',
    f'<teiHeader {TEI}><p>Only a header</p></teiHeader>',
    # TEI without a namespace (P4)
    '<TEI.2><text><body><p>Old <pb n="9"/>style</p></body></text></TEI.2>',
])
def test_the_stream_reads_what_it_treats_specially_as_the_node_visit_does(xml: str) -> None:
    by_stream, by_nodes = both_walks(etree.fromstring(xml))
    assert by_stream == by_nodes


def test_a_text_holding_the_mark_is_read_node_by_node_and_kept_whole() -> None:
    for mark in (pages._MARK, pages._MARK + "(", pages._MARK + "|"):
        xml = f'<TEI {TEI}><text><body><p>before {mark} after</p></body></text></TEI>'
        assert pages._text_stream(etree.fromstring(xml)) is None
        assert teikit.load(xml).text() == f"before {mark} after"


@pytest.mark.parametrize("xml", [
    f'<TEI xmlns="{pages.TEI_NS}"><teiHeader><p>h</p></teiHeader><text><body><pb/><p>a<!-- c --><?pi x?></p>'
    '<div xmlns=""><pb/><p>b</p></div><x:p xmlns:x="urn:x">c</x:p></body></text></TEI>',
    f'<TEI xmlns="{pages.TEI_NS}"><text><body><div type="document"><pb/><p>a<note>n</note></p></div></body></text></TEI>',
    '<TEI.2><teiHeader><p>h</p></teiHeader><text><body><pb/><p>a</p><x:p xmlns:x="urn:x">c</x:p></body></text></TEI.2>',
])
def test_the_tags_asked_for_by_namespace_find_the_elements_both_namespaces_find(xml: str) -> None:
    """A tree with no element outside a namespace is asked for TEI names only (and the reverse):
    the same marked and structure elements as when asked for both."""
    root = etree.fromstring(xml)
    marked, structure = pages._TAGS_FOR[pages._tag_patterns(root)]
    assert list(root.iter(*marked)) == list(root.iter(*pages._MARKED_TAGS))
    assert list(root.iter(*structure)) == list(root.iter(*pages._STRUCTURE_TAGS))
    stream, found = pages._stream_and_elements(root)
    assert stream is not None and found == pages.structure_elements(root)
