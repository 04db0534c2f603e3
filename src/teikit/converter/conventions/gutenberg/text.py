"""TEI -> Gutenberg text (the inverse of :func:`.tree.read_book`)."""
from __future__ import annotations

from typing import Any

import re

from lxml import etree

from ....xmlio import XML_ID, tei
from .syntax import CANONICAL_INDENT, CONTINUED, DEFAULT_PAGE_SYNTAX, PAGE_RENDER, RUN_IN, UNCLOSED, WS

SPACE_MARK = "\x01"     # a space that disappears at a block's edge or beside another space


def book_text(node: etree._Element | etree._ElementTree) -> str:
    """Plain text of a TEI book in the Gutenberg convention (the inverse of :func:`read_book`)."""
    if isinstance(node, etree._ElementTree):
        node = node.getroot()
    body = node if _local(node) == "body" else node.find(f".//{tei('body')}")
    body = body if body is not None else node
    renderer = _Renderer({el.get(XML_ID): el for el in body.iter(tei("note")) if el.get(XML_ID)},
                         {a.get("corresp", "")[1:] for a in body.iter(tei("anchor"))})
    renderer.division(body, top=True)
    return renderer.result()


class _Renderer:
    """Writes blocks; a note's text goes where its ``<anchor>`` stands, else after its block."""

    def __init__(self, notes_by_id: dict[str, etree._Element], anchored: set[str]) -> None:
        self.out: list[str] = []
        self.new_division = False
        self.notes_by_id = notes_by_id
        self.anchored = anchored        # ids of the notes written where their anchor stands
        self.run_in = ""                # a speaker's name waiting for the speech's first block

    def result(self) -> str:
        return "".join(self.out) + "\n"

    def block(self, text: str) -> None:
        if self.run_in:       # a speaker's name opening the speech's first line (after its indent)
            body = text.lstrip(" ")
            text = text[:len(text) - len(body)] + self.run_in + " " + body
            self.run_in = ""
        if self.out:
            self.out.append("\n\n\n\n" if self.new_division else "\n\n")
        self.out.append(text)
        self.new_division = False

    def division(self, div: etree._Element, top: bool = False) -> None:
        if not top:
            self.new_division = bool(self.out)
        pages: list[str] = []
        for child in div:
            name = _local(child)
            if name is None or name == "teiHeader":
                continue
            if name == "pb":
                pages.append(_page(child))
                continue
            if pages:
                self.block(" ".join(pages))
                pages = []
            pending: list[etree._Element] = []
            if name in ("div", "body"):
                self.division(child)
            elif name == "sp":      # a speech: its blocks, no division break before them
                self.division(child, top=True)
                if self.run_in:     # a name with no speech after it
                    self.block(self.run_in.rstrip())
            elif name == "speaker" and child.get("rend") == RUN_IN:
                self.run_in = self.inline(child, pending)
            elif name == "castList":
                self.cast_list(child, pending)
            elif name == "anchor":
                note = self.notes_by_id.get(child.get("corresp", "")[1:])
                if note is not None:
                    self.block(self.note_text(note, pending))
            elif name == "lg":
                self.block("\n".join(CANONICAL_INDENT + self.inline(line, pending)
                                      for line in child.iter(tei("l"))))
            elif name == "list":  # a list of contents: an entry a line
                self.block("\n".join(CANONICAL_INDENT + self.inline(item, pending)
                                      for item in child.iter(tei("item"))))
            elif name == "quote":
                self.block(CANONICAL_INDENT + self.inline(child, pending))
            elif name == "figure":
                head = child.find(tei("head"))
                self.block(self.inline(head, pending) if head is not None else "[Illustration]")
            elif name == "note" and child.get("place") == "margin":
                self.block(f"[Sidenote: {self.inline(child, pending)}{_close(child)}")
            elif name == "note":
                pending.append(child)
            else:
                self.block(self.inline(child, pending))
            # notes without an anchor follow the block that refers to them
            while pending:
                note = pending.pop(0)
                if note.get(XML_ID) not in self.anchored:
                    self.block(self.note_text(note, pending))
        if pages:
            self.block(" ".join(pages))

    def cast_list(self, cast: etree._Element, pending: list[Any]) -> None:
        """The heading, then the characters as indented lines (in one block)."""
        items: list[str] = []
        for child in cast:
            if _local(child) == "castItem":
                items.append(CANONICAL_INDENT + self.cast_item(child, pending))
                continue
            if items:
                self.block("\n".join(items))
                items = []
            if _local(child) is not None:
                self.block(self.inline(child, pending))
        if items:
            self.block("\n".join(items))

    def cast_item(self, item: etree._Element, pending: list[Any]) -> str:
        """A character's line; a role and its description set apart by space alone stand in two
        columns ("King   Rob Moore."), written back two spaces apart."""
        line = self.inline(item, pending)
        role, desc = item.find(tei("role")), item.find(tei("roleDesc"))
        if role is not None and desc is not None and role.getnext() is desc and not (role.tail or "").strip():
            name, description = self.inline(role, []), self.inline(desc, [])
            line = line.replace(f"{name} {description}", f"{name}  {description}", 1)
        return line

    def note_text(self, note: etree._Element, pending: list[Any]) -> str:
        paragraphs = [c for c in note if _local(c) in ("p", "quote", "lg")]
        body = "\n\n".join(self.note_paragraph(p, pending) for p in paragraphs) if paragraphs \
            else self.inline(note, pending)
        n = note.get("n") or ""
        rend = (note.get("rend") or "").split()
        if "numbered" in rend:
            # several paragraphs follow a label that stands alone, unless the label opens the first
            alone = len(paragraphs) > 1 and CONTINUED not in rend
            return f"[{n}]\n\n{body}" if alone else f"[{n}] {body}"
        return (f"[Footnote {n}: " if n else "[Footnote: ") + body + _close(note)

    def note_paragraph(self, el: etree._Element, pending: list[Any]) -> str:
        """A paragraph of a note; a quotation or verse in it indented as in the text."""
        if _local(el) == "lg":
            return "\n".join(CANONICAL_INDENT + self.inline(line, pending) for line in el.iter(tei("l")))
        return (CANONICAL_INDENT if _local(el) == "quote" else "") + self.inline(el, pending)

    def inline(self, el: etree._Element, pending: list[Any]) -> str:
        parts = [el.text or ""]
        for child in el:
            name = _local(child)
            if name == "note" and child.get("place") == "margin":
                parts.append(f"[Sidenote: {self.inline(child, pending)}{_close(child)}")
            elif name == "note":
                if child.get("subtype") != "unanchored":
                    parts.append(f"[{child.get('n') or '*'}]")
                pending.append(child)
            elif name == "pb":
                # a break between words stands for a space, in TEI written without one
                page = _page(child)
                as_written = child.get("break") == "no" or parts[-1][-1:].isspace() or \
                    (child.tail or " ")[:1].isspace()
                parts.append(page if as_written else SPACE_MARK + page + SPACE_MARK)
            elif name == "lb":
                parts.append(" ")
            elif name is not None:
                parts.append(self.inline(child, pending))
            parts.append(child.tail or "")
        s = WS.sub(" ", "".join(parts))
        s = re.sub(f"[ {SPACE_MARK}]*{SPACE_MARK}[ {SPACE_MARK}]*", SPACE_MARK, s)
        return s.strip(" " + SPACE_MARK).replace(SPACE_MARK, " ")


def _close(note: etree._Element) -> str:
    return "" if UNCLOSED in (note.get("rend") or "").split() else "]"


def _page(pb: etree._Element) -> str:
    return PAGE_RENDER.get(pb.get("rend") or DEFAULT_PAGE_SYNTAX, PAGE_RENDER[DEFAULT_PAGE_SYNTAX]) \
        .format(pb.get("n", ""))


def _local(el: etree._Element) -> str | None:
    return etree.QName(el).localname if isinstance(el.tag, str) else None
