"""Plays: speeches, stage directions, acts and scenes, and the list of characters.

A play is a Gutenberg book whose body is speeches.  After the blocks are
classified (and notes paired), :func:`read_play` looks for the transcribers'
ways of setting a speaker off:

* a name alone on its line: ``ROPER.``, ``_Gudfinna._``, ``_Ogre_``,
  ``      DALAND.`` (the speech follows in the next blocks);
* a name opening the speech: ``_Filch._ Sir, ...``, ``HAMLET. To be, ...``.

A name counts only if it heads at least :data:`MIN_NAME_SPEECHES` speeches or
stands in the list of characters, and a layout counts only if it gives a fair
share of the speeches; the book is a play when speeches are a large share of
its blocks (:func:`is_play`).  Prose with dialogue (quotes, not names) and FRUS
memoranda ("The Secretary said that ...") have no such blocks.

In a play, blocks set off as bracketed, parenthesised or italic text, or
opening with "Enter"/"Exit", are stage directions, and so are bracketed and
parenthesised asides inside a speech; ``ACT``/``SCENE`` headings (``THE FIRST
ACT``, ``SCAENA PRIMA``, ``ERSTER AUFTRITT`` too) open divisions, scenes
inside their act; the blocks under ``DRAMATIS PERSONAE`` (``PERSONS OF THE
PLAY``, ``CHARACTERS``, ``CAST``) are the cast list.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .blocks import Block, line_spans, plain_form
from .syntax import NOTE_MARKER, PAGE_MARKER

# --- thresholds (each a share or count measured on plays and on prose) ---
MIN_NAME_SPEECHES = 2       # a name heading one speech only is a word in capitals, unless cast
MIN_SPEECHES = 10           # fewer speeches: dialogue in a story, not a play
PLAY_SHARE = 0.2            # speeches / prose blocks: plays 0.3-0.6; novels with dialogue ~0
LAYOUT_SHARE = 0.1          # a speaker layout giving fewer of the speeches is chance
MAX_LABEL_CHARS = 60        # a speaker's label is short ...
MAX_LABEL_WORDS = 8         # ... even "VON RETTENMAYER, BLAND, DE CASTRO, AND ROPER."
MAX_LABEL_ASIDE = 300       # "_Halla (stands motionless ...; calls)._": an aside in the label
MAX_CAST_LINE = 80          # a list of characters has short lines
CAST_END_BLANK_LINES = 3    # a gap this wide ends the list of characters
MAX_INLINE_STAGE = 400      # a bracketed aside longer than this is not a stage direction

# words joining names in a label of several speakers ("ROPER, BLAND, and DE CASTRO.")
JOINERS = frozenset({"and", "und", "et", "&"})
# "ROPER." / "MRS. UPJOHN." / "VON RETTENMAYER, BLAND, and DE CASTRO." opening a block: words in
# capitals (a lower-case letter ends the match at once: most blocks are prose)
_CAPS_WORD = r"[A-ZÀ-Þ][A-ZÀ-Þ'’\-]*(?:\.(?= ))?"
_CAPS_JOIN = r"(?:,? |, (?:and|&) | (?:and|und|et|&) )"
CAPS_LABEL = re.compile(
    rf"(?P<name>{_CAPS_WORD}(?:{_CAPS_JOIN}{_CAPS_WORD}){{0,{MAX_LABEL_WORDS}}})\.(?=\s|$)")
# "_Gudfinna._", "_The Boy (throws his dart)._", "_Ogre_", "_M. Cic. a._"
# (the aside in parentheses may run on to the next line)
ITALIC_LABEL = re.compile(
    rf"_(?P<name>[A-ZÀ-Þ][^_\n()]{{0,{MAX_LABEL_CHARS}}}?(?:\s*\([^()_]{{1,{MAX_LABEL_ASIDE}}}\))?\.?)_\.?"
    r"(?=\s|$)")
# the part of a label in parentheses ("The Boy (laughing)") is no part of the name
PARENTHESIS = re.compile(r"\s*\([^()]*\)")

# ACT / SCENE headings beyond CHAPTER_HEADING's: "THE FIRST ACT", "SCAENA PRIMA", "ERSTER AKT"
ACT_WORDS = ("ACT", "ACTUS", "AKT", "AUFZUG", "ACTE")
SCENE_WORDS = ("SCENE", "SCENA", "SCAENA", "SCÈNE", "AUFTRITT")
_DIVISION_WORD = "|".join(ACT_WORDS + SCENE_WORDS)
DIVISION_WORD = re.compile(rf"\b(?:{_DIVISION_WORD})\b", re.I)
DIVISION_HEADING = re.compile(
    rf"(?:THE\s+)?(?:[^\W\d_]+\s+)?(?P<word>{_DIVISION_WORD})\b\.?(?:\s+[^\W_]+)?\.?", re.I)
# "SCENE I." / "ACT II. SCENE 3." opening a longer block: the rest is a stage direction
NUMBERED_DIVISION = re.compile(
    rf"(?P<word>{_DIVISION_WORD})\.?\s+(?:[IVXLC]+|\d+)\b\.?(?:\s+(?:{_DIVISION_WORD})\.?\s+"
    r"(?:[IVXLC]+|\d+)\b\.?)?", re.I)

CAST_HEADING = re.compile(
    r"(?:THE\s+)?(?:DRAMATIS\s+PERSONAE|PERSONS\s+(?:OF\s+THE\s+(?:PLAY|DRAMA)|REPRESENTED)|"
    r"CHARACTERS(?:\s+(?:OF|IN)\s+THE\s+PLAY)?|CAST(?:\s+OF\s+CHARACTERS)?)\b", re.I)

STAGE_OPENING = re.compile(r"(?:Enter|Exit|Exeunt|Re-enter|Manet|Curtain)\b")
# lines ending a play or an act, never a speaker's name
CLOSING = re.compile(r"(?:THE\s+)?(?:END|FINIS|CURTAIN)\b", re.I)
# headings of parts of a play that are no act or scene, but divisions of their own
PLAY_PART = re.compile(r"(?:THE\s+)?(?:PROLOGUE|EPILOGUE|INDUCTION|INTERLUDE|CHORUS|APPENDIX|NOTES?)\b",
                       re.I)
# asides inside a speech: "[_To FARNCOMBE._]", "(_Shoots._)", "(Exit Phil.)", "[Exit _Filch_."
INLINE_STAGE = re.compile(
    rf"\[[^\[\]]{{1,{MAX_INLINE_STAGE}}}\]"
    rf"|\[(?=[A-Z_])[^\[\]]{{1,{MAX_INLINE_STAGE}}}$"
    rf"|\(_[^()]{{1,{MAX_INLINE_STAGE}}}_\.?\)"
    rf"|\((?=[A-Z])[^()]{{1,{MAX_INLINE_STAGE}}}[.!]_?\)")
# "(groaning)." right after a speaker's name opening the speech
LEADING_PARENTHESIS = re.compile(r"\([^()]{1,80}\)\.?")


@dataclass
class Speech:
    """A speaker's label at ``start:end`` in block ``block``; ``inline``: the speech follows on its line."""

    block: int
    start: int
    end: int
    name: str                   # the label without markup and asides: "The Boy"
    layout: str                 # caps | italic, own | inline
    inline: bool
    stage: tuple[int, int] | None = None    # an aside after the label on its own line
    verse: bool = False         # an inline label opening verse lines
    turns: list["Speech"] = field(default_factory=list)    # labels opening later lines of the verse
    ended: bool = False         # the label ends with a full stop, as names over speeches do


