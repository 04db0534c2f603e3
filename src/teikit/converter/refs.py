"""Cross-references: "Document 60", "footnote 2, Document 58", "Documents 119 and 102",
and other FRUS volumes ("Foreign Relations, 1952–1954, vol. XII, Part 1").

Targets follow the Office of the Historian's encoding: ``#d60`` and ``#d58fn2``
inside a volume, ``frus1952-54v12p1`` for another volume.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

FOOTNOTE_DOC = re.compile(r"\bfootnotes? (\d+), Document (\d+)\b")
FOOTNOTE_HERE = re.compile(r"\bfootnote (\d+)(?= above| below| supra| infra)")
DOCUMENTS = re.compile(r"\bDocuments (\d+)((?:, \d+)*)(,? and (\d+))?\b")
DOCUMENT = re.compile(r"\bDocument (\d+)\b")
VOLUME_MENTION = re.compile(r"\bvol\. [IVXLC]+\b")
SENTENCE_END = re.compile(r"[.;!?]\s+(?=[A-Z“\"(])")
ABBREVIATION = re.compile(r"\b(?:vol|pp|p|no|nos|Mr|Mrs|Dr|St|ibid|Ibid)$")
OTHER_VOLUME = re.compile(
    r"Foreign Relations, (\d{4})[–-](\d{2,4}), vol\. ([IVXLC]+)(?:, Part (\d+))?")


@dataclass(frozen=True)
class RefMatch:
    start: int
    end: int
    target: str


def roman_to_int(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        value = ROMAN[ch]
        total += -value if i + 1 < len(s) and ROMAN[s[i + 1]] > value else value
    return total


def find_refs(text: str, doc_id: str | None) -> list[RefMatch]:
    """Non-overlapping references in ``text``, in order."""
    found: list[RefMatch] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, target: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(RefMatch(start, end, target))

    for m in OTHER_VOLUME.finditer(text):
        first, last, vol, part = m.groups()
        last = last[-2:]
        target = f"frus{first}-{last}v{roman_to_int(vol)}" + (f"p{part}" if part else "")
        add(m.start(), m.end(), target)
    for m in FOOTNOTE_DOC.finditer(text):
        if _cites_other_volume(text, m.start()):
            continue
        add(m.start(), m.end(), f"#d{m.group(2)}fn{m.group(1)}")
    if doc_id:
        for m in FOOTNOTE_HERE.finditer(text):
            add(m.start(), m.end(), f"#{doc_id}fn{m.group(1)}")
    for m in DOCUMENTS.finditer(text):
        if _cites_other_volume(text, m.start()):
            continue
        add(m.start(), m.start(1) + len(m.group(1)), f"#d{m.group(1)}")
        pos = m.start(2)
        for extra in re.finditer(r"\d+", m.group(2)):
            add(pos + extra.start(), pos + extra.end(), f"#d{extra.group()}")
        if m.group(4):
            add(m.start(4), m.end(4), f"#d{m.group(4)}")
    for m in DOCUMENT.finditer(text):
        if not _cites_other_volume(text, m.start()):
            add(m.start(), m.end(), f"#d{m.group(1)}")
    found.sort(key=lambda r: r.start)
    return found


def _cites_other_volume(text: str, pos: int) -> bool:
    """True when a "vol. IV" citation precedes ``pos`` in the same sentence:
    "… vol. IV, pp. 1091–1093 (Document 20)" names a document of that volume."""
    sentence_start = max((m.end() for m in SENTENCE_END.finditer(text, 0, pos)
                          if not ABBREVIATION.search(text, 0, m.start())), default=0)
    return VOLUME_MENTION.search(text, sentence_start, pos) is not None
