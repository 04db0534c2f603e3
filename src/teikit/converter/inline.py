"""Inline content: text of a span with its note markers, page breaks and references.

The builder walks a span of the source, cutting it at *events* (a note marker,
a ``[Page N]`` marker) and emitting text, ``<note>``, ``<pb>`` and ``<ref>``
pieces; whitespace is then collapsed the way TEI readers expect.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable

from lxml import etree

from ..xmlio import tei
from .lexer import Span
from .markers import NoteMarker, PageMarker

WS = re.compile(r"\s+")
Event = NoteMarker | PageMarker


@dataclass
class Piece:
    """An element in the inline stream, with how it treats the space around it."""

    element: etree._Element
    kind: str           # "note" | "pb" | "ref" | "lb"


class InlineWriter:
    """Writes spans of the source into elements, turning events into elements.

    ``ref_cues`` are strings one of which every reference ``find_refs`` finds
    contains: their places in the whole text are found once, so a span holding
    none of them is not searched (most spans; empty: every span is searched).
    """

    def __init__(self, text: str, events: list[Event], doc_id: str | None,
                 make_note: Callable[[NoteMarker], etree._Element],
                 make_pb: Callable[[PageMarker, bool], etree._Element],
                 find_refs: Callable[[str, str | None], list[Any]] | None = None,
                 ref_cues: tuple[str, ...] = ()):
        self.text = text
        self.events = sorted(events, key=lambda e: e.start)
        self._starts = [e.start for e in self.events]
        self.doc_id = doc_id
        self.make_note = make_note
        self.make_pb = make_pb
        self.find_refs = find_refs
        # (start, end) of every occurrence of a cue, by start; None: search every span
        self._cues = occurrences(text, ref_cues) if find_refs is not None and ref_cues else None

    def fill(self, parent: etree._Element, spans: Sequence[Span], *, line_breaks: bool = False) -> None:
        """Append the content of ``spans`` to ``parent``; lines join with a space or ``<lb/>``."""
        if (len(spans) == 1 or not line_breaks) and all(map(self._plain, spans)):
            # the common case: text alone, lines joined by a space (what the stream would give)
            text = self.text
            s = collapse_space(text[spans[0].start:spans[0].end] if len(spans) == 1
                               else "\n".join([text[sp.start:sp.end] for sp in spans]))
            if s and (len(parent) or parent.text):
                _append(parent, [s])
            elif s:
                parent.text = s             # a new element: nothing to append to
            return
        stream: list[str | Piece] = []
        for i, span in enumerate(spans):
            if i:
                stream.append(Piece(etree.Element(tei("lb")), "lb") if line_breaks else "\n")
            self._span_stream(span, stream)
        _append(parent, _normalise(stream))

    def _plain(self, span: Span) -> bool:
        """Whether ``span`` holds no event and no reference."""
        i = bisect.bisect_left(self._starts, span.start)
        if i < len(self._starts) and self._starts[i] < span.end:
            return False
        return not self._refs(span.start, span.end)

    def _refs(self, start: int, end: int) -> list[Any]:
        """The references in ``text[start:end]`` (offsets relative to ``start``)."""
        if self.find_refs is None:
            return []
        if self._cues is not None:
            cues = self._cues
            i = bisect.bisect_left(cues, (start,))
            while i < len(cues) and cues[i][0] < end and cues[i][1] > end:
                i += 1
            if i == len(cues) or cues[i][0] >= end:
                return []           # no cue lies inside the span
        return self.find_refs(self.text[start:end], self.doc_id)

    def _span_stream(self, span: Span, stream: list[Any]) -> None:
        pos = span.start
        i = bisect.bisect_left(self._starts, span.start)
        while i < len(self.events) and self.events[i].start < span.end:
            event = self.events[i]
            self._text_stream(pos, event.start, stream)
            if isinstance(event, NoteMarker):
                stream.append(Piece(self.make_note(event), "note"))
            else:
                glued = event.start > 0 and not self.text[event.start - 1].isspace() and \
                    event.end < len(self.text) and not self.text[event.end].isspace()
                stream.append(Piece(self.make_pb(event, glued), "pb"))
            pos = event.end
            i += 1
        self._text_stream(pos, span.end, stream)

    def _text_stream(self, start: int, end: int, stream: list[Any]) -> None:
        if start >= end:
            return
        chunk = self.text[start:end]
        pos = 0
        for ref in self._refs(start, end):
            stream.append(chunk[pos:ref.start])
            el = etree.Element(tei("ref"), target=ref.target)
            el.text = WS.sub(" ", chunk[ref.start:ref.end])
            stream.append(Piece(el, "ref"))
            pos = ref.end
        stream.append(chunk[pos:])


def occurrences(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """``(start, end)`` of every occurrence of every word in ``text`` (overlapping ones too), sorted."""
    found = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            found.append((pos, pos + len(word)))
            pos = text.find(word, pos + 1)
    found.sort()
    return found


def collapse_space(s: str) -> str:
    """``s`` with each run of white space one space, none at the ends (= WS.sub + strip)."""
    # the common case needs no new string: every white-space character but " " is
    # unprintable, so a printable text without double or edge spaces is already collapsed
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())


def single_spaces(s: str) -> str:
    """``s`` with each run of white space one space (= WS.sub), the ends kept."""
    if s.isprintable() and "  " not in s:       # as in collapse_space: nothing to do
        return s
    return WS.sub(" ", s)


def _normalise(stream: list[Any]) -> list[Any]:
    """Collapse whitespace; a page break absorbs the space after it; trim the ends."""
    if len(stream) == 1 and isinstance(stream[0], str):      # plain text: the common case
        s = collapse_space(stream[0])
        return [s] if s else []
    out: list[Any] = []
    for item in stream:
        if isinstance(item, str):
            s = single_spaces(item)
            if out and isinstance(out[-1], Piece) and out[-1].kind == "pb":
                s = s.lstrip(" ")
            if out and isinstance(out[-1], str):
                out[-1] = single_spaces(out[-1] + s)
            elif s:
                out.append(s)
        else:
            if item.kind == "lb" and out and isinstance(out[-1], str):
                out[-1] = out[-1].rstrip(" ")
            out.append(item)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" ")
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")
    return [x for x in out if not (isinstance(x, str) and not x)]


def _append(parent: etree._Element, stream: list[Any]) -> None:
    last = parent[-1] if len(parent) else None
    for item in stream:
        if isinstance(item, str):
            if last is None:
                parent.text = (parent.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            parent.append(item.element)
            last = item.element
