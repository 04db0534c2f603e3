"""Citation trees of a document (DTS ``CitationTree``/``CitableUnit``) and the TEI of a passage.

A tree is declared in the header as TEI ``<refsDecl><citeStructure match=".." use=".."/>``
(each ``refsDecl`` one tree; nested ``citeStructure`` are deeper levels, evaluated
relative to the parent unit) and read from there when present.  The older CTS form of
Perseus and First1KGreek texts, ``cRefPattern`` (one per level, each an XPath template
``#xpath(/tei:TEI/…/tei:div[@n='$1']/tei:l[@n='$2'])``), is read as the same levels.  Otherwise one is
inferred that works for any TEI: printed pages (``<pb>``) when the document has any,
paragraphs, and its divisions (chapters, acts, books: ``<div>`` and ``<div1>`` …, each
cited by ``@n`` or position, titled by its ``<head>``) when it has any.  A unit owns a *window* of the document: the positions, in document
order, from its element up to the end of the element, or, for a milestone such as
``<pb>``, up to the next milestone of the same kind.  :func:`passage` copies a window
out of the document, trimming the elements it cuts through.
"""
from __future__ import annotations

from typing import Any

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from ..ns import DIVISIONS
from ..xmlio import NSMAP, XML_ID, tei, text_without_notes

MILESTONES = {tei("pb"), tei("cb"), tei("lb"), tei("milestone")}
_NOTE = tei("note")
# what the inferred paragraph tree cites: prose blocks of the main text, outermost only
PARAGRAPH_XPATH = (".//tei:p[not(ancestor::tei:note) and not(ancestor::tei:p)]"
                   " | .//tei:ab[not(ancestor::tei:note) and not(ancestor::tei:p)]")
PARAGRAPH_TREE_ID = "paragraph"
DIVISION_TREE_ID = "division"
DIVISION_TAGS = frozenset(tei(name) for name in DIVISIONS)
#: the deepest division level a tree declares (deeper divisions are cited at this level's depth)
MAX_DIVISION_LEVELS = 7


@dataclass
class CiteStructure:
    """One level of a citation tree: what it cites (``unit``) and how units are found."""

    unit: str
    match: str = ""
    use: str = ""
    delim: str = ""
    children: list["CiteStructure"] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": "CiteStructure", "citeType": self.unit}
        if self.children:
            out["citeStructure"] = [c.as_json() for c in self.children]
        return out


@dataclass(eq=False)
class CitableUnit:
    identifier: str
    level: int
    parent: str | None
    cite_type: str
    element: etree._Element
    title: str | None = None
    # the unit ends before this element (a milestone's successor); None: end of element
    until: etree._Element | None = None

    def as_json(self) -> dict[str, Any]:
        out = {"identifier": self.identifier, "@type": "CitableUnit", "level": self.level,
               "parent": self.parent, "citeType": self.cite_type}
        if self.title:
            out["dublinCore"] = {"title": [self.title]}
        return out


@dataclass
class CitationTree:
    """A tree's declaration and its units in document order (pre-order)."""

    identifier: str | None
    structure: list[CiteStructure]
    units: list[CitableUnit]

    def __post_init__(self) -> None:
        self.by_id = {u.identifier: u for u in self.units}

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": "CitationTree", "citeStructure": [s.as_json() for s in self.structure]}
        if self.identifier is not None:
            out["identifier"] = self.identifier
        return out

    def subtree_end(self, unit: CitableUnit) -> int:
        """Index (exclusive) in :attr:`units` after ``unit`` and its descendants."""
        i = self.units.index(unit) + 1
        while i < len(self.units) and self.units[i].level > unit.level:
            i += 1
        return i


# -- declared or inferred structures -----------------------------------------------------

def declared_structures(header: etree._Element | None) -> list[tuple[str | None, list[CiteStructure]]]:
    """``(tree name, levels)`` for each header ``refsDecl`` holding ``citeStructure``."""
    if header is None:
        return []
    trees = []
    for refs_decl in header.iter(tei("refsDecl")):
        levels = [_read_structure(cs) for cs in refs_decl.findall(tei("citeStructure"))] \
            or _from_patterns(refs_decl.findall(tei("cRefPattern")))
        if levels:
            trees.append((refs_decl.get("n"), levels))
    return trees


_TEMPLATE = re.compile(r"^\s*#xpath\((?P<path>.*)\)\s*$", re.S)
_PLACEHOLDER = re.compile(r"\$(\d+)")
_GROUP_SEPARATOR = re.compile(r"\)(?P<sep>[^()]*?)\(")


