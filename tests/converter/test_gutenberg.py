"""The Project Gutenberg convention: markers, note blocks, page markers, structure, header."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

import teikit
from teikit.cli import cli
from teikit.xmlio import NSMAP

from .gutenberg_helpers import FIXTURES, convert_gutenberg, warnings_of


def xp(el, path: str):
    return el.xpath(path, namespaces=NSMAP)


def body(text: str):
    return xp(convert_gutenberg(text), "//tei:body")[0]


def notes(text: str) -> list[tuple[str, str, str]]:
    """(n, note text, the 12 characters before the note) for every footnote."""
    out = []
    for note in xp(body(text), ".//tei:note[@place='foot']"):
        prev = note.getprevious()
        before = (prev.tail if prev is not None else note.getparent().text) or ""
        out.append((note.get("n"), " ".join("".join(note.itertext()).split()), before[-12:]))
    return out


# ----------------------------------------------------------------------------- markers
@pytest.mark.parametrize("label", ["1", "A", "*", "05", "b"])
def test_every_marker_style_is_paired_with_its_footnote_block(label):
    text = f"The text of the book.[{label}] More text.\n\n[Footnote {label}: The note.]\n"
    assert notes(text) == [(label, "The note.", "of the book.")]


def test_indented_footnote_block_after_the_paragraph():
    text = "One line\nof text,[1] and more.\n\n    [Footnote 1: First line\n    and second line.]\n"
    [(n, note, before)] = notes(text)
    assert (n, note) == ("1", "First line and second line.") and before.endswith("of text,")


def test_footnotes_gathered_at_the_end_of_a_chapter_keep_their_places():
    text = ("CHAPTER I\n\nFirst[1] paragraph.\n\nSecond[2] paragraph.\n\n"
            "[Footnote 1: Note one.]\n\n[Footnote 2: Note two.]\n")
    assert [(n, t) for n, t, _ in notes(text)] == [("1", "Note one."), ("2", "Note two.")]
    div = xp(body(text), "tei:div")[0]
    assert [el.get("corresp") for el in xp(div, "tei:anchor")] == ["#fn1", "#fn2"]


def test_numbering_restarts_per_chapter():
    text = ("CHAPTER I\n\nAlpha[1] beta.\n\n[Footnote 1: First chapter.]\n\n\n\n"
            "CHAPTER II\n\nGamma[1] delta.\n\n[Footnote 1: Second chapter.]\n")
    assert notes(text) == [("1", "First chapter.", "Alpha"), ("1", "Second chapter.", "Gamma")]


def test_multi_paragraph_footnote_with_nested_brackets():
    text = ("Text.[1]\n\n[Footnote 1: See [Pg 4] and [the list [of] names].\n\n"
            "A second paragraph [sic].]\n\nAfter the note.\n")
    note = xp(body(text), ".//tei:note")[0]
    paragraphs = xp(note, "tei:p")
    first, second = paragraphs
    assert (first.text, first[0].get("n"), first[0].tail) == ("See ", "4", " and [the list [of] names].")
    assert second.text == "A second paragraph [sic]."
    assert xp(body(text), "string(.//tei:p[not(ancestor::tei:note)][last()])") == "After the note."


def test_numbered_note_paragraphs_at_chapter_end():
    text = ("LETTER I.\n\nDear Sir,--We arrived[1] on Monday.[2]\n\n\n"
            "[1]  On the\n     evening train.\n\n[2]  A wet day.\n")
    assert notes(text) == [("1", "On the evening train.", "--We arrived"),
                           ("2", "A wet day.", " on Monday.")]
    assert xp(body(text), ".//tei:note/@rend") == ["numbered", "numbered"]


def test_bracketed_number_at_paragraph_start_without_a_marker_is_prose():
    text = "[1] is the first entry of the list.\n\nMore prose.\n"
    assert notes(text) == []
    assert xp(body(text), "string(.//tei:p[1])") == "[1] is the first entry of the list."


def test_footnote_without_marker_is_kept_unanchored_with_a_warning():
    text = "A paragraph without markers.\n\n[Footnote 3: An orphan note.]\n"
    note = xp(body(text), ".//tei:note")[0]
    assert note.get("subtype") == "unanchored" and note.text == "An orphan note."
    assert note.getparent().tag.endswith("}p")
    assert warnings_of(text) == [
        "test.txt:3: warning: footnote 3 has no marker [3] before it; "
        "it is kept after the paragraph before it"]


def test_marker_without_a_note_is_text_with_a_warning():
    text = "First[1] and second[2] markers.\n\n[Footnote 1: Only one note.]\n"
    assert [w.split(": warning: ")[1] for w in warnings_of(text)] == [
        "'[2]' looks like a note marker but no note 2 follows it; it is kept as text"]
    assert "second[2] markers." in xp(body(text), "string(.//tei:p)")


def test_brackets_in_a_text_without_notes_give_no_warning():
    assert warnings_of("A list [1] of things [2].\n") == []


# ----------------------------------------------------------------------------- page markers
@pytest.mark.parametrize("marker,rend", [("[Pg 12]", None), ("{12}", "brace"), ("[p. 12]", "p"),
                                         ("[Pg xii]", None)])
def test_page_marker_syntaxes(marker, rend):
    pb = xp(body(f"Before the break {marker} after it.\n"), ".//tei:pb")[0]
    assert pb.get("n") == marker.strip("[]{}").split()[-1].lstrip("p.")
    assert pb.get("rend") == rend and pb.get("break") is None


def test_page_marker_inside_a_word_does_not_break_it():
    p = xp(body("A com[Pg 7]fortable walk.\n"), ".//tei:p")[0]
    assert p.text == "A com" and p[0].get("break") == "no" and p[0].tail == "fortable walk."


def test_page_marker_opening_a_chapter_heading_goes_into_the_heading():
    head = xp(body("[Pg 23] CHAPTER II\n\nText.\n"), ".//tei:head")[0]
    assert head[0].get("n") == "23" and head[0].tail == " CHAPTER II"


# ----------------------------------------------------------------------------- structure
def test_chapters_become_divisions_with_heads_and_subheads():
    text = ("THE BOOK\n\n\n\nCHAPTER I\n\nTHE BEGINNING\n\nText one.\n\n\n\n"
            "CHAPTER II\n\nThe Middle of Things\n\nText two.\n")
    divs = xp(body(text), "tei:div")
    assert [d.get("type") for d in divs] == ["section", "chapter", "chapter"]
    assert [xp(d, "string(tei:head[not(@type)])") for d in divs] == ["THE BOOK", "CHAPTER I", "CHAPTER II"]
    assert [xp(d, "string(tei:head[@type='sub'])") for d in divs] == ["", "THE BEGINNING",
                                                                      "The Middle of Things"]


@pytest.mark.parametrize("line", [
    "It was a dark night and the wind blew hard over the moor.[B]",
    "The rain stopped.[1] {13}",
    "Another chapter begins here with a star note.*",
    '"Who is there?" she said.\u201d',
])
def test_a_one_line_sentence_after_a_chapter_heading_is_a_paragraph(line):
    """Only a line that does not end as a sentence may be a chapter's title: a note marker or a
    closing quote after the full stop does not make a sentence a title."""
    text = f"CHAPTER I.\n\n{line}\n\n[Footnote B: A note.]\n\n[Footnote 1: Another.]\n\nMore text.\n"
    div = xp(body(text), "tei:div")[0]
    assert xp(div, "tei:head[@type='sub']") == []
    assert xp(div, "local-name(tei:*[2])") == "p"


CONTENTS = ("A BOOK\n\n\n\nCONTENTS\n\nCHAPTER                 PAGE\n\n   I. THE START       1\n\n"
            "  II. THE END        15\n\n\n\nCHAPTER I.\n\nThe start.\n\n\n\nCHAPTER II.\n\nThe end.\n")


def test_a_list_of_contents_is_one_list_and_opens_no_chapter():
    """Entries set off by blank lines, each ending with its page number, make one list; an entry
    that looks like a chapter heading ("I. THE START") opens no division."""
    divs = xp(body(CONTENTS), "tei:div")
    assert [xp(d, "string(tei:head[not(@type)])") for d in divs] == ["A BOOK", "CONTENTS", "CHAPTER I.",
                                                                      "CHAPTER II."]
    entries = xp(divs[1], "tei:list[@type='contents']")
    assert len(entries) == 1
    assert xp(entries[0], "tei:item/text()") == ["I. THE START 1", "II. THE END 15"]


def test_entries_set_off_right_under_the_contents_heading_are_a_list_and_a_set_off_chapter_ends_it():
    text = ("CONTENTS\n\n\n\n    I. THE START 1\n\n    II. THE END 9\n\n\n\nCHAPTER 1\n\nThe start.\n")
    divs = xp(body(text), "tei:div")
    assert [xp(d, "string(tei:head)") for d in divs] == ["CONTENTS", "CHAPTER 1"]
    assert xp(divs[0], "tei:list/tei:item/text()") == ["I. THE START 1", "II. THE END 9"]


@pytest.mark.parametrize("heading", ["CONTENTS AND ILLUSTRATIONS", "CONTENTS AND LIST OF PLATES."])
def test_contents_listed_with_the_illustrations_are_a_list(heading):
    text = (f"{heading}\n\n\n  The Mermaid of Zennor          _Page_  4\n  The Stone Men of St. Cleer        8\n"
            "  How Bala Lake Began              48\n\n\n\nFOREWORD\n\nIn those older, simpler days.\n")
    divs = xp(body(text), "tei:div")
    assert [xp(d, "string(tei:head)") for d in divs] == [heading, "FOREWORD"]
    assert len(xp(divs[0], "tei:list[@type='contents']/tei:item")) == 3


def test_a_list_of_contents_comes_back_as_indented_lines():
    from teikit.converter.conventions.gutenberg.text import book_text
    text = book_text(convert_gutenberg(CONTENTS))
    assert "CONTENTS\n\nCHAPTER PAGE\n\n    I. THE START 1\n    II. THE END 15\n" in text
    assert book_text(convert_gutenberg(text)) == text


def test_capitals_after_one_blank_line_are_not_a_heading():
    text = "Some prose here.\n\nNOT A HEADING\n\nMore prose.\n"
    assert len(xp(body(text), ".//tei:head")) == 0


def test_verse_and_block_quotes_are_their_own_blocks():
    text = ("He said:\n\n    Over the hill and far away,\n    Under the moon the foxes play.\n\n"
            "And wrote:\n\n    The traveller who follows the river will\n    find the walk long.\n")
    div = xp(body(text), "tei:div")[0]
    assert [el.tag.split("}")[1] for el in div] == ["p", "lg", "p", "quote"]
    assert xp(div, "tei:lg/tei:l/text()") == ["Over the hill and far away,",
                                              "Under the moon the foxes play."]
    assert xp(div, "string(tei:quote)") == "The traveller who follows the river will find the walk long."


def test_illustration_and_sidenote():
    text = "[Sidenote: The mill.]\n\nText.\n\n[Illustration: THE MILL\nAT DAWN.]\n\n[Illustration]\n"
    div = xp(body(text), "tei:div")[0]
    assert [el.tag.split("}")[1] for el in div] == ["label", "p", "figure", "figure"]
    # a marginal heading nothing refers to: a label kept in the text's flow, not a note
    assert div[0].get("place") == "margin" and div[0].text == "[Sidenote: The mill.]"
    assert xp(div, "tei:figure/tei:head/text()") == ["[Illustration: THE MILL AT DAWN.]", "[Illustration]"]


def test_unclosed_bracket_ends_with_its_paragraph_and_warns():
    text = "Text.\n\n[Illustration: A broken caption\n\nNext paragraph.\n"
    div = xp(body(text), "tei:div")[0]
    assert xp(div, "string(tei:p[last()])") == "Next paragraph."
    assert warnings_of(text) == ["test.txt:3: warning: '[Illustration' is not closed by ']'; "
                                 "it is taken to end with its paragraph"]


# ----------------------------------------------------------------------------- header
def test_header_from_the_gutenberg_preamble():
    root = convert_gutenberg((FIXTURES / "footnote_blocks.txt").read_text(encoding="utf-8"))
    assert xp(root, "string(//tei:titleStmt/tei:title)") == "A Winter Walk With Notes on the Parish"
    assert xp(root, "string(//tei:titleStmt/tei:author)") == "Jane Example"
    assert "March 3, 2009" in xp(root, "string(//tei:sourceDesc)")
    assert "gutenberg" in xp(root, "string(//tei:encodingDesc)")
    divs = xp(root, "//tei:body/tei:div")
    assert (divs[0].get("type"), divs[-1].get("type")) == ("preamble", "license")


def test_title_without_preamble_is_the_title_page_heading():
    root = convert_gutenberg("A SHORT BOOK\n\n\n\nCHAPTER I\n\nText.\n")
    assert xp(root, "string(//tei:titleStmt/tei:title)") == "A SHORT BOOK"


# ----------------------------------------------------------------------------- detection and CLI
@pytest.mark.parametrize("text", [
    "Text.[1]\n\n[Footnote 1: A note.]\n",
    "Some text [Pg 12] more text.\n",
    "CHAPTER I\n\nText.\n\n[Illustration: A view.]\n",
    "*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n\nText.\n",
])
def test_auto_detection_picks_gutenberg(text):
    from teikit.converter.convention import detect
    convention, warning = detect(text)
    assert (convention.name, warning) == ("gutenberg", None)


def test_auto_detection_leaves_frus_documents_alone():
    from teikit.converter.convention import detect
    text = "12. Telegram From the Embassy\n\nText.1 [Page 5] More.\n\n  1. A note.\n"
    assert detect(text)[0].name == "frus"


def test_to_text_uses_the_convention_recorded_in_the_header():
    from teikit.converter.plaintext import to_text
    text = "CHAPTER I\n\nText.[1] More [Pg 4] text.\n\n[Footnote 1: A note.]\n"
    root = teikit.convert(text, name="t.txt").root          # auto
    assert to_text(root) == text


@pytest.mark.parametrize("option", [[], ["--convention", "gutenberg"]])
def test_cli_converts_a_gutenberg_book(tmp_path, option):
    out = tmp_path / "book.xml"
    result = CliRunner().invoke(cli, ["convert", "-v", *option, str(FIXTURES / "numbered_notes.txt"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "convention gutenberg" in result.output
    assert len(xp(etree.parse(str(out)).getroot(), "//tei:note[@place='foot']")) == 3


@pytest.mark.parametrize("index,text", [
    (0, "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n"),
    (1, "    [Footnote 12: A note.]\n"),
    (2, "a {12} b\n"),
    (3, "[Illustration: A view.]\n"),
    (4, "[3]  A note paragraph.\n"),
    (5, "CHAPTER XII\n"),
])
def test_each_detection_weight_fires_on_its_habit_alone(index, text):
    from teikit.converter.conventions.gutenberg import DETECT_WEIGHTS, detect
    # detect() searches "\n" + text, so a pattern may start from the line break before its habit
    fired = [i for i, (_, pattern, _) in enumerate(DETECT_WEIGHTS) if pattern.search("\n" + text)]
    assert fired == [index] and detect(text) == DETECT_WEIGHTS[index][2]


def test_each_detection_pattern_needs_one_of_its_cues():
    """The substring cues only skip searches: a pattern cannot match a text without them."""
    from teikit.converter.conventions.gutenberg import DETECT_WEIGHTS
    samples = ["*** START OF THE PROJECT GUTENBERG EBOOK X ***", "[Footnote 12: A note.]", "a {12} b",
               "[Pg 3]", "[p. iv]", "[Illustration: A view.]", "[Sidenote: Margin]", "[3]  A note.",
               "CHAPTER XII", "Chapter 4", "LETTER IV", "BOOK II", "PART 3"]
    for cues, pattern, _ in DETECT_WEIGHTS:
        for sample in samples:
            if pattern.search("\n" + sample):
                assert any(cue in sample for cue in cues), (pattern.pattern, sample)


def test_unclosed_footnote_stays_a_note_and_gets_no_bracket_back():
    from .gutenberg_helpers import to_text
    text = "Text.[1]\n\n[Footnote 1: A note that never ends\n\nNext paragraph.\n"
    root = convert_gutenberg(text)
    note = xp(root, "//tei:note")[0]
    assert note.get("rend") == "footnote unclosed" and note.text == "A note that never ends"
    assert to_text(root) == text


@pytest.mark.parametrize("line,div_type", [
    ("CHAPTER I.—THE BEGINNING", "chapter"), ("Chapter 4.", "chapter"), ("BOOK THE FIRST", "book"),
    ("LETTER XII.--FROM PARIS", "letter"), ("XIV.", "section"), ("Part of the day was fine", None),
    ("Chapter in which nothing happens", None), ("Part one of the plan was simple", None),
    ("CHAPTER IV THE STORM", "chapter"),
])
def test_chapter_heading_forms(line, div_type):
    divs = xp(body(f"Opening words of the book.\n\n{line}\n\nText.\n"), "tei:div")
    if div_type is None:
        assert len(divs) == 1 and xp(divs[0], "count(tei:head)") == 0
    else:
        assert divs[-1].get("type") == div_type and xp(divs[-1], "string(tei:head)") == line


def test_numbered_letters_set_off_by_blank_lines_are_divisions_with_their_addressee():
    text = ("LETTERS.\n\n\n216.\n\nTO STEINER & CO.\n\nMY GOOD ADJUTANT,--\n\nThe text.\n\n\n"
            "217.\n\nTO STEINER.\n\nMore text, with 3. in it.\n")
    divs = xp(body(text), "tei:div")
    assert [xp(d, "tei:head/text()") for d in divs] == [["LETTERS."], ["216.", "TO STEINER & CO."],
                                                        ["217.", "TO STEINER."]]
    assert xp(divs[1], "tei:p/text()") == ["MY GOOD ADJUTANT,--", "The text."]


def test_export_text_writes_a_converted_book_back(tmp_path):
    from .gutenberg_helpers import to_text
    source = FIXTURES / "footnote_blocks.txt"
    canonical = to_text(convert_gutenberg(source.read_text(encoding="utf-8")))
    (tmp_path / "book.txt").write_text(canonical, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", "-q", str(tmp_path / "book.txt"), "-o",
                               str(tmp_path / "book.xml")]).exit_code == 0
    result = runner.invoke(cli, ["export", "--format", "text", str(tmp_path / "book.xml"),
                                 "-o", str(tmp_path / "back.txt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "back.txt").read_text(encoding="utf-8") == canonical


def test_numbered_note_whose_label_stands_alone_takes_the_blocks_after_it():
    from .gutenberg_helpers import to_text
    text = ("The song ends thus.[14] And so on.[15]\n\n[14]\n\n    Ope thy purse,\n    And shut it then.\n\n"
            "A comment on the song.\n\n[15] The next note.\n")
    root = convert_gutenberg(text)
    note = xp(root, "//tei:note[@n='14']")[0]
    assert xp(note, "tei:p/text()") == ["Ope thy purse, And shut it then.", "A comment on the song."]
    assert xp(root, "count(//tei:body//tei:p[not(ancestor::tei:note)])") == 1
    canonical = to_text(root)
    assert canonical.startswith("The song ends thus.[14] And so on.[15]\n\n[14]\n\n")
    assert to_text(convert_gutenberg(canonical)) == canonical


@pytest.mark.parametrize("notes_text", [
    "[Pg 5] [Footnote 1: The note.]",
    "[Pg 5]\n[Footnote 1: The note.]",
    "[Pg 5] [1]  The note.",
])
def test_page_marker_before_a_note_block_stays_in_the_text(notes_text):
    from .gutenberg_helpers import to_text
    text = f"Text with a marker.[1] More text.\n\n{notes_text}\n\nNext paragraph.\n"
    root = convert_gutenberg(text)
    assert [(n, t) for n, t, _ in notes(text)] == [("1", "The note.")]
    assert xp(root, "//tei:pb/@n") == ["5"] and not xp(root, "//tei:note//tei:pb")
    assert xp(root, "string(//tei:body//tei:p[last()])") == "Next paragraph."
    assert "".join(to_text(root).split()) == "".join(text.split())


def test_a_sidenote_keeps_its_place_in_the_text_and_comes_back():
    from .gutenberg_helpers import to_text
    text = "Text.[1]\n\n[Sidenote: _Design and Form._]\n\nMore text.\n\n[1] The note.\n"
    root = convert_gutenberg(text)
    assert [n.get("n") for n in xp(root, "//tei:note")] == ["1"]      # a sidenote is no note
    assert xp(root, "string(//tei:label[@place='margin'])") == "[Sidenote: _Design and Form._]"
    assert to_text(root) == text


# ----------------------------------------------------------------------------- notes of several paragraphs
def paragraphs(note) -> list[str]:
    """The text of each paragraph, quotation or verse of a note (verse lines joined by "|")."""
    return ["|".join(xp(el, "tei:l/text()")) if etree.QName(el).localname == "lg" else el.text
            for el in note] or [note.text]


def test_a_note_introducing_a_quotation_takes_it_and_the_text_after_stays_text():
    """Notes right after their paragraph: only the quotation the note introduces is the note's."""
    from .gutenberg_helpers import to_text
    text = ("Americans knew him early.[E] So it went.\n\n"
            "[E] This was commented on by Margaret Fuller in 1841. She says:\n\n"
            "\"It is observable as an earnest of the great future.\"\n\n"
            "Meanwhile Ries was making propaganda for him.[F]\n\n[F] Kalischer.\n\n"
            "The last paragraph.\n")
    root = convert_gutenberg(text)
    assert [(n.get("n"), paragraphs(n)) for n in xp(root, "//tei:note")] == [
        ("E", ["This was commented on by Margaret Fuller in 1841. She says:",
               "\"It is observable as an earnest of the great future.\""]),
        ("F", ["Kalischer."])]
    assert xp(root, "//tei:note[@n='E']/@rend") == ["numbered continued"]
    assert [p.text for p in xp(root, "//tei:body//tei:p[not(ancestor::tei:note)]")] == [
        "Americans knew him early.", "Meanwhile Ries was making propaganda for him.", "The last paragraph."]
    assert to_text(root) == text


