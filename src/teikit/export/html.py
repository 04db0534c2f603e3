"""TEI -> one readable HTML5 page (pure lxml, no JavaScript).

All inputs go into **one page** (an ``<article>`` per top-level part of their
front, body and back, in order: a document, a chapter holding documents, a
title page ..., with a table of contents of the documents when there are
several), so every cross-reference between exported documents is a link inside
the page and no text outside documents is left out.  The inputs are first
assembled with :func:`teikit.export.corpus.build_corpus` (layout ``volume``),
so identifiers never clash.

* heading -> ``<h2>``, paragraphs, lists (``<ul>``, a list head before it),
  tables, closers/signatures, datelines, ``<lb/>`` -> ``<br>``,
  ``<hi rend="italic">`` -> ``<em>`` ...; other phrase elements -> ``<span class="name">``.
* footnotes: the marker is ``<sup class="noteref"><a id="ID-ref" href="#ID">n</a></sup>``
  where the note stood; the note text is in a numbered list
  (``<section class="footnotes"><ol><li id="ID" value="n">``) at the end of its document
  with a back-link ``<a class="backlink" href="#ID-ref">``.
* page breaks: ``<a class="pb" id="pg_283" href="#pg_283">[p. 283]</a>``, set in the margin
  (the label as :meth:`teikit.Page.cite` writes it).
* ``<ref target="#x">``: ``<a href="#x">`` when ``x`` is in the page; a FRUS document
  outside the page (``frus1955-57v01#d189``, ``frus1952-54v12p1``; :mod:`teikit.query.frus`)
  links to its page on history.state.gov; any other target is kept as
  ``<span class="ref unresolved" data-target="...">`` (no dead link).
* all text is escaped by lxml's serializer.
"""
from __future__ import annotations

from typing import Sequence

from lxml import etree

from .._version import __version__
from ..query import frus
from ..query.document import page_label
from ..query.pages import BLOCKS, document_elements, local_name
from ..xmlio import XML_ID, tei, text_without_notes
from .corpus import build_corpus
from .inputs import Input, normalize

CSS = """
body{font-family:Georgia,serif;line-height:1.5;max-width:42em;margin:2em auto;padding:0 7em 0 2em}
article.document{border-top:1px solid #ccc;margin-top:2em;position:relative}
.pb{float:right;margin-right:-7em;width:6em;text-align:left;color:#666;font-size:.8em;
 font-family:sans-serif;text-decoration:none}
.noteref a{text-decoration:none}
section.footnotes{font-size:.9em;border-top:1px dotted #aaa}
.dateline{font-style:italic}.signed{margin-left:50%}
.list-head{font-weight:bold}.unresolved{border-bottom:1px dotted #999}
table{border-collapse:collapse}td{border:1px solid #ccc;padding:.2em .4em;vertical-align:top}
"""

# TEI element -> (html tag, class) for elements rendered as blocks
_BLOCKS = {
    "p": ("p", None), "item": ("li", None), "table": ("table", None), "row": ("tr", None),
    "cell": ("td", None), "closer": ("div", "closer"), "opener": ("div", "opener"),
    "signed": ("p", "signed"), "salute": ("p", "salute"), "dateline": ("p", "dateline"),
    "byline": ("p", "byline"), "postscript": ("div", "postscript"), "lg": ("div", "lg"),
    "l": ("div", "l"), "div": ("section", None), "floatingText": ("div", "floatingText"),
    "body": ("div", "body"), "trailer": ("p", "trailer"), "argument": ("div", "argument"),
    "epigraph": ("blockquote", None),
}
_HI = {"italic": "em", "bold": "strong", "superscript": "sup", "sub": "sub", "subscript": "sub",
       "underline": "u", "strong": "strong", "sup": "sup"}
# TEI children that cannot sit inside an HTML <p>
_NOT_IN_P = {"list", "table", "lg", "floatingText", "p", "div", "closer", "opener", "quote"}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


