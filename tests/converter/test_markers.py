"""Footnote markers: glued numbers told apart from numbers that are text."""
from __future__ import annotations

import pytest

from .helpers import body_of, note_context, xp

HEAD = "12. Telegram From the Embassy in Paris to the Department of State1\n\n"


def doc(body: str, *notes: str) -> str:
    lines = "\n".join(f"  {i}. {t}" for i, t in enumerate(("Source: Department of State, Central Files. Secret.",) + notes, 1))
    return HEAD + body + "\n\n" + lines


@pytest.mark.parametrize("body, expected_before", [
    ("We met the Minister (Faure)2 at noon.", "(Faure)"),
    ("I saw Thieu this morning,2 and he agreed.", "morning,"),
    ("See the report.2 It is long.", "report."),
    ("As laid down in NSC 54052", "NSC 5405"),
    ("Repeated Saigon 1451, Paris 4352) that day.", "Paris 435"),
    ("Re Saigon’s 5249 repeated Paris 1345:2 While we appreciate it.", "Paris 1345:"),
    ("On “the problem.”2 he said nothing.", "problem.”"),
    ("my talks with Pushkin 2 about South Vietnam.", "Pushkin "),   # marker set off by spaces
])
def test_glued_marker_is_found(body, expected_before):
    div, warnings = body_of(doc(body, "Note two."))
    assert not warnings
    assert note_context(div, "2").endswith(expected_before)


@pytest.mark.parametrize("body", [
    "slow down the remainder such as the F–2’s and the rest.",
    "Kissinger Papers, Box TS 2, Geopolitical File.",
    "TO: Gen. Haig, AF 2",
    "REF: Peking #2",
    "Hakto 50/2. The message follows.",
    "2. As for the substantive problems, see below.",
])
def test_numbers_that_are_text_are_not_markers(body):
    div, warnings = body_of(doc(body))
    # only the source note exists: a "2" in the text must stay text
    assert len(xp(div, ".//tei:note")) == 1
    assert "2" in "".join(div.itertext())
    assert not warnings


@pytest.mark.parametrize("body", [
    "He arrived on May 2 and left.", "See Box 2 of the files.", "at 2 p.m. sharp",
    "It was 2 or 3 days later.", "In NSC 2 the Council agreed.", "Twelve to 12 years.",
])
def test_spaced_numbers_that_are_text_are_not_markers(body):
    div, _ = body_of(doc(body + " Later a claim.2", "Note two."))
    assert note_context(div, "2").endswith("claim.")


def test_spaced_marker_at_the_end_of_the_heading():
    text = "187. Telegram From the Embassy to the Department of State 1\n\nText.\n\n  1. Source: Files."
    div, warnings = body_of(text)
    assert xp(div, "string(tei:head/tei:note/@n)") == "1" and not warnings


def test_two_markers_in_the_heading_separated_by_a_space():
    text = ("77. Message From Kissinger to Haig, Washington, undated1 2\n\nText.\n\n"
            "  1. Source: National Archives. Top Secret.\n  2. A summary of the message.")
    div, warnings = body_of(text)
    head_notes = xp(div, "tei:head/tei:note")
    assert [n.get("n") for n in head_notes] == ["1", "2"]
    assert [n.get("type") for n in head_notes] == ["source", "summary"]
    assert xp(div, "string(tei:head)").startswith("77. Message From Kissinger")
    assert not warnings


def test_markers_glued_to_a_year_in_the_heading():
    text = ("75. Message, Beijing, January 4, 19721 2\n\nText.\n\n"
            "  1. Source: National Archives. Secret.\n  2. Summary.")
    div, _ = body_of(text)
    head = div.find("{http://www.tei-c.org/ns/1.0}head")
    assert head.text.endswith("January 4, 1972")
    assert [n.get("n") for n in head] == ["1", "2"]


def test_sequence_alignment_prefers_the_plausible_marker_over_an_earlier_number():
    body = "1312. 1. Sainteny returned Hanoi May 12 and met us (Contel 1303, Paris 4352) again."
    div, _ = body_of(doc(body, "A telegram."))
    assert note_context(div, "2").endswith("Paris 435")


def test_marker_in_front_of_a_later_marker_keeps_order():
    body = "First point.2 Second point.3 Third point.4"
    div, _ = body_of(doc(body, "two", "three", "four"))
    assert [note_context(div, n, 6) for n in "234"] == ["point.", "point.", "point."]
    assert [n.get("n") for n in xp(div, ".//tei:note")] == ["1", "2", "3", "4"]


def test_note_without_marker_is_kept_with_a_warning():
    body = "There is no marker for the second note here."
    div, warnings = body_of(doc(body, "Orphan note text."))
    assert "Orphan note text." in "".join(div.itertext())
    assert any("footnote 2 has no marker" in str(w) for w in warnings)
    assert any(w.line == 6 for w in warnings)   # the line of "  2. Orphan..."


def test_marker_without_note_body_is_reported():
    body = "A sentence with a marker.2 And another."
    div, warnings = body_of(doc(body))
    assert any("footnote 2" in str(w) and "no footnote 2" in str(w) for w in warnings)
    assert "marker.2" in "".join(div.itertext())    # the text is not lost


def test_multi_paragraph_note():
    text = HEAD + "Body text.2\n\n  1. Source: Archive. Secret.\n  2. First paragraph.\n     Second paragraph."
    div, _ = body_of(text)
    note = xp(div, ".//tei:note[@n='2']")[0]
    assert [p.text for p in xp(note, "tei:p")] == ["First paragraph.", "Second paragraph."]