GATHERED = ("A custom of the island.[12] Another custom.[13]\n\n"
            "It was kept up by the young.\n\n"
            "And it is kept up still.\n\n"
            "[12] In Sark the water turns into blood. One man heard a voice saying:--\n\n"
            "    Qui veut voir\n    Veut sa mort.\n\n"
            "Then at last he was frightened.\n\n"
            "[13] The country people's term.\n\n"
            "A second paragraph of the last note.\n\n\n"
            "Easter.\n\n"
            "There are no customs at Easter.\n")


def test_notes_gathered_at_a_sections_end_take_the_blocks_up_to_the_next_note_or_the_sections_end():
    root = convert_gutenberg(GATHERED)
    assert [(n.get("n"), paragraphs(n)) for n in xp(root, "//tei:note")] == [
        ("12", ["In Sark the water turns into blood. One man heard a voice saying:--",
                "Qui veut voir|Veut sa mort.", "Then at last he was frightened."]),
        ("13", ["The country people's term.", "A second paragraph of the last note."])]
    note = xp(root, "//tei:note[@n='12']")[0]
    assert [etree.QName(el).localname for el in note] == ["p", "lg", "p"]
    assert [p.text for p in xp(root, "//tei:body//tei:p[not(ancestor::tei:note)]")] == [
        "A custom of the island.", "It was kept up by the young.", "And it is kept up still.",
        "Easter.", "There are no customs at Easter."]


