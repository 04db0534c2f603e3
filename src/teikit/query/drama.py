"""Plays: the speeches and the cast of TEI drama.

TEI encodes performance texts (Guidelines, chapter 7) as speeches, ``<sp who="#id">``
holding a ``<speaker>`` label, verse lines ``<l>`` or prose ``<p>`` and stage
directions ``<stage>``, inside acts and scenes (``<div type="act">`` or numbered
``<div1>`` …).  The people of the play are listed in the header
(``particDesc/listPerson``: ``person`` and ``personGrp`` with ids, as DraCor's plays
do) or in the front matter (``castList/castItem/role``).  This reads both, for any TEI
play: DraCor's, the TEI Consortium's, those ``teikit convert`` writes.

>>> play = teikit.load("agamemnon.xml")                 # doctest: +SKIP
>>> play.speeches[0].speaker, play.speeches[0].who      # doctest: +SKIP
('Φύλαξ', ('phylax',))
>>> play.speeches_frame().groupby("who").words.sum()    # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Iterable, Iterator

from lxml import etree

from ..ns import DIVISIONS, TEI_CLARK, XML_ID, tei
from ..xmlio import text_without_notes

#: what a speech's ``text`` leaves out: the label, the directions, the editor's notes,
#: and the printed page furniture (running heads), which nobody speaks
NOT_SPOKEN = frozenset(tei(name) for name in ("speaker", "stage", "note", "fw"))
#: elements that start a new line of a speech's text
LINE_ELEMENTS = frozenset(tei(name) for name in ("l", "p", "ab", "lg"))
#: what a role description is often printed with, after the role's name ("Hamlet, son to …")
DESCRIPTION_EDGES = " ,;:"
#: divisions a speech is placed in: TEI's unnumbered and numbered divisions
DIVISION_TAGS = frozenset(tei(name) for name in DIVISIONS)


@dataclass(frozen=True)
class Speech:
    """One ``<sp>``: who speaks, the label printed, what is spoken, where in the play.

    >>> speech = teikit.load("hamlet.xml").speeches[0]       # doctest: +SKIP
    >>> speech.who, speech.speaker, speech.division, speech.words   # doctest: +SKIP
    (('barnardo',), 'BARNARDO', 'Scene 1', 2)
    """

    who: tuple[str, ...]        # the speakers' ids, from @who (without "#"); () when not given
    speaker: str | None         # the label as printed (``<speaker>``)
    text: str                   # what is spoken, a line per verse line or paragraph
    stage: tuple[str, ...]      # the stage directions inside the speech
    division: str | None        # the act or scene it is in: its heading, else its type and number
    lines: int                  # verse lines (``<l>``)
    element: etree._Element = field(repr=False, compare=False)

    @property
    def words(self) -> int:
        """Words spoken (the text split at white space)."""
        return len(self.text.split())

    @property
    def line(self) -> int | None:
        """The line of the ``<sp>`` in its file."""
        return self.element.sourceline

    def __repr__(self) -> str:
        who = f" ({' '.join(self.who)})" if self.who else ""
        where = f" in {self.division}" if self.division else ""
        return f"<Speech {self.speaker or '(no speaker)'}{who}{where}: {self.lines} lines, {self.words} words>"


@dataclass(frozen=True)
class Role:
    """A person (or group) of the play's cast.

    >>> [(r.id, r.name) for r in teikit.load("hamlet.xml").cast][:2]   # doctest: +SKIP
    [('claudius', 'Claudius'), ('hamlet', 'Hamlet')]
    """

    id: str | None              # xml:id, what ``Speech.who`` names
    name: str                   # the first name given (persName, name or role)
    sex: str | None             # @sex, else @gender
    description: str | None     # roleDesc, else the person's @role
    group: bool                 # a group speaking together (``personGrp``: a chorus)


def speeches(element: etree._Element, leave_out: Collection[etree._Element] = ()) -> list[Speech]:
    """The speeches in ``element`` (a document, a play, a whole file), in document order, but
    those inside ``leave_out`` (the documents inside a region of text outside them)."""
    return [_speech(sp) for sp in element.iter(tei("sp"))
            if not leave_out or not any(a in leave_out for a in sp.iterancestors())]


def cast(element: etree._Element) -> list[Role]:
    """The cast of the file holding ``element``: its header's ``particDesc`` people, else
    the roles of its ``castList``."""
    root = element.getroottree().getroot()
    people = [_person(el) for desc in root.iter(tei("particDesc"))
              for el in desc.iter(tei("person"), tei("personGrp"))]
    return people or [_cast_item(item) for item in root.iter(tei("castItem"))]


def _speech(sp: etree._Element) -> Speech:
    who = tuple(ref.lstrip("#") for ref in (sp.get("who") or "").split())
    label = sp.find(tei("speaker"))
    return Speech(who=who, speaker=_flat(label) if label is not None else None, text=_spoken(sp),
                  stage=tuple(_flat(stage) for stage in sp.iter(tei("stage"))),
                  division=_division(sp), lines=sum(1 for _ in _spoken_elements(sp, tei("l"))),
                  element=sp)


def _spoken(sp: etree._Element) -> str:
    """The text of ``sp`` outside :data:`NOT_SPOKEN`, a line per :data:`LINE_ELEMENTS`."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:  # as deep as the speech's markup (a few levels)
        if el.tag in LINE_ELEMENTS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in NOT_SPOKEN:
                walk(child)
            elif child.tag in NOT_SPOKEN:  # the words on each side stay apart
                parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(sp)
    return "\n".join(line for line in (" ".join(chunk.split()) for chunk in "".join(parts).split("\n"))
                     if line)


def _spoken_elements(sp: etree._Element, tag: str) -> Iterator[etree._Element]:
    for el in sp.iter(tag):
        if not any(a.tag in NOT_SPOKEN for a in _ancestors_within(el, sp)):
            yield el


def _ancestors_within(el: etree._Element, top: etree._Element) -> Iterable[etree._Element]:
    for ancestor in el.iterancestors():
        if ancestor is top:
            return
        yield ancestor


def _division(sp: etree._Element) -> str | None:
    for ancestor in sp.iterancestors(*DIVISION_TAGS):
        head = ancestor.find(tei("head"))
        if head is not None and _flat(head):
            return _flat(head)
        label = " ".join(x for x in (ancestor.get("type"), ancestor.get("n")) if x)
        if label:
            return label
    return None


def _person(el: etree._Element) -> Role:
    name = next((_flat(n) for n in el if n.tag in (tei("persName"), tei("name")) and _flat(n)), "")
    return Role(id=el.get(XML_ID), name=name, sex=el.get("sex") or el.get("gender"),
                description=el.get("role"), group=el.tag == tei("personGrp"))


def _cast_item(item: etree._Element) -> Role:
    role = item.find(f".//{TEI_CLARK}role")
    description = item.find(f".//{TEI_CLARK}roleDesc")
    named = role if role is not None else item
    return Role(id=named.get(XML_ID) or item.get(XML_ID), name=_flat(named) if role is not None else
                _flat(item), sex=named.get("gender") or named.get("sex"),
                description=_flat(description).strip(DESCRIPTION_EDGES) or None if description is not None else None,
                group=item.get("type") == "group")


def _flat(el: etree._Element) -> str:
    """The text of ``el`` without its notes, white space collapsed."""
    return " ".join(text_without_notes(el).split())


__all__ = ["Speech", "Role", "speeches", "cast"]
