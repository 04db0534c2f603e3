"""Third stage: read the body blocks as document structure.

The result is a small intermediate representation (paragraphs, page breaks,
lists with items, tables, the closing signature) whose leaves are spans of the
source text.  Inline content inside those spans (notes, page breaks,
references) is the tree builder's job.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .header import DATE
from .lexer import Block, Line, Span

if TYPE_CHECKING:
    from lxml import etree

    from .builder import BodyBuilder

BULLET = re.compile(r"([ \t]+)[•◦▪‣][ \t]+")     # list items are indented; "• x" alone is text
LABEL = re.compile(r"(?:\(?(?:\d{1,3}|[A-Za-z]|[ivxlIVXL]{2,5})[.)])(?=[ \t]+\S)")
PAGE_LINE = re.compile(r"[ \t]*\[Page [^\]\s]+\][ \t]*$")
VALEDICTION = re.compile(r"(?i)\b(regards|sincerely|yours|respectfully|cordially|best wishes)\b")
NAME_WORD = re.compile(r"[A-Z][A-Za-z.’'\-]*|[A-Z]\.|Jr\.?|Sr\.?|[a-z]{1,3}|[IVX]+")
LIST_HEAD_MAX = 40
#: lists nest a few levels in print (FRUS: three); an item indented deeper than this many levels
#: joins the deepest list (its text kept): each level is two elements (list, item) and a builder
#: frame or two, and libxml2 refuses a tree deeper than 2,048 elements
MAX_LIST_DEPTH = 50
#: a postscript set after the signature, marked in capitals ("PS—", "P.S."; a lower-case "p.s."
#: line is left a paragraph, as the Office of the Historian encodes it)
POSTSCRIPT = re.compile(r"(?:PS|P\.\s?S\.)(?=[\s—–:-])")
ADDRESSEE_MAX = 160     # "His Excellency Mr. Dayton, Envoy Extraordinary and Minister …" after a signature
MAX_AFTER_SIGNATURE = 2     # addressee and an editor's bracketed remark may follow a signature
SIGNATURE_MAX = 50      # a signature line ("Vernon A. Walters"); longer is a sentence
SIGNATURE_MAX_CAPITALS = 160    # a name in capitals with its title ("J. DE MARR, Captain his Netherland …")
#: the formula closing a letter, on a line of its own before the signature: "I am, etc.,",
#: "Accept, etc.,", "I am [etc.]", "Very sincerely,"
COMPLIMENTARY_CLOSE = re.compile(r"(?:,|\betc\.\]?,?|\[etc\.\])$")
COMPLIMENTARY_CLOSE_MAX = 80    # "I have the honor to be, sir, your obedient servant," fits
# "Washington, May 5, 1955.3": a place and date block carrying a footnote marker (the
# plain text shows a dateline only when it holds a note)
DATELINE = re.compile(r"[A-Z][\w.’' -]{1,40}, " + DATE.pattern + r"\.?\d{1,3}")
TRAILING_MARKER = re.compile(r"(?<=[A-Za-z.\]])\d{1,3}$")    # "John E. Peurifoy4"
#: the seal a signatory set beside the name on a treaty, deed or inquest: "JAMES E. WAINWRIGHT. [seal.]",
#: "[L. S.]" (locus sigilli)
SEAL_MARK = re.compile(r"\s*\[(?:seal|L\.\s?S)\.?\]$", re.IGNORECASE)


@dataclass
class Paragraph:
    lines: Sequence[Span]       # read only: may be a block's own list of lines, not a copy


@dataclass
class PageBreak:
    line: Span          # the whole "[Page N]" line


@dataclass
class Item:
    lines: list[Span]                                   # first paragraph
    label: Span | None = None                           # "1.", "(a)", "F." before the text
    paragraphs: list[list[Span]] = field(default_factory=list)
    lists: list["ListNode"] = field(default_factory=list)


@dataclass
class ListNode:
    head: Span | None = None
    entries: list[Item | PageBreak | "ListNode"] = field(default_factory=list)
    list_type: str | None = None


@dataclass
class MixedParagraph:
    """A paragraph whose text is followed by a list in the same block."""

    parts: list[list[Span] | ListNode]


@dataclass
class Table:
    rows: list[list[Span] | PageBreak]
    head: Span | None = None


@dataclass
class Dateline:
    line: Span


@dataclass
class SourceLine:
    """A line under the heading that describes the source ("No. 78.", a file number)."""

    line: Span


@dataclass
class Opener:
    """Lines that open the document, such as its classification ("secret", "priority")."""

    lines: Sequence[Span]


@dataclass
class Closer:
    signed: Sequence[Span]


@dataclass
class Postscript:
    """A short paragraph after the signature (the addressee: "Hon. William H. Seward")."""

    lines: Sequence[Span]


class ConventionNode(Protocol):
    """A node of a convention's own structure stage (a FRUS enclosure): it builds its TEI itself."""

    def build(self, builder: BodyBuilder, parent: etree._Element) -> None: ...


