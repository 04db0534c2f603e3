"""Safe XML reading and atomic file writing shared by all of teikit.

XML parsing never resolves external entities, never loads a DTD and never
touches the network.  Every file teikit writes is written to a temporary file
in the target folder and renamed into place, so a crash or an error never
leaves a half-written output behind.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Callable

from lxml import etree

from .errors import InputError, OutputError
# re-exported: most modules import the namespace names from here
from .ns import NSMAP as NSMAP, TEI_NS as TEI_NS, XML_ID as XML_ID, XML_NS as XML_NS, tei as tei
from .outputs import file_mode, make_temp_file

PathLike = str | os.PathLike[str]


#: plain strings: lxml's default "smart" ones each keep a link to their element, at many times the cost
_TREE_XML_IDS = etree.XPath("//@xml:id", smart_strings=False)
_XML_IDS_WITHIN = etree.XPath(".//@xml:id", smart_strings=False)


def tree_xml_ids(node: etree._Element | etree._ElementTree) -> list[str]:
    """The ``xml:id`` of every element of ``node``'s whole tree, in document order, repeats kept
    (found by libxml2, not by a Python walk)."""
    return _TREE_XML_IDS(node)


def xml_ids_within(element: etree._Element) -> list[str]:
    """The ``xml:id`` of every element inside ``element`` (not its own), in document order."""
    return _XML_IDS_WITHIN(element)


#: libxml2's errors about xml:id values (one repeated, one not an NCName): xml:id validity errors,
#: not well-formedness ones (xmllint reads such a file and exits 0), yet lxml raises them
XML_ID_ERRORS = frozenset({"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"})


#: libxml2 refuses a document nested deeper than this (2,048 with ``huge_tree``, 256 without)
XML_MAX_DEPTH = 2048
#: Python's recursion limit that lets a recursive walk reach the deepest element of any tree
#: libxml2 reads: the deepest walk (the html renderer) takes 2 frames a level; 3, and 1,000
#: for its callers.  Python's default (1,000) stopped exports of files nested 700 levels deep
#: with a RecursionError; a tree 2,047 deep renders with the default C stack (8 MB)
RECURSION_FOR_ANY_TREE = 3 * XML_MAX_DEPTH + 1000
if sys.getrecursionlimit() < RECURSION_FOR_ANY_TREE:  # raised when this module is imported, never lowered
    sys.setrecursionlimit(RECURSION_FOR_ANY_TREE)


def safe_parser(*, huge_tree: bool = True, remove_blank_text: bool = False,
                recover: bool = False) -> etree.XMLParser:
    """An lxml parser that refuses external entities, DTD loading and network access.

    Entity references are left in the tree (``resolve_entities=False``);
    :func:`expand_entities` replaces internal ones by their text, within a size budget.
    ``recover`` is for :func:`parse_source`'s second reading only.
    """
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=huge_tree,
        remove_blank_text=remove_blank_text,
        recover=recover,
    )


def well_formedness_error(log: etree._ListErrorLog) -> etree._LogEntry | None:
    """The first error of a failed parse's ``log`` (the parser's own: an exception's log
    gathers earlier parses too) that is not about an xml:id value; None when all are."""
    return next((entry for entry in log if entry.level >= etree.ErrorLevels.ERROR
                 and entry.type_name not in XML_ID_ERRORS), None)


def parse_source(source: PathLike | bytes, parser: etree.XMLParser) -> etree._ElementTree:
    """``source`` (a path or bytes) parsed with ``parser``.  A well-formed file that lxml refused
    only for repeated or malformed xml:ids is read again in recovery mode, which changes nothing
    in a tree without well-formedness errors (checked): validation reports the ids (its
    ``unique-id`` rule), query and export can read such files.  Otherwise the parse's
    :class:`lxml.etree.XMLSyntaxError` propagates (its reason: :func:`syntax_error`)."""
    try:
        return _parse_with(source, parser)
    except etree.XMLSyntaxError as refused:
        if well_formedness_error(parser.error_log) is not None:
            raise
        again = safe_parser(recover=True)
        try:
            tree = _parse_with(source, again)
        except etree.XMLSyntaxError:
            raise refused from None
        if tree.getroot() is None or well_formedness_error(again.error_log) is not None:
            raise
        return tree


def _parse_with(source: PathLike | bytes, parser: etree.XMLParser) -> etree._ElementTree:
    if isinstance(source, bytes):
        return etree.ElementTree(etree.fromstring(source, parser))
    return parse_path(source, parser)


def syntax_error(exc: etree.XMLSyntaxError, log: etree._ListErrorLog) -> tuple[str, int | None, int | None]:
    """(message, line, column) of a failed parse, ``log`` its parser's: lxml names its first
    error, which may be an xml:id complaint; the first error that is not one is the reason."""
    entry = well_formedness_error(log)
    if entry is None:
        line, column = exc.position if exc.position else (exc.lineno, None)
        return _LOCATION_SUFFIX.sub("", exc.msg or str(exc)), line or None, column or None
    return entry.message.strip(), entry.line or None, entry.column or None


_LOCATION_SUFFIX = re.compile(r", line \d+, column \d+$")


def parse_path(path: PathLike, parser: etree.XMLParser) -> etree._ElementTree:
    """``etree.parse(path, parser)``, except that bytes not in the declared encoding raise
    :class:`lxml.etree.XMLSyntaxError` with their line, as they do when parsing bytes,
    instead of an ``OSError`` without one.
    """
    try:
        return etree.parse(os.fspath(path), parser)
    except OSError:
        if not os.path.isfile(path) or not os.access(path, os.R_OK):
            raise
        # libxml2 reports an encoding error in a file as a read error: parse the bytes to locate it
        return etree.ElementTree(etree.fromstring(Path(path).read_bytes(), parser))


def parse_xml(source: PathLike | bytes, *, name: str | None = None) -> etree._ElementTree:
    """Parse a file (path) or a byte string safely; errors become :class:`InputError`."""
    parser = safe_parser()
    label = name or (os.fspath(source) if not isinstance(source, bytes) else "<bytes>")
    try:
        tree = parse_source(source, parser)
    except etree.XMLSyntaxError as exc:
        message, line, column = syntax_error(exc, parser.error_log)
        where = f", line {line}, column {column}" if line and column else ""
        raise InputError(f"not well-formed XML: {message}{where}", path=label, line=line) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=label) from None
    expand_entities(tree.getroot(), label)
    return tree


#: characters that entity expansion may add to one file: generous for real editions
#: (a few named characters or phrases), far below what a "billion laughs" file asks for
ENTITY_EXPANSION_BUDGET = 10_000_000
_ENTITY_REF = re.compile(r"&([^;&\s]+);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}


class EntityBudgetError(InputError):
    """Entity expansion would exceed :data:`ENTITY_EXPANSION_BUDGET` (a "billion laughs" file)."""


def expand_entities(root: etree._Element, path: PathLike | None = None, *,
                    refused: Callable[[InputError], None] | None = None) -> None:
    """Replace each reference to an internal entity by its replacement text (parsed as XML
    reads it: ``<hi>`` in it is an element); refuse an external one.

    teikit's parser never reads external entities; rather than drop their text
    silently, a file using one is refused with the line of the reference (or, with
    ``refused``, each such reference is removed and ``refused`` told why: validation
    reports them all and checks the rest).  Nested internal entities are expanded too,
    and a file whose expansion would exceed :data:`ENTITY_EXPANSION_BUDGET` characters
    is refused (:class:`EntityBudgetError`).
    """
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:  # without a DTD, libxml2 has refused any entity but the five predefined ones
        return
    references = list(root.iter(etree.Entity))
    if not references:
        return
    declared = {entity.name: entity for entity in dtd.iterentities()}
    label = os.fspath(path) if path else None
    budget = [ENTITY_EXPANSION_BUDGET]
    expanded: dict[str, str] = {}

    def text_of(name: str, line: int | None, open_names: tuple[str, ...] = ()) -> str:
        if name in _PREDEFINED or name.startswith("#"):
            return _PREDEFINED.get(name) or _char_reference(name)
        if name in expanded:
            text = expanded[name]
        else:
            entity = declared.get(name)
            if entity is None or entity.system_url is not None or entity.content is None:
                what = (f"external entity &{name}; ({entity.system_url})" if entity is not None
                        and entity.system_url else f"undeclared entity &{name};")
                raise InputError(f"{what} is not read: teikit never loads external entities; "
                                 "replace it by its text", path=label, line=line)
            if name in open_names:
                raise InputError(f"entity &{name}; refers to itself", path=label, line=line)
            text = _ENTITY_REF.sub(lambda m: text_of(m.group(1), line, (*open_names, name)), entity.content)
            expanded[name] = text
        budget[0] -= len(text)
        if budget[0] < 0:
            raise EntityBudgetError(f"entity expansion exceeds {ENTITY_EXPANSION_BUDGET:,} characters "
                                    "(a \"billion laughs\" file?); refused", path=label, line=line)
        return text

    markups: dict[str, str] = {}

    def markup_of(name: str) -> str:
        """The replacement text of ``name`` (checked by ``text_of``) as XML: the internal entities
        it uses replaced by theirs, the predefined ones and character references left to the parser."""
        if name not in markups:
            markups[name] = _ENTITY_REF.sub(
                lambda m: m.group(0) if m.group(1) in _PREDEFINED or m.group(1).startswith("#")
                else markup_of(m.group(1)), declared[name].content)
        return markups[name]

    for ref in references:
        previous, parent = ref.getprevious(), ref.getparent()
        line = ref.sourceline or parent.sourceline  # libxml2 gives some references no line
        name = ref.text.strip("&;")
        elements: list[etree._Element] = []
        try:
            text = text_of(name, line)
            if "<" in text and "<" in markup_of(name):  # elements, as XML reads them: not text
                text, elements = _parse_markup(markup_of(name), parent, name, label, line)
        except EntityBudgetError:
            raise
        except InputError as refusal:
            if refused is None:
                raise
            refused(refusal)
            text = ""
        tail = ref.tail or ""
        if previous is not None:
            previous.tail = (previous.tail or "") + text + ("" if elements else tail)
        else:
            parent.text = (parent.text or "") + text + ("" if elements else tail)
        index = parent.index(ref)
        parent.remove(ref)
        for offset, element in enumerate(elements):
            parent.insert(index + offset, element)
        if elements:
            elements[-1].tail = (elements[-1].tail or "") + tail


def _parse_markup(markup: str, parent: etree._Element, name: str, label: str | None,
                  line: int | None) -> tuple[str, list[etree._Element]]:
    """(leading text, elements with their tails) of an entity's replacement text that holds markup,
    parsed where ``parent`` stands (its namespaces in scope); elements get the reference's line."""
    wrapper = etree.tostring(etree.Element("entity", nsmap=parent.nsmap))  # b'<entity xmlns=.../>'
    try:
        fragment = etree.fromstring(wrapper[:-2] + b">" + markup.encode("utf-8") + b"</entity>", safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"entity &{name}; is not well-formed XML where it is used ({exc.msg})",
                         path=label, line=line) from None
    if line:
        for element in fragment.iter():
            element.sourceline = line
    return fragment.text or "", list(fragment)