@dataclass
class Play:
    """What :func:`read_play` found: speeches by block, persons, roles set on the blocks."""

    speeches: dict[int, Speech] = field(default_factory=dict)
    persons: dict[str, str] = field(default_factory=dict)       # id -> name, in order of speech
    divisions: dict[int, tuple[str, int]] = field(default_factory=dict)   # block -> (type, head end)
    cast: list[int] = field(default_factory=list)              # blocks of the list of characters
    cast_heads: list[int] = field(default_factory=list)        # ... and the headings over them


@lru_cache(maxsize=4096)        # a play repeats its few names thousands of times
def normal_name(s: str) -> str:
    """Compare names without case, accents, markup or asides: "_The Boy (laughing)._" -> "the boy"."""
    s = PARENTHESIS.sub("", s).replace("Æ", "AE").replace("æ", "ae")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w'’ ]+|_", " ", s).lower().split())


def person_id(name: str) -> str:
    """An XML name for a person: "DE CASTRO" -> "de-castro"."""
    ident = re.sub(r"[\W_]+", "-", normal_name(name)).strip("-")
    return ident if ident and ident[0].isalpha() else f"person-{ident}"


def label_names(name: str) -> list[str]:
    """The speakers a label names: "BLAND, VON RETTENMAYER, and ROPER" -> three."""
    parts = re.split(r"\s*,\s*(?:(?:and|und|et)\s+)?|\s+(?:and|und|et)\s+|\s*&\s*", PARENTHESIS.sub("", name),
                     flags=re.I)
    return [p.strip() for p in parts if p.strip() and p.strip().lower() not in JOINERS]


