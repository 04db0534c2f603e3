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


def test_cts_reference_patterns_are_read_as_levels(client_for):
    """Perseus and First1KGreek declare their citation with cRefPattern (deepest level first)."""
    resource = Catalog([DATA / "cts_patterns.xml"]).resources[0]
    (tree,) = resource.trees()
    book = tree.structure[0]
    assert [book.unit, book.children[0].unit, book.children[0].children[0].unit] == ["book", "poem", "line"]
    assert [(u.identifier, u.level, u.parent) for u in tree.units] == [
        ("1", 1, None), ("1.1", 2, "1"), ("1.1.1", 3, "1.1"), ("1.1.2", 3, "1.1"), ("1.2", 2, "1"),
        ("1.2.1", 3, "1.2"), ("2", 1, None), ("2.1", 2, "2"), ("2.1.1", 3, "2.1")]
    [line] = passage(resource.element, tree.by_id["1.1.2"], tree.by_id["1.1.2"])
    assert line.text == "arida modo pumice expolitum?"
    client = client_for([DATA / "cts_patterns.xml"])
    rid = client.app.state.catalog.resources[0].identifier
    data = client.get(f"/api/dts/navigation?resource={rid}&ref=1.1&down=1").json()
    assert [m["identifier"] for m in data["member"]] == ["1.1", "1.1.1", "1.1.2"]
    assert data["resource"]["citationTrees"][0]["citeStructure"][0]["citeType"] == "book"


def test_unreadable_cts_patterns_leave_the_tree_inferred(tmp_path):
    source = (DATA / "cts_patterns.xml").read_text()
    broken = source.replace("#xpath(/tei:TEI/tei:text/tei:body/tei:div/tei:div[@n='$1' and @subtype='book'])",
                            "/tei:TEI//tei:div[@n='$1']")   # not an #xpath() template
    (tmp_path / "broken.xml").write_text(broken)
    divisions, paragraphs = Catalog([tmp_path / "broken.xml"]).resources[0].trees()
    assert divisions.structure[0].unit == "division" and divisions.identifier is None   # no pages: the default
    assert paragraphs.identifier == "paragraph"


def test_divisions_are_a_tree_of_their_own(client_for):
    """Chapters, parts, acts: cited by @n (else their position), titled by their heading."""
    resource = Catalog([DATA / "novel.xml"]).resources[0]
    pages, paragraphs, divisions = resource.trees()
    assert (pages.identifier, paragraphs.identifier, divisions.identifier) == (None, "paragraph", "division")
    assert [(u.identifier, u.level, u.parent, u.cite_type, u.title) for u in divisions.units] == [
        ("1", 1, None, "titlepage", None),
        ("I", 1, None, "part", "Part the First"),
        ("I.1", 2, "I", "chapter", "Chapter 1. The Arrival"),   # the note's div is not a division
        ("I.2", 2, "I", "chapter", "Chapter 2. The Departure"),
        ("II", 1, None, "part", "Part the Second"),
        ("II.3", 2, "II", "chapter", None),
        ("II.2", 2, "II", "chapter", None),                     # its @n repeats a sibling's: its position
    ]
    [chapter] = passage(resource.element, divisions.by_id["I.1"], divisions.by_id["I.1"])
    assert "The coach came." in "".join(chapter.itertext())
    client = client_for([DATA / "novel.xml"])
    rid = client.app.state.catalog.resources[0].identifier
    data = client.get(f"/api/dts/navigation?resource={rid}&tree=division&ref=I&down=1").json()
    assert [(m["identifier"], m.get("dublinCore", {}).get("title")) for m in data["member"]] == [
        ("I", ["Part the First"]), ("I.1", ["Chapter 1. The Arrival"]), ("I.2", ["Chapter 2. The Departure"])]
