"""The FRUS profile: the Office of the Historian's conventions, in one place.

*Foreign Relations of the United States* volumes (and ``teikit convert``'s output,
which follows them) number documents ``<div type="document" n="59" xml:id="d59">``,
footnotes ``d59fn2`` and page breaks ``pg_283`` (or ``d59-02`` when pages restart in
each document).  None of that is TEI: other projects get these rules only when they
ask for them (``--profile frus``), or, under ``--profile auto`` (the default when no
schema is named), for the files :func:`is_frus` recognises.

The profile is the bundled teikit schema (``schema/teikit.xsd``, whose ``xs:assert``s
state the id conventions element by element) plus the rules over whole documents below.
Footnote ids are the converter's FRUS profile's (:mod:`teikit.converter.conventions.frus`:
``note_id``), so what ``teikit convert`` writes is what this profile accepts.
"""
from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from ..ns import FRUS_NS
from ..xmlio import XML_ID, tei
from .diagnostics import Diagnostic, Severity, element_path

#: a FRUS document id: "d" + its number, with an optional letter for inserted documents
DOCUMENT_ID = re.compile(r"d[0-9]+[a-z]?")
_NUMBER = re.compile(r"(\d+)([a-z]?)")

DOC_DIV = tei("div")
NOTE, PB, IDNO = tei("note"), tei("pb"), tei("idno")
#: where teikit convert records its input convention
RECORDED_AT = f"{tei('teiHeader')}/{tei('encodingDesc')}/{tei('p')}"

#: how many elements :func:`is_frus` looks at for a numbered document before deciding "no"
#: (FRUS files start with their document div or a short header; a novel is not read whole)
DETECTION_LIMIT = 2000


def is_frus(tree: etree._ElementTree) -> bool:
    """A file is FRUS when it declares the FRUS namespace on its root, names its volume in
    ``<idno type="frus">``, or holds a ``<div type="document">`` whose xml:id is ``d`` + a number
    (the Office of the Historian's per-document files and teikit's output).  A file that
    ``teikit convert`` wrote says in its header which convention it follows: only "frus" is."""
    root = tree.getroot()
    if FRUS_NS in root.nsmap.values():
        return True
    for p in root.iterfind(RECORDED_AT):  # teikit's own output says which convention it follows
        from ..converter.plaintext import RECORDED  # (the converter is imported only when needed)

        recorded = RECORDED.match(p.text or "")
        if recorded:
            return recorded.group(1) == "frus"
    for count, elem in enumerate(root.iter(DOC_DIV, IDNO)):
        if count >= DETECTION_LIMIT:
            break
        if elem.tag == IDNO:
            if elem.get("type") == "frus":
                return True
        elif elem.get("type") == "document" and DOCUMENT_ID.fullmatch(elem.get(XML_ID) or ""):
            return True
    return False


def documents(tree: etree._ElementTree) -> list[etree._Element]:
    """The ``div type="document"`` elements, or the whole file if it has none."""
    root = tree.getroot()
    docs = [d for d in root.iter(DOC_DIV) if d.get("type") == "document"]
    return docs or [root]


def owner_of(tree: etree._ElementTree, docs: list[etree._Element] | None = None) -> Callable[[str], str | None]:
    """``owner(ident)``: the id of the file's own document an id belongs to, if any.

    ``d59fn7`` and ``d59-01`` belong to document ``d59``; ``d590`` does not.  A pointer to
    such an id can only resolve in this file, so a missing target is an error whatever
    the reference policy.
    """
    own = [d.get(XML_ID) for d in (docs if docs is not None else documents(tree))
           if d.tag == DOC_DIV and d.get(XML_ID)]

    def owner(ident: str) -> str | None:
        return next((d for d in own if ident.startswith(d) and len(ident) > len(d)
                     and not ident[len(d)].isdigit()), None)
    return owner


