"""The Markdown footnote convention: ``text[^1]`` ... ``[^1]: note``."""
from __future__ import annotations

import pytest

from teikit.converter import convert, convert_file
from teikit.converter.plaintext import to_text

from .conftest import DATA
from .helpers import xp

FIXTURES = sorted((DATA / "markdown").glob("*.txt"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_golden(path):
    """Regenerate with: teikit convert tests/converter/data/markdown/NAME.txt -o ...NAME.xml --force"""
    assert convert_file(path).to_bytes() == path.with_suffix(".xml").read_bytes()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_round_trip(path):
    text = path.read_text("utf-8")
    assert to_text(convert(text, name=path.name).root) == text


def test_notes_markers_and_heading():
    result = convert_file(DATA / "markdown" / "letter.txt")
    assert result.convention.name == "markdown" and result.warnings == []
    div = result.div
    assert xp(div, "string(tei:head)") == "Letter from the Field, 3 May 1871"
    assert [n.get("n") for n in xp(div, ".//tei:note")] == ["1", "ford", "3"]
    assert len(xp(div, ".//tei:note[@n='ford']/tei:p")) == 2
    assert "[^" not in "".join(div.itertext())


def test_leftover_markers_and_notes_are_warned_about_and_kept():
    result = convert_file(DATA / "markdown" / "warnings.txt")
    messages = [(w.line, w.message) for w in result.warnings]
    assert messages == [
        (1, "marker [^a] marks a note already marked; the marker is kept as text"),
        (1, "marker [^b] has no note; the marker is kept as text"),
        (4, "note 'c' has no marker in the text; it is kept unanchored")]
    text = "".join(result.div.itertext())
    assert "And again.[^a]" in text and "[^b]" in text
    assert xp(result.div, "string(.//tei:note[@n='c']/@subtype)") == "unanchored"


def test_definitions_must_end_the_text():
    """A definition followed by body text is not a note block: nothing is taken as a note."""
    text = "Body.[^1]\n\n[^1]: Looks like a note.\n\nMore body text."
    result = convert(text, convention="markdown")
    assert xp(result.div, ".//tei:note") == []
    assert any("[^1] has no note" in w.message for w in result.warnings)
