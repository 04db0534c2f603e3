"""TEI -> plain text in the format the converter reads (the inverse of :func:`convert`).

The text is written in an input convention (page markers, note markers, the
note block and the heading as that convention writes them): the one named, or
the one recorded in the document's teiHeader, or FRUS.  For teikit's own output
the result equals the converter's input whenever that input was laid out the
canonical way (one block per paragraph, blank lines between blocks, the notes
at the end); otherwise it differs only in layout whitespace.  Other TEI (such
as the Office of the Historian's files) is rendered in the same format.
"""
from __future__ import annotations

from typing import Any

import re

from lxml import etree

from ..ns import DIVISIONS
from ..xmlio import TEI_NS
from .convention import Convention, get as get_convention, known

WS = re.compile(r"\s+")
SPACE_MARK = "\x01"     # a space that survives trimming (around page breaks)
BULLET = "•"
SKIPPED = {"teiHeader", "fw", "facsimile", "standOff", "graphic", "milestone", "anchor", "index"}
RECORDED = re.compile(r"Input convention: (\S+) ")
DEFAULT_CONVENTION = "frus"
#: blocks written as one line per child (a speech: its speaker, verse lines, directions; a
#: stanza: its lines), so a play or a poem keeps its lines without a blank line between each two
LINE_GROUPS = frozenset({"sp", "lg"})


def _local(el: etree._Element) -> str | None:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else None


def to_text(node: etree._Element | etree._ElementTree,
            convention: Convention | str | None = None) -> str:
    """Plain text of a TEI document (``<TEI>``, a tree, or a ``<div type="document">``).

    ``convention`` (an object or a name) says how to write it; by default the
    convention recorded in the teiHeader, else FRUS.
    """
    if isinstance(node, etree._ElementTree):
        node = node.getroot()
    if not isinstance(convention, Convention):
        convention = get_convention(convention or _recorded(node) or DEFAULT_CONVENTION)
    if convention.write_document is not None:
        return convention.write_document(node)
    div = node
    if not (_local(node) == "div" and node.get("type") == "document"):
        found = node.find(f".//{{{TEI_NS}}}div[@type='document']")
        if found is None:
            found = node.find(f".//{{{TEI_NS}}}body")
        div = found if found is not None else node
    return _Renderer(convention).document(div)


def recorded_convention(node: etree._Element) -> Convention | None:
    """The convention recorded in the teiHeader of ``node``'s file, if it is a known one."""
    name = _recorded(node)
    return get_convention(name) if name is not None else None


def _recorded(node: etree._Element) -> str | None:
    """The convention named in the teiHeader's encodingDesc, if it is a known one."""
    root = node.getroottree().getroot()
    for p in root.iterfind(f".//{{{TEI_NS}}}encodingDesc/{{{TEI_NS}}}p"):
        m = RECORDED.match(p.text or "")
        if m and m.group(1) in known():
            return m.group(1)
    return None


def _is_inline_note(el: etree._Element) -> bool:
    """A note shown in the running text (a source line), not a footnote."""
    return el.get("type") == "inline" or el.get("place") == "inline" or el.get("rend") == "inline"