def _is_caps_name(name: str) -> bool:
    words = [w for w in name.replace(",", " ").split() if w.lower() not in JOINERS]
    letters = [c for w in words for c in w if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters) and len(words) <= MAX_LABEL_WORDS


def _label(text: str, block: Block) -> Speech | None:
    """The speaker's label opening ``block``, if it is written as one."""
    start = block.start
    while start < block.end and text[start] in " \t":
        start += 1
    first_end = text.find("\n", start, block.end)
    one_line = first_end < 0
    line_end = block.end if one_line else first_end
    for layout, pattern in (("italic", ITALIC_LABEL), ("caps", CAPS_LABEL)):
        m = pattern.match(text, start, block.end if layout == "italic" else line_end)
        if m is None:
            continue
        name = " ".join(PARENTHESIS.sub("", m.group("name")).split()).rstrip(".")
        if not name or len(name) > MAX_LABEL_CHARS or (layout == "caps" and not _is_caps_name(name)) or \
                STAGE_OPENING.match(name) or CLOSING.match(name) or len(name.split()) > MAX_LABEL_WORDS or \
                DIVISION_WORD.search(name):      # "ACT II.", "END OF THE FIRST ACT."
            continue
        if m.end() > line_end:          # the aside ran on to the next line
            first_end = text.find("\n", m.end(), block.end)
            one_line = first_end < 0
            line_end = block.end if one_line else first_end
        rest = text[m.end():line_end].strip()
        if not rest and one_line:
            return Speech(-1, start, m.end(), name, layout + " own", False, ended=m.group().endswith("."))
        aside = LEADING_PARENTHESIS.fullmatch(rest) or INLINE_STAGE.fullmatch(rest)
        if aside and one_line:       # "NAME. [_Returning to the table._]"
            at = text.index(rest, m.end(), line_end)
            return Speech(-1, start, m.end(), name, layout + " own", False, (at, at + len(rest)))
        # a name in italics opening prose is a speaker's if a full stop or an aside follows it
        # ("_Filch._ Sir", "_Terentia_ (groaning)."), not in "_Peachum_ sitting at a table"
        ended = m.group().rstrip("_").endswith(".")
        if (rest or not one_line) and (ended or text[m.end():block.end].lstrip().startswith("(")):
            return Speech(-1, start, m.end(), name, layout + " inline", True)
    return None


def line_labels(text: str, block: Block, speakers: set[str]) -> list[Speech]:
    """Labels opening the lines of a verse block after its first, in a duet
    ("_Polly._ I am bubbled. / _Lucy._ I'm bubbled."): only names that head speeches."""
    found = []
    for a, b in line_spans(text, block.start, block.end)[1:]:
        label = _label(text, Block(a, b, "text"))
        if label is not None and label.inline and person_id(label.name) in speakers:
            found.append(label)
    return found


# a cheap test before the heading is read (most blocks hold none of these words)
CAST_CUE = re.compile(r"PERS|CHARACT|CAST", re.I)     # "PERSŌNÆ" too


def _cast_heading(plain: str) -> bool:
    words = normal_name(plain).upper()
    m = CAST_HEADING.match(words)
    return m is not None and (m.end() == len(words) or words[m.end():m.end() + 2] == "  " or
                              len(plain.split()) <= 4)


def _cast_blocks(text: str, blocks: list[Block], heading: int) -> list[int]:
    """The blocks of the list of characters under the heading at ``heading``."""
    found = []
    for index in range(heading + 1, len(blocks)):
        block = blocks[index]
        if block.kind != "text" or block.role not in ("p", "quote", "verse", "subhead", "head") or \
                block.blank_before >= CAST_END_BLANK_LINES:
            break
        lines = line_spans(text, block.start, block.end)
        indented = text[block.start - 1:block.start] in (" ", "\t")
        if any(len(plain_form(text[a:b])) > MAX_CAST_LINE for a, b in lines) or \
                not (indented or len(lines) == 1):
            break
        found.append(index)
    return found


def _division(text: str, block: Block) -> tuple[str, int] | None:
    """("act" | "scene", end of the heading) if the block opens an act or a scene."""
    if not DIVISION_WORD.search(text, block.start, min(block.end, block.start + MAX_LABEL_CHARS)):
        return None         # most blocks: no ACT or SCENE near their start
    raw = text[block.start:block.end]
    plain = plain_form(raw).strip("_ ")
    lead = len(raw) - len(raw.lstrip())
    m = DIVISION_HEADING.fullmatch(plain)
    if m and plain.upper() == plain:
        return _division_type(m.group("word")), block.end
    m = NUMBERED_DIVISION.match(raw, lead)
    if m is None:
        return None
    # "SCENE II. _Newgate._": the heading, then a stage direction; "SCENE III. The Same." is one heading
    rest = block.start + m.end() - lead
    while rest < block.end and text[rest] in " \t\n":
        rest += 1
    stage = rest < block.end and _is_stage(text, Block(rest, block.end, "text"))
    return _division_type(m.group("word")), block.start + m.end() - lead if stage else block.end


