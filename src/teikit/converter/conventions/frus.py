"""The FRUS profile: *Foreign Relations of the United States* as shown on history.state.gov.

Everything specific to FRUS lives here: headings ("74. Title", or "No. 109"
above the title in 1950s volumes), the source lines under the heading ("No.
78.", "690B.9321/10–153: Telegram"), footnotes as an indented ``  N. text``
block at the end with bare-number markers, ``[Page N]`` page markers, the
Office of the Historian's ids (``d59``, ``d59fn2``, ``pg_283``), references
("Document 60", "footnote 2, Document 58", other volumes) and the source note
with its archive and classification.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from .. import lexer
from ..builder import BodyBuilder, sub
from ..convention import Convention, Heading, IdScheme, NoteBlock, RefMatch
from ..header import HeadingInfo, SourceInfo, read_heading, read_source_note
from ..inline import occurrences
from ..structure import Node, Opener, read_structure

# the note-id integrity rule: a footnote of document d59 is d59fn<N>
NOTE_ID = re.compile(r"(?P<doc>d\d+[A-Za-z]?)fn(?P<n>\w+)")
NOTE_ID_PREFIX = "fn"

PAGE_MARKER = re.compile(r"\[Page (?P<n>[^\]\s]+)\]")
# "74. Memorandum ..." (also the website's "10. Mr. Koerner to Mr. Seward.")
NUMBERED_HEADING = re.compile(r"(\d+[A-Za-z]?)\.\s+(?=\S)")
# "No. 109" or "No. 64." on its own line above the title (1950s volumes)
NUMBER_LINE = re.compile(r"No\.? ?(\d+[A-Za-z]?)\.?[ \t]*$")
# a short line that is a heading rather than a first paragraph
UNNUMBERED_HEADING_MAX = 200
# blocks under the heading that describe the source, kept as <note rend="inline" type="source">
SOURCE_LINE = re.compile(
    r"No\.? ?\d+[½¼¾]?[A-Za-z]?\.?\]?"                  # despatch number: "No. 78.", "No. 73.]"
    # "[Extract.]", "[Translation.]", "[Telegram.]", "[l. s.]"; not "[Telegram]" without the
    # period, a paragraph of its own in the 1910s volumes
    r"|\[(?!Telegram\])[A-Za-z][^\]\d\n]{0,28}\]"
    r"|[A-Z]\.?"                                        # enclosure letter: "B."
    # "690B.9321/10–153: Telegram"; the 1910s volumes write "File No. 300.115/1032", the
    # Paris Peace Conference volumes "Paris Peace Conf. 700.65/1: Telegram"
    r"|(?:File No\. |Paris Peace Conf\. )?\d{3}[\w.]*(?: [\w.]+){0,3}/[\w.–-]+(?:: [A-Z][\w ,]{0,40})?"
    r"|[A-Z][\w ]{0,40} (?:files|Files), [Ll]ot \d+ ?D ?\d+(?:, [\w ]{1,20})?"  # "PPS files, lot 64 D 563"
    # the collection a conference volume prints from: "J.C.S. Files", "Hopkins Papers"
    r"|(?:[A-Z][\w.’'-]* ){1,3}(?:Files|Papers)"
)
# classification and precedence lines under the heading (small capitals on the website)
OPENER_LINE = re.compile(
    r"(?:(?:top secret|secret|confidential|restricted|unclassified|priority|urgent|niact|us|"
    r"eyes only|personal|immediate|operational immediate|flash|routine|nodis|exdis|limdis|"
    r"official use only|limited official use|official-informal|and)[ \t]*)+"
    # a committee paper's number under the classification (conference volumes): "C.C.S. 417/9",
    # "Enclosure to C.C.S. 680"
    r"|(?:Enclosure to )?(?:[A-Z]\.){2,5} \d+(?:/\d+)?")
# a line that starts an enclosure in older volumes: "[Enclosure No. 2.]", "[Inclosure.]",
# "[Enclosed in above.]" (modern volumes write "[Enclosure]" and keep the document flat)
ENCLOSURE = re.compile(r"\[(?:Enclosure|Inclosure|Enclosed)\b[^\]\n]{0,60}\.\s*\]")
# the line that opens an attached paper in volumes from the 1940s on: "[Enclosure]", "Enclosure",
# "[Attachment]", "Enclosure 2", "Tab A"; the paper's title follows on a line of its own
ATTACHMENT_LABEL = re.compile(r"\[?(?:(?:Enclosure|Attachment)(?: \d{1,2}| [A-Z])?|Tab [A-Z0-9])\]?")
ATTACHMENT_CUE = re.compile(r"\n\[?(?:Enclosure|Attachment|Tab [A-Z0-9])\b")
ATTACHMENT_TITLE_MAX = 200      # as long as a document heading gets
TRAILING_NOTE_MARKER = re.compile(r"(?<=[^\d\s])\d{1,3}$")     # "… Department of State3"
DETECT_WEIGHTS = (
    (re.compile(r"\[Page [^\]\s]+\]"), 0.5),
    (re.compile(r"\n\n  1\. \S"), 0.3),
    (re.compile(r"\A(?:\d+[A-Za-z]?\. |No\.? ?\d+\.?\n)"), 0.4),
)


def detect(text: str) -> float:
    """Page markers, an indented note block and a numbered heading each add confidence."""
    return min(1.0, sum(weight for pattern, weight in DETECT_WEIGHTS if pattern.search(text)))


def find_notes(text: str) -> NoteBlock | None:
    start = lexer.find_note_block(text)
    if start is None:
        return None
    return NoteBlock(start, lexer.parse_note_block(text, start))


def heading(text: str, blocks: list[lexer.Block]) -> Heading | None:
    if not blocks:
        return None
    first = blocks[0].lines
    line = first[0]
    s = text[line.start:line.end]
    m = NUMBERED_HEADING.match(s)
    if m:
        return Heading([line], m.group(1), line.end)
    m = NUMBER_LINE.match(s)
    if m and len(first) in (2, 3):
        return Heading(first, m.group(1), first[-1].end)
    if m and len(first) == 1 and len(blocks) > 1 and len(blocks[1].lines) == 1:
        return Heading([line, blocks[1].lines[0]], m.group(1), blocks[1].end)
    if len(first) == 1 and len(s) <= UNNUMBERED_HEADING_MAX and not s.rstrip().endswith("."):
        return Heading([line], None, line.end)
    return None


def heading_text(number: str | None, head: str) -> str:
    """The website titles a document "N. heading" unless the heading shows its number."""
    if number and not _shows_number(head, number):
        return f"{number}. {head}"
    return head


_NUMBER_PREFIX = re.compile(r"No\.\s*")


def _shows_number(head: str, number: str) -> bool:
    """Whether ``head`` starts with ``number`` or ``No. number``, no digit after it (no pattern
    made per number: a volume has hundreds, more than the regex cache holds)."""
    prefix = _NUMBER_PREFIX.match(head)
    for start in (prefix.end(), 0) if prefix else (0,):
        end = start + len(number)
        if head.startswith(number, start) and not head[end:end + 1].isdecimal():
            return True
    return False


def note_type(first_text: str, index: int, in_heading: bool) -> str | None:
    if first_text.startswith("Source:") or (index == 0 and in_heading):
        return "source"
    return "summary" if in_heading else None


def metadata(heading: str | None, source_note: str | None
             ) -> tuple[HeadingInfo | None, SourceInfo | None]:
    if heading is not None:
        m = NUMBER_LINE.match(heading.split("\n", 1)[0])
        if m and "\n" in heading:
            heading = heading.split("\n", 1)[1]
        heading = " ".join(heading.split())
    return (read_heading(heading) if heading is not None else None,
            read_source_note(" ".join(source_note.split())) if source_note is not None else None)


# ------------------------------------------------------------------ structure
@dataclass
class Part:
    """The letter or one enclosure of a document with enclosures: ``<div type="…">``.

    Each part has its own signature; since TEI allows nothing but closing matter
    after a ``<closer>``, the letter is a part too when enclosures follow it."""

    kind: str                   # "main" | "enclosure"
    nodes: list[Node]

    def build(self, builder: BodyBuilder, parent: etree._Element) -> None:
        div = sub(parent, "div", type=self.kind)
        for node in self.nodes:
            builder.node(div, node)


@dataclass
class AttachmentHead:
    """The title of an attached paper (``Memorandum Prepared in the Department of State``)."""

    line: lexer.Span

    def build(self, builder: BodyBuilder, parent: etree._Element) -> None:
        builder.writer.fill(sub(parent, "head"), [self.line])


def structure(text: str, blocks: list[lexer.Block]) -> list[Node]:
    """The generic structure, split into parts where enclosures or attachments begin."""
    if ENCLOSURE.search(text) is None and ATTACHMENT_CUE.search(text) is None:
        return read_structure(text, blocks)     # one scan each: most documents have neither
    starts = [i for i, block in enumerate(blocks) if len(block.lines) == 1
              and (ENCLOSURE.fullmatch(text[block.start:block.end].strip())
                   or _opens_attachment(text, blocks, i))]
    if not starts:
        return read_structure(text, blocks)
    parts: list[Node] = [Part("main", read_structure(text, blocks[:starts[0]]))] if starts[0] else []
    for start, end in zip(starts, [*starts[1:], len(blocks)]):
        if _opens_attachment(text, blocks, start):
            label, title = (_stripped_line(text, blocks[k]) for k in (start, start + 1))
            nodes: list[Node] = [Opener([label]), AttachmentHead(title)]
            body = start + 2
            while body < end and all(OPENER_LINE.fullmatch(text[ln.start:ln.end].strip())
                                     for ln in blocks[body].lines):
                nodes.append(Opener([_stripped_line(text, lexer.Block([ln]))
                                     for ln in blocks[body].lines]))      # "top secret"
                body += 1
            parts.append(Part("attachment", nodes + read_structure(text, blocks[body:end])))
        else:
            parts.append(Part("enclosure", read_structure(text, blocks[start:end])))
    return parts


def _opens_attachment(text: str, blocks: list[lexer.Block], i: int) -> bool:
    """An attachment label line ("[Enclosure]", "Tab A") followed by the attached paper's title:
    one line, not in capitals (a centred title of the document's own text), no final period."""
    if i + 1 >= len(blocks) or len(blocks[i].lines) != 1 or len(blocks[i + 1].lines) != 1:
        return False
    if not ATTACHMENT_LABEL.fullmatch(text[blocks[i].start:blocks[i].end].strip()):
        return False
    title = TRAILING_NOTE_MARKER.sub("", text[blocks[i + 1].start:blocks[i + 1].end].strip())
    return (0 < len(title) <= ATTACHMENT_TITLE_MAX and title[0].isupper() and not title.isupper()
            and not title.endswith((".", ":", ";", ",")) and PAGE_MARKER.fullmatch(title) is None)


def _stripped_line(text: str, block: lexer.Block) -> lexer.Span:
    line = block.lines[0]
    s = text[line.start:line.end]
    return lexer.Span(line.start + len(s) - len(s.lstrip()), line.end - len(s) + len(s.rstrip()))


# ------------------------------------------------------------------ ids
def document_id(number: str | None, stem: str) -> str:
    return f"d{number}" if number else stem


def page_id(doc_id: str, n: str, restart: bool) -> str:
    """``pg_283`` for volume pages, ``d77-01`` when a document's pages restart at 1."""
    if restart:
        return f"{doc_id}-{int(n):02d}" if n.isdigit() else f"{doc_id}-{n}"
    return f"pg_{n}"


SYMBOL_NAMES = {"*": "star", "†": "dagger", "‡": "ddagger", "§": "sect", "¶": "para"}


def note_id(doc_id: str, label: str) -> str:
    """``d59fn2``; a symbol label is spelled out: ``*`` -> ``d59fnstar``, ``**`` -> ``d59fnstar2``."""
    if label and all(ch in SYMBOL_NAMES for ch in label):
        label = SYMBOL_NAMES[label[0]] + (str(len(label)) if len(label) > 1 else "")
    return f"{doc_id}{NOTE_ID_PREFIX}{label}"


IDS = IdScheme(document=document_id, note=note_id, page=page_id)


# ------------------------------------------------------------------ references
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# every kind of reference; alternatives are tried in this order at each position
REFERENCE = re.compile(
    r"(?P<volume>Foreign Relations, (?P<first>\d{4})[–-](?P<last>\d{2,4}), vol\. (?P<vol>[IVXLC]+)"
    r"(?:, Part (?P<part>\d+))?)"
    r"|\bfootnotes? (?P<fn_doc_n>\d+), Document (?P<fn_doc>\d+)\b"
    r"|\bfootnote (?P<fn_prev>\d+), supra\b"              # a note of the document before
    r"|\bfootnote (?P<fn_here>\d+)(?= above| below| supra| infra)"
    r"|(?P<supra>\bSupra\b)"                              # "Supra.": the document before
    # a page of this volume, cited after a note: "see bracketed note, p. 486", "footnote 1, p. 107",
    # or as earlier or later in it (volumes before the 1950s): "see ante, p. 355", "post, p. 469"
    r"|(?:(?<=note, )|(?<=footnote \d, )|(?<=footnote \d\d, )|(?<=\b[Aa]nte, )|(?<=\b[Pp]ost, ))"
    r"p\. (?P<page>\d+)\b"
    r"|\bDocuments (?P<docs_first>\d+)(?P<docs_more>(?:, \d+)*)(?:,? and (?P<docs_last>\d+))?\b"
    r"|\bDocument (?P<doc>\d+)\b")
# a reference needs one of these words: substring tests first (many times faster than a
# regular expression that cannot start from one literal)
REF_CUES = ("Document", "footnote", "Foreign Relations", "Supra", "note, p. ", "nte, p. ", "ost, p. ")
# how every REFERENCE match begins: it is tried only where one of these stands (a search would
# try each alternative at every character, 10x slower)
REF_STARTS = ("Foreign Relations", "footnote", "Supra", "p. ", "Document")
VOLUME_MENTION = re.compile(r"\bvol\. [IVXLC]+\b")
SENTENCE_END = re.compile(r"[.;!?]\s+(?=[A-Z“\"(])")
ABBREVIATION = re.compile(r"\b(?:vol|pp|p|no|nos|Mr|Mrs|Dr|St|ibid|Ibid)$")
NUMBER = re.compile(r"\d+")


def roman_to_int(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        value = ROMAN[ch]
        total += -value if i + 1 < len(s) and ROMAN[s[i + 1]] > value else value
    return total


def find_refs(text: str, doc_id: str | None) -> list[RefMatch]:
    """Non-overlapping references in ``text``, in order."""
    if not any(map(text.__contains__, REF_CUES)):
        return []
    found: list[RefMatch] = []
    for m in _references(text):
        if m.group("volume"):
            last = m.group("last")[-2:]
            target = f"frus{m.group('first')}-{last}v{roman_to_int(m.group('vol'))}"
            found.append(RefMatch(m.start(), m.end(),
                                  target + (f"p{m.group('part')}" if m.group("part") else "")))
        elif m.group("fn_here"):
            if doc_id:
                found.append(RefMatch(m.start(), m.end(), f"#{doc_id}fn{m.group('fn_here')}"))
        elif m.group("fn_prev") or m.group("supra"):
            previous = _previous_document(doc_id)
            if previous:
                note = f"fn{m.group('fn_prev')}" if m.group("fn_prev") else ""
                found.append(RefMatch(m.start(), m.end(), f"#{previous}{note}"))
        elif _cites_other_volume(text, m.start()):
            continue
        elif m.group("page"):
            found.append(RefMatch(m.start(), m.end(), f"#pg_{m.group('page')}"))
        elif m.group("fn_doc"):
            found.append(RefMatch(m.start(), m.end(), f"#d{m.group('fn_doc')}fn{m.group('fn_doc_n')}"))
        elif m.group("docs_first"):
            found.append(RefMatch(m.start(), m.end("docs_first"), f"#d{m.group('docs_first')}"))
            pos = m.start("docs_more")
            for extra in NUMBER.finditer(m.group("docs_more")):
                found.append(RefMatch(pos + extra.start(), pos + extra.end(), f"#d{extra.group()}"))
            if m.group("docs_last"):
                found.append(RefMatch(m.start("docs_last"), m.end("docs_last"),
                                      f"#d{m.group('docs_last')}"))
        else:
            found.append(RefMatch(m.start(), m.end(), f"#d{m.group('doc')}"))
    return found


def _references(text: str) -> Iterator[re.Match[str]]:
    """``REFERENCE.finditer(text)``, trying a match only where a REF_STARTS word begins."""
    end = 0
    for pos, _ in occurrences(text, REF_STARTS):
        if pos >= end and (m := REFERENCE.match(text, pos)):
            yield m
            end = m.end()


def _previous_document(doc_id: str | None) -> str | None:
    """``d110`` for ``d111`` ("supra" points at the document before)."""
    m = re.fullmatch(r"d(\d+)", doc_id or "")
    return f"d{int(m.group(1)) - 1}" if m and int(m.group(1)) > 1 else None


def _cites_other_volume(text: str, pos: int) -> bool:
    """True when a "vol. IV" citation precedes ``pos`` in the same sentence:
    "… vol. IV, pp. 1091–1093 (Document 20)" names a document of that volume."""
    if "vol. " not in text[:pos]:
        return False
    sentence_start = max((m.end() for m in SENTENCE_END.finditer(text, 0, pos)
                          if not ABBREVIATION.search(text, 0, m.start())), default=0)
    return VOLUME_MENTION.search(text, sentence_start, pos) is not None


CONVENTION = Convention(
    name="frus",
    summary="FRUS as on history.state.gov: 'N. heading', [Page N], bare-number notes, '  N. note' block",
    detect=detect,
    page_marker=PAGE_MARKER,
    page_text=lambda n: f"[Page {n}]",
    find_notes=find_notes,
    note_line=lambda n, paragraphs: f"  {n}. {' '.join(paragraphs)}",
    heading=heading,
    heading_text=heading_text,
    heading_warning='no numbered heading ("NN. Title") on the first line; the document has no number',
    ids=IDS,
    find_refs=find_refs,
    ref_cues=REF_CUES,
    source_line=SOURCE_LINE,
    opener_line=OPENER_LINE,
    note_type=note_type,
    repeated_notes=True,
    metadata=metadata,
    structure=structure,
)