class _Renderer:
    def __init__(self, convention: Convention) -> None:
        self.convention = convention
        self.notes: list[tuple[str, etree._Element]] = []
        self.blocks: list[str] = []
        self.before_head: list[etree._Element] = []

    # ---------------------------------------------------------------- document
    def document(self, div: etree._Element) -> str:
        self.number = div.get("n")
        self.block_children(div, top=True)
        out = "\n\n".join(b for b in self.blocks if b)
        lines = self.note_lines()
        if lines:
            out += "\n\n" + "\n".join(lines)
        return out

    def note_lines(self) -> list[str]:
        """The notes recorded so far, as the convention writes them (then forgotten)."""
        lines = []
        i = 0
        while i < len(self.notes):          # notes may be added while rendering notes
            n, note = self.notes[i]
            paragraphs = [c for c in note if _local(c) == "p"]
            if paragraphs:
                parts = [_finish(WS.sub(" ", note.text or ""))] + [self.inline(p) for p in paragraphs]
                lines.append(self.convention.note_line(n, [p for p in parts if p]))
            else:
                lines.append(self.convention.note_line(n, [self.inline(note)]))
            i += 1
        self.notes = []
        return lines

    def block_children(self, el: etree._Element, top: bool = False) -> None:
        for child in el:
            self.block(child, top)
            top = top and _local(child) != "head"
            if self.convention.notes_after_block and self.notes:
                self.blocks.extend(self.note_lines())

    def block(self, child: etree._Element, top: bool) -> None:
        """Render one child of a block container into ``self.blocks``."""
        name = _local(child)
        if name is None or name in SKIPPED:
            return
        if top and name == "head":
            self.blocks.append(self.convention.heading_text(self.number, self.inline(child)))
            self.blocks.extend(self.inline(note) for note in self.before_head)
        elif top and name == "note" and _is_inline_note(child) and \
                next(child.itersiblings(f"{{{TEI_NS}}}head"), None) is not None:
            self.before_head.append(child)      # shown under the heading, as on the website
        elif name == "note" and not _is_inline_note(child):
            marker = self.marker(child)
            if self.blocks:
                self.blocks[-1] += marker
            else:
                self.blocks.append(marker)
        elif name == "pb":
            self.blocks.append(self.page(child))
        elif name == "list":
            self.list_block(child)
        elif name == "table":
            self.blocks.append(self.table(child))
        elif name == "dateline" and not any(_local(d) in ("note", "pb", "ref")
                                            for d in child.iter()):
            return
        elif name in ("p", "ab") and any(_local(c) in ("list", "table") for c in child):
            self.blocks.append(self.mixed(child))
        elif name in LINE_GROUPS and not _has_loose_text(child):
            self.blocks.append(self.lines(child))
        elif (name in DIVISIONS or name in ("closer", "opener", "postscript", "floatingText", "body",
                                            "quote")) and _has_blocks(child) and not _has_loose_text(child):
            self.block_children(child)
        else:
            self.blocks.append(self.inline(child))

    # ---------------------------------------------------------------- blocks
    def lines(self, group: etree._Element) -> str:
        """A :data:`LINE_GROUPS` element: its children rendered as blocks are, a line each (a
        stanza inside: its lines), so the group stays one block."""
        outer, self.blocks = self.blocks, []
        try:
            for child in group:
                self.block(child, top=False)
            return "\n".join(line for line in self.blocks if line)
        finally:
            self.blocks = outer

    def list_block(self, lst: etree._Element, depth: int = 0) -> None:
        lines = self.list_lines(lst, depth)
        chunk: list[str] = []
        for line in lines:
            if line is None:                 # an item paragraph splits the block
                if chunk:
                    self.blocks.append("\n".join(chunk))
                chunk = []
            else:
                chunk.append(line)
        if chunk:
            self.blocks.append("\n".join(chunk))

    def list_lines(self, lst: etree._Element, depth: int) -> list[str | None]:
        lines: list[str | None] = []
        pad = "  " * depth
        label = ""
        for child in lst:
            name = _local(child)
            if name == "head":
                lines.append(pad + self.inline(child))
            elif name == "label":
                label = self.inline(child) + " "
            elif name == "item":
                lines.extend(self.item_lines(child, depth, label))
                label = ""
            elif name == "pb":
                lines.append(self.page(child))
            elif name == "list":
                lines.extend(self.list_lines(child, depth + 1))
            elif name == "note" and lines and lines[-1] is not None:
                lines[-1] += self.marker(child)
        return lines

    def item_lines(self, item: etree._Element, depth: int, label: str = "") -> list[str | None]:
        prefix = "  " * (depth + 1) + BULLET + " "
        paragraphs = [c for c in item if _local(c) == "p"]
        sublists = [c for c in item if _local(c) == "list"]
        if paragraphs:
            first, rest = self.inline(paragraphs[0]), paragraphs[1:]
        else:
            first, rest = self.inline(item, skip=("list",)), []
        lines: list[str | None] = [prefix + label + first.replace("\n", "\n" + " " * len(prefix))]
        for p in rest:
            pad = "  " * (depth + 2)
            lines += [None, pad + self.inline(p).replace("\n", "\n" + pad), None]
        for sub in sublists:
            lines.extend(self.list_lines(sub, depth + 1))
        return lines

    def table(self, table: etree._Element) -> str:
        rows = []
        for child in table:
            name = _local(child)
            if name == "row":
                rows.append("\t".join(self.inline(c).replace("\n", " ")
                                      for c in child if _local(c) == "cell"))
            elif name == "head":
                rows.append(self.inline(child))
            elif name == "pb":
                rows.append(self.page(child))
        return "\n".join(rows)

    def mixed(self, p: etree._Element) -> str:
        parts: list[str] = []
        text: list[Any] = [p.text or ""]
        for child in p:
            name = _local(child)
            if name in ("list", "table"):
                parts.append(self.inline_parts(text))
                text = []
                if name == "list":
                    parts.extend(line for line in self.list_lines(child, 0) if line is not None)
                else:
                    parts.append(self.table(child))
            else:
                text.append(child)
            text.append(child.tail or "")
        parts.append(self.inline_parts(text))
        return "\n".join(x for x in parts if x)

    # ---------------------------------------------------------------- inline
    def page(self, pb: etree._Element) -> str:
        return self.convention.page_text(pb.get("n", ""))

    def marker(self, note: etree._Element) -> str:
        """Record a footnote; its marker as the convention writes it (none when unanchored)."""
        n = (note.get("n") or str(len(self.notes) + 1)).strip()
        self.notes.append((n, note))
        return "" if note.get("subtype") == "unanchored" else self.convention.marker_text(n)

    def inline(self, el: etree._Element, skip: tuple[str, ...] = ()) -> str:
        parts: list[Any] = [el.text or ""]
        for child in el:
            if not skip or _local(child) not in skip:
                parts.append(child)
            parts.append(child.tail or "")
        return self.inline_parts(parts)

    def inline_parts(self, parts: list[Any]) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                if part:  # (most tails are empty or layout white space: no pattern run for them)
                    out.append(" " if part.isspace() else WS.sub(" ", part))
                continue
            name = _local(part)
            if name is None or name in SKIPPED:
                continue
            if name == "note" and not _is_inline_note(part):
                out.append(self.marker(part))
            elif name == "pb":
                page = self.page(part)
                out.append(page if part.get("break") == "no" else f"{SPACE_MARK}{page}{SPACE_MARK}")
            elif name == "lb":
                out.append("\n")
            elif name in ("p", "ab", "item", "cell", "list", "head", "dateline", "label"):
                out.append(" " + self.inline(part) + " ")
            else:
                out.append(_edge_space(part.text) + self.inline(part)
                           + _edge_space(part[-1].tail if len(part) else part.text, end=True))
        return _finish("".join(out))


