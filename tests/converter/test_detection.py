"""Detection (``--convention auto``) on texts of no known layout, and on very short ones:
a warning names what was not recognised, the text is kept whole, nothing is mis-anchored."""
from __future__ import annotations

import pytest

from teikit.converter import convert
from teikit.converter.plaintext import to_text

from .helpers import xp

ESSAY = ("On Walking\n\nI have met with but one or two persons in the course of my life who understood "
         "the art of Walking.\n\nIt needs 3 things: leisure, freedom and 12 miles of road.\n\n"
         "In 1851 I walked to Concord, 2 hours each way.\n")
PLAY = ("HAMLET\n\nACT I\n\nSCENE 1. Elsinore. A platform before the castle.\n\n"
        "BERNARDO. Who's there?\n\nFRANCISCO. Nay, answer me: stand, and unfold yourself.\n")
POEM = ("The Tyger\n\nTyger Tyger, burning bright,\nIn the forests of the night;\n"
        "What immortal hand or eye,\nCould frame thy fearful symmetry?\n")
SHORT = ["Hello.", "x", "2", "[1]", "\n\nx\n", "Page 4 of 12"]


@pytest.mark.parametrize("text", [ESSAY, PLAY, POEM, *SHORT], ids=["essay", "play", "poem", *SHORT])
def test_unknown_layout_is_named_in_a_warning_and_kept_whole(text):
    result = convert(text, name="t.txt")
    warning = next(w for w in result.warnings if "layout not recognised" in w.message)
    assert warning.line == 1
    for missing in ("numbered heading", "[Page N] marker", "note block", "explicit note marker"):
        assert missing in warning.message
    assert not xp(result.root, "//tei:note[@place] | //tei:note[@n] | //tei:pb")   # nothing invented
    body_text = "".join("".join(result.div.itertext()).split())
    assert body_text == "".join(text.split())                           # every character kept


@pytest.mark.parametrize("text", [ESSAY, PLAY, POEM])
def test_unknown_layout_converts_back_with_every_character(text):
    result = convert(text, name="t.txt")
    assert "".join(to_text(result.root).split()) == "".join(text.split())


def test_bracketed_marker_with_a_bare_number_note_block_is_a_warning_with_its_line():
    """The issue's case: '[1]' in the text and a FRUS note block; the '1' of '1 ship' is not
    silently taken for the marker without a word about the '[1]'."""
    text = "5. Memo\n\nThe minister said[1] that 1 ship left.\n\n  1. A note.\n"
    result = convert(text, name="t.txt")
    assert any(w.line == 3 and "'[1]' looks like an explicit note marker" in w.message
               for w in result.warnings)
    assert len(xp(result.div, ".//tei:note[@n='1']")) == 1                # the note is kept


def test_bracketed_numbers_that_are_no_note_are_not_reported():
    text = "5. Memo\n\nThe list [2] and the minister,1 said.\n\n  1. A note.\n"
    assert not convert(text, name="t.txt").warnings
