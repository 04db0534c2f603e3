"""The Project Gutenberg convention: e-book plain text -> TEI, and back.

Gutenberg transcribers mark an edition's apparatus with bracketed conventions:

* note markers ``[1]``, ``[A]``, ``[*]``, ``[05]`` in the text;
* notes as ``[Footnote 1: ...]`` blocks (after the paragraph or gathered at the
  end of a section; several paragraphs; brackets nested inside) or as
  ``[1] text`` paragraphs gathered at the end of a chapter;
* page markers ``[Pg 12]``, ``{12}`` or ``[p. 12]`` (inside a word too);
* ``[Illustration: caption]`` and ``[Sidenote: text]`` blocks;
* chapter headings set off by blank lines, indented block quotes and verse.

A book does not fit the one-document pipeline (one heading, notes at the end),
so the convention reads and writes the whole tree itself
(:attr:`Convention.read_document` / :attr:`Convention.write_document`), in
stages: :mod:`.blocks` (cut and classify), :mod:`.notes` (pair notes with
markers), :mod:`.tree` (build the TEI), :mod:`.text` (back to text).

A note's text is written back where an ``<anchor corresp="#fnN">`` marks it
stood.  The *canonical* layout (one line per paragraph, one blank line between
blocks, three before a heading that opens a division) comes back byte for
byte; any other layout comes back with every non-space character.
"""
from __future__ import annotations

import re

from ...convention import Convention
from .syntax import (DEFAULT_PAGE_SYNTAX, NAME, NOTE_LABEL, NOTE_MARKER, PAGE_MARKER, PAGE_RENDER,
                     START_LINE)
from .text import book_text
from .tree import read_book

__all__ = ["CONVENTION", "book_text", "read_book", "detect"]

# (cues, pattern, weight): the pattern is searched only when one of its literal cues is in
# the text (a substring test is many times faster than a regular expression that cannot start
# from a literal, and most texts, FRUS documents among them, have none of the cues)
DETECT_WEIGHTS = (
    # the e-book's own frame: certain
    (("***",), START_LINE, 1.0),
    # the transcribers' footnote syntax, found in no other layout
    (("[Footnote",), re.compile(r"^[ \t]*\[Footnote [^\s:\]]{1,5}:", re.M), 0.6),
    # page numbers inserted from the HTML edition
    (("[Pg", "[p.", "{"), PAGE_MARKER, 0.5),
    # transcribers' figure and margin-note blocks
    (("[Illustration", "[Sidenote"), re.compile(r"^[ \t]*\[(?:Illustration|Sidenote)\b", re.M), 0.4),
    # "[1]  note" paragraphs gathered at a chapter's end ("[" first, then "at a line start")
    (("[",), re.compile(rf"\[(?<![^\n]\[)(?:{NOTE_LABEL})\][ \t]+\S"), 0.3),
    # book divisions; FRUS documents have numbered headings instead.  Searched from the line
    # break before them (detect() reads "\n" + text): 4x faster than five cues, 10x than "^"
    (("",), re.compile(r"\n(?:CHAPTER|Chapter|LETTER|BOOK|PART) [IVXLC\d]+\b"), 0.3),
)


# the cues that open with "[", all found in one scan of the text's brackets
_BRACKET_CUES = sorted({cue[1:] for cues, _, _ in DETECT_WEIGHTS for cue in cues
                        if cue.startswith("[") and cue != "["}, key=len, reverse=True)
BRACKET_CUE = re.compile(rf"\[(?:{'|'.join(map(re.escape, _BRACKET_CUES))})?")


def detect(text: str) -> float:
    """Each Gutenberg habit found adds confidence."""
    text = "\n" + text         # every line, the first too, follows a line break
    brackets = {m.group() for m in BRACKET_CUE.finditer(text)}
    if brackets:
        brackets.add("[")

    def present(cue: str) -> bool:
        return cue in brackets if cue.startswith("[") else cue in text

    return min(1.0, sum(weight for cues, pattern, weight in DETECT_WEIGHTS
                        if any(map(present, cues)) and pattern.search(text)))


def _note_line(label: str, paragraphs: list[str]) -> str:
    return f"[Footnote {label}: " + "\n\n".join(paragraphs) + "]"


CONVENTION = Convention(
    name=NAME,
    summary="Project Gutenberg: [1] markers, [Footnote 1: ...] blocks, [Pg 12] pages, chapters",
    detect=detect,
    page_marker=PAGE_MARKER,
    page_text=PAGE_RENDER[DEFAULT_PAGE_SYNTAX].format,
    find_notes=lambda text: None,           # notes stand beside the text: read_document finds them
    note_line=_note_line,
    heading=lambda text, blocks: None,      # a book has many headings: read_document finds them
    note_marker=NOTE_MARKER,
    marker_text=lambda label: f"[{label}]",
    read_document=read_book,
    write_document=book_text,
)
