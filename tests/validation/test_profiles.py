"""Schema choice: a named schema means exactly that schema; FRUS conventions are a profile."""
from __future__ import annotations

import pytest
from lxml import etree

import teikit
from teikit.converter import convert_file
from teikit.validation import frus

from tests.conftest import ROOT, SHARED

# a correspondence edition's letter: TEI, but none of FRUS's conventions
LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Letter</title>
</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><div type="document" xml:id="letter-12">
<p>Dear<note n="2" xml:id="n-a">first note, numbered 2</note><pb n="9"/> friend<pb n="4"/>.</p>
</div></body></text></TEI>"""

MINIMAL_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
  targetNamespace="http://www.tei-c.org/ns/1.0"><xs:element name="TEI"><xs:complexType>
  <xs:sequence><xs:any processContents="skip" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType></xs:element></xs:schema>"""


@pytest.mark.parametrize("name, expected", [
    ("valid.xml", True), ("note-sequence.xml", True), ("unknown-element.xml", True)])
def test_frus_files_are_recognised(data, name, expected):
    assert frus.is_frus(etree.parse(str(data / name))) is expected


def test_other_tei_is_not_frus(tmp_path):
    assert not frus.is_frus(etree.ElementTree(etree.fromstring(LETTER)))
    idno = LETTER.replace("<p>x</p></publicationStmt>", '<idno type="frus">frus1969-76v01</idno></publicationStmt>')
    assert frus.is_frus(etree.ElementTree(etree.fromstring(idno)))
    ns = LETTER.replace("<TEI ", '<TEI xmlns:frus="http://history.state.gov/frus/ns/1.0" ')
    assert frus.is_frus(etree.ElementTree(etree.fromstring(ns)))


def test_named_schema_means_exactly_that_schema(tmp_path, data):
    (tmp_path / "letter.xml").write_text(LETTER)
    (tmp_path / "open.xsd").write_text(MINIMAL_XSD)
    report = teikit.validate(tmp_path / "letter.xml", schemas=[tmp_path / "open.xsd"], jobs=1)
    assert report.ok and report.diagnostics == []
    # the FRUS file's broken note numbering is a FRUS rule: not checked without the profile
    report = teikit.validate(data / "note-sequence.xml", schemas=[tmp_path / "open.xsd"], jobs=1)
    assert "note-sequence" not in {d.rule for d in report.diagnostics}


def test_frus_profile_on_request(tmp_path):
    (tmp_path / "letter.xml").write_text(LETTER)
    report = teikit.validate(tmp_path / "letter.xml", schemas=[], profile="frus", jobs=1)
    rules = {d.rule for d in report.diagnostics}
    assert {"note-sequence", "pb-order", "teikit.xsd#assert"} <= rules


def test_default_profile_checks_frus_files_only(tmp_path, data):
    (tmp_path / "letter.xml").write_text(LETTER)
    report = teikit.validate([tmp_path / "letter.xml", data / "note-sequence.xml"], jobs=1)
    letter = report.for_file(str(tmp_path / "letter.xml"))
    assert [d.rule for d in letter] == ["no-schema"] and letter[0].severity == "warning"
    assert "note-sequence" in {d.rule for d in report.for_file(str(data / "note-sequence.xml"))}


def test_generic_rules_still_run_without_the_profile(tmp_path):
    (tmp_path / "letter.xml").write_text(LETTER.replace('xml:id="n-a"', 'xml:id="letter-12"'))
    report = teikit.validate(tmp_path / "letter.xml", profile="none", schemas=[], jobs=1)
    assert [d.rule for d in report.errors] == ["unique-id"]


MARKDOWN_FIXTURE = ROOT / "tests" / "converter" / "data" / "markdown" / "letter.txt"


@pytest.fixture(scope="module")
def converted_editions(tmp_path_factory, tei_schemas):
    """teikit convert's output for each convention: a Gutenberg book, a Markdown letter
    (also from a file named d12.txt, whose document the converter calls d12), a FRUS document."""
    book = next((SHARED / "corpus" / "gutenberg-dev").glob("*.txt"), None)
    frus_text = next((SHARED / "corpus" / "frus-dev").glob("*.txt"), None)
    if book is None or frus_text is None:
        pytest.skip("../shared/corpus is not present beside the checkout")
    folder = tmp_path_factory.mktemp("editions")
    numbered = folder / "d12.txt"
    numbered.write_bytes(MARKDOWN_FIXTURE.read_bytes())
    out = {}
    for name, source, convention in (("book", book, "gutenberg"), ("letter", MARKDOWN_FIXTURE, "markdown"),
                                      ("numbered", numbered, "markdown"), ("frus", frus_text, "frus")):
        out[name] = folder / f"{name}.xml"
        etree.ElementTree(convert_file(source, convention=convention).root).write(
            str(out[name]), encoding="UTF-8", xml_declaration=True)
    return out


def test_default_profile_passes_converter_output_of_every_convention(converted_editions, tei_schemas):
    """No flags: FRUS conventions only for the FRUS file; the others get the generic TEI
    rules (ids, pointers) and a warning that no schema checks their structure."""
    files = list(converted_editions.values())
    report = teikit.validate(files, jobs=1)
    assert report.ok and not report.errors, report.errors
    for name in ("book", "letter", "numbered"):
        rules = {d.rule for d in report.for_file(str(converted_editions[name]))}
        assert rules == {"no-schema"}, name
    # the FRUS document points to others of its volume, which are not here
    assert {d.rule for d in report.for_file(str(converted_editions["frus"]))} <= {"ref-target"}
    assert 'xml:id="d12"' in converted_editions["numbered"].read_text("utf-8")  # looks like FRUS, is not
    # their structure is tei_all's: --tei-all is the structure check for any convention
    whole = teikit.validate(files, tei_all=tei_schemas / "tei_all.rng", jobs=1, refs="off")
    assert whole.ok and not whole.diagnostics, whole.diagnostics


def test_frus_profile_on_markdown_output_reports_frus_conventions(converted_editions):
    report = teikit.validate(converted_editions["letter"], profile="frus", jobs=1)
    assert "note-sequence" in {d.rule for d in report.errors}  # n="ford" between 1 and 3
