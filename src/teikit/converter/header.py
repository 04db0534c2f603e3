"""Metadata for the teiHeader, read from the heading and the source note.

Heading: "74. Memorandum for the Record, Paris, December 18, 1971, 11 a.m."
gives the title and, when present, the place and date of the document.
Source note: "Source: National Archives, Nixon Presidential Materials, NSC Files,
Box 849, .... Secret; Sensitive; Eyes Only. Drafted by ..." gives the
repository, collections, box or file number and the classification.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
DATE = re.compile(
    r"(?P<month>" + "|".join(MONTHS) + r")\.? (?P<day>\d{1,2}), (?P<year>\d{4})"
    r"(?:[,—–-] ?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))? ?(?P<ampm>[ap])\.m\.?"
    r"|, (?P<noon>noon|midnight))?")
PLACE_DATE = re.compile(r", (?P<place>[A-Z][\w.’' -]{1,40}?), (?P<date>(?:" + DATE.pattern + r")|undated)\s*$")
DOCUMENT_NUMBER = re.compile(r"^\d+[A-Za-z]?\.\s+")       # "74. " before a title
SOURCE_LABEL = re.compile(r"^Source:\s*")
SENTENCE_BREAK = re.compile(r"(?<=\.)\s+(?=[A-Z])")
CITATION_COMMA = re.compile(r",\s+(?![^(\[]*[)\]])")       # not inside brackets
DIGIT = re.compile(r"\d")
CLASSIFICATION_LEVELS = ("Top Secret", "Secret", "Confidential", "Unclassified",
                         "Limited Official Use", "Official Use Only", "Restricted",
                         "No classification marking")


@dataclass
class HeadingInfo:
    title: str
    place: str | None = None
    date_text: str | None = None
    when: str | None = None


@dataclass
class SourceInfo:
    text: str
    repository: str | None = None
    collections: list[str] = field(default_factory=list)
    idno: str | None = None
    idno_type: str | None = None
    classification: list[str] = field(default_factory=list)


def read_heading(heading: str) -> HeadingInfo:
    """Title (without the document number), place and date of a heading."""
    title = DOCUMENT_NUMBER.sub("", heading).strip()
    info = HeadingInfo(title=title)
    m = PLACE_DATE.search(title)
    if m:
        info.place = m.group("place")
        info.date_text = m.group("date")
        info.when = iso_date(m.group("date"))
    return info


def iso_date(text: str) -> str | None:
    """ISO 8601 for "December 18, 1971, 11 a.m." (None when not a full date)."""
    m = DATE.fullmatch(text.strip())
    if not m:
        return None
    date = f"{int(m['year']):04d}-{MONTHS[m['month']]:02d}-{int(m['day']):02d}"
    if m["hour"]:
        hour = int(m["hour"]) % 12 + (12 if m["ampm"] == "p" else 0)
        return f"{date}T{hour:02d}:{int(m['minute'] or 0):02d}:00"
    if m["noon"]:
        return f"{date}T{'12' if m['noon'] == 'noon' else '00'}:00:00"
    return date


def read_source_note(text: str) -> SourceInfo:
    """Archive, collections, box/file number and classification of a source note."""
    info = SourceInfo(text=text)
    body = SOURCE_LABEL.sub("", text.strip())
    sentences = SENTENCE_BREAK.split(body)
    citation_parts: list[str] = []
    for i, sentence in enumerate(sentences):
        terms = [t.strip().rstrip(".") for t in sentence.split(";")]
        if terms and terms[0].startswith(CLASSIFICATION_LEVELS):
            info.classification = [t for t in terms if t]
            break
        citation_parts.append(sentence)
    else:
        citation_parts = sentences[:1]
    citation = " ".join(citation_parts).rstrip(".")
    pieces = [p.strip() for p in CITATION_COMMA.split(citation) if p.strip()]
    if len(pieces) < 2:
        return info
    info.repository = pieces[0]
    for piece in pieces[1:]:
        if DIGIT.search(piece):
            info.idno = piece
            info.idno_type = "box" if piece.startswith("Box") else "file"
            break
        info.collections.append(piece)
    return info
