"""Integrity rules that schemas cannot (or cannot cheaply) express.

* ``unique-id``: every xml:id is a valid NCName and occurs once in its file;
* ``ref-target``: every ``#id`` (or ``file.xml#id``) in ``ref/@target`` and ``ptr/@target``
  resolves in the file, or in another file of the corpus being validated;
* ``note-sequence``: footnotes are numbered 1, 2, 3, … in each document;
* ``note-id``: a footnote's xml:id starts with its document's xml:id + "fn" (d74fn2);
* ``pb-order``: page numbers increase in each document (a gap is a warning).

A "document" is a ``div type="document"`` (FRUS), or the whole file if it has none.
All rules are linear: one pass over the tree and dictionaries of ids, no per-reference
XPath.  Reference targets that are not in the file are returned as *pending* so the
runner can resolve them against the ids of every file once all files are read.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Literal

from lxml import etree

from ..xmlio import XML_ID, tei
from .diagnostics import Diagnostic, Severity, element_path

RefPolicy = Literal["error", "warning", "off"]

# NCName, XML 1.0 5th edition name characters (without ':')
_NAME_START = (
    "A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")
_NUMBER = re.compile(r"(\d+)([a-z]?)")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

DOC_DIV = tei("div")
NOTE, PB, REF, PTR = tei("note"), tei("pb"), tei("ref"), tei("ptr")


@dataclass(frozen=True)
class PendingRef:
    """A reference whose target is not in its own file: resolved later against the corpus."""

    file: str
    target: str          # the token as written
    ident: str           # the id it points to
    target_file: str | None  # absolute path for "other.xml#id", None for "#id"
    line: int | None
    path: str | None


def collect_ids(tree: etree._ElementTree) -> set[str]:
    return {value for value in (e.get(XML_ID) for e in tree.iter(etree.Element)) if value is not None}


def check_ids(tree: etree._ElementTree, file: str) -> tuple[set[str], list[Diagnostic]]:
    """All xml:ids of the file, and a diagnostic for each malformed or repeated one."""
    first: dict[str, etree._Element] = {}
    out = []
    for elem in tree.iter(etree.Element):
        value = elem.get(XML_ID)
        if value is None:
            continue
        if not NCNAME.fullmatch(value):
            out.append(Diagnostic(file, elem.sourceline, None, "error", "unique-id",
                                  f"xml:id {value!r} is not a valid XML name (NCName)", element_path(elem)))
        if value in first:
            out.append(Diagnostic(file, elem.sourceline, None, "error", "unique-id",
                                  f"duplicate xml:id {value!r} (first used on line {first[value].sourceline})",
                                  element_path(elem)))
        else:
            first[value] = elem
    return set(first), out


def check_refs(tree: etree._ElementTree, file: str, ids: set[str]) -> tuple[list[PendingRef], list[Diagnostic]]:
    """Targets of ref/ptr: resolved in the file, or pending (``#id`` not here, ``x.xml#id``)."""
    pending, out = [], []
    base = os.path.dirname(os.path.abspath(file))
    own_docs = [d.get(XML_ID) for d in _documents(tree) if d.get(XML_ID)]
    for elem in tree.getroot().iter(REF, PTR):
        for token in (elem.get("target") or "").split():
            if token == "#":
                out.append(Diagnostic(file, elem.sourceline, None, "error", "ref-target",
                                      "empty target '#'", element_path(elem)))
                continue
            doc, sep, ident = token.partition("#")
            if not sep or not ident or "(" in ident:
                continue  # no fragment (another volume, a URL) or an XPointer scheme
            if doc == "":
                if ident in ids:
                    continue
                inside = next((d for d in own_docs if _points_inside(ident, d)), None)
                if inside is not None:
                    # "#d59fn7" in document d59: no other file can hold it, whatever the policy
                    out.append(Diagnostic(file, elem.sourceline, None, "error", "ref-target",
                                          f"target {token!r} points into document {inside!r}, "
                                          f"which has no xml:id {ident!r}", element_path(elem)))
                else:
                    pending.append(PendingRef(file, token, ident, None, elem.sourceline, element_path(elem)))
            elif not _URI_SCHEME.match(doc):
                target_file = os.path.normpath(os.path.join(base, doc))
                pending.append(PendingRef(file, token, ident, target_file, elem.sourceline, element_path(elem)))
    return pending, out


def _points_inside(ident: str, doc_id: str) -> bool:
    """``d59fn7`` and ``d59-01`` are inside document ``d59``; ``d590`` is not."""
    return ident.startswith(doc_id) and len(ident) > len(doc_id) and not ident[len(doc_id)].isdigit()


def _documents(tree: etree._ElementTree) -> list[etree._Element]:
    root = tree.getroot()
    docs = [d for d in root.iter(DOC_DIV) if d.get("type") == "document"]
    return docs or [root]


def check_note_sequence(tree: etree._ElementTree, file: str) -> list[Diagnostic]:
    """Footnote numbers run 1, 2, 3, … per document (3a may follow 3; '*' marks are skipped)."""
    out = []
    for doc in _documents(tree):
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


def check_note_ids(tree: etree._ElementTree, file: str) -> list[Diagnostic]:
    """In a div type="document" with an xml:id, every footnote id starts with that id + "fn"."""
    out = []
    for doc in _documents(tree):
        prefix = f"{doc.get(XML_ID)}fn" if doc.tag == DOC_DIV and doc.get(XML_ID) else None
        if prefix is None:
            continue
        for note in doc.iter(NOTE):
            ident = note.get(XML_ID)
            if ident is not None and not ident.startswith(prefix):
                out.append(Diagnostic(file, note.sourceline, None, "error", "note-id",
                                      f"footnote xml:id {ident!r} does not start with {prefix!r} "
                                      f"(the document's xml:id + 'fn')", element_path(note)))
    return out


def check_pb_order(tree: etree._ElementTree, file: str) -> list[Diagnostic]:
    """Arabic page numbers increase per document; a skipped page is a warning."""
    out = []
    for doc in _documents(tree):
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


def check_file(tree: etree._ElementTree, file: str) -> tuple[set[str], list[PendingRef], list[Diagnostic]]:
    """Run every per-file rule: ids, references within the file, notes, pages."""
    ids, out = check_ids(tree, file)
    pending, ref_diags = check_refs(tree, file, ids)
    out += ref_diags
    out += check_note_sequence(tree, file)
    out += check_note_ids(tree, file)
    out += check_pb_order(tree, file)
    return ids, pending, out


def resolve_pending(pending: Iterable[PendingRef], ids_by_file: dict[str, set[str]],
                    policy: RefPolicy = "error") -> list[Diagnostic]:
    """Diagnostics for pending references that no file of the corpus resolves."""
    if policy == "off":
        return []
    everywhere: set[str] = set().union(*ids_by_file.values()) if ids_by_file else set()
    by_abspath = {os.path.normpath(os.path.abspath(f)): ids for f, ids in ids_by_file.items()}
    out = []
    for ref in pending:
        if ref.target_file is None:
            if ref.ident in everywhere:
                continue
            message = f"target {ref.target!r} does not resolve: no xml:id {ref.ident!r} in this file"
            message += " or the other files checked" if len(ids_by_file) > 1 else ""
        else:
            target_ids = by_abspath.get(ref.target_file)
            if target_ids is None:
                if os.path.exists(ref.target_file):
                    continue  # a file outside the corpus passed: not checked
                message = f"target {ref.target!r} does not resolve: no file {ref.target_file}"
            elif ref.ident in target_ids:
                continue
            else:
                message = f"target {ref.target!r} does not resolve: no xml:id {ref.ident!r} in that file"
        out.append(Diagnostic(ref.file, ref.line, None, policy, "ref-target", message, ref.path))
    return out
