"""Block structure: lists, tables, closers, headings."""
from __future__ import annotations

from teikit.converter.plaintext import to_text

from .helpers import body_of, xp

HEAD = "12. Memorandum1\n\n"
NOTES = "\n\n  1. Source: Department of State. Secret."


def test_list_with_head_gets_a_type():
    div, _ = body_of(HEAD + "REFERENCES\n  • A. NSC 5405\n  • B. NSC 5429/5" + NOTES)
    lst = xp(div, "tei:list")[0]
    assert lst.get("type") == "references"
    assert xp(lst, "string(tei:head)") == "REFERENCES"
    assert [i.text for i in xp(lst, "tei:label")] == ["A.", "B."]
    assert [i.text for i in xp(lst, "tei:item")] == ["NSC 5405", "NSC 5429/5"]


def test_labels_stay_in_the_text_unless_every_item_has_one():
    div, _ = body_of(HEAD + "  • Preamble without label\n  • (1) First\n  • Mr. Smith agreed" + NOTES)
    assert not xp(div, ".//tei:label")
    assert [i.text for i in xp(div, ".//tei:item")] == [
        "Preamble without label", "(1) First", "Mr. Smith agreed"]


def test_labelled_item_with_paragraphs():
    div, _ = body_of(HEAD + "  • 1. General Somoza said so.\n\n    He added more.\n\n  • 2. Next." + NOTES)
    assert [x.text for x in xp(div, ".//tei:label")] == ["1.", "2."]
    assert xp(div, "string(.//tei:item[1]/tei:p[1])") == "General Somoza said so."


def test_unindented_bullet_is_paragraph_text():
    div, _ = body_of(HEAD + "• The first point is this." + NOTES)
    assert xp(div, "string(tei:p)") == "• The first point is this."


def test_item_with_continuation_paragraph_and_list_continues():
    text = (HEAD + "  • First item.\n\n    Its second paragraph.\n\n  • Second item.\n  • Third item."
            + NOTES)
    div, _ = body_of(text)
    assert len(xp(div, "tei:list")) == 1
    items = xp(div, "tei:list/tei:item")
    assert [len(xp(i, "tei:p")) for i in items] == [2, 0, 0]


def test_nested_list():
    div, _ = body_of(HEAD + "  • outer are:\n    • inner one\n    • inner two\n  • outer two" + NOTES)
    outer = xp(div, "tei:list/tei:item")
    assert len(outer) == 2
    assert [i.text for i in xp(outer[0], "tei:list/tei:item")] == ["inner one", "inner two"]
    assert " ".join(xp(outer[0], "string(.)").split()) == "outer are: inner one inner two"


def test_paragraph_followed_by_list_in_same_block():
    div, _ = body_of(HEAD + "The following points were agreed upon by all parties:\n  • one\n  • two" + NOTES)
    p = xp(div, "tei:p")[0]
    assert p.text.startswith("The following points")
    assert len(xp(p, "tei:list/tei:item")) == 2


def test_table_rows_and_cells():
    div, _ = body_of(HEAD + "Army\t16,000\nNavy\t3,000" + NOTES)
    rows = xp(div, "tei:table/tei:row")
    assert [[c.text for c in xp(r, "tei:cell")] for r in rows] == [["Army", "16,000"], ["Navy", "3,000"]]


def test_signature_becomes_closer_with_line_break():
    div, _ = body_of(HEAD + "Text of the memo.\n\nVernon A. Walters\nMaj. Gen. U.S. Army" + NOTES)
    signed = xp(div, "tei:closer/tei:signed")[0]
    assert signed.text == "Vernon A. Walters"
    assert len(xp(signed, "tei:lb")) == 1


def test_bracketed_signature_and_jr():
    for sig in ("[Dulles]", "Kenneth T. Young, Jr.", "NNNN"):
        div, _ = body_of(HEAD + "Text.\n\n" + sig + NOTES)
        assert xp(div, "string(tei:closer/tei:signed)") == sig


def test_signature_carrying_a_footnote():
    div, _ = body_of(HEAD + "Text.\n\nJohn E. Peurifoy2" + NOTES + "\n  2. Printed from a copy.")
    assert xp(div, "string(tei:closer/tei:signed/tei:note/@n)") == "2"


def test_closing_salutations_stay_paragraphs():
    for last in ("Warm regards.", "Sincerely,", "WARM REGARDS", "Thank you for your cables."):
        div, _ = body_of(HEAD + "Text.\n\n" + last + NOTES)
        assert not xp(div, "tei:closer"), last


def test_heading_without_number_is_a_warning():
    div, warnings = body_of("Memorandum for the Record\n\nText.")
    assert xp(div, "string(tei:head)") == "Memorandum for the Record"
    assert div.get("n") is None
    assert any("no numbered heading" in str(w) and w.line == 1 for w in warnings)


def test_table_with_head():
    div, _ = body_of(HEAD + "Forces\nArmy\t16,000\nNavy\t3,000" + NOTES)
    assert xp(div, "string(tei:table/tei:head)") == "Forces"
    assert xp(div, "count(tei:table/tei:row)") == 2


def test_dateline_carrying_a_note_at_the_top():
    div, _ = body_of(HEAD + "Washington, May 5, 1955.2\n\nText.\n\nParis, May 6, 1955.3"
                     + NOTES + "\n  2. Two.\n  3. Three.")
    assert [c.tag.split("}")[1] for c in div] == ["head", "dateline", "p", "p"]
    assert xp(div, "string(tei:dateline/tei:note/@n)") == "2"