def _heading_follows(blocks: list[Block], index: int, play: Play) -> bool:
    """A heading, or the cast list, follows block ``index``: it heads a part of the book
    (the next play of a volume), not a song in an act."""
    for i in range(index + 1, len(blocks)):
        if blocks[i].role != "pages":
            return blocks[i].role in ("head", "subhead") or i in play.cast_heads
    return False


def _division_type(word: str) -> str:
    return "act" if word.upper() in ACT_WORDS else "scene"


def _is_stage(text: str, block: Block) -> bool:
    """The whole block is a stage direction: bracketed, parenthesised or italic, or "Enter ..."."""
    plain = text[block.start:block.end].strip()
    if plain[:1] in ("[", "{"):     # perhaps a page marker first
        plain = PAGE_MARKER.sub("", plain).strip()
    if not plain:
        return False
    if plain[0] in "[(":
        # "[_Laughing._] Yes." is speech; "[_He goes out._]" and "[_He rises ..." (unclosed) are not
        close = _closing(plain, plain[0], "])"["[(".index(plain[0])])
        return NOTE_MARKER.match(plain) is None and (close < 0 or not plain[close + 1:].strip(". _"))
    if plain[0] == "_":
        return plain.rstrip(".]").endswith("_")
    return STAGE_OPENING.match(plain) is not None


def _closing(s: str, opening: str, closing: str) -> int:
    """Index of the bracket closing the one at ``s[0]``; -1 if it is never closed."""
    depth = 0
    for m in re.finditer(f"[{re.escape(opening + closing)}]", s):
        depth += 1 if m.group() == opening else -1
        if depth == 0:
            return m.start()
    return -1


PROSE_ROLES = ("p", "quote", "verse", "subhead", "head")


def read_play(text: str, blocks: list[Block]) -> Play | None:
    """The play ``blocks`` make, with drama roles set on them; None (and nothing changed) if no play."""
    labels = {}
    cast_names: set[str] = set()
    cast_heads = []
    for index, block in enumerate(blocks):
        if block.kind != "text" or block.region != "body" or block.role not in PROSE_ROLES:
            continue
        if block.end - block.start <= MAX_CAST_LINE and CAST_CUE.search(text, block.start, block.end) and \
                _cast_heading(plain_form(text[block.start:block.end])):
            cast_heads.append(index)
            continue
        label = _label(text, block)
        if label is not None:
            label.block = index
            labels[index] = label
    cast: list[int] = []
    headings = []
    for heading in cast_heads:
        items = _cast_blocks(text, blocks, heading)
        if items:
            headings.append(heading)
            cast += items
            for index in items:
                labels.pop(index, None)
                for a, b in line_spans(text, blocks[index].start, blocks[index].end):
                    role = _cast_role(text, a, b)
                    if role:
                        cast_names.add(normal_name(text[role[0]:role[1]]))
    counts = Counter(normal_name(label.name) for label in labels.values())

    def known(label: Speech) -> bool:
        names = [normal_name(n) for n in label_names(label.name)]
        return counts[normal_name(label.name)] >= MIN_NAME_SPEECHES or \
            (bool(names) and all(n in cast_names or counts[n] >= MIN_NAME_SPEECHES for n in names))

    speeches = {i: label for i, label in labels.items() if known(label) and _has_speech(blocks, label)}
    layouts = Counter(label.layout for label in speeches.values())
    usual = {layout for layout, n in layouts.items() if n >= LAYOUT_SHARE * len(speeches)}
    # a name heading speeches in a usual layout is a speaker's in any layout; a name ending
    # with a full stop on its own line, in a usual layout, is one even if it speaks once ("ALL.")
    speakers = {normal_name(label.name) for label in speeches.values() if label.layout in usual}
    speeches = {i: label for i, label in labels.items()
                if (i in speeches and (label.layout in usual or normal_name(label.name) in speakers)) or
                (label.layout in usual and label.ended and _has_speech(blocks, label))}
    prose = sum(1 for b in blocks if b.region == "body" and b.role in PROSE_ROLES)
    if not is_play(len(speeches), prose):
        return None
    play = Play(speeches=speeches, cast=cast, cast_heads=headings)
    for index, label in speeches.items():
        # verse, or one indented line (as a single line of verse is written back)
        label.verse = blocks[index].role == "verse" or \
            (blocks[index].role == "quote" and "\n" not in text[blocks[index].start:blocks[index].end])
        blocks[index].role = "speech"
        for name in label_names(label.name) or [label.name]:
            play.persons.setdefault(person_id(name), name)
    for index, label in speeches.items():
        if label.verse:
            label.turns = line_labels(text, blocks[index], set(play.persons))
    _mark_divisions(text, blocks, play)
    return play


