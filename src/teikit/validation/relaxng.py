"""RELAX NG that compiles only what the documents use (verdicts unchanged).

libxml2 spends seconds simplifying and checking a large grammar such as ``tei_all``
(about 15 s on the reference machine), and jing does not.  Most of that grammar is for
elements a given set of documents never contains.  An ``<element>`` pattern whose name
is a plain name whose local part occurs in none of the documents can match nothing in
them, so emptying it (``<notAllowed/>``) changes no verdict; defines that nothing
references any more are dropped.  A document found invalid is checked again against a
second pruning that keeps every element name (:meth:`PrunableGrammar.diagnosis`), so its
errors are on the lines, with the messages, that the whole grammar gives.  Names are compared by local part only, which keeps
a little more than needed and needs no namespace resolution; the runner collects them
for a whole batch with one regular-expression pass over the files' bytes
(:func:`scan_local_names`), so a batch compiles once.  What libxml2 compiles then shrinks to what is used (tei_all for
the ~40 names of a FRUS document: ~0.05 s).

Pruning is only done for grammars in one file (no ``include``/``externalRef``), larger
than :data:`PRUNE_MIN_BYTES`; smaller ones are compiled whole, so every schema error
is still found.  In a pruned large schema, an error confined to elements no document
uses is not reported (libxml2 never sees that part).

Compiled validators are kept per name set in the process; pruned schemas are stored in
the cache folder keyed by the schema's sha256 and the name set.
"""
from __future__ import annotations

import copy
import hashlib
import re
from typing import Callable

from lxml import etree

from ..caching import BoundedCache
from ..ns import RNG_NS
from ..xmlio import safe_parser

_R = f"{{{RNG_NS}}}"

#: grammars smaller than this compile whole in well under a second: pruning buys nothing
#: and a whole compile also checks the parts no document uses
PRUNE_MIN_BYTES = 64 * 1024
#: part of the cache key of a pruned schema: a change in how schemas are pruned must not
#: reuse what an older teikit stored
PRUNING_VERSION = 2
#: up to this many element names, :func:`propagate_not_allowed` runs, so libxml2 compiles
#: content models into automata (fast to validate); beyond, their construction can explode:
#: tei_all compiled in 0.03 s for 191 names, and ran over a minute for 300 names or more
PROPAGATE_MAX_NAMES = 150
#: pruned grammars a grammar keeps compiled (the least recently used goes first): a run compiles a handful,
#: a long-lived worker of a cluster one set a run
KEEP_COMPILED = 8


