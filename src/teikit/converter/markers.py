"""Second stage: find ``[Page N]`` markers and align footnote numbers to the text.

Footnote markers in the plain text are bare numbers glued to the preceding
word ("(Haig)1", "morning,2", "NSC 54052"), which ordinary numbers can look
like too ("F–5’s", "Box TS 59", "1955").  Rather than one regular expression,
we list every place where note *k* could stand, give each a plausibility score
from its surroundings, and choose the sequence of positions for notes 1..N that
is in text order and scores best overall (a small dynamic programme).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lexer import Span

# words after which a number is text, not a footnote marker: "Box 12", "May 4", "No. 3"
NUMBER_WORD = re.compile(
    r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|no\.?|nos\.?|"
    r"box|boxes|p\.|pp\.|page|pages|vol\.?|volume|documents?|footnotes?|notes?|para(?:graph)?s?\.?|"
    r"part|tab|annex|section|article|chapter|point|item|number|room|route|highway|"
    r"at|by|of|to|from|until|till|about|over|under|some|nearly|approximately|only|all|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|and|or|(?-i:[A-Z]{1,6}))")
UNIT_AFTER = re.compile(r"\s*(?:[ap]\.m\.|percent|per cent|%|million|billion|thousand|hundred|"
                        r"men|troops|days|weeks|months|years|hours|minutes|miles|dollars|"
                        r"o[’']clock|or|to|and|-|–)\b")
MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? $")

# the next run of digits (group 1; empty at the end of the region): matching from where the
# previous run ended is 2x faster than searching for r"\d+", which re-starts at every character
NEXT_DIGIT_RUN = re.compile(r"\D*(\d+|\Z)")
CLOSING = set(".,;:)]}”’\"'!?…")
NOT_BEFORE_MARKER = set("#/$£€+-–(×[@&*=<>%^~_\\|")
MAX_SKIPPED_NOTES = 4

# Plausibility of a candidate marker position (the alignment maximises the sum).
SKIP_PENALTY = -6.0         # a note left without a marker: worse than any single weak candidate
AFTER_CLOSING = 3.0         # "morning,2", "(Haig)1": a number after punctuation is nearly always a marker
CHAINED = 3.0               # "undated1 2": a second marker one space after the first
AFTER_LETTER = 2.5          # "Dulles1": glued to a word; usually a marker, but "F5" and "B52" exist
AFTER_OTHER = 1.0           # glued to some other character: possible, not telling
SPACED = 0.6                # "Pushkin 4 about": a marker set off by spaces; most such numbers are text
END_BONUS = 0.5             # markers tend to end a line or stand before a page marker
HEADING_END_BONUS = 2.0     # a number ending the heading is the heading's note marker
YEAR_OR_LINE_START = 0.2    # tail of "1955", "May 12" or a number opening a line: rarely a marker
AFTER_YEAR = 1.5            # "19721": a year and note 1
AFTER_DAY = 1.5             # "September 302": no day has three digits, so day 30 and note 2
SHORT_PREFIX = 0.3          # "to 14 years": rarely "1" + note 4
GLUED_DIGITS = 1.0          # "NSC 54052": a longer number may end in a marker
BEFORE_CLOSING_BONUS = 0.5  # "Paris 4352)": glued-digit markers tend to precede punctuation
CONFIDENT = 3.0             # a candidate this strong is reported when its note is missing
UNSURE = 0.5                # a best position scoring below this is not trusted: the note is
                            # kept unanchored with a warning ("in 21 years" is not note 1)
SYMBOL = 3.0                # "*", "†" as a note label: a lone note symbol in the text is a marker


# values, never changed after they are made; not frozen=True, which makes creating one
# (one per line, per candidate marker) three times slower
@dataclass(slots=True, unsafe_hash=True)
class PageMarker:
    start: int
    end: int
    n: str


@dataclass(slots=True, unsafe_hash=True)
class NoteMarker:
    start: int
    end: int
    index: int      # position of the note in the note block (0-based)


@dataclass(slots=True, unsafe_hash=True)
class Candidate:
    start: int
    end: int
    score: float
    chained: bool   # "1 2": only valid right after the previous note's marker


def find_page_markers(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[PageMarker]:
    """Page markers of a convention (its pattern's group "n" is the page) inside ``[start, end)``."""
    return [PageMarker(m.start(), m.end(), m.group("n"))
            for m in pattern.finditer(text, start, end)]


def mask(text: str, spans: Iterable[Span | PageMarker]) -> str:
    """``text`` with the given spans blanked out by NUL characters (same length)."""
    pieces, pos = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= pos:
            continue
        start = max(span.start, pos)        # spans may overlap
        pieces += [text[pos:start], "\0" * (span.end - start)]
        pos = span.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1700 <= int(digits) <= 2099


def candidates_for(masked: str, regions: list[tuple[int, int]], numbers: list[str],
                   heading_end: int) -> dict[str, list[Candidate]]:
    """Every plausible position of each note number inside the regions."""
    wanted = set(numbers)
    longest = max((len(n) for n in numbers), default=1)
    found: dict[str, list[Candidate]] = {n: [] for n in numbers}
    for letter in {n for n in numbers if len(n) == 1 and n.isalpha()}:
        # a letter marker is told from a word's last letter only after punctuation ("1900,a");
        # one glued to a word ("notea") is not guessed: its note stays unanchored
        pattern = re.compile(rf"(?<=[.,;:)\]”’\"]){letter}(?![^\s.,;:)\]\0])")
        for rstart, rend in regions:
            found[letter] += [Candidate(m.start(), m.end(), AFTER_CLOSING, False)
                              for m in pattern.finditer(masked, rstart, rend)]
    for symbol in {n for n in numbers if not n.isdigit() and not (len(n) == 1 and n.isalpha())}:
        pattern = re.compile(rf"(?<!{re.escape(symbol[0])}){re.escape(symbol)}(?!{re.escape(symbol[-1])})")
        for rstart, rend in regions:
            found[symbol] += [Candidate(m.start(), m.end(), SYMBOL, False)
                              for m in pattern.finditer(masked, rstart, rend)]
    endings = {n[-1] for n in numbers if n.isdigit()}
    if not endings:
        return found
    for rstart, rend in regions:
        for m in NEXT_DIGIT_RUN.finditer(masked, rstart, rend):
            run = m.group(1)
            if not run or run[-1] not in endings:
                continue                      # only runs that end like a wanted number
            run_start, run_end = m.span(1)
            after = masked[run_end] if run_end < rend else "\n"
            after2 = masked[run_end + 1] if run_end + 1 < rend else "\n"
            if after.isalpha() or after in "%°":
                continue
            if after in "’'" and after2.isalpha():
                continue                      # "F–5’s"
            if after in ".,:" and after2.isdigit():
                continue                      # "3.5", "1,000", "10:30"
            for size in range(1, min(longest, len(run)) + 1):
                number = run[-size:]
                if number not in wanted or number.startswith("0"):
                    continue
                start = run_end - size
                cand = _score(masked, rstart, run, run_start, start, run_end, after)
                if cand is None:
                    continue
                if start <= heading_end <= _line_end(masked, run_end) and \
                        not masked[run_end:heading_end].strip("\0 0123456789"):
                    cand = Candidate(cand.start, cand.end, cand.score + HEADING_END_BONUS,
                                     cand.chained)
                found[number].append(cand)
    return found


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _score(masked: str, rstart: int, run: str, run_start: int, start: int, end: int,
           after: str) -> Candidate | None:
    before = masked[start - 1] if start > rstart else "\n"
    bonus = END_BONUS if after in "\n\0" or end == len(masked) else 0.0
    if start > run_start:
        # glued to other digits: "NSC 54052" is NSC 5405 + note 2
        prefix = run[: start - run_start]
        line_start = run_start == rstart or masked[run_start - 1] == "\n"
        after_month = MONTH_BEFORE.search(masked, max(rstart, run_start - 12), run_start)
        if after_month and len(run) >= 3 and len(prefix) <= 2 and 1 <= int(prefix) <= 31:
            score = AFTER_DAY
        elif _is_year(run) or line_start or after_month:
            score = YEAR_OR_LINE_START
        elif _is_year(prefix):
            score = AFTER_YEAR
        elif len(prefix) <= 2 and (run_start == rstart or masked[run_start - 1].isspace()):
            score = SHORT_PREFIX
        else:
            score = GLUED_DIGITS
        if after in CLOSING:
            score += BEFORE_CLOSING_BONUS
        return Candidate(start, end, score + bonus, False)
    if before.isspace():
        if before != " ":
            return None
        # "undated1 2": a second marker after a space, right after the first one
        if start - 2 >= rstart and masked[start - 2].isdigit():
            return Candidate(start, end, CHAINED + bonus, True)
        # "Pushkin 4 about": a marker set off by spaces (the note stood after a line
        # break in the source); weak, since most such numbers are text ("Box 12")
        previous_word = masked[max(rstart, start - 16):start - 1].rsplit(None, 1)[-1:] or [""]
        following = masked[end:end + 12]
        if start - 2 < rstart or not (masked[start - 2].isalpha() or masked[start - 2] in CLOSING) \
                or NUMBER_WORD.fullmatch(previous_word[0]) or UNIT_AFTER.match(following):
            return None
        return Candidate(start, end, SPACED + bonus, False)
    if before in NOT_BEFORE_MARKER or before == "\0":
        return None
    if before in CLOSING:
        return Candidate(start, end, AFTER_CLOSING + bonus, False)
    if before.isalpha():
        return Candidate(start, end, AFTER_LETTER + bonus, False)
    return Candidate(start, end, AFTER_OTHER + bonus, False)


def align(numbers: list[str], found: dict[str, list[Candidate]]) -> list[Candidate | None]:
    """Choose one position per note, in text order, maximising the total score.

    A note may be left without a position (a penalty), so one missing marker
    does not push every later note out of place.  Time is linear in the number
    of candidates (times ``MAX_SKIPPED_NOTES``): the best predecessor of each
    candidate comes from a running maximum over the earlier layer, walked once.
    """
    # layers[i]: (candidate, best total ending with it, back-pointer (layer, index))
    layers: list[list[tuple[Candidate, float, tuple[int, int] | None]]] = []
    for i, number in enumerate(numbers):
        layer_cands = sorted(found.get(number, []), key=lambda c: c.start)
        backs = range(max(0, i - 1 - MAX_SKIPPED_NOTES), i)
        walkers = {back_i: _PrefixBest(layers[back_i]) for back_i in backs}
        by_end = {prev.end: j for j, (prev, _, _) in enumerate(layers[i - 1])} if i else {}
        layer = []
        for cand in layer_cands:
            best_total, best_back = None, None
            if cand.chained:
                # "1 2": only right after the previous note's marker, nothing skipped
                j = by_end.get(cand.start - 1)
                if j is not None:
                    best_total = _extend(layers[i - 1][j], cand, 0)
                    best_back = (i - 1, j)
            else:
                best_total = SKIP_PENALTY * i + cand.score
                for back_i in backs:
                    j = walkers[back_i].best_before(cand.start)
                    if j is None:
                        continue
                    total = _extend(layers[back_i][j], cand, i - back_i - 1)
                    if total > best_total:
                        best_total, best_back = total, (back_i, j)
            if best_total is not None:
                layer.append((cand, best_total, best_back))
        layers.append(layer)

    best_total, best_state = SKIP_PENALTY * len(numbers), None
    for i, layer in enumerate(layers):
        tail = SKIP_PENALTY * (len(numbers) - 1 - i)
        for j, (_, total, _) in enumerate(layer):
            if total + tail > best_total:
                best_total, best_state = total + tail, (i, j)

    chosen: list[Candidate | None] = [None] * len(numbers)
    while best_state is not None:
        i, j = best_state
        cand, _, back = layers[i][j]
        chosen[i] = cand
        best_state = back
    return chosen


def _extend(state: tuple[Candidate, float, object], cand: Candidate, skipped: int) -> float:
    """Total of ``cand`` placed after ``state``'s candidate with ``skipped`` notes between;
    among equal totals the nearest predecessor wins (the tiny distance term)."""
    prev, prev_total, _ = state
    return prev_total + cand.score + SKIP_PENALTY * skipped - 1e-9 * (cand.start - prev.end)


class _PrefixBest:
    """The best state of a layer among those ending at or before a position, for positions
    asked in increasing order (the layer is sorted by start; all its candidates spell the
    same number, so by end too)."""

    def __init__(self, layer: Sequence[tuple[Candidate, float, object]]):
        self.layer = layer
        self.next = 0
        self.best: int | None = None
        self.best_key = 0.0

    def best_before(self, position: int) -> int | None:
        while self.next < len(self.layer) and self.layer[self.next][0].end <= position:
            prev, total, _ = self.layer[self.next]
            key = total + 1e-9 * prev.end          # _extend's ranking, without cand's terms
            if self.best is None or key > self.best_key:
                self.best, self.best_key = self.next, key
            self.next += 1
        return self.best
