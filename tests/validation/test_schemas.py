"""Schema kinds: XSD 1.0/1.1, RELAX NG (.rng, .rnc), ISO Schematron (XSLT1, XSLT2 via Saxon)."""
from __future__ import annotations

import importlib.util
import os

import pytest

import teikit
from teikit.validation import SchemaError
from teikit.validation.schemas import XmlschemaValidator, cache_dir

RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0"
  datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="div"><attribute name="type"/><attribute name="n"/>
    <attribute name="xml:id" ns="http://www.w3.org/XML/1998/namespace"/>
    <oneOrMore><element name="p"><text/></element></oneOrMore></element></start>
</grammar>"""

RNC = """default namespace = "http://www.tei-c.org/ns/1.0"
start = element div { attribute type { text }, attribute n { text },
  attribute xml:id { text }, element p { text }+ }
"""

SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern><rule context="tei:p">
    <assert id="p-short" test="{test}" role="{role}">paragraph too long: {{<value-of select="string-length(.)"/>}}</assert>
  </rule></pattern>
</schema>"""

XSD11 = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.tei-c.org/ns/1.0"
  xmlns:tei="http://www.tei-c.org/ns/1.0" elementFormDefault="qualified">
  <xs:element name="div"><xs:complexType>
    <xs:sequence><xs:element name="p" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="type"/><xs:attribute name="n"/><xs:anyAttribute namespace="##other" processContents="skip"/>
    <xs:assert test="count(tei:p) le 1"/>
  </xs:complexType></xs:element>
  <xs:simpleType name="unused"><xs:restriction base="xs:int"><xs:assertion test="$value gt 0"/></xs:restriction></xs:simpleType>
