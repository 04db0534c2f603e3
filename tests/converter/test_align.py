"""The marker alignment: the linear dynamic programme chooses what the plain one would,
and a document with thousands of glued note numbers is anchored whole."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teikit.converter import convert, markers
from teikit.converter.markers import Candidate, align

from .helpers import xp


def reference_align(numbers: list[str], found: dict[str, list[Candidate]]) -> list[Candidate | None]:
    """The specification: every candidate tried against every earlier state (quadratic)."""
    layers: list[list[tuple[Candidate, float, tuple[int, int] | None]]] = []
    for i, number in enumerate(numbers):
        layer = []
        for cand in sorted(found.get(number, []), key=lambda c: c.start):
            best_total, best_back = (None if cand.chained else markers.SKIP_PENALTY * i + cand.score), None
            for back_i in range(max(0, i - 1 - markers.MAX_SKIPPED_NOTES), i):
                skipped = i - back_i - 1
                for back_j, (prev, prev_total, _) in enumerate(layers[back_i]):
                    if prev.end > cand.start or (cand.chained and (skipped or cand.start != prev.end + 1)):
                        continue
                    total = prev_total + cand.score + markers.SKIP_PENALTY * skipped \
                        - 1e-9 * (cand.start - prev.end)
                    if best_total is None or total > best_total:
                        best_total, best_back = total, (back_i, back_j)
            if best_total is not None:
                layer.append((cand, best_total, best_back))
        layers.append(layer)
    best_total, best_state = markers.SKIP_PENALTY * len(numbers), None
    for i, layer in enumerate(layers):
        for j, (_, total, _) in enumerate(layer):
            if total + markers.SKIP_PENALTY * (len(numbers) - 1 - i) > best_total:
                best_total, best_state = total + markers.SKIP_PENALTY * (len(numbers) - 1 - i), (i, j)
    chosen: list[Candidate | None] = [None] * len(numbers)
    while best_state is not None:
        i, j = best_state
        chosen[i], best_state = layers[i][j][0], layers[i][j][2]
    return chosen


SCORES = [markers.AFTER_CLOSING, markers.CHAINED, markers.AFTER_LETTER, markers.SPACED,
          markers.YEAR_OR_LINE_START, markers.GLUED_DIGITS]


@st.composite
def candidate_sets(draw):
    count = draw(st.integers(1, 12))
    numbers = [str(k) for k in range(1, count + 1)]
    found = {}
    for number in numbers:
        starts = draw(st.lists(st.integers(0, 80), max_size=6, unique=True))
        found[number] = [Candidate(s, s + len(number), draw(st.sampled_from(SCORES)), draw(st.booleans()))
                         for s in starts]
    return numbers, found


def objective(numbers: list[str], chosen: list[Candidate | None]) -> float:
    """The total an alignment scores; checks it is one the rules allow (in order, chains)."""
    total, previous = 0.0, None
    for i, cand in enumerate(chosen):
        if cand is None:
            total += markers.SKIP_PENALTY
            continue
        assert previous is None or chosen[previous].end <= cand.start
        assert i - (previous if previous is not None else -1) - 1 <= markers.MAX_SKIPPED_NOTES \
            or previous is None
        if cand.chained:
            assert previous == i - 1 and cand.start == chosen[previous].end + 1
        total += cand.score
        previous = i
    return total


@settings(max_examples=300, deadline=None)
@given(candidate_sets())
def test_linear_alignment_scores_what_the_quadratic_one_does(case):
    """Equal totals may be broken differently (rounding of the nearness term), so the totals
    are compared, and each choice is checked to follow the rules."""
    numbers, found = case
    assert objective(numbers, align(numbers, found)) == \
        pytest.approx(objective(numbers, reference_align(numbers, found)), abs=1e-6)


def big_document(n: int) -> str:
    body = "".join(f"Paragraph {i} of the memorandum, about the talks of 1955 and what followed,{i + 1} "
                   f"[Page {i + 1}] in session {i}.\n\n" for i in range(n))
    notes = "".join(f"  {i + 1}. Note {i + 1} on box {i}.\n" for i in range(n))
    return "1. Memorandum of Conversation\n\n" + body + notes


def test_thousands_of_glued_markers_are_each_anchored_in_place():
    """2,000 notes, each number also standing in the text as 'Paragraph N', 'session N', '1955'."""
    n = 2000
    result = convert(big_document(n))
    assert not result.warnings
    paragraphs = xp(result.root, "//tei:body/tei:div/tei:p")
    assert len(paragraphs) == n
    for i, p in enumerate(paragraphs):
        (note,) = xp(p, "tei:note")
        assert note.get("n") == str(i + 1)
        assert "".join(p.itertext()).startswith(f"Paragraph {i} of the memorandum, about the talks "
                                                f"of 1955 and what followed,Note {i + 1} on box {i}.")
