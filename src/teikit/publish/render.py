"""HTML pages of the reading site, shared by ``teikit serve`` and ``export --format site``.

Pages link to each other with relative URLs, so the same HTML works served and as
static files: ``index.html``, ``<collection>/index.html``, ``<collection>/<doc>.html``
and ``search.html``.  No JavaScript; the layout is one readable column that fits a
phone (390 px) without horizontal scrolling.  Page breaks show as ``[Page N]`` where
the page begins, with an anchor ``#page-N``; footnotes have back-links;
cross-references to documents of the same collection are links.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence
from urllib.parse import quote

from lxml import etree

from .._version import __version__
from ..query.pages import BLOCKS as TEXT_BLOCKS
from ..ns import DIVISIONS
from ..xmlio import XML_ID, tei, xml_ids_within

if TYPE_CHECKING:  # the one-page html export renders text alone: it loads no catalog
    from .catalog import Catalog, Collection, Resource
    from .citation import CitableUnit

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:Georgia,'Times New Roman',serif;line-height:1.55;margin:0 auto;max-width:44em;
 padding:0 1rem 2rem;color:#222;background:#fff;overflow-wrap:anywhere}
a{color:#1a4f8b}
header.site{border-bottom:1px solid #ddd;padding:.6em 0;font-family:system-ui,sans-serif;font-size:.9em}
header.site form{margin-top:.4em;display:flex;gap:.3em}
header.site input[type=search]{flex:1;min-width:0;font-size:1em;padding:.3em}
nav.crumbs a{text-decoration:none}
nav.prevnext{display:flex;justify-content:space-between;gap:1em;font-family:system-ui,sans-serif;
 font-size:.85em;margin:.8em 0}
nav.prevnext a{max-width:48%}
h1{font-size:1.45em;line-height:1.3}
.pb{font-family:system-ui,sans-serif;font-size:.8em;color:#555;text-decoration:none;white-space:nowrap}
.noteref a{text-decoration:none;padding:0 .1em}
section.footnotes{font-size:.9em;border-top:1px solid #ccc;margin-top:2em}
section.footnotes li{margin:.4em 0}ol.notes{list-style:none;padding-left:0}
section.footnotes li:target,:target{background:#fff4c2}
.backlink{text-decoration:none;margin-left:.3em}
.meta,.cite{font-family:system-ui,sans-serif;font-size:.85em;color:#444}
.cite{border:1px solid #ddd;padding:.5em .7em;margin-top:1.5em}
.dateline{font-style:italic}.signed{margin-left:30%}.list-head{font-weight:bold}
.speaker{font-weight:bold;margin:.8em 0 0}.stage{font-style:italic}.sp .l{margin-left:1.5em}
.unresolved{border-bottom:1px dotted #999}
div.table{overflow-x:auto}table{border-collapse:collapse}
td{border:1px solid #ccc;padding:.2em .4em;vertical-align:top}
ul.contents{padding-left:0;list-style:none}ul.contents li{margin:.5em 0}
ul.hits li{margin:.8em 0}mark{background:#fff0a0}
img{max-width:100%}
"""

_BLOCKS = {  # TEI element -> (HTML tag, class)
    "p": ("p", None), "ab": ("p", None), "closer": ("div", "closer"), "opener": ("div", "opener"),
    "signed": ("p", "signed"), "salute": ("p", "salute"), "dateline": ("p", "dateline"),
    "byline": ("p", "byline"), "postscript": ("div", "postscript"), "trailer": ("p", "trailer"),
    "lg": ("div", "lg"), "l": ("div", "l"), "floatingText": ("div", "floatingText"),
    "front": ("div", "front"), "body": ("div", "body"), "back": ("div", "back"),
    "argument": ("div", "argument"), "epigraph": ("blockquote", None), "figure": ("figure", None),
    "docTitle": ("div", "docTitle"), "titlePage": ("div", "titlePage"), "sp": ("div", "sp"),
    "speaker": ("p", "speaker"), "cit": ("div", "cit"), "group": ("div", "group"),
    "castList": ("div", "castList"), "castGroup": ("div", "castGroup"), "castItem": ("p", "castItem"),
    **{name: ("section", None) for name in DIVISIONS},   # div, and the numbered div1..div7
}
#: where a stage direction is an aside inside the line or paragraph spoken (a <span>), not a
#: paragraph of its own
_RUN_IN_CONTEXTS = frozenset({"p", "l", "ab", "seg", "speaker", "head", "item", "castItem", "role"})
#: what a space after a block shown inline would stand before for nothing, or wrongly
_NO_SPACE_BEFORE = frozenset(" \t\n\r,.;:!?)]’”")

