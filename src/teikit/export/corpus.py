"""Assemble many TEI files into one: a ``<teiCorpus>`` or one ``<TEI>`` volume.

Layouts
    ``teicorpus``  ``<teiCorpus>`` with a corpus ``teiHeader`` and one member per
                   input file: a ``<TEI>`` (or ``<teiCorpus>``) copied whole, header
                   included; a bare ``<div>``, ``<text>`` or other fragment gets a
                   ``<TEI>`` with a small header of its own.
    ``volume``     one ``<TEI>`` whose ``front``, ``body`` and ``back`` hold, in input
                   order, what the inputs' own ``front``, ``body`` and ``back`` hold
                   (a bare fragment goes into the body), as the Office of the
                   Historian's volumes do: every document, nested ones in place,
                   and every text outside documents (member headers are summarised
                   in the corpus header's ``listBibl``).

Identifiers and pointers
    Files of one FRUS volume (told by the file name ``<volume>_dN.xml``, see
    :mod:`teikit.query.frus`) share one id space, so ``#d58`` / ``#d58fn2`` keep
    resolving.  Files whose volume is unknown are each their own id space.
    When two id spaces would clash on an ``xml:id``, *every* id is prefixed with its
    space's name (``frus1955-57v01_d186``) and every ``#`` pointer (``target``,
    ``corresp``, ``ref``, ...) is rewritten the same way.  A pointer whose target is
    in the corpus stays a local ``#id``; one whose target is outside the corpus
    becomes ``<volume>#id`` (the FRUS cross-volume form) when the volume is known,
    and is otherwise left unchanged and reported as unresolved.
"""
from __future__ import annotations

import copy
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Sequence

from lxml import etree

from .._version import __version__
from ..errors import Diagnostic, InputError, location
from ..query.pages import local_name
from ..xmlio import TEI_NS, XML_ID, tei
from .inputs import Input

Layout = Literal["teicorpus", "volume"]
LAYOUTS: tuple[str, ...] = ("teicorpus", "volume")

#: attributes holding (space separated) pointers; only ``#``-tokens are rewritten.
POINTER_ATTRIBUTES = frozenset({
    "target", "corresp", "ref", "ana", "who", "resp", "next", "prev", "sameAs",
    "copyOf", "synch", "source", "facs", "start", "end", "scribeRef", "hand",
    "decls", "wit", "select", "exclude", "spanTo", "from", "to",
})

_NCNAME_START = re.compile(r"^[A-Za-z_]")


#: a ``#`` pointer whose target is in none of the assembled files: (file, line, attribute, token)
Outside = tuple[str, "int | None", str, str]


def _unresolved(path: str, line: int | None, attribute: str, target: str) -> Diagnostic:
    """A ``#`` pointer whose target is in none of the assembled files (a warning)."""
    return Diagnostic(path, line, None, "warning", "ref-target", _outside_message(attribute, target))


def _outside_message(attribute: str, target: str) -> str:
    return f'@{attribute}="{target}" points outside the corpus'


@dataclass
class CorpusResult:
    """The assembled tree and what was done to identifiers."""

    tree: etree._ElementTree
    prefixed: bool
    rewritten: int
    outside: list[Outside] = field(default_factory=list)  # "#" pointers to no assembled file
    #: the elements of the tree with an xml:id, by input (the headers have none)
    id_elements: list[list[etree._Element]] = field(default_factory=list, repr=False)

    @cached_property
    def ids(self) -> set[str]:
        """Every xml:id of the tree (from :attr:`id_elements`: no search of the whole tree)."""
        return {el.get(XML_ID) for elements in self.id_elements for el in elements}

    @property
    def unresolved(self) -> list[Diagnostic]:
        """The ``#`` pointers to no assembled file, as warnings (made when asked for: a volume
        of unknown name may have tens of thousands)."""
        return [_unresolved(*pointer) for pointer in self.outside]

    def warning_lines(self) -> list[str]:
        """``str()`` of each of :attr:`unresolved` (without making the diagnostics)."""
        return [f"{location(path, line)}: warning: {_outside_message(attribute, target)}"
                for path, line, attribute, target in self.outside]

    def to_bytes(self) -> bytes:
        return etree.tostring(self.tree, xml_declaration=True, encoding="UTF-8")


#: root elements copied whole as members of a teiCorpus
_MEMBER_ROOTS = frozenset({"TEI", "teiCorpus"})
#: the parts of a <text> whose children the volume layout gathers
_TEXT_PARTS = ("front", "body", "back")