def _from_patterns(patterns: list[etree._Element]) -> list[CiteStructure]:
    """CTS ``cRefPattern`` levels as nested :class:`CiteStructure` (``[]`` when they cannot be
    read: the tree is then inferred, as without a declaration).

    Level *k*'s template extends level *k-1*'s; what it adds ends in a step whose predicate
    compares an attribute with ``$k``: that step is the level's ``match`` (relative to the
    parent unit) and that attribute its ``use``.  The separator is the one the
    ``matchPattern`` puts between its groups (``(\\w+)\\.(\\w+)``: ".").
    """
    by_depth: dict[int, tuple[str, etree._Element]] = {}
    for pattern in patterns:
        template = _TEMPLATE.match(pattern.get("replacementPattern") or "")
        depth = max((int(n) for n in _PLACEHOLDER.findall(template.group("path"))), default=0) if template else 0
        if template is None or depth == 0 or depth in by_depth:
            return []
        by_depth[depth] = (template.group("path").strip(), pattern)
    if sorted(by_depth) != list(range(1, len(by_depth) + 1)):
        return []
    levels: list[CiteStructure] = []
    previous = ""
    for depth in sorted(by_depth):
        path, pattern = by_depth[depth]
        if not path.startswith(previous):
            return []
        level = _pattern_level(path[len(previous):], depth, absolute=depth == 1)
        if level is None:
            return []
        match, use = level
        separator = _GROUP_SEPARATOR.search(pattern.get("matchPattern") or "")
        delim = separator.group("sep").replace("\\", "") if separator else "."
        levels.append(CiteStructure(unit=pattern.get("n") or "unit", match=match, use=use, delim=delim))
        previous = path
    for parent, child in zip(levels, levels[1:]):
        parent.children = [child]
    return levels[:1]


def _pattern_level(steps: str, depth: int, absolute: bool) -> tuple[str, str] | None:
    """(match, use) of the steps a level's template adds: its ``[@n='$k']`` test taken out."""
    value = rf"(?P<q>['\"])\${depth}(?P=q)"
    whole = re.search(rf"\[\s*@(?P<attr>[\w.:-]+)\s*=\s*{value}\s*\]", steps)
    first = re.search(rf"@(?P<attr>[\w.:-]+)\s*=\s*{value}\s+and\s+", steps)
    last = re.search(rf"\s+and\s+@(?P<attr>[\w.:-]+)\s*=\s*{value}", steps)
    found = whole or first or last
    if found is None or _PLACEHOLDER.search(steps[:found.start()] + steps[found.end():]):
        return None
    match = steps[:found.start()] + steps[found.end():]
    if not absolute:  # relative to the parent unit
        match = "." + match if match.startswith("//") else match.lstrip("/")
    return match, "@" + found.group("attr")


def _read_structure(el: etree._Element) -> CiteStructure:
    return CiteStructure(unit=el.get("unit") or "unit", match=el.get("match") or "",
                         use=el.get("use") or "", delim=el.get("delim") or "",
                         children=[_read_structure(c) for c in el.findall(tei("citeStructure"))])


def inferred_structures(has_pages: bool, division_levels: int = 0) -> list[tuple[str | None, list[CiteStructure]]]:
    """The default tree first: printed pages (the citation FRUS and most editions use) when
    there are any, else divisions nested ``division_levels`` deep (:func:`division_depth`: the
    chapters of a novel, the acts and scenes of a play, whose verse has no paragraphs), else
    paragraphs; the others after it."""
    trees: list[tuple[str | None, list[CiteStructure]]] = []
    if has_pages:
        trees.append((None, [CiteStructure(unit="page")]))
    if division_levels:
        levels = [CiteStructure(unit="division") for _ in range(min(division_levels, MAX_DIVISION_LEVELS))]
        for parent, child in zip(levels, levels[1:]):
            parent.children = [child]
        trees.append((DIVISION_TREE_ID, levels[:1]))
    trees.append((PARAGRAPH_TREE_ID, [CiteStructure(unit="paragraph")]))
    if has_pages and division_levels:  # pages, paragraphs, divisions: as before divisions were cited
        trees[1], trees[2] = trees[2], trees[1]
    return trees


def division_depth(element: etree._Element) -> int:
    """How deeply divisions nest inside ``element`` (0: none), divisions in notes left out."""
    deepest = 0
    for division in element.iter(*DIVISION_TAGS):
        depth, node = 0, division
        while node is not None and node is not element:
            if node.tag in DIVISION_TAGS:
                depth += 1
            elif node.tag == _NOTE:
                depth = 0
                break
            node = node.getparent()
        deepest = max(deepest, depth if node is element else 0)
    return deepest


def tree_names(structures: list[tuple[str | None, list[CiteStructure]]]) -> list[str | None]:
    """Tree identifiers as DTS wants them: the first (default) has none."""
    return [None if i == 0 else (name or f"tree{i + 1}") for i, (name, _) in enumerate(structures)]