_INLINE: dict[str, str | None] = {"hi": None, "emph": "em", "foreign": "i", "title": "cite", "del": "del", "add": "ins",
           "q": "q", "said": "q", "mentioned": "em", "term": "em", "soCalled": "q"}
_HI = {"italic": "em", "italics": "em", "bold": "strong", "superscript": "sup", "sup": "sup",
       "sub": "sub", "subscript": "sub", "underline": "u", "strong": "strong"}
_SKIPPED = frozenset({"teiHeader", "facsimile", "sic", "orig", "abbr", "figDesc"})  # the reading text shows corr/reg/expan
_BLOCK_CHILDREN = {"list", "table", "lg", "floatingText", "p", "div", "closer", "opener", "quote", "figure"}
HITS_PER_PAGE = 20  # a results page one can scan; each hit costs a snippet, so few keep search fast


@dataclass
class Links:
    """Relative URLs from a page ``depth`` folders below the site root."""

    depth: int

    @property
    def root(self) -> str:
        return "../" * self.depth

    def home(self) -> str:
        return self.root + "index.html"

    def search(self) -> str:
        return self.root + "search.html"

    def collection(self, collection: Collection) -> str:
        return f"{self.root}{collection_path(collection)}/index.html"

    def resource(self, resource: Resource, fragment: str = "") -> str:
        url = self.root + resource_path(resource)
        return url + (f"#{fragment}" if fragment else "")


@functools.lru_cache(maxsize=None)
def _segment(name: str) -> str:
    """A path segment for an id (quoted once: links to documents are made on every page)."""
    return quote(name, safe="")


def collection_path(collection: Collection) -> str:
    return _segment(collection.identifier)


def resource_path(resource: Resource) -> str:
    """Where a document page lives, relative to the site root."""
    return f"{_segment(resource.collection.identifier)}/{_segment(resource.doc_id)}.html"


_NOT_IN_ANCHOR = re.compile(r"[^\w.-]")


def page_anchor(n: str) -> str:
    return "page-" + _NOT_IN_ANCHOR.sub("_", n)


class _LocalNames(dict[str, str]):
    """``{ns}p`` -> ``p``, worked out once per tag (a page asks for it once or twice per element)."""

    def __missing__(self, tag: str) -> str:
        name = self[tag] = tag[tag.rfind("}") + 1:]
        return name


_LOCAL_NAMES = _LocalNames()


def _local(el: etree._Element) -> str:
    """Local name of an element ("" for comments and processing instructions)."""
    tag = el.tag
    return _LOCAL_NAMES[tag] if isinstance(tag, str) else ""


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _HoldsBlocks(dict[object, bool]):
    """Tag -> whether an element of it makes the ``<p>`` holding it a ``<div>`` (one in
    ``_BLOCK_CHILDREN``), worked out once per tag (comments' and PIs' tags are functions)."""

    def __missing__(self, tag: object) -> bool:
        holds = self[tag] = isinstance(tag, str) and _LOCAL_NAMES[tag] in _BLOCK_CHILDREN
        return holds


_HOLDS_BLOCKS = _HoldsBlocks()

