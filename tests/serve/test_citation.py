"""Citation trees declared in the header (TEI citeStructure) and passages cut from them."""
from __future__ import annotations

from lxml import etree

from teikit.publish.catalog import Catalog
from teikit.publish.citation import passage
from teikit.xmlio import TEI_NS

from .conftest import DATA

TEI = f"{{{TEI_NS}}}"


def treatise():
    return Catalog([DATA / "declared.xml"]).resources[0]


def test_declared_structure_is_read_from_the_header():
    resource = treatise()
    default, folio = resource.trees()
    assert default.identifier is None and folio.identifier == "folio"
    assert [(u.identifier, u.level, u.parent) for u in default.units] == [
        ("I", 1, None), ("I.1", 2, "I"), ("I.2", 2, "I"), ("II", 1, None), ("II.1", 2, "II")]
    assert [s.unit for s in default.structure] == ["chapter"]
    assert default.structure[0].children[0].unit == "paragraph"
    assert [u.identifier for u in folio.units] == ["1r", "1v"]


def test_passage_of_a_declared_unit():
    resource = treatise()
    default = resource.trees()[0]
    [p] = passage(resource.element, default.by_id["I.2"], default.by_id["I.2"])
    assert p.tag == f"{TEI}p"
    assert "".join(p.itertext()) == "Second paragraph, which runs onto the next folio."


def test_passage_of_a_folio_cuts_the_paragraph_it_begins_in():
    resource = treatise()
    folio = resource.trees()[1]
    pieces = passage(resource.element, folio.by_id["1v"], folio.by_id["1v"])
    text = " ".join(" ".join("".join(p.itertext()).split()) for p in pieces)
    assert text.startswith("onto the next folio.")
    assert "Second paragraph" not in text and "Only paragraph of the second chapter." in text
    first = passage(resource.element, folio.by_id["1r"], folio.by_id["1r"])
    first_text = " ".join("".join(p.itertext()) for p in first)
    assert "which runs" in first_text and "onto the next" not in first_text


def test_navigation_of_a_declared_tree(client_for):
    client = client_for([DATA / "declared.xml"])
    rid = client.app.state.catalog.resources[0].identifier
    data = client.get(f"/api/dts/navigation?resource={rid}&ref=I&down=1").json()
    assert [m["identifier"] for m in data["member"]] == ["I", "I.1", "I.2"]
    top = client.get(f"/api/dts/navigation?resource={rid}&down=1").json()
    assert [m["identifier"] for m in top["member"]] == ["I", "II"]
    ranged = client.get(f"/api/dts/navigation?resource={rid}&start=I.2&end=II&down=1").json()
    assert [m["identifier"] for m in ranged["member"]] == ["I.2", "II", "II.1"]
    doc = client.get(f"/api/dts/document?resource={rid}&ref=II")
    root = etree.fromstring(doc.content)
    assert root.find(f"{{https://w3id.org/api/dts#}}wrapper/{TEI}div").get("n") == "II"
