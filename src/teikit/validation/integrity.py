"""Integrity rules of any TEI that schemas cannot (or cannot cheaply) express.

* ``unique-id``: every xml:id is a valid NCName and occurs once in its file;
* ``ref-target``: every ``#id`` (or ``file.xml#id``) in ``ref/@target``, ``ptr/@target`` and
  ``@who`` (the speakers of a speech or an utterance: ``<sp who="#hamlet">``) resolves in the file, in another file of the corpus being validated, or in an id space
  declared external (:class:`ExternalIds`: known ids, id patterns).

Rules of one edition's conventions live in its profile (:mod:`.frus`).  All rules are
linear: one pass over the tree and dictionaries of ids, no per-reference XPath.
Reference targets that are not in the file are returned as *pending* so the runner can
resolve them against the ids of every file once all files are read.
"""
from __future__ import annotations

import functools
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal

from lxml import etree

from ..errors import InputError
from ..xmlio import XML_ID, safe_parser, tei, tree_xml_ids
from .diagnostics import Diagnostic, element_path

RefPolicy = Literal["error", "warning", "off"]

# NCName, XML 1.0 5th edition name characters (without ':')
_NAME_START = (
    "A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
#: the ASCII NCNames, the ids of nearly every file: a pattern that compiles in microseconds,
#: where the full one costs ~50 ms of every run's start-up (compiled on first use instead)
_ASCII_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

REF, PTR = tei("ref"), tei("ptr")
_WITH_XML_ID = etree.XPath("//*[@xml:id]")


@dataclass(frozen=True)
class PendingRef:
    """A reference whose target is not in its own file: resolved later against the corpus."""

    file: str
    target: str          # the token as written
    ident: str           # the id it points to
    target_file: str | None  # absolute path for "other.xml#id", None for "#id"
    line: int | None
    path: str | None


def is_ncname(value: str) -> bool:
    """True for a valid XML name without a colon (what an xml:id must be)."""
    return _ASCII_NCNAME.fullmatch(value) is not None or _ncname().fullmatch(value) is not None


@functools.cache
def _ncname() -> re.Pattern[str]:
    return re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")


def collect_ids(tree: etree._ElementTree) -> set[str]:
    return {value for value in (e.get(XML_ID) for e in tree.iter(etree.Element)) if value is not None}


def check_ids(tree: etree._ElementTree, file: str) -> tuple[set[str], list[Diagnostic]]:
    """All xml:ids of the file, and a diagnostic for each malformed or repeated one."""
    values = tree_xml_ids(tree)
    ids = set(values)
    if len(ids) == len(values) and all(map(is_ncname, values)):
        return ids, []  # the common case, decided in C: elements are looked at only for problems
    first: dict[str, etree._Element] = {}
    out = []
    for elem in _WITH_XML_ID(tree):  # found by libxml2: most elements carry no id
        value = elem.get(XML_ID)
        if not is_ncname(value):
            out.append(Diagnostic(file, elem.sourceline, None, "error", "unique-id",
                                  f"xml:id {value!r} is not a valid XML name (NCName)", element_path(elem)))
        if value in first:
            out.append(Diagnostic(file, elem.sourceline, None, "error", "unique-id",
                                  f"duplicate xml:id {value!r} (first used on line {first[value].sourceline})",
                                  element_path(elem)))
        else:
            first[value] = elem
    return set(first), out


def check_refs(tree: etree._ElementTree, file: str, ids: set[str],
               owner: Callable[[str], str | None] | None = None
               ) -> tuple[list[PendingRef], list[Diagnostic]]:
    """Targets of ref/ptr: resolved in the file, or pending (``#id`` not here, ``x.xml#id``).

    ``owner(ident)`` (from a profile) names the part of this file an id must be in, if
    any: a missing target there is an error at once, whatever the reference policy.
    """
    pending, out = [], []
    for elem, pointers in _pointers(tree.getroot()):
        for token in pointers.split():
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
                inside = owner(ident) if owner is not None else None
                if inside is not None:
                    # "#d59fn7" in document d59: no other file can hold it, whatever the policy
                    out.append(Diagnostic(file, elem.sourceline, None, "error", "ref-target",
                                          f"target {token!r} points into document {inside!r}, "
                                          f"which has no xml:id {ident!r}", element_path(elem)))
                else:
                    pending.append(PendingRef(file, token, ident, None, elem.sourceline, element_path(elem)))
            elif not _URI_SCHEME.match(doc):
                target_file = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(file)), doc))
                pending.append(PendingRef(file, token, ident, target_file, elem.sourceline, element_path(elem)))
    return pending, out


