"""Second stage: pair every note with its marker.

Markers are explicit (``[1]``, ``[A]``, ``[*]``, ``[05]``): a note labelled ``L``
takes the nearest unclaimed ``[L]`` before it, so numbering may restart per
chapter or letter.  A ``[1] text`` paragraph no marker claims is prose.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .blocks import Block, Warn, ends_sentence, is_caps_heading, note_label, plain_form
from .syntax import GATHERED_DISTANCE, HEADING_BLANK_LINES, INTRODUCES_QUOTATION, NOTE_MARKER


@dataclass
class NoteMarker:
    """``[L]`` in the text at ``start:end``, and the note it calls."""

    start: int
    end: int
    note: "NoteDef"


@dataclass
class NoteDef:
    """A note: its label, block, the paragraphs of its text, and how it was written."""

    label: str
    block: int                  # index of its block
    paragraphs: list[tuple[int, int]]
    style: str                  # footnote ("[Footnote 1: ...]") | numbered ("[1] ...")
    marker: NoteMarker | None = None
    id: str = ""
    closed: bool = True         # False: "[Footnote 1: ..." whose "]" is missing
    continued: bool = False     # a "[1] text" note whose text goes on over the blocks after it
    kinds: list[str] = field(default_factory=list)  # role of each paragraph after the first ("p" if none)


def pair_notes(text: str, blocks: list[Block], warn: Warn) -> tuple[list[NoteDef], list[NoteMarker]]:
    """Notes found in the text, each with the nearest unclaimed marker before it (or none)."""
    candidates: dict[str, list[int]] = {}       # label -> marker offsets, in text order
    for index, block in enumerate(blocks):
        if block.role not in ("p", "quote", "verse", "contents", "head", "subhead", "numbered",
                              "illustration", "sidenote"):
            continue
        skip = note_label(text, block).end() if block.role == "numbered" else 0
        for start, end in _marker_spans(text, block):
            for m in NOTE_MARKER.finditer(text, start, end):
                if m.start() < skip:
                    continue
                candidates.setdefault(m.group("n"), []).append(m.start())
    claimed: set[int] = set()
    notes: list[NoteDef] = []
    markers: list[NoteMarker] = []
    # within a run of note blocks the last note takes the last marker: a run gathered at
    # a chapter's end then pairs in order even when a label repeats
    for run in _note_runs(blocks):
        for index in reversed(run):
            block = blocks[index]
            if block.role == "footnote":
                note = NoteDef(block.label or "", index,
                               block.content or [(block.end - 1, block.end - 1)], "footnote",
                               closed=block.closed)
            else:
                m = note_label(text, block)
                note = NoteDef(m.group("n"), index, [(m.end(), block.end)] if m.end() < block.end
                               else [], "numbered")
            positions = candidates.get(note.label, [])
            k = bisect.bisect_left(positions, block.start) - 1
            while k >= 0 and positions[k] in claimed:
                k -= 1
            if k < 0 and block.role == "numbered":
                block.role = "p"        # "[3] text" with no marker [3] before it is prose
                continue
            if k < 0:
                missing = f"has no marker [{note.label}] before it" if note.label else \
                    "has no label to find its marker by"
                warn(f"footnote {note.label} {missing}; it is kept after the paragraph before it"
                     .replace("  ", " "), block.start)
            else:
                at = positions[k]
                note.paragraphs = note.paragraphs or _following_paragraphs(blocks, index)
                claimed.add(at)
                note.marker = NoteMarker(at, at + len(note.label) + 2, note)
                markers.append(note.marker)
            notes.append(note)
    notes.sort(key=lambda note: note.block)
    _continue_notes(text, blocks, notes, claimed)
    if notes:
        for label, positions in candidates.items():
            for at in positions:
                if at not in claimed and label.isdigit():
                    warn(f"'[{label}]' looks like a note marker but no note {label} "
                         "follows it; it is kept as text", at)
    return notes, markers


def _continue_notes(text: str, blocks: list[Block], notes: list[NoteDef], markers: set[int]) -> None:
    """Give a ``[1] text`` note the paragraphs, quotes and verse after it that are its own.

    Gutenberg sets a note of several paragraphs (a quotation, a verse, a comment) as a
    ``[1] text`` paragraph followed by the others, unmarked.  A block after the note, up
    to the next note, belongs to it when, holding no note marker:

    * it stands before the next note of a run gathered together (that note's marker
      stands before this note: no body text comes between notes gathered so);
    * the book gathers its notes at a section's end (see ``gathered`` below), where no
      text of the section follows them, and the block comes before the section's end (a
      block set off by :data:`HEADING_BLANK_LINES`, or a short line in capitals such as
      "EDITOR'S NOTES." opening the editor's comments);
    * the note's text introduces it (ends with a colon: "He says:").
    """
    numbered = [n for n in notes if n.style == "numbered" and n.marker is not None and
                len(n.paragraphs) == 1 and n.paragraphs[0][1] == blocks[n.block].end]
    if not numbered:
        return
    starts = [block.start for block in blocks]
    marker_blocks = {bisect.bisect_right(starts, at) - 1 for at in markers}

    def distance(note: NoteDef) -> int:
        """Blocks of text between the block holding the note's marker and the note."""
        at = bisect.bisect_right(starts, note.marker.start if note.marker else 0) - 1
        return sum(1 for block in blocks[at + 1:note.block]
                   if block.role in ("p", "quote", "verse", "head", "subhead"))

    distances = sorted(distance(n) for n in notes if n.style == "numbered" and n.marker is not None)
    # the book gathers its notes at a section's end when a note stands, as a rule (the median),
    # GATHERED_DISTANCE blocks or more after its marker's; after the paragraph, none or one
    gathered = distances[len(distances) // 2] >= GATHERED_DISTANCE
    next_note = {a.block: b for a, b in zip(notes, notes[1:])}
    for note in numbered:
        following = []
        for index in range(note.block + 1, len(blocks)):
            block = blocks[index]
            if block.role not in ("p", "quote", "verse") or index in marker_blocks:
                break
            following.append(index)
        after = note.block + len(following) + 1
        later = next_note.get(note.block)
        if following and later is not None and later.block == after and later.marker is not None \
                and later.marker.start < blocks[note.block].start:
            taken = following
        else:
            taken = []
            for index in following:
                set_off = blocks[index].blank_before >= HEADING_BLANK_LINES or \
                    is_caps_heading(text, blocks[index])
                last = blocks[taken[-1] if taken else note.block]
                if set_off or not (gathered or INTRODUCES_QUOTATION.search(text, last.start, last.end)):
                    break
                taken.append(index)
            # a paragraph that runs on ("... another version, called") leads into what follows,
            # the next section: it is the text's, not the end of a note
            while taken and blocks[taken[-1]].role == "p" and \
                    not ends_sentence(plain_form(text[blocks[taken[-1]].start:blocks[taken[-1]].end])):
                taken.pop()
        for index in taken:
            note.paragraphs.append((blocks[index].start, blocks[index].end))
            note.kinds.append(blocks[index].role)
            blocks[index].role = "note text"
        note.continued = bool(taken)


def _following_paragraphs(blocks: list[Block], index: int) -> list[tuple[int, int]]:
    """The text of a note whose label stands alone ("[14]" above a verse and its comment).

    The paragraphs, quotes and verse up to the next note, heading or figure.
    """
    spans = []
    for block in blocks[index + 1:]:
        if block.role not in ("p", "quote", "verse"):
            break
        block.role = "note text"
        spans.append((block.start, block.end))
    return spans or [(blocks[index].end, blocks[index].end)]


def _note_runs(blocks: list[Block]) -> list[list[int]]:
    """Indexes of the note blocks, grouped in runs that only page markers separate."""
    runs: list[list[int]] = []
    open_run = False
    for index, block in enumerate(blocks):
        if block.role in ("footnote", "numbered"):
            if not open_run:
                runs.append([])
            runs[-1].append(index)
            open_run = True
        elif block.role != "pages":
            open_run = False
    return runs


def _marker_spans(text: str, block: Block) -> list[tuple[int, int]]:
    return block.content if block.kind in ("illustration", "sidenote") else [(block.start, block.end)]
