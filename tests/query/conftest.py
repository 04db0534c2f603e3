"""Fixtures for the query tests: the dev corpus as a Corpus, a teikit-shaped file, a volume."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from lxml import etree

import teikit
from teikit.xmlio import TEI_NS, XML_ID, parse_xml

DATA = Path(__file__).parent / "data"
PAGES_FIXTURE = DATA / "d59_pages.xml"


@pytest.fixture(scope="session")
def dev(dev_corpus: Path) -> teikit.Corpus:
    return teikit.Corpus(dev_corpus)


@pytest.fixture(scope="session")
def manifest(dev_corpus: Path) -> dict[str, dict]:
    """The gold manifest of the dev corpus, by xml:id."""
    data = json.loads((dev_corpus / "manifest.json").read_text("utf-8"))
    return {doc["xml_id"]: doc for doc in data["documents"]}


@pytest.fixture(scope="session")
def d59() -> teikit.Document:
    """teikit's TEI shape (docs/encoding.md) with a word and a note split across pages."""
    return teikit.load(PAGES_FIXTURE)


def build_volume(sources: list[Path], target: Path, volume_id: str = "frus1955-57v01",
                 pb_between: dict[str, str] | None = None) -> Path:
    """One <TEI> with a chapter div holding the given FRUS documents, like a FRUS volume file.

    ``pb_between`` maps a document id to the page number of a <pb> put right before it.
    """
    T = f"{{{TEI_NS}}}"
    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, volume_id)
    header = etree.SubElement(root, f"{T}teiHeader")
    title_stmt = etree.SubElement(etree.SubElement(header, f"{T}fileDesc"), f"{T}titleStmt")
    etree.SubElement(title_stmt, f"{T}title").text = "Foreign Relations, test volume"
    body = etree.SubElement(etree.SubElement(root, f"{T}text"), f"{T}body")
    chapter = etree.SubElement(body, f"{T}div", type="chapter")
    etree.SubElement(chapter, f"{T}head").text = "Chapter heading, not part of any document"
    for source in sources:
        div = copy.deepcopy(parse_xml(source).getroot())
        page = (pb_between or {}).get(div.get(XML_ID))
        if page is not None:
            pb = etree.SubElement(chapter, f"{T}pb", n=page)
            pb.set(XML_ID, f"pg_{page}")
        chapter.append(div)
    etree.ElementTree(root).write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


@pytest.fixture(scope="session")
def volume_file(dev_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """d185-d200 of frus1955-57v01 in one volume file, with the missing <pb n="401"> before d186."""
    sources = sorted(dev_corpus.glob("frus1955-57v01_d*.xml"))
    target = tmp_path_factory.mktemp("volume") / "frus1955-57v01.xml"
    return build_volume(sources, target, pb_between={"d186": "401"})
