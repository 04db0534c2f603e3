"""Document: metadata, paragraphs, notes, refs, text and XPath, checked against the gold manifest."""
from __future__ import annotations

import pytest

import teikit
from teikit.errors import InputError
from teikit.query import Note, Page


def collapse(text: str) -> str:
    return " ".join(text.split())


def test_counts_match_the_gold_manifest(dev, manifest):
    for doc in dev:
        counts = manifest[doc.id]["counts"]
        assert len(doc.notes) == counts["notes"], doc.id
        assert sum(n.type == "source" for n in doc.notes) == counts["source_notes"], doc.id
        assert len(doc.refs) == counts["refs"], doc.id
        assert sum(r.internal for r in doc.refs) == counts["refs_internal"], doc.id
        assert sum(p.kind == "p" for p in doc.paragraphs) == counts["paragraphs"], doc.id
        assert sum(p.kind == "item" for p in doc.paragraphs) == counts["list_items"], doc.id
        assert sum(not p.inferred and p.id is not None for p in doc.pages) == counts["pb"], doc.id


def test_notes_have_the_gold_numbers_types_and_texts(dev, manifest):
    for doc in dev:
        gold = manifest[doc.id]["notes"]
        assert [(n.n, n.type) for n in doc.notes] == [(g["n"], g["type"]) for g in gold]
        assert [collapse(n.text) for n in doc.notes] == [collapse(g["text"]) for g in gold]
        assert all(n.id == f"{doc.id}fn{n.n}" for n in doc.notes)


def test_refs_have_the_gold_targets_and_texts(dev, manifest):
    for doc in dev:
        gold = manifest[doc.id]["refs"]
        assert [(r.target, r.text) for r in doc.refs] == [(g["target"], collapse(g["text"])) for g in gold]
        assert [r.note is not None for r in doc.refs] == [g["in_note"] for g in gold]


def test_identity_and_metadata_from_source_note_and_dateline(dev):
    doc = dev["d186"]
    assert (doc.id, doc.number, doc.volume) == ("d186", "186", "frus1955-57v01")
    assert doc.heading.startswith("186. Telegram From the Secretary of State")
    assert doc.title == "Telegram From the Secretary of State to the Department of State"
    meta = doc.metadata
    assert meta.source.startswith("Source: Department of State, Central Files, 751G.00/5–1255.")
    assert meta.classification == ["Secret"]
    assert (meta.date, meta.place) == ("1955-05-12T20:00:00", "Paris")
    assert meta.date_text == "May 12, 1955—8 p.m"
    assert dev["d74"].metadata.classification == ["Secret", "Sensitive", "Exclusive", "Eyes Only"]


def test_metadata_from_the_tei_header(d59):
    meta = d59.metadata
    assert d59.id == "d59" and d59.number == "59"
    assert meta.title.startswith("Backchannel Message From the President’s Assistant")
    assert meta.repository == "Library of Congress"
    assert meta.classification == ["Top Secret", "Flash", "Sensitive"]
    assert (meta.date, meta.place) == ("1972-10-22T11:00:00", "Saigon")


def test_note_anchor_passage_and_context(dev):
    note = dev["d186"].note("2")
    assert note.text == "May 11."
    assert note.context.endswith("took three hours Wednesday")
    assert note.passage.startswith("Secto 42. From USDel.")
    assert "May 11." not in note.passage  # passages never contain note text
    source = dev["d186"].note("d186fn1")
    assert source.type == "source" and source.passage == dev["d186"].heading


def test_text_with_and_without_notes(dev):
    doc = dev["d186"]
    plain = doc.text()
    assert "May 11." not in plain
    assert "Wednesday evening with the three Ministers" in plain
    # a paragraph crossing a page break stays one line
    assert "absence of his name would create a great mystery" in plain
    with_notes = doc.text(notes=True)
    assert with_notes.startswith(plain)
    assert with_notes.endswith("2. May 11.\n3. See Document 189.")


def test_xpath_binds_tei_and_is_relative_to_the_document(dev):
    doc = dev["d186"]
    assert doc.xpath("count(.//tei:note)") == 3.0
    assert doc.xpath("string(tei:head/tei:note/@xml:id)") == "d186fn1"
    assert doc.xpath(".//tei:ref[@target=$t]/text()", t="#d189") == ["Document 189"]
    with pytest.raises(InputError, match="invalid XPath"):
        doc.xpath(".//tei:[")


def test_lookups_by_id(dev):
    doc = dev["d186"]
    assert isinstance(doc.get("d186fn3"), Note)
    assert isinstance(doc.get("pg_403"), Page)
    assert doc.get("#d186") is doc
    assert doc.page("403") is doc.page(403) is doc.page("pg_403")
    assert doc.resolve("#d186fn2").text == "May 11."
    assert doc.resolve("frus1952-54v12p1") is None
    with pytest.raises(KeyError):
        doc.page(999)
    with pytest.raises(KeyError):
        doc.note("9")


def test_a_single_document_iterates_over_itself(d59):
    assert list(d59) == [d59] and len(d59) == 1 and not d59.is_volume