def _space_of(doc: Input) -> str:
    return doc.volume if doc.volume else f"file:{doc.path}"


def _prefix_of(doc: Input) -> str:
    name = doc.volume or doc.stem
    name = re.sub(r"[^\w.\-]", "_", name)
    return name if _NCNAME_START.match(name) else f"f{name}"


def _members(doc: Input, layout: Layout, keep: bool) -> list[tuple[str, etree._Element]]:
    """The elements of ``doc`` that go into the corpus, each with where it goes: copies, or
    (``keep`` false) the elements themselves, to be moved out of ``doc``'s tree."""
    take = copy.deepcopy if keep else _same
    if layout == "teicorpus":
        return [("member", take(doc.root))]
    return [(part, take(el)) for part, el in _text_children(doc.root)]


def _same(element: etree._Element) -> etree._Element:
    return element


def _text_children(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """The children of every ``front``, ``body`` and ``back`` of ``root``'s texts (groups included)."""
    texts = [root] if local_name(str(root.tag)) == "text" else [
        t for t in root.iter(tei("text"), "text")
        if not any(local_name(str(a.tag)) == "text" for a in t.iterancestors())]
    if not texts:  # a bare fragment: a <div>, a <p> ...
        return [("body", root)]
    # beside the text of a TEI: a sourceDoc, facsimile ... (kept at the volume's TEI level)
    found: list[tuple[str, etree._Element]] = [
        ("tei", child) for child in root if isinstance(child.tag, str)
        and local_name(child.tag) not in ("teiHeader", "text")] if local_name(str(root.tag)) == "TEI" else []
    for text in texts:
        for part in text:
            name = local_name(str(part.tag)) if isinstance(part.tag, str) else ""
            if name in _TEXT_PARTS:
                found += [(name, child) for child in part]
            elif name == "group":
                found += [pair for inner in part if isinstance(inner.tag, str)
                          for pair in (_text_children(inner) if local_name(inner.tag) == "text"
                                       else [("body", inner)])]
    return found


#: the elements of a member with an xml:id, found by libxml2
_WITH_ID = etree.XPath("descendant-or-self::*[@xml:id]")
#: the attributes of a member holding a "#", in document order (each knows its name and element):
#: the only ones a pointer may be rewritten in
_HASH_ATTRIBUTES = etree.XPath("descendant-or-self::*/@*[contains(., '#')]", smart_strings=True)
#: the same for a reader of the text alone (``text_only``): the only pointers it follows are
#: targets (of a ``<ref>`` or ``<ptr>``); the others are not shown (half the time of the above)
_HASH_TARGETS = etree.XPath("descendant-or-self::*/@target[contains(., '#')]", smart_strings=True)


def _found(search: etree.XPath, top: etree._Element) -> list[etree._Element]:
    """What ``search`` finds in ``top`` (nothing in a comment or processing instruction)."""
    return search(top) if isinstance(top.tag, str) else []


def _hash_attributes(top: etree._Element, search: etree.XPath = _HASH_ATTRIBUTES) -> list[Any]:
    """The attribute values of ``top`` holding a ``#`` (lxml's smart strings: ``.attrname``, ``.getparent()``)."""
    return search(top) if isinstance(top.tag, str) else []


def _ids(elements: Sequence[etree._Element]) -> list[etree._Element]:
    return [el for top in elements for el in _found(_WITH_ID, top)]


def _member_template() -> etree._Element:
    """The ``<TEI>`` every bare fragment is wrapped in, its texts to fill (see :func:`_wrap`)."""
    member = etree.Element(tei("TEI"))
    file_desc = etree.SubElement(etree.SubElement(member, tei("teiHeader")), tei("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, tei("titleStmt")), tei("title"))
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p"))
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p"))
    return member


#: :func:`_member_template`, made once: a member is a copy of it (lxml copies a few elements
#: faster than Python makes them one by one; a corpus of document files wraps every input)
_MEMBER = _member_template()


def _wrap(doc: Input, element: etree._Element) -> etree._Element:
    """A ``<TEI>`` member for a bare fragment: a header of its own (the input's title, where
    it comes from), the fragment as (or in) its text."""
    member = copy.deepcopy(_MEMBER)
    title_stmt, publication_stmt, source_desc = member[0][0]
    title_stmt[0].text = doc.title
    where = f"volume {doc.volume}" if doc.volume else "an unknown volume"
    name = doc.path.name
    publication_stmt[0].text = f"Document copied unchanged (apart from identifiers) from {where}, file {name}."
    source_desc[0].text = name
    if local_name(str(element.tag)) == "text":
        member.append(element)
    else:
        etree.SubElement(etree.SubElement(member, tei("text")), tei("body")).append(element)
    return member


def corpus_header(docs: Sequence[Input], *, title: str, date: str,
                  prefixed: bool) -> etree._Element:
    """The corpus ``teiHeader``: title, provenance of every file, teikit as application."""
    header = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, tei("titleStmt")), tei("title")).text = title
    pub = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(pub, tei("p")).text = (
        f"Assembled by teikit {__version__} from {len(docs)} TEI file(s) on {date}.")
    bibls = etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("listBibl"))
    for doc in docs:
        bibl = etree.SubElement(bibls, tei("bibl"))
        etree.SubElement(bibl, tei("title")).text = doc.title
        bibl[-1].tail = " "
        idno = etree.SubElement(bibl, tei("idno"), type="file")
        idno.text = doc.path.name
        if doc.volume:
            idno.tail = " "
            etree.SubElement(bibl, tei("idno"), type="volume").text = doc.volume
    enc = etree.SubElement(header, tei("encodingDesc"))
    app = etree.SubElement(etree.SubElement(enc, tei("appInfo")), tei("application"),
                           ident="teikit", version=__version__)
    etree.SubElement(app, tei("label")).text = "teikit"
    etree.SubElement(enc, tei("p")).text = (
        "Identifiers were prefixed with their volume (or file) name because they clashed "
        "between volumes; pointers were rewritten to match." if prefixed else
        "Identifiers are those of the source files; pointers were rewritten only where "
        "their target lies outside the corpus.")
    change = etree.SubElement(etree.SubElement(header, tei("revisionDesc")), tei("change"), when=date)
    change.text = f"Assembled by teikit {__version__}."
    return header