class PrunableGrammar:
    """One RELAX NG grammar, compiled per set of element local names.

    ``load``/``store`` read and write pruned schema bytes in a cache by key.
    """

    def __init__(self, doc: etree._ElementTree, source: bytes,
                 load: Callable[[str], bytes | None], store: Callable[[str, bytes], None]):
        self._doc = doc
        self._digest = hashlib.sha256(source).hexdigest()
        self._names = {el: _local_name(el) for el in doc.iter(f"{_R}element")}
        self._load, self._store = load, store
        self._compiled: BoundedCache[tuple[frozenset[str], bool], etree.RelaxNG] = BoundedCache(KEEP_COMPILED)
        self._union: frozenset[str] | None = None

    @staticmethod
    def applies_to(doc: etree._ElementTree, size: int) -> bool:
        """Large, self-contained grammars only."""
        if size < PRUNE_MIN_BYTES:
            return False
        return next(doc.getroot().iter(f"{_R}include", f"{_R}externalRef"), None) is None

    def expect(self, names: frozenset[str], *, fresh: bool = False) -> None:
        """Compile now for a batch that uses (at most) ``names``.  ``fresh``: they are a new
        run's, the names of earlier runs are forgotten (a long-lived worker of a cluster keeps
        its grammar from run to run: the union of every corpus's names would make the grammar
        grow, past :data:`PROPAGATE_MAX_NAMES` slower to validate)."""
        if fresh:
            self._union = None
        self.for_names(names)

    def for_names(self, names: frozenset[str]) -> etree.RelaxNG:
        """A validator giving the whole grammar's verdict on any document using only ``names``.

        Name sets grow: a validator for the union of all names seen so far serves every
        later document whose names it covers, so a batch compiles a handful of times.
        """
        if self._union is None or not names <= self._union:
            self._union = names if self._union is None else self._union | names
        return self._get(self._union, keep_names=False)

    def current(self) -> etree.RelaxNG | None:
        """The validator compiled for the names seen so far (None before any): a document it
        accepts is valid, as pruning only takes patterns away; one it rejects is invalid once
        :meth:`for_names` covers the document's names."""
        return None if self._union is None else self._get(self._union, keep_names=False)

    def diagnosis(self) -> etree.RelaxNG:
        """For a document :meth:`for_names` found invalid: the same verdict, with the
        errors (lines, messages) the whole grammar gives.  Slower to compile (about a
        fifth of the whole grammar for tei_all), so only built when a document fails."""
        assert self._union is not None, "for_names() first"
        return self._get(self._union, keep_names=True)

    def _get(self, names: frozenset[str], keep_names: bool) -> etree.RelaxNG:
        return self._compiled.get((names, keep_names), lambda: etree.RelaxNG(self._pruned(names, keep_names)))

    def _pruned(self, names: frozenset[str], keep_names: bool) -> etree._ElementTree:
        key = f"rng-{'named' if keep_names else 'min'}-{PRUNING_VERSION}-" + hashlib.sha256(
            (self._digest + "\0" + "\0".join(sorted(names))).encode()).hexdigest() + ".rng"
        cached = self._load(key)
        if cached is not None:
            try:
                return etree.ElementTree(etree.fromstring(cached, safe_parser()))
            except etree.XMLSyntaxError:
                pass  # damaged cache entry: prune again
        pruned = prune(self._doc, names, self._names, keep_names=keep_names,
                       propagate=not keep_names and len(names) <= PROPAGATE_MAX_NAMES)
        self._store(key, etree.tostring(pruned))
        return pruned


def _local_name(el: etree._Element) -> str | None:
    """The local name an ``<element>`` pattern matches, or None for a name class
    (``anyName``, ``nsName``, ``choice``): those are kept."""
    name = el.get("name")
    if name is None:
        first = next(el.iterchildren(etree.Element), None)
        if first is None or first.tag != f"{_R}name":
            return None
        name = first.text or ""
    return name.strip().rpartition(":")[2]


def prune(doc: etree._ElementTree, names: frozenset[str],
          element_names: dict[etree._Element, str | None], *, keep_names: bool = False,
          propagate: bool = False) -> etree._ElementTree:
    """A copy of ``doc`` with every element pattern for a name outside ``names`` emptied,
    and the defines nothing references any more dropped.

    ``keep_names=False``: the pattern becomes ``<notAllowed/>`` (smallest, fastest to compile).
    ``keep_names=True``: it stays an element of that name with ``<notAllowed/>`` content,
    so every content model keeps its alternatives and libxml2 reports errors exactly where
    it does with the whole grammar (it compiles content models that became deterministic
    into automata, which report an error on the parent instead of the child).
    ``propagate``: then :func:`propagate_not_allowed` (fast validation, see there).
    """
    doomed = {el for el, name in element_names.items() if name is not None and name not in names}
    root = doc.getroot()
    pruned = copy.deepcopy(root)
    # a deep copy has the same shape: walk both to find the copies of the doomed patterns
    targets = [mine for original, mine in zip(root.iter(), pruned.iter()) if original in doomed]
    for el in targets:
        stub = etree.Element(el.tag if keep_names else f"{_R}notAllowed", dict(el.attrib) if keep_names else {})
        if keep_names:
            if el.get("name") is None:
                stub.append(copy.deepcopy(next(el.iterchildren(etree.Element))))  # its <name>
            etree.SubElement(stub, f"{_R}notAllowed")
        stub.tail = el.tail
        el.getparent().replace(el, stub)
    if propagate:
        propagate_not_allowed(pruned)
    _drop_unreferenced_defines(pruned)
    return etree.ElementTree(pruned)


