"""Input conventions: how a plain-text edition writes its headings, notes and page markers.

A :class:`Convention` holds everything the converter needs to know about one
input format: the page-marker syntax (and how to write it back), where the
footnotes are and how they are numbered, how a note is marked in the text
(an explicit marker such as ``[^1]``, or a bare number scored in context),
the heading, the id scheme and, optionally, the format's own structure stage.
``convert(text, convention=...)`` and ``to_text(root, convention=...)`` take
the same object, so what is read is what is written back.

The generic pipeline never names a format; it only calls the convention.

Adding a convention
-------------------
1. Write one module in :mod:`teikit.converter.conventions` that defines
   ``CONVENTION = Convention(name="...", ...)``.  Modules there are found
   automatically (no registry to edit); ``name`` is what ``--convention`` takes.
2. Give it a ``detect`` function (0 = surely not this format, 1 = surely it),
   so ``--convention auto`` can choose it.
3. Add fixtures (``tests/converter/data/<name>/``: input ``.txt`` and the
   expected ``.xml``) and tests, including the round trip
   ``to_text(convert(x, convention=c), convention=c) == x`` for canonical input.

A convention whose books have chapters, figures or verse passes its own
``structure`` function; it may return its own node classes, each with a
``build(builder, parent)`` method that :class:`~.builder.BodyBuilder` calls.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

from lxml import etree

from .header import HeadingInfo, SourceInfo, read_heading
from .lexer import Block, NoteBody, Span
from .structure import Node, read_structure

AUTO = "auto"
# below this detection score no convention is trusted, and the user is told
MIN_DETECTION_SCORE = 0.3


@dataclass(frozen=True)
class NoteBlock:
    """The footnotes of a document: where the body ends, and the notes in text order.

    Notes gathered at the end start at ``start``.  A format that writes notes
    inside the body (after a paragraph, at a chapter's end) lists those regions
    in ``in_body``: they are left out of the body text, and an explicit marker
    pairs with the first untaken note of its label that follows it.
    """

    start: int
    notes: list[NoteBody]
    in_body: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Heading:
    """The document heading: its lines, its document number, and where the body starts."""

    lines: Sequence[Span]
    number: str | None
    body_start: int


@dataclass(frozen=True)
class RefMatch:
    """A cross-reference found in running text: ``text[start:end]`` points at ``target``."""

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class IdScheme:
    """How a convention names documents, notes and page breaks (all results are NCNames)."""

    document: Callable[[str | None, str], str]       # (doc number, file stem) -> id
    note: Callable[[str, str], str]                     # (doc id, note label) -> id
    page: Callable[[str, str, bool], str]               # (doc id, page n, pages restart) -> id


def _plain_document_id(number: str | None, stem: str) -> str:
    return f"d{number}" if number else stem


PLAIN_IDS = IdScheme(
    document=_plain_document_id,
    note=lambda doc_id, n: f"{doc_id}fn{n}",
    page=lambda doc_id, n, restart: f"{doc_id}-p{n}" if restart else f"p{n}",
)


def _heading_metadata(heading: str | None, source_note: str | None
                      ) -> tuple[HeadingInfo | None, SourceInfo | None]:
    """Title, place and date from the heading; a source note is kept as its text."""
    return (read_heading(heading) if heading is not None else None,
            SourceInfo(text=source_note) if source_note is not None else None)


@dataclass(frozen=True)
class Convention:
    """One input format.  See the module docstring for how to add one."""

    name: str
    summary: str                                        # one line, for --help and messages
    detect: Callable[[str], float]
    # page markers: group "n" is the page number; page_text writes a marker back
    page_marker: re.Pattern[str]
    page_text: Callable[[str], str]
    # footnotes: the block at the end (or wherever the format keeps them)
    find_notes: Callable[[str], NoteBlock | None]
    note_line: Callable[[str, list[str]], str]          # (label, paragraphs) -> the note as written
    heading: Callable[[str, list[Block]], Heading | None]
    heading_warning: str | None = None               # said when the heading has no number
    # how a note is marked in the text: an explicit marker (group "n" is the
    # note's label) or None for bare numbers chosen by scoring (see markers.py)
    note_marker: re.Pattern[str] | None = None
    unique_labels: bool = True                          # False: numbering restarts (per chapter)
    # True: a label may come again without being a duplicate: a note repeated, label and text
    # (older FRUS volumes print a second "Not printed." under the first one's number), or
    # numbering that starts again at 1 (FRUS volumes of the 1910s number notes per page)
    repeated_notes: bool = False
    notes_after_block: bool = False                     # to_text: each note right after the block
                                                        # that marks it (else all at the end)
    marker_text: Callable[[str], str] = str             # label -> marker as written in the text
    heading_text: Callable[[str | None, str], str] = \
        lambda number, head: head                       # (div/@n, head text) -> heading line
    ids: IdScheme = PLAIN_IDS
    # cross-references in running text (None: the format has none); every reference holds
    # one of the ref_cues, so text holding none of them is not searched (empty: search all)
    find_refs: Callable[[str, str | None], list[RefMatch]] | None = None
    ref_cues: tuple[str, ...] = ()
    # blocks under the heading that describe the source ("No. 78.", a file number)
    source_line: re.Pattern[str] | None = None
    # lines after those that open the document (classification, precedence): <opener>
    opener_line: re.Pattern[str] | None = None
    note_type: Callable[[str, int, bool], str | None] = \
        lambda first_text, index, in_heading: None      # -> @type of a footnote
    metadata: Callable[[str | None, str | None],
                       tuple[HeadingInfo | None, SourceInfo | None]] = _heading_metadata
    structure: Callable[[str, list[Block]], list[Node]] = read_structure
    # a format that is a whole book (divisions, notes beside the text) reads and writes
    # the tree itself: (text, warn(message, offset), file name, encoding note) -> <TEI>
    read_document: Callable[[str, Callable[[str, int], None], str, str], etree._Element] | None = None
    write_document: Callable[[etree._Element], str] | None = None     # <TEI> -> text


def _discover() -> dict[str, Convention]:
    from . import conventions
    found: dict[str, Convention] = {}
    for module in pkgutil.iter_modules(conventions.__path__):
        loaded = importlib.import_module(f"{conventions.__name__}.{module.name}")
        convention = getattr(loaded, "CONVENTION", None)
        if isinstance(convention, Convention):
            found[convention.name] = convention
    return found


_REGISTRY: dict[str, Convention] = {}


def known() -> dict[str, Convention]:
    """Every known convention by name."""
    if not _REGISTRY:
        _REGISTRY.update(sorted(_discover().items()))
    return _REGISTRY


def names() -> list[str]:
    """``auto`` and the name of every convention (the choices of ``--convention``)."""
    return [AUTO, *known()]


def get(name: str) -> Convention:
    """The convention called ``name`` (not ``auto``); ``KeyError`` names the known ones."""
    try:
        return known()[name]
    except KeyError:
        raise KeyError(f"unknown convention {name!r}; known: {', '.join(known())}") from None


DEFAULT = "frus"     # the layout teikit was built on; used when nothing is recognised


def detect(text: str) -> tuple[Convention, str | None]:
    """The convention ``text`` most likely follows, and a warning when none is convincing."""
    scored = sorted(((c.detect(text), c.name) for c in known().values()), reverse=True)
    best_score, best = scored[0]
    if best_score >= MIN_DETECTION_SCORE:
        return known()[best], None
    fallback = known().get(DEFAULT, known()[best])
    return fallback, (f"layout not recognised (no numbered heading, [Page N] marker, note "
                      f"block or explicit note marker); read as {fallback.name}")


def resolve(convention: "Convention | str | None", text: str
            ) -> tuple[Convention, str | None]:
    """A Convention for ``convention`` (an object, a name, ``auto`` or None = auto)."""
    if isinstance(convention, Convention):
        return convention, None
    if convention is None or convention == AUTO:
        return detect(text)
    return get(convention), None


def encoding_note(convention: Convention, detected: bool) -> str:
    """The sentence recorded in the teiHeader's encodingDesc."""
    how = "detected automatically" if detected else "chosen by the user"
    return f"Input convention: {convention.name} ({convention.summary}); {how}."

