"""Any TEI, not only FRUS: every sample of ../shared/tei-samples gets pages, trees and passages."""
from __future__ import annotations

from lxml import etree
import pytest

from teikit.errors import InputError
from teikit.publish.catalog import Catalog
from teikit.publish.render import Site
from teikit.serve.dts import DTS
from teikit.xmlio import parse_xml  # well-formedness, as teikit reads (repeated xml:ids are not errors)

from ..conftest import SHARED

SAMPLES = sorted((SHARED / "tei-samples").rglob("*.xml")) if (SHARED / "tei-samples").is_dir() else []


@pytest.mark.skipif(not SAMPLES, reason="../shared/tei-samples is not present")
def test_every_sample_is_published():
    published = 0
    for path in SAMPLES:
        try:
            catalog = Catalog([path])
        except InputError:
            continue  # not well-formed: refused with file:line, tested elsewhere
        site, dts = Site(catalog, searchable=False), DTS(catalog)
        for resource in catalog.resources:
            assert site.document(resource).startswith("<!DOCTYPE html>")
            parse_xml(dts.document({"resource": resource.identifier}).body.encode())  # well-formed
            for tree in resource.trees():
                query = {"resource": resource.identifier, "down": "-1"}
                if tree.identifier:
                    query["tree"] = tree.identifier
                answer = dts.navigation(query, "x")
                expected = [u.identifier for u in tree.units]
                assert [m["identifier"] for m in answer["member"]] == expected[:len(answer["member"])]
                assert ("view" in answer) == (len(expected) > len(answer["member"]))
                for unit in tree.units[:2]:
                    passage = dts.document({**{k: v for k, v in query.items() if k != "down"},
                                            "ref": unit.identifier}).body
                    assert parse_xml(passage.encode()).find("{https://w3id.org/api/dts#}wrapper") is not None
            published += 1
    assert published > 100, published


@pytest.mark.skipif(not (SHARED / "tei-samples" / "frus1864p3.xml").is_file(), reason="no frus1864p3.xml")
def test_a_heading_without_its_number_gets_it_once():
    catalog = Catalog([SHARED / "tei-samples" / "frus1864p3.xml"])
    third = next(r for r in catalog.resources if r.number == "3")
    page = Site(catalog, searchable=False).document(third)
    assert "<h1>3. [Untitled]</h1>" in page and third.label == "3. [Untitled]"


@pytest.mark.skipif(not SAMPLES, reason="../shared/tei-samples is not present")
def test_the_catalog_names_documents_as_the_model_does():
    """Start-up names a one-document file without building its model: the names must agree."""
    checked = 0
    for path in SAMPLES:
        try:
            catalog = Catalog([path])
        except InputError:
            continue
        for resource in catalog.resources:
            if resource.unit is None and not resource.document.is_volume:
                assert (resource.doc_id, resource.number) == (resource.document.id, resource.document.number), path
                checked += 1
    assert checked > 50, checked


@pytest.mark.skipif(not (SHARED / "tei-samples" / "frus1864p3.xml").is_file(), reason="no frus1864p3.xml")
def test_text_outside_documents_is_published_and_links_to_them():
    catalog = Catalog([SHARED / "tei-samples" / "frus1864p3.xml"])
    kinds = [r.document.kind for r in catalog.resources]
    assert kinds[0] == "front" and kinds.count("document") == len(catalog.resources[0].source.model.documents)
    site = Site(catalog, searchable=False)
    front = site.document(catalog.resources[0])
    assert "Front matter" in front and 'class="unit-link"' not in front
    around = next(r for r in catalog.resources if r.document.kind == "body")
    page = site.document(around)
    assert page.count('class="unit-link"') == kinds.count("document")  # linked once each, not repeated
    assert "Mr. Dayton to Mr. Seward</a>" in page
    tree = etree.HTML(page)
    ids = set(tree.xpath("//@id"))
    assert all(href[1:] in ids for href in tree.xpath("//a/@href") if href.startswith("#"))
    d1 = next(r for r in catalog.resources if r.doc_id == "d1")
    assert catalog.collection("frus1864p3").resource_holding("d1") is d1


def test_a_collection_may_not_shadow_the_api(tmp_path):
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "one.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>')
    with pytest.raises(InputError, match="may not be called 'api'"):
        Catalog([folder / "one.xml"])


def test_only_frus_file_names_make_volumes(tmp_path):
    """``<volume>_d<N>.xml`` is the FRUS file convention: other projects' files join their folder's collection."""
    text = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>'
    anthology = tmp_path / "anthology"
    anthology.mkdir()
    for name in ("poems_d3.xml", "frus1955-57v01_d3.xml"):
        (anthology / name).write_text(text)
    catalog = Catalog(sorted(anthology.glob("*.xml")))
    assert sorted(r.identifier for r in catalog.resources) == ["anthology/poems_d3", "frus1955-57v01/frus1955-57v01_d3"]


def test_rendering_one_document_builds_only_its_own_model(dev_corpus):
    catalog = Catalog(sorted(dev_corpus.glob("*.xml")))
    resource = next(r for r in catalog.resources if r.identifier == "frus1955-57v01/d186")
    page = Site(catalog, searchable=False).document(resource)
    assert 'href="../frus1955-57v01/d189.html"' in page  # a cross-reference resolved ...
    built = {r.identifier for r in catalog.resources if "model" in vars(r.source)}
    assert built <= {resource.identifier, resource.previous.identifier, resource.next.identifier}  # ... lazily
