"""First stage: cut a Gutenberg text into blocks and give each its role.

Bracketed blocks (``[Footnote 1: ...]``, ``[Illustration: ...]``, ``[Sidenote: ...]``)
are found first, by bracket matching, since they may span blank lines and hold
brackets; the text between them is cut at blank lines.  Each text block is then
read as a heading, a sub-heading, a paragraph, a block quote, verse, a line of
page markers, or a ``[1] note`` paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from .syntax import (BLANK_LINE, BRACKET, BRACKET_BLOCK, CENTRED_INDENT, CHAPTER_HEADING, CONTENTS_HEADING,
                     END_LINE, HEADING_BLANK_LINES, HEADING_MAX_CHARS, HEADING_MAX_LINES, LEADING_PAGES,
                     LINE_INDENT, NOTE_MARKER, NUMBER_HEADING, NUMBERED_NOTE, PAGE_MARKER, PAGE_NUMBER_AT_END,
                     QUOTE_INDENT, ROMAN_HEADING, SPACE, START_LINE, VERSE_CAPITAL_SHARE, WS)

Warn = Callable[[str, int], None]       # (message, offset in the text)
SET_OFF_AT_START = 99                   # the start of the text sets a block off like blank lines


@dataclass
class Block:
    """A run of text between blank lines, or a bracketed block (which may span several)."""

    start: int
    end: int
    kind: str                   # text | footnote | illustration | sidenote
    blank_before: int = 0
    region: str = "body"        # preamble | body | license
    label: str | None = None         # footnote label
    content: list[tuple[int, int]] = field(default_factory=list)   # paragraphs inside brackets
    role: str = ""              # set by classification
    closed: bool = True         # False: a bracketed block whose "]" is missing


def lex_blocks(text: str, warn: Warn) -> list[Block]:
    """Cut the text into blocks: bracketed blocks first, blank-line blocks between them."""
    regions = _regions(text)
    blocks: list[Block] = []
    for region, r_start, r_end in regions:
        pos = r_start
        for m in BRACKET_BLOCK.finditer(text, r_start, r_end):
            if m.start() < pos:
                continue            # inside a bracketed block already taken
            open_at = m.start("kind") - 1
            next_open = BRACKET_BLOCK.search(text, m.end(), r_end)
            limit = next_open.start() if next_open else r_end
            close = _matching_bracket(text, open_at, limit)
            if close < 0:
                para_end = BLANK_LINE.search(text, m.end(), r_end)
                close = para_end.start() if para_end else _trim(text, m.end(), r_end)[1]
                warn(f"'[{m.group('kind')}' is not closed by ']'; it is taken to end with "
                     "its paragraph", open_at)
                content_end = close
            else:
                content_end = close - 1
            blocks.extend(_text_blocks(text, pos, open_at, region))
            kind = m.group("kind").lower()
            block = Block(open_at, close, kind, _blank_lines_before(text, open_at), region,
                          m.group("label") if kind == "footnote" else None,
                          _paragraphs(text, m.end(), content_end))
            block.closed = content_end < close
            if kind != "illustration" and not m.group("colon"):
                block.kind = "text"     # "[Footnote" or "[Sidenote" without a colon is prose
            blocks.append(block)
            pos = close
        blocks.extend(_text_blocks(text, pos, r_end, region))
    return blocks


def _regions(text: str) -> list[tuple[str, int, int]]:
    """The Gutenberg preamble (to the START line), the book, and the licence (from the END line)."""
    start = START_LINE.search(text)
    end = END_LINE.search(text, start.end() if start else 0)
    body_start = start.end() if start else 0
    body_end = end.start() if end else len(text)
    regions = []
    if start:
        regions.append(("preamble", 0, body_start))
    regions.append(("body", body_start, body_end))
    if end:
        regions.append(("license", body_end, len(text)))
    return regions


def _text_blocks(text: str, start: int, end: int, region: str) -> Iterator[Block]:
    for a, b in _paragraphs(text, start, end):
        yield Block(a, b, "text", _blank_lines_before(text, a), region)


def _matching_bracket(text: str, open_at: int, limit: int) -> int:
    """Offset just after the ``]`` closing the ``[`` at ``open_at``; -1 if none before ``limit``."""
    depth = 0
    for m in BRACKET.finditer(text, open_at, limit):
        depth += 1 if m.group() == "[" else -1
        if depth == 0:
            return m.end()
    return -1


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs in ``text[start:end]``, trimmed."""
    spans = []
    pos = start
    for m in [*BLANK_LINE.finditer(text, start, end), None]:
        stop = m.start() if m else end
        a, b = _trim(text, pos, stop)
        if a < b:
            spans.append((a, b))
        if m:
            pos = m.end()
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in SPACE:
        start += 1
    while end > start and text[end - 1] in SPACE:
        end -= 1
    return start, end


def _blank_lines_before(text: str, pos: int) -> int:
    """Blank lines between ``pos``'s line and the text before it (a large number at the start)."""
    line_start = text.rfind("\n", 0, pos) + 1
    count = 0
    i = line_start - 1
    while i >= 0:
        prev = text.rfind("\n", 0, i)
        if text[prev + 1:i].strip():
            return count
        count += 1
        i = prev
    return SET_OFF_AT_START


def classify(text: str, blocks: list[Block]) -> None:
    """Give every text block its role: head, subhead, p, quote, verse, contents, pages, numbered.

    Under a heading such as CONTENTS, a block indented, of several lines or ending with a
    page number is a list of entries ("contents"), however much its lines look like headings,
    up to the first block set off as a heading is (by :data:`HEADING_BLANK_LINES` blank lines;
    entries indented right under the heading may be set off so).
    """
    previous = ""
    in_contents = False     # under a CONTENTS heading
    for block in blocks:
        if block.kind != "text":
            block.role = block.kind
            previous = block.role if block.kind != "footnote" else previous
            continue
        raw = text[block.start:block.end]
        line_count = raw.count("\n") + 1         # blocks hold no blank lines
        # long prose needs no plain form unless it might be page markers only (a hot path)
        plain = plain_form(raw) if line_count <= HEADING_MAX_LINES or raw[0] in "[{" else raw
        short = line_count <= HEADING_MAX_LINES and len(plain) <= HEADING_MAX_CHARS
        indent = _block_indent(text, block, raw)
        lines = line_spans(text, block.start, block.end) if short or indent >= QUOTE_INDENT else []
        # set off as a heading is: a new part, unless indented as entries are, right under the heading
        in_contents = in_contents and (block.blank_before < HEADING_BLANK_LINES or (
            previous in ("head", "subhead") and QUOTE_INDENT <= indent < CENTRED_INDENT))
        entries = in_contents and block.region == "body" and bool(plain) and (
            indent >= QUOTE_INDENT or line_count > 1 or PAGE_NUMBER_AT_END.search(plain) is not None)
        heading = _heading_kind(block, plain, lines, previous,
                                quoted=QUOTE_INDENT <= indent < CENTRED_INDENT) \
            if block.region == "body" and short and plain and not entries else ""
        if not plain and not PAGE_MARKER.sub("", raw).strip(XML_SPACE):
            block.role = "pages"  # markers and XML white space only: they stand between blocks
        elif numbered_label(text, block):
            block.role = "numbered"     # a note paragraph if a marker claims it (see pair_notes)
        elif heading:
            block.role = "subhead" if heading == "subhead" else "head"
            if heading != "subhead":
                in_contents = CONTENTS_HEADING.match(plain) is not None
            previous = heading
            continue
        elif entries:
            block.role = "contents"
        elif indent >= QUOTE_INDENT:
            capitals = sum(_starts_capital(text[a:b]) for a, b in lines)
            block.role = "verse" if len(lines) > 1 and \
                capitals >= VERSE_CAPITAL_SHARE * len(lines) else "quote"
        else:
            block.role = "p"
        if block.role != "numbered":
            previous = block.role


def _heading_kind(block: Block, plain: str, lines: list[tuple[int, int]], previous: str, quoted: bool) -> str:
    """"numbered head" or "head" (each opens a division), "subhead", or "" (no heading).

    After a numbered heading ("CHAPTER IV", "XII.", "216.") capitals are its title
    however far apart; after a heading in capitals ("CONTENTS") capitals set off
    by blank lines start a new division.  A block indented like a quote is no
    heading in capitals (an address, a printer's imprint), unless it is numbered.
    """
    set_off = block.blank_before >= HEADING_BLANK_LINES
    if _is_chapter_heading(plain) or ROMAN_HEADING.match(plain) or \
            (set_off and NUMBER_HEADING.match(plain)):
        return "numbered head"
    if quoted:
        return ""
    caps = _is_caps_line(plain)
    salutation = plain.endswith((",", "--", "\u2014"))     # "MY DEAR SIR,--" opens a letter
    if previous in ("numbered head", "head", "subhead") and not salutation and \
            (previous == "numbered head" or not set_off) and \
            (caps or (len(lines) == 1 and not ends_sentence(plain))):
        return "subhead"
    return "head" if caps and set_off else ""


#: what may follow a sentence's last punctuation: note markers ("moor.[B]", "moor.*"), closing quotes
_SENTENCE_TAIL = re.compile(rf"(?:{NOTE_MARKER.pattern}|[\s\"'\u201d\u2019)\]_*\u2020\u2021])*$")


def ends_sentence(plain: str) -> bool:
    """Whether the line ends as a sentence or clause does (``moor.[B]``, ``"Yes!"``): prose, not a title."""
    end = _SENTENCE_TAIL.search(plain)
    body = plain[:end.start()] if end else plain
    return bool(body) and body[-1] in ".!?;,:"


def _is_chapter_heading(plain: str) -> bool:
    """"CHAPTER IV", "Chapter 4. The Start", not "Part one of the plan was simple"."""
    m = CHAPTER_HEADING.match(plain)
    if m is None:
        return False
    rest = plain[m.end():].lstrip()
    return not rest or rest[0] in ".:,;\u2014\u2013-" or _is_caps_line(rest)


def is_caps_heading(text: str, block: Block) -> bool:
    """A short line in capitals ("EDITOR'S NOTES."): a heading's form, even where it is not set
    off as one."""
    raw = text[block.start:block.end]
    if "\n" in raw or len(raw) > HEADING_MAX_CHARS:
        return False
    return _is_caps_line(plain_form(raw))


def _is_caps_line(plain: str) -> bool:
    """Letters, and no lower-case ones ("CHAPTER THE FIRST", "THE END")."""
    letters = [c for c in plain if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _block_indent(text: str, block: Block, raw: str) -> int:
    """The smallest indentation of the block's lines."""
    first = _indent(text, block.start)
    if first < QUOTE_INDENT:
        return first        # no quote whatever the other lines do
    return min([first, *(len(m.group()) - 1 for m in LINE_INDENT.finditer(raw))])


def _indent(text: str, pos: int) -> int:
    """Width of the indentation before ``pos`` (the first non-space character of its line)."""
    line_start = text.rfind("\n", 0, pos) + 1
    i = line_start
    while i < len(text) and text[i] in " \t":
        i += 1
    return i - line_start


def _starts_capital(line: str) -> bool:
    """The line's first letter (after a page marker, quotes, "_") is a capital."""
    s = line.lstrip(SPACE)
    page = PAGE_MARKER.match(s)
    s = s[page.end():].lstrip(SPACE) if page else s
    s = s.lstrip("'\"‘“(_")
    return bool(s) and s[0].isupper()


def numbered_label(text: str, block: Block) -> re.Match[str] | None:
    """The ``[1]`` opening a ``[1] text`` note paragraph (after page markers), or None.

    Group "n" is the label; the match ends where the note's text starts (at the
    block's end when the label stands alone).
    """
    lead = LEADING_PAGES.match(text, block.start, block.end)
    start = lead.end() if lead else block.start
    return NUMBERED_NOTE.match(text, start, block.end) or NOTE_MARKER.fullmatch(text, start, block.end)


def note_label(text: str, block: Block) -> re.Match[str]:
    """The label of a block of role "numbered" (:func:`classify` gives that role only to a
    block that has one)."""
    label = numbered_label(text, block)
    if label is None:
        raise ValueError(f"the numbered block at offset {block.start} has no note label")
    return label


def line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-blank lines in ``text[start:end]``."""
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip(SPACE):
            spans.append((pos, stop))
        pos = stop + 1
    return spans


XML_SPACE = " \t\r\n"  # the only white space XML lets stand between elements (not U+00A0 and its kin)


def plain_form(s: str) -> str:
    """``s`` without page markers, white space collapsed: what a heading test looks at."""
    return WS.sub(" ", PAGE_MARKER.sub(" ", s)).strip()