_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")
_MARKED_SPACES = re.compile(rf"[ {SPACE_MARK}]*{SPACE_MARK}[ {SPACE_MARK}]*")
_SPACE_RUNS = re.compile(r" {2,}")


def _finish(s: str) -> str:
    if "\n" in s:  # (each substitution only where it can match: most pieces hold no newline, no mark)
        s = _LINE_EDGES.sub("\n", s)
    if SPACE_MARK in s:
        s = _MARKED_SPACES.sub(SPACE_MARK, s)
    if "  " in s:
        s = _SPACE_RUNS.sub(" ", s)
    return s.strip(" \n").strip(SPACE_MARK).replace(SPACE_MARK, " ")


def _edge_space(text: str | None, end: bool = False) -> str:
    """A space where an element's own text begins (or ends) with one: ``<hi> Madrid.</hi>``."""
    return " " if text and (text[-1] if end else text[0]).isspace() else ""


def _has_blocks(el: etree._Element) -> bool:
    return any(_local(c) in ("p", "list", "table", "signed", "salute", "closer", "opener",
                             "dateline", "lg", "ab", "sp", "stage", "head", *DIVISIONS) for c in el)


def _has_loose_text(el: etree._Element) -> bool:
    """Text directly inside ``el`` ("[" and "]" around a signature, say)."""
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)