Node = (Paragraph | PageBreak | ListNode | MixedParagraph | Table | Closer | Dateline | SourceLine
        | Opener | Postscript | ConventionNode)


def read_structure(text: str, blocks: list[Block]) -> list[Node]:
    """Turn body blocks into structure nodes (see module docstring)."""
    nodes: list[Node] = []
    open_list: ListNode | None = None     # the list an indented block may continue
    item_paragraph_seen = False           # a list block after one continues the list
    for block in blocks:
        lines = block.lines
        if open_list is not None and nodes[-1] is not open_list:
            open_list = None
        if len(lines) == 1 and open_list is None and _plain_line(text[lines[0].start:lines[0].end]):
            nodes.append(Paragraph(lines))          # the common case, decided cheaply
            continue
        line_texts = [text[ln.start:ln.end] for ln in lines]
        if len(lines) == 1 and PAGE_LINE.match(line_texts[0]):
            nodes.append(PageBreak(_stripped(text, lines[0])))
        elif any(BULLET.match(s) for s in line_texts):
            parsed = _read_list_block(text, lines)
            if isinstance(parsed, ListNode) and open_list is not None and item_paragraph_seen:
                open_list.entries.extend(parsed.entries)
            else:
                nodes.append(parsed)
                open_list = parsed if isinstance(parsed, ListNode) else None
            item_paragraph_seen = False
        elif open_list is not None and all(s.startswith("    ") for s in line_texts) and \
                (item := _last_item(open_list, _indent(line_texts[0]) // 2 - 2)) is not None:
            item.paragraphs.append([_stripped(text, ln) for ln in lines])
            item_paragraph_seen = True
        elif all("\t" in s for s in line_texts):
            nodes.append(Table([_cells(text, ln) for ln in lines]))
        elif len(lines) > 1 and all("\t" in s for s in line_texts[1:]):
            nodes.append(Table([_cells(text, ln) for ln in lines[1:]],
                               head=_stripped(text, lines[0])))
        elif len(lines) == 1 and DATELINE.fullmatch(line_texts[0].strip()) and \
                all(isinstance(n, (PageBreak, Dateline)) for n in nodes):
            nodes.append(Dateline(_stripped(text, lines[0])))
        else:
            nodes.append(Paragraph([_stripped(text, ln) for ln in lines]))
    _mark_closer(text, nodes)
    return nodes


def _plain_line(s: str) -> bool:
    """A line that can only be a paragraph: not indented (list), no "[" (page marker),
    no TAB (table), no final digit (dateline with a note), no space to trim."""
    return not (s[0].isspace() or s[-1].isspace() or s[0] == "[" or s[-1].isdigit() or "\t" in s)


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip(" \t"))


def _stripped(text: str, span: Span) -> Span:
    s = text[span.start:span.end]
    lead = len(s) - len(s.lstrip())
    trail = len(s) - len(s.rstrip())
    return Span(span.start + lead, span.end - trail)


def _cells(text: str, line: Line) -> list[Span] | PageBreak:
    s = text[line.start:line.end]
    if PAGE_LINE.match(s):
        return PageBreak(_stripped(text, line))
    cells, pos = [], line.start
    for part in s.split("\t"):
        cells.append(_stripped(text, Span(pos, pos + len(part))))
        pos += len(part) + 1
    return cells


def _last_item(lst: ListNode, depth: int) -> Item | None:
    """The last item of ``lst`` at nesting ``depth`` (deepest available)."""
    items = [e for e in lst.entries if isinstance(e, Item)]
    if not items:
        return None
    item = items[-1]
    if depth > 0 and item.lists:
        deeper = _last_item(item.lists[-1], depth - 1)
        if deeper is not None:
            return deeper
    return item


def _read_list_block(text: str, lines: list[Line]) -> ListNode | MixedParagraph:
    """A block with bullet lines: an optional head or lead-in text, then the list."""
    lead: list[Span] = []
    i = 0
    while i < len(lines) and not BULLET.match(text[lines[i].start:lines[i].end]):
        lead.append(_stripped(text, lines[i]))
        i += 1
    root = ListNode()
    stack: list[tuple[int, ListNode]] = []      # (indent, the list open at that indent)
    trailing: list[Span] = []
    current: Item | None = None
    for line in lines[i:]:
        s = text[line.start:line.end]
        m = None if trailing else BULLET.match(s)
        if m:
            indent = len(m.group(1))
            if not stack:
                stack.append((indent, root))
            while len(stack) > 1 and indent < stack[-1][0]:
                stack.pop()
            if indent > stack[-1][0] and current is not None and len(stack) < MAX_LIST_DEPTH:
                sub = ListNode()
                current.lists.append(sub)
                stack.append((indent, sub))
            current = _item(text, line.start + m.end(), line.end)
            stack[-1][1].entries.append(current)
        elif PAGE_LINE.match(s) and not trailing:
            (stack[-1][1] if stack else root).entries.append(PageBreak(_stripped(text, line)))
        elif s[:1].isspace() and current is not None and not trailing:
            current.lines.append(_stripped(text, line))     # wrapped item text
        else:
            trailing.append(_stripped(text, line))
    if lead and len(lead) == 1 and not trailing and _looks_like_list_head(text, lead[0]):
        root.head = lead[0]
        word = text[lead[0].start:lead[0].end].strip().rstrip(":")
        if word.isalpha():
            root.list_type = word.lower()
        return root
    if not lead and not trailing:
        return root
    parts: list[list[Span] | ListNode] = []
    if lead:
        parts.append(lead)
    parts.append(root)
    if trailing:
        parts.append(trailing)
    return MixedParagraph(parts)


def _item(text: str, start: int, end: int) -> Item:
    label = LABEL.match(text, start, end)
    if label is None:
        return Item([Span(start, end)])
    rest = start + label.end() - label.start()
    rest += len(text[rest:end]) - len(text[rest:end].lstrip())
    return Item([Span(rest, end)], label=Span(start, label.end()))


def _looks_like_list_head(text: str, span: Span) -> bool:
    s = text[span.start:span.end].strip()
    return len(s) <= LIST_HEAD_MAX and not s.endswith((".", ",", ";")) and \
        (s.isupper() or len(s.split()) <= 4)


def _mark_closer(text: str, nodes: list[Node]) -> None:
    """Turn the final signature paragraph ("Dulles", "[Dulles]") into a closer; a short
    paragraph after it (the addressee) becomes a postscript, since nothing but closing
    matter may follow a closer.  Names in capitals just before it are signatures too."""
    blocks = [i for i, node in enumerate(nodes) if not isinstance(node, PageBreak)]
    found = _final_signature(text, nodes, blocks)
    if found is None:
        return
    signature, signed, addressees = found
    for i, addressee in zip(blocks[signature + 1:], addressees):
        nodes[i] = Postscript(addressee.lines)
    nodes[blocks[signature]] = Closer(signed.lines)
    for k in range(signature - 1, -1, -1):      # "ITAKURA SUWO-NO-KAMI." above "INOWUYE ..."
        node = nodes[blocks[k]]
        if not (isinstance(node, Paragraph) and _is_signature(text, node.lines)
                and (_in_capitals(text, node.lines) or _joint_signature(text, node.lines))):
            break
        nodes[blocks[k]] = Closer(node.lines)


def _joint_signature(text: str, lines: Sequence[Span]) -> bool:
    """Names one to a line above the signature's last line (a title: "Combined Secretariat")."""
    return len(lines) > 1 and all(_is_signature(text, [line]) for line in lines)


def _final_signature(text: str, nodes: list[Node], blocks: list[int]
                     ) -> tuple[int, Paragraph, list[Paragraph]] | None:
    """The signature paragraph among the last blocks (its index in ``blocks``, itself, and
    the addressee paragraphs after it), or None."""
    for trailing in range(min(len(blocks), MAX_AFTER_SIGNATURE + 1)):
        signature = len(blocks) - 1 - trailing
        after = [nodes[i] for i in blocks[signature + 1:]]
        addressees = [a for a in after if isinstance(a, Paragraph) and _is_addressee(text, a)]
        node = nodes[blocks[signature]]
        before = nodes[blocks[signature - 1]] if signature > 0 else None
        closed = isinstance(before, Paragraph) and _is_complimentary_close(text, before)
        if isinstance(node, Paragraph) and len(addressees) == len(after) \
                and _is_signature(text, node.lines, closed):
            return signature, node, addressees
    return None


def _is_complimentary_close(text: str, paragraph: Paragraph) -> bool:
    """A letter's closing formula: "I am, etc.,", "Accept, etc.,", "I am [etc.]", "Very sincerely,"."""
    if len(paragraph.lines) != 1:
        return False
    s = text[paragraph.lines[0].start:paragraph.lines[0].end].strip()
    return len(s) <= COMPLIMENTARY_CLOSE_MAX and COMPLIMENTARY_CLOSE.search(s) is not None


def _is_addressee(text: str, paragraph: Paragraph) -> bool:
    """A line after the signature: "Hon. William H. Seward, &c.", "[For enclosures see …]",
    "(Inserted in the official bulletin, 1864.)", or a postscript of any length ("PS—Some …")."""
    if len(paragraph.lines) != 1:
        return False
    s = text[paragraph.lines[0].start:paragraph.lines[0].end]
    bracketed = (s.startswith("[") and s.endswith("]")) or (s.startswith("(") and s.endswith(")"))
    return bracketed or (s[:1].isupper() and len(s) <= ADDRESSEE_MAX) or POSTSCRIPT.match(s) is not None


def _in_capitals(text: str, lines: Sequence[Span]) -> bool:
    return _capitals(SEAL_MARK.sub("", text[lines[0].start:lines[0].end].strip()).split(",")[0])


#: the small letters of a name set in capitals: "McKAY", "MacDONALD"
_NAME_PREFIX = re.compile(r"\bMa?c(?=[A-Z])")
#: a rank or title set before a name in capitals: "Colonel JESUS GOMES", "Lieutenant Colonel V. H. RUNERAS"
_TITLE_WORDS = re.compile(r"^(?:[A-Z][a-z]+\.? )+(?=[A-Z][A-Z.\-]*\b)")


def _capitals(name: str) -> bool:
    """Whether a name is set in capitals ("J. McKAY." and "Colonel JESUS GOMES" are)."""
    return _NAME_PREFIX.sub("MC", _TITLE_WORDS.sub("", name)).isupper()


# a marker TRAILING_MARKER removes has at most this many digits: a longer line is no signature
_LONGEST_MARKER = 3


def _is_signature(text: str, lines: Sequence[Span], after_close: bool = False) -> bool:
    """Whether ``lines`` read as a signature; ``after_close``: they follow a complimentary
    close, where a name may end in a period as it was printed ("John Hay.", "Holleben.")."""
    if len(lines) > 4:
        return False
    first = text[lines[0].start:lines[0].end].strip()
    if len(first) > max(SIGNATURE_MAX, SIGNATURE_MAX_CAPITALS) + _LONGEST_MARKER:
        return False        # too long whatever the marker (the common case: a paragraph)
    first = SEAL_MARK.sub("", TRAILING_MARKER.sub("", first))
    name = first.strip("[]")
    # a name in capitals may carry a title and end in a period: "GUSTAVUS KOERNER.",
    # "ROBERT H. PRUYN, Minister Resident of the United States in Japan."
    capitals = _capitals(name.split(",")[0])
    if len(first) > (SIGNATURE_MAX_CAPITALS if capitals else SIGNATURE_MAX):
        return False
    words = (name.split(",")[0] if capitals else name.replace(",", " ")).split()
    if not 1 <= len(words) <= 6 or not all(NAME_WORD.fullmatch(w) for w in words):
        return False
    if VALEDICTION.search(first):       # after the cheaper tests: most lines fail those
        return False
    if not words[0][0].isupper():
        return False
    last = name.rstrip()
    if last.endswith((":", ";", "?", "!")) or (last.endswith(",") and not capitals):
        return False  # (names in capitals listed one to a line end in a comma: "PAN-YUN,")
    if last.endswith(".") and not capitals and not after_close \
            and not re.search(r"(\b[A-Z]|Jr|Sr)\.$", last):
        return False
    return all(len(text[ln.start:ln.end].strip()) <= 60 for ln in lines[1:])