#: how :meth:`TextRenderer._render` opens an element without a method of its own
_FIXED, _PARAGRAPH, _HI_REND = 0, 1, 2  # one tag; a <p> or a <div> if it holds blocks; <hi>: by its @rend


class _Opening(dict[str, "tuple[int, str, str | None, bool]"]):
    """Local name -> how its element opens: ``(kind, HTML tag, class, spaced)``, ``spaced``:
    a block of the text shown as a ``<span>`` (a space keeps its words apart from the next);
    worked out once per name (every element of a page is opened: one look-up, no branching on names)."""

    def __missing__(self, name: str) -> tuple[int, str, str | None, bool]:
        block = _BLOCKS.get(name)
        if block is not None:
            tag, cls = block
            opening = (_PARAGRAPH if tag == "p" else _FIXED, tag, cls, False)
        elif name in _INLINE:
            inline = _INLINE[name]
            opening = (_HI_REND, "span", None, False) if inline is None else (_FIXED, inline, None, False)
        else:
            opening = (_FIXED, "span", name, name in TEXT_BLOCKS)
        self[name] = opening
        return opening


_OPENING = _Opening()


class _Classed(dict[tuple[str, str], etree._Element]):
    """``(tag, class)`` -> an element of that tag and class, copied for each one made: a copy
    costs lxml about 60% of an element made and given its class (callgrind), and most
    elements of a page have a class."""

    def __missing__(self, key: tuple[str, str]) -> etree._Element:
        model = self[key] = etree.Element(key[0])
        model.set("class", key[1])
        return model


_CLASSED = _Classed()


#: how an element is rendered: ``(renderer, element, out)`` -> the element made last at the end of
#: ``out``, if known (see :meth:`TextRenderer._render`)
_Handler = Callable[["TextRenderer", etree._Element, etree._Element], "etree._Element | None"]