def test_notes_of_several_blocks_come_back_as_they_stood():
    from .gutenberg_helpers import to_text
    root = convert_gutenberg(GATHERED)
    assert "".join(to_text(root).split()) == "".join(GATHERED.split())
    canonical = to_text(root)
    assert "[12] In Sark" in canonical and "\n\n    Qui veut voir\n    Veut sa mort.\n\n" in canonical
    assert to_text(convert_gutenberg(canonical)) == canonical


def test_a_note_after_its_paragraph_leaves_the_text_after_it_alone():
    text = ("Pity,[B] that sentiment, comes first.\n\n[B] The German word has a higher sense.\n\n"
            "The next paragraph of the book.\n\nAnd the one after.[C]\n\n[C] A short note.\n\n"
            "More of the book.\n")
    assert [(n, t) for n, t, _ in notes(text)] == [("B", "The German word has a higher sense."),
                                                   ("C", "A short note.")]
    assert xp(body(text), "//tei:note/@rend") == ["numbered", "numbered"]


@pytest.mark.parametrize("after, body_text", [
    # a short line in capitals opens the editor's comments, which are the text's
    ("EDITOR'S NOTES.\n\nThese two traditions are still told.", ["EDITOR'S NOTES.", "These two traditions are still told."]),
    # a paragraph that runs on into the next section leads into it: the text's too
    ("There is another version of the preceding, called", ["There is another version of the preceding, called"]),
])
def test_a_note_gathered_at_a_sections_end_stops_before_text_that_is_not_its_own(after, body_text):
    text = GATHERED.replace("A second paragraph of the last note.\n\n\n",
                            f"A second paragraph of the last note.\n\n{after}\n\n\n")
    root = convert_gutenberg(text)
    assert paragraphs(xp(root, "//tei:note[@n='13']")[0]) == [
        "The country people's term.", "A second paragraph of the last note."]
    assert [p.text for p in xp(root, "//tei:body//tei:p[not(ancestor::tei:note)]")][3:-2] == body_text


def test_notes_gathered_together_keep_a_line_in_capitals_between_them():
    text = ("A custom.[1] Another.[2]\n\nMore text.\n\nAnd more.\n\n[1] The editor's note:\n\n"
            "CHEVAUCHERIE D'ANE.\n\nIf a couple do not agree, they are admonished.\n\n[2] A short note.\n")
    root = convert_gutenberg(text)
    assert paragraphs(xp(root, "//tei:note[@n='1']")[0]) == [
        "The editor's note:", "CHEVAUCHERIE D'ANE.", "If a couple do not agree, they are admonished."]
