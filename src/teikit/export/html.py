"""TEI -> one readable HTML5 page, rendered by the reading site's renderer (no JavaScript).

All inputs go into **one page** (an ``<article>`` per top-level part of their
front, body and back, in order: a document, a chapter holding documents, a
title page ..., with a list of contents of the documents when there are
several), so every cross-reference between exported documents is a link inside
the page and no text outside documents is left out.  The inputs are first
assembled with :func:`teikit.export.corpus.build_corpus` (layout ``volume``),
so identifiers never clash.  The text is rendered by
:class:`teikit.publish.render.TextRenderer`, the renderer of ``teikit serve`` and
``export --format site``, with its style sheet (one column that fits a phone).

* a document's heading -> ``<h2>``, with its number once (``74. Memorandum …``), as in the
  contents; headings inside it -> ``<h3>``; paragraphs, lists, tables, closers ...
  as on the reading site.
* footnotes: the marker is ``<sup class="noteref"><a id="ID-ref" href="#ID">n</a></sup>``
  where the note stood; the note text is in a list
  (``<section class="footnotes"><ol class="notes"><li id="ID">``) at the end of its
  document, starting with its number, with a back-link ``<a class="backlink" href="#ID-ref">``.
* page breaks: ``<a class="pb" id="pg_283" href="#pg_283">[Page 283]</a>`` in the text where
  the page begins (the ``<pb>``'s xml:id, else ``page-283``).
* ``<ref target="#x">``: ``<a href="#x">`` when ``x`` is in the page; a FRUS document
  outside the page (``frus1955-57v01#d189``, ``frus1952-54v12p1``; :mod:`teikit.query.frus`)
  links to its page on history.state.gov; any other target is kept as
  ``<span class="ref unresolved" data-target="...">`` (no dead link).
* every character of the text is kept: no element is skipped (an example's ``teiHeader``
  is text too), and both readings of a ``<choice>`` are shown.
* all text is escaped by lxml's serializer.
"""
from __future__ import annotations

from typing import Sequence

from lxml import etree

from ..publish.render import TextRenderer, page_shell, serialize, serialize_bytes
from ..query import frus
from ..query.document import HEADING_NUMBER
from ..query.pages import document_elements, local_name
from ..xmlio import XML_ID, tei, text_without_notes
from .corpus import build_corpus
from .inputs import Input, normalize

#: top-level parts rendered as an article of their own children (others are rendered whole)
_SECTIONS = frozenset({"div", "div1", "div2", "titlePage", "argument", "epigraph", "castList", "sourceDoc"})


class _PageText(TextRenderer):
    """The text of the one page: links stay in the page, or go to FRUS documents online."""

    skipped: frozenset[str] = frozenset()  # the parts hold no header (see _parts); an example's is text
    section_heading = "h3"

    def href(self, target: str) -> str | None:
        return super().href(target) or frus.link(target)

    def page_id(self, el: etree._Element) -> str:
        return self._unique(el.get(XML_ID)) if el.get(XML_ID) else super().page_id(el)

    def _choice(self, el: etree._Element, out: etree._Element) -> etree._Element | None:
        node = etree.SubElement(out, "span")
        node.set("class", "choice")
        self.children(el, node)  # every reading is text
        return node


def _parts(root: etree._Element) -> list[etree._Element]:
    """The top-level parts of the assembled volume (sourceDoc ..., front, body, back), in order."""
    beside_text = [child for child in root if isinstance(child.tag, str)
                   and local_name(child.tag) not in ("teiHeader", "text")]
    return beside_text + [child for name in ("front", "body", "back")
                          for part in root.findall(f"{tei('text')}/{tei(name)}") for child in part
                          if isinstance(child.tag, str)]


def _is_document(el: etree._Element) -> bool:
    return local_name(str(el.tag)) == "div" and el.get("type") == "document"