def build_trees(element: etree._Element, structures: list[tuple[str | None, list[CiteStructure]]],
                declared: bool) -> list[CitationTree]:
    """Units of each ``(identifier, levels)`` tree of :meth:`Resource.structures`."""
    trees = []
    for name, levels in structures:
        if declared:
            units: list[CitableUnit] = []
            for level in levels:
                _evaluate(element, level, 1, None, "", units)
        elif levels[0].unit == "page":
            units = _page_units(element)
        elif levels[0].unit == "division":
            units = _division_units(element)
        else:
            units = _paragraph_units(element)
        trees.append(CitationTree(name, levels, units))
    return trees


def _evaluate(context: etree._Element, level: CiteStructure, depth: int, parent: CitableUnit | None,
              prefix: str, out: list[CitableUnit]) -> None:
    try:
        found = context.xpath(tei_xpath(level.match), namespaces=NSMAP) if level.match else []
    except etree.XPathError:
        found = []
    matched = [n for n in found if isinstance(n, etree._Element)]
    seen = {u.identifier for u in out}
    for position, node in enumerate(matched):
        value = _use_value(node, level.use) or str(position + 1)
        identifier = f"{prefix}{level.delim}{value}" if parent is not None else value
        if identifier in seen:
            continue  # identifiers must be unique within a tree; the first wins
        # a milestone (<pb/>) cites the text up to the next matched milestone
        until = matched[position + 1] if node.tag in MILESTONES and position + 1 < len(matched) else None
        unit = CitableUnit(identifier, depth, parent.identifier if parent else None, level.unit, node,
                           until=until)
        out.append(unit)
        seen.add(identifier)
        for child in level.children:
            _evaluate(node, child, depth + 1, unit, identifier, out)


_XPATH_TOKEN = re.compile(r"""("[^"]*"|'[^']*')|([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)|(\S)""")
_OPERAND_END = set(")].*\"'")  # after these (or a name) a word is an operator, not an element
_OPERATOR_WORDS = {"and", "or", "div", "mod"}


def tei_xpath(expression: str) -> str:
    """``//body/div`` -> ``//tei:body/tei:div``: TEI citeStructure paths name TEI elements
    without a prefix (the TEI namespace is their default), which XPath 1.0 cannot say."""
    out, pos = [], 0
    after_operand = False  # the previous token ended an operand
    previous = ""
    for match in _XPATH_TOKEN.finditer(expression):
        literal, name, other = match.groups()
        out.append(expression[pos:match.start()])
        pos = match.end()
        token, previous_token = match.group(0), previous
        previous = token
        if name is None:
            out.append(token)
            after_operand = literal is not None or other in _OPERAND_END
            continue
        rest = expression[pos:].lstrip()
        if previous_token in ("@", "$"):  # an attribute or a variable
            out.append(name)
            after_operand = True
        elif after_operand and name in _OPERATOR_WORDS:
            out.append(name)
            after_operand = False
        elif ":" in name or rest.startswith(("(", "::")):  # prefixed, a function or an axis
            out.append(name)
            after_operand = not rest.startswith(("(", "::"))
        else:
            out.append(f"tei:{name}")
            after_operand = True
    out.append(expression[pos:])
    return "".join(out)


def _use_value(node: etree._Element, use: str) -> str:
    if not use:
        return ""
    try:
        value = node.xpath(f"string({tei_xpath(use)})", namespaces=NSMAP)
    except etree.XPathError:
        return ""
    return " ".join(str(value).split())


def _page_units(element: etree._Element) -> list[CitableUnit]:
    """A unit per ``<pb>``; text before the first one is the page the document starts on."""
    breaks = list(element.iter(tei("pb")))
    units: list[CitableUnit] = []
    used: set[str] = set()
    if not breaks or _has_text_before(element, breaks[0]):
        # the page the document starts on: its <pb> is before the document, numbered one less
        first_n = breaks[0].get("n", "") if breaks else ""
        identifier = str(int(first_n) - 1) if first_n.isdigit() and int(first_n) > 1 else "start"
        units.append(CitableUnit(identifier, 1, None, "page", element, until=breaks[0] if breaks else None,
                                 title=f"Page {identifier}" if identifier != "start" else "first page"))
        used.add(identifier)
    for i, pb in enumerate(breaks):
        n = pb.get("n")
        identifier = n if n and n not in used else (pb.get(XML_ID) or f"pb{i + 1}")
        used.add(identifier)
        until = breaks[i + 1] if i + 1 < len(breaks) else None
        units.append(CitableUnit(identifier, 1, None, "page", pb, until=until,
                                 title=f"Page {n}" if n else "unnumbered page"))
    return units