</xs:schema>"""

GOOD = '<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1"><p>short</p></div>'
BAD = '<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1"><p>short</p>\n<q/></div>'
TWO_P = '<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="1" xml:id="d1"><p>a</p>\n<p>a very long one</p></div>'


@pytest.fixture
def files(tmp_path):
    def make(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return make


def test_relax_ng(files):
    schema = files("s.rng", RNG)
    assert teikit.validate(files("good.xml", GOOD), [schema], integrity=False).ok
    report = teikit.validate(files("bad.xml", BAD), [schema], integrity=False)
    (diag,) = report.diagnostics
    assert diag.rule == "s.rng" and diag.line == 2 and "q" in diag.message


def test_relax_ng_compact(files):
    if importlib.util.find_spec("rnc2rng") is None:
        with pytest.raises(SchemaError, match="rnc2rng"):
            teikit.validate(files("good.xml", GOOD), [files("s.rnc", RNC)])
        return
    schema = files("s.rnc", RNC)
    assert teikit.validate(files("good.xml", GOOD), [schema], integrity=False).ok
    assert not teikit.validate(files("bad.xml", BAD), [schema], integrity=False).ok


@pytest.mark.parametrize("role, severity", [("error", "error"), ("warning", "warning")])
def test_schematron_xslt1(files, role, severity):
    schema = files("s.sch", SCH.format(binding="xslt", test="string-length(.) &lt; 10", role=role))
    assert teikit.validate(files("good.xml", GOOD), [schema], integrity=False).diagnostics == []
    report = teikit.validate(files("two.xml", TWO_P), [schema], integrity=False)
    (diag,) = report.diagnostics
    assert (diag.rule, diag.severity, diag.line) == ("s.sch#p-short", severity, 2)
    assert diag.message == "paragraph too long: {15}"
    assert diag.path == "/div/p[2]"
    assert report.ok == (severity == "warning")


def test_shared_benchmark_schematron(tei_schemas, data):
    report = teikit.validate(data / "valid.xml", [tei_schemas / "bench-small.sch"], integrity=False)
    assert report.ok, report.diagnostics


def test_schematron_xslt2_needs_saxon_or_runs_under_it(files):
    schema = files("s2.sch", SCH.format(binding="xslt2", test="string-length(.) lt 10", role="error"))
    if importlib.util.find_spec("saxonche") is None:
        with pytest.raises(SchemaError, match="xslt2"):
            teikit.validate(files("good.xml", GOOD), [schema])
        return
    assert teikit.validate(files("good.xml", GOOD), [schema], integrity=False).ok
    (diag,) = teikit.validate(files("two.xml", TWO_P), [schema], integrity=False).diagnostics
    assert (diag.rule, diag.line, diag.message) == ("s2.sch#p-short", 2, "paragraph too long: {15}")


def test_full_xsd11_goes_to_xmlschema_and_is_pickled(files):
    schema = files("s11.xsd", XSD11)
    assert teikit.validate(files("good.xml", GOOD), [schema], integrity=False).ok
    (diag,) = teikit.validate(files("two.xml", TWO_P), [schema], integrity=False).diagnostics
    assert diag.rule == "s11.xsd" and "assert" in diag.message
    assert list(cache_dir().glob("xsd11-*.pickle"))


def test_pickled_xsd11_is_used_instead_of_compiling(files, monkeypatch):
    import xmlschema

    schema = files("s11.xsd", XSD11)
    XmlschemaValidator.compile(schema)  # fills the cache

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again instead of loading the pickle")

    monkeypatch.setattr(xmlschema, "XMLSchema11", no_compiling)
    assert XmlschemaValidator.compile(schema).is_valid(GOOD.replace("</div>", "</div>"))
    (files("s11.xsd", XSD11 + "<!-- changed -->"))
    with pytest.raises(AssertionError, match="compiled again"):
        XmlschemaValidator.compile(schema)  # the key is the content hash


def test_xsd10_schema(files):
    xsd = XSD11.replace('<xs:assert test="count(tei:p) le 1"/>', "").split("<xs:simpleType")[0] + "</xs:schema>"
    schema = files("s10.xsd", xsd)
    assert teikit.validate(files("two.xml", TWO_P), [schema], integrity=False).ok
    (diag,) = teikit.validate(files("bad.xml", BAD), [schema], integrity=False).diagnostics
    assert diag.line == 2 and "Element 'q'" in diag.message


@pytest.mark.parametrize("name, text, words", [
    ("missing.xsd", None, "not found"),
    ("broken.xsd", "<xs:schema", "not well-formed"),
    ("notschema.xsd", "<root/>", "not a usable XML Schema"),
    ("schema.txt", "x", "unknown schema type"),
    ("notsch.sch", "<schema/>", "not a Schematron schema"),
    ("remote.xsd", '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                   '<xs:include schemaLocation="https://example.org/x.xsd"/></xs:schema>', "remote schemas"),
])
def test_unusable_schema_is_a_schema_error(files, tmp_path, name, text, words):
    schema = files(name, text) if text is not None else tmp_path / name
    with pytest.raises(SchemaError, match=words):
        teikit.validate(files("good.xml", GOOD), [schema])


def test_cache_dir_is_overridable(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("TEIKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "teikit"
    assert os.fspath(cache_dir()).endswith("teikit")


def test_invalid_without_a_libxml2_message_is_still_an_error(tmp_path):
    # libxml2 rejects <foo/> here but logs nothing; the verdict must not turn into "valid"
    (tmp_path / "s.rng").write_text(
        '<element xmlns="http://relaxng.org/ns/structure/1.0"><anyName><except><name>foo</name>'
        "</except></anyName><empty/></element>")
    (tmp_path / "foo.xml").write_text("<foo/>")
    (tmp_path / "bar.xml").write_text("<bar/>")
    report = teikit.validate([tmp_path / "foo.xml", tmp_path / "bar.xml"], schemas=[tmp_path / "s.rng"], jobs=1)
    (diag,) = report.diagnostics
    assert diag.file == str(tmp_path / "foo.xml") and diag.severity == "error" and diag.line == 1


def test_external_ref_is_resolved_against_xml_base(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x").write_text('<element name="foo" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>')
    (tmp_path / "s.rng").write_text('<externalRef xmlns="http://relaxng.org/ns/structure/1.0" xml:base="sub/y" href="x"/>')
    (tmp_path / "foo.xml").write_text("<foo/>")
    assert teikit.validate(tmp_path / "foo.xml", schemas=[tmp_path / "s.rng"], jobs=1).ok
