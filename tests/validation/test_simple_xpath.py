"""Simple assertions compiled to Python agree with elementpath (XPath 2.0) on every case."""
from __future__ import annotations

import itertools

import elementpath
import pytest
from lxml import etree

from teikit.validation.schemas import bundled_schema_path
from teikit.validation.simple_xpath import compile_test

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
PROFILE_TESTS = sorted(set(etree.parse(str(bundled_schema_path())).xpath(
    "//xs:assert/@test", namespaces={"xs": "http://www.w3.org/2001/XMLSchema"})))
MORE_TESTS = [
    "@n != 'x'", "contains(@type, 'doc')", "@n = @type", "matches(@n, '^[ivx]+$', 'i')",
    "starts-with(@xml:id, concat(@type, '-'))", "(@n)", "not(not(@type))",
]
VALUES = {"type": [None, "", "document", "doc-x"], XML_ID: [None, "", "d12", "d12a", "d12fn3", "pg_5", "x-1"],
          "n": [None, "", "12", "3", "5", "IV", "x"]}


def elements():
    for combo in itertools.product(*VALUES.values()):
        attrs = {k: v for k, v in zip(VALUES, combo) if v is not None}
        yield etree.Element("{http://www.tei-c.org/ns/1.0}div", attrs)


def reference(test: str, elem: etree._Element) -> bool:
    token = elementpath.XPath2Parser().parse(test)
    root = elementpath.get_node_tree(etree.Element(elem.tag, dict(elem.attrib)), fragment=True)
    return token.boolean_value(token.evaluate(elementpath.XPathContext(root=root)))


@pytest.mark.parametrize("test", PROFILE_TESTS + MORE_TESTS)
def test_compiled_test_agrees_with_elementpath(test):
    fast = compile_test(test, {})
    assert fast is not None, test
    for elem in elements():
        assert fast(elem) == reference(test, elem), (test, dict(elem.attrib))


@pytest.mark.parametrize("test", [
    "count(*) = 1", "string(.) = ''", "@n > 2", "tei:p", "$x", "matches(@n, @type)", "not(@n", "@n = 'a' or",
    "matches(@n, 'a', 'x')", "@foo:bar = 'x'"])
def test_anything_else_is_left_to_elementpath(test):
    assert compile_test(test, {}) is None
