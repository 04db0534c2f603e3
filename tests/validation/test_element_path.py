"""``element_path``: right paths, and each parent's children counted once (linear time)."""
from __future__ import annotations

from lxml import etree

from teikit.validation.diagnostics import element_at, element_path

TEI = "http://www.tei-c.org/ns/1.0"


class CountingElement(etree.ElementBase):
    """Counts the children handed out by ``iterchildren`` (what the path computation walks)."""

    visited = 0

    def iterchildren(self, *args, **kwargs):
        for child in super().iterchildren(*args, **kwargs):
            CountingElement.visited += 1
            yield child


def _parse(xml: str) -> etree._Element:
    parser = etree.XMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=CountingElement))
    return etree.fromstring(xml, parser)


def test_paths_name_positions_only_among_same_named_siblings():
    root = _parse(f'<TEI xmlns="{TEI}"><text><body><head/><p/><!--c--><p/><div/></body></text></TEI>')
    body = root[0][0]
    assert [element_path(e) for e in body] == [
        "/TEI/text/body/head", "/TEI/text/body/p[1]", None, "/TEI/text/body/p[2]", "/TEI/text/body/div"]
    assert element_path(root) == "/TEI"


def test_paths_of_every_sibling_cost_linear_time():
    """8,000 same-named siblings, one diagnostic each: 8,000 children visited, not 8,000²."""
    n = 8_000
    root = _parse(f'<TEI xmlns="{TEI}"><text><body>' + "<p/>" * n + "</body></text></TEI>")
    paragraphs = list(root.iter(f"{{{TEI}}}p"))
    CountingElement.visited = 0
    paths = [element_path(p) for p in paragraphs]
    assert paths[-1] == f"/TEI/text/body/p[{n}]"
    assert CountingElement.visited <= n + 10


def test_a_new_document_is_not_confused_with_the_previous_one():
    first = _parse(f'<TEI xmlns="{TEI}"><p/><p/></TEI>')
    second = _parse(f'<TEI xmlns="{TEI}"><p/></TEI>')
    assert element_path(first[1]) == "/TEI/p[2]"
    assert element_path(second[0]) == "/TEI/p"
    assert element_path(first[0]) == "/TEI/p[1]"


def test_libxml2_error_paths_are_found_without_xpath():
    root = _parse(f'<TEI xmlns="{TEI}"><teiHeader/><text><body><p/><p/><x:q xmlns:x="urn:x"/></body></text>'
                  '</TEI>')
    tree = root.getroottree()
    body = root[1][0]
    assert element_at(tree, "/*/*[2]/*/*[2]") is body[1]
    assert element_at(tree, "/*/*[2]/*/x:q") is body[2]
    assert element_at(tree, "/*/*[2]/*/*[9]") is None
    assert element_at(tree, "/*/comment()[1]") is None
    for element in root.iter():
        assert element_at(tree, tree.getpath(element)) is element  # lxml's paths are libxml2's


def test_libxml2_error_paths_cost_linear_time():
    n = 8_000
    root = _parse(f'<TEI xmlns="{TEI}"><text><body>' + "<p/>" * n + "</body></text></TEI>")
    tree = root.getroottree()
    CountingElement.visited = 0
    found = [element_at(tree, f"/*/*/*/*[{k}]") for k in range(1, n + 1)]
    assert found[-1] is root[0][0][-1]
    assert CountingElement.visited <= n + 10
