"""Plays in the Gutenberg convention: speeches, stage directions, acts and scenes, the cast list."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import teikit
from teikit.converter.conventions.gutenberg.drama import is_play, label_names, person_id
from teikit.xmlio import NSMAP

from ..conftest import SHARED
from .gutenberg_helpers import FIXTURES, convert_gutenberg, to_text

GUTENBERG_DEV = SHARED / "corpus" / "gutenberg-dev"
FRUS_DEV = SHARED / "corpus" / "frus-dev"


def xp(el, path: str):
    return el.xpath(path, namespaces=NSMAP)


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def speeches(root) -> list[tuple[str, str, str]]:
    """(who, speaker, the speech's text) of every <sp>."""
    out = []
    for sp in xp(root, "//tei:sp"):
        said = "".join(t for el in xp(sp, "tei:*[not(self::tei:speaker)]") for t in el.itertext())
        out.append((sp.get("who"), "".join(xp(sp, "tei:speaker")[0].itertext()), " ".join(said.split())))
    return out


def fixture(name: str):
    return convert_gutenberg((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the three layouts
def test_names_on_their_own_line_head_the_paragraphs_after_them():
    root = fixture("play_names_on_own_line")
    said = speeches(root)
    assert len(said) == 14
    assert said[0] == ("#tobias", "TOBIAS.",
                       "[_Leaning on the rail._] Ninety-one steps. I counted them again.")
    assert ("#tobias #martha", "TOBIAS and MARTHA.", "[_Together._] It has always been steady.") in said
    # the Inspector's song stays in his speech, as verse
    song = xp(root, "//tei:sp[@who='#the-inspector'][tei:lg]/tei:lg/tei:l")
    assert song[0].text == "The light is on the water,"


def test_names_opening_the_speech_are_run_in_speakers():
    root = fixture("play_names_opening_speeches")
    said = speeches(root)
    assert said[0] == ("#mrs-hobb", "_Mrs. Hobb._",
                       "The wall has fallen again, husband, and the Neighbour's goat is in the cabbages.")
    assert {sp.get("rend") for sp in xp(root, "//tei:speaker")} == {"run-in"}
    # "(leaning on his spade)." after the name is a stage direction, not the speaker's name
    sp = xp(root, "//tei:sp[tei:speaker='_Mr. Hobb_']")[0]
    assert xp(sp, "string(tei:p/tei:stage)") == "(leaning on his spade)."


def test_a_duet_in_verse_is_one_speech_per_singer():
    root = fixture("play_names_opening_speeches")
    sung = [(sp.get("who"), [line.text for line in xp(sp, "tei:lg/tei:l")])
            for sp in xp(root, "//tei:sp[tei:lg]")]
    assert sung == [("#kit", ["The goat went over the garden wall,",
                              "And ate the cabbages, leaves and all;"]),
                    ("#neighbour", ["The goat came back with a hat on his head,",
                                    "And that is all that need be said."])]


def test_italic_names_over_verse():
    root = fixture("play_italic_names_over_verse")
    said = speeches(root)
    assert [who for who, _, _ in said[:3]] == ["#moon", "#miller", "#owl"]
    assert xp(root, "count(//tei:sp/tei:lg/tei:l)") == 16     # every line of verse is in a speech
    # a stage direction between two parts of one speech stays in it
    miller = xp(root, "//tei:sp[tei:stage]")[0]
    assert [el.tag.split("}")[1] for el in miller] == ["speaker", "lg", "stage", "lg"]


# ----------------------------------------------------------------------------- stage directions
def test_stage_directions_as_blocks_and_inside_speeches():
    root = fixture("play_names_on_own_line")
    act = xp(root, "//tei:div[@type='act']")[0]
    assert [el.tag.split("}")[1] for el in act[:3]] == ["head", "stage", "stage"]
    assert xp(act, "string(tei:stage[1])").startswith("_The lamp-room of a lighthouse.")
    inline = [s.text for s in xp(root, "//tei:sp/tei:p/tei:stage")]
    assert inline == ["[_Leaning on the rail._]", "[_Without turning._]", "[_He hands her the cloth._]",
                      "[_Together._]"]
    opened = fixture("play_names_opening_speeches")
    assert [s.text for s in xp(opened, "//tei:sp/tei:p/tei:stage")] == [
        "(Digs.)", "(To herself.)", "(leaning on his spade).", "[Exit _Mrs. Hobb_.", "(They lift a stone.)"]
    assert "Enter _Mrs. Hobb_." in [s.text for s in xp(opened, "//tei:div/tei:stage")]


def test_brackets_in_a_speech_that_are_page_or_note_markers_are_no_stage_directions():
    play = PLAY_HEAD + "\n\n".join(f"ROPER.\n\nWord {i} [Pg {i + 3}] and more.[1]\n\n[Footnote 1: A note.]"
                                   if i == 2 else f"{'ROPER' if i % 2 else 'LILY'}.\n\nLine {i}."
                                   for i in range(12)) + "\n"
    root = convert_gutenberg(play)
    assert not xp(root, "//tei:stage")
    assert xp(root, "count(//tei:sp//tei:pb)") == 1 and xp(root, "count(//tei:sp//tei:note)") == 1


# ----------------------------------------------------------------------------- acts, scenes, cast
def test_scenes_go_into_their_act():
    root = fixture("play_names_opening_speeches")
    act = xp(root, "//tei:div[@type='act']")[0]
    assert xp(act, "string(tei:head)") == "ACT I. SCENE I."
    assert [xp(d, "string(tei:head)") for d in xp(act, "tei:div[@type='scene']")] == ["SCENE II."]
    verse = fixture("play_italic_names_over_verse")
    scene = xp(verse, "//tei:div[@type='act']/tei:div[@type='scene']")[0]
    assert xp(scene, "string(tei:head)") == "SCENE I."
    assert xp(scene, "string(tei:stage[1])").startswith("_A mill by night.")


def test_a_scene_heading_keeps_a_plain_place_and_gives_an_italic_one_to_a_stage_direction():
    speeches = "\n\n".join(f"_{'Lucy' if i % 2 else 'Polly'}._ Words {i}." for i in range(12))
    root = convert_gutenberg("ACT I\n\n\n\nSCENE II. _Newgate._\n\n" + speeches +
                             "\n\n\n\nSCENE III. The Same.\n\n" + speeches + "\n")
    scenes = xp(root, "//tei:div[@type='scene']")
    assert [(xp(d, "string(tei:head)"), xp(d, "string(tei:stage)")) for d in scenes] == \
        [("SCENE II.", "_Newgate._"), ("SCENE III. The Same.", "")]
    assert to_text(convert_gutenberg(to_text(root))) == to_text(root)


def test_a_cast_list_in_two_columns_comes_back_in_two_columns():
    speeches = "\n\n".join(f"_{'King' if i % 2 else 'Queen'}_\n\n    Line {i} of verse" for i in range(12))
    text = "CHARACTERS\n\n    King  Rob Moore.\n    Queen  Allison Walton.\n\n\n\nACT I\n\n" + speeches + "\n"
    root = convert_gutenberg(text)
    items = xp(root, "//tei:castItem")
    assert [(xp(i, "string(tei:role)"), xp(i, "string(tei:roleDesc)")) for i in items] == \
        [("King", "Rob Moore."), ("Queen", "Allison Walton.")]
    assert to_text(root) == text


def test_ordinal_act_headings_open_acts():
    root = fixture("play_names_on_own_line")
    assert [xp(d, "string(tei:head)") for d in xp(root, "//tei:div[@type='act']")] == \
        ["THE FIRST ACT", "THE SECOND ACT"]


def test_cast_list_with_roles_and_descriptions():
    root = fixture("play_names_on_own_line")
    items = xp(root, "//tei:castList/tei:castItem")
    assert [(xp(i, "string(tei:role)"), xp(i, "string(tei:roleDesc)")) for i in items] == [
        ("MARTHA BELL", "keeper of the light"), ("TOBIAS BELL", "her brother"),
        ("THE INSPECTOR", ""), ("A FISHERMAN", "")]
    assert xp(root, "string(//tei:castList/preceding-sibling::tei:head)") == "PERSONS OF THE PLAY"
    verse = fixture("play_italic_names_over_verse")
    assert [r.text for r in xp(verse, "//tei:castList//tei:role")] == \
        ["Miller", "Moon", "Owl", "Chorus of Stars"]


def test_cast_heading_with_diacritics_and_names_followed_by_a_colon():
    speeches = "\n\n".join(f"_{'Tullia' if i % 2 else 'Gāius'}._ Verba {i}." for i in range(12))
    root = convert_gutenberg("  DRĀMATIS PERSŌNÆ\n\n  Spōnsa:   Tullia\n  Spōnsus:  Gāius Pīsō"
                             "\n\n\n\nSCAENA PRĪMA\n\n" + speeches + "\n")
    assert [(xp(i, "string(tei:role)"), xp(i, "string(tei:roleDesc)"))
            for i in xp(root, "//tei:castItem")] == [("Spōnsa", "Tullia"), ("Spōnsus", "Gāius Pīsō")]
    assert xp(root, "string(//tei:castList/tei:head)") == "DRĀMATIS PERSŌNÆ"
    assert xp(root, "string(//tei:div[@type='scene']/tei:head)") == "SCAENA PRĪMA"
    assert xp(root, "count(//tei:sp)") == 12


def test_speakers_are_listed_in_the_header_and_every_who_points_at_one():
    for name in ("play_names_on_own_line", "play_names_opening_speeches", "play_italic_names_over_verse"):
        root = fixture(name)
        ids = {p.get("{http://www.w3.org/XML/1998/namespace}id")
               for p in xp(root, "//tei:particDesc/tei:listPerson/tei:person")}
        pointed = {ref[1:] for sp in xp(root, "//tei:sp") for ref in sp.get("who").split()}
        assert pointed == ids


def test_label_names_and_ids():
    assert label_names("BLAND, VON RETTENMAYER, DE CASTRO, AND ROPER") == \
        ["BLAND", "VON RETTENMAYER", "DE CASTRO", "ROPER"]
    assert label_names("Kari and Magnus") == ["Kari", "Magnus"]
    assert label_names("The Boy (laughing)") == ["The Boy"]
    assert [person_id(n) for n in ("MRS. UPJOHN", "Bjørn", "Sølvi", "2nd Witch")] == \
        ["mrs-upjohn", "bjørn", "sølvi", "person-2nd-witch"]


# ----------------------------------------------------------------------------- what is no play
PLAY_HEAD = "ACT I\n\n"


def test_is_play_needs_enough_speeches_and_a_fair_share_of_the_blocks():
    assert is_play(40, 120)
    assert not is_play(9, 10)           # a short scene quoted in a story
    assert not is_play(40, 400)         # a novel with a few lines of a play in it


def test_a_name_heading_one_speech_only_is_no_speaker():
    lines = [f"{'ROPER' if i % 2 else 'LILY'}.\n\nLine {i}." for i in range(12)]
    lines.insert(5, "AFTER THE THEATRE. A supper at Catani's restaurant, in the Strand.")
    root = convert_gutenberg(PLAY_HEAD + "\n\n".join(lines) + "\n")
    assert len(xp(root, "//tei:sp")) == 12
    assert xp(root, "string(//tei:sp[5])") == \
        "LILY.Line 4.AFTER THE THEATRE. A supper at Catani's restaurant, in the Strand."


STORY = """CHAPTER {n}

"Where is the goat?" asked Mrs. Hobb.

"Over the wall," said Kit. "It ate my hat."

"Then the Neighbour shall buy another," said Mrs. Hobb, and went in.

Mr. Hobb leaned on his spade and said nothing at all for a long while.

"""
# a few paragraphs opening with a name, as letters and inscriptions in a novel do
NAMED = """_Mr. Hobb._ That was how he signed his letters, with a flourish.

MR. HOBB. The name was painted on the cart in red letters.

"""


def test_prose_with_dialogue_is_no_play():
    chapters = [STORY.format(n=n) + (NAMED if n in (2, 5) else "") for n in range(1, 9)]
    root = convert_gutenberg("".join(chapters))
    assert not xp(root, "//tei:sp | //tei:stage | //tei:castList")


MEMORANDUM = """12. Memorandum of a Conversation, Department of State, Washington, May 4, 1955

PARTICIPANTS

The Secretary
Ambassador Couve de Murville

The Secretary said that the situation did not lend itself to a contractual arrangement.

The Ambassador said that his Government would wish to consult the others first.

THE SECRETARY. He hoped the French Government would state the general direction of its policy.

The Secretary said he preferred to have his advisers draft a statement.

"""


@pytest.mark.parametrize("convention", ["gutenberg", "auto"])
def test_a_frus_memorandum_of_conversation_is_no_play(convention):
    root = teikit.convert(MEMORANDUM * 4, name="d12.txt", convention=convention).root
    assert not xp(root, "//tei:sp | //tei:stage | //tei:castList")


def test_frus_documents_and_dev_books_are_no_plays():
    paths = sorted(FRUS_DEV.glob("*.txt")) + sorted(GUTENBERG_DEV.glob("*.txt"))
    if not paths:
        pytest.skip("shared corpora not present")
    for path in paths:
        root = convert_gutenberg(path.read_text(encoding="utf-8"))
        assert not xp(root, "//tei:sp | //tei:stage | //tei:castList"), path.name


# ----------------------------------------------------------------------------- round trip
CAPS_NAMES = ["ROPER", "LILY", "MRS. UPJOHN", "DE CASTRO"]
ITALIC_NAMES = ["Filch", "Mrs. Peachum", "Polly"]
word = st.from_regex(r"[a-z][a-z',;-]{0,8}", fullmatch=True)


def sentence(draw) -> str:
    return "Then " + " ".join(draw(st.lists(word, min_size=1, max_size=10))) + "."


@st.composite
def play(draw) -> str:
    """A canonical play: title, cast list, acts (and scenes) of speeches in one of two layouts,
    stage directions as blocks and inside speeches, verse in speeches."""
    inline = draw(st.booleans())
    names = ITALIC_NAMES if inline else CAPS_NAMES
    label = (lambda n: f"_{n}._") if inline else (lambda n: f"{n}.")
    parts = ["THE PLAY", "DRAMATIS PERSONAE\n\n" + "\n".join(
        f"    {'_' + n + '_' if inline else n}, {draw(word)}" for n in names)]
    for act in range(1, draw(st.integers(1, 2)) + 1):
        scenes = draw(st.integers(1, 2))
        for scene in range(1, scenes + 1):
            blocks = [f"ACT {'I' * act}" if scene == 1 else f"SCENE {'I' * scene}."]
            if draw(st.booleans()):
                blocks.append(f"[_{sentence(draw)}_]")
            for _ in range(draw(st.integers(10, 14))):
                name = draw(st.sampled_from(names))
                text = sentence(draw)
                if draw(st.integers(0, 3)) == 0:
                    text += f" [_{draw(word).capitalize()}._] " + sentence(draw)
                speech = [f"{label(name)} {text}"] if inline else [label(name), text]
                if draw(st.integers(0, 4)) == 0:
                    speech.append("\n".join(f"    {w.capitalize()} and {draw(word)}"
                                            for w in draw(st.lists(word, min_size=2, max_size=4))))
                blocks += speech
                if draw(st.integers(0, 4)) == 0:
                    blocks.append(f"[_{sentence(draw)}_]")
            parts.append("\n\n".join(blocks))
    return "\n\n\n\n".join(parts) + "\n"


@settings(max_examples=60, deadline=None)
@given(play())
def test_a_canonical_play_comes_back_byte_for_byte_and_is_valid(tei_all, text):
    root = convert_gutenberg(text)
    assert xp(root, "//tei:sp") and xp(root, "//tei:castList")
    assert to_text(root) == text
    assert tei_all.validate(root), (text, tei_all.error_log.last_error)


@pytest.mark.parametrize("name", ["play_names_on_own_line", "play_names_opening_speeches",
                                  "play_italic_names_over_verse"])
@pytest.mark.parametrize("fmt", ["text", "html", "json"])
def test_export_keeps_every_character_of_a_play(tmp_path, name, fmt):
    from click.testing import CliRunner

    from teikit.cli import cli
    source = FIXTURES / f"{name}.xml"
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["export", "-f", fmt, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = squeeze(out.read_text(encoding="utf-8"))
    if fmt == "html":
        import html
        exported = squeeze(html.unescape(re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8"))))
    elif fmt == "json":
        import json

        def strings(o):
            if isinstance(o, str):
                yield o
            elif isinstance(o, dict):
                for v in o.values():
                    yield from strings(v)
            elif isinstance(o, list):
                for v in o:
                    yield from strings(v)
        exported = squeeze("".join(strings(json.loads(out.read_text(encoding="utf-8")))))
    body = xp(teikit.load(source).element, "//tei:body")[0]
    if fmt == "text":
        assert exported == squeeze((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
    else:
        # every run of the body's text is in the export, in order
        pos = 0
        for piece in (squeeze(t) for t in body.itertext()):
            if piece:
                found = exported.find(piece, pos)
                assert found >= 0, piece
                pos = found + len(piece)


def test_load_reads_every_character_of_a_play():
    for name in ("play_names_on_own_line", "play_names_opening_speeches", "play_italic_names_over_verse"):
        doc = teikit.load(FIXTURES / f"{name}.xml")
        body = xp(doc.element, "//tei:body")[0]
        assert squeeze(doc.text()) == squeeze("".join(body.itertext()))