def test_load_reports_bad_input_with_path_and_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<text>\n</TEI>\n", "utf-8")
    with pytest.raises(InputError) as info:
        teikit.load(bad)
    assert info.value.path == str(bad) and info.value.line == 3
    with pytest.raises(InputError, match="cannot read"):
        teikit.load(tmp_path / "missing.xml")


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", "utf-8")
    evil = tmp_path / "evil.xml"
    evil.write_text(
        f'<!DOCTYPE div [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d1" n="1"><p>&x;</p></div>',
        "utf-8",
    )
    with pytest.raises(InputError) as info:  # not read, and not silently dropped either
        teikit.load(evil)
    assert str(info.value).startswith(f"{evil}:1: external entity &x; (file://{secret}) is not read")
    assert "TOP-SECRET-CONTENT" not in str(info.value)


def test_internal_entities_are_expanded(tmp_path):
    path = tmp_path / "int.xml"
    path.write_text('<!DOCTYPE TEI [<!ENTITY ed "the editor">]><TEI xmlns="http://www.tei-c.org/ns/1.0">'
                    "<text><body><p>Said &ed; here.</p></body></text></TEI>", "utf-8")
    assert teikit.load(path).text() == "Said the editor here."


def test_nested_internal_entities_and_character_references_are_expanded(tmp_path):
    path = tmp_path / "nested.xml"
    path.write_text('<!DOCTYPE TEI [<!ENTITY ed "the &who;"><!ENTITY who "editor &#233;">]>'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Said &ed; &amp; &who;.</p>'
                    "</body></text></TEI>", "utf-8")
    assert teikit.load(path).text() == "Said the editor é & editor é."


def test_internal_entities_holding_markup_give_elements_not_text(tmp_path):
    """An entity's replacement text is XML: '<hi>' in it is an element.  It was inserted as text:
    pages printed 'signed <hi rend="b">Dulles</hi>' and export wrote '&lt;hi rend="b"&gt;'."""
    path = tmp_path / "markup.xml"
    path.write_text("<!DOCTYPE TEI [<!ENTITY sig '<hi rend=\"b\">Dulles</hi> &#38;amp; &co;'>"
                    '<!ENTITY co "<name>Co.</name>">]>\n'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>signed &sig;, &lt;sic&gt;</p>'
                    "</body></text></TEI>", "utf-8")
    doc = teikit.load(path)
    assert doc.text() == "signed Dulles & Co., <sic>"
    (hi,) = doc.xpath(".//tei:hi")
    assert (hi.text, hi.get("rend"), hi.tail, hi.sourceline) == ("Dulles", "b", " & ", 2)
    assert [name.text for name in doc.xpath(".//tei:p/tei:name")] == ["Co."]


def test_entity_expansion_beyond_the_budget_is_refused(tmp_path, monkeypatch):
    from teikit import xmlio
    monkeypatch.setattr(xmlio, "ENTITY_EXPANSION_BUDGET", 50)
    path = tmp_path / "big.xml"
    path.write_text('<!DOCTYPE TEI [<!ENTITY w "' + "word " * 20 + '">]>'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&w;</p></body></text></TEI>', "utf-8")
    with pytest.raises(InputError, match="entity expansion exceeds 50 characters"):
        teikit.load(path)


def test_latin1_bytes_are_an_error_with_a_line(tmp_path):
    path = tmp_path / "latin1.xml"
    path.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>caf\xe9</p></body></text></TEI>')
    with pytest.raises(InputError) as info:
        teikit.load(path)
    assert info.value.line == 2 and "not well-formed XML" in info.value.message


_BAD_IDS = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
            '<div type="document" xml:id="d1"><p>one</p></div>\n'
            '<div type="document" xml:id="d1"><p xml:id="2 words">two</p></div>\n</body></text></TEI>')


@pytest.mark.parametrize("as_bytes", [False, True], ids=["file", "bytes"])
def test_repeated_and_malformed_xml_ids_do_not_stop_reading(tmp_path, as_bytes):
    # well-formed XML (xmllint reads it): validation reports the ids, query and export read the file
    path = tmp_path / "ids.xml"
    path.write_text(_BAD_IDS, "utf-8")
    doc = teikit.load(_BAD_IDS.encode() if as_bytes else path)
    assert [d.id for d in doc.documents] == ["d1", "d1"]
    assert doc.text().split() == ["one", "two"]


def test_repeated_xml_ids_do_not_hide_a_well_formedness_error(tmp_path):
    path = tmp_path / "ids.xml"
    path.write_text(_BAD_IDS.replace("</body>", "</bdy>"), "utf-8")
    with pytest.raises(InputError) as info:
        teikit.load(path)
    assert info.value.line == 4 and "not well-formed XML" in info.value.message


def test_deep_nesting_is_read_without_recursion(tmp_path):
    deep = tmp_path / "deep.xml"
    deep.write_text('<div xmlns="http://www.tei-c.org/ns/1.0" type="document">' + "<hi>" * 1500 + "x"
                    + "</hi>" * 1500 + " y</div>", "utf-8")
    assert teikit.load(deep).text() == "x y"


def test_the_place_leaves_out_the_datelines_comma():
    """19th-century FRUS volumes put the dateline's comma inside the placeName: the place is the name."""
    doc = teikit.load('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d6">'
                      '<opener><dateline><placeName><hi rend="smallcaps">Paris,</hi></placeName> '
                      '<date when="1863-12-04">December 4, 1863.</date></dateline></opener><p>Text.</p>'
                      '</div></body></text></TEI>')
    assert (doc.metadata.place, doc.metadata.date_text) == ("Paris", "December 4, 1863.")
