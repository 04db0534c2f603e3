"""References in a partial repository: declared external ids (known ids, patterns)."""
from __future__ import annotations

import pytest

import teikit
from teikit.errors import InputError
from teikit.validation.integrity import ExternalIds, load_known_ids

DOC = """<div xmlns="http://www.tei-c.org/ns/1.0" type="document" n="5" xml:id="d5">
<head>5. Memo<note n="1" xml:id="d5fn1" type="source">Source.</note></head>
<p>See <ref target="#d4">Document 4</ref>, <ref target="#d3fn2">its note</ref>, <ptr target="#xyz"/>.</p></div>"""


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "d5.xml"
    path.write_text(DOC)
    return path


def unresolved(report):
    return sorted(d.message.split("'")[1] for d in report.errors if d.rule == "ref-target")


def test_without_declarations_every_outside_target_is_an_error(doc):
    assert unresolved(teikit.validate(doc, refs="error", jobs=1)) == ["#d3fn2", "#d4", "#xyz"]


def test_id_patterns_declare_a_volume(doc):
    report = teikit.validate(doc, refs="error", id_patterns=[r"#d\d+", r"d\d+fn\d+"], jobs=1)
    assert unresolved(report) == ["#xyz"]


def test_known_ids_from_a_text_file_and_from_tei(doc, tmp_path):
    (tmp_path / "ids.txt").write_text("# ids of volume 12\n#d4 xyz\n\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "d3.xml").write_text(
        '<div xmlns="http://www.tei-c.org/ns/1.0" xml:id="d3"><note xml:id="d3fn2"/></div>')
    ids = load_known_ids([tmp_path / "ids.txt", tmp_path / "other"])
    assert ids == {"d4", "xyz", "d3", "d3fn2"}
    assert unresolved(teikit.validate(doc, refs="error", known_ids=ids, jobs=1)) == []


def test_bad_declarations_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="bad id pattern"):
        ExternalIds(patterns=("d[",))
    (tmp_path / "bad.xml").write_text("<a>")
    with pytest.raises(InputError, match="not well-formed"):
        load_known_ids([tmp_path / "bad.xml"])
    with pytest.raises(InputError, match="cannot read"):
        load_known_ids([tmp_path / "missing.txt"])


def test_a_pointer_into_the_files_own_frus_document_stays_an_error(tmp_path):
    (tmp_path / "d5.xml").write_text(DOC.replace("#xyz", "#d5fn9"))
    report = teikit.validate(tmp_path / "d5.xml", refs="off", id_patterns=[r"d\d+(fn\d+)?"], jobs=1)
    assert [d.message for d in report.errors] == [
        "target '#d5fn9' points into document 'd5', which has no xml:id 'd5fn9'"]
