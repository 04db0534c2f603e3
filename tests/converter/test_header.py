"""teiHeader metadata from the heading and the source note."""
from __future__ import annotations

from teikit.converter.header import iso_date, read_heading, read_source_note

import teikit
from .helpers import xp


def test_heading_place_and_date():
    info = read_heading("74. Memorandum for the Record, Paris, December 18, 1971, 11 a.m.")
    assert (info.place, info.date_text, info.when) == (
        "Paris", "December 18, 1971, 11 a.m.", "1971-12-18T11:00:00")
    assert read_heading("77. Message, Washington, undated").when is None


def test_iso_dates():
    assert iso_date("May 12, 1955—8 p.m.") == "1955-05-12T20:00:00"
    assert iso_date("June 1, 1955") == "1955-06-01"
    assert iso_date("sometime in May") is None


def test_source_note_archive_and_classification():
    info = read_source_note(
        "Source: National Archives, Nixon Presidential Materials, NSC Files, Box 1037, "
        "Files for the President. Top Secret; Sensitive; Exclusively Eyes Only. Drafted by Walters.")
    assert info.repository == "National Archives"
    assert info.collections == ["Nixon Presidential Materials", "NSC Files"]
    assert (info.idno, info.idno_type) == ("Box 1037", "box")
    assert info.classification == ["Top Secret", "Sensitive", "Exclusively Eyes Only"]


def test_header_in_output(seeds_dir):
    result = teikit.convert((seeds_dir / "000_7077ceb38f60db2d.txt").read_text("utf-8"))
    header = result.root[0]
    assert xp(header, "string(.//tei:msIdentifier/tei:repository)") == "Library of Congress"
    assert xp(header, "string(.//tei:idno[@type='box'])") == "Box TS 59"
    assert [t.text for t in xp(header, ".//tei:keywords[@n='classification']/tei:term")] == [
        "Top Secret", "Flash", "Sensitive", "Exclusively Eyes Only"]
    assert xp(header, "string(.//tei:application/@ident)") == "teikit"
    assert xp(header, "string(.//tei:application/@version)") == teikit.__version__
    assert xp(header, "count(.//tei:revisionDesc/tei:change)") == 1