def _has_speech(blocks: list[Block], label: Speech) -> bool:
    """A name on its own line is a speaker's only if a speech follows it (not a title's line)."""
    if label.inline or label.stage is not None:
        return True
    for i in range(label.block + 1, len(blocks)):
        block = blocks[i]
        if block.role != "pages":
            return block.kind == "text" and block.role in ("p", "quote", "verse") and \
                block.region == "body"
    return False


def is_play(speeches: int, prose_blocks: int) -> bool:
    """Speeches make a play when there are enough of them and they are a fair share of the blocks."""
    return speeches >= MIN_SPEECHES and speeches >= PLAY_SHARE * max(prose_blocks, 1)


def _mark_divisions(text: str, blocks: list[Block], play: Play) -> None:
    """Act and scene headings, stage directions (in divisions that hold speeches), the cast list."""
    for index in play.cast_heads:
        # a heading set off as one opens its division; the cast list follows its head
        blocks[index].role = "head" if blocks[index].role == "head" else "cast head"
    for index in play.cast:
        blocks[index].role = "cast"
    previous_type = None
    in_act = False
    for index, block in enumerate(blocks):
        if block.region != "body" or block.kind != "text":
            in_act = in_act and block.region == "body"
            continue
        if block.role in PROSE_ROLES:
            division = _division(text, block)
            if block.role == "head" and not division and in_act and index not in play.cast_heads and \
                    not PLAY_PART.match(plain_form(text[block.start:block.end])) and \
                    not CLOSING.match(plain_form(text[block.start:block.end])) and \
                    not _heading_follows(blocks, index, play):
                block.role = "p"    # "AIR XXXI.", "END OF THE FIRST ACT." go on the act
            if division:
                in_act = True
                # "ERSTER AKT." then "ACT I.": the translation of the heading
                same = previous_type == division[0] and division[1] == block.end
                block.role = "subhead" if same else "head"
                if not same:
                    play.divisions[index] = division
                previous_type = division[0]
                continue
        previous_type = None
    # stage directions in the divisions that hold speeches
    start = 0
    for index in [*(i for i, b in enumerate(blocks) if b.role == "head"), len(blocks)]:
        part = range(start, index)
        if any(blocks[i].role == "speech" for i in part):
            for i in part:
                b = blocks[i]
                if b.kind == "text" and b.role in ("p", "quote", "verse", "subhead") and _is_stage(text, b):
                    b.role = "stage"
        start = index


def inline_stages(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stage directions inside the speech text ``text[start:end]``."""
    found = []
    for m in INLINE_STAGE.finditer(text, start, end):
        if PAGE_MARKER.fullmatch(m.group()) or NOTE_MARKER.fullmatch(m.group()):
            continue
        found.append((m.start(), m.end()))
    return found


def leading_stage(text: str, start: int, end: int) -> tuple[int, int] | None:
    """"(groaning)." opening the text after a speaker's name."""
    m = LEADING_PARENTHESIS.match(text, start, end)
    return (m.start(), m.end()) if m else None


CAST_SEPARATOR = re.compile(r"\s*(?:[,(:{}]|\s{2,}|\s_)")


def _cast_role(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the character's name in a line of the cast list ("KARI (pronounced ...)")."""
    a = start
    while a < end and text[a] in " \t{}_":
        a += 1
    m = CAST_SEPARATOR.search(text, a, end)
    b = m.start() if m else end
    while b > a and text[b - 1] in " .\t_":
        b -= 1
    return (a, b) if b > a and any(c.isalpha() for c in text[a:b]) else None


def cast_parts(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(role, description) spans of a line of the cast list; either may be missing."""
    role = _cast_role(text, start, end)
    if role is None:
        return None, None
    a = role[1]
    while a < end and (text[a] in " \t.,:({}_" or text[a] == ")"):
        a += 1
    b = end
    while b > a and text[b - 1] in " \t{})_":
        b -= 1
    desc = (a, b) if b > a and any(c.isalpha() for c in text[a:b]) else None
    return role, desc