def build_corpus(docs: Sequence[Input], *, layout: Layout = "teicorpus",
                 title: str | None = None, date: str | None = None,
                 keep_inputs: bool = True, text_only: bool = False) -> CorpusResult:
    """Assemble ``docs`` into one TEI tree (see the module docstring for the rules).

    ``keep_inputs=False``: the inputs' elements are moved into the result instead of copied
    (a deep copy of every input costs about as much as parsing it); for a caller that reads
    ``docs`` no more, as their trees are then taken apart.  ``text_only=True`` (the ``volume``
    layout, for a reader of its text alone: the html page): no corpus header (no input's title
    is worked out), no pointer outside the corpus reported, only ``@target`` pointers rewritten
    (the others are not read as links), and the namespace declarations the members bring are
    left as they are (the names of elements and attributes are the same).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if text_only and layout != "volume":
        raise ValueError("text_only is for the volume layout")
    header = not text_only
    if not docs:
        raise InputError("no documents to assemble")
    date = date or _dt.date.today().isoformat()
    if header:
        title = title or f"Corpus of {sum(d.document_count for d in docs)} documents"
    if not keep_inputs and header:
        for doc in docs:  # read from the input's tree, before it is taken apart
            doc.title  # noqa: B018 (a cached property)
    members = [(doc, _members(doc, layout, keep_inputs)) for doc in docs]
    # the elements with an xml:id of each input (found once: read here, prefixed below on a clash)
    with_ids = [_ids([element for _part, element in elements]) for _doc, elements in members]
    # id spaces: which ids each space holds, and who holds an id first
    space_ids: dict[str, set[str]] = {}
    owner: dict[str, tuple[str, Input, int | None]] = {}
    clash = False
    prefixes: dict[str, str] = {}  # space -> its prefix
    prefixed: dict[str, str] = {}  # prefix -> its space
    for (doc, elements), id_elements in zip(members, with_ids):
        space = _space_of(doc)
        prefix = _prefix_of(doc)
        if prefixes.setdefault(space, prefix) != prefix or prefixed.setdefault(prefix, space) != space:
            raise InputError(f"two id spaces would both be prefixed {prefix!r}", path=str(doc.path))
        ids = space_ids.setdefault(space, set())
        for el in id_elements:
            xml_id = el.get(XML_ID)
            if xml_id in owner:
                other_space, other_doc, other_line = owner[xml_id]
                if other_doc is doc:  # well-formed, but not valid TEI: validation reports it too
                    raise InputError(f"xml:id {xml_id!r} is used twice in this file (first on line "
                                     f"{other_line}): ids must be unique", path=str(doc.path), line=el.sourceline)
                if other_space == space:
                    raise InputError(
                        f"xml:id {xml_id!r} is also used in {other_doc.path}:{other_line} "
                        f"(same volume); the same document given twice?",
                        path=str(doc.path), line=el.sourceline)
                clash = True
            else:
                owner[xml_id] = (space, doc, el.sourceline)
            ids.add(xml_id)

    rewritten = 0
    outside: list[Outside] = []
    # what each pointer value becomes in its id space: worked out once per space and value
    # (a volume points to the same people and terms over and over)
    rewrites: dict[str, dict[str, tuple[str | None, list[str]]]] = {}
    search = _HASH_TARGETS if text_only else _HASH_ATTRIBUTES
    for (doc, elements), id_elements in zip(members, with_ids):
        space = _space_of(doc)
        ids = space_ids[space]
        prefix = prefixes[space]
        if clash:
            for el in id_elements:
                el.set(XML_ID, f"{prefix}_{el.get(XML_ID)}")
        known = rewrites.setdefault(space, {})
        path = str(doc.path)
        for _part, top in elements:
            for value in _hash_attributes(top, search):
                attr = value.attrname
                if attr not in POINTER_ATTRIBUTES:
                    continue
                rewrite = known.get(value)
                if rewrite is None:
                    rewrite = known[str(value)] = _rewrite(value, ids, prefix, clash, doc.volume, owner)
                new_value, leading_out = rewrite
                if new_value is None and (text_only or not leading_out):
                    continue
                el = value.getparent()
                if not text_only:
                    line = el.sourceline
                    outside += [(path, line, attr, token) for token in leading_out]
                if new_value is not None:
                    el.set(attr, new_value)
                    rewritten += 1

    if layout == "teicorpus":
        root = etree.Element(tei("teiCorpus"), nsmap={None: TEI_NS})
        root.append(corpus_header(docs, title=title or "", date=date, prefixed=clash))
        for doc, elements in members:
            for _part, element in elements:
                root.append(element if local_name(str(element.tag)) in _MEMBER_ROOTS else _wrap(doc, element))
    else:
        root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
        if header:
            root.append(corpus_header(docs, title=title or "", date=date, prefixed=clash))
        root.extend(el for _doc, elements in members for part, el in elements if part == "tei")
        text = etree.SubElement(root, tei("text"))
        parts = {name: [el for _doc, elements in members for part, el in elements if part == name]
                 for name in _TEXT_PARTS}
        for name in _TEXT_PARTS:
            if parts[name] or name == "body":
                etree.SubElement(text, tei(name)).extend(parts[name])
    if not text_only:
        _tidy_namespaces(root)
    _layout_whitespace(root, header)
    return CorpusResult(etree.ElementTree(root), clash, rewritten, outside, with_ids)


def _rewrite(value: str, ids: set[str], prefix: str, clash: bool, volume: str | None,
             owner: dict[str, Any]) -> tuple[str | None, list[str]]:
    """What a pointer attribute's ``value`` becomes in an id space holding ``ids``: its new value
    (``None``: unchanged) and its ``#`` tokens that point outside the corpus (reported)."""
    tokens = value.split()
    new_tokens = []
    outside = []
    for token in tokens:
        if not token.startswith("#") or len(token) == 1:
            new_tokens.append(token)
            continue
        target = token[1:]
        if target in ids:
            new_tokens.append(f"#{prefix}_{target}" if clash else token)
        elif volume:
            new_tokens.append(f"{volume}#{target}")
        else:
            new_tokens.append(token)
            if clash or target not in owner:
                outside.append(token)
    return (" ".join(new_tokens) if new_tokens != tokens else None), outside


def _layout_whitespace(root: etree._Element, header: bool) -> None:
    """Newlines between members (where whitespace is not significant) and an indented header."""
    if header:
        etree.indent(root[0], level=0)
    parts = [root.find(f"{tei('text')}/{tei(name)}") for name in _TEXT_PARTS] if root.tag == tei("TEI") else []
    for parent in (root, *parts):
        if parent is not None and len(parent):
            parent.text = "\n"
            for child in parent:
                child.tail = "\n"


def _tidy_namespaces(root: etree._Element) -> None:
    """Drop redundant namespace declarations copied along with the members."""
    etree.cleanup_namespaces(root, top_nsmap={None: TEI_NS})