def _has_text_before(element: etree._Element, pb: etree._Element) -> bool:
    """Whether the document has text before its first ``<pb>`` (then it began on an earlier page)."""
    around = set(pb.iterancestors())  # their tails come after the <pb>
    for node in element.iter():
        if node is pb:
            return False
        if (node.text or "").strip():
            return True
        if node is not element and node not in around and (node.tail or "").strip():
            return True
    return False


def _division_units(element: etree._Element) -> list[CitableUnit]:
    """The divisions inside ``element``, in document order: ``@n`` (else the position among
    its siblings) joined to its parent's with ".", cite type its ``@type``, title its head."""
    out: list[CitableUnit] = []
    seen: set[str] = set()

    def visit(container: etree._Element, parent: CitableUnit | None, depth: int) -> None:
        for position, division in enumerate(_child_divisions(container), start=1):
            prefix = f"{parent.identifier}." if parent is not None else ""
            identifier = prefix + ((division.get("n") or "").strip() or str(position))
            if identifier in seen:  # an @n its siblings repeat: its position instead
                identifier = f"{prefix}{position}"
                if identifier in seen:
                    continue
            head = division.find(tei("head"))
            title = " ".join(text_without_notes(head).split()) if head is not None else ""
            unit = CitableUnit(identifier, min(depth, MAX_DIVISION_LEVELS), parent.identifier if parent else None,
                               division.get("type") or "division", division, title=title or None)
            out.append(unit)
            seen.add(identifier)
            visit(division, unit, depth + 1)

    visit(element, None, 1)
    return out


def _child_divisions(container: etree._Element) -> list[etree._Element]:
    """The outermost divisions inside ``container`` (not in notes)."""
    found = []
    for division in container.iter(*DIVISION_TAGS):
        node = division.getparent()
        while node is not None and node is not container and node.tag not in DIVISION_TAGS and node.tag != _NOTE:
            node = node.getparent()
        if division is not container and node is container:
            found.append(division)
    return found


def _paragraph_units(element: etree._Element) -> list[CitableUnit]:
    return [CitableUnit(p.get(XML_ID) or str(i + 1), 1, None, "paragraph", p)
            for i, p in enumerate(element.xpath(PARAGRAPH_XPATH, namespaces=NSMAP))]


# -- passages ----------------------------------------------------------------------------

class _Positions:
    """Where every node under ``root`` opens and closes, counted in document order.

    Text sits between these events: an element's text right after it opens, its tail
    right after it closes, so "is this text in the window" is one comparison.
    """

    def __init__(self, root: etree._Element):
        self.opens: dict[etree._Element, int] = {}
        self.closes: dict[etree._Element, int] = {}
        self._count = 0
        self._number(root)

    def _number(self, node: etree._Element) -> None:
        self.opens[node] = self._count
        self._count += 1
        for child in node:
            self._number(child)
        self.closes[node] = self._count
        self._count += 1


def _window(unit: CitableUnit, positions: _Positions, root: etree._Element) -> tuple[int, int]:
    """``[start, stop)``: an element's content, or a milestone up to the next one (or the end)."""
    start = positions.opens[unit.element]
    if unit.until is not None and unit.until in positions.opens:
        return start, positions.opens[unit.until]
    if unit.element.tag in MILESTONES:
        return start, positions.closes[root]
    return start, positions.closes[unit.element]


def passage(root: etree._Element, first: CitableUnit, last: CitableUnit) -> list[etree._Element]:
    """Copies of the content of ``root`` from the start of ``first`` to the end of ``last``.

    Elements the range cuts through are copied with the part inside the range only;
    elements enclosing the whole range are left out.
    """
    positions = _Positions(root)
    start = _window(first, positions, root)[0]
    stop = _window(last, positions, root)[1]
    container = root
    while True:  # descend through the ancestors enclosing the whole range: they are not part of it
        inside = [child for child in container
                  if positions.opens[child] < stop and positions.closes[child] >= start]
        if len(inside) == 1 and positions.opens[inside[0]] < start and positions.closes[inside[0]] >= stop:
            container = inside[0]
            continue
        return [_trim(child, start, stop, positions) for child in inside]


def _trim(node: etree._Element, start: int, stop: int, positions: _Positions) -> etree._Element:
    if not isinstance(node.tag, str):  # a comment or processing instruction
        return copy.copy(node)
    out = etree.Element(node.tag, dict(node.attrib), nsmap=node.nsmap)
    if positions.opens[node] >= start:
        out.text = node.text
    for child in node:
        if positions.opens[child] < stop and positions.closes[child] >= start:
            piece = _trim(child, start, stop, positions)
            piece.tail = child.tail if positions.closes[child] < stop else None
            out.append(piece)
    return out