def _char_reference(name: str) -> str:
    """The character of ``#NNN`` / ``#xHH`` (as written inside an entity's replacement text)."""
    try:
        return chr(int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:]))
    except (ValueError, OverflowError):
        return f"&{name};"


def atomic_write(path: PathLike, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the whole new one.

    The temporary is named by :func:`teikit.outputs.temp_name` and removed on any
    error or interruption; the file gets the umask's permissions.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    tmp = make_temp_file(target)
    try:
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fchmod(handle.fileno(), file_mode())
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_well_formed(data: bytes, *, name: str) -> None:
    """Refuse to write ``data`` as XML unless it parses: an output is never broken XML."""
    try:
        etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise OutputError(f"output would not be well-formed XML ({exc.msg}); nothing written",
                          path=name) from None  # the line is in the output, said in the message


def check_tree_readable(root: etree._Element, *, name: str) -> None:
    """Refuse to write as XML the serialisation of ``root`` unless parsers read it back, what
    :func:`check_well_formed` finds, without parsing it again (a tenth of the time).

    For a tree teikit parsed and changed through lxml's API, which never makes a name, text,
    comment or namespace declaration that does not parse, the one way is depth: a tree nested
    deeper than :data:`XML_MAX_DEPTH` (an export nests its inputs a level or more down).
    """
    global _TOO_DEEP
    if _TOO_DEEP is None:  # compiled when first needed: a path of XML_MAX_DEPTH steps
        _TOO_DEEP = etree.XPath("boolean(" + "/".join(["*"] * XML_MAX_DEPTH) + ")")
    if _TOO_DEEP(root):
        raise OutputError(f"output would not be well-formed XML (nested deeper than the {XML_MAX_DEPTH:,} "
                          "levels XML parsers read); nothing written", path=name)


#: an element deeper than XML_MAX_DEPTH below the context element (found by libxml2, level by level)
_TOO_DEEP: etree.XPath | None = None


def text_without_notes(element: etree._Element) -> str:
    """Text content of ``element`` leaving out ``<note>`` children (their tails are kept)."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if child.tag != tei("note") and isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)
