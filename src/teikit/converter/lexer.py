"""First stage: cut the text into its heading, body blocks and footnote block.

Everything here works with character offsets into the source text, so later
stages can report lines and keep every character accounted for.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# "  1. Source: ..." -- a footnote line of the note block at the end of a document;
# older volumes also mark notes with symbols ("  *. ", "  †. ") or, around 1900, letters ("  a. ")
NOTE_SYMBOLS = "*†‡§¶"
NOTE_LINE = re.compile(rf"[ \t]+(\d{{1,4}}|[{NOTE_SYMBOLS}]{{1,3}}|[a-z])\.[ \t]+(?=\S)")
# an unindented first note line is accepted when it is the source note
SOURCE_NOTE_LINE = re.compile(r"(1)\.[ \t]+(?=Source:)")
HEADING = re.compile(r"(\d+[A-Za-z]?)\.\s+(?=\S)")


# values, never changed after they are made; not frozen=True, which makes creating one
# (one per line, per candidate marker) three times slower
@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A half-open range ``[start, end)`` of the source text."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start:self.end]


@dataclass(slots=True, unsafe_hash=True)
class Line(Span):
    """One line of a block (without its newline)."""


@dataclass
class Block:
    """Lines separated from their neighbours by blank lines."""

    lines: list[Line]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


@dataclass
class NoteBody:
    """One footnote of the note block: its number and its paragraphs (line spans)."""

    number: str
    label: Span            # the "N. " label, removed from the text
    paragraphs: list[Span]


def lines_of(text: str, start: int, end: int) -> list[Line]:
    """The lines of ``text[start:end]`` as spans, newline excluded."""
    out = []
    pos = start
    for piece in text[start:end].split("\n"):
        out.append(Line(pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


# a run of non-blank lines (a block): lines holding something other than spaces
BLOCK = re.compile(r"[^\n]*[^\s][^\n]*(?:\n[^\n]*[^\s][^\n]*)*")


def split_blocks(text: str, start: int, end: int) -> list[Block]:
    """Group the non-blank lines of a region into blank-line separated blocks."""
    blocks = []
    for m in BLOCK.finditer(text, start, end):
        first, last = m.span()
        one_line = text.find("\n", first, last) < 0
        blocks.append(Block([Line(first, last)] if one_line else lines_of(text, first, last)))
    return blocks


def find_note_block(text: str) -> int | None:
    """Offset where the trailing footnote block starts, or None.

    The note block is the last run of lines, after a blank line, that starts with
    an indented ``1. `` (or ``1. Source:``) and continues with indented
    ``N. `` lines or indented continuation paragraphs up to the end of the text.
    Volumes that number their notes through a chapter (FRUS before the 1950s) start
    a document's block at any number: such a block is taken when its numbers run on
    without a gap (``44.``, ``45.``; a number may repeat), and no block opens with ``1.``.
    """
    for match in _note_one_candidates(text):
        start = match
        if _rest_is_note_block(text, start):
            return start
    return _chapter_numbered_block(text)


# an indented "N. text" line after a blank line: where a chapter-numbered note block may start
LINE_THEN_NOTE_N = re.compile(r"\n[ \t]*\n([ \t]+(\d{1,4})\.[ \t]+\S)")


def _chapter_numbered_block(text: str) -> int | None:
    """The longest trailing block of indented ``N.`` notes numbered on without a gap."""
    for m in LINE_THEN_NOTE_N.finditer(text):
        if _rest_is_note_block(text, m.start(1), consecutive_from=int(m.group(2))):
            return m.start(1)
    return None


# a line opening the note block: "  1. text" (or a note symbol), "1. Source:"; searched from
# the line break before it (a literal first is 20x faster than a multi-line "^")
NOTE_ONE = re.compile(rf"(?:[ \t]+(?:1|a|[{NOTE_SYMBOLS}]{{1,3}})\.[ \t]+\S|1\.[ \t]+Source:)")
LINE_THEN_NOTE_ONE = re.compile(rf"\n{NOTE_ONE.pattern}")


def _note_one_candidates(text: str) -> Iterator[int]:
    """Start offsets of lines that could open the note block, last first."""
    found = []
    starts = [0] if NOTE_ONE.match(text) else []
    starts += [m.start() + 1 for m in LINE_THEN_NOTE_ONE.finditer(text)]
    for line_start in starts:
        previous_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        if line_start == 0 or not text[previous_start:line_start].strip():
            found.append(line_start)
    return reversed(found)


def _rest_is_note_block(text: str, start: int, consecutive_from: int | None = None) -> bool:
    """Whether every line from ``start`` on is a note line or an indented continuation; with
    ``consecutive_from``, also whether the notes are numbered from it without a gap (a number
    may come again: a repeated note)."""
    expected = 1
    last = 0 if consecutive_from is None else consecutive_from - 1     # highest number so far
    for line in lines_of(text, start, len(text)):
        s = text[line.start:line.end]
        if not s.strip():
            continue
        m = NOTE_LINE.match(s) or (SOURCE_NOTE_LINE.match(s) if expected == 1 else None)
        if m:
            expected = int(m.group(1)) + 1 if m.group(1).isdigit() else expected
            if consecutive_from is not None:
                if not m.group(1).isdigit() or not consecutive_from <= int(m.group(1)) <= last + 1:
                    return False
                last = max(last, int(m.group(1)))
        elif not s[:1].isspace():
            return False  # an unindented line: body text after the "notes"
    return True


def parse_note_block(text: str, start: int) -> list[NoteBody]:
    """Split the note block into notes; indented lines without a number continue a note."""
    notes: list[NoteBody] = []
    for line in lines_of(text, start, len(text)):
        s = text[line.start:line.end]
        if not s.strip():
            continue
        m = NOTE_LINE.match(s) or SOURCE_NOTE_LINE.match(s)
        if m and (not notes or m.re is NOTE_LINE):
            label = Span(line.start, line.start + m.end())
            notes.append(NoteBody(m.group(1), label, [Span(label.end, line.end)]))
        else:
            lead = len(s) - len(s.lstrip())
            notes[-1].paragraphs.append(Span(line.start + lead, line.end))
    return notes