def _pointers(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(element, attribute value) of every pointer attribute :func:`check_refs` resolves."""
    for elem in root.iter(REF, PTR):
        yield elem, elem.get("target") or ""
    for elem in root.xpath("//*[@who]"):  # found in C: most files have none
        yield elem, elem.get("who") or ""


def check_file(tree: etree._ElementTree, file: str,
               owner: Callable[[str], str | None] | None = None
               ) -> tuple[set[str], list[PendingRef], list[Diagnostic]]:
    """Run the generic per-file rules: unique NCName ids, references within the file."""
    ids, out = check_ids(tree, file)
    pending, ref_diags = check_refs(tree, file, ids, owner)
    return ids, pending, out + ref_diags


@dataclass(frozen=True)
class ExternalIds:
    """Ids that exist outside the files checked: a volume's other documents, say.

    ``ids``: known ids (from ``--known-ids FILE``); ``patterns``: regular expressions an
    id must match whole (``d\\d+``: every document of the volume), a leading ``#`` ignored.
    """

    ids: frozenset[str] = frozenset()
    patterns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:
            compiled = tuple(re.compile(p.removeprefix("#")) for p in self.patterns)
        except re.error as exc:
            raise InputError(f"bad id pattern {exc.pattern!r}: {exc}") from None
        object.__setattr__(self, "_compiled", compiled)

    def covers(self, ident: str) -> bool:
        return ident in self.ids or any(p.fullmatch(ident) for p in self._compiled)  # type: ignore[attr-defined]


def load_known_ids(paths: Iterable[str | os.PathLike[str]]) -> frozenset[str]:
    """Ids from files: the xml:ids of XML files (or of ``*.xml`` in a folder), else one id
    per whitespace-separated token (a leading ``#`` dropped; lines starting ``# `` are comments).

    Raises :class:`InputError` for a file that cannot be read or parsed.
    """
    found: set[str] = set()
    for path in paths:
        where = Path(path)
        files = sorted(where.rglob("*.xml")) if where.is_dir() else [where]
        for file in files:
            try:
                if file.suffix.lower() == ".xml":
                    found |= collect_ids(etree.parse(str(file), safe_parser()))
                    continue
                text = file.read_text(encoding="utf-8")
            except etree.XMLSyntaxError as exc:
                raise InputError(f"known-ids file is not well-formed XML: {exc.msg}",
                                 path=str(file), line=exc.lineno) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read known-ids file: {getattr(exc, 'strerror', None) or exc}",
                                 path=str(file)) from None
            for line in text.splitlines():
                if not line.startswith("# "):
                    found.update(token.removeprefix("#") for token in line.split())
    found.discard("")
    return frozenset(found)


class CorpusIds:
    """The xml:ids of every file of a run and its pending references, kept to resolve the
    references across files once all files are read.

    They live in a private temporary SQLite database (its pages spill to a temporary file
    past a small cache) instead of one Python set per file: a run's memory stays flat
    in its number of files.  Use as a context manager, or :meth:`close` it.
    """

    _SCHEMA = """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE files (path TEXT PRIMARY KEY, number INTEGER) WITHOUT ROWID;
        CREATE TABLE ids (id TEXT, file INTEGER, PRIMARY KEY (id, file)) WITHOUT ROWID;
        CREATE TABLE pending (file TEXT, target TEXT, ident TEXT, target_file TEXT, line INTEGER,
                              path TEXT);
    """
    #: each pending reference in the order it was added: resolved in the file (its number,
    #: if any, by absolute path), anywhere in the corpus
    _RESOLVE = """
        SELECT p.file, p.target, p.ident, p.target_file, p.line, p.path,
               f.number IS NOT NULL,
               EXISTS (SELECT 1 FROM ids WHERE ids.id = p.ident AND ids.file = f.number),
               EXISTS (SELECT 1 FROM ids WHERE ids.id = p.ident)
        FROM pending AS p LEFT JOIN files AS f ON f.path = p.target_file
        ORDER BY p.rowid
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": private to this connection, deleted when it closes
        self._db.executescript(self._SCHEMA)
        self._files = 0

    def __enter__(self) -> "CorpusIds":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def add(self, file: str, ids: Iterable[str], pending: Iterable[PendingRef]) -> None:
        """Remember ``file``'s ids (a file named again replaces its earlier ids as a target of
        ``other.xml#id``) and its pending references."""
        number = self._files
        self._files += 1
        self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?)",
                         (os.path.normpath(os.path.abspath(file)), number))
        self._db.executemany("INSERT OR IGNORE INTO ids VALUES (?, ?)", ((i, number) for i in ids))
        self._db.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?)",
                             ((r.file, r.target, r.ident, r.target_file, r.line, r.path) for r in pending))

    def resolve(self, policy: RefPolicy = "error", external: ExternalIds | None = None) -> list[Diagnostic]:
        """Diagnostics for the pending references that no file added (or ``external``) resolves,
        in the order they were added."""
        if policy == "off":
            return []
        external = external or ExternalIds()
        out = []
        for file, target, ident, target_file, line, path, known_file, in_file, anywhere \
                in self._db.execute(self._RESOLVE):
            if target_file is None:
                if anywhere or external.covers(ident):
                    continue
                message = f"target {target!r} does not resolve: no xml:id {ident!r} in this file"
                message += " or the other files checked" if self._files > 1 else ""
                message += " (declare external ids with --known-ids or --id-pattern)"
            elif not known_file:
                if os.path.exists(target_file) or external.covers(ident):
                    continue  # a file outside the corpus passed: not checked
                message = f"target {target!r} does not resolve: no file {target_file}"
            elif in_file:
                continue
            else:
                message = f"target {target!r} does not resolve: no xml:id {ident!r} in that file"
            out.append(Diagnostic(file, line, None, policy, "ref-target", message, path))
        return out
