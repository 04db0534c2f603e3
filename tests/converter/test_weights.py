"""One test per scoring weight of bare-number note markers (see markers.py for the reasons)."""
from __future__ import annotations

import pytest

from teikit.converter import convert, markers
from teikit.converter.markers import Candidate, align, candidates_for


def score_of(text: str, number: str, heading_end: int = -1) -> float:
    found = candidates_for(text, [(0, len(text))], [number], heading_end)[number]
    assert len(found) == 1, found
    return found[0].score


@pytest.mark.parametrize("text, number, expected", [
    ("morning,2 then", "2", markers.AFTER_CLOSING),
    ("Dulles1 said", "1", markers.AFTER_LETTER),
    ("at 90°1 now", "1", markers.AFTER_OTHER),
    ("Pushkin 4 about", "4", markers.SPACED),
    ("in 1955 the", "5", markers.YEAR_OR_LINE_START),
    ("in 19721 the", "1", markers.AFTER_YEAR),
    ("to 14 years", "4", markers.SHORT_PREFIX),
    ("NSC 54052 and", "2", markers.GLUED_DIGITS),
    ("Paris 4352) x", "2", markers.GLUED_DIGITS + markers.BEFORE_CLOSING_BONUS),
    ("said Dulles1", "1", markers.AFTER_LETTER + markers.END_BONUS),
    ("One * two", "*", markers.SYMBOL),
], ids=["after-closing", "after-letter", "after-other", "spaced", "year-or-line-start",
        "after-year", "short-prefix", "glued-digits", "before-closing-bonus", "end-bonus", "symbol"])
def test_weight_applies_where_its_reason_says(text, number, expected):
    assert score_of(text, number) == pytest.approx(expected)


def test_chained_marker_right_after_another():
    found = candidates_for("undated1 2 then", [(0, 15)], ["1", "2"], -1)
    chained = found["2"][0]
    assert chained.chained and chained.score == pytest.approx(markers.CHAINED)


def test_heading_end_bonus():
    text = "Title1\n\nBody"
    assert score_of(text, "1", heading_end=6) == pytest.approx(
        markers.AFTER_LETTER + markers.END_BONUS + markers.HEADING_END_BONUS)


def test_skip_penalty_lets_one_missing_marker_leave_the_rest_in_place():
    later = Candidate(10, 11, markers.AFTER_LETTER, False)
    assert align(["1", "2"], {"1": [], "2": [later]}) == [None, later]
    weak = Candidate(3, 4, markers.SPACED, False)
    assert align(["1"], {"1": [weak]}) == [weak]        # a weak marker beats a skipped note


def test_confident_candidate_for_a_missing_note_is_reported():
    result = convert("4. Title\n\nText.1 More,2 words.\n\n  1. A note.")
    assert any("'2' looks like a footnote marker" in w.message for w in result.warnings)
    assert markers.AFTER_CLOSING >= markers.CONFIDENT > markers.AFTER_LETTER


def test_after_day():
    assert score_of("on September 302 are", "2") == pytest.approx(markers.AFTER_DAY)


def test_unsure_placement_is_a_warning_and_the_note_is_kept():
    text = "5. Heading\n\nIn 1911 the river rose.[1] Boston had 3 floods in 21 years.\n\n  1. Report."
    result = convert(text)
    note = result.div.find(".//{http://www.tei-c.org/ns/1.0}note")
    assert note.get("subtype") == "unanchored" and note.text == "Report."
    assert "in 21 years" in "".join(result.div.itertext())
    assert [w.line for w in result.warnings if "more likely text" in w.message] == [3]
