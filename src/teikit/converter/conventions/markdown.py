"""Markdown-style footnotes, as in editions kept in Markdown (Pandoc, GitHub, MultiMarkdown).

    # The Voyage

    We sailed at dawn.[^1] The wind held.[^wind]

    [^1]: On 3 May.
    [^wind]: From the north-west.

        A second paragraph of the note, indented four spaces.

Notes are marked explicitly (``[^label]``), so no number is guessed; their
definitions stand together at the end.  A ``# `` line at the top is the
heading; ``[Page N]`` lines or inline markers are page breaks.
"""
from __future__ import annotations

import re

from .. import lexer
from ..convention import Convention, Heading, NoteBlock

MARKER = re.compile(r"\[\^(?P<n>[^\]\s]+)\](?!:)")
DEFINITION = re.compile(r"\[\^(?P<n>[^\]\s]+)\]:[ \t]+(?=\S)")
CONTINUATION = re.compile(r"(?: {4}|\t)[ \t]*(?=\S)")
HEADING = re.compile(r"# +(?=\S)")
PAGE_MARKER = re.compile(r"\[Page (?P<n>[^\]\s]+)\]")
CONTINUATION_INDENT = "    "


def detect(text: str) -> float:
    """Explicit ``[^n]`` markers are unambiguous; definitions make it certain."""
    if not MARKER.search(text):
        return 0.0
    return 1.0 if re.search(r"(?m)^\[\^[^\]\s]+\]:", text) else 0.5


def find_notes(text: str) -> NoteBlock | None:
    """The trailing run of ``[^label]: text`` definitions and their indented continuations."""
    lines = lexer.lines_of(text, 0, len(text))
    first = None
    for i in range(len(lines) - 1, -1, -1):
        s = text[lines[i].start:lines[i].end]
        if DEFINITION.match(s):
            first = i
        elif s.strip() and not CONTINUATION.match(s):
            break
    if first is None:
        return None
    notes: list[lexer.NoteBody] = []
    blank_before = False
    for line in lines[first:]:
        s = text[line.start:line.end]
        m = DEFINITION.match(s)
        if m:
            label = lexer.Span(line.start, line.start + m.end())
            notes.append(lexer.NoteBody(m.group("n"), label, [lexer.Span(label.end, line.end)]))
        elif (continued := CONTINUATION.match(s)) is not None:
            content = lexer.Span(line.start + continued.end(), line.end)
            paragraphs = notes[-1].paragraphs
            if blank_before:
                paragraphs.append(content)
            else:
                paragraphs[-1] = lexer.Span(paragraphs[-1].start, content.end)
        else:       # blank: from ``first`` on, the scan above left no other kind of line
            blank_before = True
            continue
        blank_before = False
    return NoteBlock(lines[first].start, notes)


def heading(text: str, blocks: list[lexer.Block]) -> Heading | None:
    line = blocks[0].lines[0]
    m = HEADING.match(text, line.start, line.end)
    if m is None:
        return None
    return Heading([lexer.Span(m.end(), line.end)], None, line.end)


def note_line(label: str, paragraphs: list[str]) -> str:
    first, *rest = paragraphs
    return "".join([f"[^{label}]: {first}",
                    *(f"\n\n{CONTINUATION_INDENT}{p}" for p in rest)])


CONVENTION = Convention(
    name="markdown",
    summary="Markdown footnotes: text[^1] ... [^1]: note; '# ' heading",
    detect=detect,
    page_marker=PAGE_MARKER,
    page_text=lambda n: f"[Page {n}]",
    find_notes=find_notes,
    note_line=note_line,
    heading=heading,
    heading_text=lambda number, head: f"# {head}",
    note_marker=MARKER,
    marker_text=lambda label: f"[^{label}]",
)