#: patterns that match nothing when one of their children matches nothing
_NOT_ALLOWED_IF_CHILD = frozenset(f"{_R}{t}" for t in
                                  ("group", "interleave", "oneOrMore", "mixed", "element", "attribute", "list"))
#: patterns that match only the empty sequence when their content matches nothing
_EMPTY_IF_CHILD = frozenset((f"{_R}optional", f"{_R}zeroOrMore"))


def propagate_not_allowed(grammar: etree._Element) -> None:
    """Rewrite what can match nothing as ``<notAllowed/>``, as far as it goes: through
    groups, elements, attributes and references to a define that matches nothing; out of
    choices; ``optional``/``zeroOrMore`` of it become ``<empty/>``.

    Each step is an identity of RELAX NG, so verdicts do not change.  It matters for
    speed: libxml2 compiles an element's content model into an automaton only when no
    ``notAllowed`` (nor a reference to one) is left in it, and otherwise interprets it,
    backtracking through every alternative (tei_all pruned for FRUS documents: about
    2 ms a file interpreted, 0.16 ms compiled).
    """
    if _nested_grammars(grammar):
        return  # refs would need scoping; keep it as it is
    defines: dict[str, list[etree._Element]] = {}
    refs: dict[str, list[etree._Element]] = {}
    for define in grammar.iter(f"{_R}define"):
        defines.setdefault(define.get("name", "").strip(), []).append(define)
    for ref in grammar.iter(f"{_R}ref"):
        refs.setdefault(ref.get("name", "").strip(), []).append(ref)
    todo = list(grammar.iter(f"{_R}notAllowed"))
    while todo:
        nothing = todo.pop()
        parent = nothing.getparent()
        if parent is None or parent.getparent() is None:
            continue  # the root, or in a part already replaced
        if parent.tag == f"{_R}choice":
            parent.remove(nothing)  # its tail is whitespace: RELAX NG patterns hold no text
            if next(parent.iterchildren(etree.Element), None) is None:
                todo.append(_replace(parent, "notAllowed"))
        elif parent.tag in _NOT_ALLOWED_IF_CHILD:
            todo.append(_replace(parent, "notAllowed"))
        elif parent.tag in _EMPTY_IF_CHILD:
            _replace(parent, "empty")
        elif parent.tag == f"{_R}define":
            name = parent.get("name", "").strip()
            if len(defines.get(name, ())) == 1 and parent.get("combine") is None:
                todo += [_replace(ref, "notAllowed") for ref in refs.get(name, ()) if ref.getparent() is not None]


def _replace(old: etree._Element, tag: str) -> etree._Element:
    new = etree.Element(f"{_R}{tag}")
    new.tail = old.tail
    old.getparent().replace(old, new)
    return new


def _nested_grammars(grammar: etree._Element) -> bool:
    return next(grammar.iter(f"{_R}parentRef"), None) is not None \
        or any(g is not grammar for g in grammar.iter(f"{_R}grammar"))


def _drop_unreferenced_defines(grammar: etree._Element) -> None:
    """Remove the top grammar's defines that ``start`` no longer reaches (one grammar only)."""
    if grammar.tag != f"{_R}grammar" or _nested_grammars(grammar):
        return
    defines: dict[str, list[etree._Element]] = {}
    for define in grammar.iter(f"{_R}define"):  # also those inside grammar <div>s
        defines.setdefault(define.get("name", "").strip(), []).append(define)
    reached: set[str] = set()
    todo = [ref.get("name", "").strip() for start in grammar.iter(f"{_R}start")
            for ref in start.iter(f"{_R}ref")]
    while todo:
        name = todo.pop()
        if name in reached or name not in defines:
            continue
        reached.add(name)
        todo += [ref.get("name", "").strip() for d in defines[name] for ref in d.iter(f"{_R}ref")]
    for name, group in defines.items():
        if name not in reached:
            for define in group:
                define.getparent().remove(define)


