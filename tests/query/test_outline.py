"""A one-document file's outline (heading, title, date, place, pages) read without its model.

:func:`teikit.query.document.outline` must say exactly what the model says: checked on
every FRUS document file of the dev corpora, on every document of the volumes and samples
in ../shared/tei-samples written out alone (as a FRUS document file is), and on hand-made
headings (line breaks, notes, notes in notes, page breaks).  :func:`~teikit.query.pages.passage_text`
(the heading read alone) must give what the walk of the whole document gives.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from teikit.errors import InputError
from teikit.query import pages
from teikit.query.document import outline, from_tree
from teikit.xmlio import parse_xml

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DOCUMENT_FILES = [path for name in ("frus-dev", "frus-dev-1950s", "frus-dev-19c")
                  for path in sorted((SHARED / "corpus" / name).glob("*.xml"))]
SAMPLES = sorted((SHARED / "tei-samples").rglob("*.xml"))
TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _need(files: list[Path]) -> list[Path]:
    if not files:
        pytest.skip(f"{SHARED} is not present")
    return files


def _model_says(root: etree._Element) -> tuple:
    model = from_tree(root)
    return (model.heading, model.title, model.metadata.date, model.metadata.place,
            any(not page.inferred for page in model.pages))


def _outline_says(root: etree._Element) -> tuple:
    found = outline(root)
    assert found is not None
    return found.heading, found.title, found.date, found.place, found.has_pages


def _alone(document: etree._Element) -> etree._Element:
    """``document`` as the root of a file of its own (a FRUS document file)."""
    root = copy.deepcopy(document)
    root.tail = None
    return etree.fromstring(etree.tostring(root))


def _documents_of_samples() -> list[etree._Element]:
    found = []
    for path in _need(SAMPLES):
        try:
            root = parse_xml(path).getroot()
        except InputError:
            continue
        found.extend(el for el in pages.document_elements(root) if el.get("type") == "document")
    return found


def test_every_frus_document_file_is_outlined_as_its_model_says() -> None:
    files = _need(DOCUMENT_FILES)
    for path in files:
        root = parse_xml(path).getroot()
        assert _outline_says(root) == _model_says(root), path.name


def test_every_document_of_the_samples_written_alone_is_outlined_as_its_model_says() -> None:
    documents = _documents_of_samples()
    assert len(documents) > 800  # frus1864p3.xml alone has hundreds, with notes and line breaks in headings
    for document in documents:
        root = _alone(document)
        assert _outline_says(root) == _model_says(root), document.get("{http://www.w3.org/XML/1998/namespace}id")


@pytest.mark.parametrize("head", [
    "<head>185. Telegram From the <persName>Secretary</persName> to Paris</head>",
    "<head>12. Memorandum<lb/>From the Secretary<lb/>to the President</head>",
    "<head>13. Letter<note n='1' type='source'>Source: Secret<note n='2'>inner</note>.</note> to Diem</head>",
    "<head>14. Note<note n='1'>ends <pb n='3' break='no'/></note> here</head>",
    "<head>15. Split wo<pb n='4' break='no'/>rd in a heading</head>",
    "<head>16. <hi rend='italic'>Editorial</hi> Note<x:note xmlns:x='urn:x'>foreign</x:note>!</head>",
    "<head>17. Plain <note xmlns=''>no namespace</note>note</head>",
    "<head>18.</head>",
    "<head>19. A <!-- not text --><persName>B</persName>\u00a0C<?pi x?> D</head>",  # read by the walk
    "<head>20. See <ref target='#d1'>Document <hi>1</hi></ref> and <orgName>the  Office</orgName></head>",
    "<head/>",
    "<p>No heading at all</p>",
])
def test_hand_made_headings_are_outlined_as_the_model_says(head: str) -> None:
    root = etree.fromstring(
        f"<div {TEI} type='document' xml:id='d9' n='9'>{head}"
        f"<dateline><placeName>Saigon,</placeName> <date when='1955-05-01'>May 1</date></dateline>"
        f"<p>Text<pb n='5'/>more.</p></div>")
    assert _outline_says(root) == _model_says(root)


@pytest.mark.parametrize("xml", [
    f"<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader>"
    "<text><body><div type='document'><head>1. A</head></div></body></text></TEI>",  # a header: its title
    f"<div {TEI} type='document'><teiHeader/><head>1. A</head></div>",  # a header inside
    f"<div {TEI} type='volume'><div type='document'><head>1. A</head></div>"
    "<div type='document'><head>2. B</head></div></div>",  # several documents
    f"<div {TEI} type='document'><head>1. A</head><facsimile><p>x</p></facsimile></div>",  # text the walk skips
])
def test_other_files_are_not_outlined(xml: str) -> None:
    assert outline(etree.fromstring(xml)) is None


def test_a_passage_read_alone_has_the_text_the_walk_of_its_document_gives() -> None:
    checked = 0
    for path in _need(SAMPLES) + DOCUMENT_FILES:
        try:
            root = parse_xml(path).getroot()
        except InputError:
            continue
        for unit in pages.walk(root):
            for passage in unit.passages:
                if passage.in_note is None and passage.element.getparent() is unit.element:
                    assert pages.passage_text(passage.element) == passage.text, path.name
                    checked += 1
    assert checked > 5000