class TextRenderer:
    """TEI elements -> HTML elements; collects footnotes on the way.

    Shared by the reading site (:class:`Site`) and the one-page ``html`` export
    (:mod:`teikit.export.html`).  Subclasses decide where a reference goes
    (:meth:`href`), how a page mark is named (:meth:`page_id`) and which elements stand
    for a page of their own (:meth:`elsewhere`).  ``ids`` are the ids already on the
    page: generated ids never take one of them.
    """

    skipped: frozenset[str] = _SKIPPED
    section_heading = "h2"  # the heading of a <div> inside the text
    #: element name -> the method rendering it (:data:`_HANDLERS`, a subclass's overrides taken;
    #: a name in :attr:`skipped`: one rendering nothing): one dictionary look-up per element
    #: instead of a ``getattr`` by name and a test of :attr:`skipped`
    _handlers: dict[str, _Handler] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = _handlers_of(cls)

    def __init__(self, ids: set[str], heading: etree._Element | None = None):
        self.ids = ids
        self.heading = heading  # shown as the page's title: not repeated in the text
        self.notes: list[tuple[etree._Element, str, str]] = []  # (note, html id, number)
        self.used: set[str] = set()

    def _unique(self, wanted: str) -> str:
        name, k = wanted, 1
        while name in self.used or (name in self.ids and name != wanted):
            k += 1
            name = f"{wanted}-{k}"
        self.used.add(name)
        return name

    # policies ---------------------------------------------------------------------------------
    def href(self, target: str) -> str | None:
        """Where a ``@target`` leads, or ``None``: then the reference is a span, never a dead link."""
        if target.startswith(("http://", "https://")):
            return target
        return target if target.startswith("#") and target[1:] in self.ids else None

    def page_id(self, el: etree._Element) -> str:
        n = el.get("n")
        return self._unique(page_anchor(n) if n else "page-unnumbered")

    def elsewhere(self, el: etree._Element) -> tuple[str, str] | None:
        """``(href, label)`` when ``el`` is shown on a page of its own (linked here, not repeated)."""
        return None

    # walking (the hot loop: every element of every page passes here) ---------------------------
    def children(self, el: etree._Element, out: etree._Element) -> None:
        text = el.text
        if text:
            _append_text(out, text)
        self._children(el, out)

    def _children(self, el: etree._Element, out: etree._Element) -> None:
        """The children of ``el`` and their tails at the end of ``out`` (``el``'s text is done)."""
        render = self._render
        for child in el:
            tag = child.tag  # (lxml makes the string on each reading: read once)
            last = render(child, out, _LOCAL_NAMES[tag]) if tag.__class__ is str else None
            tail = child.tail
            if tail:
                if last is None:
                    _append_text(out, tail)
                else:  # the element just made, the last of ``out``: its tail is free
                    last.tail = tail

    def element(self, el: etree._Element, out: etree._Element) -> None:
        """``el`` rendered at the end of ``out``."""
        self._render(el, out, _local(el))

    def _render(self, el: etree._Element, out: etree._Element, name: str) -> etree._Element | None:
        """:meth:`element`, ``name`` the local name of ``el`` (a subclass overrides this one);
        returns the element it made last at the end of ``out`` with no tail, if it knows it
        (so that ``el``'s tail is set on it at once), else ``None``."""
        handler = self._handlers.get(name)
        if handler is not None:
            return handler(self, el, out)
        if name == "div":
            linked = self.elsewhere(el)
            if linked is not None:
                etree.SubElement(etree.SubElement(out, "p", {"class": "unit-link"}), "a",
                                 href=linked[0]).text = linked[1]
                return None
        kind, tag, cls, spaced = _OPENING[name]
        if kind == _PARAGRAPH:
            for child in el:
                if _HOLDS_BLOCKS[child.tag]:
                    tag, cls = "div", cls or name
                    break
        elif kind == _HI_REND:
            tag = next((_HI[r] for r in (el.get("rend") or "").split() if r in _HI), "span")
        if cls:
            node = _CLASSED[tag, cls].__copy__()
            out.append(node)
        else:
            node = etree.SubElement(out, tag)
        xml_id = el.get(XML_ID)
        if xml_id:
            node.set("id", xml_id)
        text = el.text
        if text:
            node.text = text  # the node is new: nothing to append to
        if len(el):  # (most elements hold text alone: no call to walk no children)
            self._children(el, node)
        if spaced:  # a block of the text shown inline: words stay apart, unless what follows
            tail = el.tail  # starts apart already or is punctuation ("<role>Ann</role>, <roleDesc>")
            if not tail or tail[0] not in _NO_SPACE_BEFORE:
                _append_text(out, " ")
            return None
        return node

    # elements with their own rendering --------------------------------------------------
    # (each returns the element it made last at the end of ``out``, if it knows it: see _render;
    # attributes are set one by one: cheaper for lxml than a dictionary of them)
    def _note(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        if el.get("place") == "inline" or el.get("type") == "inline":
            node = etree.SubElement(out, "span")
            node.set("class", "note-inline")
            self.children(el, node)
            return node
        number = el.get("n") or str(len(self.notes) + 1)
        nid = self._unique(el.get(XML_ID) or f"note-{number}")
        sup = etree.SubElement(out, "sup")
        sup.set("class", "noteref")
        a = etree.SubElement(sup, "a")
        a.set("id", f"{nid}-ref")
        a.set("href", f"#{nid}")
        a.text = number
        self.notes.append((el, nid, number))
        return sup

    def _pb(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        n = el.get("n")
        anchor = self.page_id(el)
        a = etree.SubElement(out, "a")
        a.set("class", "pb")
        a.set("id", anchor)
        a.set("href", f"#{anchor}")
        a.text = f"[Page {n}]" if n else "[Page]"
        return a

    def _lb(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        return etree.SubElement(out, "br")

    def _gap(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        node = etree.SubElement(out, "span")
        node.set("class", "gap")
        node.text = "[…]"
        return node

    def _graphic(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        return None  # images are not part of the text; nothing is fetched

    def _milestone(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        xml_id = el.get(XML_ID)
        if not xml_id:
            return None
        node = etree.SubElement(out, "span")
        node.set("id", xml_id)
        return node

    _anchor = _cb = _milestone

    def _head(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        if el is self.heading:
            return None  # the document's own heading is the page's title
        if _local(el.getparent()) in DIVISIONS:  # a section heading
            node = etree.SubElement(out, self.section_heading)
        else:
            node = etree.SubElement(out, "p")
            node.set("class", "head")
        self.children(el, node)
        return node

    def _stage(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        """A stage direction: a paragraph of its own between speeches, a span inside what is spoken."""
        node = _CLASSED["span" if _local(el.getparent()) in _RUN_IN_CONTEXTS else "p", "stage"].__copy__()
        out.append(node)
        self.children(el, node)
        return node

    def _quote(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        block = any(_local(c) in {"p", "lg", "l"} for c in el)
        node = etree.SubElement(out, "blockquote" if block else "q")
        self.children(el, node)
        return node

    def _choice(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        shown = [c for c in el if _local(c) not in _SKIPPED] or list(el)[:1]
        for child in shown[:1]:
            self.children(child, out)
        return None

    def _ref(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        targets = (el.get("target") or "").split()
        href = self.href(targets[0]) if targets else None
        if href:
            node = etree.SubElement(out, "a")
            node.set("class", "ref")
            node.set("href", href)
        else:
            node = etree.SubElement(out, "span")
            node.set("class", "ref unresolved")
            if targets:
                node.set("data-target", " ".join(targets))
                node.set("title", " ".join(targets))
        if el.get(XML_ID):
            node.set("id", self._unique(el.get(XML_ID)))
        self.children(el, node)
        return node

    _ptr = _ref

    def _list(self, el: etree._Element, out: etree._Element) -> None:
        head = el.find(tei("head"))
        if head is not None:
            self.children(head, etree.SubElement(out, "p", {"class": "list-head"}))
        ul = etree.SubElement(out, "ol" if el.get("type") in {"ordered", "numbered"} else "ul")
        if el.get(XML_ID):
            ul.set("id", el.get(XML_ID))
        breaks: list[etree._Element] = []  # page breaks between items: the page begins with the next item
        for child in el:
            if not isinstance(child.tag, str) or child is head:
                continue
            if _local(child) == "pb":
                breaks.append(child)
                continue
            li = etree.SubElement(ul, "li")
            for pb in breaks:
                self.element(pb, li)
            breaks = []
            if _local(child) == "item":
                if child.get(XML_ID):
                    li.set("id", child.get(XML_ID))
                self.children(child, li)
            else:  # a label or note between items
                li.set("class", _local(child))
                self.element(child, li)
        for pb in breaks:  # after the last item
            self.element(pb, ul[-1] if len(ul) else out)

    def _table(self, el: etree._Element, out: etree._Element) -> None:
        wrapper = etree.SubElement(out, "div", {"class": "table"})
        table = etree.SubElement(wrapper, "table")
        head = el.find(tei("head"))
        if head is not None:
            self.children(head, etree.SubElement(table, "caption"))
        for row in el:
            if _local(row) != "row":
                if isinstance(row.tag, str) and row is not head:
                    self.element(row, wrapper)
                continue
            tr = etree.SubElement(table, "tr")
            for cell in row:
                if _local(cell) == "cell":
                    td = etree.SubElement(tr, "td")
                    if (cell.get("cols") or "").isdigit():
                        td.set("colspan", cell.get("cols"))
                    self.children(cell, td)
                elif isinstance(cell.tag, str):
                    self.element(cell, etree.SubElement(tr, "td"))

    def footnotes(self, out: etree._Element) -> None:
        if not self.notes:
            return
        section = etree.SubElement(out, "section", {"class": "footnotes"})
        etree.SubElement(section, self.section_heading).text = "Notes"
        ol = etree.SubElement(section, "ol", {"class": "notes"})  # numbered as printed (the span), not by the list
        done = 0
        while done < len(self.notes):  # notes inside notes are added while rendering
            note, nid, number = self.notes[done]
            done += 1
            li = etree.SubElement(ol, "li")
            li.set("id", nid)
            if number.isdigit():
                li.set("value", number)
            kind = note.get("type")
            if kind:
                li.set("class", kind)
            mark = etree.SubElement(li, "span")
            mark.set("class", "n")
            mark.text = f"{number}. "
            self.children(note, li)
            _append_text(li, " ")
            back = etree.SubElement(li, "a")
            back.set("class", "backlink")
            back.set("href", f"#{nid}-ref")
            back.set("aria-label", f"back to note {number} in the text")
            back.text = "↩"
        self.notes = []  # the next part of a page starts its own notes


# elements rendered by a method of their own: <note> by TextRenderer._note ... (subclasses may override)
_HANDLERS = {name: f"_{name}" for name in (
    "note", "pb", "lb", "gap", "graphic", "milestone", "anchor", "cb", "head", "quote", "choice",
    "ref", "ptr", "list", "table", "stage")}


def _handlers_of(cls: type[TextRenderer]) -> dict[str, _Handler]:
    handlers: dict[str, _Handler] = {name: getattr(cls, method) for name, method in _HANDLERS.items()}
    return {**handlers, **{name: _nothing for name in cls.skipped}}


def _nothing(renderer: TextRenderer, el: etree._Element, out: etree._Element) -> etree._Element | None:
    """The rendering of a skipped element."""
    return None


TextRenderer._handlers = _handlers_of(TextRenderer)


class _Body(TextRenderer):
    """One document of the reading site: links to the other documents of its collection."""

    def __init__(self, resource: Resource, links: Links):
        element = resource.element
        ids = set(xml_ids_within(element))
        for inner in resource.collection.inside(resource):  # on pages of their own
            ids -= set(xml_ids_within(inner.element)) | {inner.doc_id}
        super().__init__(ids, element.find(tei("head")))
        self.resource = resource
        self.links = links

    def href(self, target: str) -> str | None:
        href = super().href(target)
        if href is not None or not target.startswith("#"):
            return href
        holder = self.resource.collection.resource_holding(target[1:])
        if holder is None:
            return None
        return self.links.resource(holder, "" if target[1:] == holder.doc_id else target[1:])

    def elsewhere(self, el: etree._Element) -> tuple[str, str] | None:
        inner = self.resource.collection.resource_at(el)
        if inner is None or inner is self.resource:
            return None
        return self.links.resource(inner), inner.label


def page_shell(title: str, base: str | None = None) -> tuple[etree._Element, etree._Element]:
    """``(<html>, <body>)`` of a page: utf-8, the viewport of a phone, the one style sheet, no script."""
    html = etree.Element("html", lang="en")
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    if base:  # the page is shown elsewhere (the DTS API): links resolve as from ``base``
        etree.SubElement(head, "base", href=base)
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "meta", name="generator", content=f"teikit {__version__}")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "style").text = CSS
    return html, etree.SubElement(html, "body")


def serialize(html: etree._Element) -> str:
    """The page as HTML5 text (lxml escapes all text)."""
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")


def serialize_bytes(html: etree._Element) -> bytes:
    """:func:`serialize` encoded in UTF-8 (lxml writes UTF-8 bytes, then decodes them for a text)."""
    return etree.tostring(html, method="html", encoding="UTF-8", doctype="<!DOCTYPE html>")


# -- pages -----------------------------------------------------------------------------------

class Site:
    """Renders every page of the reading site for a catalog."""

    def __init__(self, catalog: Catalog, *, searchable: bool):
        self.catalog = catalog
        self.searchable = searchable  # served: a search form; static: a link to the fallback page

    def _page(self, title: str, links: Links, crumbs: Sequence[tuple[str, str | None]],
              base: str | None = None) -> tuple[etree._Element, etree._Element]:
        html, body = page_shell(title, base)
        header = etree.SubElement(body, "header", {"class": "site"})
        nav = etree.SubElement(header, "nav", {"class": "crumbs", "aria-label": "breadcrumb"})
        for i, (label, href) in enumerate(crumbs):
            if i:
                _append_text(nav, " › ")
            if href:
                etree.SubElement(nav, "a", href=href).text = label
            else:
                etree.SubElement(nav, "span", {"aria-current": "page"}).text = label
        if self.searchable:
            form = etree.SubElement(header, "form", {"action": links.search(), "method": "get",
                                                     "role": "search"})
            etree.SubElement(form, "input", {"type": "search", "name": "q", "aria-label": "search",
                                             "placeholder": "Search the full text"})
            etree.SubElement(form, "button", type="submit").text = "Search"
        main = etree.SubElement(body, "main")
        return html, main

    def _home_crumb(self, links: Links) -> tuple[str, str]:
        return (self.catalog.title if len(self.catalog.collections) > 1 else "Home", links.home())

    def index(self) -> str:
        links = Links(0)
        html, main = self._page(self.catalog.title, links, [(self.catalog.title, None)])
        etree.SubElement(main, "h1").text = self.catalog.title
        ul = etree.SubElement(main, "ul", {"class": "contents"})
        for collection in self.catalog.collections:
            li = etree.SubElement(ul, "li")
            etree.SubElement(li, "a", href=links.collection(collection)).text = collection.title
            _append_text(li, f" ({len(collection.resources)} documents)")
        return serialize(html)

    def collection(self, collection: Collection) -> str:
        links = Links(1)
        html, main = self._page(collection.title, links,
                                [self._home_crumb(links), (collection.title, None)])
        etree.SubElement(main, "h1").text = collection.title
        ul = etree.SubElement(main, "ul", {"class": "contents"})
        for resource in collection.resources:
            li = etree.SubElement(ul, "li")
            etree.SubElement(li, "a", href=links.resource(resource)).text = resource.label
            if resource.date:
                _append_text(li, " ")
                etree.SubElement(li, "span", {"class": "meta"}).text = resource.date[:10]
        return serialize(html)

    def document(self, resource: Resource, base: str | None = None) -> str:
        links = Links(1)
        collection = resource.collection
        short = f"Document {resource.number}" if resource.number else resource.title
        html, main = self._page(f"{resource.label} — {collection.title}", links,
                                [self._home_crumb(links), (collection.title, links.collection(collection)),
                                 (short, None)], base)
        self._prev_next(main, resource, links)
        article = etree.SubElement(main, "article", {"class": "document", "id": resource.doc_id})
        body = _Body(resource, links)
        h1 = etree.SubElement(article, "h1")
        head = resource.element.find(tei("head"))
        if head is not None:
            if resource.number and not resource.heading_numbered:
                h1.text = f"{resource.number}. "  # the number once, as in the contents
            body.children(head, h1)
        else:
            h1.text = resource.label
        meta = [m for m in (resource.date[:10] if resource.date else None, resource.place) if m]
        if meta:
            etree.SubElement(article, "p", {"class": "meta"}).text = " · ".join(meta)
        pages = self._printed_pages(resource)
        if pages and pages[0].until is not None and pages[0].element is resource.element:
            first = pages[0].identifier  # the page the document starts on, before any <pb>
            etree.SubElement(article, "span", {"class": "pb", "id": body._unique(page_anchor(first))})
        text = etree.SubElement(article, "div", {"class": "text"})
        for child in resource.element:
            if isinstance(child.tag, str):
                body.element(child, text)
            _append_text(text, child.tail)
        body.footnotes(article)
        cite = etree.SubElement(article, "p", {"class": "cite"})
        cite.text = "Cite this: " + self.citation(resource)
        self._prev_next(main, resource, links)
        return serialize(html)

    @staticmethod
    def _printed_pages(resource: Resource) -> list[CitableUnit]:
        trees = resource.trees()
        return [u for t in trees for u in t.units if u.cite_type == "page"]

    def citation(self, resource: Resource) -> str:
        """``"<collection>, Document 186, pp. 401–405"``."""
        parts = [resource.collection.title]
        parts.append(f"Document {resource.number}" if resource.number else resource.title)
        numbered = [u.identifier for u in self._printed_pages(resource) if u.identifier.isdigit()]
        if numbered:
            parts.append(f"p. {numbered[0]}" if len(numbered) == 1 else f"pp. {numbered[0]}–{numbered[-1]}")
        return ", ".join(parts) + "."

    @staticmethod
    def _prev_next(main: etree._Element, resource: Resource, links: Links) -> None:
        nav = etree.SubElement(main, "nav", {"class": "prevnext", "aria-label": "previous and next"})
        if resource.previous is not None:
            etree.SubElement(nav, "a", href=links.resource(resource.previous), rel="prev").text = \
                "← " + resource.previous.label
        else:
            etree.SubElement(nav, "span")
        if resource.next is not None:
            etree.SubElement(nav, "a", href=links.resource(resource.next), rel="next").text = \
                resource.next.label + " →"

    def search(self, query: str, hits: Iterable[tuple[Resource, str | None, str, str]] | None,
               more: bool = False, message: str | None = None) -> str:
        """Results page: ``hits`` are (resource, page number, "p. 4, note 2", snippet); in a
        snippet, the matched words are between ``\\x02`` and ``\\x03``."""
        links = Links(0)
        html, main = self._page(f"Search: {query}" if query else "Search", links,
                                [self._home_crumb(links), ("Search", None)])
        etree.SubElement(main, "h1").text = f"Search: {query}" if query else "Search"
        if message:
            etree.SubElement(main, "p").text = message
        if hits is None:
            return serialize(html)
        hits = list(hits)
        summary = etree.SubElement(main, "p", {"class": "meta"})
        summary.text = ("Nothing found." if not hits else
                        f"The first {len(hits)} passages found; add words to narrow the search." if more
                        else f"{len(hits)} passage(s) found.")
        ul = etree.SubElement(main, "ul", {"class": "hits"})
        for resource, page, where, snippet in hits:
            li = etree.SubElement(ul, "li")
            a = etree.SubElement(li, "a", href=links.resource(resource, page_anchor(page) if page else ""))
            a.text = resource.label
            etree.SubElement(li, "br")
            etree.SubElement(li, "span", {"class": "meta"}).text = self._cite_hit(resource, where)
            etree.SubElement(li, "br")
            _marked(etree.SubElement(li, "span", {"class": "snippet"}), snippet)
        return serialize(html)

    def message(self, title: str, text: str, depth: int = 0) -> str:
        """A page saying one thing (not found ...), ``depth`` folders below the root."""
        links = Links(depth)
        html, main = self._page(title, links, [self._home_crumb(links), (title, None)])
        etree.SubElement(main, "h1").text = title
        etree.SubElement(main, "p").text = text
        return serialize(html)

    @staticmethod
    def _cite_hit(resource: Resource, where: str) -> str:
        return f"Document {resource.number}, {where}" if resource.number else f"{resource.title}, {where}"

    def fragment(self, resource: Resource, elements: list[etree._Element], base: str | None = None) -> str:
        """A passage (DTS ``mediaType=text/html``) as an HTML page."""
        links = Links(1)
        html, main = self._page(resource.label, links, [(resource.label, links.resource(resource))], base)
        body = _Body(resource, links)
        for el in elements:
            body.element(el, main)
        body.footnotes(main)
        return serialize(html)


def _marked(out: etree._Element, snippet: str) -> None:
    """Text with ``\\x02match\\x03`` spans as ``<mark>`` elements."""
    for i, piece in enumerate(re.split("[\x02\x03]", snippet)):
        if i % 2:
            etree.SubElement(out, "mark").text = piece
        else:
            _append_text(out, piece)
