"""The Gutenberg transcribers' bracket syntax, and the layout habits of the e-books."""
from __future__ import annotations

import re

NAME = "gutenberg"

# page markers inserted from the printed edition: [Pg 12], {12}, [p. 12]
PAGE = (r"(?:(?P<brace>\{)|\[Pg\.? ?|\[(?P<p>p)\. ?)"
        r"(?P<n>[0-9]+|[ivxlcdmIVXLCDM]+)(?(brace)\}|\])")
PAGE_MARKER = re.compile(PAGE)
# page markers inserted from the HTML edition may stand before a note block on its line
LEADING_PAGES = re.compile(rf"(?:{PAGE}[ \t]*)+")
PAGE_RENDER = {"pg": "[Pg {}]", "brace": "{{{}}}", "p": "[p. {}]"}
DEFAULT_PAGE_SYNTAX = "pg"

NOTE_LABEL = r"\d{1,4}[a-z]?|[A-Za-z]|\*{1,4}|[†‡§‖¶]{1,2}"
NOTE_MARKER = re.compile(rf"\[(?P<n>{NOTE_LABEL})\]")
# "[1]  note text" opening a paragraph of the notes gathered at a chapter's end (the text
# may start on the next line; a label alone on its block has the blocks after it)
NUMBERED_NOTE = re.compile(rf"\[(?P<n>{NOTE_LABEL})\](?:[ \t]+|[ \t]*\n[ \t]*)(?=\S)")
# bracketed blocks that open a line: their extent is found by bracket matching
BRACKET_BLOCK = re.compile(
    rf"^[ \t]*(?:{PAGE}[ \t]*)*\[(?P<kind>Footnote|FOOTNOTE|Illustration|ILLUSTRATION|Sidenote|SIDENOTE)\b"
    rf"(?:[ \t]+(?P<label>{NOTE_LABEL}))?[ \t]*(?P<colon>:?)[ \t]*", re.M)
RUN_IN = "run-in"        # @rend of a speaker's name that opens the speech's first line
UNCLOSED = "unclosed"       # @rend of a note whose closing "]" is missing, so none is written back
CONTINUED = "continued"     # @rend of a "[1] text" note whose later paragraphs follow it unlabelled
BRACKET = re.compile(r"[\[\]]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
LINE_INDENT = re.compile(r"\n[ \t]*")        # a line break and the next line's indentation
SPACE = " \t\n\r\f\v"     # layout white space; a no-break space is text and is kept
# runs to collapse: anything but a lone space (matching lone spaces too is slow)
WS = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")

# "CHAPTER IV", "Chapter 4.", "BOOK THE FIRST", "LETTER XII.--FROM PARIS": the division word
# and a number; group "word" names the division
CHAPTER_HEADING = re.compile(
    r"(?P<word>CHAPTER|BOOK|PART|LETTER|SECTION|VOLUME|CANTO|STAVE|ACT|SCENE|APPENDIX|EPISTLE)\.?"
    r"\s+(?:THE\s+)?(?:[IVXLCDM]+|\d+|FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|"
    r"TENTH|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|LAST)\b(?![\w'])",
    re.I)
NUMBER_HEADING = re.compile(r"(?:No\. ?)?\d{1,4}\.?$")     # "216." over a letter, set off by blank lines
ROMAN_HEADING = re.compile(r"[IVXLC]+\.?$")
# a division listing the book's parts: its entries are a list, not headings, verse or quotes
# (a book with few plates lists them with its chapters: "CONTENTS AND ILLUSTRATIONS")
CONTENTS_HEADING = re.compile(r"(?:TABLE\s+OF\s+)?CONTENTS(?:\s+AND\s+(?:LIST\s+OF\s+)?(?:ILLUSTRATIONS|PLATES))?\.?$|"
                              r"LIST\s+OF\s+(?:ILLUSTRATIONS|PLATES)\.?$", re.IGNORECASE)
# an entry of a list of contents ends with its page number ("II. THE MIDDLE    15", "PREFACE  vii")
PAGE_NUMBER_AT_END = re.compile(r"\s(?:\d{1,4}|[ivxlc]{1,7})$")

# a note ending so introduces the quotation or verse set after it ("He says:", "saying:--")
INTRODUCES_QUOTATION = re.compile(r":(?:--|\u2014)?[ \t]*$")
# a note standing this many blocks of text after its marker's block, as a rule, was gathered at its
# section's end (after the paragraph there are none, or one when several notes follow it)
GATHERED_DISTANCE = 2

HEADING_MAX_CHARS = 80          # a heading is set on one short line; longer blocks are prose
HEADING_MAX_LINES = 2           # ... occasionally broken in two
HEADING_BLANK_LINES = 2         # Gutenberg sets headings off by two or more blank lines
QUOTE_INDENT = 2                # block quotes and verse are indented by at least this much
CENTRED_INDENT = 8              # ... and less than this: a line indented further is centred, a title
VERSE_CAPITAL_SHARE = 0.75      # verse lines start with capitals; re-wrapped prose lines rarely do
CANONICAL_INDENT = "    "       # how quotes and verse are written back

# the e-book's frame: preamble (with its Title:/Author: fields), the book, the licence
# (written "***" first, then "at a line start", so that re scans for the literal: 10x faster)
START_LINE = re.compile(r"\*\*\*(?<![^\n]\*\*\*) ?START OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*")
END_LINE = re.compile(r"\*\*\*(?<![^\n]\*\*\*) ?END OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*")
PREAMBLE_FIELD = re.compile(r"^(Title|Author|Editor|Translator|Release Date|Language):[ \t]*"
                            r"(.+(?:\n[ \t]+\S.*)*)$", re.M)    # indented lines continue a field


def page_syntax(m: re.Match[str]) -> str:
    return "brace" if m.group("brace") else "p" if m.group("p") else "pg"
