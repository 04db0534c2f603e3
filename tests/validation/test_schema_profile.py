"""The bundled teikit profile (schema/teikit.xsd): real documents pass, broken ones fail precisely."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import teikit
from teikit.converter import convert_file
from teikit.validation.schemas import XmlschemaValidator, bundled_schema_path, load_validator

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["teikit.xsd", "xml.xsd"])
def test_package_copy_is_identical(name):
    assert (ROOT / "schema" / name).read_bytes() == (bundled_schema_path().parent / name).read_bytes()


def test_schema_readme_exists():
    text = (ROOT / "schema" / "README.md").read_text(encoding="utf-8")
    assert "teikit.xsd" in text and "assert" in text


def test_dev_corpus_reference_encoding_is_valid(dev_corpus):
    files = sorted(dev_corpus.glob("*.xml"))
    assert len(files) >= 20
    report = teikit.validate(files, refs="off")
    assert report.ok, report.diagnostics
    assert report.files == [str(f) for f in files]


def test_tei_folder_is_valid(tei_dir):
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("tei/ is empty")
    report = teikit.validate(files, refs="off")
    assert report.ok, report.diagnostics


def test_converter_output_for_dev_corpus_is_valid(dev_corpus, tmp_path):
    texts = sorted(dev_corpus.glob("*.txt"))
    assert texts
    for text in texts:
        root = convert_file(text).root
        etree.ElementTree(root).write(str(tmp_path / f"{text.stem}.xml"), encoding="UTF-8", xml_declaration=True)
    report = teikit.validate(tmp_path, refs="off")
    assert len(report.files) == len(texts)
    assert report.ok, report.diagnostics


def test_valid_example_has_no_diagnostic_at_all(data):
    report = teikit.validate(data / "valid.xml")
    assert report.ok and report.diagnostics == []


# file, rule, line, words the message must contain
BROKEN = [
    ("missing-note-attrs.xml", "teikit.xsd", 14, "attribute 'n' is required but missing"),
    ("missing-note-attrs.xml", "teikit.xsd", 14, "attribute 'xml:id' is required but missing"),
    ("unknown-element.xml", "teikit.xsd", 14, "Element 'bogus': This element is not expected"),
    ("doc-id-mismatch.xml", "teikit.xsd#assert", 12, "found type='document', xml:id='d5', n='6'"),
    ("note-id-mismatch.xml", "note-id", 14, "footnote xml:id 'd5fn3' does not fit n=\"2\": expected 'd5fn2'"),
    ("note-id-prefix.xml", "note-id", 4, "footnote xml:id 'd4fn2' does not start with 'd5fn'"),
    ("duplicate-id.xml", "unique-id", 14, "duplicate xml:id 'd5fn1' (first used on line 13)"),
    ("malformed-id.xml", "unique-id", 14, "xml:id '1 bad id' is not a valid XML name"),
    ("dangling-ref.xml", "ref-target", 14, "target '#d5fn9' points into document 'd5', which has no xml:id 'd5fn9'"),
    ("note-sequence.xml", "note-sequence", 14, 'note n="4" after n="2": expected n="3"'),
    ("pb-order.xml", "pb-order", 16, 'pb n="11" after pb n="12": page numbers must increase'),
    ("not-well-formed.xml", "well-formed", 5, "Opening and ending tag mismatch: fileDesc line 4 and teiHeader"),
]


@pytest.mark.parametrize("name, rule, line, words", BROKEN, ids=[f"{b[0]}-{b[1]}" for b in BROKEN])
def test_broken_example_fails_with_precise_message(data, name, rule, line, words):
    report = teikit.validate(data / name, refs="error")
    assert not report.ok
    hits = [d for d in report.diagnostics if d.rule == rule and words in d.message]
    assert hits, [f"{d.rule}: {d.message}" for d in report.diagnostics]
    assert hits[0].line == line
    assert hits[0].file == str(data / name)
    assert hits[0].severity == "error"


@pytest.mark.parametrize("ident, ok", [("d5fnstar", True), ("d5fndagger", False), ("d5fn2", False)])
def test_symbol_notes_have_the_converters_ids(data, tmp_path, ident, ok):
    """n="*" is d5fnstar, as teikit.converter.conventions.frus.note_id spells it."""
    text = (data / "valid.xml").read_text("utf-8")
    assert 'n="2" xml:id="d5fn2"' in text
    (tmp_path / "star.xml").write_text(text.replace('n="2" xml:id="d5fn2"', f'n="*" xml:id="{ident}"'), "utf-8")
    report = teikit.validate(tmp_path / "star.xml", refs="off")
    assert [d.rule for d in report.diagnostics if d.severity == "error"] == ([] if ok else ["note-id"])


def test_element_path_is_readable(data):
    report = teikit.validate(data / "unknown-element.xml")
    (diag,) = report.diagnostics
    assert diag.path == "/TEI/text/body/div/p/bogus"


def test_attribute_only_tests_are_recognised_conservatively():
    from teikit.validation.schemas import attribute_only

    assert attribute_only("not(@type = 'document') or (@n and @xml:id)")
    assert attribute_only("ends-with(@xml:id, concat('fn', @n))")
    assert attribute_only("matches(@xml:id, '^d[0-9]+$') and @a eq 1")
    for test in ("count(note) = 1", "every $i in .//note satisfies true()", "string() = ''",
                 "child::x", "string-length(.) lt 10", "not(@a) or tei:x", "../@n", "@n = //x/@n"):
        assert not attribute_only(test), test


def test_assert_fast_path_agrees_with_full_xmlschema(data):
    """lxml structure + elementpath asserts find the assert failures xmlschema (XSD 1.1) finds."""
    fast = load_validator(bundled_schema_path())
    full = XmlschemaValidator(bundled_schema_path(), "teikit.xsd")
    for name in ("doc-id-mismatch.xml", "note-id-mismatch.xml", "missing-note-attrs.xml", "valid.xml"):
        tree = etree.parse(str(data / name))
        fast_lines = sorted(d.line for d in fast.check(tree, name) if d.rule.endswith("#assert"))
        full_asserts = [d for d in full.check(tree, name) if "must" in d.message]
        assert fast_lines == sorted(d.line for d in full_asserts), name