def check_note_sequence(tree: etree._ElementTree, file: str, docs: list[etree._Element] | None = None
                        ) -> list[Diagnostic]:
    """Footnote numbers run 1, 2, 3, … per document (3a may follow 3; '*' marks are skipped)."""
    out = []
    for doc in (docs if docs is not None else documents(tree)):
        expected, previous = 1, None
        for note in doc.iter(NOTE):
            match = _NUMBER.fullmatch(note.get("n") or "")
            if not match:
                continue
            number, letter = int(match.group(1)), match.group(2)
            if letter and previous is not None and number == expected - 1:
                continue  # 3a after 3
            if number != expected:
                after = f" after n=\"{previous}\"" if previous is not None else " as the first note"
                out.append(Diagnostic(
                    file, note.sourceline, None, "error", "note-sequence",
                    f"note n=\"{note.get('n')}\"{after}: expected n=\"{expected}\"{_in_doc(doc)}",
                    element_path(note)))
            expected, previous = number + 1, note.get("n")
    return out


def check_note_ids(tree: etree._ElementTree, file: str, docs: list[etree._Element] | None = None
                   ) -> list[Diagnostic]:
    """A footnote's xml:id is its document's id + "fn" + its label, as the converter names
    it (``d59fn2``; a symbol spelled out: n="*" is ``d844fnstar``)."""
    from ..converter.conventions.frus import NOTE_ID_PREFIX, note_id

    out = []
    for doc in (docs if docs is not None else documents(tree)):
        doc_id = doc.get(XML_ID) if doc.tag == DOC_DIV else None
        prefix = f"{doc_id}{NOTE_ID_PREFIX}" if doc_id else None
        for note in doc.iter(NOTE):
            ident, label = note.get(XML_ID), note.get("n")
            if ident is None:
                continue
            if prefix is not None and not ident.startswith(prefix):
                message = (f"footnote xml:id {ident!r} does not start with {prefix!r} "
                           f"(the document's xml:id + {NOTE_ID_PREFIX!r})")
            else:
                owner = doc_id or _note_owner(ident)
                expected = note_id(owner, label) if owner and label else ident
                if ident == expected:
                    continue
                message = f"footnote xml:id {ident!r} does not fit n=\"{label}\": expected {expected!r}"
            out.append(Diagnostic(file, note.sourceline, None, "error", "note-id", message, element_path(note)))
    return out


def _note_owner(ident: str) -> str | None:
    """The document id in a footnote id outside a numbered document (``d59`` in ``d59fn2``)."""
    from ..converter.conventions.frus import NOTE_ID

    match = NOTE_ID.fullmatch(ident)
    return match.group("doc") if match else None


def check_pb_order(tree: etree._ElementTree, file: str, docs: list[etree._Element] | None = None
                   ) -> list[Diagnostic]:
    """Arabic page numbers increase per document; a skipped page is a warning."""
    out = []
    for doc in (docs if docs is not None else documents(tree)):
        previous: int | None = None
        for pb in doc.iter(PB):
            match = _NUMBER.fullmatch(pb.get("n") or "")
            if not match:
                continue  # roman numerals, missing @n (the schema reports that)
            number = int(match.group(1))
            if previous is not None:
                severity: Severity | None = None
                if number <= previous:
                    severity, what = "error", "page numbers must increase"
                elif number > previous + 1:
                    severity, what = "warning", f"page {previous + 1} is missing"
                if severity:
                    out.append(Diagnostic(file, pb.sourceline, None, severity, "pb-order",
                                          f"pb n=\"{pb.get('n')}\" after pb n=\"{previous}\": {what}{_in_doc(doc)}",
                                          element_path(pb)))
            previous = number if previous is None else max(previous, number)
    return out


def _in_doc(doc: etree._Element) -> str:
    return f" (document {doc.get('n')})" if doc.tag == DOC_DIV and doc.get("n") else ""


def check_file(tree: etree._ElementTree, file: str, docs: list[etree._Element] | None = None
               ) -> list[Diagnostic]:
    """The FRUS rules over whole documents: footnote numbers and ids, page order."""
    docs = documents(tree) if docs is None else docs
    return check_note_sequence(tree, file, docs) + check_note_ids(tree, file, docs) + check_pb_order(tree, file, docs)
