"""Any TEI, not only FRUS: every sample of ../shared/tei-samples gets pages, trees and passages."""
from __future__ import annotations

from lxml import etree
import pytest

from teikit.errors import InputError
from teikit.publish.catalog import Catalog
from teikit.publish.render import Site
from teikit.serve.dts import DTS

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
            etree.fromstring(dts.document({"resource": resource.identifier}).body.encode())
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
                    assert etree.fromstring(passage.encode()).find("{https://w3id.org/api/dts#}wrapper") is not None
            published += 1
    assert published > 100, published


@pytest.mark.skipif(not (SHARED / "tei-samples" / "frus1864p3.xml").is_file(), reason="no frus1864p3.xml")
def test_a_heading_without_its_number_gets_it_once():
    catalog = Catalog([SHARED / "tei-samples" / "frus1864p3.xml"])
    page = Site(catalog, searchable=False).document(catalog.resources[2])
    assert "<h1>3. [Untitled]</h1>" in page and catalog.resources[2].label == "3. [Untitled]"