def _numbered(div: etree._Element, heading: str) -> bool:
    """Whether the heading needs no number before it (it has one, or the document has none)."""
    return not div.get("n") or bool(HEADING_NUMBER.match(heading))


def _label(div: etree._Element) -> str:
    """``"74. Memorandum …"``: the number once, then the heading."""
    head = div.find(tei("head"))
    heading = normalize(text_without_notes(head)) if head is not None else ""
    if _numbered(div, heading):
        return heading or div.get(XML_ID) or ""
    return f"{div.get('n')}. {heading}".rstrip(". ") if heading else f"Document {div.get('n')}"


_NAMED_VOLUMES = 3  # a title naming more volumes than this is no longer read


def _page_title(docs: Sequence[Input], count: int) -> str:
    """The one input's title, else what the page holds: ``"20 documents from frus1955-57v01"``."""
    if len(docs) == 1:
        return docs[0].title
    volumes = sorted({doc.volume or "" for doc in docs})
    if "" in volumes or len(volumes) > _NAMED_VOLUMES:
        return f"{count} documents"
    return f"{count} documents from {' and '.join(volumes)}"


def render_html(docs: Sequence[Input], *, title: str | None = None, keep_inputs: bool = True) -> str:
    """The HTML page (a string starting with ``<!DOCTYPE html>``) for ``docs``.

    ``keep_inputs=False``: the inputs' trees are taken apart to make the page (faster, for a
    caller that reads ``docs`` no more; see :func:`~teikit.export.corpus.build_corpus`).
    """
    return serialize(_page(docs, title, keep_inputs))


def render_html_bytes(docs: Sequence[Input], *, title: str | None = None, keep_inputs: bool = True) -> bytes:
    """:func:`render_html` encoded in UTF-8, serialised so at once (not decoded, then encoded again)."""
    return serialize_bytes(_page(docs, title, keep_inputs))


def _page(docs: Sequence[Input], title: str | None, keep_inputs: bool) -> etree._Element:
    """The ``<html>`` element of the page (see :func:`render_html`)."""
    if len(docs) == 1 and not title:
        docs[0].title  # noqa: B018 (a cached property: read from the input's tree before it is taken apart)
    corpus = build_corpus(docs, layout="volume", title=title, keep_inputs=keep_inputs, text_only=True)
    root = corpus.tree.getroot()
    parts = _parts(root)
    documents = [d for d in document_elements(root) if _is_document(d)]
    page_title = title or _page_title(docs, len(documents) or len(parts))
    renderer = _PageText(corpus.ids)

    html, body = page_shell(page_title)
    header = etree.SubElement(body, "header")
    etree.SubElement(header, "h1").text = page_title
    if len(documents) > 1:
        ul = etree.SubElement(etree.SubElement(header, "nav", {"class": "toc"}), "ul", {"class": "contents"})
        for div in documents:
            li = etree.SubElement(ul, "li")
            link = etree.SubElement(li, "a", href=f"#{div.get(XML_ID)}") if div.get(XML_ID) else \
                etree.SubElement(li, "span")
            link.text = _label(div)
    main = etree.SubElement(body, "main")
    for part in parts:
        name = local_name(str(part.tag))
        article = etree.SubElement(main, "article", {"class": "document" if _is_document(part) else name})
        if name not in _SECTIONS:  # a page break, a paragraph ... between sections
            renderer.element(part, article)
            renderer.footnotes(article)
            continue
        if part.get(XML_ID):
            article.set("id", part.get(XML_ID))
        head = part.find(tei("head"))
        if head is not None:
            h2 = etree.SubElement(article, "h2")
            if not _numbered(part, normalize(text_without_notes(head))):
                h2.text = f"{part.get('n')}. "  # the number once, as in the contents
            renderer.children(head, h2)
        renderer.heading = head
        text = etree.SubElement(article, "div", {"class": "text"})
        renderer.children(part, text)
        renderer.footnotes(article)
    return html
