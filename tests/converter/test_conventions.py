"""The conventions seam: registry, detection, the choice recorded, ids, warnings."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit import InputError
from teikit.cli import cli
from teikit.converter import convert
from teikit.converter.builder import ncname
from teikit.converter.convention import AUTO, detect, get, known, names
from teikit.converter.conventions import frus
from teikit.converter.plaintext import to_text
from teikit.xmlio import XML_ID

from .helpers import xp

NCNAME = etree.RelaxNG(etree.fromstring(
    b'<element name="x" xmlns="http://relaxng.org/ns/structure/1.0" '
    b'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">'
    b'<data type="NCName"/></element>'))
FRUS_TEXT = "12. Memorandum1\n\nText.2 [Page 4]\n\n  1. Source: Files. Secret.\n  2. A note."
MARKDOWN_TEXT = "# Title\n\nText.[^1]\n\n[^1]: A note."


def is_ncname(value: str) -> bool:
    el = etree.Element("x")
    el.text = value
    return NCNAME.validate(el)


def test_registry_finds_every_convention_module():
    assert {"frus", "markdown"} <= set(known())
    assert names()[0] == AUTO and set(names()[1:]) == set(known())
    with pytest.raises(KeyError, match="known: "):
        get("no-such-convention")


@pytest.mark.parametrize("text, expected", [(FRUS_TEXT, "frus"), (MARKDOWN_TEXT, "markdown")])
def test_detection(text, expected):
    convention, warning = detect(text)
    assert convention.name == expected and warning is None


def test_unrecognised_layout_is_a_warning_that_names_what_is_missing():
    result = convert("Just a sentence about nothing in particular.", name="x.txt")
    assert result.convention.name == "frus"
    assert any("layout not recognised" in w.message and "[Page N]" in w.message
               for w in result.warnings)


def test_choice_is_recorded_in_the_header_and_used_by_to_text():
    result = convert(MARKDOWN_TEXT, convention="markdown")
    note = xp(result.root, "string(//tei:encodingDesc/tei:p)")
    assert note.startswith("Input convention: markdown (") and note.endswith("chosen by the user.")
    assert to_text(result.root) == MARKDOWN_TEXT
    assert to_text(result.root, convention="frus").endswith("\n\n  1. A note.")
    detected = convert(FRUS_TEXT)
    assert xp(detected.root, "string(//tei:encodingDesc/tei:p)").endswith("detected automatically.")


def test_unknown_convention_is_an_input_error():
    with pytest.raises(InputError, match="unknown convention 'nope'"):
        convert("Text.", convention="nope")


def test_cli_option_and_verbose_report(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text(MARKDOWN_TEXT, "utf-8")
    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "out.xml"),
                                      "--convention", "markdown", "-v"])
    assert result.exit_code == 0, result.output
    assert f"{source}: convention markdown (chosen)" in result.output
    bad = CliRunner().invoke(cli, ["convert", str(source), "--convention", "nope"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("value", ["4½", "12-13", "1:2", "xii", "→", "", "3 4"])
def test_ncname_makes_any_text_an_id(value):
    assert is_ncname(ncname(value))


def test_page_ids_are_ncnames_and_n_keeps_the_text():
    result = convert("12. Title\n\nText [Page 4½] more [Page 4½] and [Page ·5].")
    pbs = xp(result.div, ".//tei:pb")
    assert [pb.get("n") for pb in pbs] == ["4½", "4½", "·5"]
    ids = [pb.get(XML_ID) for pb in pbs]
    assert all(is_ncname(i) for i in ids) and len(set(ids)) == 3


def test_symbol_notes_get_distinct_ids():
    result = convert("3. Title\n\nOne * and two †.\n\n  *. First.\n  †. Second.")
    notes = xp(result.div, ".//tei:note")
    assert [(n.get("n"), n.get(XML_ID)) for n in notes] == [("*", "d3fnstar"), ("†", "d3fndagger")]


def test_frus_profile_exposes_its_id_scheme():
    assert frus.NOTE_ID.fullmatch("d59fn2") and frus.NOTE_ID_PREFIX == "fn"
    assert frus.IDS.note("d59", "2") == "d59fn2"
    assert frus.IDS.page("d59", "283", False) == "pg_283"
    assert frus.IDS.page("d77", "1", True) == "d77-01"


def test_ambiguous_marker_is_a_warning_with_its_line_and_the_note_is_kept():
    text = "4. Title\n\nIn 1955 there were 2 ships.\n\n  1. A note that no marker places."
    result = convert(text)
    note = xp(result.div, ".//tei:note[@n='1']")[0]
    assert note.get("subtype") == "unanchored"
    assert any(w.line == 5 and "no marker" in w.message for w in result.warnings)


def test_generic_code_does_not_import_the_frus_profile():
    import pathlib
    package = pathlib.Path(frus.__file__).parent.parent
    generic = [p for p in package.glob("*.py")]
    assert generic and not [p.name for p in generic if "conventions.frus" in p.read_text("utf-8")
                            or "from .conventions import frus" in p.read_text("utf-8")]



def test_a_convention_may_write_notes_after_the_block_that_marks_them():
    from dataclasses import replace
    in_place = replace(get("markdown"), notes_after_block=True)
    root = convert("# T\n\nOne.[^1]\n\nTwo.[^2]\n\n[^1]: A.\n[^2]: B.", convention="markdown").root
    assert to_text(root, convention=in_place) == "# T\n\nOne.[^1]\n\n[^1]: A.\n\nTwo.[^2]\n\n[^2]: B."