def document_names(tree: etree._ElementTree) -> frozenset[str]:
    """The local names of the elements in a document."""
    tags = {el.tag for el in tree.iter(etree.Element)}
    return frozenset(tag.rpartition("}")[2] for tag in tags)


#: a start tag's name in raw XML: optional prefix, then the local name (ASCII names; a
#: document with others is still right, its names are added when it is checked)
_START_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def scan_local_names(files: list[str]) -> frozenset[str]:
    """Every name that looks like a start tag in the files (a superset: comments count)."""
    names: set[bytes] = set()
    for file in files:
        try:
            with open(file, "rb") as handle:
                names.update(_START_TAG.findall(handle.read()))
        except OSError:
            continue  # the runner reports the file
    return frozenset(n.decode("ascii") for n in names)


# -- restrictions libxml2 does not check ---------------------------------------------------

#: a datatypeLibrary: empty, or an absolute URI (a scheme, then something) without a fragment
#: (RELAX NG section 3, after RFC 2396: ``foo:`` is no URI)
_DATATYPE_LIBRARY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:[^#]+)?")
#: what repeats the patterns inside it, once ``zeroOrMore`` is simplified to ``oneOrMore``
_REPEATS = frozenset({f"{_R}oneOrMore", f"{_R}zeroOrMore"})
#: where looking for a repetition around an attribute stops: its element (none found: an error);
#: a define or grammar, whose patterns may be referenced from inside a repetition (not judged)
_ELEMENT, _UNJUDGED = f"{_R}element", frozenset({f"{_R}define", f"{_R}grammar", f"{_R}start"})


def restriction_problems(doc: etree._ElementTree) -> list[tuple[int | None, str]]:
    """(line, message) for each breach of two RELAX NG rules that libxml2 lets pass (James
    Clark's spec suite, cases 55 and 358), so such a schema is refused as jing refuses it:

    * a ``datatypeLibrary`` that is not an absolute URI without a fragment (section 3);
    * an ``attribute`` whose name class holds ``anyName`` or ``nsName`` without a ``oneOrMore``
      around it inside its element (section 7.3: such an attribute matches several names, so
      it must be repeatable).  An attribute inside a ``define`` is not judged (a reference from
      inside a repetition makes it right), so nothing valid is refused.
    """
    problems: list[tuple[int | None, str]] = []
    for el in doc.getroot().iter(f"{_R}*"):
        library = el.get("datatypeLibrary")
        if library is not None and not _DATATYPE_LIBRARY.fullmatch(library):
            problems.append((el.sourceline, f'datatypeLibrary "{library}" is not an absolute URI '
                                            "without a fragment"))
        if el.tag == f"{_R}attribute" and _infinite_name_class(el) and not _repeated(el):
            problems.append((el.sourceline, "an attribute whose name class holds anyName or nsName "
                                            "must be inside oneOrMore (or zeroOrMore)"))
    return problems


def _infinite_name_class(attribute: etree._Element) -> bool:
    """Whether the attribute's name class (its first child, unless it has a ``name`` attribute)
    holds ``anyName`` or ``nsName``."""
    if attribute.get("name") is not None:
        return False
    name_class = next((child for child in attribute if isinstance(child.tag, str)), None)
    return name_class is not None and next(
        name_class.iter(f"{_R}anyName", f"{_R}nsName"), None) is not None


def _repeated(attribute: etree._Element) -> bool:
    """Whether a repetition stands between the attribute and its element (or a define holds it)."""
    for ancestor in attribute.iterancestors():
        if ancestor.tag in _REPEATS or ancestor.tag in _UNJUDGED:
            return True
        if ancestor.tag == _ELEMENT:
            return False
    return True


__all__ = ["PrunableGrammar", "prune", "document_names", "scan_local_names", "restriction_problems",
           "PRUNE_MIN_BYTES"]