def test_signatures_in_capitals_with_title_addressee_and_cosigners():
    text = ("9. Mr. Pruyn to Mr. Seward.\n\nNo. 65.]\n\nSir: I have the honor to report.\n\n"
            "ITAKURA SUWO-NO-KAMI.\n\nROBERT H. PRUYN, Minister Resident of the United States in Japan."
            "\n\nHon. William H. Seward, Secretary of State, &c., &c., &c.")
    div, _ = body_of(text)
    assert [c.tag.split("}")[1] for c in div] == ["head", "note", "p", "closer", "closer", "postscript"]
    assert xp(div, "string(tei:note[@rend='inline'][@type='source'])") == "No. 65.]"


def test_cosigners_with_seals_ranks_and_list_commas():
    """Signatures of treaties, inquests and joint notes (19th-century FRUS): a seal after the name,
    "Mc" in a name in capitals, a rank before it, names listed with commas, a long title, and an
    addressee longer than a line of print."""
    text = ("9. Inquest\n\nIn witness whereof we set our hands and seals.\n\nJ. McKAY. [seal.]\n\n"
            "BYRON BINNINGER. [l. s.]\n\nColonel JESUS GOMES, Portugal.\n\nPAN-YUN,\n\nHANG-KI, and\n\n"
            "J. DE MARR, Captain his Netherland Majesty’s Ship Metalen Kruis, Senior Officer of his "
            "Netherland Majesty’s Ship in Japan.\n\nHis Excellency Mr. Dayton, Envoy Extraordinary and "
            "Minister Plenipotentiary of the United States of America near the French Government.")
    div, _ = body_of(text)
    assert [c.tag.split("}")[1] for c in div] == ["head", "p", *["closer"] * 6, "postscript"]
    assert xp(div, "string(tei:closer[1])") == "J. McKAY. [seal.]"


def test_an_editors_remark_in_parentheses_after_the_signature_is_closing_matter():
    div, _ = body_of("9. Decree\n\nText.\n\nCOUNT P. DE CHASSELOUP-LAUBAT, Minister of Marine.\n\n"
                     "(Inserted in the official bulletin, 1864.)")
    assert [c.tag.split("}")[1] for c in div] == ["head", "p", "closer", "postscript"]


def test_a_postscript_paragraph_after_a_signature_stays_a_paragraph():
    div, _ = body_of("9. Letter\n\nText.\n\nRandolph A. Kidder\n\np.s. Collins’ views are in despatch 393.")
    assert [c.tag.split("}")[1] for c in div] == ["head", "p", "p", "p"]


def test_two_line_number_heading_source_line_and_opener():
    div, _ = body_of("No. 109\nThe Secretary of State to the Embassy1\n\n690B.9321/10–153: Telegram"
                     "\n\nsecret us urgent\nniact\n\n282. Text.\n\n  1. Also sent.")
    assert div.get("n") == "109"
    assert [c.tag.split("}")[1] for c in div] == ["head", "note", "opener", "p"]
    assert xp(div, "count(tei:head/tei:lb)") == 1
    assert xp(div, "tei:head/tei:note/@type") == []       # a source line is the source here


def test_an_editors_remark_after_the_addressee_is_closing_matter_too():
    div, _ = body_of("9. Mr. Seward to Mr. Dayton.\n\nSir: Text.\n\nWILLIAM H. SEWARD.\n\n"
                     "William L. Dayton, Esq., &c.\n\n[For enclosures see correspondence with the "
                     "French legation.]")
    assert [c.tag.split("}")[1] for c in div] == ["head", "p", "closer", "postscript", "postscript"]


def test_enclosures_of_older_volumes_are_parts_each_with_its_signature():
    text = ("9. Mr. Pruyn to Mr. Seward.\n\nSir: I enclose a convention.\n\nROBERT H. PRUYN.\n\n"
            "Hon. William H. Seward, &c.\n\n[Page 583]\n\n[Enclosure No. 1.]\n\nConvention.\n\n"
            "The undersigned agree.\n\nSAKAI HIDA-NO-KAMI.")
    div, _ = body_of(text)
    parts = xp(div, "tei:div")
    assert [p.get("type") for p in parts] == ["main", "enclosure"]
    assert [c.tag.split("}")[1] for c in parts[0]] == ["p", "closer", "postscript", "pb"]
    assert [c.tag.split("}")[1] for c in parts[1]] == ["p", "p", "p", "closer"]
    assert to_text(div.getroottree().getroot()) == text


def test_modern_enclosure_line_keeps_the_document_flat():
    div, _ = body_of("9. Memorandum\n\nText.\n\nJames S. Lay, Jr.\n\n[Enclosure]\n\nSTATEMENT OF POLICY")
    assert xp(div, "tei:div") == []


def test_a_list_indented_a_thousand_levels_deep_keeps_every_item_at_most_fifty_levels_down():
    # each item one space deeper than the last: the converter recursed per level (RecursionError at
    # about 300) and would have written a tree deeper than XML parsers read
    from teikit.converter.structure import MAX_LIST_DEPTH
    lines = [" " * (i + 1) + f"• item {i}" for i in range(1000)]
    div, _ = body_of(HEAD + "\n".join(lines) + NOTES)
    items = xp(div, ".//tei:item")
    assert [item.text.strip() for item in items] == [f"item {i}" for i in range(1000)]
    assert max(len(xp(item, "ancestor::tei:list")) for item in items) == MAX_LIST_DEPTH


def test_text_right_under_a_numbered_heading_is_kept():
    # "12. Title" and a line under it with no blank line between: the line was dropped
    line = "The meeting began at ten and lasted an hour, as the record shows."
    div, _ = body_of(f"12. Memorandum1\n{line}\n\nThe Secretary then asked for the papers." + NOTES)
    assert xp(div, "string(tei:head)").startswith("12. Memorandum")
    assert [xp(p, "string()") for p in xp(div, "tei:p")] == [line, "The Secretary then asked for the papers."]
