"""Plays: speeches and cast (:mod:`teikit.query.drama`), in Python and on the command line."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import teikit
from teikit.cli import cli
from teikit.query.drama import Role

from tests.conftest import SHARED

PLAY = Path(__file__).parent / "data" / "play.xml"
TEI_DRAMA = SHARED / "tei-samples" / "teic" / "P5_Test_testdrama.xml"


def test_speeches_say_who_speaks_what_and_where():
    first, second, both, gulls = teikit.load(PLAY).speeches
    assert first.who == ("ann",) and first.speaker == "ANN."
    assert first.text == ("The light is low, the oil is nearly gone,\n"
                          "and still the ships come on and on.")   # the direction inside is not spoken
    assert first.stage == ("(she looks out)",) and first.lines == 2 and first.words == 17
    assert first.division == "Scene 1. The lamp room"               # its heading, without the note
    assert second.text == "Then fill it. I will hold the lamp.\nGo on." and second.lines == 0
    assert both.who == ("ann", "tom")
    assert gulls.division == "act 2"                                # no heading: type and number
    assert first.line == 29 and "ANN." in repr(first) and "2 lines, 17 words" in repr(first)


def test_speeches_keep_their_page():
    play = teikit.load(PLAY)
    assert [play.page_of(s.element).n for s in play.speeches] == ["1", "1", "2", "2"]


def test_cast_from_the_header_then_the_cast_list():
    assert teikit.load(PLAY).cast == [
        Role("ann", "Ann", "FEMALE", "keeper", False),
        Role("tom", "Tom", "MALE", None, False),
        Role("gulls", "Gulls", "UNKNOWN", None, True),
    ]


@pytest.mark.skipif(not TEI_DRAMA.exists(), reason="../shared absent")
def test_the_tei_consortiums_hamlet():
    """A castList without particDesc; roles named by @who; roleDesc printed after a comma."""
    hamlet = teikit.load(TEI_DRAMA)
    roles = {role.id: role for role in hamlet.cast}
    assert roles["Hamlet"].description == "son to the late and nephew to the present king"
    speeches = hamlet.speeches
    assert speeches[0].who == ("Barnardo",) and speeches[0].text == "Who's there?"
    assert speeches[0].division == "SCENE 1"
    assert {w for s in speeches for w in s.who} <= set(roles)   # every speaker is in the cast
    frame = hamlet.cast_frame().set_index("id")
    assert frame.loc["Barnardo", "speeches"] == sum("Barnardo" in s.who for s in speeches) > 0


def test_frames():
    play = teikit.load(PLAY)
    speeches = play.speeches_frame()
    assert list(speeches.who) == ["ann", "tom", "ann tom", "gulls"]
    assert speeches.words.sum() == sum(s.words for s in play.speeches)
    cast = play.cast_frame().set_index("id")
    assert cast.loc["ann", "speeches"] == 2 and cast.loc["ann", "lines"] == 3
    assert cast.loc["tom", "words"] == 10 + 2


@pytest.mark.skipif(not (SHARED / "corpus" / "frus-dev").exists(), reason="../shared absent")
def test_not_a_play():
    doc = teikit.load(sorted((SHARED / "corpus" / "frus-dev").glob("*.xml"))[0])
    assert doc.speeches == [] and doc.cast == []


def test_cli_speeches_and_cast(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["speeches", str(PLAY), "--who", "tom"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{PLAY}:34: [Scene 1. The lamp room] TOM: Then fill it. I will hold the lamp. / Go on.",
        f"{PLAY}:40: [Scene 1. The lamp room] BOTH.: Together, then.",
    ]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["speeches", str(PLAY), "-f", "csv"]).output)))
    assert [r["speaker"] for r in rows] == ["ANN.", "TOM", "BOTH.", "GULLS"]
    cast = json.loads(runner.invoke(cli, ["cast", str(PLAY), "-f", "json"]).output)
    assert [(r["id"], r["speeches"]) for r in cast] == [("ann", 2), ("tom", 2), ("gulls", 1)]
    text = runner.invoke(cli, ["cast", str(PLAY)]).output
    assert "gulls: Gulls (UNKNOWN): 1 speech, 1 words" in text

    prose = tmp_path / "prose.xml"
    prose.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>No play.</p></body></text></TEI>')
    result = runner.invoke(cli, ["speeches", str(prose)])
    assert result.exit_code == 0 and result.stdout == "" and "are these plays?" in result.stderr


WORDS = st.text(alphabet="abc xyz", min_size=0, max_size=12)


@st.composite
def speech_xml(draw):
    """An <sp> of speaker, verse lines, paragraphs, stanzas, directions and notes in any order."""
    def block(depth: int = 0) -> str:
        kind = draw(st.sampled_from(["l", "p", "stage", "note", "lg"] if depth == 0 else ["l", "stage", "note"]))
        if kind == "lg":
            return "<lg>" + "".join(block(1) for _ in range(draw(st.integers(1, 3)))) + "</lg>"
        inner = escape(draw(WORDS))
        if kind in ("l", "p") and draw(st.booleans()):
            inner += f"<stage>{escape(draw(WORDS))}</stage>{escape(draw(WORDS))}"
        return f"<{kind}>{inner}</{kind}>"
    speaker = f"<speaker>{escape(draw(WORDS))}</speaker>" if draw(st.booleans()) else ""
    return f'<sp who="#a">{speaker}' + "".join(block() for _ in range(draw(st.integers(0, 5)))) + "</sp>"


@given(speech_xml())
@settings(max_examples=150, deadline=None)
def test_every_word_of_a_speech_is_spoken_labelled_directed_or_annotated(xml):
    """No word is lost or counted twice: speaker + spoken text + directions + notes = the speech."""
    from lxml import etree

    from teikit.query.drama import speeches

    root = etree.fromstring(f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{xml}</body></text></TEI>')
    (speech,) = speeches(root)
    sp = speech.element
    notes = [w for note in sp.iter("{http://www.tei-c.org/ns/1.0}note") for w in "".join(note.itertext()).split()]
    said = (speech.speaker or "").split() + speech.text.split() + [w for s in speech.stage for w in s.split()] + notes
    assert sorted(said) == sorted(" ".join(sp.itertext()).split())
    assert speech.lines == len(sp.findall(".//{http://www.tei-c.org/ns/1.0}l"))


def test_a_region_outside_documents_has_its_own_speeches_only(tmp_path):
    """A volume's body region holds its documents: their speeches are theirs, not the region's too."""
    volume = tmp_path / "volume.xml"
    volume.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                      '<sp who="#a"><speaker>A</speaker><p>Outside.</p></sp>'
                      '<div type="document" xml:id="d1" n="1"><head>1. Play</head>'
                      '<sp who="#b"><speaker>B</speaker><p>Inside.</p></sp></div></body></text></TEI>')
    loaded = teikit.load(volume)
    assert {unit.kind: [s.text for s in unit.speeches] for unit in loaded.units} == {
        "body": ["Outside."], "document": ["Inside."]}
    assert [s.text for s in loaded.speeches] == ["Outside.", "Inside."]   # the volume: all of them