class _Renderer:
    def __init__(self, ids_in_page: set[str], counter: list[int]):
        self.ids = ids_in_page
        self.notes: list[tuple[etree._Element, str]] = []
        self.counter = counter  # shared by all documents of the page: generated ids stay unique

    # -- helpers -------------------------------------------------------
    @staticmethod
    def _append_text(parent: etree._Element, text: str | None) -> None:
        if not text:
            return
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def _new_id(self, stem: str) -> str:
        self.counter[0] += 1
        return f"teikit-{stem}-{self.counter[0]}"

    def children(self, el: etree._Element, out: etree._Element) -> None:
        self._append_text(out, el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.element(child, out)
            self._append_text(out, child.tail)

    # -- elements ------------------------------------------------------
    def element(self, el: etree._Element, out: etree._Element) -> None:
        name = _local(el)
        xml_id = el.get(XML_ID)
        if name == "note" and el.get("type") != "inline":
            self.note_marker(el, out)
            return
        if name == "pb":
            pid = xml_id or self._new_id("pb")
            a = etree.SubElement(out, "a", {"class": "pb", "id": pid, "href": f"#{pid}"})
            n = el.get("n")
            a.text = f"[{page_label(n if n and n.strip() else None)}]"
            return
        if name == "lb":
            etree.SubElement(out, "br")
            return
        if name == "ref":
            self.ref(el, out)
            return
        if name == "list":
            wrapper = etree.SubElement(out, "div", {"class": "list"})
            if xml_id:
                wrapper.set("id", xml_id)
            head = el.find(tei("head"))
            if head is not None:
                h = etree.SubElement(wrapper, "p", {"class": "list-head"})
                self.children(head, h)
            ul = etree.SubElement(wrapper, "ul")
            pending: list[etree._Element] = []  # page breaks between items go into the next item
            for child in el:
                if not isinstance(child.tag, str) or child is head:
                    continue
                if _local(child) == "pb":
                    pending.append(child)
                elif _local(child) == "item":
                    self.element(child, ul)
                    if pending:
                        li = ul[-1]
                        holder = etree.Element("span")
                        for pb in pending:
                            self.element(pb, holder)
                        anchors = list(holder)
                        anchors[-1].tail, li.text = li.text, None
                        for index, anchor in enumerate(anchors):
                            li.insert(index, anchor)
                    pending = []
                else:  # label, note between items: an item of their own
                    li = etree.SubElement(ul, "li", {"class": _local(child)})
                    self.element(child, li)
            for pb in pending:  # after the last item
                self.element(pb, ul[-1] if len(ul) else wrapper)
            return
        if name == "head":
            h = etree.SubElement(out, "h3")
            self.children(el, h)
            return
        if name == "quote":
            tag = "blockquote" if any(_local(c) == "p" for c in el if isinstance(c.tag, str)) else "q"
            node = etree.SubElement(out, tag)
        elif name == "hi":
            rend = (el.get("rend") or "").split()
            tag = next((_HI[r] for r in rend if r in _HI), "span")
            node = etree.SubElement(out, tag)
            if tag == "span" and rend:
                node.set("class", " ".join(rend))
        elif name in _BLOCKS:
            tag, cls = _BLOCKS[name]
            if tag == "p" and any(isinstance(c.tag, str) and _local(c) in _NOT_IN_P for c in el):
                tag, cls = "div", (cls or name)
            node = etree.SubElement(out, tag)
            if cls:
                node.set("class", cls)
        elif name == "gap":
            node = etree.SubElement(out, "span", {"class": "gap"})
            node.text = "[…]"
        else:
            node = etree.SubElement(out, "span", {"class": name})
            if name == "date" and el.get("when"):
                node.set("title", el.get("when"))
            if name in BLOCKS:  # a block-level TEI element shown inline: its words stay apart
                self._append_text(out, " ")
        if xml_id:
            node.set("id", xml_id)
        self.children(el, node)

    def note_marker(self, note: etree._Element, out: etree._Element) -> None:
        nid = note.get(XML_ID) or self._new_id("note")
        n = note.get("n") or str(len(self.notes) + 1)
        sup = etree.SubElement(out, "sup", {"class": "noteref"})
        a = etree.SubElement(sup, "a", {"id": f"{nid}-ref", "href": f"#{nid}"})
        a.text = n
        self.notes.append((note, nid))

    def ref(self, el: etree._Element, out: etree._Element) -> None:
        target = (el.get("target") or "").split()
        href = None
        if target:
            first = target[0]
            if first.startswith("#") and first[1:] in self.ids:
                href = first
            else:
                href = frus.link(first)
        if href:
            node = etree.SubElement(out, "a", {"class": "ref", "href": href})
        else:
            node = etree.SubElement(out, "span", {"class": "ref unresolved"})
            if target:
                node.set("data-target", " ".join(target))
        if el.get(XML_ID):
            node.set("id", el.get(XML_ID))
        self.children(el, node)

    def footnotes(self, out: etree._Element) -> None:
        if not self.notes:
            return
        section = etree.SubElement(out, "section", {"class": "footnotes"})
        etree.SubElement(section, "h3").text = "Notes"
        ol = etree.SubElement(section, "ol")
        done = 0
        while done < len(self.notes):  # notes inside notes are appended while rendering
            note, nid = self.notes[done]
            done += 1
            li = etree.SubElement(ol, "li", {"id": nid})
            n = note.get("n")
            if n and n.isdigit():
                li.set("value", n)
            if note.get("type"):
                li.set("class", note.get("type"))
            self.children(note, li)
            self._append_text(li, " ")
            back = etree.SubElement(li, "a", {"class": "backlink", "href": f"#{nid}-ref",
                                              "aria-label": "back to text"})
            back.text = "↩"


#: top-level parts rendered as an article of their own children (others are rendered whole)
_SECTIONS = frozenset({"div", "div1", "div2", "titlePage", "argument", "epigraph", "castList", "sourceDoc"})


def _parts(root: etree._Element) -> list[etree._Element]:
    """The top-level parts of the assembled volume (sourceDoc ..., front, body, back), in order."""
    beside_text = [child for child in root[1:] if isinstance(child.tag, str) and local_name(child.tag) != "text"]
    return beside_text + [child for name in ("front", "body", "back")
            for part in root.findall(f"{tei('text')}/{tei(name)}") for child in part
            if isinstance(child.tag, str)]


def _is_document(el: etree._Element) -> bool:
    return local_name(str(el.tag)) == "div" and el.get("type") == "document"


def render_html(docs: Sequence[Input], *, title: str | None = None) -> str:
    """The HTML page (a string starting with ``<!DOCTYPE html>``) for ``docs``."""
    corpus = build_corpus(docs, layout="volume", title=title)
    root = corpus.tree.getroot()
    parts = _parts(root)
    documents = [d for d in document_elements(root) if _is_document(d)] or parts
    page_title = title or (docs[0].title if len(docs) == 1 and len(docs[0].documents) == 1
                           else f"{len(documents)} documents")
    ids = {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}

    html = etree.Element("html", lang="en")
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "meta", name="generator", content=f"teikit {__version__}")
    etree.SubElement(head, "title").text = page_title
    etree.SubElement(head, "style").text = CSS
    body = etree.SubElement(html, "body")
    header = etree.SubElement(body, "header")
    etree.SubElement(header, "h1").text = page_title
    if len(documents) > 1:
        nav = etree.SubElement(header, "nav", {"class": "toc"})
        ol = etree.SubElement(nav, "ol")
        for div in documents:
            head_el = div.find(tei("head"))
            label = normalize(text_without_notes(head_el)) if head_el is not None else (div.get("n") or "")
            li = etree.SubElement(ol, "li")
            a = etree.SubElement(li, "a", href=f"#{div.get(XML_ID)}") if div.get(XML_ID) else etree.SubElement(li, "span")
            a.text = label
    main = etree.SubElement(body, "main")
    counter = [0]
    for div in parts:
        renderer = _Renderer(ids, counter)
        article = etree.SubElement(main, "article", {"class": "document" if _is_document(div) else local_name(div.tag)})
        if local_name(div.tag) not in _SECTIONS:  # a page break, a paragraph ... between sections
            renderer.element(div, article)
            renderer.footnotes(article)
            continue
        if div.get(XML_ID):
            article.set("id", div.get(XML_ID))
        if div.get("n"):
            article.set("data-n", div.get("n"))
        renderer._append_text(article, div.text)
        for child in div:
            if isinstance(child.tag, str):
                if _local(child) == "head" and child is div.find(tei("head")):
                    h2 = etree.SubElement(article, "h2")
                    renderer.children(child, h2)
                else:
                    renderer.element(child, article)
            renderer._append_text(article, child.tail)
        renderer.footnotes(article)
    etree.indent(head)
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
